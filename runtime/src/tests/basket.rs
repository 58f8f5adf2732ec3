//! Basket LRTs against the real restaking pools: each deposit goes to the native pool furthest
//! below its weight, a redemption pays the pool LRTs in kind (beyond two pools through a
//! claim), a slash of one pool lowers the basket's value by exactly that pool's share, a closed
//! basket is removed and its token destroyed; and nobody, governance included, can mint, burn,
//! move or destroy a basket token.

use frame_support::{assert_noop, assert_ok, traits::Contains};
use palisade_primitives::{Collateral, PoolId, PoolsInterface};
use sp_keyring::Sr25519Keyring::{Charlie, Dave, Eve, Ferdie};
use sp_runtime::{traits::StaticLookup, DispatchError, Perbill};

use super::{account, council_motion, ext_from_preset};
use crate::{
	configs::{assets::PalisadeCallFilter, basket::BASKET_ASSET_ID_OFFSET},
	currency::UNITS,
	AccountId, Assets, Basket, RestakingPools, Runtime, RuntimeCall, RuntimeOrigin,
};

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

/// Eve creates a native pool.
fn native_pool() -> PoolId {
	let pool = pallet_restaking_pools::NextPoolId::<Runtime>::get();
	assert_ok!(RestakingPools::create_pool(
		signed(&account(Eve)),
		Collateral::Native,
		b"basket-pool".to_vec().try_into().unwrap(),
		u128::MAX,
	));
	pool
}

fn lrt_asset(pool: PoolId) -> u32 {
	pallet_restaking_pools::Pools::<Runtime>::get(pool).unwrap().lrt_asset
}

/// Two native pools, Ferdie holding 1_000 PAL of the first directly; Charlie's basket over
/// them at 60/40 (basket 0); Dave deposits 60 PAL into it (all to the first pool, the larger
/// weight) and 40 PAL (to the second, then furthest below its weight).
fn basket_world() -> (PoolId, PoolId, u32) {
	let (a, b) = (native_pool(), native_pool());
	assert_ok!(RestakingPools::deposit(signed(&account(Ferdie)), a, 1_000 * UNITS));
	let basket = pallet_basket::NextBasketId::<Runtime>::get();
	assert_ok!(Basket::create_basket(
		signed(&account(Charlie)),
		vec![(a, Perbill::from_percent(60)), (b, Perbill::from_percent(40))].try_into().unwrap(),
	));
	assert_ok!(Basket::deposit(signed(&account(Dave)), basket, 60 * UNITS));
	assert_ok!(Basket::deposit(signed(&account(Dave)), basket, 40 * UNITS));
	(a, b, basket)
}

#[test]
fn the_one_read_view_of_a_held_pool_is_its_value_and_openness() {
	use palisade_primitives::PoolDeposits;
	type Pools = RestakingPools;
	ext_from_preset("development").execute_with(|| {
		// Given a native pool with a holder and rewards vesting, another one closed to
		// deposits, and an unknown pool.
		let (a, b, _) = basket_world();
		assert_ok!(<RestakingPools as PoolsInterface<_, _>>::add_rewards(
			a,
			&account(Ferdie),
			7 * UNITS
		));
		assert_ok!(RestakingPools::set_pool_state(
			signed(&account(Eve)),
			b,
			pallet_restaking_pools::PoolState::Closed,
		));
		// Then the basket's one-read view of each is exactly the value and the openness the
		// two separate answers give, at every amount.
		for pool in [a, b, 999] {
			for lrt in [0, 1, 59 * UNITS + 7, 1_000 * UNITS] {
				assert_eq!(
					<Pools as PoolDeposits<_, _>>::held_pool_view(pool, lrt),
					(
						<Pools as PoolDeposits<_, _>>::lrt_value(pool, lrt),
						<Pools as PoolDeposits<_, _>>::is_open_native_pool(pool)
					)
				);
			}
		}
		assert!(<Pools as PoolDeposits<_, _>>::held_pool_view(a, 0).1);
		assert!(!<Pools as PoolDeposits<_, _>>::held_pool_view(b, UNITS).1);
		assert!(<Pools as PoolDeposits<_, _>>::held_pool_view(a, 100 * UNITS).0 > 0);
	});
}

#[test]
fn basket_deposits_fill_two_pools_by_weight_and_redeem_in_kind() {
	ext_from_preset("development").execute_with(|| {
		let dave = account(Dave);
		let dave_before = crate::Balances::free_balance(&dave);
		let (a, b, basket) = basket_world();
		let record = pallet_basket::Baskets::<Runtime>::get(basket).unwrap();
		assert_eq!(record.asset_id, BASKET_ASSET_ID_OFFSET + basket);

		// Both pools are at par: 60 and 40 PAL bought 60 and 40 LRT, Dave got 100 tokens (less
		// one Planck: the basket's value is rounded up for the second deposit) and paid
		// exactly 100 PAL.
		let (lrt_a, lrt_b) = (lrt_asset(a), lrt_asset(b));
		assert_eq!(Assets::balance(lrt_a, &record.account), 60 * UNITS);
		assert_eq!(Assets::balance(lrt_b, &record.account), 40 * UNITS);
		assert_eq!(Assets::balance(record.asset_id, &dave), 100 * UNITS - 1);
		assert_eq!(Basket::supply(basket), 100 * UNITS - 1);
		assert_eq!(dave_before - crate::Balances::free_balance(&dave), 100 * UNITS);
		assert_eq!(Basket::basket_value(basket), 100 * UNITS);
		// The token shows in Apps like a pool LRT.
		let symbol = <Assets as frame_support::traits::fungibles::metadata::Inspect<_>>::symbol(
			record.asset_id,
		);
		assert_eq!(symbol, format!("bLRT{basket}").into_bytes());

		// Dave redeems a quarter, then the rest: he holds both pool LRTs, the basket nothing.
		assert_ok!(Basket::redeem(signed(&dave), basket, 25 * UNITS));
		assert_eq!(Assets::balance(lrt_a, &dave), 15 * UNITS);
		assert_eq!(Assets::balance(lrt_b, &dave), 10 * UNITS);
		assert_ok!(Basket::redeem(signed(&dave), basket, 75 * UNITS - 1));
		assert_eq!(Assets::balance(lrt_a, &dave), 60 * UNITS);
		assert_eq!(Assets::balance(lrt_b, &dave), 40 * UNITS);
		assert_eq!(Assets::balance(lrt_a, &record.account), 0);
		assert_eq!(Assets::total_supply(record.asset_id), 0);
		// Redeeming more than held fails.
		assert_noop!(
			Basket::redeem(signed(&dave), basket, 1),
			pallet_basket::Error::<Runtime>::InsufficientTokens
		);
		// Dave can now leave pool A through its own queue.
		assert_ok!(RestakingPools::request_withdrawal(signed(&dave), a, 60 * UNITS));
		Basket::do_try_state().unwrap();
	});
}

#[test]
fn slash_of_one_pool_lowers_the_basket_by_exactly_its_share() {
	ext_from_preset("development").execute_with(|| {
		let (a, b, basket) = basket_world();
		// Pool A: 1_060 PAL for 1_060 LRT (Ferdie 1_000, the basket 60); pool B: 40 for 40.
		assert_eq!(pallet_restaking_pools::Pools::<Runtime>::get(a).unwrap().active, 1_060 * UNITS);
		let before = Basket::basket_value(basket);
		assert_eq!(before, 100 * UNITS);

		// A 10% slash of pool A (106 PAL): its rate falls from 1 to 0.9.
		assert_eq!(
			<RestakingPools as PoolsInterface<_, _>>::slash(a, 106 * UNITS, None),
			106 * UNITS
		);
		assert_eq!(pallet_restaking_pools::Pools::<Runtime>::get(a).unwrap().active, 954 * UNITS);

		// The basket loses exactly 60 LRT × 0.1 = 6 PAL; pool B's part is untouched.
		assert_eq!(Basket::basket_value(basket), 94 * UNITS);
		assert_eq!(before - Basket::basket_value(basket), 6 * UNITS);

		// A new depositor buys at the lower rate: 94 PAL of value for 100 tokens, so 47 PAL
		// (all into pool A, now below its weight, at 0.9) buys 50 tokens.
		let eve = account(Eve);
		let a_before = Assets::balance(
			lrt_asset(a),
			&pallet_basket::Baskets::<Runtime>::get(basket).unwrap().account,
		);
		assert_ok!(Basket::deposit(signed(&eve), basket, 47 * UNITS));
		let record = pallet_basket::Baskets::<Runtime>::get(basket).unwrap();
		assert!(Assets::balance(lrt_asset(a), &record.account) > a_before);
		assert_eq!(Assets::balance(lrt_asset(b), &record.account), 40 * UNITS);
		let minted = Assets::balance(record.asset_id, &eve);
		// Rounded in the basket's favour: at most 50 tokens, less by a few Planck.
		assert!(minted <= 50 * UNITS && minted > 50 * UNITS - 10, "{minted}");
		Basket::do_try_state().unwrap();
	});
}

#[test]
fn governance_and_anyone_cannot_mint_burn_or_destroy_basket_tokens() {
	ext_from_preset("development").execute_with(|| {
		let (_, _, basket) = basket_world();
		let record = pallet_basket::Baskets::<Runtime>::get(basket).unwrap();
		let (dave, eve) = (account(Dave), account(Eve));
		let lookup = |a: &AccountId| <Runtime as frame_system::Config>::Lookup::unlookup(a.clone());
		let id = || record.asset_id.into();
		let assets = |c| RuntimeCall::Assets(c);
		let attacks = [
			assets(pallet_assets::Call::mint {
				id: id(),
				beneficiary: lookup(&eve),
				amount: UNITS,
			}),
			assets(pallet_assets::Call::burn { id: id(), who: lookup(&dave), amount: UNITS }),
			assets(pallet_assets::Call::force_transfer {
				id: id(),
				source: lookup(&dave),
				dest: lookup(&eve),
				amount: UNITS,
			}),
			assets(pallet_assets::Call::freeze { id: id(), who: lookup(&dave) }),
			assets(pallet_assets::Call::freeze_asset { id: id() }),
			assets(pallet_assets::Call::start_destroy { id: id() }),
			assets(pallet_assets::Call::force_asset_status {
				id: id(),
				owner: lookup(&eve),
				issuer: lookup(&eve),
				admin: lookup(&eve),
				freezer: lookup(&eve),
				min_balance: 1,
				is_sufficient: true,
				is_frozen: false,
			}),
			assets(pallet_assets::Call::touch { id: id() }),
			assets(pallet_assets::Call::create {
				id: (BASKET_ASSET_ID_OFFSET + 7).into(),
				admin: lookup(&eve),
				min_balance: 1,
			}),
		];
		for call in &attacks {
			assert!(!PalisadeCallFilter::contains(call), "{call:?} must be filtered");
		}
		// A 2/3 council motion to destroy the token fails with `CallFiltered`, and so does
		// one to mint it.
		for call in [attacks[5].clone(), attacks[0].clone()] {
			let result = council_motion(call, 2).expect("motion executed");
			assert_eq!(
				result,
				Err(DispatchError::from(frame_system::Error::<Runtime>::CallFiltered))
			);
		}
		assert_eq!(Assets::total_supply(record.asset_id), 100 * UNITS - 1);

		// The holder's own transfer still works.
		let transfer = assets(pallet_assets::Call::transfer_keep_alive {
			id: id(),
			target: lookup(&eve),
			amount: 10 * UNITS,
		});
		assert!(PalisadeCallFilter::contains(&transfer));
		assert_ok!(sp_runtime::traits::Dispatchable::dispatch(transfer, signed(&dave)));
		assert_eq!(Assets::balance(record.asset_id, &eve), 10 * UNITS);
		Basket::do_try_state().unwrap();
	});
}

#[test]
fn a_basket_over_three_pools_pays_the_third_by_a_claim_and_closes_for_good() {
	ext_from_preset("development").execute_with(|| {
		// Given Charlie's basket over three native pools, each holding Dave's deposits.
		let (a, b, c) = (native_pool(), native_pool(), native_pool());
		let basket = pallet_basket::NextBasketId::<Runtime>::get();
		let third = Perbill::from_parts(333_333_333);
		assert_ok!(Basket::create_basket(
			signed(&account(Charlie)),
			vec![(a, third), (b, third), (c, Perbill::from_parts(333_333_334))].try_into().unwrap(),
		));
		let dave = account(Dave);
		for amount in [30, 20, 20] {
			assert_ok!(Basket::deposit(signed(&dave), basket, amount * UNITS));
		}
		let record = pallet_basket::Baskets::<Runtime>::get(basket).unwrap();
		let held = |pool| Assets::balance(lrt_asset(pool), &record.account);
		assert_eq!((held(a), held(b), held(c)), (20 * UNITS, 20 * UNITS, 30 * UNITS));

		// When the curator closes it and Dave redeems everything: two pools paid at once, the
		// third owed (pending), and the basket cannot be removed yet.
		assert_ok!(Basket::close_basket(signed(&account(Charlie)), basket));
		let tokens = Assets::balance(record.asset_id, &dave);
		assert_ok!(Basket::redeem(signed(&dave), basket, tokens));
		assert_eq!(
			pallet_basket::PendingRedemptions::<Runtime>::get(basket, &dave).unwrap().into_inner(),
			vec![(c, 30 * UNITS)]
		);
		assert_noop!(
			Basket::remove_basket(signed(&account(Eve)), basket),
			pallet_basket::Error::<Runtime>::BasketNotEmpty
		);

		// Then Eve (anyone) claims it for Dave, removes the basket and destroys its token;
		// Charlie gets his deposit back.
		assert_ok!(Basket::claim_redemption(signed(&account(Eve)), basket, dave.clone()));
		assert_eq!(Assets::balance(lrt_asset(c), &dave), 30 * UNITS);
		let on_hold = || {
			<crate::Balances as frame_support::traits::fungible::InspectHold<_>>::balance_on_hold(
				&crate::RuntimeHoldReason::Basket(pallet_basket::HoldReason::BasketDeposit),
				&account(Charlie),
			)
		};
		assert_eq!(on_hold(), record.deposit);
		assert_ok!(Basket::remove_basket(signed(&account(Eve)), basket));
		assert_eq!(on_hold(), 0);
		assert_ok!(Basket::destroy_basket_token(signed(&account(Eve)), basket));
		assert!(!<Assets as frame_support::traits::fungibles::Inspect<_>>::asset_exists(
			record.asset_id
		));
		Basket::do_try_state().unwrap();
	});
}
