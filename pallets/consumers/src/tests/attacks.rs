//! Hostile users against the consumer registry: slot squatting, consumers nobody can stop,
//! reporters reaching back, reaps that under-charge. Each test is named after the attack and
//! states the attacker's gain before and after the change.

use crate::{mock::*, weights::WeightInfo, ConsumerIds, ConsumerStatus, Error, Event};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
};
use palisade_primitives::{ConsumerRegistry, ConsumersInterface};
use sp_runtime::DispatchError;

/// Before: `MaxConsumers` registrations that never activate (no operator, no escrow) blocked
/// every new consumer for ever, and the squatter could take its whole deposit back whenever
/// it liked: cost 0. After: anyone reaps a registration that did not activate within
/// `ActivationPeriod`, burning `UnactivatedPenalty` of its deposit; squatting every slot costs
/// `MaxConsumers × penalty × deposit` per period (100 PAL a slot on Palisade).
#[test]
fn never_activated_registrations_cannot_squat_consumer_slots() {
	ExtBuilder::default().build_and_execute(|| {
		// Given every slot taken by registrations of account 2 that never activate.
		for _ in 0..MAX_CONSUMERS {
			register(2);
		}
		assert_noop!(
			Consumers::register_consumer(
				RuntimeOrigin::signed(1),
				metadata(b"honest"),
				genesis(9),
				default_params(),
			),
			Error::<Test>::TooManyConsumers
		);
		// Not before the activation period.
		assert_noop!(
			Consumers::reap_consumer(RuntimeOrigin::signed(3), 0),
			Error::<Test>::TooEarly
		);

		// When the period has passed, anyone reaps them.
		run_to_epoch(ACTIVATION_PERIOD);
		let issuance = Balances::total_issuance();
		let before = free(2);
		consumer_events();
		for id in 0..MAX_CONSUMERS {
			assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), id));
		}

		// Then the squatter lost the penalty on each (burnt) and the slots are free.
		let penalty = DEPOSIT * PENALTY_PERCENT as u128 / 100;
		assert_eq!(free(2), before + MAX_CONSUMERS as u128 * (DEPOSIT - penalty + ED));
		assert_eq!(held(2), 0);
		assert_eq!(Balances::total_issuance(), issuance - MAX_CONSUMERS as u128 * penalty);
		let events = consumer_events();
		assert!(events.contains(&Event::ConsumerExpired { consumer_id: 0 }));
		assert!(events.contains(&Event::ConsumerRemoved {
			consumer_id: 0,
			depositor: 2,
			deposit: DEPOSIT - penalty,
			penalty,
			opt_ins_removed: 0,
			swept: ED,
		}));
		assert!(ConsumerIds::<Test>::get().is_empty());
		register(1);
	});
}

/// Before: governance could not stop a consumer (say, one whose reporter files junk against
/// every member); it stayed registered, active and reporting. After: `force_deregister`
/// (governance origin only) stops it like its admin would: no new opt-in, no set from the
/// next transition, reapable after the retention.
#[test]
fn governance_can_force_deregister_a_consumer() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		add_operator(0, 11, 500, 0);
		fund(0, 5_000);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Active);
		consumer_events();

		assert_noop!(
			Consumers::force_deregister(RuntimeOrigin::signed(1), 0),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Consumers::force_deregister(RuntimeOrigin::root(), 7),
			Error::<Test>::UnknownConsumer
		);
		assert_ok!(Consumers::force_deregister(RuntimeOrigin::root(), 0));

		assert_eq!(status(0), ConsumerStatus::Deregistered { last_active_epoch: 1 });
		assert!(!<Consumers as ConsumerRegistry>::accepts_opt_ins(0));
		assert!(<Consumers as ConsumerRegistry>::consumer_exists(0));
		assert_eq!(
			consumer_events(),
			vec![
				Event::ConsumerForceDeregistered { consumer_id: 0 },
				Event::ConsumerDeregistered {
					consumer_id: 0,
					last_active_epoch: 1,
					refundable_from: 1 + RETENTION + 1,
				},
			]
		);
		assert_noop!(
			Consumers::force_deregister(RuntimeOrigin::root(), 0),
			Error::<Test>::AlreadyDeregistered
		);
		next_epoch();
		assert!(members(0).is_empty());
	});
}

/// A deregistered consumer accepts no opt-in (the operator registry asks
/// `accepts_opt_ins`). Before: operators could opt in to it and so keep it from being reaped.
#[test]
fn deregistered_consumer_accepts_no_opt_in() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		assert!(<Consumers as ConsumerRegistry>::accepts_opt_ins(0));
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		assert!(!<Consumers as ConsumerRegistry>::accepts_opt_ins(0));
		assert!(!<Consumers as ConsumerRegistry>::accepts_opt_ins(1));
	});
}

/// Before: `set_reporter` and `set_admin` applied at once and reached every offence still in
/// the report window: whoever took a consumer over (or an admin turning hostile with a fresh
/// reporter account) could file reports for epochs before it was in office (up to
/// report window × the subjective fractions of every member's stake). After: the reporter in
/// office only answers for epochs from the one after the change (`reporter_at`).
#[test]
fn new_reporter_cannot_reach_offences_before_it_took_office() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		let reporter_at = |epoch| <Consumers as ConsumersInterface<_, _>>::reporter_at(0, epoch);
		assert_eq!(reporter_at(0), Some(1));
		run_to_epoch(2);

		// A new reporter in epoch 2 reaches epoch 3 on, not 0..=2.
		assert_ok!(Consumers::set_reporter(RuntimeOrigin::signed(1), 0, 5));
		for epoch in 0..=2 {
			assert_eq!(reporter_at(epoch), None);
		}
		assert_eq!(reporter_at(3), Some(5));
		assert_eq!(<Consumers as ConsumersInterface<_, _>>::reporter(0), Some(5));

		// A new admin in epoch 4: the reporter it inherits answers only from epoch 5.
		run_to_epoch(4);
		assert_eq!(reporter_at(4), Some(5));
		assert_ok!(Consumers::set_admin(RuntimeOrigin::signed(1), 0, 6));
		assert_eq!(reporter_at(4), None);
		assert_eq!(reporter_at(5), Some(5));
		assert_eq!(
			consumer_events().last(),
			Some(&Event::AdminSet { consumer_id: 0, admin: 6, reports_from: 5 })
		);
		assert_eq!(<Consumers as ConsumersInterface<_, _>>::reporter_at(9, 5), None);
	});
}

/// Before: `reap_consumer` was charged a fixed weight while it reads the consumer's whole
/// operator index (and now removes every remaining opt-in): a reaper paid for none of them.
/// After: it is charged for the most opt-ins a consumer can have and refunded to those it
/// removed.
#[test]
fn reap_weight_charges_the_worst_case() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		add_operator(0, 11, 500, 0);
		add_operator(0, 12, 500, 0);
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));

		let call = crate::Call::<Test>::reap_consumer { consumer_id: 0 };
		let info = call.get_dispatch_info();
		assert_eq!(info.call_weight, <() as WeightInfo>::reap_consumer(MAX_OPERATORS));
		assert_eq!(info.pays_fee, Pays::Yes);

		let result = Consumers::reap_consumer(RuntimeOrigin::signed(3), 0);
		assert_eq!(
			result.expect("reaped").actual_weight,
			Some(<() as WeightInfo>::reap_consumer(2))
		);
		assert!(!mock_opt_ins().contains_key(&0));
	});
}
