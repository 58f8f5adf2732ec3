//! The invariants checked by `try_state` catch corrupted storage.

use crate::{
	mock::*, AppliedFractions, EpochCursors, OffenceKind, Params, PendingSlashes, Reported,
	SlashesDue, SlashingParams,
};
use frame_support::assert_ok;
use sp_runtime::Perbill;

fn with_a_pending_slash(corrupt: impl FnOnce(), expected: &'static str) {
	ExtBuilder::default().build().execute_with(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_ok!(ServiceSlashing::do_try_state());
		corrupt();
		assert_eq!(ServiceSlashing::do_try_state(), Err(expected.into()));
	});
}

#[test]
fn a_pending_slash_missing_from_the_queue_is_caught() {
	with_a_pending_slash(
		|| SlashesDue::<Test>::remove(3, 0),
		"pending slash not queued under its due epoch",
	);
}

#[test]
fn a_slash_queued_twice_is_caught() {
	with_a_pending_slash(
		|| SlashesDue::<Test>::insert(4, 0, ()),
		"queue entry without a pending slash due at that epoch",
	);
}

#[test]
fn a_queue_entry_without_a_slash_is_caught() {
	with_a_pending_slash(
		|| PendingSlashes::<Test>::remove(0),
		"queue entry without a pending slash due at that epoch",
	);
}

#[test]
fn a_queue_entry_behind_the_cursor_is_caught() {
	with_a_pending_slash(
		|| EpochCursors::<Test>::mutate(|c| c.next_due = 4),
		"queue entry behind the execution cursor",
	);
}

#[test]
fn a_pending_slash_without_its_duplicate_record_is_caught() {
	with_a_pending_slash(
		|| Reported::<Test>::remove(0, (CONSUMER, OPERATOR, OffenceKind::Misbehaviour)),
		"pending slash without its duplicate record",
	);
}

#[test]
fn params_out_of_bounds_are_caught() {
	with_a_pending_slash(
		|| Params::<Test>::put(SlashingParams { veto_delay: 20, ..default_params() }),
		"slashing params out of bounds or not nesting",
	);
}

#[test]
fn a_throttle_record_above_the_bound_is_caught() {
	with_a_pending_slash(
		|| AppliedFractions::<Test>::insert(0, OPERATOR, Perbill::from_percent(60)),
		"throttle record above the bound",
	);
}

#[test]
fn a_record_older_than_the_prune_cursor_is_caught() {
	with_a_pending_slash(
		|| {
			AppliedFractions::<Test>::insert(0, OPERATOR, Perbill::from_percent(5));
			EpochCursors::<Test>::mutate(|c| c.prune_from = 1);
		},
		"throttle record older than the prune cursor",
	);
}
