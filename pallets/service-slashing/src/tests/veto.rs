//! Governance's veto: cancelling pending slashes.

use crate::{mock::*, Error, Event, OffenceKind, PendingSlashes, SlashesDue};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;

#[test]
fn a_cancelled_slash_takes_nothing_at_its_due_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a report due at epoch 3.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		slashing_events();

		// When governance cancels it during the veto window.
		start_epoch(1);
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0));

		// Then it is gone, with an event.
		assert!(!PendingSlashes::<Test>::contains_key(0));
		assert!(!SlashesDue::<Test>::contains_key(3, 0));
		assert_eq!(crate::ConsumerPendingCount::<Test>::get(CONSUMER), 0);
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

		// And nothing is taken at the due epoch, nor later.
		start_epoch(3);
		start_epoch(4);
		assert!(MockOperators::bond_slashes().is_empty());
		assert!(MockPools::pool_slashes().is_empty());
		assert!(MockOperators::jails().is_empty());
		assert!(slashing_events().is_empty());
		assert_eq!((bond(OPERATOR), pool_value(100), pool_value(101)), (1_000, 10_000, 5_000));
	});
}

#[test]
fn a_cancelled_report_does_not_shield_its_span() {
	ExtBuilder::default().build_and_execute(|| {
		// A 5% report is vetoed: the span falls back, so a 1% report still counts whole.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0));
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 0));
		assert_eq!(
			PendingSlashes::<Test>::get(1).unwrap().fraction,
			sp_runtime::Perbill::from_percent(1)
		);
	});
}

#[test]
fn a_vetoed_report_cannot_be_filed_again() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0));
		assert_noop!(
			report(OPERATOR, OffenceKind::Misbehaviour, 0),
			Error::<Test>::DuplicateReport
		);
	});
}

#[test]
fn only_governance_may_cancel() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		for who in [ALICE, ADMIN, REPORTER, OPERATOR, TREASURY] {
			assert_noop!(
				ServiceSlashing::cancel_slash(RuntimeOrigin::signed(who), 0),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(
			ServiceSlashing::cancel_slash(RuntimeOrigin::none(), 0),
			DispatchError::BadOrigin
		);
		assert!(PendingSlashes::<Test>::contains_key(0));
	});
}

#[test]
fn an_unknown_or_executed_slash_cannot_be_cancelled() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0),
			Error::<Test>::UnknownSlash
		);
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		start_epoch(3);
		assert_noop!(
			ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0),
			Error::<Test>::UnknownSlash
		);
		// A cancelled one cannot be cancelled twice.
		expose(5, CONSUMER, OPERATOR, 100, &[]);
		set_epoch(5);
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 5));
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 1));
		assert_noop!(
			ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 1),
			Error::<Test>::UnknownSlash
		);
	});
}

#[test]
fn a_due_slash_still_queued_can_be_cancelled() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a slash due at epoch 3 that could not execute yet (no budget).
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		next_block();
		set_epoch(3);
		use palisade_primitives::EpochHooks;
		<ServiceSlashing as EpochHooks>::on_epoch_start(3, frame_support::weights::Weight::zero());
		assert!(PendingSlashes::<Test>::contains_key(0));

		// Governance can still veto it: it has not executed.
		assert_ok!(ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0));
		next_block();
		<ServiceSlashing as EpochHooks>::on_idle_epoch_work(3, frame_support::weights::Weight::MAX);
		assert!(MockOperators::bond_slashes().is_empty());
	});
}
