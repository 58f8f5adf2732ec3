//! Jailing and slashing, as the slashing pallet does them through `OperatorRegistry`.

use crate::{
	mock::*, Error, Event, OperatorStatus, Schedule, ScheduledChange, SlashTarget, UnbondingChunk,
};
use frame_support::{assert_noop, assert_ok};
use palisade_primitives::OperatorRegistry;

type Registry = Operators;

fn opt_in(who: AccountId, consumer: u32, k: u8) {
	assert_ok!(Operators::opt_in(RuntimeOrigin::signed(who), consumer, key(k)));
}

#[test]
fn jail_makes_ineligible_until_the_given_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		opt_in(1, 1, 1);
		operator_events();

		// When jailed in epoch 0 until epoch 5.
		assert_ok!(<Registry as OperatorRegistry<_, _>>::jail(&1, 5));

		// Then the record is kept, jailed and not eligible before epoch 5.
		assert_eq!(record(1).status, OperatorStatus::Jailed { until: 5 });
		assert_eq!(operator_events(), vec![Event::Jailed { operator: 1, until: 5 }]);
		assert!(Schedule::<Test>::contains_key(5, (1, ScheduledChange::Unjail)));
		assert!(!Operators::is_active(&1));
		assert!(!Operators::is_eligible(&1, 1, 4));
		assert!(Operators::is_opted_in(&1, 1, 4));
		assert!(Operators::is_eligible(&1, 1, 5));

		// Not before epoch 5.
		start_epoch(4);
		assert!(!Operators::is_active(&1));
		assert!(operator_events().is_empty());

		// At epoch 5 it is active again; the hook writes it down.
		set_epoch(5);
		assert!(Operators::is_active(&1));
		start_epoch(5);
		assert_eq!(record(1).status, OperatorStatus::Active);
		assert_eq!(operator_events(), vec![Event::Unjailed { operator: 1, epoch: 5 }]);
	});
}

#[test]
fn jail_extends_but_never_shortens() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		assert_ok!(Operators::do_jail(&1, 5));
		assert_ok!(Operators::do_jail(&1, 3));
		assert_eq!(record(1).status, OperatorStatus::Jailed { until: 5 });
		assert_ok!(Operators::do_jail(&1, 7));
		assert_eq!(record(1).status, OperatorStatus::Jailed { until: 7 });
		// The stale unjail entry of epoch 5 does nothing.
		start_epoch(5);
		assert_eq!(record(1).status, OperatorStatus::Jailed { until: 7 });
		start_epoch(7);
		assert_eq!(record(1).status, OperatorStatus::Active);
	});
}

#[test]
fn jail_in_the_past_or_of_a_leaving_operator_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		set_epoch(3);
		operator_events();
		assert_ok!(Operators::do_jail(&1, 3));
		assert_eq!(record(1).status, OperatorStatus::Active);
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));
		assert_ok!(Operators::do_jail(&1, 10));
		assert_eq!(record(1).status, OperatorStatus::Leaving);
		assert!(!operator_events().iter().any(|e| matches!(e, Event::Jailed { .. })));
	});
}

#[test]
fn jail_of_non_operator_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Operators::do_jail(&1, 5), Error::<Test>::NotOperator);
	});
}

#[test]
fn slash_takes_from_the_bond_first() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 300);
		let issuance = Balances::total_issuance();
		operator_events();

		let taken = <Registry as OperatorRegistry<_, _>>::slash_bond(&1, 50);

		assert_eq!(taken, 50);
		assert_eq!(record(1).bond, 250);
		assert_eq!(held(1), 250);
		assert_eq!(free(1), 700);
		// `OnSlash = ()`: burnt.
		assert_eq!(Balances::total_issuance(), issuance - 50);
		assert_eq!(
			operator_events(),
			vec![Event::BondSlashed {
				operator: 1,
				requested: 50,
				from_bond: 50,
				from_unbonding: 0,
				bond: 250,
			}]
		);
	});
}

#[test]
fn slash_then_takes_unbonding_chunks_latest_first() {
	ExtBuilder::default().build_and_execute(|| {
		// Given bond 300 and chunks of 100 (unlock 4) and 100 (unlock 5).
		register(1, 500);
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 100));
		set_epoch(1);
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 100));
		operator_events();

		// When 450 is slashed.
		let taken = Operators::do_slash_bond(&1, 450, SlashTarget::OnSlash);

		// Then the bond (300), the latest chunk (100) and 50 of the oldest are taken.
		assert_eq!(taken, 450);
		let r = record(1);
		assert_eq!(r.bond, 0);
		assert_eq!(
			r.unbonding.to_vec(),
			vec![UnbondingChunk { amount: 50, unlock_epoch: UNBONDING_DELAY }]
		);
		assert_eq!(held(1), 50);
		assert_eq!(
			operator_events(),
			vec![Event::BondSlashed {
				operator: 1,
				requested: 450,
				from_bond: 300,
				from_unbonding: 150,
				bond: 0,
			}]
		);
		// What is left is still withdrawable.
		set_epoch(UNBONDING_DELAY);
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), 550);
		assert_eq!(held(1), 0);
	});
}

#[test]
fn slash_is_capped_at_what_is_held() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 300);
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 100));

		assert_eq!(Operators::do_slash_bond(&1, 1_000, SlashTarget::OnSlash), 300);

		assert_eq!(held(1), 0);
		let r = record(1);
		assert_eq!(r.bond, 0);
		assert!(r.unbonding.is_empty());
		// Nothing left: a second slash takes nothing and emits nothing.
		operator_events();
		assert_eq!(Operators::do_slash_bond(&1, 10, SlashTarget::OnSlash), 0);
		assert!(operator_events().is_empty());
	});
}

#[test]
fn slash_of_non_operator_or_zero_takes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Operators::do_slash_bond(&1, 100, SlashTarget::OnSlash), 0);
		register(1, 300);
		operator_events();
		assert_eq!(Operators::do_slash_bond(&1, 0, SlashTarget::OnSlash), 0);
		assert!(operator_events().is_empty());
		assert_eq!(held(1), 300);
	});
}

#[test]
fn slashed_below_minimum_is_not_eligible_until_topped_up() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 150);
		opt_in(1, 1, 1);
		assert_eq!(Operators::do_slash_bond(&1, 100, SlashTarget::OnSlash), 100);
		assert!(!Operators::is_eligible(&1, 1, 0));
		assert!(Operators::is_active(&1));
		assert_ok!(Operators::bond_extra(RuntimeOrigin::signed(1), 50));
		assert!(Operators::is_eligible(&1, 1, 0));
	});
}

#[test]
fn jailed_operator_can_bond_and_opt_in_but_not_deregister() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		assert_ok!(Operators::do_jail(&1, 3));
		assert_ok!(Operators::bond_extra(RuntimeOrigin::signed(1), 10));
		opt_in(1, 1, 1);
		assert!(!Operators::is_eligible(&1, 1, 2));
		assert_noop!(
			Operators::deregister(RuntimeOrigin::signed(1)),
			Error::<Test>::OperatorJailed
		);
		// Once the jail is over (lazily, without the hook) it can.
		set_epoch(3);
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));
	});
}
