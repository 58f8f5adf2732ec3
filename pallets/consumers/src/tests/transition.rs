//! The metered transition: spread over blocks, every consumer exactly once, in id order.

use crate::{
	mock::*, weights::WeightInfo, Changes, ConsumerStatus, CurrentEpoch, EpochStart, Event,
	Transition,
};
use frame_support::{assert_ok, traits::Hooks, weights::Weight};

/// The smallest budget `integrity_test` accepts: an idle block and the largest of the epoch
/// start, one exposure pruning and the largest page of any consumer's step.
fn one_page() -> Weight {
	<() as WeightInfo>::on_initialize_idle()
		+ Consumers::largest_page_weight()
			.max(<() as WeightInfo>::start_epoch())
			.max(<() as WeightInfo>::prune_exposures(1))
}

/// A budget that drains every change note noted so far and then has room for the whole step
/// of one selecting consumer of one operator per block, not two (the transition charges each
/// page what it can cost, not the worst case).
fn one_consumer_per_block() -> Weight {
	let notes = Changes::<Test>::iter_keys().count() as u64;
	<() as WeightInfo>::on_initialize_idle()
		+ <() as WeightInfo>::expand_change(1).saturating_mul(notes)
		+ <() as WeightInfo>::expand_change(0)
		+ Consumers::consumer_step_weight(1, 0)
		+ Weight::from_parts(1, 1)
}

/// `count` funded consumers of admins 1.., each with its own operator 11...
fn consumers(count: u32) {
	for i in 0..count {
		let id = register(1 + i as AccountId);
		add_operator(id, 11 + i as AccountId, 500, 0);
		fund(id, 10_000);
	}
}

/// Run block `n` alone; returns its weight and the consumers whose step it finished (their
/// set published).
fn block(n: u64) -> (Weight, Vec<u32>) {
	consumer_events();
	System::set_block_number(n);
	let weight = Consumers::on_initialize(n);
	let processed = consumer_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::ValidatorSetUpdated { consumer_id, .. } => Some(consumer_id),
			_ => None,
		})
		.collect();
	Consumers::do_try_state().expect("invariants hold between blocks");
	(weight, processed)
}

#[test]
fn a_small_budget_spreads_the_transition_over_blocks() {
	ExtBuilder::default().build_and_execute(|| {
		// Given four consumers and room for one consumer per block.
		consumers(4);
		run_to_block(9);
		let budget = one_consumer_per_block();
		TransitionBudget::set(budget);

		// When the epoch starts, the start itself leaves no room for a whole consumer (its
		// step begins); then one consumer finishes per block, in id order, and the transition
		// closes with the last one.
		let mut processed = Vec::new();
		for n in 10..=14 {
			let (weight, in_block) = block(n);
			assert!(weight.all_lte(budget), "block {n} used {weight:?} of {budget:?}");
			processed.push(in_block);
			assert_eq!(CurrentEpoch::<Test>::get(), 1);
		}
		assert_eq!(processed, vec![vec![], vec![0], vec![1], vec![2], vec![3]]);
		assert!(Transition::<Test>::get().is_none());
		for id in 0..4 {
			assert_eq!(status(id), ConsumerStatus::Active);
			assert_eq!(record(id).escrow, 9_000);
		}

		// And nothing is processed twice.
		let (_, in_block) = block(15);
		assert!(in_block.is_empty());
	});
}

#[test]
fn the_next_epoch_waits_for_an_unfinished_transition() {
	ExtBuilder::default().with_epoch_length(2).build_and_execute(|| {
		consumers(4);
		TransitionBudget::set(one_consumer_per_block());

		// Epoch 1 starts in block 2; blocks 3 to 6 process the four consumers.
		let processed: Vec<Vec<u32>> = (2..=6).map(|n| block(n).1).collect();
		assert_eq!(processed, vec![vec![], vec![0], vec![1], vec![2], vec![3]]);
		// Block 4 was due to start epoch 2, but epoch 1's transition was not finished.
		assert_eq!(CurrentEpoch::<Test>::get(), 1);
		assert!(Transition::<Test>::get().is_none());

		// Epoch 2 starts in the first block after that.
		block(7);
		assert_eq!(CurrentEpoch::<Test>::get(), 2);
		assert_eq!(EpochStart::<Test>::get(), 7);
		assert_eq!(Consumers::next_epoch_start(), 9);
	});
}

#[test]
fn neighbours_overrunning_the_budget_delay_the_consumers_and_are_reported() {
	ExtBuilder::default().build_and_execute(|| {
		consumers(2);
		run_to_block(9);
		let budget = one_consumer_per_block();
		TransitionBudget::set(budget);
		MockOperators::set_epoch_weight(budget * 2);

		// The block reports the operator registry's weight even beyond the budget, and has no
		// room left for a consumer.
		let (weight, processed) = block(10);
		assert!(weight.all_gte(budget * 2));
		assert!(processed.is_empty());
		assert_eq!(block(11).1, vec![0]);
		assert_eq!(block(12).1, vec![1]);
	});
}

#[test]
fn consumers_registered_or_updated_during_a_transition() {
	ExtBuilder::default().build_and_execute(|| {
		consumers(2);
		run_to_block(9);
		TransitionBudget::set(one_consumer_per_block());
		assert_eq!(block(10).1, Vec::<u32>::new());
		assert_eq!(block(11).1, vec![0]);

		// A parameter update of consumer 1, not processed yet, waits for epoch 2.
		assert_ok!(Consumers::update_params(RuntimeOrigin::signed(2), 1, params(1, 4, 0, 100, 5)));
		// A consumer registered now is processed by this transition.
		let late = register(3);
		add_operator(late, 13, 500, 0);
		fund(late, 10_000);

		assert_eq!(block(12).1, vec![1]);
		assert_eq!(record(1).escrow, 9_000);
		assert_eq!(block(13).1, vec![late]);
		assert_eq!(status(late), ConsumerStatus::Active);
		assert!(Transition::<Test>::get().is_none());
	});
}

#[test]
fn the_integrity_test_rejects_a_budget_too_small_for_one_page() {
	ExtBuilder::default().build_and_execute(|| {
		<Consumers as Hooks<u64>>::integrity_test();
		TransitionBudget::set(one_page());
		<Consumers as Hooks<u64>>::integrity_test();
		TransitionBudget::set(one_page() - Weight::from_parts(1, 1));
		let result = std::panic::catch_unwind(<Consumers as Hooks<u64>>::integrity_test);
		assert!(result.is_err());
	});
}
