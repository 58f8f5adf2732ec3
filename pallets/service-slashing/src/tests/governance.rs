//! Governance over one consumer's pending slashes: cancel them all, freeze and unfreeze them.

use crate::{mock::*, Error, Event, FrozenConsumers, OffenceKind, PendingSlashes};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

/// Operators 31..34 reported on consumer 1 (ids 0..3), operator 40 on consumer 2 (id 3).
fn two_consumers_with_slashes() {
	add_consumer(2, 30, 31);
	for operator in 31..34 {
		set_bond(operator, 100);
		expose(0, CONSUMER, operator, 100, &[]);
		assert_ok!(report(operator, OffenceKind::Downtime, 0));
	}
	set_bond(40, 100);
	expose(0, 2, 40, 100, &[]);
	assert_ok!(ServiceSlashing::report_offence(
		RuntimeOrigin::signed(30),
		2,
		40,
		OffenceKind::Downtime,
		0,
		details(b""),
	));
	slashing_events();
}

fn executed() -> Vec<u32> {
	slashing_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::SlashExecuted { slash_id, .. } => Some(slash_id),
			_ => None,
		})
		.collect()
}

#[test]
fn governance_cancels_all_pending_slashes_of_a_consumer() {
	ExtBuilder::default().build_and_execute(|| {
		two_consumers_with_slashes();
		slashing_events();
		assert_ok!(ServiceSlashing::cancel_consumer_slashes(RuntimeOrigin::root(), CONSUMER));
		assert_eq!(
			slashing_events(),
			vec![Event::ConsumerSlashesCancelled { consumer_id: CONSUMER, below: 4, cancelled: 3 }]
		);
		// The next block sweeps them: one `SlashCancelled` each, then the count.
		next_block();
		let events = slashing_events();
		assert_eq!(events.iter().filter(|e| matches!(e, Event::SlashCancelled { .. })).count(), 3);
		assert_eq!(
			events.last(),
			Some(&Event::ConsumerSlashesSwept { consumer_id: CONSUMER, below: 4, swept: 3 })
		);
		assert_eq!(ServiceSlashing::pending_slashes_of(CONSUMER), vec![]);
		// The other consumer's slash stays and executes.
		start_epoch(3);
		assert_eq!(executed(), vec![3]);
		// Nothing left to cancel.
		assert_noop!(
			ServiceSlashing::cancel_consumer_slashes(RuntimeOrigin::root(), CONSUMER),
			Error::<Test>::NothingPending
		);
	});
}

#[test]
fn only_governance_may_cancel_freeze_or_unfreeze() {
	ExtBuilder::default().build_and_execute(|| {
		two_consumers_with_slashes();
		for who in [ALICE, ADMIN, REPORTER, OPERATOR] {
			let origin = || RuntimeOrigin::signed(who);
			assert_noop!(
				ServiceSlashing::cancel_consumer_slashes(origin(), CONSUMER),
				DispatchError::BadOrigin
			);
			assert_noop!(
				ServiceSlashing::freeze_consumer_slashes(origin(), CONSUMER),
				DispatchError::BadOrigin
			);
			assert_noop!(
				ServiceSlashing::unfreeze_consumer_slashes(origin(), CONSUMER),
				DispatchError::BadOrigin
			);
		}
	});
}

#[test]
fn frozen_slashes_wait_until_unfrozen() {
	ExtBuilder::default().build_and_execute(|| {
		two_consumers_with_slashes();
		assert_ok!(ServiceSlashing::freeze_consumer_slashes(RuntimeOrigin::root(), CONSUMER));
		assert_eq!(
			slashing_events(),
			vec![Event::ConsumerSlashesFrozen { consumer_id: CONSUMER, pending: 3 }]
		);
		assert_noop!(
			ServiceSlashing::freeze_consumer_slashes(RuntimeOrigin::root(), CONSUMER),
			Error::<Test>::AlreadyFrozen
		);

		// At the due epoch, consumer 1's slashes are held; consumer 2's executes.
		start_epoch(3);
		let events = slashing_events();
		assert_eq!(events.iter().filter(|e| matches!(e, Event::SlashHeldFrozen { .. })).count(), 3);
		assert!(events.iter().any(|e| matches!(e, Event::SlashExecuted { slash_id: 3, .. })));
		start_epoch(6);
		assert!(executed().is_empty());
		assert_eq!(PendingSlashes::<Test>::iter().count(), 3);

		// Unfrozen: queued again in report order, and executed.
		assert_ok!(ServiceSlashing::unfreeze_consumer_slashes(RuntimeOrigin::root(), CONSUMER));
		assert_eq!(
			slashing_events(),
			vec![Event::ConsumerSlashesUnfrozen { consumer_id: CONSUMER, pending: 3, requeued: 3 }]
		);
		assert!(!FrozenConsumers::<Test>::contains_key(CONSUMER));
		next_block_work(6);
		assert_eq!(executed(), vec![0, 1, 2]);
		assert_noop!(
			ServiceSlashing::unfreeze_consumer_slashes(RuntimeOrigin::root(), CONSUMER),
			Error::<Test>::NotFrozen
		);
	});
}

#[test]
fn a_held_slash_can_be_cancelled_and_an_early_unfreeze_requeues_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		two_consumers_with_slashes();
		// Frozen and unfrozen before the due epoch: nothing left the queue.
		assert_ok!(ServiceSlashing::freeze_consumer_slashes(RuntimeOrigin::root(), CONSUMER));
		assert_ok!(ServiceSlashing::unfreeze_consumer_slashes(RuntimeOrigin::root(), CONSUMER));
		assert!(matches!(
			slashing_events().last(),
			Some(Event::ConsumerSlashesUnfrozen { requeued: 0, pending: 3, .. })
		));
		// Frozen again and held at the due epoch; a held slash can be cancelled.
		assert_ok!(ServiceSlashing::freeze_consumer_slashes(RuntimeOrigin::root(), CONSUMER));
		start_epoch(3);
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 1));
		assert_ok!(ServiceSlashing::unfreeze_consumer_slashes(RuntimeOrigin::root(), CONSUMER));
		slashing_events();
		next_block_work(3);
		assert_eq!(executed(), vec![0, 2]);
	});
}
