//! The invariants checked by `try_state` catch corrupted storage.

use crate::{
	mock::*, ConsumerPendingCount, EpochCursors, Meter, OffenceKind, Params, PendingSlashes,
	Reported, SlashSpan, SlashesDue, SlashingParams, SpanStarts, Spans,
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
		"pending slash not at its queue position",
	);
}

#[test]
fn a_slash_queued_twice_is_caught() {
	with_a_pending_slash(
		|| SlashesDue::<Test>::insert(4, 0, 0),
		"queue entry without a pending slash queued there",
	);
}

#[test]
fn a_queue_entry_without_a_slash_is_caught() {
	with_a_pending_slash(
		|| PendingSlashes::<Test>::remove(0),
		"queue entry without a pending slash",
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
fn a_wrong_pending_counter_is_caught() {
	with_a_pending_slash(
		|| ConsumerPendingCount::<Test>::insert(CONSUMER, 2),
		"consumer pending counts differ",
	);
}

#[test]
fn a_slash_out_of_the_queue_of_an_unfrozen_consumer_is_caught() {
	with_a_pending_slash(
		|| {
			SlashesDue::<Test>::remove(3, 0);
			PendingSlashes::<Test>::mutate(0, |slash| {
				if let Some(slash) = slash {
					slash.queued = None;
				}
			});
		},
		"pending slash out of the queue while its consumer is neither frozen nor cancelled",
	);
}

#[test]
fn a_queue_out_of_report_order_is_caught() {
	ExtBuilder::default().build().execute_with(|| {
		set_bond(2, 100);
		expose(0, CONSUMER, 2, 100, &[]);
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_ok!(report(2, OffenceKind::Misbehaviour, 0));
		assert_ok!(ServiceSlashing::do_try_state());
		// Swap the two entries.
		SlashesDue::<Test>::insert(3, 0, 1);
		SlashesDue::<Test>::insert(3, 1, 0);
		for (id, index) in [(0, 1), (1, 0)] {
			PendingSlashes::<Test>::mutate(id, |slash| {
				if let Some(crate::PendingSlash { queued: Some(position), .. }) = slash {
					position.index = index;
				}
			});
		}
		assert_eq!(ServiceSlashing::do_try_state(), Err("queue not in report order".into()));
	});
}

#[test]
fn a_meter_above_its_limit_is_caught() {
	with_a_pending_slash(
		|| {
			Meter::<Test>::mutate(|meter| {
				meter.executed = 2;
				meter.slashed = meter.max_slashed + 1;
			})
		},
		"slash meter above its value limit",
	);
}

#[test]
fn a_span_above_the_bound_is_caught() {
	with_a_pending_slash(
		|| {
			Spans::<Test>::insert(
				OPERATOR,
				CONSUMER,
				SlashSpan { start: 0, max: Perbill::from_percent(60) },
			)
		},
		"span above the bound",
	);
}

#[test]
fn a_record_older_than_the_prune_cursor_is_caught() {
	with_a_pending_slash(
		|| {
			SpanStarts::<Test>::remove(0, (OPERATOR, CONSUMER));
			Spans::<Test>::remove(OPERATOR, CONSUMER);
			Reported::<Test>::remove(0, (CONSUMER, OPERATOR, OffenceKind::Misbehaviour));
			Reported::<Test>::insert(0, (CONSUMER, OPERATOR, OffenceKind::Downtime), 0);
			EpochCursors::<Test>::mutate(|c| c.prune_from = 1);
		},
		"report record older than the prune cursor",
	);
}

#[test]
fn a_report_whose_pools_are_neither_listed_nor_counted_is_caught() {
	with_a_pending_slash(crate::UncountedSlashes::<Test>::kill, "pool pending counts differ");
}

#[test]
fn a_report_counted_and_still_listed_is_caught() {
	with_a_pending_slash(
		|| {
			crate::PoolPendingCount::<Test>::insert(100, 0, 1);
			crate::PoolPendingCount::<Test>::insert(101, 0, 1);
		},
		"pool pending counts differ",
	);
}

#[test]
fn an_uncounted_entry_with_other_pools_is_caught() {
	with_a_pending_slash(
		|| {
			crate::UncountedSlashes::<Test>::mutate(|list| {
				if let Some(entry) = list.get_mut(0) {
					entry.pools = vec![100].try_into().unwrap();
				}
			})
		},
		"uncounted pools differ from the exposure copy",
	);
}

/// A report counted in an earlier block and then vetoed: listed in `UncountedCancels`.
fn with_a_listed_cancel(corrupt: impl FnOnce(), expected: &'static str) {
	ExtBuilder::default().build().execute_with(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		next_block();
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0));
		assert_eq!(crate::UncountedCancels::<Test>::get().len(), 1);
		assert_ok!(ServiceSlashing::do_try_state());
		corrupt();
		assert_eq!(ServiceSlashing::do_try_state(), Err(expected.into()));
	});
}

#[test]
fn a_cancel_the_hook_forgot_to_count_down_is_caught() {
	// A hook that empties the cancel list without counting the pools down leaves them
	// blocked for good.
	with_a_listed_cancel(crate::UncountedCancels::<Test>::kill, "pool pending counts differ");
}

#[test]
fn a_cancel_counted_down_and_still_listed_is_caught() {
	with_a_listed_cancel(
		|| {
			crate::PoolPendingCount::<Test>::remove(100, 0);
			crate::PoolPendingCount::<Test>::remove(101, 0);
		},
		"pool pending counts differ",
	);
}

#[test]
fn a_listed_cancel_of_a_pending_slash_is_caught() {
	with_a_pending_slash(
		|| {
			let entry = crate::UncountedSlashes::<Test>::get()[0].clone();
			crate::UncountedCancels::<Test>::put(
				crate::UncountedCancelsOf::<Test>::try_from(vec![entry]).unwrap(),
			);
		},
		"listed cancelled slash still pending",
	);
}

#[test]
fn the_hook_counts_a_listed_cancel_down() {
	// The same world as above, run through the hook: the invariants hold after it, with
	// nothing listed or counted.
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		next_block();
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0));
		assert_eq!(crate::PoolPendingCount::<Test>::iter().count(), 2);
		next_block();
		assert!(crate::UncountedCancels::<Test>::get().is_empty());
		assert_eq!(crate::PoolPendingCount::<Test>::iter().count(), 0);
	});
}
