//! Registration: deposit, escrow account, parameter validation, the registry bound.

use crate::{mock::*, ConsumerIds, ConsumerStatus, Error, Event, LeaseLedger, NextConsumerId};
use frame_support::{assert_noop, assert_ok};
use palisade_primitives::ConsumerRegistry;
use sp_runtime::TokenError;

#[test]
fn register_holds_the_deposit_and_endows_the_escrow_account() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an account with 1_000_000 free.
		assert_eq!(free(1), 1_000_000);

		// When it registers a consumer.
		assert_ok!(Consumers::register_consumer(
			RuntimeOrigin::signed(1),
			metadata(b"alpha"),
			genesis(7),
			default_params(),
		));

		// Then the deposit is held, the escrow account holds the existential deposit, and the
		// caller is admin, reporter and depositor of a `Registered` consumer 0.
		assert_eq!(held(1), DEPOSIT);
		assert_eq!(free(1), 1_000_000 - DEPOSIT - ED);
		assert_eq!(escrow_balance(0), ED);
		let r = record(0);
		assert_eq!((r.admin, r.reporter, r.depositor), (1, 1, 1));
		assert_eq!(r.deposit, DEPOSIT);
		assert_eq!(r.metadata, metadata(b"alpha"));
		assert_eq!(r.genesis_hash, genesis(7));
		assert_eq!(r.params, default_params());
		assert_eq!(r.pending_params, None);
		assert_eq!(r.status, ConsumerStatus::Registered);
		assert_eq!(r.escrow, 0);
		assert_eq!(r.ledger, LeaseLedger::default());
		assert_eq!(r.registered_at, 0);
		assert_eq!(r.last_set, None);
		assert_eq!(ConsumerIds::<Test>::get().into_inner(), vec![0]);
		assert_eq!(NextConsumerId::<Test>::get(), 1);
		assert!(<Consumers as ConsumerRegistry>::consumer_exists(0));
		assert!(!<Consumers as ConsumerRegistry>::consumer_exists(1));
		assert_eq!(
			consumer_events(),
			vec![Event::ConsumerRegistered {
				consumer_id: 0,
				admin: 1,
				deposit: DEPOSIT,
				escrow_account: Consumers::escrow_account(0),
				params: default_params(),
			}]
		);
	});
}

#[test]
fn ids_increase_and_every_consumer_has_its_own_escrow_account() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(register(1), 0);
		assert_eq!(register(1), 1);
		assert_eq!(register(2), 2);
		assert_eq!(ConsumerIds::<Test>::get().into_inner(), vec![0, 1, 2]);
		assert_eq!(held(1), 2 * DEPOSIT);
		assert_eq!(held(2), DEPOSIT);
		let accounts: Vec<_> = (0..3).map(Consumers::escrow_account).collect();
		assert!(accounts[0] != accounts[1] && accounts[1] != accounts[2]);
		assert!(accounts.iter().all(|account| *account > 1_000_000));
	});
}

#[test]
fn register_validates_the_params() {
	ExtBuilder::default().build_and_execute(|| {
		let try_register = |params| {
			Consumers::register_consumer(
				RuntimeOrigin::signed(1),
				metadata(b""),
				genesis(0),
				params,
			)
		};
		assert_noop!(try_register(params(0, 4, 0, 100, 1)), Error::<Test>::ZeroMinOperators);
		assert_noop!(try_register(params(3, 2, 0, 100, 1)), Error::<Test>::MinAboveMax);
		assert_noop!(
			try_register(params(1, MAX_OPERATORS + 1, 0, 100, 1)),
			Error::<Test>::TooManyOperators
		);
		assert_noop!(try_register(params(1, 4, 0, 0, 1)), Error::<Test>::ZeroPowerCap);
		// The boundaries are fine: min == max == MaxOperatorsPerConsumer, tiny cap, no payment.
		assert_ok!(try_register(params(MAX_OPERATORS, MAX_OPERATORS, 0, 1, 0)));
	});
}

#[test]
fn register_fails_beyond_max_consumers() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..MAX_CONSUMERS {
			register(1);
		}
		assert_noop!(
			Consumers::register_consumer(
				RuntimeOrigin::signed(2),
				metadata(b""),
				genesis(0),
				default_params()
			),
			Error::<Test>::TooManyConsumers
		);
	});
}

#[test]
fn register_without_funds_for_the_deposit_fails() {
	ExtBuilder::default().with_balances(vec![(1, 1_000_000), (2, 50)]).build_and_execute(|| {
		assert_noop!(
			Consumers::register_consumer(
				RuntimeOrigin::signed(2),
				metadata(b""),
				genesis(0),
				default_params()
			),
			TokenError::FundsUnavailable
		);
	});
}

#[test]
fn register_fails_when_ids_run_out() {
	ExtBuilder::default().build_and_execute(|| {
		NextConsumerId::<Test>::put(u32::MAX);
		assert_noop!(
			Consumers::register_consumer(
				RuntimeOrigin::signed(1),
				metadata(b""),
				genesis(0),
				default_params()
			),
			Error::<Test>::Overflow
		);
	});
}
