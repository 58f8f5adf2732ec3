//! Benchmarks of the basket calls, worst case for their components: a basket that already has
//! tokens and pool LRT (so every deposit and redemption touches existing accounts and values
//! every pool), retired pools it still holds LRT of, a fresh depositor.
//!
//! The deposit benchmark measures the pools' deposits and reward claims too; the call adds
//! `PoolDeposits::deposit_as_weight` per pool deposited into and the claims' weight on top (an
//! over-estimate, on the safe side).

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate as _, fungibles, Get};
use frame_system::RawOrigin;
use palisade_primitives::{PoolDeposits, PoolId};
use sp_runtime::{traits::Saturating, Perbill};

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
	Pallet::<T>::do_deposit(&curator, basket, amount::<T>())?;
	if r > 0 {
		// Deposit into the pools to retire, a batch at a time (each with a weighted pool, so
		// that a batch of one has two pools), then weight the first pools again.
		let to_retire = new_pools::<T>(r)?;
		let batch = T::MaxPoolsPerBasket::get().saturating_sub(1).max(1) as usize;
		for chunk in to_retire.chunks(batch) {
			let mut pools = chunk.to_vec();
			pools.extend(weighted.first());
			Pallet::<T>::do_set_weights(&curator, basket, equal_weights::<T>(&pools)?)?;
			Pallet::<T>::do_deposit(&curator, basket, amount::<T>())?;
		}
		Pallet::<T>::do_set_weights(&curator, basket, equal_weights::<T>(&weighted)?)?;
	}
	Ok((basket, curator))
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

	/// A deposit into `n` open pools of a basket that also holds LRT of `r` retired pools
	/// (valued, their rewards claimed).
	#[benchmark]
	fn deposit(
		n: Linear<2, { T::MaxPoolsPerBasket::get() }>,
		r: Linear<0, { T::MaxPoolsPerBasket::get() }>,
	) -> Result<(), BenchmarkError> {
		let (basket, _) = basket_with_tokens::<T>(n, r)?;
		let caller: T::AccountId = whitelisted_caller();
		funded::<T>(&caller);
		let supply = Baskets::<T>::get(basket).map(|b| b.supply).unwrap_or_default();
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), basket, amount::<T>());
		assert!(Baskets::<T>::get(basket).map(|b| b.supply).unwrap_or_default() > supply);
		Ok(())
	}

	/// A redemption paying `n` pools' LRT (weighted ones, then retired ones).
	#[benchmark]
	fn redeem(n: Linear<2, { MaxHeldPoolsOf::<T>::get() }>) -> Result<(), BenchmarkError> {
		let max = T::MaxPoolsPerBasket::get();
		let (basket, _) = basket_with_tokens::<T>(n.min(max), n.saturating_sub(max))?;
		let caller: T::AccountId = whitelisted_caller();
		funded::<T>(&caller);
		let tokens = Pallet::<T>::do_deposit(&caller, basket, amount::<T>())?.tokens;
		// Half: both the holder and the basket keep balances (no account removed).
		let half = Perbill::from_percent(50) * tokens;
		#[extrinsic_call]
		_(RawOrigin::Signed(caller), basket, half);
		assert_eq!(BasketPools::<T>::get(basket).len() as u32, n);
		Ok(())
	}

	/// Closing a basket without tokens, which removes it at once: the deposit released, the
	/// token destroyed with the most approvals a close removes, the deposits sent back.
	#[benchmark]
	fn close_basket() -> Result<(), BenchmarkError> {
		let (basket, curator) = basket_with_tokens::<T>(T::MaxPoolsPerBasket::get(), 0)?;
		let tokens = Baskets::<T>::get(basket).map(|b| b.supply).unwrap_or_default();
		let asset = Baskets::<T>::get(basket).map(|b| b.asset_id).unwrap_or_default();
		// Holders approved spenders before the basket emptied.
		for i in 0..MAX_DESTROY_ITEMS {
			let owner: T::AccountId = account("owner", i, 0);
			funded::<T>(&owner);
			<T::Assets as fungibles::approvals::Mutate<_>>::approve(
				asset,
				&owner,
				&curator,
				1u32.into(),
			)?;
		}
		Pallet::<T>::do_redeem(&curator, basket, tokens)?;
		#[extrinsic_call]
		_(RawOrigin::Signed(curator), basket);
		assert!(!Baskets::<T>::contains_key(basket));
		assert!(!<T::Assets as fungibles::Inspect<_>>::asset_exists(asset));
		Ok(())
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
