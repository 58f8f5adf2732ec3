//! A pool's rewards per consumer ([`PoolShares`]): one record per consumer the pool backs,
//! however many of the consumer's operators it backs, so a pool's claim visits one record per
//! consumer; the records are settled before their weight changes, and what the operators and
//! pools of a consumer are paid never exceeds what the consumer paid.

use crate::{
	mock::*, weights::WeightInfo, Members, PoolRewards, PoolShare, PoolShares, RewardsLedger,
	REWARD_SCALE,
};
use frame_support::assert_ok;
use palisade_primitives::PoolRewardsSource;
use sp_runtime::Perbill;

/// Consumer `id` (the next one) of `admin`, paying 1_000 per epoch, funded with 10_000.
fn consumer_paying_1_000(admin: AccountId) {
	register_with(admin, params(1, 4, 0, 100, 1_000));
	let id = crate::NextConsumerId::<Test>::get() - 1;
	fund(id, 10_000);
}

#[test]
fn a_pool_backing_every_operator_of_a_consumer_settles_one_record() {
	ExtBuilder::default().build_and_execute(|| {
		// Given pool 1 backing each of consumer 0's four operators (bond 100, no commission)
		// with 100: power 200 each, 100 of it the pool's weight.
		consumer_paying_1_000(1);
		for who in 11..=14 {
			add_operator(0, who, 100, 0);
			back(who, 0, 1, 100);
		}

		// When epoch 1 pays 1_000 over a power of 800 (index 1.25).
		next_epoch();

		// Then the pool has one record for the consumer, with the four weights summed, and is
		// owed floor(400 × 1.25) = 500; each operator floor(100 × 1.25) = 125.
		assert_eq!(
			PoolShares::<Test>::iter_prefix(1).collect::<Vec<_>>(),
			vec![(0, PoolShare { weight: 400, reward_per_power: 0, owed: 0 })]
		);
		assert_eq!(Consumers::pending_pool_rewards(1), 500);
		for who in 11..=14 {
			assert_eq!(Consumers::pending_operator_rewards(&who), 125);
		}

		// And its claim visits that one record, and is charged for one.
		let info = Consumers::claim_pool_rewards(RuntimeOrigin::signed(FUNDER), 1)
			.expect("the pool is owed 500");
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::claim_pool_rewards(1)));
		assert_eq!(free(pool_account(1)), 500);
		assert_eq!(
			PoolShares::<Test>::get(1, 0),
			Some(PoolShare { weight: 400, reward_per_power: 5 * REWARD_SCALE / 4, owed: 0 })
		);

		// When the pool also backs operator 11 for consumer 1 with 300 (power 400 there, 300
		// of it the pool's weight) and epoch 2 pays both consumers.
		consumer_paying_1_000(2);
		opt_in_with_key(1, 11, key_of(11));
		back(11, 1, 1, 300);
		next_epoch();

		// Then the pool has one record per consumer: 500 more from consumer 0 and
		// floor(300 × 2.5) = 750 from consumer 1; the hook the pools pallet calls visits two
		// records and reports the weight of two.
		assert_eq!(PoolShares::<Test>::iter_prefix(1).count(), 2);
		assert_eq!(Consumers::pending_pool_rewards(1), 1_250);
		let weight = Consumers::claim_for_pool(1);
		assert_eq!(weight, <() as WeightInfo>::claim_pool_rewards(2));
		assert_eq!(free(pool_account(1)), 500 + 1_250);
		assert_eq!(Consumers::pending_pool_rewards(1), 0);
		// What a deposit declares up front: one record per consumer a pool may back.
		assert_eq!(
			Consumers::claim_for_pool_weight(),
			<() as WeightInfo>::claim_pool_rewards(MAX_CONSUMERS)
		);
	});
}

#[test]
fn what_the_operators_and_pools_of_a_consumer_claim_stays_within_a_unit_per_member_per_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a consumer paying 1_003 per epoch to three operators with commissions and
		// pools: 11 (bond 1_000, pools 1: 2_000 and 2: 500, 10%), 12 (bond 3_000, pool 1:
		// 700, 5%) and 13 (bond 2_500, 20%).
		const EPOCHS: u32 = 8;
		const MEMBERS: Balance = 3;
		register_with(1, params(1, 4, 0, 100, 1_003));
		fund(0, 10_000);
		add_operator(0, 11, 1_000, 10);
		back(11, 0, 1, 2_000);
		back(11, 0, 2, 500);
		add_operator(0, 12, 3_000, 5);
		back(12, 0, 1, 700);
		add_operator(0, 13, 2_500, 20);
		let watched = [11, 12, 13, pool_account(1), pool_account(2)];
		let before: Balance = watched.iter().map(|who| free(*who)).sum();

		// When every epoch but the last changes a commission, a bond or a backing (each
		// change settles the member and its pools' records), and pool 1 claims half-way.
		for epoch in 1..=EPOCHS {
			match epoch {
				2 => set_operator(11, 1_000, Perbill::from_percent(15)),
				3 => set_bond(12, 3_100),
				4 => set_operator(13, 2_500, Perbill::from_percent(7)),
				5 => back(12, 0, 1, 900),
				6 => back(11, 0, 2, 0),
				7 => set_operator(12, 3_100, Perbill::zero()),
				_ => {}
			}
			next_epoch();
			assert_ok!(Consumers::do_try_state());
			if epoch == 4 {
				assert_ok!(claim_pool(1));
			}
		}
		// (Every change was taken up.)
		let member = |who| Members::<Test>::get(who, 0).expect("member");
		assert_eq!(member(11).commission, Perbill::from_percent(15));
		assert_eq!(member(11).pools.len(), 1);
		assert_eq!((member(12).own, member(12).stake), (3_100, 4_000));
		assert_eq!(member(12).commission, Perbill::zero());
		assert_eq!(member(13).commission, Perbill::from_percent(7));
		for who in [11, 12, 13] {
			assert_ok!(claim_operator(who));
		}
		assert_ok!(claim_pool(1));
		assert_ok!(claim_pool(2));

		// Then at most what was paid arrived, and at most a unit per member per epoch is
		// dust: each settlement rounds down once (here 18: 13 at the changes, 1 half-way, 4 at
		// the end), and the weights lost less than a unit of power per pool (worth less
		// than 1_003 / 9_700 a unit per epoch).
		let received = watched.iter().map(|who| free(*who)).sum::<Balance>() - before;
		let ledger = RewardsLedger::<Test>::get();
		let paid = EPOCHS as Balance * 1_003;
		assert_eq!((ledger.paid_in, ledger.paid_out), (paid, received));
		assert!(received <= paid, "paid out {received} of {paid}");
		let dust = paid - received;
		assert!(dust <= MEMBERS * EPOCHS as Balance, "dust {dust}");
		assert_eq!(free(Consumers::rewards_account()), ED + dust);
		assert!(PoolRewards::<Test>::iter().next().is_none());
	});
}

#[test]
fn a_pool_that_leaves_a_set_keeps_what_it_earned() {
	ExtBuilder::default().build_and_execute(|| {
		// Given pool 1 backing operators 11 (bond 300, with 300) and 12 (bond 200, with 200)
		// of a consumer paying 1_000 over their power 1_000: the pool earns 500 per epoch.
		consumer_paying_1_000(1);
		add_operator(0, 11, 300, 0);
		back(11, 0, 1, 300);
		add_operator(0, 12, 200, 0);
		back(12, 0, 1, 200);
		run_to_epoch(2);
		assert_eq!(Consumers::pending_pool_rewards(1), 1_000);

		// When 11 leaves the set at epoch 3.
		set_eligible(0, 11, false);
		next_epoch();

		// Then the pool's record was settled at the index before epoch 3's payment and keeps
		// 12's weight; epoch 3 pays 1_000 over 12's 400, 500 of it to the pool.
		assert_eq!(
			PoolShares::<Test>::get(1, 0),
			Some(PoolShare { weight: 200, reward_per_power: 2 * REWARD_SCALE, owed: 1_000 })
		);
		assert_eq!(Consumers::pending_pool_rewards(1), 1_500);

		// When the pool stops backing 12 too (from epoch 4).
		back(12, 0, 1, 0);
		next_epoch();

		// Then it has no weight left in the consumer: its record is gone and what it earned
		// waits outside any record.
		assert!(PoolShares::<Test>::get(1, 0).is_none());
		assert_eq!(PoolRewards::<Test>::get(1), 1_500);

		// And it keeps exactly that while the consumer pays on without it; its claim visits
		// no record.
		run_to_epoch(6);
		assert_eq!(Consumers::pending_pool_rewards(1), 1_500);
		let info = Consumers::claim_pool_rewards(RuntimeOrigin::signed(FUNDER), 1)
			.expect("the pool is owed 1_500");
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::claim_pool_rewards(0)));
		assert_eq!(free(pool_account(1)), 1_500);
		assert_eq!(PoolRewards::<Test>::get(1), 0);
	});
}
