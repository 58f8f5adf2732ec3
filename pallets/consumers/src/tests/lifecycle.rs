//! The lifecycle: Registered → Active ⇄ Paused → Deregistered → removed.

use crate::{
	mock::*, ConsumerIds, ConsumerStatus, Error, Event, PauseReason, ValidatorSets, REWARD_SCALE,
};
use frame_support::{assert_noop, assert_ok};
use palisade_primitives::{ConsumerRegistry, ConsumersInterface};

/// Consumer 0 of admin 1 with operator 11 (bond 500), funded with `escrow`, active from
/// epoch 1.
fn active_consumer(escrow: Balance) {
	register(1);
	add_operator(0, 11, 500, 0);
	fund(0, escrow);
	next_epoch();
	assert_eq!(status(0), ConsumerStatus::Active);
	consumer_events();
}

#[test]
fn a_consumer_becomes_active_with_enough_operators_and_escrow() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a consumer wanting at least two operators, funded, with one operator.
		register_with(1, params(2, 4, 0, 100, 1_000));
		add_operator(0, 11, 500, 0);
		fund(0, 5_000);
		consumer_events();

		// When epoch 1 starts, it stays registered: no set, no payment.
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Registered);
		assert!(ValidatorSets::<Test>::get(0).is_none());
		assert_eq!(record(0).escrow, 5_000);
		assert_eq!(consumer_events(), vec![Event::EpochStarted { epoch: 1, first_block: 10 }]);

		// When a second operator opts in, epoch 2 activates it, pays and publishes.
		add_operator(0, 12, 500, 0);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Active);
		let set = ValidatorSets::<Test>::get(0).expect("published");
		assert_eq!(set.members.into_inner(), vec![(11, key_of(11), 500), (12, key_of(12), 500)]);
		assert_eq!(record(0).escrow, 4_000);
		assert_eq!(
			consumer_events(),
			vec![
				Event::EpochStarted { epoch: 2, first_block: 20 },
				Event::ConsumerActivated { consumer_id: 0, epoch: 2 },
				Event::LeasePaid {
					consumer_id: 0,
					epoch: 2,
					paid: 1_000,
					escrow: 4_000,
					// 1_000 over a total power of 1_000.
					reward_per_power: REWARD_SCALE,
				},
				Event::ValidatorSetUpdated {
					consumer_id: 0,
					epoch: 2,
					set_id: 0,
					set_hash: set.set_hash,
					members: 2,
				},
			]
		);
	});
}

#[test]
fn a_consumer_short_of_operators_is_paused_and_resumes() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an active consumer needing two operators, with exactly two.
		register_with(1, params(2, 4, 0, 100, 1_000));
		add_operator(0, 11, 500, 0);
		add_operator(0, 12, 500, 0);
		fund(0, 10_000);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Active);
		let set_id = ValidatorSets::<Test>::get(0).unwrap().set_id;
		consumer_events();

		// When one of them is jailed (not eligible), the next epoch pauses it: no set, no
		// payment.
		set_eligible(0, 12, false);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Paused { reason: PauseReason::NotEnoughOperators });
		assert!(ValidatorSets::<Test>::get(0).is_none());
		assert_eq!(record(0).escrow, 9_000);
		assert_eq!(
			consumer_events(),
			vec![
				Event::EpochStarted { epoch: 2, first_block: 20 },
				Event::ConsumerPaused {
					consumer_id: 0,
					epoch: 2,
					reason: PauseReason::NotEnoughOperators,
				},
			]
		);

		// When the jail ends, it resumes with the same members under a fresh set id (ids are
		// never reused).
		set_eligible(0, 12, true);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Active);
		assert_eq!(record(0).escrow, 8_000);
		assert_eq!(ValidatorSets::<Test>::get(0).unwrap().set_id, set_id + 1);
		let events = consumer_events();
		assert!(events.contains(&Event::ConsumerActivated { consumer_id: 0, epoch: 3 }));
		assert!(events.iter().any(
			|e| matches!(e, Event::ValidatorSetUpdated { set_id: id, .. } if *id == set_id + 1)
		));
	});
}

#[test]
fn an_underfunded_consumer_is_paused_and_resumes_after_fund_lease() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a consumer active in epoch 1 with 500 left after paying 1_000.
		active_consumer(1_500);
		assert_eq!(record(0).escrow, 500);

		// When epoch 2 starts, it cannot pay: paused, escrow untouched.
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Paused { reason: PauseReason::InsufficientEscrow });
		assert_eq!(record(0).escrow, 500);
		assert!(consumer_events().contains(&Event::ConsumerPaused {
			consumer_id: 0,
			epoch: 2,
			reason: PauseReason::InsufficientEscrow,
		}));

		// When the lease is topped up to exactly one payment, epoch 3 resumes and pays it.
		fund(0, 500);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Active);
		assert_eq!(record(0).escrow, 0);
		assert_eq!(escrow_balance(0), ED);
	});
}

#[test]
fn not_enough_operators_is_reported_before_insufficient_escrow() {
	ExtBuilder::default().build_and_execute(|| {
		active_consumer(1_000);
		opt_out(0, 11);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Paused { reason: PauseReason::NotEnoughOperators });
		// Still short of both: the reason follows what is missing first, without an event.
		consumer_events();
		add_operator(0, 12, 500, 0);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Paused { reason: PauseReason::InsufficientEscrow });
		assert_eq!(consumer_events(), vec![Event::EpochStarted { epoch: 3, first_block: 30 }]);
	});
}

#[test]
fn a_registered_consumer_short_of_escrow_stays_registered() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		add_operator(0, 11, 500, 0);
		fund(0, 999);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Registered);
		assert!(ValidatorSets::<Test>::get(0).is_none());
	});
}

#[test]
fn deregistration_stops_the_set_at_the_next_transition() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a consumer active in epoch 1.
		active_consumer(10_000);

		// When its admin deregisters it during epoch 1.
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));

		// Then it keeps its set for the rest of epoch 1 ...
		assert_eq!(status(0), ConsumerStatus::Deregistered { last_active_epoch: 1 });
		assert!(ValidatorSets::<Test>::get(0).is_some());
		assert_eq!(
			consumer_events(),
			vec![Event::ConsumerDeregistered {
				consumer_id: 0,
				last_active_epoch: 1,
				refundable_from: 1 + RETENTION + 1,
			}]
		);

		// ... and loses it at the transition into epoch 2, without paying.
		next_epoch();
		assert!(ValidatorSets::<Test>::get(0).is_none());
		assert_eq!(record(0).escrow, 9_000);
		assert_eq!(
			consumer_events(),
			vec![
				Event::EpochStarted { epoch: 2, first_block: 20 },
				Event::ConsumerStopped { consumer_id: 0, epoch: 2 },
			]
		);
		// Epoch 1's exposures stay for the slashing window; none is taken for epoch 2.
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(1, 0, &11).is_some());
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(2, 0, &11).is_none());
		// Operators may still be opted in: the consumer still exists for them.
		assert!(<Consumers as ConsumerRegistry>::consumer_exists(0));
	});
}

#[test]
fn escrow_and_deposit_are_refunded_exactly_when_the_window_ends() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a consumer deregistered in epoch 1 whose operator opted out.
		active_consumer(10_000);
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		opt_out(0, 11);
		let admin_before = free(1);

		// When the window has not passed (epoch 1 + RETENTION), reaping is too early.
		run_to_epoch(1 + RETENTION);
		assert_noop!(
			Consumers::reap_consumer(RuntimeOrigin::signed(3), 0),
			Error::<Test>::TooEarly
		);

		// When the next epoch starts, anyone may reap.
		next_epoch();
		consumer_events();
		assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), 0));

		// Then the admin got the escrow, the depositor the deposit and the existential deposit,
		// and the record is gone.
		assert_eq!(free(1), admin_before + 9_000 + DEPOSIT + ED);
		assert_eq!(held(1), 0);
		assert_eq!(escrow_balance(0), 0);
		assert!(!<Consumers as ConsumerRegistry>::consumer_exists(0));
		assert!(ConsumerIds::<Test>::get().is_empty());
		assert_eq!(
			consumer_events(),
			vec![
				Event::EscrowRefunded { consumer_id: 0, admin: 1, amount: 9_000 },
				Event::ConsumerRemoved {
					consumer_id: 0,
					depositor: 1,
					deposit: DEPOSIT,
					penalty: 0,
					swept: ED
				},
			]
		);
		assert_noop!(
			Consumers::reap_consumer(RuntimeOrigin::signed(3), 0),
			Error::<Test>::UnknownConsumer
		);
	});
}

/// An operator that stays opted in to a deregistered consumer kept its record (and the
/// depositor's deposit) for ever: before, `reap_consumer` refused with
/// `OperatorsStillOptedIn` as long as one operator (possibly the depositor's adversary) stayed,
/// so the deposit (100 in the mock, 1,000 PAL on Palisade) and the consumer slot were lost to
/// the depositor. After: the reap removes the remaining opt-ins (no slash can reach them past
/// the retention), a page per call, and the call that finds none left returns everything.
#[test]
fn opted_in_operators_cannot_keep_a_reaped_consumer_alive() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a deregistered consumer whose operator stays opted in.
		active_consumer(10_000);
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		run_to_epoch(1 + RETENTION + 1);
		consumer_events();
		let before = free(1);

		// When it is reaped: a page removes the opt-in ...
		assert_ok!(Consumers::set_chain_anchor(RuntimeOrigin::signed(1), 0, 0));
		consumer_events();
		assert!(crate::PublishedSets::<Test>::iter_prefix(0).next().is_some());
		assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), 0));
		assert!(!mock_opt_ins().contains_key(&0));
		assert_eq!(
			consumer_events(),
			vec![Event::ConsumerReapProgress {
				consumer_id: 0,
				opt_ins_removed: 1,
				opt_ins_remaining: 0,
			}]
		);
		assert!(<Consumers as ConsumerRegistry>::consumer_exists(0));
		// ... and the next call removes the record.
		assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), 0));

		// Then the depositor has everything back.
		assert!(crate::PublishedSets::<Test>::iter_prefix(0).next().is_none());
		assert!(crate::ChainAnchors::<Test>::get(0).is_none());
		assert!(!<Consumers as ConsumerRegistry>::consumer_exists(0));
		assert_eq!(held(1), 0);
		assert_eq!(free(1), before + 9_000 + DEPOSIT + ED);
		assert_eq!(
			consumer_events(),
			vec![
				Event::EscrowRefunded { consumer_id: 0, admin: 1, amount: 9_000 },
				Event::ConsumerRemoved {
					consumer_id: 0,
					depositor: 1,
					deposit: DEPOSIT,
					penalty: 0,
					swept: ED
				},
			]
		);
	});
}

#[test]
fn the_escrow_refund_follows_the_admin_and_the_deposit_the_depositor() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		fund(0, 2_000);
		assert_ok!(Consumers::set_admin(RuntimeOrigin::signed(1), 0, 2));
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(2), 0));
		let (one, two) = (free(1), free(2));
		// It never had a set: reapable at once, less the penalty.
		assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), 0));
		assert_eq!(free(2), two + 2_000);
		assert_eq!(free(1), one + DEPOSIT - DEPOSIT * PENALTY_PERCENT as u128 / 100 + ED);
	});
}

#[test]
fn a_deregistered_consumer_never_comes_back() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		add_operator(0, 11, 500, 0);
		next_epoch();
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Deregistered { last_active_epoch: 0 });
		assert!(ValidatorSets::<Test>::get(0).is_none());
	});
}

#[test]
fn deregister_and_reap_errors() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		assert_noop!(
			Consumers::deregister_consumer(RuntimeOrigin::signed(2), 0),
			Error::<Test>::NotAdmin
		);
		assert_noop!(
			Consumers::deregister_consumer(RuntimeOrigin::signed(1), 5),
			Error::<Test>::UnknownConsumer
		);
		// A registration within its activation period.
		assert_noop!(
			Consumers::reap_consumer(RuntimeOrigin::signed(1), 0),
			Error::<Test>::TooEarly
		);
		assert_noop!(
			Consumers::reap_consumer(RuntimeOrigin::signed(1), 5),
			Error::<Test>::UnknownConsumer
		);
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		assert_noop!(
			Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0),
			Error::<Test>::AlreadyDeregistered
		);
		// An active consumer is not reapable; a deregistered one that had a set only after
		// the retention.
		let id = register(2);
		add_operator(id, 12, 500, 0);
		fund(id, 5_000);
		next_epoch();
		assert_eq!(status(id), ConsumerStatus::Active);
		assert_noop!(
			Consumers::reap_consumer(RuntimeOrigin::signed(1), 1),
			Error::<Test>::NotReapable
		);
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(2), 1));
		assert_noop!(
			Consumers::reap_consumer(RuntimeOrigin::signed(1), 1),
			Error::<Test>::TooEarly
		);
	});
}
