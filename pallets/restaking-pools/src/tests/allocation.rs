//! Allocations to (operator, consumer) pairs: timing of increases and decreases, limits, and
//! the backing other pallets read.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use palisade_primitives::{Collateral, PoolsInterface};
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
fn a_full_schedule_still_applies_changes_lazily() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = setup();
		let second = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, second, 1_000), 1_000);
		// Five increases for epoch 1; the schedule holds MAX_SCHEDULED (4).
		allocate(pool, OP, 1, 10);
		allocate(pool, OP2, 1, 10);
		allocate(pool, OP3, 1, 10);
		allocate(pool, OP, 2, 10);
		allocate(second, OP, 1, 10);
		assert_eq!(AllocationSchedule::<Test>::get(1).len() as u32, MAX_SCHEDULED);

		start_epoch(1);
		// The unscheduled one is in force all the same...
		assert_eq!(backing_of(second, OP, 1, 1), 100);
		assert!(Allocations::<Test>::get(second, 1)[0].pending.is_some());
		// ... and is finalised by the next call on that pool and consumer.
		allocate(second, OP2, 1, 10);
		assert_eq!(
			Allocations::<Test>::get(second, 1)[0],
			AllocationEntry { operator: OP, current: Perbill::from_percent(10), pending: None }
		);
	});
}
