//! Cancels counted down by the next block: `cancel_slash` of a slash counted in an earlier
//! block lists it in `UncountedCancels` (one write, whatever the number of pools) and the next
//! block's `on_initialize` counts its pools down; until then the pools' exit checks still
//! answer "pending" for them. A slash reported in the same block just leaves
//! `UncountedSlashes`. Executions count down at once; `cancel_consumer_slashes` leaves it to
//! its sweep (`consumer_cancel.rs`).

use super::{is_pool_count, keys_changed_by};
use crate::{
	mock::*, Error, Event, OffenceKind, PendingSlashes, PoolPendingCount, UncountedCancels,
	UncountedSlashes, MAX_UNCOUNTED_CANCELS, MAX_UNCOUNTED_SLASHES,
};
use frame_support::{assert_noop, assert_ok, traits::Hooks, weights::Weight};
use palisade_primitives::{EpochHooks, PendingSlashes as _, PoolId};

/// Operator `operator` (bond 100) exposed in epoch 0 for [`CONSUMER`] with `pools` (10 each),
/// reported for downtime in epoch 0.
fn reported(operator: AccountId, pools: impl IntoIterator<Item = PoolId>) {
	let pools: Vec<_> = pools.into_iter().map(|pool| (pool, 10)).collect();
	set_bond(operator, 100);
	expose(0, CONSUMER, operator, 100, &pools);
	assert_ok!(report(operator, OffenceKind::Downtime, 0));
}

/// The answers of the pools' checks for `pool` (any epoch, from epoch 0, through epoch 0).
fn answers(pool: PoolId) -> (bool, bool, bool) {
	(
		ServiceSlashing::pool_has_pending(pool, None),
		ServiceSlashing::pool_has_pending(pool, Some(0)),
		ServiceSlashing::pool_has_pending_through(pool, 0),
	)
}

const PENDING: (bool, bool, bool) = (true, true, true);
const FREE: (bool, bool, bool) = (false, false, false);

#[test]
fn a_cancelled_slash_stops_blocking_pool_exits_from_the_next_block() {
	ExtBuilder::default().build_and_execute(|| {
		// Given operator 1's report of epoch 0 (pools 100 and 101), counted in the next block.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		next_block();
		assert_eq!(PoolPendingCount::<Test>::get(100, 0), 1);
		assert_eq!((answers(100), answers(101)), (PENDING, PENDING));
		slashing_events();

		// When governance cancels it.
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0));

		// Then it is no longer pending: the operator is free at once, and the cancel is
		// listed for the next block ...
		assert!(!PendingSlashes::<Test>::contains_key(0));
		assert!(!ServiceSlashing::operator_has_pending(&OPERATOR));
		assert_eq!(
			slashing_events(),
			vec![Event::SlashCancelled {
				slash_id: 0,
				consumer_id: CONSUMER,
				operator: OPERATOR,
				kind: OffenceKind::Misbehaviour,
				epoch: 0,
			}]
		);
		let listed = UncountedCancels::<Test>::get();
		assert_eq!(listed.len(), 1);
		assert_eq!((listed[0].slash_id, listed[0].epoch), (0, 0));
		assert_eq!(listed[0].pools.to_vec(), vec![100, 101]);
		// ... while its pools are still counted: their exits wait for the rest of the block
		// (conservative, never the other way round).
		assert_eq!(PoolPendingCount::<Test>::get(100, 0), 1);
		assert_eq!(PoolPendingCount::<Test>::get(101, 0), 1);
		assert_eq!((answers(100), answers(101)), (PENDING, PENDING));

		// When the next block starts, its `on_initialize` counts them down, charged for the
		// two pools.
		assert_eq!(
			next_block_weight(),
			<() as crate::WeightInfo>::count_reported_pools(0)
				.saturating_add(<() as crate::WeightInfo>::uncount_cancelled_pools(2))
				.saturating_add(<() as crate::WeightInfo>::sweep_cancelled(0, 0))
		);

		// Then both pools may exit, and nothing is left listed or counted.
		assert_eq!((answers(100), answers(101)), (FREE, FREE));
		assert!(UncountedCancels::<Test>::get().is_empty());
		assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_cancel_counts_down_only_the_cancelled_slash() {
	ExtBuilder::default().build_and_execute(|| {
		// Given operators 2 and 3 both reported with pool 100 in epoch 0 (2 counted).
		reported(2, [100, 101]);
		reported(3, [100]);
		next_block();
		assert_eq!(PoolPendingCount::<Test>::get(100, 0), 2);

		// When operator 2's slash is cancelled and the next block counts it down.
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0));
		next_block();

		// Then pool 100 still waits for operator 3's slash; pool 101 is free.
		assert_eq!(PoolPendingCount::<Test>::get(100, 0), 1);
		assert_eq!(PoolPendingCount::<Test>::get(101, 0), 0);
		assert_eq!((answers(100), answers(101)), (PENDING, FREE));

		// And once that one is cancelled too, pool 100 is free from the next block.
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 1));
		assert_eq!(answers(100), PENDING);
		next_block();
		assert_eq!(answers(100), FREE);
	});
}

#[test]
fn cancelling_a_slash_costs_the_same_for_the_most_pools_as_for_one() {
	// The storage entries `cancel_slash` changes for a slash counted in an earlier block, with
	// one pool and with the mock's most (`MaxExposedPools`, 8; 32 in the runtime), and the same
	// for `cancel_consumer_slashes`, which only records a horizon (its sweep, in the next
	// blocks, is measured in `consumer_cancel.rs`).
	fn changed(pools: u32, cancel: fn() -> sp_runtime::DispatchResult) -> Vec<Vec<u8>> {
		let mut keys = Vec::new();
		ExtBuilder::default().build_and_execute(|| {
			reported(2, 100..100 + PoolId::from(pools));
			next_block();
			keys = keys_changed_by(|| {
				assert_ok!(cancel());
			})
			.0;
		});
		keys
	}
	let veto = || ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0);
	let cancel_all = || ServiceSlashing::cancel_consumer_slashes(RuntimeOrigin::root(), CONSUMER);

	// A veto changes as many entries for 8 pools as for one, none of them a pool counter.
	let (one, most) = (changed(1, veto), changed(MAX_POOLS, veto));
	assert_eq!(one.len(), most.len());
	assert!(!most.iter().any(|key| is_pool_count(key)));

	// Nor does cancelling the consumer's slashes: its pools are counted down by the sweep.
	let (one, most) = (changed(1, cancel_all), changed(MAX_POOLS, cancel_all));
	assert_eq!(one.len(), most.len());
	assert!(!most.iter().any(|key| is_pool_count(key)));

	// And the declared weight of a veto has no pool component.
	assert!(<() as crate::WeightInfo>::cancel_slash()
		.all_lt(<() as crate::WeightInfo>::report_offence(0).saturating_mul(3)));
}

#[test]
fn a_full_cancel_list_fails_with_a_typed_error_and_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		// Given `MAX_UNCOUNTED_CANCELS + 1` slashes with pools, counted.
		MaxPendingPerConsumer::set(MAX_UNCOUNTED_CANCELS + 4);
		let operators: Vec<AccountId> = (200..200 + u64::from(MAX_UNCOUNTED_CANCELS) + 1).collect();
		for (i, operator) in operators.iter().enumerate() {
			if i == MAX_UNCOUNTED_SLASHES as usize {
				next_block();
			}
			reported(*operator, [100]);
		}
		next_block();
		let counted = u32::try_from(operators.len()).unwrap();
		assert_eq!(PoolPendingCount::<Test>::get(100, 0), counted);

		// When governance cancels `MAX_UNCOUNTED_CANCELS` of them in one block, the next
		// cancel fails with `TooManyCancelsInBlock` and changes nothing (storage root kept):
		// the slash is still pending and queued, its counters untouched.
		for id in 0..MAX_UNCOUNTED_CANCELS {
			assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), id));
		}
		let last = MAX_UNCOUNTED_CANCELS;
		assert_noop!(
			ServiceSlashing::cancel_slash(RuntimeOrigin::root(), last),
			Error::<Test>::TooManyCancelsInBlock
		);
		assert!(PendingSlashes::<Test>::contains_key(last));
		assert_eq!(UncountedCancels::<Test>::get().len() as u32, MAX_UNCOUNTED_CANCELS);

		// Then, in the next block, the list was counted down and the cancel goes through.
		next_block();
		assert_eq!(PoolPendingCount::<Test>::get(100, 0), 1);
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), last));
		next_block();
		assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
		assert_eq!(answers(100), FREE);
	});
}

#[test]
fn a_flood_of_reports_cannot_lock_governance_out_of_cancelling() {
	// A hostile consumer's reporter files as many reports with pools as it can: every block's
	// `UncountedSlashes` is full. The reports' list is not the cancels' list (only
	// `cancel_slash` appends to that one), so vetoes still go through; and however many
	// slashes a consumer has pending, `cancel_consumer_slashes` cancels them all at once (and
	// the next blocks sweep them), even when governance's own vetoes filled the cancel list.
	ExtBuilder::default().build_and_execute(|| {
		// Given 40 counted reports of consumer 1 (16 per block, the most), pools 100 and 101.
		let flood = 2 * MAX_UNCOUNTED_SLASHES + 8;
		MaxPendingPerConsumer::set(flood);
		let operators: Vec<AccountId> = (200..200 + u64::from(flood)).collect();
		for chunk in operators.chunks(MAX_UNCOUNTED_SLASHES as usize) {
			for operator in chunk {
				reported(*operator, [100, 101]);
			}
			next_block();
		}
		assert_eq!(PoolPendingCount::<Test>::get(101, 0), flood);

		// And, in the current block, consumer 2's hostile reporter filled the reports' list:
		// its next report is refused, and it listed nothing as cancelled.
		add_consumer(2, 30, 31);
		let hostile_report = |operator: AccountId| {
			set_bond(operator, 100);
			expose(0, 2, operator, 100, &[(100, 10)]);
			ServiceSlashing::report_offence(
				RuntimeOrigin::signed(30),
				2,
				operator,
				OffenceKind::Downtime,
				0,
				details(b""),
			)
			.map(|_| ())
			.map_err(|e| e.error)
		};
		for operator in 400..400 + u64::from(MAX_UNCOUNTED_SLASHES) {
			assert_ok!(hostile_report(operator));
		}
		assert_noop!(hostile_report(500), Error::<Test>::TooManyReportsInBlock);
		assert!(UncountedCancels::<Test>::get().is_empty());

		// When governance vetoes single slashes of consumer 1 in that block, up to its own
		// bound, they all go through.
		for id in 0..MAX_UNCOUNTED_CANCELS {
			assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), id));
		}
		assert_eq!(UncountedCancels::<Test>::get().len() as u32, MAX_UNCOUNTED_CANCELS);

		// And, with the cancel list full, cancelling all of consumer 1's other slashes at once
		// still works: they are cancelled at once (none can execute), swept from the next
		// block.
		assert_ok!(ServiceSlashing::cancel_consumer_slashes(RuntimeOrigin::root(), CONSUMER));
		let left = flood - MAX_UNCOUNTED_CANCELS;
		assert_eq!(crate::ConsumerPendingCount::<Test>::get(CONSUMER), left);
		assert!(ServiceSlashing::pending_slashes_of(CONSUMER)
			.iter()
			.all(|(id, slash)| ServiceSlashing::is_cancelled(*id, slash.consumer_id)));

		// Then the next block counts the vetoes down, consumer 2's reports up, and sweeps a
		// page of consumer 1's; the one after sweeps the rest.
		next_block();
		assert_eq!(PoolPendingCount::<Test>::get(101, 0), left - crate::MAX_SWEPT_PER_BLOCK);
		next_block();
		assert_eq!(ServiceSlashing::pending_slashes_of(CONSUMER), vec![]);
		assert_eq!(crate::ConsumerPendingCount::<Test>::get(CONSUMER), 0);
		assert_eq!(PoolPendingCount::<Test>::get(101, 0), 0);
		assert_eq!(PoolPendingCount::<Test>::get(100, 0), MAX_UNCOUNTED_SLASHES);
		assert_eq!((answers(100), answers(101)), (PENDING, FREE));
	});
}

#[test]
fn a_cancel_in_the_report_block_needs_no_room_in_the_cancel_list() {
	ExtBuilder::default().build_and_execute(|| {
		// Given the cancel list full of this block's vetoes of counted slashes.
		MaxPendingPerConsumer::set(MAX_UNCOUNTED_CANCELS + 4);
		for operator in 200..200 + u64::from(MAX_UNCOUNTED_CANCELS) {
			reported(operator, [101]);
		}
		next_block();
		for id in 0..MAX_UNCOUNTED_CANCELS {
			assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), id));
		}

		// When operator 1 is reported and the report cancelled in the same block.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_eq!(answers(100), PENDING);
		let id = MAX_UNCOUNTED_CANCELS;
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), id));

		// Then it just left the reports' list: pool 100 is free at once, never counted.
		assert!(UncountedSlashes::<Test>::get().is_empty());
		assert!(!UncountedCancels::<Test>::get().iter().any(|entry| entry.slash_id == id));
		assert_eq!(answers(100), FREE);
		next_block();
		assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
		assert_eq!((answers(100), answers(101)), (FREE, FREE));
	});
}

#[test]
fn a_slash_without_pools_is_cancelled_without_listing() {
	ExtBuilder::default().build_and_execute(|| {
		reported(2, core::iter::empty());
		next_block();
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0));
		assert!(UncountedCancels::<Test>::get().is_empty());
		assert!(!ServiceSlashing::operator_has_pending(&2));
	});
}

#[test]
fn cancelling_a_consumers_slashes_counts_their_pools_down_in_the_next_block() {
	ExtBuilder::default().build_and_execute(|| {
		reported(2, [100, 101]);
		reported(3, [100]);
		next_block();
		assert_ok!(ServiceSlashing::cancel_consumer_slashes(RuntimeOrigin::root(), CONSUMER));
		assert!(UncountedCancels::<Test>::get().is_empty());
		assert_eq!((answers(100), answers(101)), (PENDING, PENDING));
		next_block();
		assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
		assert_eq!((answers(100), answers(101)), (FREE, FREE));
	});
}

#[test]
fn an_execution_frees_its_pools_at_once_and_keeps_a_listed_cancel_exact() {
	// In the runtime the consumers pallet's `on_initialize` runs the epoch hook before this
	// pallet's: a slash may execute in the block after a veto, before the veto is counted
	// down. Each counts its own pools down, once.
	ExtBuilder::default().build_and_execute(|| {
		// Given two counted slashes on pool 100 of epoch 0, due at epoch 3.
		reported(2, [100, 101]);
		reported(3, [100]);
		next_block();
		assert_eq!(PoolPendingCount::<Test>::get(100, 0), 2);

		// When the first is vetoed in the last block of epoch 2 ...
		set_epoch(2);
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0));

		// ... and the next block's epoch hook executes the second before this pallet's
		// `on_initialize`.
		let now = System::block_number();
		ServiceSlashing::on_finalize(now);
		System::set_block_number(now + 1);
		set_epoch(3);
		<ServiceSlashing as EpochHooks>::on_epoch_start(3, Weight::MAX);

		// Then the execution counted its pool down at once; the veto's still waits.
		assert!(slashing_events()
			.iter()
			.any(|event| matches!(event, Event::SlashExecuted { slash_id: 1, .. })));
		assert_eq!(PoolPendingCount::<Test>::get(100, 0), 1);
		assert_eq!(UncountedCancels::<Test>::get().len(), 1);
		assert_ok!(ServiceSlashing::do_try_state());

		// And `on_initialize` counts the veto down: nothing is left.
		ServiceSlashing::on_initialize(now + 1);
		assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
		assert!(UncountedCancels::<Test>::get().is_empty());
		assert_eq!((answers(100), answers(101)), (FREE, FREE));
	});
}
