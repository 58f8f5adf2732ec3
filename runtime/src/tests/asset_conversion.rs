//! LRTs people can trade (issue 13, item 3): `pallet-asset-conversion` in the runtime, the demo
//! PAL/LRT market of the development presets, and the market price next to the pool rate in
//! the restaking view.

use frame_support::{
	assert_noop, assert_ok,
	instances::Instance2,
	traits::{
		fungible::{Inspect as _, NativeOrWithId},
		fungibles::Inspect as _,
		Contains,
	},
};
use pallet_asset_conversion::{Error, PoolLocator};
use sp_core::U256;
use sp_keyring::Sr25519Keyring::{Dave, DaveStash, Eve, Ferdie};
use sp_runtime::{
	traits::{Dispatchable, IntegerSquareRoot},
	DispatchError, FixedU128, Permill,
};

use super::{account, ext_from_preset};
use crate::{
	configs::{
		asset_conversion::{AssetKind, LpFee, PalFirstLocator, PoolSetupFee},
		assets::{AssetAccountDeposit, PalisadeCallFilter},
		governance::TreasuryAccount,
		restaking::LRT_ASSET_ID_OFFSET,
	},
	currency::UNITS,
	genesis_config_presets::{DEMO_ASSET, DEMO_MARKET_LRT, DEMO_MARKET_NATIVE, ENDOWMENT},
	restaking_api as views, AccountId, AssetConversion, Assets, Balance, Balances, Consumers,
	PoolAssets, RestakingPools, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
};

/// The demo native pool (0) and its LRT.
const POOL: u32 = 0;
const LRT: u32 = LRT_ASSET_ID_OFFSET + POOL;
/// The minimum liquidity the pallet locks in every pool (`MintMinLiquidity`).
const MIN_LIQUIDITY: Balance = 100;

fn pal() -> AssetKind {
	NativeOrWithId::Native
}

fn lrt() -> AssetKind {
	NativeOrWithId::WithId(LRT)
}

/// The demo market's account (keyless, derived from the pallet id and the asset pair).
fn market_account() -> AccountId {
	PalFirstLocator::pool_address(&pal(), &lrt()).expect("a PAL pair has an account")
}

/// (LRT reserve, PAL reserve) of the demo market.
fn reserves() -> (Balance, Balance) {
	AssetConversion::get_reserves(lrt(), pal()).expect("the demo market has liquidity")
}

fn lrt_of(who: &AccountId) -> Balance {
	Assets::balance(LRT, who)
}

/// Uniswap V2's output for `amount_in` at the 0.3% fee, computed here from the reserves
/// independently of the pallet: ⌊in·(1 − fee)·R_out / (R_in + in·(1 − fee))⌋, in parts per
/// million.
fn expected_out(amount_in: Balance, reserve_in: Balance, reserve_out: Balance) -> Balance {
	let after_fee = U256::from(amount_in) * U256::from(997_000u32);
	let out = after_fee * U256::from(reserve_out)
		/ (U256::from(reserve_in) * U256::from(1_000_000u32) + after_fee);
	out.as_u128()
}

use super::demo::next_epoch;

fn swap_call(amount_in: Balance, amount_out_min: Balance, send_to: AccountId) -> RuntimeCall {
	RuntimeCall::AssetConversion(pallet_asset_conversion::Call::swap_exact_tokens_for_tokens {
		path: vec![Box::new(lrt()), Box::new(pal())],
		amount_in,
		amount_out_min,
		send_to,
		keep_alive: true,
	})
}

#[test]
fn the_demo_market_opens_at_genesis_with_the_expected_reserves() {
	ext_from_preset("development").execute_with(|| {
		let provider = account(DaveStash);
		// The pool of (PAL, pLRT0), created by //Dave//stash with the first LP token.
		let pool_id = (pal(), lrt());
		let info = pallet_asset_conversion::Pools::<Runtime>::get(&pool_id).expect("the market");
		assert_eq!(info.lp_token, 0);
		assert_eq!(pallet_asset_conversion::NextPoolAssetId::<Runtime>::get(), Some(1));
		assert_eq!(pallet_asset_conversion::Pools::<Runtime>::iter().count(), 1);

		// Reserves: 10,000 LRT and 9,900 PAL, a 0.99 PAL opening price.
		assert_eq!(reserves(), (DEMO_MARKET_LRT, DEMO_MARKET_NATIVE));
		assert_eq!(DEMO_MARKET_LRT, 10_000 * UNITS);
		assert_eq!(DEMO_MARKET_NATIVE, 9_900 * UNITS);
		let market = market_account();
		assert_eq!(lrt_of(&market), DEMO_MARKET_LRT);
		assert_eq!(Balances::balance(&market), DEMO_MARKET_NATIVE);

		// LP tokens: √(PAL × LRT) in total, the minimum locked in the pool account, the rest
		// the provider's. They live in `PoolAssets`, owned by the market's keyless account.
		let total = (DEMO_MARKET_NATIVE * DEMO_MARKET_LRT).integer_sqrt();
		assert_eq!(PoolAssets::total_issuance(0), total);
		assert_eq!(PoolAssets::balance(0, &market), MIN_LIQUIDITY);
		assert_eq!(PoolAssets::balance(0, &provider), total - MIN_LIQUIDITY);
		let lp = pallet_assets::Asset::<Runtime, Instance2>::get(0).expect("LP token 0");
		assert_eq!((lp.owner, lp.admin), (market.clone(), market.clone()));

		// The provider got its LRT by depositing 25,000 PAL and kept 15,000 of it; it paid the
		// pool setup fee and holds the deposit of the market's LP-token account.
		assert_eq!(lrt_of(&provider), 25_000 * UNITS - DEMO_MARKET_LRT);
		assert_eq!(
			Balances::total_balance(&provider),
			ENDOWMENT - 25_000 * UNITS - DEMO_MARKET_NATIVE - PoolSetupFee::get()
		);
		assert_eq!(Balances::reserved_balance(&provider), AssetAccountDeposit::get());
		// Opening a market moves LRT, it mints none: pool 0's LRT supply is its deposits.
		assert_eq!(Assets::total_issuance(LRT), 75_000 * UNITS);
	});
}

#[test]
fn staging_has_no_market() {
	ext_from_preset("staging").execute_with(|| {
		assert!(pallet_asset_conversion::Pools::<Runtime>::iter().next().is_none());
		assert!(pallet_assets::Asset::<Runtime, Instance2>::iter().next().is_none());
		assert_eq!(
			AssetConversion::quote_price_exact_tokens_for_tokens(lrt(), pal(), UNITS, true),
			None
		);
	});
}

#[test]
fn a_restaker_sells_lrt_for_pal_at_the_quoted_price_fee_included() {
	ext_from_preset("development").execute_with(|| {
		// Given Dave, who deposited 50,000 PAL into pool 0, and the market's reserves.
		let dave = account(Dave);
		let (lrt_reserve, pal_reserve) = reserves();
		let (lrt_before, pal_before) = (lrt_of(&dave), Balances::balance(&dave));
		let supply_before = Assets::total_issuance(LRT);
		let sold = 100 * UNITS;

		// The pallet's quote is Uniswap's formula at the 0.3% fee, below the fee-less quote.
		assert_eq!(LpFee::get(), Permill::from_rational(3u32, 1_000u32));
		let quote = AssetConversion::quote_price_exact_tokens_for_tokens(lrt(), pal(), sold, true)
			.expect("a quote");
		assert_eq!(quote, expected_out(sold, lrt_reserve, pal_reserve));
		let no_fee =
			AssetConversion::quote_price_exact_tokens_for_tokens(lrt(), pal(), sold, false)
				.expect("a quote");
		assert_eq!(no_fee, sold * pal_reserve / lrt_reserve);
		assert!(quote < no_fee);

		// When Dave sells 100 LRT with the quote as his minimum (through the call filter).
		assert!(PalisadeCallFilter::contains(&swap_call(sold, quote, dave.clone())));
		assert_ok!(
			swap_call(sold, quote, dave.clone()).dispatch(RuntimeOrigin::signed(dave.clone()))
		);

		// Then he has exactly 100 LRT less and the quote more in PAL; the market the reverse.
		assert_eq!(lrt_of(&dave), lrt_before - sold);
		assert_eq!(Balances::balance(&dave), pal_before + quote);
		assert_eq!(reserves(), (lrt_reserve + sold, pal_reserve - quote));
		// The fee stayed in the pool: the constant product grew.
		assert!(
			U256::from(lrt_reserve + sold) * U256::from(pal_reserve - quote)
				> U256::from(lrt_reserve) * U256::from(pal_reserve)
		);
		// No LRT was minted or burnt: pallet-lrt's books still match the supply.
		assert_eq!(Assets::total_issuance(LRT), supply_before);
		assert!(System::events().iter().any(|record| matches!(
			&record.event,
			RuntimeEvent::AssetConversion(pallet_asset_conversion::Event::SwapExecuted {
				who, amount_in, amount_out, ..
			}) if *who == dave && *amount_in == sold && *amount_out == quote
		)));
	});
}

#[test]
fn a_swap_asking_more_than_the_quote_fails_and_changes_nothing() {
	ext_from_preset("development").execute_with(|| {
		let dave = account(Dave);
		let sold = 100 * UNITS;
		let quote = AssetConversion::quote_price_exact_tokens_for_tokens(lrt(), pal(), sold, true)
			.expect("a quote");
		// One Planck more than the pool pays: refused, and no storage changed (assert_noop).
		assert_noop!(
			AssetConversion::swap_exact_tokens_for_tokens(
				RuntimeOrigin::signed(dave.clone()),
				vec![Box::new(lrt()), Box::new(pal())],
				sold,
				quote + 1,
				dave.clone(),
				true,
			),
			Error::<Runtime>::ProvidedMinimumNotSufficientForSwap
		);
		// The same bound on the exact-out side: paying at most one Planck less than needed.
		let cost = AssetConversion::quote_price_tokens_for_exact_tokens(lrt(), pal(), quote, true)
			.expect("a quote");
		assert_noop!(
			AssetConversion::swap_tokens_for_exact_tokens(
				RuntimeOrigin::signed(dave.clone()),
				vec![Box::new(lrt()), Box::new(pal())],
				quote,
				cost - 1,
				dave,
				true,
			),
			Error::<Runtime>::ProvidedMaximumNotSufficientForSwap
		);
	});
}

#[test]
fn adding_liquidity_below_the_minimum_fails() {
	ext_from_preset("development").execute_with(|| {
		let dave = account(Dave);
		let add = |native: Balance, lrt_amount: Balance| {
			AssetConversion::add_liquidity(
				RuntimeOrigin::signed(dave.clone()),
				Box::new(pal()),
				Box::new(lrt()),
				native,
				lrt_amount,
				0,
				0,
				dave.clone(),
			)
		};
		// 50 Planck of each would mint fewer than `MintMinLiquidity` (100) LP units.
		assert_noop!(add(50, 60), Error::<Runtime>::InsufficientLiquidityMinted);
		assert_noop!(add(0, 60), Error::<Runtime>::WrongDesiredAmount);
		// A real amount works: 100 PAL and the LRT the current price asks for.
		let (lrt_reserve, pal_reserve) = reserves();
		assert_ok!(add(100 * UNITS, 200 * UNITS));
		let lrt_taken = 100 * UNITS * lrt_reserve / pal_reserve;
		assert_eq!(reserves(), (lrt_reserve + lrt_taken, pal_reserve + 100 * UNITS));
		assert!(PoolAssets::balance(0, &dave) > MIN_LIQUIDITY);
	});
}

#[test]
fn every_market_has_pal_on_one_side_and_costs_the_setup_fee() {
	ext_from_preset("development").execute_with(|| {
		let eve = account(Eve);
		// A pair without PAL has no pool.
		assert_noop!(
			AssetConversion::create_pool(
				RuntimeOrigin::signed(eve.clone()),
				Box::new(NativeOrWithId::WithId(DEMO_ASSET)),
				Box::new(lrt()),
			),
			Error::<Runtime>::InvalidAssetPair
		);
		// The demo market exists already, whichever order the assets are named in.
		assert_noop!(
			AssetConversion::create_pool(
				RuntimeOrigin::signed(eve.clone()),
				Box::new(lrt()),
				Box::new(pal()),
			),
			Error::<Runtime>::PoolExists
		);
		// An LRT that does not exist yet (no pool 7) cannot be listed.
		assert!(AssetConversion::create_pool(
			RuntimeOrigin::signed(eve.clone()),
			Box::new(pal()),
			Box::new(NativeOrWithId::WithId(LRT_ASSET_ID_OFFSET + 7)),
		)
		.is_err());
		// Eve lists her pool's LRT (pLRT1): the treasury gets the setup fee; the LP token is
		// the next `PoolAssets` id, not an `Assets` id.
		let treasury = Balances::balance(&TreasuryAccount::get());
		assert_ok!(AssetConversion::create_pool(
			RuntimeOrigin::signed(eve),
			Box::new(pal()),
			Box::new(NativeOrWithId::WithId(LRT_ASSET_ID_OFFSET + 1)),
		));
		assert_eq!(Balances::balance(&TreasuryAccount::get()), treasury + PoolSetupFee::get());
		assert!(pallet_assets::Asset::<Runtime, Instance2>::contains_key(1));
		assert!(!pallet_assets::Asset::<Runtime>::contains_key(0));
	});
}

#[test]
fn lp_tokens_are_not_lrt_and_only_the_pallet_creates_them() {
	ext_from_preset("development").execute_with(|| {
		let dave = account(Dave);
		// Nobody can create an LP token by hand: the create origin is the pallet's own
		// keyless account.
		assert_noop!(
			PoolAssets::create(
				RuntimeOrigin::signed(dave.clone()),
				LRT.into(),
				sp_runtime::MultiAddress::Id(dave.clone()),
				1
			),
			DispatchError::BadOrigin
		);
		// LP token 0 and LRT 1,000,000,000 are in different instances: an LP id is no LRT id
		// and the LRT id has no LP token.
		assert!(pallet_assets::Asset::<Runtime, Instance2>::contains_key(0));
		assert!(!pallet_assets::Asset::<Runtime, Instance2>::contains_key(LRT));
		assert!(pallet_assets::Asset::<Runtime>::contains_key(LRT));
		assert!(!pallet_assets::Asset::<Runtime>::contains_key(0));
		// The market's account is no restaking pool account, and no restaking pool account is
		// an asset-conversion pool's.
		let market = market_account();
		assert!(!RestakingPools::is_pool_account(&market));
		for pool in [0, 1] {
			let pool_account = RestakingPools::pool_account(pool);
			assert!(RestakingPools::is_pool_account(&pool_account));
			assert_ne!(pool_account, market);
		}
	});
}

#[test]
fn the_pool_view_shows_the_pool_rate_next_to_the_market_price() {
	ext_from_preset("development").execute_with(|| {
		// At genesis: rate 1, market 0.99 PAL per LRT less the fee and the sale's impact.
		let view = views::pool(POOL).expect("pool 0");
		assert_eq!(view.rate, FixedU128::from_u32(1));
		let one = 10u128.pow(u32::from(view.decimals));
		assert_eq!(one, UNITS);
		let expected = expected_out(one, DEMO_MARKET_LRT, DEMO_MARKET_NATIVE);
		assert_eq!(view.market_price, Some(expected));
		assert_eq!(
			view.market_price,
			AssetConversion::quote_price_exact_tokens_for_tokens(lrt(), pal(), one, true)
		);
		assert!(expected < 99 * UNITS / 100);
		assert!(expected > 98 * UNITS / 100);
		// Pool 1's LRT has no market.
		assert_eq!(views::pool(1).expect("pool 1").market_price, None);

		// A consumer payment, once claimed into the pool, raises the rate; the market price
		// moves only with trades.
		next_epoch();
		assert_ok!(Consumers::claim_pool_rewards(RuntimeOrigin::signed(account(Ferdie)), POOL));
		assert!(views::pool(POOL).expect("pool 0").vesting > 0);
		next_epoch();
		let view = views::pool(POOL).expect("pool 0");
		assert_eq!(view.vesting, 0);
		assert!(view.rate > FixedU128::from_u32(1));
		assert_eq!(view.market_price, Some(expected));
		// A sale lowers it.
		let dave = account(Dave);
		assert_ok!(swap_call(1_000 * UNITS, 1, dave.clone()).dispatch(RuntimeOrigin::signed(dave)));
		let after = views::pool(POOL).expect("pool 0").market_price.expect("a price");
		assert!(after < expected);
		let (lrt_reserve, pal_reserve) = reserves();
		assert_eq!(after, expected_out(one, lrt_reserve, pal_reserve));
	});
}
