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
/// operator index (and removes the remaining opt-ins): a reaper paid for none of them; then it
/// was charged for the most opt-ins a consumer can have (175 transfers on Palisade) in one
/// call. After: a call removes at most a page of opt-ins; it is charged for the dearer of a
/// full page and the final step, and refunded to what it did.
#[test]
fn reap_weight_charges_the_worst_case() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a deregistered consumer with three opt-ins: a page of two, a page of one, and
		// the final call.
		register(1);
		for who in 11..=13 {
			add_operator(0, who, 500, 0);
		}
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));

		let call = crate::Call::<Test>::reap_consumer { consumer_id: 0 };
		let info = call.get_dispatch_info();
		let page = <() as WeightInfo>::reap_consumer_page(REAP_PAGE);
		let last = <() as WeightInfo>::reap_consumer();
		assert_eq!(info.call_weight, page.max(last));
		assert_eq!(info.pays_fee, Pays::Yes);

		let mut charged = Vec::new();
		while <Consumers as ConsumerRegistry>::consumer_exists(0) {
			let result = Consumers::reap_consumer(RuntimeOrigin::signed(3), 0);
			let actual = result.expect("reaped").actual_weight.expect("refunded");
			assert!(actual.all_lte(info.call_weight));
			charged.push(actual);
		}
		assert_eq!(
			charged,
			vec![
				<() as WeightInfo>::reap_consumer_page(2),
				<() as WeightInfo>::reap_consumer_page(1),
				last
			]
		);
		assert!(!mock_opt_ins().contains_key(&0));
	});
}

/// Before: a `Registered` consumer past its activation period still accepted opt-ins. With
/// the reap paged (two opt-ins a call in the mock), operators could opt in as fast as the
/// pages removed them: the reap never reached its final call, and the squatter kept the slot
/// (and its deposit, the penalty never burnt) for the price of the opt-ins. After: a
/// reapable consumer, deregistered or an expired registration, accepts no opt-in (the operator
/// registry refuses with `ConsumerNotAccepting`, end to end in the runtime test
/// `a_consumer_is_reaped_a_page_at_a_time`), so each page brings the end nearer.
#[test]
fn opt_ins_during_a_paged_reap_are_refused() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a registration that never activates (no escrow) with three opt-ins, and a
		// deregistered consumer with three.
		register(1);
		register(2);
		for who in 11..=13 {
			add_operator(0, who, 500, 0);
			add_operator(1, who + 10, 500, 0);
		}
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(2), 1));
		let accepts = |id| <Consumers as ConsumerRegistry>::accepts_opt_ins(id);
		run_to_epoch(ACTIVATION_PERIOD - 1);
		assert!(accepts(0));
		assert!(!accepts(1));

		// When the activation period has passed and both reaps are under way.
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Registered);
		assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), 0));
		assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), 1));

		// Then neither takes an opt-in, and each finishes in the calls its opt-ins needed:
		// one more page and the final call.
		assert!(!accepts(0));
		assert!(!accepts(1));
		for id in [0, 1] {
			assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), id));
			assert!(!accepts(id));
			assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), id));
			assert!(!<Consumers as ConsumerRegistry>::consumer_exists(id));
		}
		assert!(mock_opt_ins().is_empty());
	});
}

/// Before: an expired registration stayed `Registered` and the transition still activated it
/// once it had enough operators and escrow. Its squatter let a reap start, then lowered
/// `min_operators` (or funded the lease): the next transition activated it, the remaining
/// pages failed with `NotReapable`, and it kept its slot without the penalty (gain: the
/// penalty, 10 in the mock, 100 PAL on Palisade, per activation period). After: an expired
/// registration never activates; the reap finishes whatever the squatter does between pages.
#[test]
fn a_paged_reap_cannot_be_stalled() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a registration of squatter 2 wanting five operators, with three.
		register_with(2, params(5, 6, 0, 100, 1_000));
		for who in 11..=13 {
			add_operator(0, who, 500, 0);
		}
		run_to_epoch(ACTIVATION_PERIOD);
		let (before, issuance) = (free(2), Balances::total_issuance());

		// When a reap has removed a first page ...
		assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), 0));
		assert_eq!(mock_opt_ins().get(&0).map(Vec::len), Some(1));
		// ... and the squatter makes the one operator left enough, funds the lease, and
		// waits for a transition.
		assert_ok!(Consumers::update_params(
			RuntimeOrigin::signed(2),
			0,
			params(1, 6, 0, 100, 1_000)
		));
		assert_ok!(Consumers::fund_lease(RuntimeOrigin::signed(2), 0, 5_000));
		next_epoch();

		// Then it did not activate, and the reap goes on to the end.
		assert_eq!(status(0), ConsumerStatus::Registered);
		assert!(crate::ValidatorSets::<Test>::get(0).is_none());
		assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), 0));
		assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), 0));
		assert!(!<Consumers as ConsumerRegistry>::consumer_exists(0));
		// The squatter lost the penalty (the lease it funded came back to it as admin).
		let penalty = DEPOSIT * PENALTY_PERCENT as u128 / 100;
		assert_eq!(free(2), before + DEPOSIT - penalty + ED);
		assert_eq!(Balances::total_issuance(), issuance - penalty);
	});
}
