//! Building GRANDPA equivocation proofs of this chain's authorities, for tests and benchmarks:
//! keys are generated and votes signed through the `sp_io` crypto host functions, so a
//! keystore extension must be registered (the benchmark CLI and the mock do).

use crate::ConsumerKey;
use alloc::vec::Vec;
use codec::{Decode, Encode};
use sp_core::{crypto::KeyTypeId, ed25519};

/// The key type the test keys are generated under.
pub const TEST_KEY_TYPE: KeyTypeId = KeyTypeId(*b"tequ");

/// The ed25519 key generated from `seed` (a dev-style seed such as `//Eve`), as a
/// [`ConsumerKey`].
pub fn generate_key(seed: &str) -> ConsumerKey {
	sp_io::crypto::ed25519_generate(TEST_KEY_TYPE, Some(seed.as_bytes().to_vec())).0
}

/// The bytes a GRANDPA voter signs for a precommit for `(hash, number)` in `round` of
/// GRANDPA set `set_id`.
pub fn precommit_payload<Hash: Encode + Clone, Number: Encode + Clone>(
	set_id: u64,
	round: u64,
	target: (Hash, Number),
) -> Vec<u8> {
	// `Message::Precommit(Precommit { target_hash, target_number })`, then `(message, round,
	// set_id)`: `sp_consensus_grandpa::localized_payload`.
	const PRECOMMIT_MESSAGE: u8 = 1;
	(PRECOMMIT_MESSAGE, target.0, target.1, round, set_id).encode()
}

/// Sign `payload` with the generated key `key`; `[0; 64]` if the keystore lacks it.
pub fn sign(key: &ConsumerKey, payload: &[u8]) -> [u8; 64] {
	sp_io::crypto::ed25519_sign(TEST_KEY_TYPE, &ed25519::Public::from_raw(*key), payload)
		.map(|signature| signature.0)
		.unwrap_or([0u8; 64])
}

/// A precommit equivocation proof of `key` in `round` of GRANDPA set `set_id` (signed for
/// `signed_set_id`, normally the same), voting for `first` and `second`.
pub fn precommit_equivocation<Hash, Number>(
	key: &ConsumerKey,
	set_id: u64,
	signed_set_id: u64,
	round: u64,
	first: (Hash, Number),
	second: (Hash, Number),
) -> Option<sp_consensus_grandpa::EquivocationProof<Hash, Number>>
where
	Hash: Encode + Decode + Clone,
	Number: Encode + Decode + Clone,
{
	let sign_vote = |target: &(Hash, Number)| {
		sign(key, &precommit_payload(signed_set_id, round, target.clone()))
	};
	let first_signature = sign_vote(&first);
	let second_signature = sign_vote(&second);
	// `EquivocationProof { set_id, equivocation: Equivocation::Precommit(
	//   finality_grandpa::Equivocation { round_number, identity, first, second }) }`, each vote
	// `(Precommit { target_hash, target_number }, signature)`: built through its encoding
	// because the `finality_grandpa` types are not re-exported.
	const PRECOMMIT_VARIANT: u8 = 1;
	let encoded = (
		set_id,
		PRECOMMIT_VARIANT,
		round,
		key,
		(first.0, first.1, first_signature),
		(second.0, second.1, second_signature),
	)
		.encode();
	sp_consensus_grandpa::EquivocationProof::decode(&mut &encoded[..]).ok()
}
