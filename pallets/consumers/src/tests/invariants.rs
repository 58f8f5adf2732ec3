//! The invariant checker catches corrupted storage, and the configuration passes
//! `integrity_test`.

use crate::{mock::*, ConsumerRecords, Exposure, Exposures};
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
fn try_state_detects_an_exposure_outside_the_published_set() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		let mut exposure = Exposures::<Test>::get((1, 0, 11)).unwrap();
		exposure.key = key_of(12);
		Exposures::<Test>::insert((1, 0, 12), exposure);
		crate::ExposureKeys::<Test>::insert((1, 0, key_of(12)), 12);
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_member_without_exposure() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		Exposures::<Test>::remove((1, 0, 11));
		crate::ExposureKeys::<Test>::remove((1, 0, key_of(11)));
		assert!(Consumers::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_wrong_exposure_total() {
	ExtBuilder::default().build().execute_with(|| {
		active();
		Exposures::<Test>::mutate((1, 0, 11), |e: &mut Option<Exposure<Test>>| {
			e.as_mut().unwrap().total += 1
		});
		assert!(Consumers::do_try_state().is_err());
	});
}
