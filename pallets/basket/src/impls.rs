//! The `do_*` functions of creating a basket and setting its weights, and the helpers every
//! call uses (accounts, supply, value, payments). Deposits, redemptions and closing are in
//! `deposit.rs`, `redeem.rs` and `close.rs`.

use crate::*;
use alloc::{format, vec::Vec};
use frame_support::{
	ensure,
	pallet_prelude::DispatchError,
	traits::{
		fungible::{self, MutateHold},
		fungibles::{self, metadata::MetadataDeposit},
		tokens::Preservation,
		Get,
	},
};
use palisade_primitives::{AssetId, PoolDeposits, PoolId};
use sp_runtime::{
	traits::{AccountIdConversion, CheckedAdd, Saturating, Zero},
	Perbill,
};

impl<T: Config> Pallet<T> {
	/// The account owning every basket token (and paying their metadata deposits).
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The keyless account of `basket`, holding its pool LRT: this pallet's sub-account for
	/// `basket + 1` (the sub-account for 0 would be this pallet's own account, which owns the
	/// tokens and holds their metadata deposits).
	pub fn basket_account(basket: BasketId) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(u64::from(basket).saturating_add(1))
	}

	/// The token asset id of `basket`, `None` if it overflows.
	pub fn token_asset_id(basket: BasketId) -> Option<AssetId> {
		T::BasketAssetIdOffset::get().checked_add(basket)
	}

	/// The basket token supply of a basket whose token is `asset` (its total issuance: only
	/// this pallet mints and burns it).
	pub fn supply_of(asset: AssetId) -> BalanceOf<T> {
		<T::Assets as fungibles::Inspect<_>>::total_issuance(asset)
	}

	/// The basket token supply of `basket` (zero for an unknown basket).
	pub fn supply(basket: BasketId) -> BalanceOf<T> {
		Baskets::<T>::get(basket).map_or_else(Zero::zero, |record| Self::supply_of(record.asset_id))
	}

	/// The basket's value in PAL: `Σ held_i × rate_i`, each term rounded down (what redeeming
	/// all of the basket's pool LRT would pay; pending redemptions are not the basket's).
	/// Zero for an unknown basket.
	pub fn basket_value(basket: BasketId) -> BalanceOf<T> {
		BasketPools::<T>::get(basket).iter().fold(Zero::zero(), |sum: BalanceOf<T>, entry| {
			sum.saturating_add(T::Pools::lrt_value(entry.pool, entry.lrt))
		})
	}

	/// The minimum balance of `pool`'s LRT.
	pub(crate) fn lrt_min(pool: PoolId) -> BalanceOf<T> {
		<T::Assets as fungibles::Inspect<_>>::minimum_balance(T::Pools::lrt_asset_id(pool))
	}

	/// Check target weights: at least two pools, each once, each an open native pool unless
	/// `kept` says it may stay as it is (a pool the basket weights already), every weight
	/// non-zero, summing to exactly 100%.
	fn check_weights(
		weights: &WeightsOf<T>,
		kept: impl Fn(PoolId) -> bool,
	) -> Result<(), DispatchError> {
		ensure!(weights.len() >= 2, Error::<T>::TooFewPools);
		let mut total: u64 = 0;
		let mut seen: Vec<PoolId> = Vec::with_capacity(weights.len());
		for (pool, weight) in weights.iter() {
			ensure!(!weight.is_zero(), Error::<T>::ZeroWeight);
			ensure!(!seen.contains(pool), Error::<T>::DuplicatePool);
			seen.push(*pool);
			ensure!(
				kept(*pool) || T::Pools::is_open_native_pool(*pool),
				Error::<T>::PoolNotEligible
			);
			total = total.saturating_add(u64::from(weight.deconstruct()));
		}
		ensure!(total == u64::from(Perbill::one().deconstruct()), Error::<T>::WeightsNotWhole);
		Ok(())
	}

	/// Create a basket. See [`Pallet::create_basket`].
	pub(crate) fn do_create_basket(
		who: &T::AccountId,
		weights: WeightsOf<T>,
	) -> Result<BasketId, DispatchError> {
		Self::check_weights(&weights, |_| false)?;
		let basket = NextBasketId::<T>::get();
		let next = basket.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let asset_id = Self::token_asset_id(basket).ok_or(Error::<T>::AssetIdOverflow)?;
		ensure!(
			!<T::Assets as fungibles::Inspect<_>>::asset_exists(asset_id),
			Error::<T>::AssetIdTaken
		);

		let deposit = T::BasketDeposit::get();
		T::Currency::hold(&HoldReason::BasketDeposit.into(), who, deposit)?;

		// The metadata deposit is reserved on this pallet's account, which must keep the
		// existential deposit free to stay alive; the basket's account needs the existential
		// deposit too (the pools take deposits from it keeping it alive). The curator pays.
		let pallet_account = Self::account_id();
		let name: Vec<u8> = format!("Palisade basket #{basket}").into_bytes();
		let symbol: Vec<u8> = format!("bLRT{basket}").into_bytes();
		let metadata_deposit = T::Assets::calc_metadata_deposit(&name, &symbol);
		let ed = <T::Currency as fungible::Inspect<_>>::minimum_balance();
		let top_up =
			ed.saturating_sub(<T::Currency as fungible::Inspect<_>>::balance(&pallet_account));
		let funding = metadata_deposit.checked_add(&top_up).ok_or(Error::<T>::Overflow)?;
		Self::pay(who, &pallet_account, funding)?;
		let account = Self::basket_account(basket);
		let account_top_up =
			ed.saturating_sub(<T::Currency as fungible::Inspect<_>>::balance(&account));
		Self::pay(who, &account, account_top_up)?;

		<T::Assets as fungibles::Create<_>>::create(
			asset_id,
			pallet_account.clone(),
			true,
			T::MinTokenBalance::get(),
		)?;
		<T::Assets as fungibles::metadata::Mutate<_>>::set(
			asset_id,
			&pallet_account,
			name,
			symbol,
			T::NativeDecimals::get(),
		)?;

		let pools: BasketPoolsOf<T> = weights
			.iter()
			.map(|(pool, weight)| BasketPool { pool: *pool, weight: *weight, lrt: Zero::zero() })
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::<T>::Overflow)?;
		Baskets::<T>::insert(
			basket,
			BasketRecord {
				curator: who.clone(),
				account: account.clone(),
				deposit,
				asset_id,
				state: BasketState::Open,
				pending: 0,
			},
		);
		BasketPools::<T>::insert(basket, pools);
		NextBasketId::<T>::put(next);
		Self::deposit_event(Event::BasketCreated {
			basket,
			curator: who.clone(),
			asset_id,
			account,
			weights,
			deposit,
		});
		Ok(basket)
	}

	/// Set a basket's target weights. See [`Pallet::set_weights`].
	pub(crate) fn do_set_weights(
		who: &T::AccountId,
		basket: BasketId,
		weights: WeightsOf<T>,
	) -> Result<(), DispatchError> {
		let record = Baskets::<T>::get(basket).ok_or(Error::<T>::UnknownBasket)?;
		ensure!(&record.curator == who, Error::<T>::NotCurator);
		ensure!(record.state == BasketState::Open, Error::<T>::BasketClosing);
		let old = BasketPools::<T>::get(basket);
		// A pool the basket weights already is kept even if it closed since (deposits skip it
		// while it is closed); a new one, or a retired one weighted again, must be open.
		Self::check_weights(&weights, |pool| {
			old.iter().any(|entry| entry.pool == pool && !entry.weight.is_zero())
		})?;

		// The weighted pools in the curator's order, with what the basket holds of them...
		let mut pools: Vec<BasketPool<BalanceOf<T>>> = weights
			.iter()
			.map(|(pool, weight)| BasketPool {
				pool: *pool,
				weight: *weight,
				lrt: old
					.iter()
					.find(|entry| entry.pool == *pool)
					.map_or_else(Zero::zero, |entry| entry.lrt),
			})
			.collect();
		// ...then every other pool it holds LRT of, retired (a pool holding nothing is dropped).
		let mut retired: Vec<PoolId> = Vec::new();
		for entry in old.iter() {
			if !entry.lrt.is_zero() && !weights.iter().any(|(pool, _)| *pool == entry.pool) {
				retired.push(entry.pool);
				pools.push(BasketPool { weight: Perbill::zero(), ..*entry });
			}
		}
		let pools: BasketPoolsOf<T> = pools.try_into().map_err(|_| Error::<T>::TooManyHeldPools)?;
		let retired: RetiredOf<T> = retired.try_into().map_err(|_| Error::<T>::TooManyHeldPools)?;
		BasketPools::<T>::insert(basket, pools);
		Self::deposit_event(Event::WeightsSet { basket, weights, retired });
		Ok(())
	}

	/// Transfer native `amount` from `from` to `to`, keeping `from` alive.
	pub(crate) fn pay(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<(), DispatchError> {
		if !amount.is_zero() {
			<T::Currency as fungible::Mutate<_>>::transfer(
				from,
				to,
				amount,
				Preservation::Preserve,
			)?;
		}
		Ok(())
	}
}
