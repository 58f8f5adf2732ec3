//! Pruning the per-offence-epoch records once the exposures are gone.

use crate::{
	epoch::PRUNE_BATCH, mock::*, EpochCursors, OffenceKind, Reported, ReportedEquivocations,
	SlashSpan, SpanStarts, Spans, WeightInfo,
};
use frame_support::{assert_ok, weights::Weight};
use palisade_primitives::EpochHooks;
use sp_runtime::Perbill;

#[test]
fn records_are_kept_for_the_retention_then_pruned() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an executed report of epoch 0 and its span.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		ReportedEquivocations::<Test>::insert(0, (CONSUMER, key(1), 5, 1), 0);
		start_epoch(3);
		assert!(Spans::<Test>::contains_key(OPERATOR, CONSUMER));

		// Exposures of epoch 0 are kept through epoch 10 (retention 10): so are the records.
		start_epoch(10);
		assert!(Spans::<Test>::contains_key(OPERATOR, CONSUMER));
		assert!(Reported::<Test>::contains_key(0, (CONSUMER, OPERATOR, OffenceKind::Misbehaviour)));

		// From epoch 11 on they are pruned.
		start_epoch(11);
		assert_eq!(Spans::<Test>::iter().count(), 0);
		assert_eq!(SpanStarts::<Test>::iter().count(), 0);
		assert_eq!(Reported::<Test>::iter().count(), 0);
		assert_eq!(ReportedEquivocations::<Test>::iter().count(), 0);
		assert_eq!(EpochCursors::<Test>::get().prune_from, 1);
	});
}

#[test]
fn pruning_is_bounded_by_the_budget_and_resumes() {
	ExtBuilder::default().build_and_execute(|| {
		// Given 100 spans of epoch 0.
		for operator in 0..100u64 {
			let span = SlashSpan { start: 0, max: Perbill::from_percent(1) };
			Spans::<Test>::insert(1_000 + operator, CONSUMER, span);
			SpanStarts::<Test>::insert(0, (1_000 + operator, CONSUMER), ());
		}
		next_block();
		set_epoch(11);

		// A budget for one batch prunes one batch.
		let one_batch = <() as WeightInfo>::prune_records(PRUNE_BATCH);
		<ServiceSlashing as EpochHooks>::on_epoch_start(11, one_batch);
		assert_eq!(Spans::<Test>::iter().count(), 100 - PRUNE_BATCH as usize);
		assert_eq!(EpochCursors::<Test>::get().prune_from, 0);

		// The next call prunes the rest and moves on.
		next_block();
		<ServiceSlashing as EpochHooks>::on_idle_epoch_work(11, Weight::MAX);
		assert_eq!(Spans::<Test>::iter().count(), 0);
		assert_eq!(EpochCursors::<Test>::get().prune_from, 1);
	});
}

#[test]
fn a_pending_slash_of_a_pruned_epoch_still_executes() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a slash of epoch 0 held up (no budget) until epoch 11, its records pruned.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		next_block();
		set_epoch(3);
		<ServiceSlashing as EpochHooks>::on_epoch_start(3, Weight::zero());
		slashing_events();

		// When epoch 11 starts, it executes from its exposure copy.
		start_epoch(11);
		assert!(matches!(
			slashing_events()[..],
			[crate::Event::SlashExecuted { slash_id: 0, bond_taken: 50, .. }]
		));
		assert_eq!(Reported::<Test>::iter().count(), 0);
	});
}
