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

/// Building equivocation proofs, for tests and benchmarks.
///
/// The runtime cannot sign (that needs `sp-core`'s `full_crypto`, which does not build for the
/// runtime without `sp-application-crypto`'s), so the benchmarks use precomputed signatures
/// ([`BENCH_SIGNATURES`], checked against fresh ones by a unit test) of one key for the first
/// [`BENCH_SETS`] set ids. Tests sign with [`sign_precommit`].
#[cfg(any(test, feature = "runtime-benchmarks"))]
pub mod testing {
	use super::*;
	use crate::{ConsumerBlockNumber, ConsumerHash};
	use alloc::vec::Vec;
	use codec::{Decode, Encode};

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
		let encoded = (set_id, PRECOMMIT_VARIANT, round, offender, first, second).encode();
		EquivocationProofOf::decode(&mut &encoded[..])
			.expect("the encoding above is that of an equivocation proof; qed")
	}

	/// The two conflicting precommits of the benchmark proofs.
	pub const BENCH_VOTES: [Vote; 2] =
		[(ConsumerHash::repeat_byte(1), 10), (ConsumerHash::repeat_byte(2), 10)];

	/// The round of the benchmark proofs.
	pub const BENCH_ROUND: RoundNumber = 1;

	/// The number of set ids with a benchmark proof: `0..BENCH_SETS`.
	pub const BENCH_SETS: SetId = 8;

	/// The public key of the benchmark offender (ed25519, from seed `[42; 32]`).
	pub const BENCH_KEY: ConsumerKey = [
		25, 127, 107, 35, 225, 108, 133, 50, 198, 171, 200, 56, 250, 205, 94, 167, 137, 190, 12,
		118, 178, 146, 3, 52, 3, 155, 250, 139, 61, 54, 141, 97,
	];

	/// Its signatures of the precommits [`BENCH_VOTES`] in round [`BENCH_ROUND`], for set ids
	/// `0..BENCH_SETS`.
	pub const BENCH_SIGNATURES: [[[u8; 64]; 2]; BENCH_SETS as usize] = [
		[
			[
				251, 121, 246, 62, 116, 89, 44, 37, 115, 39, 95, 59, 253, 4, 103, 23, 167, 167,
				248, 126, 104, 50, 44, 47, 124, 236, 192, 216, 155, 250, 252, 182, 16, 242, 77,
				109, 25, 166, 3, 234, 53, 205, 35, 164, 31, 180, 187, 82, 232, 189, 39, 202, 4,
				195, 53, 180, 168, 225, 251, 77, 20, 157, 14, 3,
			],
			[
				145, 164, 18, 182, 242, 64, 105, 59, 141, 177, 68, 5, 228, 104, 136, 122, 77, 79,
				180, 124, 91, 179, 163, 73, 215, 40, 181, 169, 135, 120, 196, 79, 14, 209, 114,
				188, 103, 225, 134, 66, 132, 3, 47, 14, 251, 100, 150, 64, 31, 247, 210, 158, 185,
				148, 157, 179, 178, 40, 85, 230, 35, 33, 181, 14,
			],
		],
		[
			[
				14, 166, 204, 68, 215, 141, 131, 51, 118, 81, 125, 32, 58, 37, 157, 140, 91, 224,
				93, 253, 133, 162, 120, 217, 9, 25, 14, 202, 17, 247, 39, 226, 134, 141, 5, 213,
				66, 54, 237, 148, 183, 22, 99, 218, 51, 68, 45, 24, 73, 137, 16, 192, 129, 109,
				138, 177, 10, 52, 155, 107, 19, 223, 102, 1,
			],
			[
				80, 90, 86, 197, 173, 142, 124, 132, 128, 130, 167, 157, 208, 169, 18, 226, 214,
				240, 10, 87, 219, 145, 118, 20, 189, 33, 79, 204, 180, 22, 195, 6, 162, 73, 183, 5,
				184, 221, 13, 37, 119, 37, 55, 190, 87, 21, 221, 197, 84, 244, 222, 184, 223, 220,
				222, 96, 6, 121, 97, 188, 115, 109, 142, 12,
			],
		],
		[
			[
				120, 207, 32, 179, 61, 46, 181, 133, 215, 76, 109, 108, 162, 147, 93, 164, 120, 78,
				254, 185, 205, 189, 118, 109, 228, 181, 147, 227, 27, 96, 196, 233, 65, 19, 108,
				37, 243, 132, 53, 131, 83, 140, 4, 232, 47, 138, 241, 130, 162, 239, 110, 255, 124,
				69, 209, 187, 121, 83, 20, 69, 37, 57, 75, 0,
			],
			[
				71, 2, 164, 187, 87, 116, 52, 228, 192, 50, 84, 52, 237, 52, 215, 225, 96, 123, 58,
				172, 202, 59, 212, 172, 11, 67, 131, 237, 181, 40, 145, 76, 126, 192, 160, 96, 126,
				90, 81, 8, 65, 63, 143, 229, 144, 29, 92, 240, 143, 116, 234, 166, 107, 193, 169,
				5, 246, 251, 97, 174, 243, 5, 66, 14,
			],
		],
		[
			[
				53, 65, 172, 167, 203, 214, 41, 18, 125, 189, 206, 178, 113, 221, 111, 142, 103,
				224, 81, 63, 92, 251, 62, 0, 117, 113, 136, 24, 179, 41, 148, 87, 208, 112, 73, 14,
				1, 170, 112, 227, 93, 133, 188, 154, 84, 144, 137, 150, 181, 0, 152, 30, 235, 147,
				181, 242, 80, 226, 37, 75, 173, 237, 103, 6,
			],
			[
				179, 157, 224, 77, 16, 104, 188, 173, 164, 182, 23, 149, 4, 169, 233, 42, 248, 125,
				127, 123, 32, 35, 227, 30, 133, 209, 192, 8, 192, 42, 204, 104, 14, 192, 166, 176,
				128, 211, 211, 132, 229, 118, 115, 184, 60, 58, 120, 228, 87, 254, 208, 44, 10, 38,
				126, 221, 92, 184, 227, 190, 225, 117, 117, 14,
			],
		],
		[
			[
				113, 137, 21, 137, 156, 112, 36, 82, 21, 237, 115, 13, 185, 22, 146, 181, 234, 86,
				51, 109, 51, 162, 87, 255, 118, 20, 109, 109, 54, 110, 120, 145, 151, 155, 189,
				142, 203, 197, 1, 209, 78, 104, 39, 130, 226, 218, 113, 45, 16, 145, 246, 60, 61,
				196, 234, 90, 31, 187, 224, 46, 135, 70, 184, 4,
			],
			[
				108, 170, 65, 67, 125, 200, 69, 88, 47, 88, 13, 53, 242, 91, 190, 215, 87, 253, 44,
				50, 105, 57, 223, 231, 54, 71, 211, 33, 203, 158, 200, 195, 217, 174, 137, 49, 110,
				86, 255, 183, 197, 109, 86, 184, 49, 112, 105, 24, 124, 227, 118, 17, 22, 248, 193,
				49, 169, 33, 219, 86, 80, 41, 179, 9,
			],
		],
		[
			[
				136, 169, 15, 55, 145, 211, 10, 109, 161, 37, 170, 165, 162, 226, 223, 218, 140,
				182, 76, 173, 116, 115, 152, 229, 96, 183, 243, 193, 59, 122, 243, 69, 188, 249,
				234, 1, 91, 70, 2, 79, 180, 148, 233, 168, 101, 173, 235, 131, 176, 21, 147, 109,
				203, 179, 11, 219, 152, 187, 160, 211, 42, 191, 92, 5,
			],
			[
				250, 207, 190, 194, 215, 255, 133, 238, 229, 209, 17, 188, 32, 246, 252, 86, 214,
				155, 105, 79, 108, 169, 72, 205, 181, 51, 143, 213, 201, 121, 36, 23, 227, 176,
				217, 189, 118, 77, 226, 110, 157, 74, 119, 167, 217, 20, 13, 234, 212, 11, 2, 200,
				132, 65, 180, 9, 82, 55, 11, 70, 82, 5, 29, 1,
			],
		],
		[
			[
				219, 15, 220, 167, 73, 227, 149, 209, 82, 5, 157, 102, 152, 216, 220, 185, 152,
				252, 216, 194, 100, 87, 216, 160, 71, 57, 226, 246, 115, 82, 105, 235, 240, 253,
				91, 158, 49, 37, 146, 185, 2, 244, 116, 253, 5, 127, 14, 223, 50, 39, 178, 181, 77,
				180, 137, 77, 6, 197, 115, 251, 123, 115, 89, 3,
			],
			[
				205, 17, 100, 105, 80, 226, 225, 0, 50, 116, 227, 72, 223, 178, 180, 242, 3, 183,
				217, 158, 163, 127, 137, 29, 235, 191, 42, 238, 44, 38, 192, 99, 29, 62, 255, 50,
				209, 97, 224, 66, 251, 208, 1, 162, 65, 32, 79, 245, 118, 179, 234, 11, 43, 201,
				29, 16, 136, 30, 1, 58, 185, 22, 1, 11,
			],
		],
		[
			[
				156, 186, 79, 161, 145, 147, 199, 61, 99, 255, 34, 147, 103, 83, 96, 20, 200, 167,
				177, 119, 219, 248, 235, 68, 94, 220, 200, 232, 254, 219, 142, 46, 163, 170, 170,
				163, 93, 199, 158, 51, 192, 250, 111, 54, 53, 22, 175, 69, 58, 131, 118, 87, 159,
				175, 92, 7, 35, 144, 204, 28, 251, 195, 64, 14,
			],
			[
				105, 230, 19, 20, 116, 105, 3, 208, 204, 83, 212, 125, 52, 216, 8, 209, 177, 186,
				24, 17, 93, 93, 218, 172, 69, 149, 193, 180, 166, 221, 184, 61, 33, 37, 108, 80,
				215, 113, 7, 254, 120, 3, 44, 197, 123, 54, 44, 128, 106, 221, 134, 131, 44, 184,
				117, 137, 79, 3, 232, 128, 44, 185, 100, 9,
			],
		],
	];

	/// A valid equivocation proof by [`BENCH_KEY`] in round [`BENCH_ROUND`] of set `set_id`,
	/// if `set_id < BENCH_SETS`.
	pub fn bench_equivocation(set_id: SetId) -> Option<EquivocationProofOf> {
		let [first, second] = *BENCH_SIGNATURES.get(usize::try_from(set_id).ok()?)?;
		Some(assemble_precommit_proof(
			set_id,
			BENCH_ROUND,
			BENCH_KEY,
			(BENCH_VOTES[0], first),
			(BENCH_VOTES[1], second),
		))
	}

	/// The seed of [`BENCH_KEY`].
	#[cfg(test)]
	pub const BENCH_SEED: [u8; 32] = [42; 32];

	/// Sign the precommit for `vote` in `round` of set `set_id` with `pair`.
	#[cfg(test)]
	pub fn sign_precommit(
		pair: &sp_core::ed25519::Pair,
		set_id: SetId,
		round: RoundNumber,
		vote: Vote,
	) -> [u8; 64] {
		sp_core::Pair::sign(pair, &precommit_payload(set_id, round, vote)).0
	}

	/// A valid equivocation proof: `pair` precommitted to two different blocks in `round` of
	/// set `set_id`.
	#[cfg(test)]
	pub fn precommit_equivocation(
		pair: &sp_core::ed25519::Pair,
		set_id: SetId,
		round: RoundNumber,
	) -> EquivocationProofOf {
		let [first, second] = BENCH_VOTES;
		assemble_precommit_proof(
			set_id,
			round,
			sp_core::Pair::public(pair).0,
			(first, sign_precommit(pair, set_id, round, first)),
			(second, sign_precommit(pair, set_id, round, second)),
		)
	}

	/// The ed25519 key pair derived from `seed`.
	#[cfg(test)]
	pub fn pair_from_seed(seed: [u8; 32]) -> sp_core::ed25519::Pair {
		sp_core::Pair::from_seed(&seed)
	}
}
