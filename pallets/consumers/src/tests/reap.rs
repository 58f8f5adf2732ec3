//! The paged reap: `reap_consumer` removes at most `MaxOptInsReapedPerCall` opt-ins a call
//! ([`REAP_PAGE`] in the mock), then forgets at most as many remembered sets a call (keeping
//! the newest); the call that finds no opt-in and at most one set left refunds, releases and
//! removes the record.

use crate::{
	mock::*, weights::WeightInfo, ChainAnchors, ConsumerIds, ConsumerRecords, ConsumerStatus,
	CurrentEpoch, DirtyConsumers, Event, PublishedSets, SetHistory, ValidatorSets,
};
use frame_support::{
	assert_ok,
	dispatch::{Pays, PostDispatchInfo},
	weights::Weight,
};
use palisade_primitives::ConsumerRegistry;

/// `reap_consumer(consumer)` by account 3; its post-dispatch info.
fn reap(consumer: u32) -> PostDispatchInfo {
	Consumers::reap_consumer(RuntimeOrigin::signed(3), consumer).expect("reap call succeeds")
}

/// The actual weight `info` reports (the call always refunds to what it did).
fn actual(info: PostDispatchInfo) -> Weight {
	assert_eq!(info.pays_fee, Pays::Yes);
	info.actual_weight.expect("the reap reports its actual weight")
}

/// The operators the mock registry has opted in to `consumer`, in opt-in order.
fn opted_in(consumer: u32) -> Vec<AccountId> {
	mock_opt_ins()
		.get(&consumer)
		.map(|list| list.iter().map(|entry| entry.operator).collect())
		.unwrap_or_default()
}

/// A page event of consumer 0.
fn progress(opt_ins_removed: u32, opt_ins_remaining: u32) -> Event<Test> {
	Event::ConsumerReapProgress { consumer_id: 0, opt_ins_removed, opt_ins_remaining }
}

#[test]
fn a_consumer_with_many_opt_ins_is_reaped_in_pages_then_removed() {
	ExtBuilder::default().build_and_execute(|| {
		// Given consumer 0 of depositor 1, active in epoch 1 with five operators, handed to
		// admin 2 and deregistered; its five opt-ins stay in the registry.
		register_with(1, params(1, 6, 0, 100, 1_000));
		for who in 11..=15 {
			add_operator(0, who, 500, 0);
		}
		fund(0, 10_000);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Active);
		assert_ok!(Consumers::set_admin(RuntimeOrigin::signed(1), 0, 2));
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(2), 0));
		run_to_epoch(1 + RETENTION + 1);
		let k = opted_in(0).len() as u32;
		assert_eq!(k, 5);
		assert!(k > 2 * REAP_PAGE);
		let (depositor, admin, escrow_account) = (free(1), free(2), escrow_balance(0));
		assert_eq!(escrow_account, 9_000 + ED);
		assert_eq!(held(1), DEPOSIT);
		let issuance = Balances::total_issuance();
		consumer_events();

		// When it is reaped: ceil(5 / 2) = 3 pages, the latest opt-ins first ...
		let first = reap(0);
		assert_eq!(consumer_events(), vec![progress(2, 3)]);
		assert_eq!(actual(first), <() as WeightInfo>::reap_consumer_page(2));
		assert_eq!(opted_in(0), vec![11, 12, 13]);
		// ... the record, the deposit and the escrow untouched between pages ...
		assert!(<Consumers as ConsumerRegistry>::consumer_exists(0));
		assert_eq!(
			(free(1), free(2), escrow_balance(0), held(1)),
			(depositor, admin, 9_000 + ED, DEPOSIT)
		);

		let second = reap(0);
		assert_eq!(consumer_events(), vec![progress(2, 1)]);
		assert_eq!(actual(second), <() as WeightInfo>::reap_consumer_page(2));
		assert_eq!(opted_in(0), vec![11]);

		let third = reap(0);
		assert_eq!(consumer_events(), vec![progress(1, 0)]);
		assert_eq!(actual(third), <() as WeightInfo>::reap_consumer_page(1));
		assert!(!mock_opt_ins().contains_key(&0));
		assert!(<Consumers as ConsumerRegistry>::consumer_exists(0));
		assert_eq!((free(1), free(2), held(1)), (depositor, admin, DEPOSIT));

		// ... and one more call, finding no opt-in, refunds and removes the record.
		let last = reap(0);
		assert_eq!(actual(last), <() as WeightInfo>::reap_consumer());
		assert_eq!(
			consumer_events(),
			vec![
				Event::EscrowRefunded { consumer_id: 0, admin: 2, amount: 9_000 },
				Event::ConsumerRemoved {
					consumer_id: 0,
					depositor: 1,
					deposit: DEPOSIT,
					penalty: 0,
					swept: ED,
				},
			]
		);

		// Then the admin has the escrow, the depositor the deposit and the existential deposit,
		// nothing was minted or burnt, and nothing of the consumer is left.
		assert_eq!(free(2), admin + 9_000);
		assert_eq!(free(1), depositor + DEPOSIT + ED);
		assert_eq!(held(1), 0);
		assert_eq!(escrow_balance(0), 0);
		assert_eq!(Balances::total_issuance(), issuance);
		assert!(ConsumerRecords::<Test>::get(0).is_none());
		assert!(ConsumerIds::<Test>::get().is_empty());
		assert!(ValidatorSets::<Test>::get(0).is_none());
		assert!(SetHistory::<Test>::get(0).is_empty());
		assert!(PublishedSets::<Test>::iter_prefix(0).next().is_none());
		assert!(ChainAnchors::<Test>::get(0).is_none());
		assert!(!DirtyConsumers::<Test>::contains_key(0));
		assert!(mock_opt_ins().is_empty());
		assert_eq!(
			Consumers::reap_consumer(RuntimeOrigin::signed(3), 0).map_err(|e| e.error),
			Err(crate::Error::<Test>::UnknownConsumer.into())
		);
	});
}

#[test]
fn an_expired_registration_is_reaped_in_pages_and_expires_once() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a registration wanting four operators that only ever had three, funded.
		register_with(1, params(4, 6, 0, 100, 1_000));
		for who in 11..=13 {
			add_operator(0, who, 500, 0);
		}
		fund(0, 3_000);
		run_to_epoch(ACTIVATION_PERIOD);
		assert_eq!(status(0), ConsumerStatus::Registered);
		let (before, issuance) = (free(1), Balances::total_issuance());
		consumer_events();

		// When it is reaped: two pages, then the final call.
		actual(reap(0));
		assert_eq!(consumer_events(), vec![progress(2, 1)]);
		actual(reap(0));
		assert_eq!(consumer_events(), vec![progress(1, 0)]);
		assert_eq!(status(0), ConsumerStatus::Registered);
		actual(reap(0));

		// Then it expires once, on the final call, and pays the penalty.
		let penalty = DEPOSIT * PENALTY_PERCENT as u128 / 100;
		assert_eq!(
			consumer_events(),
			vec![
				Event::ConsumerExpired { consumer_id: 0 },
				Event::EscrowRefunded { consumer_id: 0, admin: 1, amount: 3_000 },
				Event::ConsumerRemoved {
					consumer_id: 0,
					depositor: 1,
					deposit: DEPOSIT - penalty,
					penalty,
					swept: ED,
				},
			]
		);
		assert_eq!(free(1), before + 3_000 + DEPOSIT - penalty + ED);
		assert_eq!(held(1), 0);
		assert_eq!(Balances::total_issuance(), issuance - penalty);
		assert!(!<Consumers as ConsumerRegistry>::consumer_exists(0));
		assert!(mock_opt_ins().is_empty());
	});
}

#[test]
fn a_consumer_without_opt_ins_is_reaped_in_one_call() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		consumer_events();

		let info = reap(0);

		assert_eq!(actual(info), <() as WeightInfo>::reap_consumer());
		assert!(!<Consumers as ConsumerRegistry>::consumer_exists(0));
		let events = consumer_events();
		assert!(matches!(events.last(), Some(Event::ConsumerRemoved { consumer_id: 0, .. })));
		assert!(!events.iter().any(|e| matches!(e, Event::ConsumerReapProgress { .. })));
	});
}

#[test]
fn an_expired_registration_neither_activates_nor_accepts_opt_ins() {
	ExtBuilder::default().build_and_execute(|| {
		// Given two funded registrations of epoch 0 without operators.
		register(1);
		register(2);
		fund(0, 5_000);
		fund(1, 5_000);
		let registry = |id| <Consumers as ConsumerRegistry>::accepts_opt_ins(id);

		// When consumer 0 gets its operator in time for the last transition of its activation
		// period (into epoch ACTIVATION_PERIOD - 1), it activates.
		run_to_epoch(ACTIVATION_PERIOD - 2);
		assert!(registry(0));
		add_operator(0, 11, 500, 0);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Active);

		// When consumer 1 gets its operator one epoch later, the transition into epoch
		// ACTIVATION_PERIOD finds it expired: it stays registered, without a set, and takes no
		// more opt-ins.
		assert!(registry(1));
		add_operator(1, 12, 500, 0);
		next_epoch();
		assert_eq!(CurrentEpoch::<Test>::get(), ACTIVATION_PERIOD);
		assert_eq!(status(1), ConsumerStatus::Registered);
		assert!(ValidatorSets::<Test>::get(1).is_none());
		assert_eq!(record(1).escrow, 5_000);
		assert!(!registry(1));
		assert!(registry(0));
		next_epoch();
		assert_eq!(status(1), ConsumerStatus::Registered);

		// Then it is reaped: one page for its opt-in, then the final call.
		actual(reap(1));
		actual(reap(1));
		assert!(!<Consumers as ConsumerRegistry>::consumer_exists(1));
	});
}

/// A sets page event of consumer 0.
fn sets_progress(sets_removed: u32, sets_remaining: u32) -> Event<Test> {
	Event::ConsumerReapSetsProgress { consumer_id: 0, sets_removed, sets_remaining }
}

#[test]
fn a_consumer_with_the_most_remembered_sets_is_reaped_in_pages_and_refunded_once() {
	ExtBuilder::default().build_and_execute(|| {
		// Given consumer 0 of depositor 1, active from epoch 1 to epoch RETENTION + 1 with one
		// operator (a set a epoch: the most the history keeps, RETENTION + 1), then
		// deregistered, and reapable RETENTION + 1 epochs later.
		register_with(1, params(1, 6, 0, 100, 1_000));
		add_operator(0, 11, 500, 0);
		fund(0, 10_000);
		run_to_epoch(RETENTION + 1);
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		run_to_epoch(2 * (RETENTION + 1));
		let sets = SetHistory::<Test>::get(0).len() as u32;
		assert_eq!(sets, RETENTION + 1);
		assert_eq!(PublishedSets::<Test>::iter_prefix(0).count() as u32, sets);
		let newest = SetHistory::<Test>::get(0).last().copied().unwrap();
		let escrow = record(0).escrow;
		let (depositor, issuance) = (free(1), Balances::total_issuance());
		consumer_events();
		let mut calls = Vec::new();
		let step = |calls: &mut Vec<PostDispatchInfo>| {
			calls.push(reap(0));
			Consumers::do_try_state().expect("invariants hold between the pages");
			consumer_events()
		};

		// When it is reaped: a page for its opt-in ...
		assert_eq!(step(&mut calls), vec![progress(1, 0)]);
		// ... then pages forgetting its oldest sets, REAP_PAGE a call, the newest kept, the
		// funds untouched ...
		assert_eq!(step(&mut calls), vec![sets_progress(REAP_PAGE, sets - REAP_PAGE)]);
		assert_eq!(SetHistory::<Test>::get(0).len() as u32, sets - REAP_PAGE);
		assert_eq!(step(&mut calls), vec![sets_progress(1, 1)]);
		assert_eq!(SetHistory::<Test>::get(0).to_vec(), vec![newest]);
		assert_eq!(
			PublishedSets::<Test>::iter_prefix(0).map(|(id, _)| id).collect::<Vec<_>>(),
			vec![newest.set_id]
		);
		assert_eq!((free(1), held(1), record(0).escrow), (depositor, DEPOSIT, escrow));
		// ... and the final call, with its newest set.
		let last = step(&mut calls);

		// Then each call was charged for what it did, the refund happened once, in the final
		// call, and nothing of the consumer is left.
		let weights: Vec<_> = calls.into_iter().map(actual).collect();
		assert_eq!(
			weights,
			vec![
				<() as WeightInfo>::reap_consumer_page(1),
				<() as WeightInfo>::reap_consumer_sets_page(REAP_PAGE),
				<() as WeightInfo>::reap_consumer_sets_page(1),
				<() as WeightInfo>::reap_consumer(),
			]
		);
		assert_eq!(
			last,
			vec![
				Event::EscrowRefunded { consumer_id: 0, admin: 1, amount: escrow },
				Event::ConsumerRemoved {
					consumer_id: 0,
					depositor: 1,
					deposit: DEPOSIT,
					penalty: 0,
					swept: ED,
				},
			]
		);
		assert_eq!(free(1), depositor + escrow + DEPOSIT + ED);
		assert_eq!(held(1), 0);
		assert_eq!(Balances::total_issuance(), issuance);
		assert!(ConsumerRecords::<Test>::get(0).is_none());
		assert!(SetHistory::<Test>::get(0).is_empty());
		assert!(PublishedSets::<Test>::iter_prefix(0).next().is_none());
		assert!(ValidatorSets::<Test>::get(0).is_none());
		assert!(!DirtyConsumers::<Test>::contains_key(0));
		assert_eq!(
			Consumers::reap_consumer(RuntimeOrigin::signed(3), 0).map_err(|e| e.error),
			Err(crate::Error::<Test>::UnknownConsumer.into())
		);
	});
}

#[test]
fn the_call_is_charged_the_dearest_of_its_steps() {
	// The call is charged the dearest of a page of opt-ins, a page of sets and the final
	// step: none of them clears more than a page of anything.
	let declared = <() as WeightInfo>::reap_consumer_page(REAP_PAGE)
		.max(<() as WeightInfo>::reap_consumer_sets_page(REAP_PAGE))
		.max(<() as WeightInfo>::reap_consumer());
	let info = crate::Call::<Test>::reap_consumer { consumer_id: 0 };
	use frame_support::dispatch::GetDispatchInfo;
	assert_eq!(info.get_dispatch_info().call_weight, declared);
}
