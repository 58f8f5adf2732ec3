//! Benchmarks of the basket calls, each for `n` pools (2 to `MaxPoolsPerBasket`), worst case:
//! a basket that already has tokens and pool LRT (so every deposit and redemption touches
//! existing accounts and values every pool), a fresh depositor.
//!
//! The deposit benchmark measures the pools' deposits too; the call adds
//! `PoolDeposits::deposit_as_weight` per pool on top (an over-estimate, on the safe side).

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate as _, Get};
use frame_system::RawOrigin;
use palisade_primitives::{PoolDeposits, PoolId};
use sp_runtime::{traits::Saturating, Perbill};

/// `n` native pools and equal weights (the last takes the remainder).
fn pools_and_weights<T: Config>(n: u32) -> Result<WeightsOf<T>, BenchmarkError> {
	let mut pools: Vec<PoolId> = Vec::new();
	for _ in 0..n {
		pools.push(T::Pools::native_pool_for_benchmarks().map_err(|_| BenchmarkError::Weightless)?);
	}
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

/// An account with plenty of PAL.
fn funded<T: Config>(who: &T::AccountId) -> BalanceOf<T> {
	let amount = T::MinDeposit::get()
		.saturating_mul(1_000u32.into())
		.saturating_add(T::BasketDeposit::get().saturating_mul(10u32.into()));
	T::Currency::set_balance(who, amount);
	amount
}

/// A basket over `n` pools with a first deposit in it.
fn basket_with_tokens<T: Config>(n: u32) -> Result<BasketId, BenchmarkError> {
	let curator: T::AccountId = account("curator", 0, 0);
	funded::<T>(&curator);
	let basket = Pallet::<T>::do_create_basket(&curator, pools_and_weights::<T>(n)?)?;
	Pallet::<T>::do_deposit(&curator, basket, T::MinDeposit::get().saturating_mul(10u32.into()))?;
	Ok(basket)
}

#[benchmarks]
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

	#[benchmark]
	fn set_weights(n: Linear<2, { T::MaxPoolsPerBasket::get() }>) -> Result<(), BenchmarkError> {
		let weights = pools_and_weights::<T>(n)?;
		let caller: T::AccountId = whitelisted_caller();
		funded::<T>(&caller);
		let basket = Pallet::<T>::do_create_basket(&caller, weights.clone())?;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), basket, weights);
		Ok(())
	}

	#[benchmark]
	fn deposit(n: Linear<2, { T::MaxPoolsPerBasket::get() }>) -> Result<(), BenchmarkError> {
		let basket = basket_with_tokens::<T>(n)?;
		let caller: T::AccountId = whitelisted_caller();
		funded::<T>(&caller);
		let supply = Baskets::<T>::get(basket).map(|b| b.supply).unwrap_or_default();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), basket, T::MinDeposit::get().saturating_mul(10u32.into()));
		assert!(Baskets::<T>::get(basket).map(|b| b.supply).unwrap_or_default() > supply);
		Ok(())
	}

	#[benchmark]
	fn redeem(n: Linear<2, { T::MaxPoolsPerBasket::get() }>) -> Result<(), BenchmarkError> {
		let basket = basket_with_tokens::<T>(n)?;
		let caller: T::AccountId = whitelisted_caller();
		funded::<T>(&caller);
		let (tokens, _) = Pallet::<T>::do_deposit(
			&caller,
			basket,
			T::MinDeposit::get().saturating_mul(10u32.into()),
		)?;
		// Half: both the holder and the basket keep balances (no account removed).
		let half = Perbill::from_percent(50) * tokens;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), basket, half);
		Ok(())
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
