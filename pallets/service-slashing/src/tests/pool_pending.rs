//! What the pools' exit checks see (`PendingSlashes::pool_has_pending*`) now that a report
//! lists its pools for the next block to count instead of writing one counter per pool: the
//! same answers at every moment, however many pools an exposure has. (A veto of a slash
//! counted in an earlier block is counted down by the next block: until then its pools still
//! answer "pending", see `cancels.rs`.)

use crate::{
	mock::*, Error, OffenceKind, PendingSlashes, PoolPendingCount, UncountedCancels,
	UncountedSlashes, MAX_UNCOUNTED_SLASHES,
};
use frame_support::{assert_noop, assert_ok};
use palisade_primitives::{EpochHooks, EpochIndex, PendingSlashes as _, PoolId};

/// Whether a pending slash of an offence epoch with `in_range(epoch)` has `pool` in its
/// exposure copy, recomputed from the pending records alone.
fn recomputed(pool: PoolId, in_range: impl Fn(EpochIndex) -> bool) -> bool {
	PendingSlashes::<Test>::iter().any(|(_, slash)| {
		in_range(slash.epoch) && slash.exposure.pools.iter().any(|(p, _)| *p == pool)
	})
}

/// Whether a slash cancelled in this block and not counted down yet (`UncountedCancels`) has
/// `pool` in its exposure copy, for an offence epoch with `in_range(epoch)`.
fn listed_cancel(pool: PoolId, in_range: impl Fn(EpochIndex) -> bool) -> bool {
	UncountedCancels::<Test>::get()
		.iter()
		.any(|entry| in_range(entry.epoch) && entry.pools.contains(&pool))
}

/// Every answer of the three checks, for pools 100..=103 and epochs 0..=5, equals the one
/// recomputed from the pending records.
fn assert_answers_exact() {
	assert!(UncountedCancels::<Test>::get().is_empty());
	assert_answers_with_listed_cancels();
}

/// Every answer of the three checks, for pools 100..=103 and epochs 0..=5, equals the one
/// recomputed from the pending records and the cancels listed in this block (still pending
/// for the pools until the next block: never "free" while a pending slash may take).
fn assert_answers_with_listed_cancels() {
	let expected = |pool: PoolId, in_range: &dyn Fn(EpochIndex) -> bool| {
		recomputed(pool, in_range) || listed_cancel(pool, in_range)
	};
	for pool in 100..=103 {
		assert_eq!(ServiceSlashing::pool_has_pending(pool, None), expected(pool, &|_| true));
		for e in 0..=5 {
			assert_eq!(
				ServiceSlashing::pool_has_pending(pool, Some(e)),
				expected(pool, &|epoch| epoch >= e),
				"pool {pool}, from {e}"
			);
			assert_eq!(
				ServiceSlashing::pool_has_pending_through(pool, e),
				expected(pool, &|epoch| epoch <= e),
				"pool {pool}, through {e}"
			);
		}
	}
}

#[test]
fn a_pool_cannot_exit_in_the_block_of_the_report() {
	// A pool's restakers see a report against the operator they back and try to leave in the
	// same block, before anything was counted per pool. With counts written lazily and
	// checked alone, pool 100's withdrawal of the stake that backed epoch 1 would be claimable
	// in that block: 4,000 PAL of backing out of reach of the 5% slash (200 PAL escaping).
	// Its checks read the block's uncounted reports too: it waits, and nothing escapes.
	ExtBuilder::default().build_and_execute(|| {
		// Given operator 1 exposed in epoch 1 with pools 100 (4,000) and 101 (2,000).
		set_epoch(1);
		expose(1, CONSUMER, OPERATOR, 1_000, &[(100, 4_000), (101, 2_000)]);

		// When its reporter reports a misbehaviour of epoch 1.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 1));

		// Then the report wrote no per-pool counter ...
		assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
		assert_eq!(UncountedSlashes::<Test>::get().len(), 1);
		// ... yet, in the same block, both pools' stake of epoch 1 must wait: a withdrawal
		// whose stake backed epoch 1 (or later), or any exit.
		for pool in [100, 101] {
			assert!(ServiceSlashing::pool_has_pending_through(pool, 1));
			assert!(ServiceSlashing::pool_has_pending_through(pool, 4));
			assert!(ServiceSlashing::pool_has_pending(pool, Some(1)));
			assert!(ServiceSlashing::pool_has_pending(pool, None));
			// Stake that left before epoch 1 is not held back, nor is a later offence asked.
			assert!(!ServiceSlashing::pool_has_pending_through(pool, 0));
			assert!(!ServiceSlashing::pool_has_pending(pool, Some(2)));
		}
		// A pool that did not back the operator is free.
		assert!(!ServiceSlashing::pool_has_pending(102, None));
		assert_answers_exact();

		// When the next block counts the pools, the answers stay the same.
		next_block();
		assert!(UncountedSlashes::<Test>::get().is_empty());
		assert_eq!(PoolPendingCount::<Test>::get(100, 1), 1);
		assert_eq!(PoolPendingCount::<Test>::get(101, 1), 1);
		assert!(ServiceSlashing::pool_has_pending_through(100, 1));
		assert!(!ServiceSlashing::pool_has_pending_through(100, 0));
		assert_answers_exact();

		// And once it executed (due at 1 + 3), the pools are free: 5% of each backing taken.
		start_epoch(2);
		start_epoch(3);
		start_epoch(4);
		assert!(!ServiceSlashing::pool_has_pending(100, None));
		assert!(!ServiceSlashing::pool_has_pending(101, None));
		assert_eq!((pool_value(100), pool_value(101)), (10_000 - 200, 5_000 - 100));
	});
}

#[test]
fn reports_of_one_block_are_counted_by_the_next_whatever_their_pools() {
	ExtBuilder::default().build_and_execute(|| {
		// Given three operators exposed in epochs 0 and 1 through overlapping pools (the
		// mock's most, 8, for operator 2).
		let all: Vec<(PoolId, Balance)> = (100..108).map(|pool| (pool, 100)).collect();
		for pool in 102..108 {
			set_pool(pool, 1_000);
		}
		set_bond(2, 500);
		set_bond(3, 500);
		expose(0, CONSUMER, 2, 500, &all);
		set_epoch(1);
		expose(1, CONSUMER, OPERATOR, 1_000, &[(100, 4_000), (101, 2_000)]);
		expose(1, CONSUMER, 3, 500, &[(101, 50), (103, 50)]);

		// When they are reported in one block: epoch 0 for operators 1 and 2, epoch 1 for
		// operators 1 and 3.
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 0));
		assert_ok!(report(2, OffenceKind::Downtime, 0));
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 1));
		assert_ok!(report(3, OffenceKind::Downtime, 1));

		// Then every answer is exact before the counting and after it; after a cancellation
		// (pools 101 and 103 of epoch 1) it still counts the cancelled slash until the next
		// block, which counts it down; with a new report in the cancel's block, exact again.
		assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
		assert_answers_exact();
		next_block();
		assert_eq!(PoolPendingCount::<Test>::get(101, 0), 2);
		assert_eq!(PoolPendingCount::<Test>::get(101, 1), 2);
		assert_eq!(PoolPendingCount::<Test>::get(107, 0), 1);
		assert_answers_exact();
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 3));
		assert!(ServiceSlashing::pool_has_pending(103, Some(1)));
		assert!(!recomputed(103, |epoch| epoch >= 1));
		assert_answers_with_listed_cancels();
		next_block();
		assert!(!ServiceSlashing::pool_has_pending(103, Some(1)));
		assert_answers_exact();
		assert_ok!(report(3, OffenceKind::Misbehaviour, 1));
		assert_answers_exact();
		next_block();
		assert_answers_exact();
	});
}

#[test]
fn a_slash_cancelled_in_its_report_block_is_never_counted() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a report, and its cancellation in the same block.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert!(ServiceSlashing::pool_has_pending(100, None));
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0));

		// Then the pools are free at once and the next block counts nothing.
		assert!(UncountedSlashes::<Test>::get().is_empty());
		assert!(!ServiceSlashing::pool_has_pending(100, None));
		next_block();
		assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
		assert_answers_exact();
	});
}

#[test]
fn a_slash_executed_before_it_is_counted_leaves_no_count() {
	// With the shortest veto delay, a report made in the last block of an epoch is due in the
	// next; its epoch hook may run before this pallet's `on_initialize` counts the report's
	// pools. It must leave neither a count nor a listed slash behind.
	let params = crate::SlashingParams { veto_delay: 1, ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));

		// When epoch 1's hook runs before the counting.
		set_epoch(1);
		<ServiceSlashing as EpochHooks>::on_epoch_start(1, frame_support::weights::Weight::MAX);

		// Then it executed, and nothing of it is left to count.
		assert!(PendingSlashes::<Test>::iter().next().is_none());
		assert!(UncountedSlashes::<Test>::get().is_empty());
		assert_eq!(pool_value(100), 10_000 - 200);
		next_block();
		assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
		assert!(!ServiceSlashing::pool_has_pending(100, None));
	});
}

#[test]
fn reports_with_pools_are_bounded_per_block() {
	ExtBuilder::default().build_and_execute(|| {
		// Given `MAX_UNCOUNTED_SLASHES` operators backed by pool 100, one more, and one without
		// pools (the consumer may have that many slashes pending).
		MaxPendingPerConsumer::set(MAX_UNCOUNTED_SLASHES + 4);
		let operators: Vec<AccountId> = (200..200 + u64::from(MAX_UNCOUNTED_SLASHES) + 1).collect();
		for operator in operators.iter() {
			set_bond(*operator, 100);
			expose(0, CONSUMER, *operator, 100, &[(100, 10)]);
		}
		// An operator without pools.
		set_bond(300, 100);
		expose(0, CONSUMER, 300, 100, &[]);

		// When `MAX_UNCOUNTED_SLASHES` of them are reported in one block, the next report with
		// pools in that block fails (and changes nothing) ...
		let (last, first) = operators.split_last().unwrap();
		for operator in first {
			assert_ok!(report(*operator, OffenceKind::Downtime, 0));
		}
		assert_noop!(report(*last, OffenceKind::Downtime, 0), Error::<Test>::TooManyReportsInBlock);
		// ... but one without pools still goes through (it has nothing to count) ...
		assert_ok!(report(300, OffenceKind::Downtime, 0));

		// ... and the refused one goes through in the next block.
		next_block();
		assert_eq!(PoolPendingCount::<Test>::get(100, 0), MAX_UNCOUNTED_SLASHES);
		assert_ok!(report(*last, OffenceKind::Downtime, 0));
		assert_eq!(UncountedSlashes::<Test>::get().len(), 1);
		assert!(ServiceSlashing::pool_has_pending_through(100, 0));
		assert_answers_exact();
	});
}

#[test]
fn counting_costs_the_block_what_the_reports_listed() {
	ExtBuilder::default().build_and_execute(|| {
		// An idle block reads the two empty lists (reports and cancels) and finds no consumer
		// to sweep.
		let nothing_cancelled = <() as crate::WeightInfo>::uncount_cancelled_pools(0)
			.saturating_add(<() as crate::WeightInfo>::sweep_cancelled(0, 0));
		let idle = next_block_weight();
		assert_eq!(
			idle,
			<() as crate::WeightInfo>::count_reported_pools(0).saturating_add(nothing_cancelled)
		);

		// Given two reports of the default world (pools 100 and 101 each).
		set_bond(2, 100);
		expose(0, CONSUMER, 2, 100, &[(100, 10), (101, 10)]);
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 0));
		assert_ok!(report(2, OffenceKind::Downtime, 0));

		// Then the next block's `on_initialize` is charged for the four pools it counts.
		assert_eq!(
			next_block_weight(),
			<() as crate::WeightInfo>::count_reported_pools(4).saturating_add(nothing_cancelled)
		);
	});
}
