//! The `do_*` functions the calls delegate to, and the basket's value.

use crate::*;
use alloc::{format, vec::Vec};
use frame_support::{
	ensure,
	pallet_prelude::DispatchError,
	traits::{
		fungible::{self, MutateHold},
		fungibles::{self, metadata::MetadataDeposit},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use palisade_primitives::{AssetId, PoolDeposits, PoolId};
use sp_arithmetic::{MultiplyRational, Rounding};
use sp_runtime::{
	traits::{AccountIdConversion, CheckedAdd, CheckedSub, One, Saturating, Zero},
	Perbill,
};

impl<T: Config> Pallet<T> {
	/// The account owning every basket token (and paying their metadata deposits).
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The keyless account of `basket`, holding its pool LRT.
	pub fn basket_account(basket: BasketId) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(basket)
	}

	/// The token asset id of `basket`, `None` if it overflows.
	pub fn token_asset_id(basket: BasketId) -> Option<AssetId> {
		T::BasketAssetIdOffset::get().checked_add(basket)
	}

	/// The basket's value in PAL: `Σ held_i × rate_i`, each term rounded down (what redeeming
	/// all of the basket's pool LRT would pay). Zero for an unknown basket.
	pub fn basket_value(basket: BasketId) -> BalanceOf<T> {
		BasketPools::<T>::get(basket).iter().fold(Zero::zero(), |sum: BalanceOf<T>, entry| {
			sum.saturating_add(T::Pools::lrt_value(entry.pool, entry.lrt))
		})
	}

	/// Check target weights: at least two pools, each once, each an open native pool (when
	/// `check_pools`), every weight non-zero, summing to exactly 100%.
	fn check_weights(weights: &WeightsOf<T>, check_pools: bool) -> Result<(), DispatchError> {
		ensure!(weights.len() >= 2, Error::<T>::TooFewPools);
		let mut total: u64 = 0;
		let mut seen: Vec<PoolId> = Vec::with_capacity(weights.len());
		for (pool, weight) in weights.iter() {
			ensure!(!weight.is_zero(), Error::<T>::ZeroWeight);
			ensure!(!seen.contains(pool), Error::<T>::DuplicatePool);
			seen.push(*pool);
			if check_pools {
				ensure!(T::Pools::is_open_native_pool(*pool), Error::<T>::PoolNotEligible);
			}
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
		Self::check_weights(&weights, true)?;
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
				supply: Zero::zero(),
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
		let mut pools = BasketPools::<T>::get(basket);
		ensure!(
			pools.len() == weights.len()
				&& pools.iter().zip(weights.iter()).all(|(entry, (pool, _))| entry.pool == *pool),
			Error::<T>::PoolsMismatch
		);
		// The pools are the basket's own: a pool closed since is not checked again (deposits
		// into it fail until the curator's pool reopens).
		Self::check_weights(&weights, false)?;
		for (entry, (_, weight)) in pools.iter_mut().zip(weights.iter()) {
			entry.weight = *weight;
		}
		BasketPools::<T>::insert(basket, pools);
		Self::deposit_event(Event::WeightsSet { basket, weights });
		Ok(())
	}

	/// Deposit into a basket. Returns the tokens minted and the number of pools. See
	/// [`Pallet::deposit`].
	pub(crate) fn do_deposit(
		who: &T::AccountId,
		basket: BasketId,
		amount: BalanceOf<T>,
	) -> Result<(BalanceOf<T>, u32), DispatchError> {
		let mut record = Baskets::<T>::get(basket).ok_or(Error::<T>::UnknownBasket)?;
		ensure!(amount >= T::MinDeposit::get(), Error::<T>::BelowMinDeposit);
		let mut pools = BasketPools::<T>::get(basket);
		let held_before: Vec<BalanceOf<T>> = pools.iter().map(|entry| entry.lrt).collect();
		let last = pools.len().checked_sub(1).ok_or(Error::<T>::TooFewPools)?;

		// The PAL goes through the basket's account: the pools take it from there.
		Self::pay(who, &record.account, amount)?;
		let mut remaining = amount;
		let mut spent: BalanceOf<T> = Zero::zero();
		let mut parts: Vec<(PoolId, BalanceOf<T>, BalanceOf<T>)> = Vec::with_capacity(pools.len());
		for (i, entry) in pools.iter_mut().enumerate() {
			// Rounded down for every pool but the last, which takes the remainder: the parts
			// sum to `amount` exactly.
			let part = if i == last { remaining } else { entry.weight.mul_floor(amount) };
			remaining = remaining.checked_sub(&part).ok_or(Error::<T>::Overflow)?;
			let minted = T::Pools::deposit_as(&record.account, entry.pool, part)?;
			spent = spent.checked_add(&minted.value).ok_or(Error::<T>::Overflow)?;
			entry.lrt = entry.lrt.checked_add(&minted.lrt).ok_or(Error::<T>::Overflow)?;
			parts.push((entry.pool, minted.value, minted.lrt));
		}

		// Valued after the deposits, at the pools' rates with their rewards claimed (the
		// deposits claimed them first): the newcomer does not buy into rewards earned before.
		// The basket's value before is rounded up and the value brought in down.
		let mut value_before: BalanceOf<T> = Zero::zero();
		let mut value_in: BalanceOf<T> = Zero::zero();
		for ((entry, before), (_, _, minted)) in pools.iter().zip(held_before.iter()).zip(&parts) {
			let down = T::Pools::lrt_value(entry.pool, *before);
			// `⌊x⌋ + 1 ≥ ⌈x⌉`; a worthless holding (a wiped-out pool) stays zero.
			if !down.is_zero() {
				let up = down.saturating_add(One::one());
				value_before = value_before.checked_add(&up).ok_or(Error::<T>::Overflow)?;
			}
			value_in = value_in
				.checked_add(&T::Pools::lrt_value(entry.pool, *minted))
				.ok_or(Error::<T>::Overflow)?;
		}
		let supply_before = record.supply;
		let tokens = if supply_before.is_zero() {
			value_in
		} else {
			ensure!(!value_before.is_zero(), Error::<T>::BasketWipedOut);
			value_in
				.multiply_rational(supply_before, value_before, Rounding::Down)
				.ok_or(Error::<T>::Overflow)?
		};
		ensure!(!tokens.is_zero(), Error::<T>::NothingMinted);

		// What the pools did not take goes back.
		let refund = amount.checked_sub(&spent).ok_or(Error::<T>::Overflow)?;
		Self::pay(&record.account, who, refund)?;

		record.supply = supply_before.checked_add(&tokens).ok_or(Error::<T>::Overflow)?;
		<T::Assets as fungibles::Mutate<_>>::mint_into(record.asset_id, who, tokens)?;
		let count = pools.len() as u32;
		Baskets::<T>::insert(basket, record);
		BasketPools::<T>::insert(basket, pools);
		Self::deposit_event(Event::Deposited {
			who: who.clone(),
			basket,
			amount: spent,
			tokens,
			value_before,
			supply_before,
			parts: parts.try_into().map_err(|_| Error::<T>::Overflow)?,
		});
		Ok((tokens, count))
	}

	/// Redeem basket tokens for pool LRT. Returns the number of pools. See
	/// [`Pallet::redeem`].
	pub(crate) fn do_redeem(
		who: &T::AccountId,
		basket: BasketId,
		tokens: BalanceOf<T>,
	) -> Result<u32, DispatchError> {
		let mut record = Baskets::<T>::get(basket).ok_or(Error::<T>::UnknownBasket)?;
		ensure!(!tokens.is_zero(), Error::<T>::ZeroAmount);
		ensure!(
			<T::Assets as fungibles::Inspect<_>>::balance(record.asset_id, who) >= tokens,
			Error::<T>::InsufficientTokens
		);
		// `Expendable`: a remainder below the minimum balance is burnt too (and paid for).
		let burnt = <T::Assets as fungibles::Mutate<_>>::burn_from(
			record.asset_id,
			who,
			tokens,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		let supply = record.supply;
		ensure!(burnt <= supply, Error::<T>::Overflow);

		let mut pools = BasketPools::<T>::get(basket);
		let mut paid: Vec<(PoolId, BalanceOf<T>)> = Vec::with_capacity(pools.len());
		for entry in pools.iter_mut() {
			let share = Self::share_of(entry, burnt, supply, who)?;
			if !share.is_zero() {
				<T::Assets as fungibles::Mutate<_>>::transfer(
					T::Pools::lrt_asset_id(entry.pool),
					&record.account,
					who,
					share,
					Preservation::Expendable,
				)?;
			}
			entry.lrt = entry.lrt.checked_sub(&share).ok_or(Error::<T>::Overflow)?;
			paid.push((entry.pool, share));
		}
		record.supply = supply.checked_sub(&burnt).ok_or(Error::<T>::Overflow)?;
		let count = pools.len() as u32;
		Baskets::<T>::insert(basket, record);
		BasketPools::<T>::insert(basket, pools);
		Self::deposit_event(Event::Redeemed {
			who: who.clone(),
			basket,
			tokens: burnt,
			paid: paid.try_into().map_err(|_| Error::<T>::Overflow)?,
		});
		Ok(count)
	}

	/// The pool LRT of `entry` that burning `burnt` tokens out of `supply` pays `who`:
	/// `⌊held × burnt / supply⌋`, all of it for the whole supply; lowered so the basket keeps
	/// at least the LRT's minimum balance or nothing, and zero if `who` has no account of
	/// that LRT and the share is below its minimum balance (it could not be created).
	fn share_of(
		entry: &BasketPool<BalanceOf<T>>,
		burnt: BalanceOf<T>,
		supply: BalanceOf<T>,
		who: &T::AccountId,
	) -> Result<BalanceOf<T>, DispatchError> {
		if burnt == supply {
			return Ok(entry.lrt);
		}
		let mut share = entry
			.lrt
			.multiply_rational(burnt, supply, Rounding::Down)
			.ok_or(Error::<T>::Overflow)?;
		let asset = T::Pools::lrt_asset_id(entry.pool);
		let min = <T::Assets as fungibles::Inspect<_>>::minimum_balance(asset);
		if entry.lrt.saturating_sub(share) < min {
			share = entry.lrt.saturating_sub(min);
		}
		if share < min && <T::Assets as fungibles::Inspect<_>>::balance(asset, who).is_zero() {
			share = Zero::zero();
		}
		Ok(share)
	}

	/// Transfer native `amount` from `from` to `to`, keeping `from` alive.
	fn pay(
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
