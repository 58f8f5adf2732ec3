//! The per-epoch schedule and its finalisation hook.

use crate::{mock::*, weights::WeightInfo, Schedule, ScheduledChange, ScheduledCount};
use frame_support::assert_ok;
use palisade_primitives::OperatorRegistry;
use sp_runtime::Perbill;

#[test]
fn the_same_change_is_scheduled_once() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		assert_ok!(Operators::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(20)));
		assert_ok!(Operators::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(30)));
		assert_eq!(ScheduledCount::<Test>::get(COMMISSION_DELAY), 1);
	});
}

#[test]
fn a_full_schedule_falls_back_to_lazy_finalisation() {
	ExtBuilder::default().build_and_execute(|| {
		// Given 9 increases for the same epoch, with room for 8.
		for who in 1..=9 {
			register(who, 200);
			assert_ok!(Operators::set_commission(
				RuntimeOrigin::signed(who),
				Perbill::from_percent(20)
			));
		}
		assert_eq!(ScheduledCount::<Test>::get(COMMISSION_DELAY), 8);
		assert!(!Schedule::<Test>::contains_key(
			COMMISSION_DELAY,
			(9, ScheduledChange::Commission)
		));

		// When the epoch starts, the 8 recorded ones are finalised.
		let weight = Operators::on_epoch_start(COMMISSION_DELAY);
		set_epoch(COMMISSION_DELAY);
		assert_eq!(weight, <() as WeightInfo>::on_new_epoch(8));
		for who in 1..=8 {
			assert_eq!(record(who).commission, Perbill::from_percent(20));
		}
		assert_eq!(ScheduledCount::<Test>::get(COMMISSION_DELAY), 0);
		// The 9th applies lazily, and is written down by the next call touching it.
		assert_eq!(record(9).commission, Perbill::from_percent(10));
		assert_eq!(Operators::commission_at(&9, COMMISSION_DELAY), Some(Perbill::from_percent(20)));
		assert_ok!(Operators::update_metadata(RuntimeOrigin::signed(9), metadata(b"x")));
		assert_eq!(record(9).commission, Perbill::from_percent(20));
	});
}

#[test]
fn on_new_epoch_through_the_trait_reports_the_weight_used() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		assert_ok!(Operators::opt_in(RuntimeOrigin::signed(1), 1, key(1)));
		assert_ok!(Operators::opt_out(RuntimeOrigin::signed(1), 1));
		let weight = <Operators as OperatorRegistry<_, _>>::on_new_epoch(OPT_OUT_DELAY);
		assert_eq!(weight, <() as WeightInfo>::on_new_epoch(1));
		// Nothing left for that epoch.
		assert_eq!(
			<Operators as OperatorRegistry<_, _>>::on_new_epoch(OPT_OUT_DELAY),
			<() as WeightInfo>::on_new_epoch(0)
		);
	});
}

#[test]
fn entries_of_a_removed_operator_are_ignored() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		assert_ok!(Operators::set_commission(RuntimeOrigin::signed(1), Perbill::from_percent(20)));
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 200));
		set_epoch(UNBONDING_DELAY);
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));
		// The commission entry of epoch 2 was left behind; a hook for it is harmless.
		assert!(Schedule::<Test>::contains_key(COMMISSION_DELAY, (1, ScheduledChange::Commission)));
		operator_events();
		Operators::on_epoch_start(COMMISSION_DELAY);
		assert!(operator_events().is_empty());
		assert_eq!(Schedule::<Test>::iter().count(), 0);
	});
}
