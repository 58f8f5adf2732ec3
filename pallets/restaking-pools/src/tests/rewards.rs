//! Rewards: native pools' rate rises; asset pools' native reward pot, shared on withdrawal.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use palisade_primitives::{Collateral, LrtInterface, PoolsInterface};
use sp_runtime::{traits::One, FixedPointNumber, FixedU128, TokenError};

fn add_rewards(pool: u32, payer: AccountId, amount: Balance) {
	assert_eq!(
		<RestakingPools as PoolsInterface<_, _>>::add_rewards(pool, &payer, amount),
		Ok(amount)
	);
}

#[test]
fn native_rewards_raise_the_rate_for_every_holder_at_once() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) holds all 1_000_000 LRT of a native pool.
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		pool_events();

		// When account 3 pays 500_000 of rewards.
		add_rewards(pool, 3, 500_000);

		// Then the pool value rises at once, the rate once they vested (over one epoch: the
		// pool was created in this one): (1_500_000 + 1_000) / (1_000_000 + 1_000).
		assert_eq!(pool_record(pool).active, 1_500_000);
		assert_eq!(in_pool(pool), 1_500_000);
		assert_eq!(free(3), ENDOWMENT - 500_000);
		assert_eq!(
			pool_events(),
			vec![Event::RewardsAdded {
				pool,
				payer: 3,
				amount: 500_000,
				to_pot: false,
				rate: FixedU128::one()
			}]
		);
		assert_eq!(rate(pool), FixedU128::one());
		set_epoch(1);
		let expected_rate = FixedU128::checked_from_rational(1_501_000, 1_001_000).unwrap();
		assert_eq!(rate(pool), expected_rate);
		// Alice's LRT is worth ⌊1_000_000 × 1_501_000 / 1_001_000⌋ = 1_499_500: the virtual
		// position took 500 of the 500_000.
		assert_eq!(<Lrt as LrtInterface<_, _>>::value_of(pool, 1_000_000, 1_500_000), 1_499_500);

		// When bob (4) deposits 1_000_000 at that rate: ⌊1_000_000 / rate⌋ = 666_888 LRT, which
		// cost ⌈666_888 × rate⌉ = 999_999; he keeps 1.
		assert_eq!(deposit(4, pool, 1_000_000), 666_888);
		assert_eq!(free(4), ENDOWMENT - 999_999);

		// Then both withdraw everything: alice gets her deposit plus 499_500 of rewards, bob
		// exactly what he paid.
		let alice = request(2, pool, 1_000_000);
		let bob = request(4, pool, 666_888);
		set_epoch(1 + WITHDRAWAL_DELAY);
		claim(2, pool, alice);
		claim(4, pool, bob);
		assert_eq!(free(2), ENDOWMENT + 499_500);
		assert_eq!(free(4), ENDOWMENT);
		// The virtual position's 500 stays in the pool, owned by no LRT.
		assert_eq!((supply(pool), pool_record(pool).active, in_pool(pool)), (0, 500, 500));
	});
}

#[test]
fn asset_pool_rewards_go_to_a_native_pot_shared_on_withdrawal() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) holds all 1_000_000 LRT of an asset pool.
		let pool = create_pool(1, Collateral::Asset(ASSET));
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);

		// When 1_000 PAL of rewards arrive, they go to the pot; the rate does not move.
		add_rewards(pool, 3, 1_000);
		assert_eq!(pool_record(pool).reward_pot, 1_000);
		assert_eq!(rate(pool), FixedU128::one());
		assert_eq!(in_pool(pool), 1_000);
		assert_eq!(
			pool_events().last(),
			Some(&Event::RewardsAdded {
				pool,
				payer: 3,
				amount: 1_000,
				to_pot: true,
				rate: FixedU128::one()
			})
		);

		// When bob (4) deposits 500_000 once they vested (one epoch), he buys in:
		// ⌈1_000 × 500_000 / 1_000_000⌉ = 500 PAL into the pot, so the pot per LRT (1/1_000)
		// does not change.
		set_epoch(1);
		assert_eq!(deposit(4, pool, 500_000), 500_000);
		assert_eq!(free(4), ENDOWMENT - 500);
		assert_eq!(pool_record(pool).reward_pot, 1_500);
		assert_eq!(
			pool_events(),
			vec![Event::Deposited {
				who: 4,
				pool,
				amount: 500_000,
				lrt_minted: 500_000,
				rate: FixedU128::one(),
				reward_buy_in: 500,
			}]
		);

		// When alice gives 400_000 LRT to account 42 (no PAL), the pot share goes with it.
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(2), OFFSET, 42, 400_000));
		let r42 = request(42, pool, 400_000);
		assert_eq!(WithdrawalRequests::<Test>::get(42, r42).map(|r| r.reward), Some(400));
		let ralice = request(2, pool, 600_000);
		assert_eq!(WithdrawalRequests::<Test>::get(2, ralice).map(|r| r.reward), Some(600));
		let rbob = request(4, pool, 500_000);
		assert_eq!(WithdrawalRequests::<Test>::get(4, rbob).map(|r| r.reward), Some(500));
		let record = pool_record(pool);
		assert_eq!((record.reward_pot, record.queued_rewards), (0, 1_500));

		// Then the claims pay collateral and rewards.
		set_epoch(1 + WITHDRAWAL_DELAY);
		claim(42, pool, r42);
		claim(2, pool, ralice);
		claim(4, pool, rbob);
		assert_eq!((asset(42), free(42)), (400_000, 400));
		assert_eq!((asset(2), free(2)), (ENDOWMENT - 400_000, ENDOWMENT + 600));
		assert_eq!((asset(4), free(4)), (ENDOWMENT, ENDOWMENT));
		assert_eq!(in_pool(pool), 0);
	});
}

#[test]
fn add_rewards_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Native);
		assert_noop!(
			<RestakingPools as PoolsInterface<_, _>>::add_rewards(9, &3, 10),
			Error::<Test>::PoolNotFound
		);
		// Nobody to reward yet.
		assert_noop!(
			<RestakingPools as PoolsInterface<_, _>>::add_rewards(pool, &3, 10),
			Error::<Test>::NoLrtHolders
		);
		assert_eq!(deposit(2, pool, 1_000), 1_000);
		assert_noop!(
			<RestakingPools as PoolsInterface<_, _>>::add_rewards(pool, &3, 0),
			Error::<Test>::ZeroAmount
		);
		// The payer is kept alive (the balances pallet calls the existential deposit it would
		// have to keep "frozen").
		assert_noop!(
			<RestakingPools as PoolsInterface<_, _>>::add_rewards(pool, &3, ENDOWMENT),
			TokenError::Frozen
		);
		assert_noop!(
			<RestakingPools as PoolsInterface<_, _>>::add_rewards(pool, &3, ENDOWMENT + 1),
			TokenError::FundsUnavailable
		);
	});
}
