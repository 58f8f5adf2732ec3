//! The epoch clock and the order of the epoch-start work.

use crate::{
	mock::*, weights::WeightInfo, CurrentEpoch, EpochLength, EpochStart, Event, GenesisConfig,
};
use frame_support::weights::Weight;
use palisade_primitives::EpochProvider;
use sp_runtime::BuildStorage;

#[test]
fn an_epoch_starts_every_epoch_length_blocks() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(EpochLength::<Test>::get(), EPOCH_LENGTH);
		run_to_block(9);
		assert_eq!(CurrentEpoch::<Test>::get(), 0);
		assert_eq!(Consumers::next_epoch_start(), 10);
		assert!(consumer_events().is_empty());

		run_to_block(10);
		assert_eq!(CurrentEpoch::<Test>::get(), 1);
		assert_eq!(EpochStart::<Test>::get(), 10);
		assert_eq!(Consumers::next_epoch_start(), 20);
		assert_eq!(consumer_events(), vec![Event::EpochStarted { epoch: 1, first_block: 10 }]);

		run_to_block(19);
		assert_eq!(<Consumers as EpochProvider>::current_epoch(), 1);
		run_to_block(20);
		assert_eq!(<Consumers as EpochProvider>::current_epoch(), 2);
	});
}

#[test]
fn the_neighbours_are_called_in_order_at_an_epoch_start() {
	ExtBuilder::default().build_and_execute(|| {
		// Given two consumers.
		register(1);
		register(2);
		run_to_block(9);
		take_neighbour_calls();

		// When epoch 1 starts.
		run_to_block(10);

		// Then: operators, pools, epoch hooks, the consumers in id order, then the idle hook.
		let budget = TransitionBudget::get();
		let calls = take_neighbour_calls();
		assert_eq!(calls.len(), 6);
		assert_eq!(
			calls[..2],
			[NeighbourCall::OperatorsNewEpoch(1), NeighbourCall::PoolsNewEpoch(1)]
		);
		assert!(matches!(calls[2], NeighbourCall::HookEpochStart(1, b) if b.all_lt(budget)));
		assert_eq!(
			calls[3..5],
			[NeighbourCall::OptedInQuery(0, 1), NeighbourCall::OptedInQuery(1, 1)]
		);
		assert!(matches!(calls[5], NeighbourCall::HookIdle(1, _)));

		// And in a block without epoch start only the idle hook runs.
		run_to_block(11);
		assert!(matches!(take_neighbour_calls()[..], [NeighbourCall::HookIdle(1, _)]));
	});
}

#[test]
fn the_epoch_hooks_get_what_is_left_and_the_weight_is_reported() {
	ExtBuilder::default().build_and_execute(|| {
		use frame_support::traits::Hooks;
		run_to_block(9);
		take_neighbour_calls();
		let budget = Weight::from_parts(10_000_000_000_000, 10_000_000);
		TransitionBudget::set(budget);
		MockOperators::set_epoch_weight(Weight::from_parts(1_000, 10));
		MockPools::set_epoch_weight(Weight::from_parts(2_000, 20));
		MockHooks::set_start_weight(Weight::from_parts(3_000, 30));
		MockHooks::set_idle_weight(Weight::from_parts(4_000, 40));

		System::set_block_number(10);
		let used = Consumers::on_initialize(10);

		let calls = take_neighbour_calls();
		let NeighbourCall::HookEpochStart(1, start_budget) = calls[2] else { panic!() };
		let NeighbourCall::HookIdle(1, idle_budget) = calls[3] else { panic!() };
		// The epoch-start hook got the budget minus what came before it, the idle hook what
		// the start hook and the pruning left (no consumer; the pruning only moved its position
		// past the epochs with nothing due; the transition found no change note), and the weight reported is everything used.
		let before_hook = <() as WeightInfo>::on_initialize_idle()
			+ <() as WeightInfo>::start_epoch()
			+ Weight::from_parts(3_000, 30);
		assert_eq!(start_budget, budget - before_hook);
		assert_eq!(
			idle_budget,
			start_budget
				- Weight::from_parts(3_000, 30)
				- <() as WeightInfo>::expand_change(0)
				- <() as WeightInfo>::prune_exposures(0)
		);
		assert_eq!(used, budget - idle_budget + Weight::from_parts(4_000, 40));
	});
}

#[test]
fn an_epoch_may_last_a_single_block() {
	ExtBuilder::default().with_epoch_length(1).build_and_execute(|| {
		run_to_block(5);
		// Blocks 2, 3, 4 and 5 each start an epoch.
		assert_eq!(CurrentEpoch::<Test>::get(), 4);
		assert_eq!(EpochStart::<Test>::get(), 5);
	});
}

#[test]
fn the_default_epoch_length_is_a_day_of_blocks() {
	assert_eq!(GenesisConfig::<Test>::default().epoch_length, 14_400);
}

#[test]
#[should_panic(expected = "epoch length must be at least 1 block")]
fn a_zero_epoch_length_is_rejected_at_genesis() {
	let _ = RuntimeGenesisConfig {
		consumers: GenesisConfig { epoch_length: 0, ..Default::default() },
		..Default::default()
	}
	.build_storage();
}

#[test]
fn the_idle_epoch_work_runs_in_every_block() {
	ExtBuilder::default().build_and_execute(|| {
		run_to_block(25);
		let idle: Vec<u32> = take_neighbour_calls()
			.into_iter()
			.filter_map(|call| match call {
				NeighbourCall::HookIdle(epoch, _) => Some(epoch),
				_ => None,
			})
			.collect();
		// Blocks 2 to 25: epoch 0 until block 9, epoch 1 from 10, epoch 2 from 20.
		let expected: Vec<u32> = (2..=25u64)
			.map(|n| {
				if n < 10 {
					0
				} else if n < 20 {
					1
				} else {
					2
				}
			})
			.collect();
		assert_eq!(idle, expected);
	});
}
