//! Registration and metadata.

use crate::{mock::*, Error, Event, OperatorRecords, OperatorStatus};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{Perbill, TokenError};

#[test]
fn register_holds_the_bond_and_stores_the_record() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an account with 1_000 free.
		assert_eq!(free(1), 1_000);

		// When it registers with a bond of 300.
		assert_ok!(Operators::register_operator(
			RuntimeOrigin::signed(1),
			300,
			Perbill::from_percent(10),
			metadata(b"alice"),
		));

		// Then 300 is held for the bond and the record is active.
		assert_eq!(free(1), 700);
		assert_eq!(held(1), 300);
		let r = record(1);
		assert_eq!(r.status, OperatorStatus::Active);
		assert_eq!(r.bond, 300);
		assert!(r.unbonding.is_empty());
		assert_eq!(r.commission, Perbill::from_percent(10));
		assert_eq!(r.pending_commission, None);
		assert!(r.consumers.is_empty());
		assert_eq!(r.metadata, metadata(b"alice"));
		assert_eq!(r.registered_at, 0);
		assert_eq!(OperatorRecords::<Test>::count(), 1);
		assert_eq!(
			operator_events(),
			vec![Event::OperatorRegistered {
				operator: 1,
				bond: 300,
				commission: Perbill::from_percent(10),
				epoch: 0,
			}]
		);
	});
}

#[test]
fn register_at_exact_minimum_and_maximum_commission() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(Operators::register_operator(
			RuntimeOrigin::signed(1),
			MIN_BOND,
			MaxCommission::get(),
			metadata(b""),
		));
		assert_eq!(held(1), MIN_BOND);
		assert_eq!(record(1).commission, Perbill::from_percent(50));
	});
}

#[test]
fn register_below_minimum_bond_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Operators::register_operator(
				RuntimeOrigin::signed(1),
				MIN_BOND - 1,
				Perbill::zero(),
				metadata(b""),
			),
			Error::<Test>::BondBelowMinimum
		);
	});
}

#[test]
fn register_twice_fails() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		assert_noop!(
			Operators::register_operator(
				RuntimeOrigin::signed(1),
				200,
				Perbill::zero(),
				metadata(b""),
			),
			Error::<Test>::AlreadyRegistered
		);
		assert_eq!(held(1), 200);
	});
}

#[test]
fn register_with_commission_above_maximum_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Operators::register_operator(
				RuntimeOrigin::signed(1),
				200,
				Perbill::from_percent(51),
				metadata(b""),
			),
			Error::<Test>::CommissionTooHigh
		);
	});
}

#[test]
fn register_without_enough_free_balance_fails() {
	ExtBuilder::default().with_balances(vec![(1, 150)]).build_and_execute(|| {
		// The existential deposit must stay free: all 150 cannot be held.
		assert_noop!(
			Operators::register_operator(
				RuntimeOrigin::signed(1),
				150,
				Perbill::zero(),
				metadata(b""),
			),
			TokenError::FundsUnavailable
		);
		assert_ok!(Operators::register_operator(
			RuntimeOrigin::signed(1),
			149,
			Perbill::zero(),
			metadata(b""),
		));
		assert_eq!(free(1), 1);
		assert_eq!(held(1), 149);
	});
}

#[test]
fn register_requires_a_signed_origin() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Operators::register_operator(
				RuntimeOrigin::root(),
				200,
				Perbill::zero(),
				metadata(b""),
			),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn update_metadata_replaces_it() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		operator_events();

		assert_ok!(Operators::update_metadata(RuntimeOrigin::signed(1), metadata(b"new name")));

		assert_eq!(record(1).metadata, metadata(b"new name"));
		assert_eq!(
			operator_events(),
			vec![Event::MetadataUpdated { operator: 1, metadata: metadata(b"new name") }]
		);
	});
}

#[test]
fn update_metadata_by_non_operator_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Operators::update_metadata(RuntimeOrigin::signed(1), metadata(b"x")),
			Error::<Test>::NotOperator
		);
	});
}
