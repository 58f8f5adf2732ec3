//! Commission changes: decreases at once, increases after `CommissionChangeDelay`.

use crate::{mock::*, Error, Event, PendingCommission, Schedule, ScheduledChange};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;

fn pct(n: u32) -> Perbill {
	Perbill::from_percent(n)
}

#[test]
fn decrease_applies_at_once() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		set_epoch(5);
		operator_events();

		assert_ok!(Operators::set_commission(RuntimeOrigin::signed(1), pct(4)));

		assert_eq!(record(1).commission, pct(4));
		assert_eq!(Operators::commission_at(&1, 5), Some(pct(4)));
		assert_eq!(
			operator_events(),
			vec![Event::CommissionChanged { operator: 1, commission: pct(4), epoch: 5 }]
		);
	});
}

#[test]
fn increase_applies_only_after_the_delay() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an operator at 10% in epoch 0.
		register(1, 200);
		operator_events();

		// When it raises its commission to 20%.
		assert_ok!(Operators::set_commission(RuntimeOrigin::signed(1), pct(20)));

		// Then it is scheduled for epoch 0 + COMMISSION_DELAY.
		assert_eq!(
			operator_events(),
			vec![Event::CommissionIncreaseScheduled {
				operator: 1,
				commission: pct(20),
				effective_epoch: COMMISSION_DELAY,
			}]
		);
		assert_eq!(
			record(1).pending_commission,
			Some(PendingCommission { commission: pct(20), effective: COMMISSION_DELAY })
		);
		assert!(Schedule::<Test>::contains_key(COMMISSION_DELAY, (1, ScheduledChange::Commission)));

		// Not applied at delay - 1.
		start_epoch(COMMISSION_DELAY - 1);
		assert_eq!(Operators::commission_at(&1, COMMISSION_DELAY - 1), Some(pct(10)));
		assert_eq!(record(1).commission, pct(10));
		assert!(operator_events().is_empty());

		// Applied at the delay: lazily for queries, then finalised by the epoch hook.
		set_epoch(COMMISSION_DELAY);
		assert_eq!(Operators::commission_at(&1, COMMISSION_DELAY), Some(pct(20)));
		start_epoch(COMMISSION_DELAY);
		assert_eq!(record(1).commission, pct(20));
		assert_eq!(record(1).pending_commission, None);
		assert_eq!(
			operator_events(),
			vec![Event::CommissionChanged {
				operator: 1,
				commission: pct(20),
				epoch: COMMISSION_DELAY,
			}]
		);
		assert!(!Schedule::<Test>::contains_key(
			COMMISSION_DELAY,
			(1, ScheduledChange::Commission)
		));
	});
}

#[test]
fn due_increase_is_finalised_by_any_call_touching_the_operator() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		assert_ok!(Operators::set_commission(RuntimeOrigin::signed(1), pct(30)));
		// The epoch hook is not run for epoch 2.
		set_epoch(COMMISSION_DELAY + 1);
		operator_events();

		assert_ok!(Operators::update_metadata(RuntimeOrigin::signed(1), metadata(b"x")));

		assert_eq!(record(1).commission, pct(30));
		assert_eq!(
			operator_events(),
			vec![
				Event::CommissionChanged {
					operator: 1,
					commission: pct(30),
					epoch: COMMISSION_DELAY
				},
				Event::MetadataUpdated { operator: 1, metadata: metadata(b"x") },
			]
		);
	});
}

#[test]
fn decrease_cancels_a_pending_increase() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		assert_ok!(Operators::set_commission(RuntimeOrigin::signed(1), pct(30)));
		set_epoch(1);
		assert_ok!(Operators::set_commission(RuntimeOrigin::signed(1), pct(5)));

		assert_eq!(record(1).commission, pct(5));
		assert_eq!(record(1).pending_commission, None);
		// The stale schedule entry does nothing when its epoch comes.
		operator_events();
		start_epoch(COMMISSION_DELAY);
		assert_eq!(Operators::commission_at(&1, COMMISSION_DELAY), Some(pct(5)));
		assert!(operator_events().is_empty());
	});
}

#[test]
fn a_second_increase_replaces_the_first_and_restarts_the_delay() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		assert_ok!(Operators::set_commission(RuntimeOrigin::signed(1), pct(30)));
		set_epoch(1);
		assert_ok!(Operators::set_commission(RuntimeOrigin::signed(1), pct(20)));

		assert_eq!(
			record(1).pending_commission,
			Some(PendingCommission { commission: pct(20), effective: 1 + COMMISSION_DELAY })
		);
		start_epoch(COMMISSION_DELAY);
		assert_eq!(record(1).commission, pct(10));
		assert_eq!(Operators::commission_at(&1, COMMISSION_DELAY), Some(pct(10)));
		start_epoch(1 + COMMISSION_DELAY);
		assert_eq!(record(1).commission, pct(20));
	});
}

#[test]
fn set_commission_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Operators::set_commission(RuntimeOrigin::signed(1), pct(5)),
			Error::<Test>::NotOperator
		);
		register(1, 200);
		assert_noop!(
			Operators::set_commission(RuntimeOrigin::signed(1), pct(51)),
			Error::<Test>::CommissionTooHigh
		);
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));
		assert_noop!(
			Operators::set_commission(RuntimeOrigin::signed(1), pct(5)),
			Error::<Test>::OperatorLeaving
		);
	});
}
