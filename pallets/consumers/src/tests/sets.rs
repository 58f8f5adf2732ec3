//! Publication of validator sets: set ids, hashes, history, the runtime API view.

use crate::{
	mock::*, ConsumerInfo, ConsumerStatus, Event, SetHistory, SetHistoryEntry, ValidatorSetInfo,
	ValidatorSets, H256,
};
use codec::Encode;
use frame_support::assert_ok;
use palisade_primitives::ConsumersInterface;

fn set_id() -> u64 {
	ValidatorSets::<Test>::get(0).expect("published").set_id
}

fn set_updates() -> Vec<u64> {
	consumer_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::ValidatorSetUpdated { set_id, .. } => Some(set_id),
			_ => None,
		})
		.collect()
}

/// Consumer 0 paying nothing, with operators 11 (500) and 12 (300), active from epoch 1.
fn published() {
	register_with(1, params(1, 4, 0, 100, 0));
	add_operator(0, 11, 500, 0);
	add_operator(0, 12, 300, 0);
	next_epoch();
}

#[test]
fn the_set_id_increments_only_when_the_members_change() {
	ExtBuilder::default().build_and_execute(|| {
		published();
		assert_eq!(set_id(), 0);
		assert_eq!(set_updates(), vec![0]);

		// Same members: same id, republished for the new epoch, no event.
		next_epoch();
		assert_eq!(set_id(), 0);
		assert_eq!(ValidatorSets::<Test>::get(0).unwrap().epoch, 2);
		assert_eq!(set_updates(), Vec::<u64>::new());

		// A power change is a change.
		set_bond(12, 400);
		next_epoch();
		assert_eq!(set_id(), 1);
		assert_eq!(set_updates(), vec![1]);

		// A key change is a change.
		set_key(0, 11, [99; 32]);
		next_epoch();
		assert_eq!(set_id(), 2);
		assert_eq!(members(0)[0], (11, [99; 32], 500));

		// A new member is a change; nothing new is not.
		add_operator(0, 13, 100, 0);
		next_epoch();
		next_epoch();
		assert_eq!(set_id(), 3);
		assert_eq!(set_updates(), vec![2, 3]);
	});
}

#[test]
fn the_set_hash_is_the_blake2_of_the_encoded_members() {
	ExtBuilder::default().build_and_execute(|| {
		published();
		let set = ValidatorSets::<Test>::get(0).unwrap();
		let expected: Vec<(AccountId, [u8; 32], Balance)> =
			vec![(11, key_of(11), 500), (12, key_of(12), 300)];
		assert_eq!(set.set_hash, H256::from(sp_io::hashing::blake2_256(&expected.encode())));
		assert_eq!(set.set_hash, Consumers::set_hash(&set.members));
		assert_eq!(record(0).last_set.map(|last| last.set_hash), Some(set.set_hash));
	});
}

#[test]
fn set_ids_keep_increasing_across_a_pause() {
	ExtBuilder::default().build_and_execute(|| {
		published();
		opt_out(0, 11);
		opt_out(0, 12);
		next_epoch();
		assert!(ValidatorSets::<Test>::get(0).is_none());
		add_operator(0, 13, 100, 0);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Active);
		assert_eq!(set_id(), 1);
	});
}

#[test]
fn epoch_of_set_answers_while_the_set_was_in_force_within_the_retention() {
	ExtBuilder::default().build_and_execute(|| {
		// Set 0 in force in epochs 1 and 2, set 1 from epoch 3 on.
		published();
		next_epoch();
		set_bond(12, 400);
		next_epoch();
		let epoch_of = |set| <Consumers as ConsumersInterface<_, _>>::epoch_of_set(0, set);
		assert_eq!(epoch_of(0), Some(1));
		assert_eq!(epoch_of(1), Some(3));
		assert_eq!(epoch_of(2), None);
		assert_eq!(
			SetHistory::<Test>::get(0).into_inner(),
			vec![
				SetHistoryEntry { set_id: 0, first_epoch: 1, last_epoch: 2 },
				SetHistoryEntry { set_id: 1, first_epoch: 3, last_epoch: 3 },
			]
		);

		// Set 0 is remembered while epoch 2 is retained, i.e. until epoch 2 + RETENTION.
		run_to_epoch(2 + RETENTION);
		assert_eq!(epoch_of(0), Some(1));
		next_epoch();
		assert_eq!(epoch_of(0), None);
		// The set still in force stays known however old its first epoch.
		run_to_epoch(12);
		assert_eq!(epoch_of(1), Some(3));
		assert_eq!(SetHistory::<Test>::get(0).len(), 1);
	});
}

#[test]
fn the_runtime_api_view() {
	ExtBuilder::default().build_and_execute(|| {
		published();
		assert_ok!(Consumers::set_reporter(RuntimeOrigin::signed(1), 0, 5));
		let set = ValidatorSets::<Test>::get(0).unwrap();
		assert_eq!(
			Consumers::validator_set(0),
			Some(ValidatorSetInfo {
				epoch: 1,
				set_id: 0,
				members: vec![(11, key_of(11), 500), (12, key_of(12), 300)],
				set_hash: set.set_hash,
			})
		);
		assert_eq!(Consumers::validator_set(1), None);
		assert_eq!(
			Consumers::consumer_info(0),
			Some(ConsumerInfo {
				admin: 1,
				reporter: 5,
				status: ConsumerStatus::Active,
				escrow: 0,
				escrow_account: Consumers::escrow_account(0),
				params: params(1, 4, 0, 100, 0),
				pending_params: None,
				genesis_hash: genesis(0),
				metadata: b"chain".to_vec(),
				registered_at: 0,
			})
		);
		assert_eq!(Consumers::consumer_info(1), None);
		assert_eq!(Consumers::consumer_ids(), vec![0]);
		assert_eq!(Consumers::current_epoch(), 1);
		assert_eq!(Consumers::next_epoch_start(), 20);
	});
}
