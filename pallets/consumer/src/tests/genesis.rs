//! Genesis, configuration and the mirror of Palisade's layout.

use super::*;
use frame_support::{traits::Hooks, StorageHasher, Twox128, Twox64Concat};

#[test]
fn genesis_set_is_the_set_in_force() {
	ExtBuilder::default().build_and_execute(|| {
		let current = CurrentSet::<Test>::get().expect("declared at genesis");
		assert_eq!((current.set.set_id, current.set.epoch), (GENESIS_SET_ID, GENESIS_EPOCH));
		assert_eq!((current.grandpa_set_id, current.applied_at), (0, 0));
		assert_eq!(current.set.keys(), vec![key(1), key(2)]);
		assert_eq!(
			LastAccepted::<Test>::get(),
			Some(AcceptedSet { set_id: GENESIS_SET_ID, epoch: GENESIS_EPOCH, proven_at: None })
		);
		assert_eq!(aura_keys(), vec![key(1), key(2)]);
		assert_eq!(PendingSet::<Test>::get(), None);
	});
}

#[test]
fn without_a_genesis_set_the_first_proven_set_is_accepted() {
	ExtBuilder::default().without_genesis_set(&[key(7)]).build_and_execute(|| {
		// Given a chain started with authorities Palisade never published.
		assert_eq!(CurrentSet::<Test>::get(), None);
		assert_eq!(aura_keys(), vec![key(7)]);

		// When the first set Palisade published (set 0 of epoch 0) is proven.
		assert_ok!(publish_and_submit(1, &RawSet::new(0, 0, &[1, 2, 3])));
		next_block();

		// Then it runs the chain.
		assert_eq!(aura_keys(), vec![key(1), key(2), key(3)]);
		assert_eq!(
			SetHistory::<Test>::get().to_vec(),
			vec![SetHistoryEntry { grandpa_set_id: 1, set_id: 0, epoch: 0 }]
		);
	});
}

#[test]
fn storage_key_is_palisades_published_sets_entry() {
	// twox128("Consumers") ++ twox128("PublishedSets") ++ twox64(id) ++ id ++ twox64(set id)
	// ++ set id, built by hand.
	let id = CONSUMER_ID.encode();
	let set_id = 7u64.encode();
	let mut expected = Twox128::hash(b"Consumers").to_vec();
	expected.extend(Twox128::hash(b"PublishedSets"));
	expected.extend(sp_io::hashing::twox_64(&id));
	expected.extend(&id);
	expected.extend(sp_io::hashing::twox_64(&set_id));
	expected.extend(&set_id);
	assert_eq!(published_set_storage_key(CONSUMER_ID, 7), expected);
}

#[test]
fn configuration_is_consistent() {
	ExtBuilder::default().build_and_execute(|| {
		<PalisadeConsumer as Hooks<u64>>::integrity_test();
		assert_eq!(<AuraGrandpa<Test> as AuthoritySink>::max_authorities(), MAX_AUTHORITIES);
	});
}

#[test]
fn storage_key_is_palisades_validator_sets_entry() {
	// twox128("Consumers") ++ twox128("ValidatorSets") ++ twox64(id) ++ id, built by hand.
	let id = CONSUMER_ID.encode();
	let mut expected = Twox128::hash(b"Consumers").to_vec();
	expected.extend(Twox128::hash(b"ValidatorSets"));
	expected.extend(sp_io::hashing::twox_64(&id));
	expected.extend(&id);
	assert_eq!(validator_set_storage_key(CONSUMER_ID), expected);
	assert_eq!(Twox64Concat::hash(&id).len(), 12);
}

#[test]
fn mirror_decodes_palisades_layout() {
	ExtBuilder::default().build_and_execute(|| {
		let raw = RawSet::new(11, 12, &[1, 2, 3]);
		let set = decode_palisade_set::<Test>(&raw.encode()).expect("decodes");
		assert_eq!((set.set_id, set.epoch, set.set_hash), (11, 12, raw.set_hash));
		assert_eq!(
			set.members.to_vec(),
			raw.members
				.iter()
				.map(|(operator, key, power)| PalisadeMember {
					operator: operator.clone(),
					key: *key,
					power: *power
				})
				.collect::<Vec<_>>()
		);
		// The mirror encodes back to the same bytes.
		assert_eq!(set.encode(), raw.encode());
		assert_eq!(PalisadeValidatorSet::<Test>::members_hash(&set.members), raw.set_hash);
	});
}
