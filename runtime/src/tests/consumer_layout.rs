//! Palisade's published sets are what the consumer pallet reads: the storage key of
//! `Consumers::PublishedSets(id, set_id)` and the SCALE layout of a set, checked against the
//! consumer pallet's own key builder and mirror type, so that neither side can change alone.

use super::*;
use pallet_consumers::{PublishedSets, ValidatorSet};
use pallet_palisade_consumer::{published_set_storage_key, PalisadeMember};
use sp_core::H256;

#[test]
fn published_set_key_and_layout_match_the_consumer_pallet() {
	ext_from_preset("development").execute_with(|| {
		// The key.
		for (consumer, set_id) in [(0u32, 0u64), (7, 5), (u32::MAX, u64::MAX)] {
			assert_eq!(
				PublishedSets::<Runtime>::hashed_key_for(consumer, set_id),
				published_set_storage_key(consumer, set_id)
			);
		}

		// The value: Palisade's set encodes as the mirror (epoch, set id, members, hash) and
		// its hash is the mirror's hash of the members.
		let members: Vec<(AccountId, [u8; 32], u128)> = vec![
			(Sr25519Keyring::Bob.to_account_id(), [0xb0; 32], 20_000 * UNITS),
			(Sr25519Keyring::Charlie.to_account_id(), [0xc0; 32], 15_000 * UNITS),
		];
		let bounded = members.clone().try_into().expect("within the bound");
		let set_hash = pallet_consumers::Pallet::<Runtime>::set_hash(&bounded);
		let set = ValidatorSet::<Runtime> { epoch: 9, set_id: 4, members: bounded, set_hash };
		let mirror_members: Vec<PalisadeMember> = members
			.iter()
			.map(|(operator, key, power)| PalisadeMember {
				operator: operator.clone(),
				key: *key,
				power: *power,
			})
			.collect();
		assert_eq!(
			set.encode(),
			(9u32, 4u64, &mirror_members, H256::from(set_hash.0)).encode(),
			"Palisade's ValidatorSet layout differs from the consumer pallet's mirror"
		);
		assert_eq!(
			set_hash.0,
			sp_io::hashing::blake2_256(&mirror_members.encode()),
			"the set hash is not the mirror's hash of the members"
		);
	});
}
