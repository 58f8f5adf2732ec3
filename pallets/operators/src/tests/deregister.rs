//! Leaving the registry, down to the removal of the record.

use crate::{
	mock::*, ConsumerOperators, Error, Event, KeyOwners, OperatorRecords, OperatorStatus, OptIns,
	Schedule, ScheduledChange, ScheduledCount, SlashTarget,
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
			vec![Event::Deregistered { operator: 1, epoch: 1, effective_epoch: effective }]
		);
		assert!(!Operators::is_active(&1));
		assert!(!Operators::is_eligible(&1, 1, 1));
		assert!(Operators::is_opted_in(&1, 1, effective - 1));
		assert!(!Operators::is_opted_in(&1, 1, effective));
		assert_eq!(Operators::consumer_key_at(&1, 2, effective - 1), Some(key(2)));
		assert_eq!(Operators::consumer_key_at(&1, 2, effective), None);

		// It unbonds its whole bond (zero is allowed while leaving).
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 300));
		let unlock = 1 + UNBONDING_DELAY;
		assert_eq!(held(1), 300);

		// The opt-outs take effect first (UnbondingDelay >= OptOutDelay) ...
		operator_events();
		start_epoch(effective);
		assert_eq!(
			operator_events(),
			vec![
				Event::OptedOut { operator: 1, consumer: 1, epoch: effective },
				Event::OptedOut { operator: 1, consumer: 2, epoch: effective },
			]
		);
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
fn withdraw_leaves_opt_outs_to_the_epoch_finalisation() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a leaving operator whose opt-out is due but not finalised yet (no hook ran).
		register(1, 300);
		opt_in(1, 1, 1);
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 300));
		set_epoch(UNBONDING_DELAY);
		operator_events();

		// When it withdraws: the funds are released, the opt-in is not touched (O(1) call),
		// so the record stays.
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(
			operator_events(),
			vec![Event::Withdrawn { operator: 1, amount: 300, unbonding: 0 }]
		);
		assert_eq!(free(1), 1_000);
		assert!(OptIns::<Test>::contains_key(1, 1));
		assert!(OperatorRecords::<Test>::contains_key(1));
		// Still, the opt-out applies to every query already.
		assert!(!Operators::is_opted_in(&1, 1, OPT_OUT_DELAY));
		assert_noop!(
			Operators::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);

		// Then the finalisation (here the backlog in the next block) removes the opt-in, and
		// the next withdrawal removes the record.
		next_block();
		assert_eq!(
			operator_events(),
			vec![Event::OptedOut { operator: 1, consumer: 1, epoch: OPT_OUT_DELAY }]
		);
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(operator_events(), vec![Event::OperatorRemoved { operator: 1 }]);
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
		start_epoch(OPT_OUT_DELAY - 1);
		assert_noop!(
			Operators::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);

		// Once the opt-out took effect (and was finalised), the record goes.
		start_epoch(OPT_OUT_DELAY);
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert!(!OperatorRecords::<Test>::contains_key(1));
		assert_eq!(free(1), 700);
	});
}

#[test]
fn deregister_is_one_write_whatever_the_opt_ins() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an operator opted in to every consumer it may (MaxOptIns), one with a pending
		// key rotation.
		MockConsumerRegistry::set_consumers(vec![1, 2, 3]);
		register(1, 300);
		opt_in(1, 1, 1);
		opt_in(1, 2, 2);
		opt_in(1, 3, 3);
		assert_ok!(Operators::set_consumer_key(RuntimeOrigin::signed(1), 3, key(4)));
		let opt_ins_before: Vec<_> = OptIns::<Test>::iter().collect();
		let scheduled_before = Schedule::<Test>::iter().count();

		// When it deregisters.
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));

		// Then no opt-in was written and one change was scheduled for them all ...
		let effective = OPT_OUT_DELAY;
		assert_eq!(OptIns::<Test>::iter().collect::<Vec<_>>(), opt_ins_before);
		assert_eq!(Schedule::<Test>::iter().count(), scheduled_before + 1);
		assert!(Schedule::<Test>::contains_key(effective, (1, ScheduledChange::Deregistration)));
		assert_eq!(record(1).leaving_at, Some(effective));
		// ... yet every opt-in reads as leaving at that epoch, slashable until then.
		for consumer in 1..=3 {
			let opt_in = Operators::opt_in_of(&1, consumer).unwrap();
			assert_eq!(opt_in.leaving_at, Some(effective));
			assert!(Operators::is_opted_in(&1, consumer, effective - 1));
			assert!(!Operators::is_opted_in(&1, consumer, effective));
			assert!(!Operators::is_eligible(&1, consumer, 0));
		}
		assert!(Operators::opted_in_operators_at(1, effective).is_empty());
		assert_eq!(Operators::opted_in_operators_at(1, effective - 1).len(), 1);

		// When the epoch comes, one finalisation removes every opt-in and key.
		start_epoch(1);
		start_epoch(effective);
		assert_eq!(OptIns::<Test>::iter().count(), 0);
		assert_eq!(KeyOwners::<Test>::iter().count(), 0);
		assert_eq!(ConsumerOperators::<Test>::iter().count(), 0);
		assert!(record(1).consumers.is_empty());
		assert_eq!(Schedule::<Test>::iter().count(), 0);
	});
}

#[test]
fn deregistration_finalisation_is_spread_within_the_block_budget() {
	// MaxFinalisedPerBlock is 8 in the mock: seven operators opt out of consumer 1 and one
	// operator with three opt-ins deregisters, all due at the same epoch: 10 units of work.
	ExtBuilder::default().with_consumers(vec![1, 2, 3]).build_and_execute(|| {
		register(1, 300);
		opt_in(1, 1, 1);
		opt_in(1, 2, 2);
		opt_in(1, 3, 3);
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));
		for who in 2..=4u64 {
			register(who, 100);
			for consumer in 1..=2u32 {
				opt_in(who, consumer, (who as u8) * 10 + consumer as u8);
				assert_ok!(Operators::opt_out(RuntimeOrigin::signed(who), consumer));
			}
		}
		register(5, 100);
		opt_in(5, 3, 50);
		assert_ok!(Operators::opt_out(RuntimeOrigin::signed(5), 3));
		assert_eq!(ScheduledCount::<Test>::get(OPT_OUT_DELAY), 8);

		// The epoch start does at most 8 units; the rest waits for the next block.
		start_epoch(OPT_OUT_DELAY);
		let left_after_start = OptIns::<Test>::iter().count();
		assert_eq!(left_after_start, 10 - MAX_FINALISED as usize);
		assert!(ScheduledCount::<Test>::get(OPT_OUT_DELAY) > 0);
		next_block();
		assert_eq!(OptIns::<Test>::iter().count(), 0);
		assert_eq!(ScheduledCount::<Test>::get(OPT_OUT_DELAY), 0);
		assert!(record(1).consumers.is_empty());
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
		assert_eq!(Operators::opt_in_of(&1, 1).unwrap().leaving_at, Some(OPT_OUT_DELAY));
		assert_eq!(Operators::opt_in_of(&1, 2).unwrap().leaving_at, Some(2 + OPT_OUT_DELAY));
		// The earlier opt-out is finalised at its own epoch, the other at the deregistration's.
		start_epoch(OPT_OUT_DELAY);
		assert_eq!(record(1).consumers.to_vec(), vec![2]);
		start_epoch(2 + OPT_OUT_DELAY);
		assert!(record(1).consumers.is_empty());
	});
}

#[test]
fn deregister_by_non_operator_fails() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(Operators::deregister(RuntimeOrigin::signed(1)), Error::<Test>::NotOperator);
	});
}

#[test]
fn stale_deregistration_of_a_registered_again_operator_does_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an operator that opted out of consumer 1 itself, then deregistered (its
		// deregistration scheduled at 1 + OPT_OUT_DELAY), was slashed to zero and removed
		// before that epoch, and registered again with an opt-in.
		register(1, 300);
		opt_in(1, 1, 1);
		assert_ok!(Operators::opt_out(RuntimeOrigin::signed(1), 1));
		set_epoch(1);
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));
		assert_eq!(Operators::do_slash_bond(&1, 300, SlashTarget::OnSlash), 300);
		start_epoch(OPT_OUT_DELAY);
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert!(!OperatorRecords::<Test>::contains_key(1));
		register(1, 200);
		opt_in(1, 2, 2);

		// When the stale deregistration's epoch starts, the new opt-in is kept.
		start_epoch(1 + OPT_OUT_DELAY);
		assert!(OptIns::<Test>::contains_key(1, 2));
		assert_eq!(record(1).consumers.to_vec(), vec![2]);
		assert!(Operators::is_eligible(&1, 2, 1 + OPT_OUT_DELAY));
		assert_eq!(Schedule::<Test>::iter().count(), 0);
	});
}
