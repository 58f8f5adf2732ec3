//! Exposure retention and pruning.

use crate::{mock::*, weights::WeightInfo, ExposureKeys, Exposures, PruneStage, Pruning};
use frame_support::weights::Weight;
use palisade_primitives::ConsumersInterface;

fn exposures_of(epoch: u32) -> usize {
	Exposures::<Test>::iter_prefix((epoch,)).count()
}

fn keys_of(epoch: u32) -> usize {
	ExposureKeys::<Test>::iter_prefix((epoch,)).count()
}

#[test]
fn exposures_are_kept_for_the_retention_then_pruned() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an active consumer with one operator from epoch 1.
		register_with(1, params(1, 4, 0, 100, 0));
		add_operator(0, 11, 500, 0);
		next_epoch();
		assert_eq!(<Consumers as ConsumersInterface<_, _>>::exposure_retention(), RETENTION);

		// Epoch 1's exposure is kept through epoch 1 + RETENTION.
		run_to_epoch(1 + RETENTION);
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(1, 0, &11).is_some());
		assert_eq!((exposures_of(1), keys_of(1)), (1, 1));

		// And pruned when the next epoch starts, key index included.
		next_epoch();
		assert_eq!((exposures_of(1), keys_of(1)), (0, 0));
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(1, 0, &11).is_none());
		assert_eq!(
			<Consumers as ConsumersInterface<_, _>>::operator_of_key_at(1, 0, &key_of(11)),
			None
		);
		assert_eq!((exposures_of(2), keys_of(2)), (1, 1));
		assert_eq!(Pruning::<Test>::get().epoch, 2);
		// Future epochs are never answered.
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(6, 0, &11).is_none());
	});
}

#[test]
fn pruning_is_spread_over_blocks_when_the_budget_is_small() {
	let mut ext = ExtBuilder::default().build();
	ext.execute_with(|| {
		// Given six operators, each backed by the most pools (so the consumer costs exactly its
		// worst case), exposed in epochs 1 to 4.
		register_with(1, params(1, 6, 0, 100, 0));
		for who in 11..17 {
			add_operator(0, who, 500, 0);
			for pool in 1..=MAX_POOLS {
				back(who, 0, pool, 10);
			}
		}
		run_to_epoch(1 + RETENTION);
		run_to_block(49);
		assert_eq!(exposures_of(1), 6);
	});
	// Pruning limits count storage entries of the backend, not of the overlay.
	ext.commit_all().unwrap();
	ext.execute_with(|| {
		// When epoch 5 starts with room for the consumer and two pruned entries.
		let per_entry =
			<() as WeightInfo>::prune_exposures(1) - <() as WeightInfo>::prune_exposures(0);
		TransitionBudget::set(
			<() as WeightInfo>::on_initialize_idle()
				+ <() as WeightInfo>::start_epoch()
				+ Consumers::worst_consumer_weight()
				+ <() as WeightInfo>::prune_exposures(2)
				+ per_entry / 2,
		);
		run_to_block(50);

		// Then two of epoch 1's exposures are gone and a cursor is kept.
		assert_eq!(exposures_of(1), 4);
		assert_eq!(keys_of(1), 6);
		let state = Pruning::<Test>::get();
		assert_eq!((state.epoch, state.stage), (1, PruneStage::Exposures));
		assert!(state.cursor.is_some());
		// Meanwhile the expired epoch is no longer answered.
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(1, 0, &16).is_none());

		// And the next block, with the whole budget, finishes the job.
		run_to_block(51);
		assert_eq!((exposures_of(1), keys_of(1)), (0, 0));
		assert_eq!((exposures_of(2), keys_of(2)), (6, 6));
		assert_eq!(Pruning::<Test>::get(), crate::PruneState { epoch: 2, ..Default::default() });
		Consumers::do_try_state().unwrap();
		let _ = Weight::zero();
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
