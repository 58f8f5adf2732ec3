//! On-chain evidence: GRANDPA equivocation proofs of consumer chains.
//!
//! A consumer chain runs GRANDPA with the validator sets Palisade publishes, under the set ids
//! Palisade publishes, and each operator votes with its 32-byte ed25519 key for that consumer
//! (its [`ConsumerKey`]). Two conflicting votes of one round signed with that key are proof of
//! an equivocation: [`sp_consensus_grandpa::check_equivocation_proof`] checks that the votes
//! target different blocks and that both signatures verify for the proof's round and set id.

use crate::{EquivocationProofOf, RoundNumber, SetId};
use palisade_primitives::ConsumerKey;

/// What an equivocation proof claims, read before it is verified.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct EquivocationClaim {
	/// The GRANDPA set id of the votes.
	pub set_id: SetId,
	/// The round of the votes.
	pub round: RoundNumber,
	/// The key that (claims to have) signed both votes.
	pub offender: ConsumerKey,
}

impl EquivocationClaim {
	/// Read the claim of `proof` (nothing is verified).
	pub fn of(proof: &EquivocationProofOf) -> Self {
		let mut offender = [0u8; 32];
		let raw: &[u8] = proof.offender().as_ref();
		// An ed25519 public key is always 32 bytes.
		offender.copy_from_slice(raw);
		Self { set_id: proof.set_id(), round: proof.round(), offender }
	}
}

/// Verify `proof`: the two votes target different blocks and both signatures are valid for the
/// proof's round and set id (a signature for the previous set id is not accepted).
pub fn verify(proof: EquivocationProofOf) -> bool {
	sp_consensus_grandpa::check_equivocation_proof(proof)
}

/// Building equivocation proofs, for tests and benchmarks (needs `sp-core`'s `full_crypto` to
/// sign, which the `runtime-benchmarks` feature enables).
#[cfg(any(test, feature = "runtime-benchmarks"))]
pub mod testing {
	use super::*;
	use crate::{ConsumerBlockNumber, ConsumerHash};
	use alloc::vec::Vec;
	use codec::{Decode, Encode};
	use sp_core::{ed25519, Pair};

	/// A consumer chain header, to name the GRANDPA message types.
	pub type ConsumerHeader =
		sp_runtime::generic::Header<ConsumerBlockNumber, sp_runtime::traits::BlakeTwo256>;

	/// One precommit vote: target hash and number.
	pub type Vote = (ConsumerHash, ConsumerBlockNumber);

	/// The bytes a GRANDPA voter signs for a precommit for `vote` in `round` of set `set_id`.
	pub fn precommit_payload(set_id: SetId, round: RoundNumber, vote: Vote) -> Vec<u8> {
		let precommit = sp_consensus_grandpa::Precommit::<ConsumerHeader> {
			target_hash: vote.0,
			target_number: vote.1,
		};
		let message = sp_consensus_grandpa::Message::<ConsumerHeader>::Precommit(precommit);
		sp_consensus_grandpa::localized_payload(round, set_id, &message)
	}

	/// Assemble a precommit equivocation proof from its parts, signatures included as given
	/// (valid or not).
	pub fn assemble_precommit_proof(
		set_id: SetId,
		round: RoundNumber,
		offender: ConsumerKey,
		first: (Vote, [u8; 64]),
		second: (Vote, [u8; 64]),
	) -> EquivocationProofOf {
		// `EquivocationProof { set_id, equivocation: Equivocation::Precommit(
		//   finality_grandpa::Equivocation { round_number, identity, first, second }) }`
		// where each vote is `(Precommit { target_hash, target_number }, signature)`. Built
		// through its encoding because the `finality_grandpa` types are not re-exported.
		const PRECOMMIT_VARIANT: u8 = 1;
		let encoded =
			(set_id, PRECOMMIT_VARIANT, round, offender, (first.0, first.1), (second.0, second.1))
				.encode();
		EquivocationProofOf::decode(&mut &encoded[..])
			.expect("the encoding above is that of an equivocation proof; qed")
	}

	/// Sign the precommit for `vote` in `round` of set `set_id` with `pair`.
	pub fn sign_precommit(
		pair: &ed25519::Pair,
		set_id: SetId,
		round: RoundNumber,
		vote: Vote,
	) -> [u8; 64] {
		pair.sign(&precommit_payload(set_id, round, vote)).0
	}

	/// A valid equivocation proof: `pair` precommitted to two different blocks in `round` of
	/// set `set_id`.
	pub fn precommit_equivocation(
		pair: &ed25519::Pair,
		set_id: SetId,
		round: RoundNumber,
	) -> EquivocationProofOf {
		let first = (ConsumerHash::repeat_byte(1), 10);
		let second = (ConsumerHash::repeat_byte(2), 10);
		assemble_precommit_proof(
			set_id,
			round,
			pair.public().0,
			(first, sign_precommit(pair, set_id, round, first)),
			(second, sign_precommit(pair, set_id, round, second)),
		)
	}

	/// The ed25519 key pair derived from `seed`.
	pub fn pair_from_seed(seed: [u8; 32]) -> ed25519::Pair {
		ed25519::Pair::from_seed(&seed)
	}
}
