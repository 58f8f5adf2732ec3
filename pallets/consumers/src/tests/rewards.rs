//! The split of an epoch payment: shares by power, commission, own bond, pools; rounding.

use crate::{mock::*, Event, ValidatorSets};

/// Consumer 0 of admin 1, paying `payment` per epoch, funded with 10_000.
fn paying_consumer(payment: Balance) {
	register_with(1, params(1, 4, 0, 100, payment));
	fund(0, 10_000);
}

/// Operator 11 (bond 300, 10% commission, pools 1: 200 and 2: 100 → stake 600) and operator
/// 12 (bond 400, no commission, no pool → stake 400).
fn two_operators() {
	add_operator(0, 11, 300, 10);
	back(11, 0, 1, 200);
	back(11, 0, 2, 100);
	add_operator(0, 12, 400, 0);
}

#[test]
fn the_payment_is_split_by_power_commission_and_backing() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a consumer paying 1_000 per epoch and two operators of stake 600 and 400.
		paying_consumer(1_000);
		two_operators();
		let (eleven, twelve) = (free(11), free(12));
		consumer_events();

		// When epoch 1 starts.
		next_epoch();

		// Then 11's share is 600: commission 60, of the remaining 540 its bond's half (270)
		// goes to it and the pools get 180 and 90; 12 gets its whole share of 400.
		let escrow_account = Consumers::escrow_account(0);
		assert_eq!(free(11), eleven + 330);
		assert_eq!(free(12), twelve + 400);
		assert_eq!(free(pool_account(1)), 180);
		assert_eq!(free(pool_account(2)), 90);
		assert_eq!(reward_calls(), vec![(1, escrow_account, 180), (2, escrow_account, 90)]);
		assert_eq!(record(0).escrow, 9_000);
		assert_eq!(record(0).ledger.paid, 1_000);
		assert_eq!(escrow_balance(0), ED + 9_000);
		let set_hash = ValidatorSets::<Test>::get(0).unwrap().set_hash;
		assert_eq!(
			consumer_events(),
			vec![
				Event::EpochStarted { epoch: 1, first_block: 10 },
				Event::ConsumerActivated { consumer_id: 0, epoch: 1 },
				Event::OperatorRewarded {
					consumer_id: 0,
					epoch: 1,
					operator: 11,
					share: 600,
					to_operator: 330,
					to_pools: 270,
				},
				Event::OperatorRewarded {
					consumer_id: 0,
					epoch: 1,
					operator: 12,
					share: 400,
					to_operator: 400,
					to_pools: 0,
				},
				Event::LeasePaid { consumer_id: 0, epoch: 1, paid: 1_000, escrow: 9_000 },
				Event::ValidatorSetUpdated {
					consumer_id: 0,
					epoch: 1,
					set_id: 0,
					set_hash,
					members: 2,
				},
			]
		);
	});
}

#[test]
fn rounding_dust_stays_in_the_escrow() {
	ExtBuilder::default().build_and_execute(|| {
		// Given stakes 300 (11: bond 100, pools 100 + 100, 33% commission), 200 (13: 10%) and
		// 100 (12): shares 500, 333 and 166 of 1_000.
		paying_consumer(1_000);
		add_operator(0, 11, 100, 33);
		back(11, 0, 1, 100);
		back(11, 0, 2, 100);
		add_operator(0, 12, 100, 0);
		add_operator(0, 13, 200, 10);
		let before: Vec<Balance> = [11, 12, 13].iter().map(|who| free(*who)).collect();
		consumer_events();

		// When epoch 1 starts.
		next_epoch();

		// Then: 11 gets commission 165 + floor(335 / 3) = 276, each pool floor(335 / 3) = 111;
		// 13 gets 333 (commission 33 + 300), 12 gets 166. 997 left the escrow, 3 stayed.
		assert_eq!(free(11), before[0] + 276);
		assert_eq!(free(12), before[1] + 166);
		assert_eq!(free(13), before[2] + 333);
		assert_eq!(free(pool_account(1)), 111);
		assert_eq!(free(pool_account(2)), 111);
		assert_eq!(record(0).escrow, 10_000 - 997);
		assert_eq!(escrow_balance(0), ED + 10_000 - 997);
		let rewarded: Vec<_> = consumer_events()
			.into_iter()
			.filter_map(|event| match event {
				Event::OperatorRewarded { operator, share, to_operator, to_pools, .. } => {
					Some((operator, share, to_operator, to_pools))
				}
				Event::LeasePaid { paid, escrow, .. } => Some((0, paid, escrow, 0)),
				_ => None,
			})
			.collect();
		assert_eq!(
			rewarded,
			vec![(11, 500, 276, 222), (13, 333, 333, 0), (12, 166, 166, 0), (0, 997, 9_003, 0)]
		);
	});
}

#[test]
fn a_pool_refusing_rewards_leaves_its_share_in_the_escrow() {
	ExtBuilder::default().build_and_execute(|| {
		paying_consumer(1_000);
		two_operators();
		fail_pool(2);
		next_epoch();
		assert_eq!(free(pool_account(1)), 180);
		assert_eq!(free(pool_account(2)), 0);
		assert_eq!(record(0).escrow, 10_000 - 910);
		assert_eq!(escrow_balance(0), ED + 10_000 - 910);
		assert!(consumer_events().contains(&Event::OperatorRewarded {
			consumer_id: 0,
			epoch: 1,
			operator: 11,
			share: 600,
			to_operator: 330,
			to_pools: 180,
		}));
	});
}

#[test]
fn a_consumer_paying_nothing_pays_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		register_with(1, params(1, 4, 0, 100, 0));
		two_operators();
		next_epoch();
		assert_eq!(members(0).len(), 2);
		assert!(!consumer_events()
			.iter()
			.any(|e| matches!(e, Event::OperatorRewarded { .. } | Event::LeasePaid { .. })));
		assert!(reward_calls().is_empty());
	});
}

#[test]
fn escrow_bookkeeping_is_exact_over_many_epochs() {
	ExtBuilder::default().build_and_execute(|| {
		// Given the dusty split of 997 per epoch over five epochs.
		paying_consumer(1_000);
		add_operator(0, 11, 100, 33);
		back(11, 0, 1, 100);
		back(11, 0, 2, 100);
		add_operator(0, 12, 100, 0);
		add_operator(0, 13, 200, 10);
		let watched = [11, 12, 13, pool_account(1), pool_account(2)];
		let before: Balance = watched.iter().map(|who| free(*who)).sum();

		run_to_epoch(5);

		// Then everything that left the escrow arrived somewhere, and nothing else moved.
		let after: Balance = watched.iter().map(|who| free(*who)).sum();
		assert_eq!(record(0).ledger.paid, 5 * 997);
		assert_eq!(after - before, 5 * 997);
		assert_eq!(record(0).escrow, 10_000 - 5 * 997);
		assert_eq!(escrow_balance(0), ED + 10_000 - 5 * 997);
	});
}
