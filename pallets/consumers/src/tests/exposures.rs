//! Exposure history: checkpoints written on change, answered for the retention window, pruned
//! after an operator left.

use crate::{
	mock::*, weights::WeightInfo, Checkpoint, ExposureCheckpoints, ExposureIndex, KeyOwners,
	PairPruning, Pruning,
};
use frame_support::assert_ok;
use palisade_primitives::ConsumersInterface;

fn exposure(epoch: u32, who: AccountId) -> Option<Balance> {
	<Consumers as ConsumersInterface<_, _>>::exposure(epoch, 0, &who).map(|e| e.total)
}

fn key_owner(epoch: u32, who: AccountId) -> Option<AccountId> {
	<Consumers as ConsumersInterface<_, _>>::operator_of_key_at(epoch, 0, &key_of(who))
}

#[test]
fn an_unchanged_member_is_checkpointed_once_and_answered_for_every_retained_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an active consumer with one operator from epoch 1.
		register_with(1, params(1, 4, 0, 100, 0));
		add_operator(0, 11, 500, 0);
		next_epoch();
		assert_eq!(<Consumers as ConsumersInterface<_, _>>::exposure_retention(), RETENTION);

		// When many epochs pass with nothing changed.
		run_to_epoch(10);

		// Then there is still one checkpoint (from epoch 1), and every retained epoch reads it.
		assert_eq!(
			ExposureIndex::<Test>::get(0, 11).into_inner(),
			vec![Checkpoint { from: 1, key: Some(key_of(11)) }]
		);
		for epoch in 10 - RETENTION..=10 {
			assert_eq!(exposure(epoch, 11), Some(500));
			assert_eq!(key_owner(epoch, 11), Some(11));
		}
		// Epochs before the retention window, and future ones, are never answered.
		assert_eq!(exposure(10 - RETENTION - 1, 11), None);
		assert_eq!(key_owner(10 - RETENTION - 1, 11), None);
		assert_eq!(exposure(11, 11), None);
	});
}

#[test]
fn checkpoints_superseded_before_the_window_are_dropped_when_the_next_is_written() {
	ExtBuilder::default().build_and_execute(|| {
		register_with(1, params(1, 4, 0, 100, 0));
		add_operator(0, 11, 500, 0);
		next_epoch();
		// A bond change every epoch: one checkpoint per epoch.
		for epoch in 2..=8u32 {
			set_bond(11, 500 + epoch as Balance);
			next_epoch();
		}
		// At epoch 8 the window is 5..=8: the checkpoint in force at 5 (from 5) and the later
		// ones are kept, the older ones dropped with their exposures.
		let froms: Vec<u32> =
			ExposureIndex::<Test>::get(0, 11).iter().map(|checkpoint| checkpoint.from).collect();
		assert_eq!(froms, vec![5, 6, 7, 8]);
		assert_eq!(ExposureCheckpoints::<Test>::iter_prefix((0, 11)).count(), 4);
		assert_eq!(exposure(5, 11), Some(505));
		assert_eq!(exposure(8, 11), Some(508));
		assert_eq!(exposure(4, 11), None);
	});
}

#[test]
fn a_key_rotation_is_a_checkpoint_and_each_key_answers_for_its_epochs() {
	ExtBuilder::default().build_and_execute(|| {
		register_with(1, params(1, 4, 0, 100, 0));
		add_operator(0, 11, 500, 0);
		next_epoch();
		let new_key = [77u8; 32];
		set_key(0, 11, new_key);
		next_epoch();
		let by_key = |epoch, key: [u8; 32]| {
			<Consumers as ConsumersInterface<_, _>>::operator_of_key_at(epoch, 0, &key)
		};
		assert_eq!((by_key(1, key_of(11)), by_key(1, new_key)), (Some(11), None));
		assert_eq!((by_key(2, key_of(11)), by_key(2, new_key)), (None, Some(11)));
		assert_eq!(KeyOwners::<Test>::get(0, new_key), Some(11));

		// Once the old key's checkpoint leaves the window, its key index entry goes with it.
		set_bond(11, 600);
		run_to_epoch(2 + RETENTION + 1);
		set_bond(11, 700);
		next_epoch();
		assert_eq!(KeyOwners::<Test>::get(0, key_of(11)), None);
		assert_eq!(KeyOwners::<Test>::get(0, new_key), Some(11));
	});
}

#[test]
fn a_pair_that_left_is_answered_until_the_window_passes_then_pruned() {
	ExtBuilder::default().build_and_execute(|| {
		// Given two members from epoch 1; 12 leaves at epoch 2.
		register_with(1, params(1, 4, 0, 100, 0));
		add_operator(0, 11, 500, 0);
		add_operator(0, 12, 400, 0);
		next_epoch();
		set_eligible(0, 12, false);
		next_epoch();
		assert_eq!((exposure(1, 12), exposure(2, 12)), (Some(400), None));
		assert!(PairPruning::<Test>::contains_key((2 + RETENTION, 0, 12)));

		// Epoch 1 stays answered while it is retained.
		run_to_epoch(1 + RETENTION);
		assert_eq!(exposure(1, 12), Some(400));
		assert_eq!(key_owner(1, 12), Some(12));

		// When epoch 2 + RETENTION starts, nothing retained needs the pair: it is gone.
		next_epoch();
		assert_eq!(ExposureIndex::<Test>::get(0, 12).len(), 0);
		assert_eq!(ExposureCheckpoints::<Test>::iter_prefix((0, 12)).count(), 0);
		assert_eq!(KeyOwners::<Test>::get(0, key_of(12)), None);
		assert!(PairPruning::<Test>::iter().next().is_none());
		assert_eq!(Pruning::<Test>::get().epoch, 2 + RETENTION + 1);
		// The one that stayed keeps its single checkpoint.
		assert_eq!(ExposureIndex::<Test>::get(0, 11).len(), 1);
	});
}

#[test]
fn a_pair_that_came_back_is_not_pruned() {
	ExtBuilder::default().build_and_execute(|| {
		register_with(1, params(1, 4, 0, 100, 0));
		add_operator(0, 11, 500, 0);
		add_operator(0, 12, 400, 0);
		next_epoch();
		set_eligible(0, 12, false);
		next_epoch();
		set_eligible(0, 12, true);
		next_epoch();
		run_to_epoch(2 + RETENTION + 1);
		assert_eq!(exposure(2 + RETENTION + 1, 12), Some(400));
		assert_eq!(
			ExposureIndex::<Test>::get(0, 12).last(),
			Some(&Checkpoint { from: 3, key: Some(key_of(12)) })
		);
	});
}

#[test]
fn the_set_of_an_epoch_not_yet_processed_is_not_answered() {
	ExtBuilder::default().build_and_execute(|| {
		register_with(1, params(1, 4, 0, 100, 0));
		add_operator(0, 11, 500, 0);
		next_epoch();
		// The transition into epoch 2 opens but cannot process the consumer in its first block.
		TransitionBudget::set(
			<() as WeightInfo>::on_initialize_idle() + <() as WeightInfo>::start_epoch(),
		);
		run_to_block(20);
		assert_eq!(crate::CurrentEpoch::<Test>::get(), 2);
		assert!(crate::Transition::<Test>::get().is_some());
		assert_eq!((exposure(1, 11), exposure(2, 11)), (Some(500), None));
		assert_eq!(key_owner(2, 11), None);
		TransitionBudget::set(frame_support::weights::Weight::from_parts(1 << 50, 1 << 40));
		run_to_block(21);
		assert_eq!(exposure(2, 11), Some(500));
	});
}

#[test]
fn pruning_is_spread_over_blocks_when_the_budget_is_small() {
	ExtBuilder::default().build_and_execute(|| {
		// Given six members that all leave at epoch 2 (the consumer deregisters).
		register_with(1, params(1, 6, 0, 100, 0));
		for who in 11..17 {
			add_operator(0, who, 500, 0);
		}
		next_epoch();
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		next_epoch();
		assert_eq!(PairPruning::<Test>::iter().count(), 6);
		run_to_epoch(2 + RETENTION - 1);

		// When the epoch they are due starts with room for two pairs.
		let per_pair =
			<() as WeightInfo>::prune_exposures(1) - <() as WeightInfo>::prune_exposures(0);
		// (Not enough for the stopped consumer's worst case: the transition waits, the
		// pruning goes on.)
		TransitionBudget::set(
			<() as WeightInfo>::on_initialize_idle()
				+ <() as WeightInfo>::start_epoch()
				+ <() as WeightInfo>::prune_exposures(2)
				+ per_pair / 2,
		);
		let first = crate::EpochStart::<Test>::get() + EPOCH_LENGTH;
		run_to_block(first);

		// Then two pairs are gone, four wait for the next blocks.
		assert_eq!(PairPruning::<Test>::iter().count(), 4);
		assert_eq!(ExposureIndex::<Test>::iter().count(), 4);
		assert_eq!(Pruning::<Test>::get().epoch, 2 + RETENTION);
		run_to_block(first + 1);
		run_to_block(first + 2);
		assert_eq!(PairPruning::<Test>::iter().count(), 0);
		assert_eq!(ExposureIndex::<Test>::iter().count(), 0);
		assert_eq!(KeyOwners::<Test>::iter().count(), 0);
		Consumers::do_try_state().unwrap();
	});
}

#[cfg(feature = "runtime-benchmarks")]
#[test]
fn benchmark_helpers_create_consumers_and_exposures() {
	use palisade_primitives::{ConsumerRegistry, ExposureInfo};
	ExtBuilder::default().build().execute_with(|| {
		// A consumer id far above the next one.
		<Consumers as ConsumerRegistry>::register_consumer_for_benchmarks(3);
		assert!(<Consumers as ConsumerRegistry>::consumer_exists(3));
		assert_eq!(crate::NextConsumerId::<Test>::get(), 4);
		// Registering keeps ids sorted and unique.
		assert_eq!(register(1), 4);
		<Consumers as ConsumerRegistry>::register_consumer_for_benchmarks(1);
		<Consumers as ConsumerRegistry>::register_consumer_for_benchmarks(3);
		assert_eq!(Consumers::consumer_ids(), vec![1, 3, 4]);

		// An exposure for a new consumer 7, with 9 as its reporter.
		let exposure = ExposureInfo { key: [5; 32], own: 10, pools: vec![(1, 20)], total: 30 };
		<Consumers as ConsumersInterface<_, _>>::set_exposure_for_benchmarks(
			0,
			7,
			&11,
			&9,
			exposure.clone(),
		);
		assert_eq!(<Consumers as ConsumersInterface<_, _>>::reporter(7), Some(9));
		assert_eq!(<Consumers as ConsumersInterface<_, _>>::exposure(0, 7, &11), Some(exposure));
		assert_eq!(
			<Consumers as ConsumersInterface<_, _>>::operator_of_key_at(0, 7, &[5; 32]),
			Some(11)
		);
		// An existing consumer gets the given reporter.
		<Consumers as ConsumersInterface<_, _>>::set_exposure_for_benchmarks(
			0,
			4,
			&11,
			&8,
			ExposureInfo { key: [6; 32], own: 1, pools: vec![], total: 1 },
		);
		assert_eq!(<Consumers as ConsumersInterface<_, _>>::reporter(4), Some(8));
	});
}
