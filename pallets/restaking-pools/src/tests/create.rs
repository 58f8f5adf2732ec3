//! Creating pools and curating them.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungibles::metadata::Inspect as _};
use palisade_primitives::Collateral;
use sp_runtime::{DispatchError, TokenError};

#[test]
fn creating_a_native_pool_holds_the_deposit_and_creates_the_lrt() {
	ExtBuilder::default().build_and_execute(|| {
		// When account 1 creates a native pool capped at 5_000.
		assert_ok!(RestakingPools::create_pool(
			RuntimeOrigin::signed(1),
			Collateral::Native,
			metadata(b"alpha"),
			5_000,
		));

		// Then it is pool 0, open, empty, curated by 1.
		assert_eq!(
			pool_record(0),
			PoolRecord {
				account: RestakingPools::candidate_account(0, 0),
				curator: 1,
				depositor: 1,
				creation_deposit: POOL_DEPOSIT,
				collateral: Collateral::Native,
				lrt_asset: OFFSET,
				state: PoolState::Open,
				deposit_cap: 5_000,
				active: 0,
				queued: 0,
				requests: 0,
				owed: 0,
				reward_pot: 0,
				queued_rewards: 0,
				seed: 0,
				vesting: RewardVesting::starting_at(0),
			}
		);
		assert_eq!(PoolMetadata::<Test>::get(0), metadata(b"alpha"));
		assert_eq!(NextPoolId::<Test>::get(), 1);
		// The creator paid the deposit (held), the pool account's ED and the LRT pallet
		// account's ED (first LRT ever; metadata deposits are zero in the mock).
		assert_eq!(held_deposit(1), POOL_DEPOSIT);
		assert_eq!(free(1), ENDOWMENT - POOL_DEPOSIT - 1 - 1);
		assert_eq!(free(RestakingPools::pool_account(0)), 1);
		assert_eq!(in_pool(0), 0);
		// The LRT exists, with the native decimals and no supply.
		assert_eq!(Assets::decimals(OFFSET), 6);
		assert_eq!(Assets::symbol(OFFSET), b"pLRT0".to_vec());
		assert_eq!(supply(0), 0);
		assert_eq!(
			pool_events(),
			vec![Event::PoolCreated {
				pool: 0,
				curator: 1,
				collateral: Collateral::Native,
				lrt_asset: OFFSET,
				deposit_cap: 5_000,
				creation_deposit: POOL_DEPOSIT,
			}]
		);

		// A second pool by another creator: only the deposit and the pool account's ED.
		assert_eq!(create_pool(2, Collateral::Native), 1);
		assert_eq!(free(2), ENDOWMENT - POOL_DEPOSIT - 1);
		assert_eq!(pool_record(1).lrt_asset, OFFSET + 1);
	});
}

#[test]
fn creating_an_asset_pool_seeds_its_account_with_the_minimum_balance() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(create_pool(1, Collateral::Asset(ASSET)), 0);

		let record = pool_record(0);
		assert_eq!(record.collateral, Collateral::Asset(ASSET));
		assert_eq!(record.seed, ASSET_MIN);
		assert_eq!(asset(RestakingPools::pool_account(0)), ASSET_MIN);
		assert_eq!(asset(1), ENDOWMENT - ASSET_MIN);
		// The LRT has the asset's decimals.
		assert_eq!(Assets::decimals(OFFSET), 6);
	});
}

#[test]
fn create_pool_errors() {
	ExtBuilder::default().build_and_execute(|| {
		// An LRT cannot be collateral.
		assert_noop!(
			RestakingPools::create_pool(
				RuntimeOrigin::signed(1),
				Collateral::Asset(OFFSET),
				metadata(b""),
				1
			),
			Error::<Test>::InvalidCollateral
		);
		// Nor can an asset that does not exist.
		assert_noop!(
			RestakingPools::create_pool(
				RuntimeOrigin::signed(1),
				Collateral::Asset(8),
				metadata(b""),
				1
			),
			Error::<Test>::UnknownAsset
		);
		// Account 42 cannot pay the deposit.
		assert_noop!(
			RestakingPools::create_pool(
				RuntimeOrigin::signed(42),
				Collateral::Native,
				metadata(b""),
				1
			),
			TokenError::FundsUnavailable
		);
		// Unsigned.
		assert_noop!(
			RestakingPools::create_pool(
				RuntimeOrigin::none(),
				Collateral::Native,
				metadata(b""),
				1
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_curator_sets_curator_cap_and_state() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Native);
		pool_events();

		assert_ok!(RestakingPools::set_deposit_cap(RuntimeOrigin::signed(1), pool, 777));
		assert_ok!(RestakingPools::set_pool_state(
			RuntimeOrigin::signed(1),
			pool,
			PoolState::Closed
		));
		assert_ok!(RestakingPools::set_curator(RuntimeOrigin::signed(1), pool, 2));
		assert_eq!(
			pool_events(),
			vec![
				Event::DepositCapSet { pool, deposit_cap: 777 },
				Event::PoolStateSet { pool, state: PoolState::Closed },
				Event::CuratorChanged { pool, old: 1, new: 2 },
			]
		);
		let record = pool_record(pool);
		assert_eq!((record.curator, record.deposit_cap, record.state), (2, 777, PoolState::Closed));
		// The creation deposit stays with the creator.
		assert_eq!((record.depositor, held_deposit(1), held_deposit(2)), (1, POOL_DEPOSIT, 0));

		// The former curator no longer may.
		assert_noop!(
			RestakingPools::set_deposit_cap(RuntimeOrigin::signed(1), pool, 1),
			Error::<Test>::NotCurator
		);
		assert_noop!(
			RestakingPools::set_pool_state(RuntimeOrigin::signed(1), pool, PoolState::Open),
			Error::<Test>::NotCurator
		);
		assert_noop!(
			RestakingPools::set_curator(RuntimeOrigin::signed(1), pool, 1),
			Error::<Test>::NotCurator
		);
		// Unknown pool.
		assert_noop!(
			RestakingPools::set_deposit_cap(RuntimeOrigin::signed(2), 9, 1),
			Error::<Test>::PoolNotFound
		);
		assert_noop!(
			RestakingPools::set_pool_state(RuntimeOrigin::signed(2), 9, PoolState::Open),
			Error::<Test>::PoolNotFound
		);
		assert_noop!(
			RestakingPools::set_curator(RuntimeOrigin::signed(2), 9, 1),
			Error::<Test>::PoolNotFound
		);
	});
}

#[test]
fn pool_accounts_and_pooled_assets_are_indexed_until_the_pools_close() {
	ExtBuilder::default().build_and_execute(|| {
		// Given nothing is pooled.
		assert!(!RestakingPools::asset_in_use(ASSET));

		// When two asset pools and a native pool are created.
		let first = create_pool(1, Collateral::Asset(ASSET));
		let native = create_pool(1, Collateral::Native);
		let second = create_pool(2, Collateral::Asset(ASSET));

		// Then their accounts map to them, and the asset counts two pools.
		for pool in [first, native, second] {
			let account = RestakingPools::pool_account(pool);
			assert!(RestakingPools::is_pool_account(&account));
			assert_eq!(PoolOfAccount::<Test>::get(account), Some(pool));
		}
		assert!(!RestakingPools::is_pool_account(&1));
		assert!(RestakingPools::asset_in_use(ASSET));
		assert!(!RestakingPools::asset_in_use(ASSET + 1));
		assert_eq!(AssetPoolCount::<Test>::get(ASSET), Some(2));

		// When the pools close one by one, they leave the indexes.
		let first_account = RestakingPools::pool_account(first);
		assert_ok!(RestakingPools::close_pool(RuntimeOrigin::signed(1), first));
		assert!(!RestakingPools::is_pool_account(&first_account));
		assert_eq!(AssetPoolCount::<Test>::get(ASSET), Some(1));
		assert!(RestakingPools::asset_in_use(ASSET));
		let second_account = RestakingPools::pool_account(second);
		assert_ok!(RestakingPools::close_pool(RuntimeOrigin::signed(2), second));
		assert!(!RestakingPools::is_pool_account(&second_account));
		assert!(!AssetPoolCount::<Test>::contains_key(ASSET));
		assert!(!RestakingPools::asset_in_use(ASSET));
		// The native pool never counted for an asset.
		assert!(RestakingPools::is_pool_account(&RestakingPools::pool_account(native)));
		assert_eq!(AssetPoolCount::<Test>::iter().count(), 0);
	});
}

#[test]
fn try_state_catches_a_stale_pool_index() {
	ExtBuilder::default().build().execute_with(|| {
		let pool = create_pool(1, Collateral::Asset(ASSET));
		assert_ok!(RestakingPools::do_try_state());
		// An account of no pool in the index.
		PoolOfAccount::<Test>::insert(42, pool);
		assert!(RestakingPools::do_try_state().is_err());
		PoolOfAccount::<Test>::remove(42);
		// A wrong count, then a zero entry.
		AssetPoolCount::<Test>::insert(ASSET, 2);
		assert!(RestakingPools::do_try_state().is_err());
		AssetPoolCount::<Test>::insert(ASSET + 1, 0);
		AssetPoolCount::<Test>::insert(ASSET, 1);
		assert!(RestakingPools::do_try_state().is_err());
		AssetPoolCount::<Test>::remove(ASSET + 1);
		assert_ok!(RestakingPools::do_try_state());
	});
}
