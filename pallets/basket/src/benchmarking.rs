//! Benchmarks of the basket calls, worst case for their components: a basket that already has
//! tokens and pool LRT of every pool it holds (so every deposit and redemption touches existing
//! accounts and values every pool), retired pools it still holds LRT of, a fresh depositor.
//!
//! The deposit benchmark measures this pallet's part only: the pool's own deposit is made
//! before the measured block and charged apart (`PoolDeposits::deposit_as_weight`).

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate as _, fungibles, Get};
use frame_system::RawOrigin;
use palisade_primitives::{LrtConversion, PoolDeposits, PoolId};
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill,
};

/// `n` fresh native pools.
fn new_pools<T: Config>(n: u32) -> Result<Vec<PoolId>, BenchmarkError> {
	(0..n)
		.map(|_| T::Pools::native_pool_for_benchmarks().map_err(|_| BenchmarkError::Weightless))
		.collect()
}

/// Equal weights over `pools` (the last takes the remainder).
fn equal_weights<T: Config>(pools: &[PoolId]) -> Result<WeightsOf<T>, BenchmarkError> {
	let n = pools.len() as u32;
	let each = Perbill::from_rational(1u32, n);
	let mut rest = Perbill::one();
	let mut weights = Vec::new();
	for (i, pool) in pools.iter().enumerate() {
		let w = if i as u32 == n.saturating_sub(1) { rest } else { each };
		rest = rest.saturating_sub(w);
		weights.push((*pool, w));
	}
	weights.try_into().map_err(|_| BenchmarkError::Weightless)
}

/// `n` native pools and equal weights.
fn pools_and_weights<T: Config>(n: u32) -> Result<WeightsOf<T>, BenchmarkError> {
	equal_weights::<T>(&new_pools::<T>(n)?)
}

/// An account with plenty of PAL.
fn funded<T: Config>(who: &T::AccountId) -> BalanceOf<T> {
	let amount = T::MinDeposit::get()
		.saturating_mul(1_000u32.into())
		.saturating_add(T::BasketDeposit::get().saturating_mul(10u32.into()));
	T::Currency::set_balance(who, amount);
	amount
}

/// The deposit the benchmarks make.
fn amount<T: Config>() -> BalanceOf<T> {
	T::MinDeposit::get().saturating_mul(10u32.into())
}

/// `who` deposits into `basket` until it holds LRT of every pool of `pools` (each deposit goes
/// to the weighted pool furthest below its weight: an empty one first).
fn fill<T: Config>(
	who: &T::AccountId,
	basket: BasketId,
	pools: &[PoolId],
) -> Result<(), BenchmarkError> {
	for _ in 0..pools.len().saturating_mul(4) {
		let held = BasketPools::<T>::get(basket);
		if pools.iter().all(|pool| held.iter().any(|e| e.pool == *pool && !e.lrt.is_zero())) {
			return Ok(());
		}
		Pallet::<T>::do_deposit(who, basket, amount::<T>())?;
	}
	Err(BenchmarkError::Stop("a basket's pools could not all be filled"))
}

/// A basket weighting `n` pools (2 to `MaxPoolsPerBasket`) that holds LRT of them and of `r`
/// retired pools (at most `MaxPoolsPerBasket`), with tokens. Returns it and its curator.
fn basket_with_tokens<T: Config>(
	n: u32,
	r: u32,
) -> Result<(BasketId, T::AccountId), BenchmarkError> {
	let curator: T::AccountId = account("curator", 0, 0);
	funded::<T>(&curator);
	let weighted = new_pools::<T>(n)?;
	let basket = Pallet::<T>::do_create_basket(&curator, equal_weights::<T>(&weighted)?)?;
	fill::<T>(&curator, basket, &weighted)?;
	if r > 0 {
		// Deposit into the pools to retire, a batch at a time (each with a weighted pool, so
		// that a batch of one has two pools), then weight the first pools again.
		let to_retire = new_pools::<T>(r)?;
		let batch = T::MaxPoolsPerBasket::get().saturating_sub(1).max(1) as usize;
		for chunk in to_retire.chunks(batch) {
			let mut pools = chunk.to_vec();
			pools.extend(weighted.first());
			Pallet::<T>::do_set_weights(&curator, basket, equal_weights::<T>(&pools)?)?;
			fill::<T>(&curator, basket, chunk)?;
		}
		Pallet::<T>::do_set_weights(&curator, basket, equal_weights::<T>(&weighted)?)?;
	}
	assert_eq!(BasketPools::<T>::get(basket).len() as u32, n.saturating_add(r));
	Ok((basket, curator))
}

/// A basket holding `h` pools (2 to `MaxHeldPoolsOf`): `MaxPoolsPerBasket` weighted at most,
/// the rest retired.
fn basket_holding<T: Config>(h: u32) -> Result<(BasketId, T::AccountId), BenchmarkError> {
	let max = T::MaxPoolsPerBasket::get();
	basket_with_tokens::<T>(h.min(max), h.saturating_sub(max))
}

/// `who` redeems all its tokens of `basket` and claims until paid in full.
fn redeem_all<T: Config>(who: &T::AccountId, basket: BasketId) -> Result<(), BenchmarkError> {
	let asset = Pallet::<T>::token_asset_id(basket).ok_or(BenchmarkError::Weightless)?;
	let tokens = <T::Assets as fungibles::Inspect<_>>::balance(asset, who);
	Pallet::<T>::do_redeem(who, basket, tokens)?;
	while PendingRedemptions::<T>::contains_key(basket, who) {
		Pallet::<T>::do_claim_redemption(basket, who)?;
	}
	Ok(())
}

#[benchmarks(where T::Assets: fungibles::approvals::Mutate<T::AccountId>)]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_basket(n: Linear<2, { T::MaxPoolsPerBasket::get() }>) -> Result<(), BenchmarkError> {
		let weights = pools_and_weights::<T>(n)?;
		let caller: T::AccountId = whitelisted_caller();
		funded::<T>(&caller);
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), weights);
		assert!(Baskets::<T>::contains_key(0));
		Ok(())
	}

	/// `n` new pools replace `MaxPoolsPerBasket` weighted ones, which all hold LRT and are
	/// retired: every new pool is checked, the most entries are read and written.
	#[benchmark]
	fn set_weights(n: Linear<2, { T::MaxPoolsPerBasket::get() }>) -> Result<(), BenchmarkError> {
		let (basket, curator) = basket_with_tokens::<T>(T::MaxPoolsPerBasket::get(), 0)?;
		let weights = pools_and_weights::<T>(n)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(curator), basket, weights);
		assert_eq!(
			BasketPools::<T>::get(basket).len() as u32,
			n.saturating_add(T::MaxPoolsPerBasket::get())
		);
		Ok(())
	}

	/// This pallet's part of a deposit into a basket holding `h` pools (all valued): the plan
	/// and the settlement (the tokens minted, the holding recorded). The pool's own deposit
	/// (the caller pays, the basket's account receives the LRT) is made before.
	#[benchmark]
	fn deposit(h: Linear<2, { MaxHeldPoolsOf::<T>::get() }>) -> Result<(), BenchmarkError> {
		let (basket, _) = basket_holding::<T>(h)?;
		let caller: T::AccountId = whitelisted_caller();
		funded::<T>(&caller);
		let account = Pallet::<T>::basket_account(basket);
		let preview = Pallet::<T>::plan_deposit(basket, amount::<T>())?;
		let held_before = preview.pools.get(preview.target).map(|e| e.lrt).unwrap_or_default();
		let minted = T::Pools::deposit_for(&caller, &account, preview.pool, preview.taken)?;
		let conversion = LrtConversion { lrt: minted.lrt, value: minted.value };
		let supply = Pallet::<T>::supply(basket);
		#[block]
		{
			let plan = Pallet::<T>::plan_deposit(basket, amount::<T>())?;
			Pallet::<T>::settle_deposit(&caller, basket, plan, conversion)?;
		}
		assert!(Pallet::<T>::supply(basket) > supply);
		let held = BasketPools::<T>::get(basket);
		assert_eq!(
			held.iter().find(|e| e.pool == preview.pool).map(|e| e.lrt),
			Some(held_before.saturating_add(minted.lrt))
		);
		Ok(())
	}

	/// A redemption of half of a holder's tokens from a basket holding `h` pools (more than
	/// `PoolsPaidPerCall`): owed of every pool, `PoolsPaidPerCall` paid, the rest pending.
	#[benchmark]
	fn redeem(
		h: Linear<
			{ T::PoolsPaidPerCall::get().saturating_add(1).clamp(2, MaxHeldPoolsOf::<T>::get()) },
			{ MaxHeldPoolsOf::<T>::get() },
		>,
	) -> Result<(), BenchmarkError> {
		let (basket, _) = basket_holding::<T>(h)?;
		let caller: T::AccountId = whitelisted_caller();
		funded::<T>(&caller);
		let tokens = Pallet::<T>::do_deposit(&caller, basket, amount::<T>())?.tokens;
		// Half: both the holder and the basket keep balances (no account removed).
		let half = Perbill::from_percent(50) * tokens;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), basket, half);
		let page = T::PoolsPaidPerCall::get();
		let pending = PendingRedemptions::<T>::get(basket, &caller).map_or(0, |o| o.len() as u32);
		assert_eq!(pending, h.saturating_sub(page));
		Ok(())
	}

	/// A claim paying `PoolsPaidPerCall` pools, none of which the holder had an account of,
	/// that completes its redemption (removed, the basket's count lowered).
	#[benchmark]
	fn claim_redemption() -> Result<(), BenchmarkError> {
		let page = T::PoolsPaidPerCall::get();
		let (basket, _) =
			basket_holding::<T>(page.saturating_mul(2).clamp(2, MaxHeldPoolsOf::<T>::get()))?;
		let holder: T::AccountId = account("holder", 0, 0);
		funded::<T>(&holder);
		let tokens = Pallet::<T>::do_deposit(&holder, basket, amount::<T>())?.tokens;
		Pallet::<T>::do_redeem(&holder, basket, Perbill::from_percent(50) * tokens)?;
		assert!(PendingRedemptions::<T>::contains_key(basket, &holder));
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), basket, holder.clone());
		assert!(!PendingRedemptions::<T>::contains_key(basket, &holder));
		Ok(())
	}

	/// Closing a basket without tokens, which removes it at once: the deposit released, the
	/// spare PAL sent back, the token's destruction started.
	#[benchmark]
	fn close_basket() -> Result<(), BenchmarkError> {
		let (basket, curator) = basket_with_tokens::<T>(T::MaxPoolsPerBasket::get(), 0)?;
		redeem_all::<T>(&curator, basket)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(curator), basket);
		assert!(!Baskets::<T>::contains_key(basket));
		assert!(TokensToDestroy::<T>::contains_key(basket));
		Ok(())
	}

	/// Removing a closing basket its holders emptied.
	#[benchmark]
	fn remove_basket() -> Result<(), BenchmarkError> {
		let (basket, curator) = basket_with_tokens::<T>(T::MaxPoolsPerBasket::get(), 0)?;
		Pallet::<T>::do_close_basket(&curator, basket)?;
		redeem_all::<T>(&curator, basket)?;
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), basket);
		assert!(!Baskets::<T>::contains_key(basket));
		assert!(TokensToDestroy::<T>::contains_key(basket));
		Ok(())
	}

	/// Destroying a removed basket's token with `a` approvals left (each from another owner),
	/// then the token itself, its metadata deposit sent to the curator.
	#[benchmark]
	fn destroy_basket_token(a: Linear<0, DESTROY_ITEMS_PER_CALL>) -> Result<(), BenchmarkError> {
		let (basket, curator) = basket_with_tokens::<T>(2, 0)?;
		let asset = Pallet::<T>::token_asset_id(basket).ok_or(BenchmarkError::Weightless)?;
		// Holders approved spenders before the basket emptied.
		for i in 0..a {
			let owner: T::AccountId = account("owner", i, 0);
			funded::<T>(&owner);
			<T::Assets as fungibles::approvals::Mutate<_>>::approve(
				asset,
				&owner,
				&curator,
				1u32.into(),
			)?;
		}
		redeem_all::<T>(&curator, basket)?;
		Pallet::<T>::do_close_basket(&curator, basket)?;
		let caller: T::AccountId = whitelisted_caller();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), basket);
		assert!(!<T::Assets as fungibles::Inspect<_>>::asset_exists(asset));
		assert!(!TokensToDestroy::<T>::contains_key(basket));
		Ok(())
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
