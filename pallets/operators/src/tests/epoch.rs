//! The per-epoch schedule and its finalisation hook.

use crate::{
	mock::*, weights::WeightInfo, FinaliseCursor, Schedule, ScheduledChange, ScheduledCount,
};
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
fn more_changes_than_a_block_finalises_complete_in_the_next_blocks() {
	ExtBuilder::default().build_and_execute(|| {
		// Given 9 increases for the same epoch, with 8 finalised per block.
		for who in 1..=9 {
			register(who, 200);
			assert_ok!(Operators::set_commission(
				RuntimeOrigin::signed(who),
				Perbill::from_percent(20)
			));
		}
		assert_eq!(ScheduledCount::<Test>::get(COMMISSION_DELAY), 9);

		// When the epoch starts, 8 are finalised.
		set_epoch(COMMISSION_DELAY);
		let weight = Operators::on_epoch_start(COMMISSION_DELAY);
		assert!(weight.all_gte(<() as WeightInfo>::on_new_epoch(8)));
		assert_eq!(ScheduledCount::<Test>::get(COMMISSION_DELAY), 1);
		assert_eq!(FinaliseCursor::<Test>::get(), COMMISSION_DELAY);
		// The 9th already applies (lazily).
		let late = (1..=9)
			.find(|who| record(*who).commission == Perbill::from_percent(10))
			.expect("one is left for the next block");
		assert_eq!(
			Operators::commission_at(&late, COMMISSION_DELAY),
			Some(Perbill::from_percent(20))
		);

		// Then the next block's `on_initialize` finalises the 9th.
		next_block();
		assert_eq!(record(late).commission, Perbill::from_percent(20));
		assert_eq!(ScheduledCount::<Test>::get(COMMISSION_DELAY), 0);
		assert_eq!(Schedule::<Test>::iter().count(), 0);
		assert_eq!(FinaliseCursor::<Test>::get(), COMMISSION_DELAY + 1);
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
