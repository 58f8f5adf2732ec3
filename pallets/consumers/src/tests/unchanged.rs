//! Epochs where nothing changed: a consumer none of whose inputs were noted as changed
//! republishes its set (fresh set id, the epoch paid) without selecting; a noted change makes
//! it select again at the epoch the change takes effect; a change nobody noted fails
//! `try_state` (the safety net).

use crate::{
	mock::*, weights::WeightInfo, Changes, ConsumerStatus, DirtyConsumers, Event, ExpandedEpoch,
	Transition,
};
use frame_support::{traits::Get, weights::Weight};
use palisade_primitives::{ChangeNotes, ChangeSubject, ConsumerId};

/// One active consumer (admin 1) with operators 11, 12, 13 (bonds 300, 200, 100), the first
/// backed by pool 7 with 50.
fn active_consumer() -> ConsumerId {
	let id = register(1);
	add_operator(id, 11, 300, 10);
	add_operator(id, 12, 200, 0);
	add_operator(id, 13, 100, 0);
	back(11, id, 7, 50);
	fund(id, 10_000);
	next_epoch();
	assert_eq!(status(id), ConsumerStatus::Active);
	id
}

/// The consumers whose selection ran since the last call.
fn selected() -> Vec<ConsumerId> {
	take_neighbour_calls()
		.into_iter()
		.filter_map(|call| match call {
			NeighbourCall::OptedInQuery(consumer, _) => Some(consumer),
			_ => None,
		})
		.collect()
}

#[test]
fn an_epoch_where_nothing_changed_republishes_without_selecting() {
	ExtBuilder::default().build_and_execute(|| {
		let id = active_consumer();
		let set = crate::ValidatorSets::<Test>::get(id).expect("a set");
		let escrow = record(id).escrow;
		selected();
		consumer_events();

		next_epoch();

		// No selection read; the same members under the next set id; the epoch paid.
		assert_eq!(selected(), Vec::<ConsumerId>::new());
		let again = crate::ValidatorSets::<Test>::get(id).expect("a set");
		assert_eq!(again.members, set.members);
		assert_eq!(again.set_id, set.set_id + 1);
		assert_eq!(again.epoch, set.epoch + 1);
		assert_eq!(again.set_hash, set.set_hash);
		assert_eq!(record(id).escrow, escrow - 1_000);
		let events = consumer_events();
		assert!(events.iter().any(|event| matches!(
			event,
			Event::LeasePaid { consumer_id, paid: 1_000, .. } if *consumer_id == id
		)));
		assert!(events.iter().any(|event| matches!(
			event,
			Event::ValidatorSetUpdated { consumer_id, set_id, members: 3, .. }
				if *consumer_id == id && *set_id == set.set_id + 1
		)));
	});
}

#[test]
fn a_bond_change_selects_again_at_the_next_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		let id = active_consumer();
		selected();

		set_bond(13, 400);
		next_epoch();

		assert_eq!(selected(), vec![id]);
		assert_eq!(
			members(id),
			vec![(13, key_of(13), 400), (11, key_of(11), 350), (12, key_of(12), 200)]
		);
		// Nothing changed since: republished.
		next_epoch();
		assert_eq!(selected(), Vec::<ConsumerId>::new());
	});
}

#[test]
fn a_pool_change_selects_again_every_consumer_it_backs_and_no_other() {
	ExtBuilder::default().build_and_execute(|| {
		let first = active_consumer();
		let second = register(2);
		add_operator(second, 21, 500, 0);
		fund(second, 10_000);
		next_epoch();
		selected();

		// Pool 7 backs operator 11 in the first consumer only.
		MockPools::back(11, first, 7, 80);
		note(ChangeSubject::Pool(7));
		next_epoch();

		assert_eq!(selected(), vec![first]);
		assert_eq!(members(first)[0], (11, key_of(11), 380));
	});
}

#[test]
fn a_change_scheduled_for_a_later_epoch_selects_again_only_then() {
	ExtBuilder::default().build_and_execute(|| {
		let id = active_consumer();
		let now = crate::CurrentEpoch::<Test>::get();
		selected();

		<Consumers as ChangeNotes<AccountId>>::note_change(ChangeSubject::Consumer(id), now + 3);
		next_epoch();
		assert_eq!(selected(), Vec::<ConsumerId>::new());
		next_epoch();
		assert_eq!(selected(), Vec::<ConsumerId>::new());
		next_epoch();
		assert_eq!(selected(), vec![id]);
		assert_eq!(Changes::<Test>::iter().count(), 0);
	});
}

#[test]
fn a_change_noted_before_the_epoch_start_drains_counts_for_that_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		let id = active_consumer();
		let now = crate::CurrentEpoch::<Test>::get();
		assert_eq!(ExpandedEpoch::<Test>::get(), now);

		// Between transitions a change counts from the next epoch.
		note(ChangeSubject::Consumer(id));
		assert!(Changes::<Test>::contains_key(now + 1, ChangeSubject::Consumer(id)));
		Changes::<Test>::remove(now + 1, ChangeSubject::Consumer(id));

		// While the next epoch's transition is open and its notes not drained yet (a slash
		// executed by the epoch-start hooks), a change counts for that epoch already.
		let start = Consumers::next_epoch_start();
		System::set_block_number(start);
		crate::EpochStart::<Test>::put(start);
		crate::CurrentEpoch::<Test>::put(now + 1);
		Transition::<Test>::put(crate::TransitionCursor { epoch: now + 1, last: None });
		note(ChangeSubject::Operator(12));
		assert!(Changes::<Test>::contains_key(now + 1, ChangeSubject::Operator(12)));
		let mut meter = frame_support::weights::WeightMeter::new();
		assert!(Consumers::expand_changes(now + 1, &mut meter));
		assert!(DirtyConsumers::<Test>::contains_key(id));
		assert_eq!(ExpandedEpoch::<Test>::get(), now + 1);

		// Once drained, a change counts from the epoch after.
		note(ChangeSubject::Operator(12));
		assert!(Changes::<Test>::contains_key(now + 2, ChangeSubject::Operator(12)));
		Changes::<Test>::remove(now + 2, ChangeSubject::Operator(12));
		// Finish the transition (the consumer is dirty: selected again).
		selected();
		run_to_block(System::block_number() + 1);
		assert_eq!(selected(), vec![id]);
		assert!(Transition::<Test>::get().is_none());
	});
}

#[test]
fn a_change_nobody_noted_fails_the_safety_net() {
	ExtBuilder::default().build_and_execute(|| {
		let id = active_consumer();
		assert!(Consumers::do_try_state().is_ok());

		// A neighbour changes a member's bond without noting it: the next transition would
		// republish a stale set, and `try_state` says so.
		MockOperators::set_bond(13, 400);
		assert!(Consumers::do_try_state().is_err());

		// Noted, the consumer is selected again and the invariants hold.
		note(ChangeSubject::Operator(13));
		assert!(Consumers::do_try_state().is_ok());
		next_epoch();
		assert_eq!(members(id)[0], (13, key_of(13), 400));
	});
}

#[test]
fn unchanged_consumers_pack_many_to_a_block() {
	ExtBuilder::default().build_and_execute(|| {
		// Four active consumers, each with one operator.
		for i in 0..4u32 {
			let id = register(1 + i as AccountId);
			add_operator(id, 11 + i as AccountId, 500, 0);
			fund(id, 10_000);
		}
		next_epoch();
		for id in 0..4 {
			assert_eq!(status(id), ConsumerStatus::Active);
		}
		// Room for one selecting consumer per block but not two, which is more than four
		// republications.
		let budget = <() as WeightInfo>::on_initialize_idle()
			+ <() as WeightInfo>::expand_change(0)
			+ Consumers::worst_consumer_weight()
			+ Weight::from_parts(1, 1);
		let republish = <() as WeightInfo>::process_unchanged_consumer(1)
			+ <<Test as frame_system::Config>::DbWeight as Get<
				frame_support::weights::RuntimeDbWeight,
			>>::get()
			.reads(4);
		assert!(republish.saturating_mul(4).all_lte(Consumers::worst_consumer_weight()));
		TransitionBudget::set(budget);
		selected();

		// The epoch start block, then one block for all four.
		let start = crate::Pallet::<Test>::next_epoch_start();
		run_to_block(start + 1);
		assert!(Transition::<Test>::get().is_none(), "all four republished in one block");
		assert_eq!(selected(), Vec::<ConsumerId>::new());
		for id in 0..4 {
			assert_eq!(crate::ValidatorSets::<Test>::get(id).map(|set| set.epoch), Some(2));
		}
	});
}
