//! Lazy rewards: the epoch payment moves into the rewards account, members earn by power and
//! are settled only when they change, leave or claim; the split (commission, own bond, pools
//! by backing); rounding; claims.

use crate::{
	mock::*, Error, Event, Members, OperatorRewards, PoolRewards, PoolShares, RewardPerPower,
	RewardsLedger, ValidatorSets, REWARD_SCALE,
};
use frame_support::{assert_noop, assert_ok, traits::fungible::Inspect};
use palisade_primitives::PoolRewardsSource;
use sp_runtime::DispatchError;

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

/// Stakes 300 (11: bond 100, pools 1 and 2 with 100 each, 33% commission), 200 (13: 10%) and
/// 100 (12): the dusty split.
fn three_dusty_operators() {
	add_operator(0, 11, 100, 33);
	back(11, 0, 1, 100);
	back(11, 0, 2, 100);
	add_operator(0, 12, 100, 0);
	add_operator(0, 13, 200, 10);
}

fn rewards_balance() -> Balance {
	free(Consumers::rewards_account())
}

#[test]
fn the_rewards_account_lives_on_its_existential_deposit_from_genesis() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(rewards_balance(), ED);
		assert_eq!(Balances::minimum_balance(), ED);
	});
}

#[test]
fn an_epoch_payment_is_one_transfer_and_the_split_happens_at_the_claims() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a consumer paying 1_000 per epoch and two operators of stake 600 and 400.
		paying_consumer(1_000);
		two_operators();
		let (eleven, twelve) = (free(11), free(12));
		consumer_events();

		// When epoch 1 starts.
		next_epoch();

		// Then the payment moved from the escrow into the rewards account, and nobody was paid
		// yet: one transfer, one index.
		assert_eq!(record(0).escrow, 9_000);
		assert_eq!(record(0).ledger.paid, 1_000);
		assert_eq!(escrow_balance(0), ED + 9_000);
		assert_eq!(rewards_balance(), ED + 1_000);
		assert_eq!(RewardPerPower::<Test>::get(0), REWARD_SCALE);
		assert_eq!((free(11), free(12)), (eleven, twelve));
		assert!(reward_calls().is_empty());
		let set_hash = ValidatorSets::<Test>::get(0).unwrap().set_hash;
		assert_eq!(
			consumer_events(),
			vec![
				Event::EpochStarted { epoch: 1, first_block: 10 },
				Event::ConsumerActivated { consumer_id: 0, epoch: 1 },
				Event::LeasePaid {
					consumer_id: 0,
					epoch: 1,
					paid: 1_000,
					escrow: 9_000,
					reward_per_power: REWARD_SCALE,
				},
				Event::ValidatorSetUpdated {
					consumer_id: 0,
					epoch: 1,
					set_id: 0,
					set_hash,
					members: 2,
				},
			]
		);
		assert_eq!(Consumers::pending_operator_rewards(&11), 330);
		assert_eq!(Consumers::pending_pool_rewards(1), 180);

		// When anyone claims: 11's share is 600: commission 60, of the remaining 540 its
		// bond's half (270) goes to it and the pools get 180 and 90; 12 gets its whole 400.
		assert_ok!(claim_operator(11));
		assert_ok!(claim_operator(12));
		assert_ok!(claim_pool(1));
		assert_ok!(claim_pool(2));
		assert_eq!(free(11), eleven + 330);
		assert_eq!(free(12), twelve + 400);
		assert_eq!(free(pool_account(1)), 180);
		assert_eq!(free(pool_account(2)), 90);
		let rewards = Consumers::rewards_account();
		assert_eq!(reward_calls(), vec![(1, rewards, 180), (2, rewards, 90)]);
		assert_eq!(rewards_balance(), ED);
		assert_eq!(
			consumer_events(),
			vec![
				Event::OperatorRewardsClaimed {
					operator: 11,
					amount: 330,
					memberships_settled: 1,
					more_to_settle: false,
				},
				Event::OperatorRewardsClaimed {
					operator: 12,
					amount: 400,
					memberships_settled: 1,
					more_to_settle: false,
				},
				Event::PoolRewardsClaimed {
					pool: 1,
					amount: 180,
					records_settled: 1,
					more_to_settle: false,
				},
				Event::PoolRewardsClaimed {
					pool: 2,
					amount: 90,
					records_settled: 1,
					more_to_settle: false,
				},
			]
		);

		// And a second claim finds nothing, and changes nothing.
		assert_noop!(claim_operator(11), Error::<Test>::NothingToClaim);
		assert_noop!(claim_pool(1), Error::<Test>::NothingToClaim);
	});
}

#[test]
fn an_unchanged_member_is_never_written_and_earns_every_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		paying_consumer(1_000);
		two_operators();
		next_epoch();
		let written = Members::<Test>::get(11, 0).expect("member");
		assert_eq!(written.reward_per_power, 0);

		// When three more epochs pass with nothing changed.
		run_to_epoch(4);

		// Then 11's record is the one written at epoch 1 (settled at index 0), and it earned
		// four epochs: 4 × 330 to it, 4 × 180 and 4 × 90 to its pools.
		assert_eq!(Members::<Test>::get(11, 0), Some(written));
		assert_eq!(RewardPerPower::<Test>::get(0), 4 * REWARD_SCALE);
		assert_eq!(Consumers::pending_operator_rewards(&11), 4 * 330);
		assert_eq!(Consumers::pending_operator_rewards(&12), 4 * 400);
		assert_eq!(Consumers::pending_pool_rewards(1), 4 * 180);
		assert_eq!(Consumers::pending_pool_rewards(2), 4 * 90);
	});
}

#[test]
fn a_stake_change_settles_the_member_at_its_old_power_first() {
	ExtBuilder::default().build_and_execute(|| {
		// Given two epochs paid at stakes 600 / 400.
		paying_consumer(1_000);
		two_operators();
		run_to_epoch(2);

		// When 12's bond doubles (stake 800): epoch 3 pays 1_000 over 1_400.
		set_bond(12, 800);
		next_epoch();

		// Then 12 was settled at epoch 3's transition with its old power (800 earned over two
		// epochs), and earns floor(800 × floor(1_000 × 10^18 / 1_400) / 10^18) = 571 for
		// epoch 3; 11 was not written and earns at 600 throughout.
		let twelve = Members::<Test>::get(12, 0).expect("member");
		assert_eq!(twelve.owed, 800);
		assert_eq!(twelve.power, 800);
		assert_eq!(twelve.reward_per_power, 2 * REWARD_SCALE);
		assert_eq!(Members::<Test>::get(11, 0).expect("member").reward_per_power, 0);
		let increment = 1_000 * REWARD_SCALE / 1_400;
		assert_eq!(RewardPerPower::<Test>::get(0), 2 * REWARD_SCALE + increment);
		assert_eq!(Consumers::pending_operator_rewards(&12), 800 + 571);
		let eleven_share = 600 * (2 * REWARD_SCALE + increment) / REWARD_SCALE;
		assert_eq!(eleven_share, 1_628);
		// Commission floor(162.8) = 162; rest 1_466: own floor(733) = 733.
		assert_eq!(Consumers::pending_operator_rewards(&11), 162 + 733);
		assert_ok!(claim_operator(12));
		assert_eq!(OperatorRewards::<Test>::get(12), 0);
	});
}

#[test]
fn a_member_that_leaves_keeps_what_it_earned_until_claimed() {
	ExtBuilder::default().build_and_execute(|| {
		paying_consumer(1_000);
		two_operators();
		run_to_epoch(2);

		// When 11 becomes ineligible: it leaves the set at epoch 3, 12 takes all.
		set_eligible(0, 11, false);
		next_epoch();

		// Then 11 is retired: its record and its pools' records for the consumer are gone,
		// what it earned in epochs 1 and 2 waits in the owed maps.
		assert!(Members::<Test>::get(11, 0).is_none());
		assert!(!PoolShares::<Test>::contains_key(1, 0));
		assert!(!PoolShares::<Test>::contains_key(2, 0));
		assert_eq!(OperatorRewards::<Test>::get(11), 2 * 330);
		assert_eq!(PoolRewards::<Test>::get(1), 2 * 180);
		assert_eq!(PoolRewards::<Test>::get(2), 2 * 90);
		assert_eq!(Consumers::pending_operator_rewards(&12), 2 * 400 + 1_000);
		let before = free(11);
		assert_ok!(claim_operator(11));
		assert_eq!(free(11), before + 660);
		assert_ok!(claim_pool(1));
		assert_eq!(free(pool_account(1)), 360);
		assert_eq!(PoolRewards::<Test>::get(1), 0);
	});
}

#[test]
fn a_deregistered_consumer_retires_its_members_and_their_rewards_stay_claimable() {
	ExtBuilder::default().build_and_execute(|| {
		paying_consumer(1_000);
		two_operators();
		next_epoch();
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		next_epoch();
		assert!(Members::<Test>::iter().next().is_none());
		assert!(PoolShares::<Test>::iter().next().is_none());
		assert_eq!(OperatorRewards::<Test>::get(11), 330);
		assert_eq!(OperatorRewards::<Test>::get(12), 400);
		assert_ok!(claim_pool(2));
		assert_eq!(free(pool_account(2)), 90);
	});
}

#[test]
fn a_pool_that_stops_backing_a_member_keeps_what_it_earned() {
	ExtBuilder::default().build_and_execute(|| {
		paying_consumer(1_000);
		two_operators();
		next_epoch();

		// When pool 2 stops backing 11 (stake 500 from epoch 2).
		back(11, 0, 2, 0);
		next_epoch();

		// Then pool 2's 90 of epoch 1 moved to its owed balance and its record for the
		// consumer is gone.
		assert_eq!(PoolRewards::<Test>::get(2), 90);
		assert!(!PoolShares::<Test>::contains_key(2, 0));
		assert_eq!(Members::<Test>::get(11, 0).expect("member").pools.len(), 1);
		assert_eq!(Consumers::pending_pool_rewards(2), 90);
	});
}

#[test]
fn rounding_dust_stays_in_the_rewards_account() {
	ExtBuilder::default().build_and_execute(|| {
		// Given powers 300, 200 and 100 and a payment of 1_000: the index grows by
		// floor(10^21 / 600) = 1_666_666_666_666_666_666.
		paying_consumer(1_000);
		three_dusty_operators();
		let before: Vec<Balance> = [11, 12, 13].iter().map(|who| free(*who)).collect();

		// When epoch 1 starts and everybody claims.
		next_epoch();
		for who in [11, 12, 13] {
			assert_ok!(claim_operator(who));
		}
		assert_ok!(claim_pool(1));
		assert_ok!(claim_pool(2));

		// Then 11's power 300 is split into weights 166 (commission 99 and its bond's third of
		// the remaining 201) and 67 per pool; each earns floor(weight × 1.666…6), the index
		// rounded down: 276 and 111 each; 13 gets 333, 12 gets 166. 997 left, 3 stay as dust.
		assert_eq!(free(11), before[0] + 276);
		assert_eq!(free(12), before[1] + 166);
		assert_eq!(free(13), before[2] + 333);
		assert_eq!(free(pool_account(1)), 111);
		assert_eq!(free(pool_account(2)), 111);
		assert_eq!(record(0).escrow, 9_000);
		assert_eq!(rewards_balance(), ED + 3);
		let ledger = RewardsLedger::<Test>::get();
		assert_eq!((ledger.paid_in, ledger.paid_out), (1_000, 997));
	});
}

#[test]
fn bookkeeping_is_exact_over_many_epochs() {
	ExtBuilder::default().build_and_execute(|| {
		// Given the dusty split over five epochs, claimed once at the end.
		paying_consumer(1_000);
		three_dusty_operators();
		let watched = [11, 12, 13, pool_account(1), pool_account(2)];
		let before: Balance = watched.iter().map(|who| free(*who)).sum();

		run_to_epoch(5);
		for who in [11, 12, 13] {
			assert_ok!(claim_operator(who));
		}
		assert_ok!(claim_pool(1));
		assert_ok!(claim_pool(2));

		// Then everything that left the escrow is in the rewards account or was claimed, and
		// what was claimed arrived: with 5I = 8.333…330 × 10^18, 11 earned floor(166 × 5I) =
		// 1_383 and its pools floor(67 × 5I) = 558 each, 13 1_666, 12 833: 4_998, dust 2.
		let after: Balance = watched.iter().map(|who| free(*who)).sum();
		assert_eq!(record(0).ledger.paid, 5_000);
		assert_eq!(record(0).escrow, 5_000);
		assert_eq!(escrow_balance(0), ED + 5_000);
		assert_eq!(after - before, 4_998);
		assert_eq!(rewards_balance(), ED + 2);
	});
}

#[test]
fn a_pool_refusing_rewards_keeps_them_owed() {
	ExtBuilder::default().build_and_execute(|| {
		paying_consumer(1_000);
		two_operators();
		fail_pool(2);
		next_epoch();

		// A claim the pool cannot take fails and changes nothing.
		assert_noop!(claim_pool(2), DispatchError::Other("pool refuses rewards"));
		assert_eq!(Consumers::pending_pool_rewards(2), 90);
		// The hook the pools pallet calls swallows the failure, also changing nothing.
		let root = sp_io::storage::root(sp_runtime::StateVersion::V1);
		let weight = Consumers::claim_for_pool(2);
		assert_eq!(sp_io::storage::root(sp_runtime::StateVersion::V1), root);
		assert!(weight.ref_time() > 0);
		assert_ok!(claim_pool(1));
		assert_eq!(free(pool_account(1)), 180);
	});
}

#[test]
fn the_pools_hook_claims_what_the_pool_is_owed() {
	ExtBuilder::default().build_and_execute(|| {
		paying_consumer(1_000);
		two_operators();
		run_to_epoch(2);
		Consumers::claim_for_pool(1);
		assert_eq!(free(pool_account(1)), 360);
		assert_eq!(Consumers::pending_pool_rewards(1), 0);
		// Nothing owed: nothing happens.
		Consumers::claim_for_pool(1);
		assert_eq!(free(pool_account(1)), 360);
	});
}

#[test]
fn an_operator_claims_one_consumer_at_the_cost_of_one_membership() {
	ExtBuilder::default().build_and_execute(|| {
		// Operator 12 serves consumer 0 (stake 400 of 1,000) and consumer 1 (alone).
		paying_consumer(1_000);
		two_operators();
		register_with(2, params(1, 4, 0, 100, 1_000));
		fund(1, 10_000);
		opt_in_with_key(1, 12, [12; 32]);
		next_epoch();
		assert_eq!(members(1).len(), 1);

		// Claiming consumer 1 pays consumer 1's share only.
		let before = free(12);
		assert_ok!(Consumers::claim_operator_rewards_of(RuntimeOrigin::signed(FUNDER), 12, 1));
		assert_eq!(free(12), before + 1_000);
		assert_noop!(
			Consumers::claim_operator_rewards_of(RuntimeOrigin::signed(FUNDER), 12, 1),
			Error::<Test>::NothingToClaim
		);
		// Consumer 0's share is still there, for either call.
		assert_ok!(Consumers::claim_operator_rewards_of(RuntimeOrigin::signed(FUNDER), 12, 0));
		assert_eq!(free(12), before + 1_400);
		assert_noop!(claim_operator(12), Error::<Test>::NothingToClaim);
		// A consumer the operator is not a member of has nothing for it.
		assert_noop!(
			Consumers::claim_operator_rewards_of(RuntimeOrigin::signed(FUNDER), 12, 4),
			Error::<Test>::NothingToClaim
		);
	});
}

#[test]
fn anyone_may_claim_but_the_money_goes_to_the_operator() {
	ExtBuilder::default().build_and_execute(|| {
		paying_consumer(1_000);
		two_operators();
		next_epoch();
		let (caller, operator) = (free(FUNDER), free(12));
		assert_ok!(Consumers::claim_operator_rewards(RuntimeOrigin::signed(FUNDER), 12));
		assert_eq!(free(FUNDER), caller);
		assert_eq!(free(12), operator + 400);
	});
}

#[test]
fn a_consumer_paying_nothing_pays_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		register_with(1, params(1, 4, 0, 100, 0));
		two_operators();
		next_epoch();
		assert_eq!(members(0).len(), 2);
		assert!(!consumer_events().iter().any(|e| matches!(e, Event::LeasePaid { .. })));
		assert_noop!(claim_operator(11), Error::<Test>::NothingToClaim);
		assert_noop!(claim_pool(1), Error::<Test>::NothingToClaim);
		assert!(reward_calls().is_empty());
	});
}

/// A claim whose payment cannot be made (the rewards account holds less than is owed: only
/// possible if the accounting were broken, which `try_state` reports) fails as a whole:
/// nothing is marked paid, and the same claim succeeds in full once the money is there.
#[test]
fn a_claim_whose_transfer_fails_changes_nothing_and_can_be_retried() {
	use frame_support::traits::fungible::Mutate;
	ExtBuilder::default().build().execute_with(|| {
		// Given operator 11 (stake 600 of 1_000) owed from one epoch's payment of 1_000.
		paying_consumer(1_000);
		two_operators();
		next_epoch();
		let held = rewards_balance();
		// When the rewards account is emptied down to its existential deposit.
		<Balances as Mutate<_>>::set_balance(&Consumers::rewards_account(), ED);

		// Then every claim path fails with the transfer's error and changes nothing.
		assert_noop!(claim_operator(11), sp_runtime::TokenError::FundsUnavailable);
		assert_noop!(
			Consumers::claim_operator_rewards_of(RuntimeOrigin::signed(FUNDER), 11, 0),
			sp_runtime::TokenError::FundsUnavailable
		);
		assert_noop!(claim_pool(1), sp_runtime::TokenError::FundsUnavailable);

		// When the money is back, the same claims pay in full: 10% commission of 600, plus
		// the bond's 300 of the remaining 540 (600 × 90% × 300/600 = 270), so 330.
		<Balances as Mutate<_>>::set_balance(&Consumers::rewards_account(), held);
		let before = free(11);
		assert_ok!(claim_operator(11));
		assert_eq!(free(11), before + 330);
		assert_ok!(claim_pool(1));
		assert!(Consumers::do_try_state().is_ok());
	});
}
