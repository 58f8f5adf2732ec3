//! Opting in and out of consumers, and rotating consumer keys.

use crate::{mock::*, ConsumerOperators, Error, Event, KeyOwners, OptInRecord, OptIns, PendingKey};
use frame_support::{assert_noop, assert_ok};

fn opt_in(who: AccountId, consumer: u32, k: u8) {
	assert_ok!(Operators::opt_in(RuntimeOrigin::signed(who), consumer, key(k)));
}

#[test]
fn opt_in_records_key_and_indexes() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		set_epoch(1);
		operator_events();

		assert_ok!(Operators::opt_in(RuntimeOrigin::signed(1), 1, key(7)));

		assert_eq!(
			OptIns::<Test>::get(1, 1),
			Some(OptInRecord { key: key(7), pending_key: None, since: 1, leaving_at: None })
		);
		assert_eq!(ConsumerOperators::<Test>::get(1).to_vec(), vec![1]);
		assert_eq!(KeyOwners::<Test>::get(1, key(7)), Some(1));
		assert_eq!(record(1).consumers.to_vec(), vec![1]);
		assert!(Operators::is_opted_in(&1, 1, 1));
		assert!(!Operators::is_opted_in(&1, 1, 0));
		assert!(Operators::is_eligible(&1, 1, 1));
		assert_eq!(Operators::consumer_key_at(&1, 1, 1), Some(key(7)));
		assert_eq!(
			operator_events(),
			vec![Event::OptedIn { operator: 1, consumer: 1, key: key(7), epoch: 1 }]
		);
	});
}

#[test]
fn opt_in_to_unknown_consumer_fails() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(1), 3, key(1)),
			Error::<Test>::UnknownConsumer
		);
	});
}

#[test]
fn opt_in_by_non_operator_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(1), 1, key(1)),
			Error::<Test>::NotOperator
		);
	});
}

#[test]
fn keys_are_unique_per_consumer() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		register(2, 200);
		opt_in(1, 1, 7);
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(2), 1, key(7)),
			Error::<Test>::KeyAlreadyUsed
		);
		// Another key is fine.
		opt_in(2, 1, 8);
		assert_eq!(KeyOwners::<Test>::get(1, key(8)), Some(2));
	});
}

#[test]
fn opt_in_twice_fails() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		opt_in(1, 1, 7);
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(1), 1, key(8)),
			Error::<Test>::AlreadyOptedIn
		);
	});
}

#[test]
fn too_many_opt_ins_fails() {
	ExtBuilder::default().with_consumers(vec![1, 2, 3, 4]).build_and_execute(|| {
		register(1, 200);
		for consumer in 1..=MAX_OPT_INS {
			opt_in(1, consumer, consumer as u8);
		}
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(1), 4, key(9)),
			Error::<Test>::TooManyOptIns
		);
	});
}

#[test]
fn too_many_operators_per_consumer_fails() {
	ExtBuilder::default().build_and_execute(|| {
		for who in 1..=(MAX_OPERATORS as u64) {
			register(who, 200);
			opt_in(who, 1, who as u8);
		}
		register(9, 200);
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(9), 1, key(9)),
			Error::<Test>::TooManyOperators
		);
	});
}

#[test]
fn key_rotation_takes_effect_next_epoch_and_reserves_both_keys() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		register(2, 200);
		opt_in(1, 1, 1);
		set_epoch(4);
		operator_events();

		// When operator 1 rotates to key 2 in epoch 4.
		assert_ok!(Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(2)));

		// Then key 1 is in force in epoch 4 and key 2 from epoch 5.
		assert_eq!(
			operator_events(),
			vec![Event::KeyRotationScheduled {
				operator: 1,
				consumer: 1,
				key: key(2),
				effective_epoch: 5,
			}]
		);
		assert_eq!(
			OptIns::<Test>::get(1, 1).unwrap().pending_key,
			Some(PendingKey { key: key(2), effective: 5 })
		);
		assert_eq!(Operators::consumer_key_at(&1, 1, 4), Some(key(1)));
		assert_eq!(Operators::consumer_key_at(&1, 1, 5), Some(key(2)));
		// Both keys are reserved meanwhile.
		for k in [1, 2] {
			assert_noop!(
				Operators::opt_in(RuntimeOrigin::signed(2), 1, key(k)),
				Error::<Test>::KeyAlreadyUsed
			);
		}

		// At epoch 5 the rotation is finalised and the old key released.
		start_epoch(5);
		assert_eq!(
			OptIns::<Test>::get(1, 1).unwrap(),
			OptInRecord { key: key(2), pending_key: None, since: 0, leaving_at: None }
		);
		assert_eq!(KeyOwners::<Test>::get(1, key(1)), None);
		assert_eq!(
			operator_events(),
			vec![Event::KeyRotated { operator: 1, consumer: 1, key: key(2), epoch: 5 }]
		);
		// Released, but never reusable.
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(2), 1, key(1)),
			Error::<Test>::KeyAlreadyUsed
		);
	});
}

#[test]
fn a_second_rotation_replaces_the_pending_one() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		opt_in(1, 1, 1);
		assert_ok!(Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(2)));
		assert_ok!(Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(3)));

		assert_eq!(KeyOwners::<Test>::get(1, key(2)), None);
		assert_eq!(KeyOwners::<Test>::get(1, key(3)), Some(1));
		assert_eq!(Operators::consumer_key_at(&1, 1, 1), Some(key(3)));
	});
}

#[test]
fn set_consumer_key_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(2)),
			Error::<Test>::NotOperator
		);
		register(1, 200);
		register(2, 200);
		assert_noop!(
			Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(2)),
			Error::<Test>::NotOptedIn
		);
		opt_in(1, 1, 1);
		opt_in(2, 1, 2);
		// Another operator's key, or its own current key.
		assert_noop!(
			Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(2)),
			Error::<Test>::KeyAlreadyUsed
		);
		assert_noop!(
			Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(1)),
			Error::<Test>::KeyAlreadyUsed
		);
		assert_ok!(Operators::opt_out(RuntimeOrigin::signed(1), 1));
		assert_noop!(
			Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(3)),
			Error::<Test>::OptOutPending
		);
	});
}

#[test]
fn opt_out_takes_effect_after_the_delay() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		opt_in(1, 1, 1);
		set_epoch(2);
		operator_events();

		// When operator 1 opts out in epoch 2.
		assert_ok!(Operators::opt_out(RuntimeOrigin::signed(1), 1));
		let effective = 2 + OPT_OUT_DELAY;
		assert_eq!(
			operator_events(),
			vec![Event::OptOutScheduled { operator: 1, consumer: 1, effective_epoch: effective }]
		);

		// Then it is leaving: still opted in and slashable, listed, but not eligible.
		assert!(Operators::is_opted_in(&1, 1, effective - 1));
		assert!(!Operators::is_eligible(&1, 1, 2));
		let listed = Operators::opted_in_operators_at(1, effective - 1);
		assert_eq!(listed.len(), 1);
		assert!(!listed[0].eligible);

		// Not yet at effective - 1.
		start_epoch(effective - 1);
		assert!(OptIns::<Test>::contains_key(1, 1));

		// From the effective epoch it is no longer opted in; the hook removes it.
		assert!(!Operators::is_opted_in(&1, 1, effective));
		assert!(Operators::opted_in_operators_at(1, effective).is_empty());
		start_epoch(effective);
		assert!(!OptIns::<Test>::contains_key(1, 1));
		assert!(ConsumerOperators::<Test>::get(1).is_empty());
		assert_eq!(KeyOwners::<Test>::get(1, key(1)), None);
		assert!(record(1).consumers.is_empty());
		assert_eq!(
			operator_events(),
			vec![Event::OptedOut { operator: 1, consumer: 1, epoch: effective }]
		);
	});
}

#[test]
fn opt_out_releases_a_pending_key_too() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		opt_in(1, 1, 1);
		assert_ok!(Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(2)));
		assert_ok!(Operators::opt_out(RuntimeOrigin::signed(1), 1));
		start_epoch(OPT_OUT_DELAY);
		assert_eq!(KeyOwners::<Test>::iter().count(), 0);
	});
}

#[test]
fn opt_out_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Operators::opt_out(RuntimeOrigin::signed(1), 1), Error::<Test>::NotOperator);
		register(1, 200);
		assert_noop!(Operators::opt_out(RuntimeOrigin::signed(1), 1), Error::<Test>::NotOptedIn);
		opt_in(1, 1, 1);
		assert_ok!(Operators::opt_out(RuntimeOrigin::signed(1), 1));
		assert_noop!(Operators::opt_out(RuntimeOrigin::signed(1), 1), Error::<Test>::OptOutPending);
		// Opting in again while leaving is refused.
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(1), 1, key(1)),
			Error::<Test>::AlreadyOptedIn
		);
	});
}

#[test]
fn opting_in_again_after_the_opt_out_finalises_it_first() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		opt_in(1, 1, 1);
		assert_ok!(Operators::opt_out(RuntimeOrigin::signed(1), 1));
		// No epoch hook ran.
		set_epoch(OPT_OUT_DELAY);
		operator_events();

		assert_ok!(Operators::opt_in(RuntimeOrigin::signed(1), 1, key(2)));

		assert_eq!(
			operator_events(),
			vec![
				Event::OptedOut { operator: 1, consumer: 1, epoch: OPT_OUT_DELAY },
				Event::OptedIn { operator: 1, consumer: 1, key: key(2), epoch: OPT_OUT_DELAY },
			]
		);
		assert_eq!(OptIns::<Test>::get(1, 1).unwrap().since, OPT_OUT_DELAY);
		assert_eq!(ConsumerOperators::<Test>::get(1).to_vec(), vec![1]);
	});
}
