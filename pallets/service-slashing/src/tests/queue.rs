//! The execution queue: bounded per block by the budget and `MaxSlashesPerBlock`, spread over
//! blocks, nothing dropped.

use crate::{mock::*, EpochCursors, Event, OffenceKind, PendingSlashes, SlashesDue, WeightInfo};
use frame_support::{assert_ok, traits::Get, weights::Weight};
use palisade_primitives::{EpochHooks, EpochIndex};

/// Operators `31..31 + n`, each exposed to consumer 1 in `epoch` with own 100 and no pool,
/// each reported for downtime in `epoch`.
fn report_many(n: u64, epoch: EpochIndex) {
	for operator in 31..31 + n {
		set_bond(operator, 100);
		expose(epoch, CONSUMER, operator, 100, &[]);
		assert_ok!(report(operator, OffenceKind::Downtime, epoch));
	}
}

/// The slash ids executed since the last call, in order.
fn executed() -> Vec<u32> {
	slashing_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::SlashExecuted { slash_id, .. } => Some(slash_id),
			_ => None,
		})
		.collect()
}

/// A budget for exactly two slashes without pools.
fn budget_for_two() -> Weight {
	<() as WeightInfo>::execute_slashes(1, MAX_POOLS) + <() as WeightInfo>::execute_slashes(1, 0)
}

#[test]
fn at_most_max_slashes_per_block_execute_and_the_rest_wait() {
	ExtBuilder::default().build_and_execute(|| {
		// Given 10 slashes due at epoch 3 and at most 4 per block.
		report_many(10, 0);
		slashing_events();

		// When epoch 3 starts, then in each following block.
		start_epoch(3);
		assert_eq!(executed().len(), 4);
		assert_eq!(PendingSlashes::<Test>::iter().count(), 6);

		// The same block's idle work executes no more.
		<ServiceSlashing as EpochHooks>::on_idle_epoch_work(3, Weight::MAX);
		assert!(executed().is_empty());

		next_block();
		<ServiceSlashing as EpochHooks>::on_idle_epoch_work(3, Weight::MAX);
		assert_eq!(executed().len(), 4);
		next_block();
		<ServiceSlashing as EpochHooks>::on_idle_epoch_work(3, Weight::MAX);
		assert_eq!(executed().len(), 2);

		// Then all 10 executed, each exactly once.
		assert_eq!(PendingSlashes::<Test>::iter().count(), 0);
		assert_eq!(SlashesDue::<Test>::iter().count(), 0);
		let mut slashed: Vec<_> =
			MockOperators::bond_slashes().into_iter().map(|slash| slash.who).collect();
		slashed.sort();
		assert_eq!(slashed, (31..41).collect::<Vec<_>>());
		assert_eq!(EpochCursors::<Test>::get().next_due, 4);
	});
}

#[test]
fn a_small_budget_spreads_the_queue_over_blocks() {
	ExtBuilder::default().build_and_execute(|| {
		// Given 5 slashes due at epoch 3 and a budget for two per block.
		report_many(5, 0);
		slashing_events();
		next_block();
		set_epoch(3);

		// The epoch start executes two, and reports the weight it used.
		let used = <ServiceSlashing as EpochHooks>::on_epoch_start(3, budget_for_two());
		assert_eq!(executed().len(), 2);
		assert!(used.all_lte(budget_for_two()));
		assert_eq!(used, <() as WeightInfo>::execute_slashes(1, 0).saturating_mul(2));

		// Each later block two more, then the last one.
		for expected in [2, 1, 0] {
			next_block();
			<ServiceSlashing as EpochHooks>::on_idle_epoch_work(3, budget_for_two());
			assert_eq!(executed().len(), expected);
		}
		assert_eq!(PendingSlashes::<Test>::iter().count(), 0);
		assert_eq!(MockOperators::bond_slashes().len(), 5);
	});
}

#[test]
fn no_budget_executes_nothing_and_drops_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		report_many(3, 0);
		slashing_events();
		next_block();
		set_epoch(3);
		// Not even enough for the worst case of one slash.
		let tiny = <() as WeightInfo>::execute_slashes(1, MAX_POOLS) - Weight::from_parts(1, 1);
		assert_eq!(
			<ServiceSlashing as EpochHooks>::on_epoch_start(3, Weight::zero()),
			Weight::zero()
		);
		<ServiceSlashing as EpochHooks>::on_idle_epoch_work(3, tiny);
		assert!(executed().is_empty());
		assert_eq!(PendingSlashes::<Test>::iter().count(), 3);
		assert_eq!(SlashesDue::<Test>::iter_prefix(3).count(), 3);
		// Still there epochs later, and executed as soon as there is room.
		start_epoch(5);
		assert_eq!(executed().len(), 3);
	});
}

#[test]
fn a_backlog_executes_before_later_due_slashes() {
	ExtBuilder::default().build_and_execute(|| {
		// Given 3 slashes due at 3 (reported in epoch 0) and 3 due at 4 (reported in epoch 1),
		report_many(3, 0);
		set_epoch(1);
		(41..44).for_each(|operator| {
			set_bond(operator, 100);
			expose(1, CONSUMER, operator, 100, &[]);
			assert_ok!(report(operator, OffenceKind::Downtime, 1));
		});
		// and no room to execute anything in epoch 3.
		next_block();
		set_epoch(3);
		<ServiceSlashing as EpochHooks>::on_epoch_start(3, Weight::zero());
		assert_eq!(EpochCursors::<Test>::get().next_due, 3);
		slashing_events();

		// When epoch 4 starts (4 per block), the epoch-3 slashes (ids 0..3) go first.
		start_epoch(4);
		assert_eq!(executed(), vec![0, 1, 2, 3]);
		next_block();
		<ServiceSlashing as EpochHooks>::on_idle_epoch_work(4, Weight::MAX);
		assert_eq!(executed(), vec![4, 5]);
		assert_eq!(PendingSlashes::<Test>::iter().count(), 0);
	});
}

#[test]
fn slashes_execute_in_report_order() {
	ExtBuilder::default().build_and_execute(|| {
		// Attack (issue items 3, 4): with hashed-id order, junk reports filed after a real one
		// could execute before it and use up the block (or the throttle). After: FIFO.
		report_many(10, 0);
		slashing_events();
		start_epoch(3);
		assert_eq!(executed(), vec![0, 1, 2, 3]);
		next_block_work(3);
		assert_eq!(executed(), vec![4, 5, 6, 7]);
		next_block_work(3);
		assert_eq!(executed(), vec![8, 9]);
	});
}

#[test]
fn a_cancelled_slash_leaves_a_hole_that_is_skipped() {
	ExtBuilder::default().build_and_execute(|| {
		report_many(3, 0);
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 1));
		slashing_events();
		start_epoch(3);
		assert_eq!(executed(), vec![0, 2]);
		assert_eq!(crate::DueQueueEnds::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_lowered_veto_delay_executes_by_due_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		// Slash 0 due at 3; governance lowers the veto delay to 1; slash 1 (reported at 1)
		// is due at 2 and executes first.
		report_many(1, 0);
		set_epoch(1);
		assert_ok!(ServiceSlashing::set_slashing_params(
			RuntimeOrigin::root(),
			crate::SlashingParams { veto_delay: 1, ..default_params() }
		));
		set_bond(50, 100);
		expose(1, CONSUMER, 50, 100, &[]);
		assert_ok!(report(50, OffenceKind::Downtime, 1));
		slashing_events();
		start_epoch(2);
		assert_eq!(executed(), vec![1]);
		start_epoch(3);
		assert_eq!(executed(), vec![0]);
	});
}

#[test]
fn an_idle_call_with_nothing_due_costs_one_read() {
	ExtBuilder::default().build_and_execute(|| {
		let read = <<Test as frame_system::Config>::DbWeight as Get<
			frame_support::weights::RuntimeDbWeight,
		>>::get()
		.reads(1);
		start_epoch(1);
		assert_eq!(<ServiceSlashing as EpochHooks>::on_idle_epoch_work(1, Weight::MAX), read);
		// The cursor moved past the executed epochs.
		assert_eq!(EpochCursors::<Test>::get().next_due, 2);
	});
}

#[test]
fn the_cursor_skips_many_empty_epochs_over_several_calls() {
	ExtBuilder::default().build_and_execute(|| {
		// A slash due at 40, hooks first called at epoch 40 (e.g. the pallet was added late):
		// the cursor walks at most 16 empty epochs per call.
		set_epoch(37);
		expose(37, CONSUMER, OPERATOR, 100, &[]);
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 37));
		slashing_events();
		start_epoch(40);
		assert_eq!(EpochCursors::<Test>::get().next_due, 16);
		assert!(executed().is_empty());
		next_block();
		<ServiceSlashing as EpochHooks>::on_idle_epoch_work(40, Weight::MAX);
		next_block();
		<ServiceSlashing as EpochHooks>::on_idle_epoch_work(40, Weight::MAX);
		assert_eq!(executed().len(), 1);
		assert_eq!(EpochCursors::<Test>::get().next_due, 41);
	});
}
