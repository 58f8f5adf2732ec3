//! Deposits: custody, LRT minted, limits.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungible::Mutate as _};
use palisade_primitives::{Collateral, PoolsInterface};
use sp_runtime::{traits::One, FixedU128, TokenError};

#[test]
fn a_native_deposit_moves_to_the_pool_account_and_mints_lrt_at_par() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an empty native pool.
		let pool = create_pool(1, Collateral::Native);
		pool_events();

		// When alice (2) deposits 1_000_000.
		assert_ok!(RestakingPools::deposit(RuntimeOrigin::signed(2), pool, 1_000_000));

		// Then she holds 1_000_000 LRT (rate 1), the pool's account holds her PAL.
		assert_eq!(lrt(pool, 2), 1_000_000);
		assert_eq!(supply(pool), 1_000_000);
		assert_eq!(free(2), ENDOWMENT - 1_000_000);
		assert_eq!(in_pool(pool), 1_000_000);
		assert_eq!(pool_record(pool).active, 1_000_000);
		assert_eq!(rate(pool), FixedU128::one());
		assert_eq!(
			pool_events(),
			vec![Event::Deposited {
				who: 2,
				pool,
				amount: 1_000_000,
				lrt_minted: 1_000_000,
				rate: FixedU128::one(),
				reward_buy_in: 0,
			}]
		);
	});
}

#[test]
fn an_asset_deposit_is_transferred_to_the_pool_account() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Asset(ASSET));

		assert_eq!(deposit(2, pool, 250_000), 250_000);

		assert_eq!(asset(2), ENDOWMENT - 250_000);
		assert_eq!(asset(RestakingPools::pool_account(pool)), ASSET_MIN + 250_000);
		assert_eq!(pool_record(pool).active, 250_000);
		// No native moved.
		assert_eq!((free(2), in_pool(pool)), (ENDOWMENT, 0));
	});
}

#[test]
fn donations_to_the_pool_account_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000), 1_000);

		// When someone sends 5_000_000 PAL straight to the pool account.
		assert_ok!(Balances::transfer(
			&3,
			&RestakingPools::pool_account(pool),
			5_000_000,
			frame_support::traits::tokens::Preservation::Preserve
		));

		// Then the pool value, the rate and what a deposit mints are unchanged (the account
		// holds the donation too, owned by nobody).
		assert_eq!(pool_record(pool).active, 1_000);
		assert_eq!(in_pool(pool), 5_001_000);
		assert_eq!(rate(pool), FixedU128::one());
		assert_eq!(deposit(4, pool, 1_000), 1_000);
	});
}

#[test]
fn deposit_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Native);
		let asset_pool = create_pool(1, Collateral::Asset(ASSET));

		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(2), 9, 1_000),
			Error::<Test>::PoolNotFound
		);
		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(2), pool, 0),
			Error::<Test>::ZeroAmount
		);
		// MinDeposit is 10 for native pools...
		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(2), pool, 9),
			Error::<Test>::BelowMinDeposit
		);
		// ... and for asset pools the same number of whole tokens (10 at the same decimals),
		// at least the asset's minimum balance (5).
		assert_eq!(RestakingPools::min_amount(Collateral::Asset(ASSET)), 10);
		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(2), asset_pool, 9),
			Error::<Test>::BelowMinDeposit
		);
		assert_ok!(RestakingPools::deposit(RuntimeOrigin::signed(2), asset_pool, 10));

		// Amounts overflowing the pool value.
		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(2), asset_pool, u64::MAX),
			Error::<Test>::Overflow
		);

		// The cap bounds the active value.
		assert_ok!(RestakingPools::set_deposit_cap(RuntimeOrigin::signed(1), pool, 1_000));
		assert_ok!(RestakingPools::deposit(RuntimeOrigin::signed(2), pool, 600));
		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(3), pool, 401),
			Error::<Test>::DepositCapExceeded
		);
		assert_ok!(RestakingPools::deposit(RuntimeOrigin::signed(3), pool, 400));

		// A closed pool takes nothing.
		assert_ok!(RestakingPools::set_pool_state(
			RuntimeOrigin::signed(1),
			pool,
			PoolState::Closed
		));
		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(2), pool, 10),
			Error::<Test>::PoolClosed
		);

		// The depositor must be able to pay (and stay alive).
		let other = create_pool(1, Collateral::Native);
		assert_ok!(Balances::mint_into(&42, 20));
		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(42), other, 20),
			TokenError::NotExpendable
		);
		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(42), other, 21),
			TokenError::FundsUnavailable
		);

		// A pool slashed to zero while LRT remains takes no deposits.
		assert_eq!(<RestakingPools as PoolsInterface<_, _>>::slash(pool, 1_000, None), 1_000);
		assert_ok!(RestakingPools::set_pool_state(RuntimeOrigin::signed(1), pool, PoolState::Open));
		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(2), pool, 10),
			Error::<Test>::PoolWipedOut
		);
	});
}
