//! Allocations to (operator, consumer) pairs: timing of increases and decreases, limits, and
//! the backing other pallets read.

use crate::{mock::*, *};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{assert_noop, assert_ok, pallet_prelude::Weight};
use palisade_primitives::{Collateral, ConsumerId, EpochIndex, PoolId, PoolsInterface};
use sp_runtime::Perbill;

const OP: AccountId = 20;
const OP2: AccountId = 21;
const OP3: AccountId = 22;
const OP4: AccountId = 23;

fn allocate(pool: u32, operator: AccountId, consumer: u32, percent: u32) {
	assert_ok!(RestakingPools::set_allocation(
		RuntimeOrigin::signed(1),
		pool,
		operator,
		consumer,
		Perbill::from_percent(percent)
	));
}

/// Like [`allocate`]; returns the weight the call was charged after its refund and how many
/// `PairPools` entries it changed.
fn allocate_counting(
	pool: u32,
	operator: AccountId,
	consumer: u32,
	percent: u32,
) -> (Weight, usize) {
	let before = pair_pools();
	let info = RestakingPools::set_allocation(
		RuntimeOrigin::signed(1),
		pool,
		operator,
		consumer,
		Perbill::from_percent(percent),
	)
	.expect("the allocation is set");
	let after = pair_pools();
	let changed = before
		.keys()
		.chain(after.keys())
		.collect::<alloc::collections::btree_set::BTreeSet<_>>()
		.into_iter()
		.filter(|key| before.get(*key) != after.get(*key))
		.count();
	(info.actual_weight.expect("refunded to the entries"), changed)
}

/// Every `PairPools` entry.
fn pair_pools() -> BTreeMap<(ConsumerId, AccountId), Vec<PoolId>> {
	PairPools::<Test>::iter()
		.map(|(consumer, operator, pools)| ((consumer, operator), pools.into_inner()))
		.collect()
}

/// Fill the schedule of `epoch` with changes of an unknown pool (skipped when finalised).
fn fill_schedule(epoch: EpochIndex) {
	AllocationSchedule::<Test>::mutate(epoch, |scheduled| {
		for index in 0..MAX_SCHEDULED {
			let _ = scheduled.try_push((99, 9, 1_000 + AccountId::from(index)));
		}
	});
	assert_eq!(AllocationSchedule::<Test>::get(epoch).len() as u32, MAX_SCHEDULED);
}

/// Whether `(pool, consumer, operator)` is scheduled at any epoch up to `until`.
fn is_scheduled(pool: u32, consumer: u32, operator: AccountId, until: EpochIndex) -> bool {
	(0..=until)
		.any(|epoch| AllocationSchedule::<Test>::get(epoch).contains(&(pool, consumer, operator)))
}

fn backing_of(pool: u32, operator: AccountId, consumer: u32, epoch: u32) -> Balance {
	<RestakingPools as PoolsInterface<_, _>>::backing_of(pool, &operator, consumer, epoch)
}

/// A native pool of curator 1 holding 1_000_000, and operators opted in to consumers 1 and 2.
fn setup() -> u32 {
	for operator in [OP, OP2, OP3, OP4] {
		opt_in(operator, 1);
		opt_in(operator, 2);
	}
	let pool = create_pool(1, Collateral::Native);
	assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
	pool_events();
	pool
}

#[test]
fn an_increase_applies_from_the_next_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = setup();

		// When the curator allocates 50% to OP for consumer 1 at epoch 0.
		allocate(pool, OP, 1, 50);

		// Then it is scheduled for epoch 1.
		assert_eq!(
			pool_events(),
			vec![Event::AllocationScheduled {
				pool,
				consumer: 1,
				operator: OP,
				current: Perbill::zero(),
				fraction: Perbill::from_percent(50),
				effective_epoch: 1,
			}]
		);
		assert_eq!(backing_of(pool, OP, 1, 0), 0);
		// From epoch 1 it backs 500_000, even before the epoch hook ran.
		assert_eq!(backing_of(pool, OP, 1, 1), 500_000);

		// The epoch hook finalises it.
		start_epoch(1);
		assert_eq!(
			pool_events(),
			vec![Event::AllocationChanged {
				pool,
				consumer: 1,
				operator: OP,
				fraction: Perbill::from_percent(50),
				epoch: 1,
			}]
		);
		assert_eq!(
			Allocations::<Test>::get(pool, 1).into_inner(),
			vec![AllocationEntry {
				operator: OP,
				current: Perbill::from_percent(50),
				pending: None
			}]
		);
		assert_eq!(
			<RestakingPools as PoolsInterface<_, _>>::backing(&OP, 1, 1),
			vec![(pool, 500_000)]
		);
		// Backing follows the pool value.
		assert_eq!(deposit(3, pool, 1_000_000), 1_000_000);
		assert_eq!(backing_of(pool, OP, 1, 1), 1_000_000);
	});
}

#[test]
fn a_decrease_applies_after_the_deallocation_delay_and_zero_removes_the_allocation() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = setup();
		allocate(pool, OP, 1, 50);
		start_epoch(1);
		pool_events();

		// When the curator lowers it to 20% at epoch 1.
		allocate(pool, OP, 1, 20);
		assert_eq!(
			pool_events(),
			vec![Event::AllocationScheduled {
				pool,
				consumer: 1,
				operator: OP,
				current: Perbill::from_percent(50),
				fraction: Perbill::from_percent(20),
				effective_epoch: 1 + DEALLOCATION_DELAY,
			}]
		);
		// Then the stake keeps backing (and stays slashable) until epoch 3.
		start_epoch(2);
		assert_eq!(backing_of(pool, OP, 1, 2), 500_000);
		start_epoch(3);
		assert_eq!(backing_of(pool, OP, 1, 3), 200_000);

		// When it is set to zero, the allocation is removed after the delay, indexes too.
		allocate(pool, OP, 1, 0);
		assert_eq!(PoolConsumers::<Test>::get(pool).into_inner(), vec![1]);
		start_epoch(3 + DEALLOCATION_DELAY);
		assert_eq!(backing_of(pool, OP, 1, 5), 0);
		assert!(!Allocations::<Test>::contains_key(pool, 1));
		assert!(!PoolConsumers::<Test>::contains_key(pool));
		assert!(!PairPools::<Test>::contains_key(1, OP));
		assert_eq!(<RestakingPools as PoolsInterface<_, _>>::backing(&OP, 1, 5), vec![]);
	});
}

#[test]
fn setting_the_fraction_in_force_cancels_a_pending_change() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = setup();
		allocate(pool, OP, 1, 50);
		start_epoch(1);
		allocate(pool, OP, 1, 10);
		pool_events();

		allocate(pool, OP, 1, 50);
		assert_eq!(
			pool_events(),
			vec![Event::AllocationChangeCancelled {
				pool,
				consumer: 1,
				operator: OP,
				current: Perbill::from_percent(50)
			}]
		);
		assert_eq!(backing_of(pool, OP, 1, 10), 500_000);
		// Nothing pending any more: setting it again is a no-op error.
		assert_noop!(
			RestakingPools::set_allocation(
				RuntimeOrigin::signed(1),
				pool,
				OP,
				1,
				Perbill::from_percent(50)
			),
			Error::<Test>::AllocationUnchanged
		);
		// A pending new allocation cancelled by setting zero disappears.
		allocate(pool, OP2, 1, 10);
		allocate(pool, OP2, 1, 0);
		assert_eq!(Allocations::<Test>::get(pool, 1).len(), 1);
		assert!(!PairPools::<Test>::contains_key(1, OP2));
	});
}

#[test]
fn the_same_stake_backs_several_consumers() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = setup();
		allocate(pool, OP, 1, 100);
		allocate(pool, OP2, 2, 100);
		start_epoch(1);
		// The whole 1_000_000 backs both pairs: that is the restaking.
		assert_eq!(backing_of(pool, OP, 1, 1), 1_000_000);
		assert_eq!(backing_of(pool, OP2, 2, 1), 1_000_000);
		assert_eq!(PoolConsumers::<Test>::get(pool).into_inner(), vec![1, 2]);
		// So a slash for one consumer lowers what backs the other.
		assert_eq!(<RestakingPools as PoolsInterface<_, _>>::slash(pool, 100_000, None), 100_000);
		assert_eq!(backing_of(pool, OP2, 2, 1), 900_000);
	});
}

#[test]
fn allocation_sums_stay_within_100_percent_counting_pending_changes() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = setup();
		allocate(pool, OP, 1, 60);
		assert_noop!(
			RestakingPools::set_allocation(
				RuntimeOrigin::signed(1),
				pool,
				OP2,
				1,
				Perbill::from_percent(41)
			),
			Error::<Test>::OverAllocated
		);
		allocate(pool, OP2, 1, 40);
		start_epoch(1);

		// OP goes down to 10% (at epoch 3): until then it still counts 60%.
		allocate(pool, OP, 1, 10);
		assert_noop!(
			RestakingPools::set_allocation(
				RuntimeOrigin::signed(1),
				pool,
				OP3,
				1,
				Perbill::from_percent(50)
			),
			Error::<Test>::OverAllocated
		);
		// Once the decrease is in force there is room (settled lazily by the call).
		set_epoch(1 + DEALLOCATION_DELAY);
		allocate(pool, OP3, 1, 50);
		assert_eq!(
			sum_parts(Allocations::<Test>::get(pool, 1).iter().map(|entry| entry.peak())),
			FULL_PARTS
		);
	});
}

#[test]
fn allocation_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = setup();
		// Not opted in.
		assert_noop!(
			RestakingPools::set_allocation(
				RuntimeOrigin::signed(1),
				pool,
				42,
				1,
				Perbill::from_percent(10)
			),
			Error::<Test>::NotOptedIn
		);
		assert_noop!(
			RestakingPools::set_allocation(
				RuntimeOrigin::signed(1),
				pool,
				OP,
				3,
				Perbill::from_percent(10)
			),
			Error::<Test>::NotOptedIn
		);
		// Not the curator; unknown pool.
		assert_noop!(
			RestakingPools::set_allocation(
				RuntimeOrigin::signed(2),
				pool,
				OP,
				1,
				Perbill::from_percent(10)
			),
			Error::<Test>::NotCurator
		);
		assert_noop!(
			RestakingPools::set_allocation(
				RuntimeOrigin::signed(1),
				9,
				OP,
				1,
				Perbill::from_percent(10)
			),
			Error::<Test>::PoolNotFound
		);
		// Zero for an operator without allocation changes nothing.
		assert_noop!(
			RestakingPools::set_allocation(RuntimeOrigin::signed(1), pool, OP, 1, Perbill::zero()),
			Error::<Test>::AllocationUnchanged
		);
		// At most MAX_OPERATORS (3) operators per consumer.
		allocate(pool, OP, 1, 10);
		allocate(pool, OP2, 1, 10);
		allocate(pool, OP3, 1, 10);
		assert_noop!(
			RestakingPools::set_allocation(
				RuntimeOrigin::signed(1),
				pool,
				OP4,
				1,
				Perbill::from_percent(10)
			),
			Error::<Test>::TooManyOperators
		);
		// At most MAX_CONSUMERS (2) consumers per pool.
		opt_in(OP, 3);
		allocate(pool, OP, 2, 10);
		assert_noop!(
			RestakingPools::set_allocation(
				RuntimeOrigin::signed(1),
				pool,
				OP,
				3,
				Perbill::from_percent(10)
			),
			Error::<Test>::TooManyConsumers
		);
		// At most MAX_POOLS (2) pools per (operator, consumer).
		let second = create_pool(1, Collateral::Native);
		let third = create_pool(1, Collateral::Native);
		allocate(second, OP4, 1, 10);
		allocate(third, OP, 1, 10);
		// OP has pools `pool` and `third` for consumer 1 now.
		let fourth = create_pool(1, Collateral::Native);
		assert_noop!(
			RestakingPools::set_allocation(
				RuntimeOrigin::signed(1),
				fourth,
				OP,
				1,
				Perbill::from_percent(10)
			),
			Error::<Test>::TooManyPools
		);
		// A decrease needs no opt-in: operators that left can still be deallocated.
		start_epoch(1);
		MockOperators::clear_opt_ins();
		allocate(pool, OP, 1, 0);
	});
}

#[test]
fn a_full_schedule_puts_the_finalisation_off_to_the_next_epoch_with_room() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = setup();
		let second = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, second, 1_000), 1_000);
		// Five increases for epoch 1; its schedule holds MAX_SCHEDULED (4).
		allocate(pool, OP, 1, 10);
		allocate(pool, OP2, 1, 10);
		allocate(pool, OP3, 1, 10);
		allocate(pool, OP, 2, 10);
		allocate(second, OP, 1, 10);
		assert_eq!(AllocationSchedule::<Test>::get(1).len() as u32, MAX_SCHEDULED);
		// The fifth goes to the schedule of epoch 2.
		assert_eq!(AllocationSchedule::<Test>::get(2).into_inner(), vec![(second, 1, OP)]);
		pool_events();

		start_epoch(1);
		// It is in force all the same, not finalised yet.
		assert_eq!(backing_of(second, OP, 1, 1), 100);
		assert!(Allocations::<Test>::get(second, 1)[0].pending.is_some());
		assert_eq!(pool_events().len(), 4);

		// The start of epoch 2 finalises it; the event names the epoch it took effect.
		start_epoch(2);
		assert_eq!(
			pool_events(),
			vec![Event::AllocationChanged {
				pool: second,
				consumer: 1,
				operator: OP,
				fraction: Perbill::from_percent(10),
				epoch: 1,
			}]
		);
		assert_eq!(
			Allocations::<Test>::get(second, 1)[0],
			AllocationEntry { operator: OP, current: Perbill::from_percent(10), pending: None }
		);
	});
}

#[test]
fn when_every_schedule_is_full_set_allocation_finalises_lazily() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = setup();
		// Given the schedules of epoch 1 and of the next MAX_SCHEDULE_SPILL epochs are full.
		for epoch in 1..=1 + MAX_SCHEDULE_SPILL {
			fill_schedule(epoch);
		}

		// When the curator allocates to OP, the change is scheduled nowhere...
		allocate(pool, OP, 1, 10);
		assert!(!is_scheduled(pool, 1, OP, 1 + MAX_SCHEDULE_SPILL));
		start_epoch(1);
		// ... but in force from epoch 1 all the same.
		assert_eq!(backing_of(pool, OP, 1, 1), 100_000);
		assert!(Allocations::<Test>::get(pool, 1)[0].pending.is_some());
		pool_events();

		// Then the next call on the pool and consumer finalises it.
		allocate(pool, OP2, 1, 10);
		assert_eq!(
			pool_events(),
			vec![
				Event::AllocationChanged {
					pool,
					consumer: 1,
					operator: OP,
					fraction: Perbill::from_percent(10),
					epoch: 1,
				},
				Event::AllocationScheduled {
					pool,
					consumer: 1,
					operator: OP2,
					current: Perbill::zero(),
					fraction: Perbill::from_percent(10),
					effective_epoch: 2,
				},
			]
		);
		assert_eq!(
			Allocations::<Test>::get(pool, 1)[0],
			AllocationEntry { operator: OP, current: Perbill::from_percent(10), pending: None }
		);
	});
}

#[test]
fn set_allocation_cost_does_not_grow_with_due_entries() {
	ExtBuilder::default().with_max_operators(12).build_and_execute(|| {
		// Given two pools allocating 5% each to the same ten operators for consumer 1, with a
		// decrease to zero each: in `due` they all took effect and were left unsettled (every
		// schedule they could go in was full); in `calm` none is due yet.
		let due = setup();
		let calm = create_pool(1, Collateral::Native);
		let listed: Vec<AccountId> = (100..110).collect();
		for operator in &listed {
			opt_in(*operator, 1);
			allocate(due, *operator, 1, 5);
			allocate(calm, *operator, 1, 5);
		}
		// (The twenty increases fill the schedules of epoch 1 and the next ones.)
		for epoch in 1..=1 + MAX_SCHEDULE_SPILL {
			start_epoch(epoch);
		}
		let now = 1 + MAX_SCHEDULE_SPILL;
		assert!(Allocations::<Test>::iter()
			.all(|(_, _, entries)| entries.iter().all(|entry| entry.pending.is_none())));
		let effective = now + DEALLOCATION_DELAY;
		for epoch in effective..=effective + MAX_SCHEDULE_SPILL {
			fill_schedule(epoch);
		}
		for operator in &listed {
			allocate(due, *operator, 1, 0);
		}
		for epoch in now + 1..=effective {
			start_epoch(epoch);
		}
		for operator in &listed {
			allocate(calm, *operator, 1, 0);
		}
		pool_events();

		// When the curator allocates 10% to OP in each pool.
		let (due_weight, due_writes) = allocate_counting(due, OP, 1, 10);
		let (calm_weight, calm_writes) = allocate_counting(calm, OP, 1, 10);

		// Then both calls cost the same: the weight of ten entries, and the `PairPools` writes
		// of OP's entry plus at most MAX_OTHERS_SETTLED dropped entries (it was ten before).
		assert_eq!(due_weight, calm_weight);
		assert_eq!(due_weight, <() as WeightInfo>::set_allocation(10));
		assert_eq!(calm_writes, 1);
		assert_eq!(due_writes, 1 + MAX_OTHERS_SETTLED as usize);
		let settled: Vec<_> = pool_events()
			.into_iter()
			.filter_map(|event| match event {
				Event::AllocationChanged { pool, operator, fraction, epoch, .. } => {
					Some((pool, operator, fraction, epoch))
				}
				_ => None,
			})
			.collect();
		assert_eq!(
			settled,
			vec![(due, 100, Perbill::zero(), effective), (due, 101, Perbill::zero(), effective)]
		);
		// The eight others back nothing from their effective epoch all the same.
		assert_eq!(Allocations::<Test>::get(due, 1).len(), 8 + 1);
		for operator in &listed {
			assert_eq!(backing_of(due, *operator, 1, effective), 0);
		}
		// Each later call settles MAX_OTHERS_SETTLED more: four calls drop the rest.
		for percent in [11, 12, 13, 14] {
			allocate(due, OP, 1, percent);
		}
		assert_eq!(Allocations::<Test>::get(due, 1).len(), 1);
		for operator in &listed {
			assert_eq!(PairPools::<Test>::get(1, *operator).into_inner(), vec![calm]);
		}
	});
}

#[test]
fn void_entries_do_not_hold_pair_slots_for_ever() {
	ExtBuilder::default().with_max_operators(4).build_and_execute(|| {
		// Given pools `pool` and `other` allocating to OP for consumer 1: the pair's
		// MAX_POOLS (2) slots are taken, a third pool is locked out.
		let pool = setup();
		let other = create_pool(1, Collateral::Native);
		let third = create_pool(1, Collateral::Native);
		for operator in [OP2, OP3, OP4] {
			allocate(pool, operator, 1, 10);
		}
		allocate(pool, OP, 2, 10);
		allocate(pool, OP, 1, 10);
		allocate(other, OP, 1, 10);
		start_epoch(1);
		start_epoch(2);
		assert_eq!(PairPools::<Test>::get(1, OP).into_inner(), vec![pool, other]);
		assert_noop!(
			RestakingPools::set_allocation(
				RuntimeOrigin::signed(1),
				third,
				OP,
				1,
				Perbill::from_percent(10)
			),
			Error::<Test>::TooManyPools
		);

		// When `pool` removes all its allocations at epoch 2 (effective 4), the last after
		// the schedule of epoch 4 is full and those of the next epochs but the last the
		// spill may reach are full too; and its curator never calls again.
		for operator in [OP2, OP3, OP4] {
			allocate(pool, operator, 1, 0);
		}
		allocate(pool, OP, 2, 0);
		let effective = 2 + DEALLOCATION_DELAY;
		assert_eq!(AllocationSchedule::<Test>::get(effective).len() as u32, MAX_SCHEDULED);
		let last = effective + MAX_SCHEDULE_SPILL;
		for epoch in effective + 1..last {
			fill_schedule(epoch);
		}
		allocate(pool, OP, 1, 0);
		assert!(AllocationSchedule::<Test>::get(last).contains(&(pool, 1, OP)));

		// Then until the spill's last epoch the change is in force but holds the slot...
		for epoch in 3..last {
			start_epoch(epoch);
		}
		assert_eq!(backing_of(pool, OP, 1, last - 1), 0);
		assert_eq!(PairPools::<Test>::get(1, OP).into_inner(), vec![pool, other]);
		pool_events();
		// ... and at that epoch's start it is finalised: every entry of `pool` is gone, with
		// its slot, at most MAX_SCHEDULE_SPILL epochs after it took effect.
		start_epoch(last);
		assert_eq!(
			pool_events(),
			vec![Event::AllocationChanged {
				pool,
				consumer: 1,
				operator: OP,
				fraction: Perbill::zero(),
				epoch: effective,
			}]
		);
		assert!(!Allocations::<Test>::contains_key(pool, 1));
		assert!(!Allocations::<Test>::contains_key(pool, 2));
		assert!(!PoolConsumers::<Test>::contains_key(pool));
		assert_eq!(PairPools::<Test>::get(1, OP).into_inner(), vec![other]);
		// The third pool can take the freed slot.
		allocate(third, OP, 1, 10);
		assert_eq!(PairPools::<Test>::get(1, OP).into_inner(), vec![other, third]);
	});
}

#[test]
fn room_freed_by_a_due_decrease_can_be_reallocated_before_it_is_finalised() {
	ExtBuilder::default().with_max_operators(4).build_and_execute(|| {
		// Given OP, OP2 and OP3 at 30% each, all lowered to zero at epoch 1 while every
		// schedule they could go in is full: at epoch 3 the decreases are in force but left
		// unsettled.
		let pool = setup();
		for operator in [OP, OP2, OP3] {
			allocate(pool, operator, 1, 30);
		}
		start_epoch(1);
		let effective = 1 + DEALLOCATION_DELAY;
		for epoch in effective..=effective + MAX_SCHEDULE_SPILL {
			fill_schedule(epoch);
		}
		for operator in [OP, OP2, OP3] {
			allocate(pool, operator, 1, 0);
		}
		start_epoch(2);
		start_epoch(effective);

		// When the curator allocates 90% to OP4: the call settles only two of them.
		allocate(pool, OP4, 1, 90);

		// Then it is accepted (the third decrease counts at the fraction in force, zero)...
		let entries = Allocations::<Test>::get(pool, 1);
		assert_eq!(entries.len(), 2);
		assert_eq!(
			entries[0],
			AllocationEntry {
				operator: OP3,
				current: Perbill::from_percent(30),
				pending: Some(PendingAllocation { fraction: Perbill::zero(), effective }),
			}
		);
		// ... and no epoch from now on is backed by more than the pool.
		for epoch in effective..effective + 3 {
			let backed: Balance =
				[OP, OP2, OP3, OP4].iter().map(|op| backing_of(pool, *op, 1, epoch)).sum();
			assert!(backed <= 1_000_000);
		}
		assert_eq!(backing_of(pool, OP4, 1, effective + 1), 900_000);
	});
}
