//! The restaking pallets wired together in the real runtime: an operator backed by a pool
//! joins a consumer's validator set at the epoch transition, the consumer's reporter files an
//! offence, and governance (a 2/3 council motion) vetoes it and changes the slashing
//! parameters.

use frame_support::{assert_noop, assert_ok, traits::OnInitialize};
use palisade_primitives::Collateral;
use pallet_consumers::ConsumerParams;
use pallet_service_slashing::{OffenceKind, SlashDestination, SlashingParams};
use sp_keyring::Sr25519Keyring::{Bob, Charlie, Dave, Eve};
use sp_runtime::{DispatchError, Perbill};

use super::{account, council_motion, ext_from_preset};
use crate::{
	currency::UNITS, genesis_config_presets::DEV_EPOCH_LENGTH, Consumers, Operators,
	RestakingPools, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, ServiceSlashing, System,
};

/// Runs every block hook of the restaking pallets (the epoch clock lives in `Consumers`) up to
/// block `n`.
fn run_to_block(n: u32) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<(Consumers, ServiceSlashing, Operators, RestakingPools) as OnInitialize<u32>>::on_initialize(
			next,
		);
	}
}

/// Runs to the first block of the next epoch.
fn next_epoch() {
	let epoch = Consumers::current_epoch();
	let mut n = System::block_number();
	while Consumers::current_epoch() == epoch {
		n += 1;
		run_to_block(n);
		assert!(n < 10 * DEV_EPOCH_LENGTH + 100, "epoch clock stuck");
	}
}

fn last_event<F: Fn(&RuntimeEvent) -> Option<T>, T>(f: F) -> T {
	System::events().iter().rev().find_map(|r| f(&r.event)).expect("event emitted")
}

/// Charlie registers "charlie-chain" (up to 10 operators of at least 1,000 PAL, 10 PAL per
/// epoch) wanting `min_operators`; returns its id.
fn register_charlie_chain(min_operators: u32) -> u32 {
	assert_ok!(Consumers::register_consumer(
		RuntimeOrigin::signed(account(Charlie)),
		b"charlie-chain".to_vec().try_into().unwrap(),
		[7u8; 32].into(),
		ConsumerParams {
			min_operators,
			max_operators: 10,
			min_stake_per_operator: 1_000 * UNITS,
			power_cap: Perbill::from_percent(100),
			payment_per_epoch: 10 * UNITS,
		},
	));
	last_event(|e| match e {
		RuntimeEvent::Consumers(pallet_consumers::Event::ConsumerRegistered {
			consumer_id,
			..
		}) => Some(*consumer_id),
		_ => None,
	})
}

/// Bob registers as an operator and opts in to a consumer that Charlie registers and funds;
/// Dave's native pool backs Bob for it with half its stake. Returns the consumer id once Bob
/// is in its validator set.
fn world_with_an_active_consumer() -> u32 {
	let (bob, charlie, dave) = (account(Bob), account(Charlie), account(Dave));
	assert_ok!(Operators::register_operator(
		RuntimeOrigin::signed(bob.clone()),
		10_000 * UNITS,
		Perbill::from_percent(10),
		b"bob-operator".to_vec().try_into().unwrap(),
	));
	let consumer = register_charlie_chain(1);
	assert_ok!(Consumers::fund_lease(RuntimeOrigin::signed(charlie), consumer, 1_000 * UNITS));
	assert_ok!(Operators::opt_in(RuntimeOrigin::signed(bob.clone()), consumer, [42u8; 32]));

	assert_ok!(RestakingPools::create_pool(
		RuntimeOrigin::signed(dave.clone()),
		Collateral::Native,
		b"dave-pool".to_vec().try_into().unwrap(),
		1_000_000 * UNITS,
	));
	let pool = last_event(|e| match e {
		RuntimeEvent::RestakingPools(pallet_restaking_pools::Event::PoolCreated {
			pool, ..
		}) => Some(*pool),
		_ => None,
	});
	assert_ok!(RestakingPools::deposit(RuntimeOrigin::signed(dave.clone()), pool, 50_000 * UNITS));
	// Bob consents to Dave's pool backing him.
	assert_ok!(Operators::accept_pool(RuntimeOrigin::signed(bob.clone()), pool));
	assert_ok!(RestakingPools::set_allocation(
		RuntimeOrigin::signed(dave),
		pool,
		bob.clone(),
		consumer,
		Perbill::from_percent(50),
	));

	// The allocation applies from the next epoch; the set is computed at that transition.
	next_epoch();
	next_epoch();
	let set = pallet_consumers::ValidatorSets::<Runtime>::get(consumer).expect("set published");
	assert_eq!(set.members.len(), 1);
	assert_eq!(set.members[0].0, bob);
	assert!(System::events().iter().any(|r| matches!(
		r.event,
		RuntimeEvent::Consumers(pallet_consumers::Event::ConsumerActivated { consumer_id, .. })
			if consumer_id == consumer
	)));
	consumer
}

fn report(consumer: u32) -> u32 {
	let epoch = Consumers::current_epoch();
	assert_ok!(ServiceSlashing::report_offence(
		RuntimeOrigin::signed(account(Charlie)),
		consumer,
		account(Bob),
		OffenceKind::Misbehaviour,
		epoch,
		b"double-signed a bridge message".to_vec().try_into().unwrap(),
	));
	last_event(|e| match e {
		RuntimeEvent::ServiceSlashing(pallet_service_slashing::Event::OffenceReported {
			slash_id,
			..
		}) => Some(*slash_id),
		_ => None,
	})
}

#[test]
fn council_vetoes_a_pending_slash() {
	ext_from_preset("development").execute_with(|| {
		let consumer = world_with_an_active_consumer();
		let slash_id = report(consumer);
		assert!(pallet_service_slashing::PendingSlashes::<Runtime>::contains_key(slash_id));

		// Neither a plain account nor the consumer's admin can veto.
		let cancel =
			RuntimeCall::ServiceSlashing(pallet_service_slashing::Call::cancel_slash { slash_id });
		assert_noop!(
			ServiceSlashing::cancel_slash(RuntimeOrigin::signed(account(Eve)), slash_id),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ServiceSlashing::cancel_slash(RuntimeOrigin::signed(account(Charlie)), slash_id),
			DispatchError::BadOrigin
		);
		// 1/3 of the council is not governance either.
		assert_eq!(council_motion(cancel.clone(), 1), Some(Err(DispatchError::BadOrigin)));
		assert!(pallet_service_slashing::PendingSlashes::<Runtime>::contains_key(slash_id));

		// 2/3 of the council vetoes it.
		assert_eq!(council_motion(cancel, 2), Some(Ok(())));
		assert!(!pallet_service_slashing::PendingSlashes::<Runtime>::contains_key(slash_id));

		// Nothing is taken when it would have been due.
		let bond_before =
			pallet_operators::OperatorRecords::<Runtime>::get(account(Bob)).map(|r| r.bond);
		for _ in 0..4 {
			next_epoch();
		}
		assert_eq!(
			pallet_operators::OperatorRecords::<Runtime>::get(account(Bob)).map(|r| r.bond),
			bond_before
		);
	});
}

#[test]
fn council_changes_the_slashing_params() {
	ext_from_preset("development").execute_with(|| {
		let old = ServiceSlashing::params();
		let new = SlashingParams {
			downtime: Perbill::from_percent(2),
			equivocation: Perbill::from_percent(20),
			misbehaviour: Perbill::from_percent(7),
			max_subjective_fraction: Perbill::from_percent(7),
			report_window: 1,
			veto_delay: 3,
			jail_length: 6,
			destination: SlashDestination::Burn,
			reporter_reward: Perbill::from_percent(5),
			meter_period: 2,
			max_slashed_per_period: 10_000 * UNITS,
			max_jails_per_period: 2,
		};
		let set =
			RuntimeCall::ServiceSlashing(pallet_service_slashing::Call::set_slashing_params {
				params: new.clone(),
			});
		assert_noop!(
			ServiceSlashing::set_slashing_params(RuntimeOrigin::signed(account(Eve)), new.clone()),
			DispatchError::BadOrigin
		);
		assert_eq!(council_motion(set, 2), Some(Ok(())));
		assert_eq!(ServiceSlashing::params(), new);
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::ServiceSlashing(pallet_service_slashing::Event::SlashingParamsSet {
				old: o, new: n
			}) if *o == old && *n == new
		)));

		// Delays that do not nest with the runtime's withdrawal / opt-out delays are refused,
		// even by governance.
		let bad = SlashingParams { report_window: 4, veto_delay: 4, ..new.clone() };
		let bad_call =
			RuntimeCall::ServiceSlashing(pallet_service_slashing::Call::set_slashing_params {
				params: bad,
			});
		assert!(matches!(council_motion(bad_call, 2), Some(Err(_))));
		assert_eq!(ServiceSlashing::params(), new);
	});
}

#[test]
fn a_slash_that_is_not_vetoed_takes_from_bond_and_pool() {
	ext_from_preset("development").execute_with(|| {
		let consumer = world_with_an_active_consumer();
		let bond_before = pallet_operators::OperatorRecords::<Runtime>::get(account(Bob))
			.map(|r| r.bond)
			.unwrap();
		let slash_id = report(consumer);
		let veto_delay = ServiceSlashing::params().veto_delay;
		for _ in 0..veto_delay {
			next_epoch();
		}
		assert!(!pallet_service_slashing::PendingSlashes::<Runtime>::contains_key(slash_id));
		let executed = last_event(|e| match e {
			RuntimeEvent::ServiceSlashing(pallet_service_slashing::Event::SlashExecuted {
				slash_id: id,
				bond_taken,
				..
			}) if *id == slash_id => Some(*bond_taken),
			_ => None,
		});
		// Misbehaviour is 5% by default: 5% of Bob's 10,000 PAL bond.
		assert_eq!(executed, 500 * UNITS);
		assert_eq!(
			pallet_operators::OperatorRecords::<Runtime>::get(account(Bob)).map(|r| r.bond),
			Some(bond_before - 500 * UNITS)
		);
	});
}

/// A consumer key equal to one of Palisade's own session keys would let a Palisade GRANDPA
/// vote and a consumer vote form an equivocation proof against the operator. The runtime's
/// `ReservedKeys` looks the key up in `pallet_session`'s key owners (GRANDPA and Aura): the
/// genesis validator Alice's keys are refused, a fresh key is accepted.
#[test]
fn palisade_session_key_cannot_be_a_consumer_key() {
	ext_from_preset("development").execute_with(|| {
		let eve = account(Eve);
		assert_ok!(Operators::register_operator(
			RuntimeOrigin::signed(eve.clone()),
			10_000 * UNITS,
			Perbill::from_percent(10),
			b"eve-operator".to_vec().try_into().unwrap(),
		));
		let grandpa: [u8; 32] = sp_keyring::Ed25519Keyring::Alice.into();
		let aura: [u8; 32] = sp_keyring::Sr25519Keyring::Alice.into();
		for key in [grandpa, aura] {
			assert_noop!(
				Operators::opt_in(RuntimeOrigin::signed(eve.clone()), 0, key),
				pallet_operators::Error::<Runtime>::ReservedKey
			);
		}
		assert_ok!(Operators::opt_in(RuntimeOrigin::signed(eve), 0, [43u8; 32]));
	});
}

/// The reap of a consumer in the real runtime is paged: each `reap_consumer` removes at most
/// `MaxOptInsReapedPerCall` (4) opt-ins in the operators pallet and returns; no operator can
/// opt in meanwhile (`ConsumerNotAccepting`); the call that finds none left removes the record.
/// Both pallets' invariants hold between the calls.
#[test]
fn a_consumer_is_reaped_a_page_at_a_time() {
	use frame_support::traits::fungible::Mutate;
	use pallet_operators::{ConsumerOperators, OptIns};

	ext_from_preset("development").execute_with(|| {
		// Given Charlie's consumer, deregistered before it ever had a set, with six operators
		// still opted in.
		let charlie = account(Charlie);
		let consumer = register_charlie_chain(7);
		let operator = |i: u8| crate::AccountId::from([100 + i; 32]);
		for i in 0..7u8 {
			let who = operator(i);
			<crate::Balances as Mutate<_>>::set_balance(&who, 100_000 * UNITS);
			assert_ok!(Operators::register_operator(
				RuntimeOrigin::signed(who.clone()),
				10_000 * UNITS,
				Perbill::from_percent(10),
				b"operator".to_vec().try_into().unwrap(),
			));
		}
		for i in 0..6u8 {
			assert_ok!(Operators::opt_in(
				RuntimeOrigin::signed(operator(i)),
				consumer,
				[200 + i; 32]
			));
		}
		assert_ok!(Consumers::deregister_consumer(
			RuntimeOrigin::signed(charlie.clone()),
			consumer
		));
		let reap = || {
			System::reset_events();
			assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(account(Eve)), consumer));
			#[cfg(feature = "try-runtime")]
			{
				Consumers::do_try_state().expect("consumers invariants hold");
				Operators::do_try_state().expect("operators invariants hold");
			}
		};
		let progress = || {
			last_event(|e| match e {
				RuntimeEvent::Consumers(pallet_consumers::Event::ConsumerReapProgress {
					opt_ins_removed,
					opt_ins_remaining,
					..
				}) => Some((*opt_ins_removed, *opt_ins_remaining)),
				_ => None,
			})
		};

		// When it is reaped: a page of four, the latest opt-ins first ...
		reap();
		assert_eq!(progress(), (4, 2));
		assert_eq!(
			ConsumerOperators::<Runtime>::get(consumer).to_vec(),
			vec![operator(0), operator(1)]
		);
		// ... no newcomer can refill it ...
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(operator(6)), consumer, [206; 32]),
			pallet_operators::Error::<Runtime>::ConsumerNotAccepting
		);
		// ... a page of the last two, and the call that removes the record.
		reap();
		assert_eq!(progress(), (2, 0));
		assert!(pallet_consumers::ConsumerRecords::<Runtime>::contains_key(consumer));
		reap();

		// Then nothing of the consumer is left in either pallet.
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Consumers(pallet_consumers::Event::ConsumerRemoved { consumer_id, .. })
				if consumer_id == consumer
		)));
		assert!(!pallet_consumers::ConsumerRecords::<Runtime>::contains_key(consumer));
		assert!(!ConsumerOperators::<Runtime>::contains_key(consumer));
		assert!((0..6u8).all(|i| !OptIns::<Runtime>::contains_key(operator(i), consumer)));
	});
}
