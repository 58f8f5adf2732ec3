// GRANDPA equivocation proofs, built and signed in JavaScript: what a consumer chain's relayer
// (or a test) submits to `serviceSlashing.reportEquivocation`, and what a reporter of a
// Palisade validator's equivocation submits to `grandpa.reportEquivocation`.
//
// A GRANDPA voter signs `(message, round, set_id)` SCALE-encoded, where `message` is
// `Message::Prevote(Prevote { target_hash, target_number })` (variant 0) for a prevote and
// `Message::Precommit(Precommit { target_hash, target_number })` (variant 1) for a precommit.
// Two votes of one kind in one round for different blocks, signed by one key, are an
// equivocation.

import { u8aConcat, u8aToHex, bnToU8a } from '@polkadot/util';

const u32 = (n) => bnToU8a(n, { bitLength: 32 });
const u64 = (n) => bnToU8a(n, { bitLength: 64 });
/** `finality_grandpa::Message` variants, by the name `sp_consensus_grandpa::Equivocation` uses. */
const MESSAGE = { Prevote: 0, Precommit: 1 };

/** The bytes a GRANDPA voter signs for a `kind` ('Prevote' or 'Precommit') vote for block
 * (`hash`, `number`). */
export function votePayload(kind, setId, round, hash, number) {
  return u8aConcat(new Uint8Array([MESSAGE[kind]]), hash, u32(number), u64(round), u64(setId));
}

/** The bytes a GRANDPA voter signs for a precommit for block (`hash`, `number`). */
export function precommitPayload(setId, round, hash, number) {
  return votePayload('Precommit', setId, round, hash, number);
}

/**
 * An `sp_consensus_grandpa::EquivocationProof` (as @polkadot/api takes it) of `pair` (an
 * ed25519 keyring pair: a GRANDPA key) casting two `kind` votes ('Prevote' or 'Precommit')
 * for two different blocks `a` and `b` (`[hash, number]`, hash as 0x hex) in `round` of set
 * `setId`.
 */
export function voteEquivocation(kind, pair, setId, round, a, b) {
  const vote = ([hash, number]) => {
    const signature = pair.sign(votePayload(kind, setId, round, hash, number));
    return [{ targetHash: hash, targetNumber: number }, u8aToHex(signature)];
  };
  return {
    setId,
    equivocation: {
      [kind]: {
        roundNumber: round,
        identity: u8aToHex(pair.publicKey),
        first: vote(a),
        second: vote(b),
      },
    },
  };
}

/** A precommit equivocation (see `voteEquivocation`): the operator's key for a consumer. */
export function precommitEquivocation(pair, setId, round, a, b) {
  return voteEquivocation('Precommit', pair, setId, round, a, b);
}

/** A prevote equivocation (see `voteEquivocation`): e.g. a Palisade validator's GRANDPA key. */
export function prevoteEquivocation(pair, setId, round, a, b) {
  return voteEquivocation('Prevote', pair, setId, round, a, b);
}
