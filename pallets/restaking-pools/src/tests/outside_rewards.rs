//! Rewards earned outside the pallet ([`Config::Rewards`]): claimed by the pool's first deposit
//! or withdrawal request of an epoch, before the rate is used.

use crate::{mock::*, *};
use frame_support::{
	assert_ok,
	dispatch::{GetDispatchInfo, PostDispatchInfo},
	weights::Weight,
};
use palisade_primitives::{Collateral, LrtInterface};
use sp_runtime::{traits::One, FixedPointNumber, FixedU128};

/// The weight the mock's claims report (and are charged).
const CLAIM: Weight = Weight::from_parts(7_000_000, 0);

/// The weight `result` reports as used.
fn used(result: frame_support::dispatch::DispatchResultWithPostInfo) -> Weight {
	let info: PostDispatchInfo = result.expect("call succeeds");
	info.actual_weight.expect("the call reports its weight")
}

#[test]
fn the_first_deposit_of_an_epoch_claims_the_pools_rewards_and_the_second_does_not() {
	ExtBuilder::default().build_and_execute(|| {
		// Given two pools created in epoch 0: nothing to claim in the epoch they were created.
		let pool = create_pool(1, Collateral::Native);
		let other = create_pool(1, Collateral::Native);
		deposit(2, pool, 1_000);
		assert!(MockRewards::claims().is_empty());
		assert_eq!(pool_record(pool).rewards_claimed_at, 0);

		// When two deposits and a withdrawal request reach the pool in epoch 1.
		set_epoch(1);
		deposit(3, pool, 1_000);
		deposit(4, pool, 1_000);
		request(2, pool, 1_000);

		// Then only the first claimed, and the record notes the epoch.
		assert_eq!(MockRewards::claims(), vec![pool]);
		assert_eq!(pool_record(pool).rewards_claimed_at, 1);
		// The other pool is claimed by its own first deposit of the epoch.
		deposit(3, other, 1_000);
		assert_eq!(MockRewards::claims(), vec![pool, other]);

		// When a withdrawal request is the pool's first call of epoch 2, it claims; the deposit
		// after it does not.
		set_epoch(2);
		request(3, pool, 1_000);
		deposit(2, pool, 1_000);
		assert_eq!(MockRewards::claims(), vec![pool, other, pool]);
		assert_eq!(pool_record(pool).rewards_claimed_at, 2);
	});
}

#[test]
fn a_claimed_reward_raises_the_rate_before_the_newcomers_lrt_is_minted() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) holds all 1_000_000 LRT of a native pool, which earned 500_000 of
		// outside rewards in epoch 0, not claimed yet.
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		owe_rewards(pool, 9, 500_000);
		set_epoch(1);
		pool_events();

		// When bob (4) deposits 1_000_000 in epoch 1.
		let minted = deposit(4, pool, 1_000_000);

		// Then the rewards entered first: bob minted at (1_500_000 + 1_000) / (1_000_000 +
		// 1_000), ⌊1_000_000 / rate⌋ = 666_888 LRT for ⌈666_888 × rate⌉ = 999_999 (without the
		// claim: 1_000_000 LRT, a third of the rewards).
		let rate = FixedU128::checked_from_rational(1_501_000, 1_001_000).unwrap();
		assert_eq!(minted, 666_888);
		assert_eq!(free(4), ENDOWMENT - 999_999);
		assert_eq!(
			pool_events(),
			vec![
				Event::RewardsAdded { pool, payer: 9, amount: 500_000, to_pot: false, rate },
				Event::Deposited {
					who: 4,
					pool,
					amount: 999_999,
					lrt_minted: 666_888,
					rate,
					reward_buy_in: 0,
				},
			]
		);
		assert_eq!((pool_record(pool).active, in_pool(pool)), (2_499_999, 2_499_999));

		// And when both leave, alice takes the rewards (less the virtual position's 500), bob
		// exactly what he paid: his gain from depositing after the rewards were earned is 0.
		let alice = request(2, pool, 1_000_000);
		let bob = request(4, pool, 666_888);
		set_epoch(1 + WITHDRAWAL_DELAY);
		claim(2, pool, alice);
		claim(4, pool, bob);
		assert_eq!(free(2), ENDOWMENT + 499_500);
		assert_eq!(free(4), ENDOWMENT);
	});
}

#[test]
fn a_newcomer_to_an_asset_pool_buys_into_the_rewards_claimed_before_it() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) holds all 1_000_000 LRT of an asset pool that earned 1_000 PAL of
		// outside rewards in epoch 0.
		let pool = create_pool(1, Collateral::Asset(ASSET));
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		owe_rewards(pool, 9, 1_000);
		set_epoch(1);

		// When bob (4) deposits 500_000 in epoch 1.
		assert_eq!(deposit(4, pool, 500_000), 500_000);

		// Then the rewards reached the pot first, and bob bought his share of it:
		// ⌈1_000 × 500_000 / 1_000_000⌉ = 500 PAL (without the claim: nothing, and a third of
		// alice's 1_000 on leaving).
		assert_eq!(free(4), ENDOWMENT - 500);
		assert_eq!(pool_record(pool).reward_pot, 1_500);
		let rbob = request(4, pool, 500_000);
		assert_eq!(WithdrawalRequests::<Test>::get(4, rbob).map(|r| r.reward), Some(500));
	});
}

#[test]
fn a_withdrawal_request_is_valued_with_the_rewards_earned_while_the_leaver_held() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) holds all 1_000_000 LRT of a native pool, which earned 500_000 of
		// outside rewards in epoch 0, not claimed yet.
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		owe_rewards(pool, 9, 500_000);
		set_epoch(1);
		pool_events();

		// When she requests the withdrawal of all her LRT in epoch 1.
		let id = request(2, pool, 1_000_000);

		// Then the rewards entered first: her LRT was valued at ⌊1_000_000 × 1_501_000 /
		// 1_001_000⌋ = 1_499_500 (without the claim: 1_000_000, the rewards left to whoever
		// comes next).
		let rate = FixedU128::checked_from_rational(1_501_000, 1_001_000).unwrap();
		assert_eq!(
			pool_events(),
			vec![
				Event::RewardsAdded { pool, payer: 9, amount: 500_000, to_pot: false, rate },
				Event::WithdrawalRequested {
					who: 2,
					pool,
					request_id: id,
					lrt_burnt: 1_000_000,
					value: 1_499_500,
					reward: 0,
					claimable_at: 1 + WITHDRAWAL_DELAY,
				},
			]
		);
		set_epoch(1 + WITHDRAWAL_DELAY);
		claim(2, pool, id);
		assert_eq!(free(2), ENDOWMENT + 499_500);
		// The virtual position's 500 stays, owned by no LRT.
		assert_eq!((supply(pool), pool_record(pool).active, in_pool(pool)), (0, 500, 500));
	});
}

#[test]
fn a_withdrawal_request_from_an_asset_pool_takes_the_reward_share_claimed_before_it() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) holds all LRT of an asset pool that earned 1_000 PAL in epoch 0.
		let pool = create_pool(1, Collateral::Asset(ASSET));
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		owe_rewards(pool, 9, 1_000);
		set_epoch(1);

		// When she requests the withdrawal of all of it in epoch 1.
		let id = request(2, pool, 1_000_000);

		// Then her request carries the whole pot.
		assert_eq!(WithdrawalRequests::<Test>::get(2, id).map(|r| r.reward), Some(1_000));
		assert_eq!(rate(pool), FixedU128::one());
		set_epoch(1 + WITHDRAWAL_DELAY);
		claim(2, pool, id);
		assert_eq!((asset(2), free(2)), (ENDOWMENT, ENDOWMENT + 1_000));
	});
}

#[test]
fn the_claim_weight_is_refunded_when_no_claim_was_due() {
	ExtBuilder::default().build_and_execute(|| {
		type Weights = <Test as Config>::WeightInfo;
		MockRewards::set_weight(CLAIM);
		let pool = create_pool(1, Collateral::Native);
		let asset_pool = create_pool(1, Collateral::Asset(ASSET));
		deposit(2, pool, 1_000);
		deposit(2, asset_pool, 1_000);
		set_epoch(1);

		// Declared: the worst deposit plus a claim; a request plus a claim and a compounding of
		// NPoS rewards (staked pools).
		let declared = |call: Call<Test>| call.get_dispatch_info().call_weight;
		assert_eq!(
			declared(Call::deposit { pool, amount: 1_000 }),
			Weights::deposit().max(Weights::deposit_native()).max(Weights::deposit_staked())
				+ CLAIM
		);
		assert_eq!(
			declared(Call::request_withdrawal { pool, lrt_amount: 1_000 }),
			Weights::request_withdrawal() + CLAIM + Weights::compound_rewards()
		);

		// The first deposit of the epoch pays for the claim it made...
		let first = RestakingPools::deposit(RuntimeOrigin::signed(3), pool, 1_000);
		assert_eq!(used(first), Weights::deposit_native() + CLAIM);
		// ... the second is refunded the claim (and, native, down to `deposit_native`).
		let second = RestakingPools::deposit(RuntimeOrigin::signed(4), pool, 1_000);
		assert_eq!(used(second), Weights::deposit_native());
		// A request in the same epoch claims nothing either.
		let request = RestakingPools::request_withdrawal(RuntimeOrigin::signed(2), pool, 1_000);
		assert_eq!(used(request), Weights::request_withdrawal());
		// An asset pool is charged the asset deposit, plus its own first claim.
		let asset_first = RestakingPools::deposit(RuntimeOrigin::signed(3), asset_pool, 1_000);
		assert_eq!(used(asset_first), Weights::deposit().max(Weights::deposit_native()) + CLAIM);

		// In epoch 2 a request is the pool's first call: it pays for the claim.
		set_epoch(2);
		let request = RestakingPools::request_withdrawal(RuntimeOrigin::signed(3), pool, 1_000);
		assert_eq!(used(request), Weights::request_withdrawal() + CLAIM);
		assert_eq!(MockRewards::claims(), vec![pool, asset_pool, pool]);
		assert_ok!(RestakingPools::deposit(RuntimeOrigin::signed(5), pool, 1_000));
		assert_eq!(<Lrt as LrtInterface<_, _>>::balance(pool, &5), 1_000);
	});
}

#[test]
fn while_the_epochs_payments_are_still_being_made_every_deposit_claims_again() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a pool in epoch 1 whose consumers' transition still runs over several blocks.
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		set_epoch(1);
		MockRewards::set_epoch_unpaid(true);

		// When a first deposit claims (before a late consumer paid), and the late consumer's
		// payment then reaches the pool's rewards.
		deposit(3, pool, 1_000);
		assert_eq!(pool_record(pool).rewards_claimed_at, 0, "not final while payments run");
		owe_rewards(pool, 9, 500_000);

		// Then the next deposit claims again: the newcomer enters at the rate with the late
		// payment in it (1_001_000 LRT for 1_501_000 of value: 1_000 buys about 666.9, 667
		// with the pool's virtual offsets; without the claim it would have bought 1_000).
		let minted = deposit(4, pool, 1_000);
		assert_eq!(MockRewards::claims(), vec![pool, pool]);
		assert_eq!(minted, 667);

		// Once every payment is made, one more claim makes the epoch final.
		MockRewards::set_epoch_unpaid(false);
		deposit(4, pool, 1_000);
		deposit(4, pool, 1_000);
		assert_eq!(MockRewards::claims(), vec![pool, pool, pool]);
		assert_eq!(pool_record(pool).rewards_claimed_at, 1);
	});
}
