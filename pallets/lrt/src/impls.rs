//! Conversions between value and LRT, and the [`LrtInterface`] the pools pallet uses.

use crate::*;
use alloc::{format, vec::Vec};
use frame_support::{
	ensure,
	pallet_prelude::DispatchError,
	traits::{
		fungible,
		fungibles::{self, metadata::MetadataDeposit},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use palisade_primitives::{AssetId, LrtConversion, LrtInterface, PoolId};
use sp_arithmetic::{FixedPointNumber, FixedU128, MultiplyRational, Rounding};
use sp_runtime::{
	traits::{AccountIdConversion, Bounded, CheckedAdd, CheckedSub, Saturating, Zero},
	SaturatedConversion,
};

impl<T: Config> Pallet<T> {
	/// The account owning every LRT asset (and paying their metadata deposits).
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The LRT asset id of `pool`, `None` if it overflows.
	pub fn lrt_asset_id(pool: PoolId) -> Option<AssetId> {
		T::LrtAssetIdOffset::get().checked_add(pool)
	}

	/// `(S + VS, V + VV)` for a pool with supply `supply` and value `value`.
	fn virtual_totals(
		supply: BalanceOf<T>,
		value: BalanceOf<T>,
	) -> Option<(BalanceOf<T>, BalanceOf<T>)> {
		Some((
			supply.checked_add(&T::VirtualShares::get())?,
			value.checked_add(&T::VirtualValue::get())?,
		))
	}

	/// LRT bought by `value` in a pool with `supply` and `pool_value`:
	/// `⌊value × (S + VS) / (V + VV)⌋`. `None` on overflow.
	pub fn lrt_for_value(
		supply: BalanceOf<T>,
		value: BalanceOf<T>,
		pool_value: BalanceOf<T>,
	) -> Option<BalanceOf<T>> {
		let (shares, total) = Self::virtual_totals(supply, pool_value)?;
		value.multiply_rational(shares, total, Rounding::Down)
	}

	/// What `lrt` LRT is worth in a pool with `supply` and `pool_value`, rounded as asked:
	/// `lrt × (V + VV) / (S + VS)`. Not capped. `None` on overflow.
	pub fn value_for_lrt(
		supply: BalanceOf<T>,
		lrt: BalanceOf<T>,
		pool_value: BalanceOf<T>,
		rounding: Rounding,
	) -> Option<BalanceOf<T>> {
		let (shares, total) = Self::virtual_totals(supply, pool_value)?;
		lrt.multiply_rational(total, shares, rounding)
	}

	/// What redeeming `lrt` pays: rounded down and at most `pool_value` (the virtual value is
	/// never paid out). A result too large to represent is capped at `pool_value` too.
	pub fn redeem_value(
		supply: BalanceOf<T>,
		lrt: BalanceOf<T>,
		pool_value: BalanceOf<T>,
	) -> BalanceOf<T> {
		Self::value_for_lrt(supply, lrt, pool_value, Rounding::Down)
			.map_or(pool_value, |value| value.min(pool_value))
	}

	/// `(V + VV) / (S + VS)`, saturating.
	pub fn rate_of(supply: BalanceOf<T>, pool_value: BalanceOf<T>) -> FixedU128 {
		let shares = supply.saturating_add(T::VirtualShares::get()).saturated_into::<u128>();
		let total = pool_value.saturating_add(T::VirtualValue::get()).saturated_into::<u128>();
		FixedU128::checked_from_rational(total, shares).unwrap_or_else(FixedU128::max_value)
	}

	/// Create the LRT of `pool`. See [`LrtInterface::create`].
	pub(crate) fn do_create(
		pool: PoolId,
		decimals: u8,
		payer: &T::AccountId,
	) -> Result<AssetId, DispatchError> {
		ensure!(!Lrts::<T>::contains_key(pool), Error::<T>::AlreadyCreated);
		let asset_id = Self::lrt_asset_id(pool).ok_or(Error::<T>::AssetIdOverflow)?;
		ensure!(
			!<T::Assets as fungibles::Inspect<_>>::asset_exists(asset_id),
			Error::<T>::AssetIdTaken
		);
		let account = Self::account_id();
		let name: Vec<u8> = format!("Palisade LRT pool #{pool}").into_bytes();
		let symbol: Vec<u8> = format!("pLRT{pool}").into_bytes();

		// The metadata deposit is reserved on this pallet's account, which must keep at least
		// the existential deposit free to stay alive: the payer provides both.
		let metadata_deposit = T::Assets::calc_metadata_deposit(&name, &symbol);
		let free = <T::Currency as fungible::Inspect<_>>::balance(&account);
		let top_up = <T::Currency as fungible::Inspect<_>>::minimum_balance().saturating_sub(free);
		let funding = metadata_deposit.checked_add(&top_up).ok_or(Error::<T>::Overflow)?;
		if !funding.is_zero() {
			<T::Currency as fungible::Mutate<_>>::transfer(
				payer,
				&account,
				funding,
				Preservation::Preserve,
			)?;
		}

		<T::Assets as fungibles::Create<_>>::create(
			asset_id,
			account.clone(),
			true,
			T::MinLrtBalance::get(),
		)?;
		<T::Assets as fungibles::metadata::Mutate<_>>::set(
			asset_id, &account, name, symbol, decimals,
		)?;
		Lrts::<T>::insert(pool, LrtRecord { decimals, supply: Zero::zero() });
		Self::deposit_event(Event::LrtCreated { pool, asset_id, decimals, metadata_deposit });
		Ok(asset_id)
	}

	/// Mint `pool`'s LRT to `who` for at most `value`. See [`LrtInterface::mint`].
	pub(crate) fn do_mint(
		pool: PoolId,
		who: &T::AccountId,
		value: BalanceOf<T>,
		pool_value_before: BalanceOf<T>,
	) -> Result<LrtConversion<BalanceOf<T>>, DispatchError> {
		let mut record = Lrts::<T>::get(pool).ok_or(Error::<T>::UnknownPool)?;
		let asset_id = Self::lrt_asset_id(pool).ok_or(Error::<T>::AssetIdOverflow)?;
		let lrt = Self::lrt_for_value(record.supply, value, pool_value_before)
			.ok_or(Error::<T>::Overflow)?;
		ensure!(!lrt.is_zero(), Error::<T>::NothingMinted);
		// Rounded up: the pool is never paid less than what the LRT is worth. It is at most
		// `value` since `lrt` was rounded down from it.
		let cost = Self::value_for_lrt(record.supply, lrt, pool_value_before, Rounding::Up)
			.ok_or(Error::<T>::Overflow)?
			.min(value);
		record.supply = record.supply.checked_add(&lrt).ok_or(Error::<T>::Overflow)?;
		<T::Assets as fungibles::Mutate<_>>::mint_into(asset_id, who, lrt)?;
		Lrts::<T>::insert(pool, record);
		Ok(LrtConversion { lrt, value: cost })
	}

	/// Burn `lrt` of `who`'s LRT of `pool`. See [`LrtInterface::burn`].
	pub(crate) fn do_burn(
		pool: PoolId,
		who: &T::AccountId,
		lrt: BalanceOf<T>,
		pool_value: BalanceOf<T>,
	) -> Result<LrtConversion<BalanceOf<T>>, DispatchError> {
		let mut record = Lrts::<T>::get(pool).ok_or(Error::<T>::UnknownPool)?;
		let asset_id = Self::lrt_asset_id(pool).ok_or(Error::<T>::AssetIdOverflow)?;
		if lrt.is_zero() {
			return Ok(LrtConversion { lrt, value: Zero::zero() });
		}
		ensure!(
			<T::Assets as fungibles::Inspect<_>>::balance(asset_id, who) >= lrt,
			Error::<T>::InsufficientLrt
		);
		// `Expendable`: a remainder below the minimum balance is burnt too (and paid for),
		// rather than refusing the burn.
		let burnt = <T::Assets as fungibles::Mutate<_>>::burn_from(
			asset_id,
			who,
			lrt,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		let value = Self::redeem_value(record.supply, burnt, pool_value);
		record.supply = record.supply.checked_sub(&burnt).ok_or(Error::<T>::Overflow)?;
		Lrts::<T>::insert(pool, record);
		Ok(LrtConversion { lrt: burnt, value })
	}
}

impl<T: Config> LrtInterface<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn create(pool: PoolId, decimals: u8, payer: &T::AccountId) -> Result<AssetId, DispatchError> {
		Self::do_create(pool, decimals, payer)
	}

	fn mint(
		pool: PoolId,
		who: &T::AccountId,
		value: BalanceOf<T>,
		pool_value_before: BalanceOf<T>,
	) -> Result<LrtConversion<BalanceOf<T>>, DispatchError> {
		Self::do_mint(pool, who, value, pool_value_before)
	}

	fn burn(
		pool: PoolId,
		who: &T::AccountId,
		lrt: BalanceOf<T>,
		pool_value: BalanceOf<T>,
	) -> Result<LrtConversion<BalanceOf<T>>, DispatchError> {
		Self::do_burn(pool, who, lrt, pool_value)
	}

	fn value_of(pool: PoolId, lrt: BalanceOf<T>, pool_value: BalanceOf<T>) -> BalanceOf<T> {
		Self::redeem_value(Self::supply(pool), lrt, pool_value)
	}

	fn lrt_for(pool: PoolId, value: BalanceOf<T>, pool_value: BalanceOf<T>) -> BalanceOf<T> {
		Self::lrt_for_value(Self::supply(pool), value, pool_value)
			.unwrap_or_else(BalanceOf::<T>::max_value)
	}

	fn supply(pool: PoolId) -> BalanceOf<T> {
		Lrts::<T>::get(pool).map(|record| record.supply).unwrap_or_default()
	}

	fn balance(pool: PoolId, who: &T::AccountId) -> BalanceOf<T> {
		Self::lrt_asset_id(pool)
			.map(|asset_id| <T::Assets as fungibles::Inspect<_>>::balance(asset_id, who))
			.unwrap_or_default()
	}

	fn asset_id(pool: PoolId) -> AssetId {
		T::LrtAssetIdOffset::get().saturating_add(pool)
	}

	fn is_lrt_asset(asset: AssetId) -> bool {
		asset >= T::LrtAssetIdOffset::get()
	}

	fn rate(pool: PoolId, pool_value: BalanceOf<T>) -> FixedU128 {
		Self::rate_of(Self::supply(pool), pool_value)
	}
}
