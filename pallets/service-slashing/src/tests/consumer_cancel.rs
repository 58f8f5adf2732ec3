//! A consumer's slashes cancelled in O(1), swept in pages: `cancel_consumer_slashes` records a
//! horizon (`CancelledConsumers`), no pending slash of the consumer below it executes from
//! then on, and each block's `on_initialize` removes up to `MAX_SWEPT_PER_BLOCK` of them,
//! counting their pools down. Until swept they still count as pending (exits wait). Slashes
//! reported after the cancel are not cancelled.

use super::{is_pool_count, keys_changed_by};
use crate::{
	mock::*, CancelledConsumers, ConsumerPendingCount, ConsumerSweep, Error, Event, OffenceKind,
	PendingSlashes, PoolPendingCount, SlashId, MAX_SWEPT_PER_BLOCK, MAX_UNCOUNTED_SLASHES,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{Get, Hooks},
	weights::{constants::ParityDbWeight, RuntimeDbWeight, Weight},
};
use palisade_primitives::{EpochHooks, EpochIndex, PendingSlashes as _, PoolId};

/// Operator `operator` (bond 100) exposed in `epoch` for [`CONSUMER`] with `pools` (10 each),
/// reported for downtime in `epoch`.
fn reported_in(epoch: EpochIndex, operator: AccountId, pools: impl IntoIterator<Item = PoolId>) {
	let pools: Vec<_> = pools.into_iter().map(|pool| (pool, 10)).collect();
	set_bond(operator, 100);
	expose(epoch, CONSUMER, operator, 100, &pools);
	assert_ok!(report(operator, OffenceKind::Downtime, epoch));
}

/// `count` operators from `first`, each reported in epoch 0 with [`MAX_POOLS`] pools of its
/// own, at most [`MAX_UNCOUNTED_SLASHES`] reports a block; all counted at the end.
fn flood(first: AccountId, count: u32) {
	for i in 0..u64::from(count) {
		if i > 0 && i % u64::from(MAX_UNCOUNTED_SLASHES) == 0 {
			next_block();
		}
		reported_in(0, first + i, own_pools(first + i));
	}
	next_block();
}

/// The [`MAX_POOLS`] pools of operator `operator` alone.
fn own_pools(operator: AccountId) -> std::ops::Range<PoolId> {
	let first = 1_000 + PoolId::try_from(operator).unwrap() * PoolId::from(MAX_POOLS);
	first..first + PoolId::from(MAX_POOLS)
}

fn cancel_all() -> sp_runtime::DispatchResult {
	ServiceSlashing::cancel_consumer_slashes(RuntimeOrigin::root(), CONSUMER)
}

/// The ids of the slashes executed, swept and whether the sweep ended, from the events since
/// the last call.
fn outcomes() -> (Vec<SlashId>, Vec<SlashId>, Option<(SlashId, u32)>) {
	let (mut executed, mut cancelled, mut swept) = (Vec::new(), Vec::new(), None);
	for event in slashing_events() {
		match event {
			Event::SlashExecuted { slash_id, .. } => executed.push(slash_id),
			Event::SlashCancelled { slash_id, .. } => cancelled.push(slash_id),
			Event::ConsumerSlashesSwept { below, swept: count, .. } => swept = Some((below, count)),
			_ => {}
		}
	}
	cancelled.sort_unstable();
	(executed, cancelled, swept)
}

/// The pools' exit checks for `pool` (any epoch from 0).
fn pool_waits(pool: PoolId) -> bool {
	ServiceSlashing::pool_has_pending(pool, None)
}

#[test]
fn cancelling_a_consumers_slashes_costs_the_same_whatever_their_number_and_pools() {
	// The storage entries the call changes with one slash of one pool, and with the most
	// slashes (16 in the mock) of `MAX_POOLS` pools of their own each.
	fn changed(slashes: u32, one_pool: bool) -> Vec<Vec<u8>> {
		let mut keys = Vec::new();
		ExtBuilder::default().build_and_execute(|| {
			if one_pool {
				reported_in(0, 2, [100]);
				next_block();
			} else {
				flood(200, slashes);
			}
			keys = keys_changed_by(|| {
				assert_ok!(cancel_all());
			})
			.0;
		});
		keys
	}
	let (one, most) = (changed(1, true), changed(16, false));
	assert_eq!(one.len(), most.len());
	assert!(!most.iter().any(|key| is_pool_count(key)));

	// And its declared weight is constant and within 6 transfers in a block:
	// (call + 108 µs) / (176 + 108 µs) ≤ 6.
	let weight = <() as crate::WeightInfo>::cancel_consumer_slashes();
	assert!(weight.ref_time() + 108_000_000 <= 6 * (176_000_000 + 108_000_000));
}

#[test]
fn the_sweep_is_charged_for_every_pool_counter_of_every_slash() {
	// A hostile consumer's slashes each expose pools of their own (distinct (pool, epoch)
	// counters): the sweep writes every one of them, and its weight must cover them, also with
	// the runtime's `MaxExposedPools` (32; the mock has 8).
	const RUNTIME_MAX_EXPOSED_POOLS: u64 = 32;
	let write = <ParityDbWeight as Get<RuntimeDbWeight>>::get().write;
	let sweep = |n: u32, p: u32| crate::Pallet::<Test>::sweep_weight(n, p).ref_time();
	let hook_without_sweep = <() as crate::WeightInfo>::count_reported_pools(0)
		.saturating_add(<() as crate::WeightInfo>::uncount_cancelled_pools(0));
	let mut per_slash_keys = Vec::new();
	for slashes in [1u32, 4, MAX_SWEPT_PER_BLOCK] {
		ExtBuilder::default().build_and_execute(|| {
			// Given `slashes` counted slashes, of `MAX_POOLS` pools of their own each,
			// cancelled.
			flood(200, slashes);
			assert_ok!(cancel_all());

			// When the next block's `on_initialize` sweeps them (one page).
			let now = System::block_number();
			ServiceSlashing::on_finalize(now);
			let (keys, weight) = keys_changed_by(|| ServiceSlashing::on_initialize(now + 1));

			// Then it wrote every pool counter, and is charged for each key it changed.
			assert_eq!(
				keys.iter().filter(|key| is_pool_count(key)).count() as u32,
				slashes * MAX_POOLS
			);
			assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
			assert_eq!(
				weight,
				hook_without_sweep
					.saturating_add(crate::Pallet::<Test>::sweep_weight(slashes, MAX_POOLS))
			);
			assert!(sweep(slashes, MAX_POOLS) >= keys.len() as u64 * write);
			per_slash_keys.push((slashes, keys.len() as u64));
		});
	}
	// One more slash: its own keys, `MAX_POOLS` of them pool counters, covered by the
	// weight's per-slash part even with the runtime's most pools, at a full page.
	let (first, last) = (per_slash_keys[0], per_slash_keys[2]);
	let per_slash = (last.1 - first.1) / u64::from(last.0 - first.0);
	assert!(per_slash >= u64::from(MAX_POOLS));
	let runtime_per_slash = per_slash - u64::from(MAX_POOLS) + RUNTIME_MAX_EXPOSED_POOLS;
	let runtime_pools = RUNTIME_MAX_EXPOSED_POOLS as u32;
	assert!(
		sweep(MAX_SWEPT_PER_BLOCK, runtime_pools)
			>= u64::from(MAX_SWEPT_PER_BLOCK) * runtime_per_slash * write
	);
}

#[test]
fn a_cancelled_slash_never_executes_even_before_it_is_swept() {
	ExtBuilder::default().build_and_execute(|| {
		// Given operator 1's and 2's slashes of epoch 0 (due at epoch 3), counted.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		reported_in(0, 2, [102]);
		next_block();
		slashing_events();

		// When, in the block that starts epoch 3, governance cancels them all and the epoch
		// hook then runs (no `on_initialize` in between: nothing swept yet).
		set_epoch(3);
		assert_ok!(cancel_all());
		assert_eq!(
			slashing_events(),
			vec![Event::ConsumerSlashesCancelled { consumer_id: CONSUMER, below: 2, cancelled: 2 }]
		);
		<ServiceSlashing as EpochHooks>::on_epoch_start(3, Weight::MAX);

		// Then neither executed: bonds and pools untouched, both out of the queue, still
		// pending (their exits wait for the sweep).
		assert_eq!(outcomes(), (vec![], vec![], None));
		assert_eq!((bond(OPERATOR), bond(2)), (1_000, 100));
		assert_eq!((pool_value(100), pool_value(101)), (10_000, 5_000));
		assert!(PendingSlashes::<Test>::iter().all(|(_, slash)| slash.queued.is_none()));
		assert!(ServiceSlashing::operator_has_pending(&OPERATOR));
		assert!(pool_waits(100) && pool_waits(102));
		assert_ok!(ServiceSlashing::do_try_state());

		// And the next block sweeps them: both cancelled, everything free.
		next_block();
		assert_eq!(outcomes(), (vec![], vec![0, 1], Some((2, 2))));
		assert!(!ServiceSlashing::operator_has_pending(&OPERATOR));
		assert!(!pool_waits(100) && !pool_waits(101) && !pool_waits(102));
		assert!(CancelledConsumers::<Test>::iter().next().is_none());
		start_epoch(4);
		assert_eq!(outcomes(), (vec![], vec![], None));
		assert_eq!(bond(OPERATOR), 1_000);
	});
}

#[test]
fn a_slash_executed_before_the_cancel_in_its_block_stays_executed() {
	ExtBuilder::default().build_and_execute(|| {
		// Given operator 1's slash of epoch 0 (due 3) and operator 2's of epoch 1 (due 4).
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		set_epoch(1);
		reported_in(1, 2, [102]);
		next_block();

		// When the block that starts epoch 3 executes the first, then governance cancels.
		start_epoch(3);
		let taken = 1_000 - bond(OPERATOR);
		assert!(taken > 0);
		assert_ok!(cancel_all());

		// Then the cancel covers only the slash still pending; the executed one stays done.
		let (executed, _, _) = outcomes();
		assert_eq!(executed, vec![0]);
		start_epoch(4);
		assert_eq!(outcomes(), (vec![], vec![1], Some((2, 1))));
		assert_eq!((1_000 - bond(OPERATOR), bond(2)), (taken, 100));
	});
}

#[test]
fn a_slash_reported_after_the_cancel_is_not_cancelled_even_in_the_same_block() {
	ExtBuilder::default().build_and_execute(|| {
		// Given, in one block: operator 1 reported, governance's cancel, operator 2 reported.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_ok!(cancel_all());
		reported_in(0, 2, [102]);
		assert_eq!(
			CancelledConsumers::<Test>::get(CONSUMER),
			Some(ConsumerSweep { below: 1, after: None, swept: 0 })
		);

		// When the next block counts both reports and sweeps.
		next_block();

		// Then only operator 1's was cancelled; operator 2's is pending, counted, and
		// executes when due.
		let (_, cancelled, swept) = outcomes();
		assert_eq!((cancelled, swept), (vec![0], Some((1, 1))));
		assert!(!pool_waits(100));
		assert_eq!(PoolPendingCount::<Test>::get(102, 0), 1);
		assert_eq!(ConsumerPendingCount::<Test>::get(CONSUMER), 1);
		start_epoch(3);
		assert_eq!(outcomes().0, vec![1]);
		assert!(bond(2) < 100);
		assert_eq!(bond(OPERATOR), 1_000);
	});
}

#[test]
fn the_sweep_removes_every_cancelled_slash_in_bounded_pages() {
	ExtBuilder::default().build_and_execute(|| {
		// Given 40 counted slashes, each with pools of its own.
		MaxPendingPerConsumer::set(40);
		flood(200, 40);
		slashing_events();
		assert_ok!(cancel_all());
		slashing_events();

		// When the next blocks sweep: at most `MAX_SWEPT_PER_BLOCK` a block, the rest still
		// pending (their pools wait).
		next_block();
		assert_eq!(ConsumerPendingCount::<Test>::get(CONSUMER), 40 - MAX_SWEPT_PER_BLOCK);
		assert_eq!(outcomes().1.len() as u32, MAX_SWEPT_PER_BLOCK);
		next_block();
		assert_eq!(ConsumerPendingCount::<Test>::get(CONSUMER), 40 - 2 * MAX_SWEPT_PER_BLOCK);
		assert_eq!(outcomes().1.len() as u32, MAX_SWEPT_PER_BLOCK);
		assert!(CancelledConsumers::<Test>::contains_key(CONSUMER));
		next_block();

		// Then in three blocks all are gone, each cancelled once, the count reported.
		let (executed, cancelled, swept) = outcomes();
		assert_eq!((executed, cancelled.len(), swept), (vec![], 8, Some((40, 40))));
		assert_eq!(ServiceSlashing::pending_slashes_of(CONSUMER), vec![]);
		assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
		assert!((200..240).all(|operator| !own_pools(operator).any(pool_waits)));
		assert!(CancelledConsumers::<Test>::iter().next().is_none());
	});
}

#[test]
fn a_second_cancel_before_the_sweep_ends_cancels_the_slashes_reported_in_between() {
	ExtBuilder::default().build_and_execute(|| {
		// Given 20 counted slashes cancelled, and one page swept.
		MaxPendingPerConsumer::set(40);
		flood(200, 20);
		assert_ok!(cancel_all());
		next_block();
		assert_eq!(ConsumerPendingCount::<Test>::get(CONSUMER), 4);
		let left: Vec<SlashId> =
			ServiceSlashing::pending_slashes_of(CONSUMER).into_iter().map(|(id, _)| id).collect();
		slashing_events();

		// When two more are reported (ids 20, 21), governance cancels again, and one more is
		// reported (id 22).
		reported_in(0, 300, [900]);
		reported_in(0, 301, [901]);
		assert_ok!(cancel_all());
		assert_eq!(
			slashing_events().last(),
			Some(&Event::ConsumerSlashesCancelled {
				consumer_id: CONSUMER,
				below: 22,
				cancelled: 6
			})
		);
		reported_in(0, 302, [902]);
		next_block();

		// Then the sweep, started over, removed the 4 left and the 2 in between: 22 in all,
		// and only the slash reported after the second cancel is pending.
		let (_, cancelled, swept) = outcomes();
		let expected: Vec<SlashId> = left.into_iter().chain([20, 21]).collect();
		assert_eq!((cancelled, swept), (expected, Some((22, 22))));
		let pending: Vec<_> =
			ServiceSlashing::pending_slashes_of(CONSUMER).into_iter().map(|(id, _)| id).collect();
		assert_eq!(pending, vec![22]);
		assert!(!pool_waits(900) && !pool_waits(901) && pool_waits(902));
	});
}

#[test]
fn an_unfreeze_during_the_sweep_does_not_bring_cancelled_slashes_back() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a frozen consumer whose slash (id 0, due 3) the queue held.
		assert_ok!(ServiceSlashing::freeze_consumer_slashes(RuntimeOrigin::root(), CONSUMER));
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		start_epoch(3);
		assert_eq!(PendingSlashes::<Test>::get(0).unwrap().queued, None);

		// When, in one block, governance cancels, operator 2 is reported (id 1), and
		// governance unfreezes.
		assert_ok!(cancel_all());
		reported_in(3, 2, [102]);
		slashing_events();
		assert_ok!(ServiceSlashing::unfreeze_consumer_slashes(RuntimeOrigin::root(), CONSUMER));

		// Then the cancelled slash was not queued again; the new one is queued.
		assert_eq!(
			slashing_events(),
			vec![Event::ConsumerSlashesUnfrozen { consumer_id: CONSUMER, pending: 2, requeued: 0 }]
		);
		assert_eq!(PendingSlashes::<Test>::get(0).unwrap().queued, None);
		assert!(PendingSlashes::<Test>::get(1).unwrap().queued.is_some());

		// And the sweep removes it; only the new one executes, when due.
		next_block();
		assert_eq!(outcomes(), (vec![], vec![0], Some((1, 1))));
		start_epoch(6);
		assert_eq!(outcomes().0, vec![1]);
		assert_eq!(bond(OPERATOR), 1_000);
	});
}

#[test]
fn a_freeze_after_the_cancel_does_not_stop_the_sweep() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		next_block();
		assert_ok!(cancel_all());
		assert_ok!(ServiceSlashing::freeze_consumer_slashes(RuntimeOrigin::root(), CONSUMER));
		next_block();
		assert_eq!(outcomes(), (vec![], vec![0], Some((1, 1))));
		assert!(!pool_waits(100));
		// Frozen still, with nothing pending: unfreezing requeues nothing.
		assert_ok!(ServiceSlashing::unfreeze_consumer_slashes(RuntimeOrigin::root(), CONSUMER));
	});
}

#[test]
fn the_sweep_goes_on_after_the_consumer_is_deregistered_and_its_exposures_pruned() {
	ExtBuilder::default().build_and_execute(|| {
		// Given 20 cancelled slashes, one page swept.
		MaxPendingPerConsumer::set(40);
		flood(200, 20);
		assert_ok!(cancel_all());
		next_block();
		slashing_events();

		// When the consumer is deregistered and its exposures forgotten.
		MockConsumers::deregister(CONSUMER);
		prune_exposures(0);
		next_block();

		// Then the sweep still ends: nothing owed is dropped, nothing left pending.
		let (_, cancelled, swept) = outcomes();
		assert_eq!((cancelled.len(), swept), (4, Some((20, 20))));
		assert_eq!(ConsumerPendingCount::<Test>::get(CONSUMER), 0);
		assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_hostile_reporter_cannot_stall_the_sweep() {
	ExtBuilder::default().build_and_execute(|| {
		// Given 32 cancelled slashes of a consumer allowed 64 pending.
		let most = 64;
		MaxPendingPerConsumer::set(most);
		flood(200, 32);
		assert_ok!(cancel_all());
		slashing_events();

		// When its reporter files as many new reports as it may before every block (new
		// slashes land anywhere in the hashed index, ahead of the sweep's cursor too).
		let mut operator = 1_000;
		let mut blocks = 0;
		while CancelledConsumers::<Test>::contains_key(CONSUMER) {
			for _ in 0..MAX_UNCOUNTED_SLASHES {
				if ConsumerPendingCount::<Test>::get(CONSUMER) >= most {
					break;
				}
				reported_in(0, operator, [5_000 + PoolId::try_from(operator).unwrap()]);
				operator += 1;
			}
			next_block();
			blocks += 1;
			// Then the sweep ends within `2 × MaxPendingPerConsumer / MAX_SWEPT_PER_BLOCK + 1`
			// blocks ...
			assert!(blocks <= 2 * most / MAX_SWEPT_PER_BLOCK + 1, "sweep stalled");
		}

		// ... having cancelled exactly the 32 old slashes, none of the new ones.
		let (_, cancelled, swept) = outcomes();
		assert_eq!(cancelled, (0..32).collect::<Vec<_>>());
		assert_eq!(swept, Some((32, 32)));
		assert_eq!(ConsumerPendingCount::<Test>::get(CONSUMER) as u64, operator - 1_000);
		assert!(ServiceSlashing::pending_slashes_of(CONSUMER).iter().all(|(id, _)| *id >= 32));
	});
}

#[test]
fn a_cancelled_slash_vetoed_alone_before_the_sweep_is_removed_once() {
	ExtBuilder::default().build_and_execute(|| {
		reported_in(0, 2, [100, 101]);
		reported_in(0, 3, [100]);
		next_block();
		assert_ok!(cancel_all());
		// Governance also vetoes slash 0 alone (listed for the next block's count down).
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0));
		slashing_events();
		next_block();
		assert_eq!(outcomes(), (vec![], vec![1], Some((2, 1))));
		assert_eq!(PoolPendingCount::<Test>::iter().count(), 0);
		assert!(!pool_waits(100) && !pool_waits(101));
	});
}

#[test]
fn cancelling_needs_pending_slashes_and_governance() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(cancel_all(), Error::<Test>::NothingPending);
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_noop!(
			ServiceSlashing::cancel_consumer_slashes(RuntimeOrigin::signed(ADMIN), CONSUMER),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_ok!(cancel_all());
		// Again before the sweep: allowed (nothing new: the horizon stays).
		assert_ok!(cancel_all());
		next_block();
		assert_noop!(cancel_all(), Error::<Test>::NothingPending);
	});
}

#[test]
fn a_cancel_horizon_beyond_the_next_id_is_caught() {
	ExtBuilder::default().build().execute_with(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		CancelledConsumers::<Test>::insert(
			CONSUMER,
			ConsumerSweep { below: 5, after: None, swept: 0 },
		);
		assert_eq!(
			ServiceSlashing::do_try_state(),
			Err("cancel horizon beyond the next slash id".into())
		);
	});
}
