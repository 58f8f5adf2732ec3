//! Leaving the registry, down to the removal of the record.

use crate::{
	mock::*, ConsumerOperators, Error, Event, KeyOwners, OperatorRecords, OperatorStatus, OptIns,
	SlashTarget,
};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;

fn opt_in(who: AccountId, consumer: u32, k: u8) {
	assert_ok!(Operators::opt_in(RuntimeOrigin::signed(who), consumer, key(k)));
}

#[test]
fn full_lifecycle_down_to_record_removal() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an operator opted in to consumers 1 and 2.
		register(1, 300);
		opt_in(1, 1, 1);
		opt_in(1, 2, 2);
		set_epoch(1);
		operator_events();

		// When it deregisters in epoch 1.
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));

		// Then it is leaving every consumer.
		let effective = 1 + OPT_OUT_DELAY;
		assert_eq!(record(1).status, OperatorStatus::Leaving);
		assert_eq!(
			operator_events(),
			vec![
				Event::OptOutScheduled { operator: 1, consumer: 1, effective_epoch: effective },
				Event::OptOutScheduled { operator: 1, consumer: 2, effective_epoch: effective },
				Event::Deregistered { operator: 1, epoch: 1 },
			]
		);
		assert!(!Operators::is_active(&1));
		assert!(!Operators::is_eligible(&1, 1, 1));
		assert!(Operators::is_opted_in(&1, 1, effective - 1));

		// It unbonds its whole bond (zero is allowed while leaving).
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 300));
		let unlock = 1 + UNBONDING_DELAY;
		assert_eq!(held(1), 300);

		// The opt-outs take effect first (UnbondingDelay >= OptOutDelay) ...
		start_epoch(effective);
		assert_eq!(OptIns::<Test>::iter().count(), 0);
		assert_eq!(KeyOwners::<Test>::iter().count(), 0);
		assert_eq!(ConsumerOperators::<Test>::iter().count(), 0);
		assert!(record(1).consumers.is_empty());
		// ... but the bond is not withdrawable before the unbonding delay.
		set_epoch(unlock - 1);
		assert_noop!(
			Operators::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);

		// When it withdraws at the unlock epoch, everything is released and the record removed.
		set_epoch(unlock);
		operator_events();
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), 1_000);
		assert_eq!(held(1), 0);
		assert!(!OperatorRecords::<Test>::contains_key(1));
		assert_eq!(OperatorRecords::<Test>::count(), 0);
		assert_eq!(
			operator_events(),
			vec![
				Event::Withdrawn { operator: 1, amount: 300, unbonding: 0 },
				Event::OperatorRemoved { operator: 1 },
			]
		);

		// The account may register afresh, with a fresh key (its old keys stay used).
		register(1, 200);
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(1), 1, key(1)),
			Error::<Test>::KeyAlreadyUsed
		);
		opt_in(1, 1, 3);
	});
}

#[test]
fn withdraw_finalises_due_opt_outs_without_the_epoch_hook() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 300);
		opt_in(1, 1, 1);
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 300));
		// No hook ran at all.
		set_epoch(UNBONDING_DELAY);
		operator_events();

		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));

		assert_eq!(
			operator_events(),
			vec![
				Event::OptedOut { operator: 1, consumer: 1, epoch: OPT_OUT_DELAY },
				Event::Withdrawn { operator: 1, amount: 300, unbonding: 0 },
				Event::OperatorRemoved { operator: 1 },
			]
		);
		assert_eq!(OptIns::<Test>::iter().count(), 0);
		assert!(!OperatorRecords::<Test>::contains_key(1));
	});
}

#[test]
fn record_stays_until_every_opt_out_took_effect() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a leaving operator slashed to zero while its opt-out is pending.
		register(1, 300);
		opt_in(1, 1, 1);
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));
		assert_eq!(Operators::do_slash_bond(&1, 300, SlashTarget::OnSlash), 300);

		// Nothing to withdraw and an opt-out pending: the record stays.
		set_epoch(OPT_OUT_DELAY - 1);
		assert_noop!(
			Operators::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);

		// Once the opt-out took effect, the record goes.
		set_epoch(OPT_OUT_DELAY);
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert!(!OperatorRecords::<Test>::contains_key(1));
		assert_eq!(free(1), 700);
	});
}

#[test]
fn leaving_operator_restrictions() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 300);
		opt_in(1, 1, 1);
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));

		assert_noop!(
			Operators::deregister(RuntimeOrigin::signed(1)),
			Error::<Test>::OperatorLeaving
		);
		assert_noop!(
			Operators::bond_extra(RuntimeOrigin::signed(1), 10),
			Error::<Test>::OperatorLeaving
		);
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(1), 2, key(2)),
			Error::<Test>::OperatorLeaving
		);
		assert_noop!(
			Operators::set_commission(RuntimeOrigin::signed(1), Perbill::zero()),
			Error::<Test>::OperatorLeaving
		);
		assert_noop!(Operators::opt_out(RuntimeOrigin::signed(1), 1), Error::<Test>::OptOutPending);
		// Unbonding to a non-zero amount below the minimum is refused, even while leaving.
		assert_noop!(
			Operators::unbond(RuntimeOrigin::signed(1), 250),
			Error::<Test>::BondBelowMinimum
		);
		// Metadata may still change.
		assert_ok!(Operators::update_metadata(RuntimeOrigin::signed(1), metadata(b"bye")));
	});
}

#[test]
fn deregister_keeps_an_earlier_opt_out() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 300);
		opt_in(1, 1, 1);
		opt_in(1, 2, 2);
		assert_ok!(Operators::opt_out(RuntimeOrigin::signed(1), 1));
		set_epoch(2);
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));
		assert_eq!(OptIns::<Test>::get(1, 1).unwrap().leaving_at, Some(OPT_OUT_DELAY));
		assert_eq!(OptIns::<Test>::get(1, 2).unwrap().leaving_at, Some(2 + OPT_OUT_DELAY));
	});
}

#[test]
fn deregister_by_non_operator_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Operators::deregister(RuntimeOrigin::signed(1)), Error::<Test>::NotOperator);
	});
}
