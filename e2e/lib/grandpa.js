// GRANDPA equivocation proofs of a consumer chain, built and signed in JavaScript: what a
// consumer chain's relayer (or a test) submits to `serviceSlashing.reportEquivocation`.
//
// A GRANDPA voter signs `(message, round, set_id)` SCALE-encoded, where `message` is
// `Message::Precommit(Precommit { target_hash, target_number })` (variant 1) for a precommit.
// Two precommits of one round for different blocks, signed by one key, are an equivocation.

import { u8aConcat, u8aToHex, bnToU8a } from '@polkadot/util';

const u32 = (n) => bnToU8a(n, { bitLength: 32 });
const u64 = (n) => bnToU8a(n, { bitLength: 64 });
const PRECOMMIT = new Uint8Array([1]);

/** The bytes a GRANDPA voter signs for a precommit for block (`hash`, `number`). */
export function precommitPayload(setId, round, hash, number) {
  return u8aConcat(PRECOMMIT, hash, u32(number), u64(round), u64(setId));
}

/**
 * An `sp_consensus_grandpa::EquivocationProof` (as @polkadot/api takes it) of `pair` (an
 * ed25519 keyring pair: the operator's key for the consumer) precommitting to two different
 * blocks `a` and `b` (`[hash, number]`, hash as 0x hex) in `round` of set `setId`.
 */
export function precommitEquivocation(pair, setId, round, a, b) {
  const vote = ([hash, number]) => {
    const signature = pair.sign(precommitPayload(setId, round, hash, number));
    return [{ targetHash: hash, targetNumber: number }, u8aToHex(signature)];
  };
  return {
    setId,
    equivocation: {
      Precommit: {
        roundNumber: round,
        identity: u8aToHex(pair.publicKey),
        first: vote(a),
        second: vote(b),
      },
    },
  };
}
