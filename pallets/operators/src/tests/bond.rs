//! Bonding more, unbonding, withdrawing.

use crate::{mock::*, Error, Event, UnbondingChunk};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::TokenError;

#[test]
fn bond_extra_holds_more() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		operator_events();

		assert_ok!(Operators::bond_extra(RuntimeOrigin::signed(1), 50));

		assert_eq!(record(1).bond, 250);
		assert_eq!(held(1), 250);
		assert_eq!(free(1), 750);
		assert_eq!(operator_events(), vec![Event::Bonded { operator: 1, amount: 50, bond: 250 }]);
	});
}

#[test]
fn bond_extra_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Operators::bond_extra(RuntimeOrigin::signed(1), 50),
			Error::<Test>::NotOperator
		);
		register(1, 200);
		assert_noop!(Operators::bond_extra(RuntimeOrigin::signed(1), 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Operators::bond_extra(RuntimeOrigin::signed(1), 800),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn unbond_moves_bond_to_a_chunk_that_stays_held() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 300);
		set_epoch(2);
		operator_events();

		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 100));

		let r = record(1);
		assert_eq!(r.bond, 200);
		assert_eq!(
			r.unbonding.to_vec(),
			vec![UnbondingChunk { amount: 100, unlock_epoch: 2 + UNBONDING_DELAY }]
		);
		// Still held (and slashable), not free.
		assert_eq!(held(1), 300);
		assert_eq!(free(1), 700);
		assert_eq!(Operators::bond_of(&1), 200);
		assert_eq!(Operators::slashable_balance_of(&1), 300);
		assert_eq!(
			operator_events(),
			vec![Event::Unbonded {
				operator: 1,
				amount: 100,
				bond: 200,
				unlock_epoch: 2 + UNBONDING_DELAY,
			}]
		);
	});
}

#[test]
fn unbond_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Operators::unbond(RuntimeOrigin::signed(1), 10), Error::<Test>::NotOperator);
		register(1, 300);
		assert_noop!(Operators::unbond(RuntimeOrigin::signed(1), 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Operators::unbond(RuntimeOrigin::signed(1), 301),
			Error::<Test>::InsufficientBond
		);
		// Remaining 99 < MIN_BOND.
		assert_noop!(
			Operators::unbond(RuntimeOrigin::signed(1), 201),
			Error::<Test>::BondBelowMinimum
		);
		// Zero is only allowed while leaving.
		assert_noop!(
			Operators::unbond(RuntimeOrigin::signed(1), 300),
			Error::<Test>::BondBelowMinimum
		);
		// Down to exactly the minimum is fine.
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 200));
		assert_eq!(record(1).bond, MIN_BOND);
	});
}

#[test]
fn unbonds_of_the_same_epoch_share_a_chunk() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 300);
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 40));
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 60));
		assert_eq!(
			record(1).unbonding.to_vec(),
			vec![UnbondingChunk { amount: 100, unlock_epoch: UNBONDING_DELAY }]
		);
	});
}

#[test]
fn too_many_unbonding_chunks_fails() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 500);
		for epoch in 0..MAX_CHUNKS {
			set_epoch(epoch);
			assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 10));
		}
		set_epoch(MAX_CHUNKS);
		assert_noop!(
			Operators::unbond(RuntimeOrigin::signed(1), 10),
			Error::<Test>::TooManyUnbondingChunks
		);
		// Withdrawing the first unlocked chunk makes room.
		set_epoch(UNBONDING_DELAY);
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 10));
		assert_eq!(record(1).unbonding.len() as u32, MAX_CHUNKS);
	});
}

#[test]
fn withdraw_before_the_delay_fails_and_after_it_releases_exactly() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 300);
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 100));

		set_epoch(UNBONDING_DELAY - 1);
		assert_noop!(
			Operators::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);

		set_epoch(UNBONDING_DELAY);
		operator_events();
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));

		assert_eq!(free(1), 800);
		assert_eq!(held(1), 200);
		assert_eq!(record(1).bond, 200);
		assert!(record(1).unbonding.is_empty());
		assert_eq!(
			operator_events(),
			vec![Event::Withdrawn { operator: 1, amount: 100, unbonding: 0 }]
		);
		// Nothing more to take.
		assert_noop!(
			Operators::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);
	});
}

#[test]
fn withdraw_takes_only_the_unlocked_chunks() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 400);
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 100));
		set_epoch(2);
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 50));

		set_epoch(UNBONDING_DELAY);
		operator_events();
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));

		assert_eq!(free(1), 700);
		assert_eq!(held(1), 300);
		assert_eq!(
			record(1).unbonding.to_vec(),
			vec![UnbondingChunk { amount: 50, unlock_epoch: 2 + UNBONDING_DELAY }]
		);
		assert_eq!(
			operator_events(),
			vec![Event::Withdrawn { operator: 1, amount: 100, unbonding: 50 }]
		);
	});
}

#[test]
fn withdraw_by_non_operator_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Operators::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NotOperator
		);
	});
}
