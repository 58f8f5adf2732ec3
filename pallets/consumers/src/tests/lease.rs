//! Funding a lease: escrow custody and bookkeeping.

use crate::{mock::*, ConsumerStatus, Error, Event};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Mutate, tokens::Preservation},
};
use sp_runtime::TokenError;

#[test]
fn fund_lease_moves_funds_into_the_escrow_account() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a registered consumer.
		register(1);
		consumer_events();

		// When two accounts fund its lease.
		assert_ok!(Consumers::fund_lease(RuntimeOrigin::signed(FUNDER), 0, 5_000));
		assert_ok!(Consumers::fund_lease(RuntimeOrigin::signed(3), 0, 1_000));

		// Then the funds are in the escrow account and recorded.
		assert_eq!(free(FUNDER), 1_000_000 - 5_000);
		assert_eq!(free(3), 1_000_000 - 1_000);
		assert_eq!(escrow_balance(0), ED + 6_000);
		assert_eq!(record(0).escrow, 6_000);
		assert_eq!(record(0).ledger.funded, 6_000);
		assert_eq!(
			consumer_events(),
			vec![
				Event::LeaseFunded { consumer_id: 0, who: FUNDER, amount: 5_000, escrow: 5_000 },
				Event::LeaseFunded { consumer_id: 0, who: 3, amount: 1_000, escrow: 6_000 },
			]
		);
	});
}

#[test]
fn donations_to_the_escrow_account_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a consumer with an operator but no recorded escrow.
		register(1);
		add_operator(0, 11, 500, 0);

		// When someone transfers straight to its escrow account.
		assert_ok!(<Balances as Mutate<_>>::transfer(
			&3,
			&Consumers::escrow_account(0),
			50_000,
			Preservation::Preserve
		));

		// Then the recorded escrow is still zero and the consumer cannot pay: not activated.
		assert_eq!(record(0).escrow, 0);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Registered);
		assert_eq!(escrow_balance(0), ED + 50_000);
	});
}

#[test]
fn fund_lease_errors() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		assert_noop!(
			Consumers::fund_lease(RuntimeOrigin::signed(FUNDER), 0, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			Consumers::fund_lease(RuntimeOrigin::signed(FUNDER), 4, 10),
			Error::<Test>::UnknownConsumer
		);
		// The funder is kept alive.
		assert_noop!(
			Consumers::fund_lease(RuntimeOrigin::signed(FUNDER), 0, free(FUNDER)),
			TokenError::NotExpendable
		);
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		assert_noop!(
			Consumers::fund_lease(RuntimeOrigin::signed(FUNDER), 0, 10),
			Error::<Test>::AlreadyDeregistered
		);
	});
}

#[test]
fn fund_lease_fails_on_overflow() {
	// Corrupted on purpose, so no invariant check at the end.
	ExtBuilder::default().build().execute_with(|| {
		register(1);
		crate::ConsumerRecords::<Test>::mutate(0, |r| {
			let r = r.as_mut().unwrap();
			r.escrow = Balance::MAX - 5;
			r.ledger.funded = Balance::MAX - 5;
		});
		assert_noop!(
			Consumers::fund_lease(RuntimeOrigin::signed(FUNDER), 0, 10),
			Error::<Test>::Overflow
		);
	});
}
