//! The invariant checker catches corrupted storage, and the configuration passes
//! `integrity_test`.

use crate::{mock::*, ConsumerRecords, Exposure, ExposureCheckpoints, ExposureIndex, KeyOwners};
use frame_support::{
	assert_ok,
	traits::{fungible::Mutate, Hooks},
};

/// Consumer 0 with operator 11, active and funded, in epoch 1.
fn active() {
	register(1);
	add_operator(0, 11, 500, 0);
	fund(0, 5_000);
	next_epoch();
	assert_ok!(Consumers::do_try_state());
}

#[test]
fn integrity_test_passes() {
	ExtBuilder::default().build_and_execute(|| {
		<Consumers as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn try_state_detects_an_escrow_differing_from_its_ledger() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		ConsumerRecords::<Test>::mutate(0, |r| r.as_mut().unwrap().escrow += 1);
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_an_escrow_account_holding_too_little() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		<Balances as Mutate<_>>::set_balance(&Consumers::escrow_account(0), 4_000);
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_deposit_mismatch() {
	ExtBuilder::default().build().execute_with(|| {
		register(1);
		ConsumerRecords::<Test>::mutate(0, |r| r.as_mut().unwrap().deposit = DEPOSIT - 1);
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_an_exposure_outside_any_index() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		let mut exposure = ExposureCheckpoints::<Test>::get((0, 11, 1)).unwrap();
		exposure.key = key_of(12);
		ExposureCheckpoints::<Test>::insert((0, 12, 1), exposure);
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_member_without_exposure() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		ExposureCheckpoints::<Test>::remove((0, 11, 1));
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_member_whose_key_is_not_indexed() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		KeyOwners::<Test>::remove(0, key_of(11));
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_pair_that_left_without_scheduled_pruning() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		set_eligible(0, 11, false);
		next_epoch();
		assert_eq!(ExposureIndex::<Test>::get(0, 11).last().unwrap().key, None);
		assert_ok!(Consumers::do_try_state());
		let _ = crate::PairPruning::<Test>::clear(u32::MAX, None);
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_wrong_exposure_total() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		ExposureCheckpoints::<Test>::mutate((0, 11, 1), |e: &mut Option<Exposure<Test>>| {
			e.as_mut().unwrap().total += 1
		});
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_rewards_owed_beyond_what_was_paid_in() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		crate::OperatorRewards::<Test>::insert(11, 1);
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_rewards_account_holding_too_little() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		<Balances as Mutate<_>>::set_balance(&Consumers::rewards_account(), ED);
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_set_member_without_reward_record() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		crate::Members::<Test>::remove(11, 0);
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_member_record_with_another_power() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		crate::Members::<Test>::mutate(11, 0, |m| m.as_mut().unwrap().power -= 1);
		assert!(Consumers::do_try_state().is_err());
	});
}
