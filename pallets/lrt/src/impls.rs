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
use sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding, FixedPointNumber, FixedU128,
	MultiplyRational, PerThing, Perquintill, Rounding,
};
use sp_runtime::{
	traits::{AccountIdConversion, Bounded, CheckedAdd, One, Saturating, Zero},
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

	/// The total issuance of the LRT asset `asset_id`, or the largest supply if the asset is
	/// gone (only root can destroy an LRT: the runtime filters every other path), so that a
	/// pool can never look empty and be closed with its holders' collateral still in it.
	fn asset_supply(asset_id: AssetId) -> BalanceOf<T> {
		if !<T::Assets as fungibles::Inspect<_>>::asset_exists(asset_id) {
			log::error!(target: LOG_TARGET, "LRT asset {asset_id} is gone");
			return BalanceOf::<T>::max_value();
		}
		<T::Assets as fungibles::Inspect<_>>::total_issuance(asset_id)
	}

	/// The virtual offset (virtual shares and virtual value) of an LRT with `decimals` decimals:
	/// `10^⌊decimals / 2⌋` base units, saturating (see the crate doc for the choice).
	pub fn virtual_offset(decimals: u8) -> BalanceOf<T> {
		BalanceOf::<T>::from(10u32).saturating_pow(usize::from(decimals / 2))
	}

	/// The minimum balance of an LRT with `decimals` decimals: `⌈MinLrtBalance × 10^decimals⌉`,
	/// at least one base unit.
	pub fn min_balance(decimals: u8) -> BalanceOf<T> {
		let whole = 10u128.saturating_pow(u32::from(decimals));
		let parts = u128::from(T::MinLrtBalance::get().deconstruct());
		let accuracy = u128::from(Perquintill::ACCURACY);
		multiply_by_rational_with_rounding(whole, parts, accuracy, Rounding::Up)
			.unwrap_or(u128::MAX)
			.saturated_into::<BalanceOf<T>>()
			.max(One::one())
	}

	/// The virtual offset of `pool`'s LRT (that of 12 decimals for an unknown pool).
	fn offset_of(pool: PoolId) -> BalanceOf<T> {
		Self::virtual_offset(Lrts::<T>::get(pool).map_or(12, |record| record.decimals))
	}

	/// LRT bought by `value` in a pool with `supply`, `pool_value` and virtual offset `offset`:
	/// `⌊value / rate⌋` with `rate = min((V + o) / (S + o), V / S)`, that is the larger of
	/// `⌊value × (S + o) / (V + o)⌋` and (if `S > 0`) `⌊value × S / V⌋`. `None` on overflow, or
	/// if `S > 0` and `V = 0` (the rate is zero).
	pub fn lrt_for_value(
		supply: BalanceOf<T>,
		value: BalanceOf<T>,
		pool_value: BalanceOf<T>,
		offset: BalanceOf<T>,
	) -> Option<BalanceOf<T>> {
		let virtual_lrt = value.multiply_rational(
			supply.checked_add(&offset)?,
			pool_value.checked_add(&offset)?,
			Rounding::Down,
		)?;
		if supply.is_zero() {
			return Some(virtual_lrt);
		}
		if pool_value.is_zero() {
			return None;
		}
		let plain_lrt = value.multiply_rational(supply, pool_value, Rounding::Down)?;
		Some(virtual_lrt.max(plain_lrt))
	}

	/// What `lrt` LRT is worth in a pool with `supply`, `pool_value` and virtual offset
	/// `offset`, rounded as asked: `lrt × rate`, `rate = min((V + o) / (S + o), V / S)`. Not
	/// capped. `None` on overflow.
	pub fn value_for_lrt(
		supply: BalanceOf<T>,
		lrt: BalanceOf<T>,
		pool_value: BalanceOf<T>,
		offset: BalanceOf<T>,
		rounding: Rounding,
	) -> Option<BalanceOf<T>> {
		let virtual_value = lrt.multiply_rational(
			pool_value.checked_add(&offset)?,
			supply.checked_add(&offset)?,
			rounding,
		)?;
		if supply.is_zero() {
			return Some(virtual_value);
		}
		let plain_value = lrt.multiply_rational(pool_value, supply, rounding)?;
		Some(virtual_value.min(plain_value))
	}

	/// What redeeming `lrt` pays: rounded down and at most `pool_value` (the virtual value is
	/// never paid out). A result too large to represent is capped at `pool_value` too.
	pub fn redeem_value(
		supply: BalanceOf<T>,
		lrt: BalanceOf<T>,
		pool_value: BalanceOf<T>,
		offset: BalanceOf<T>,
	) -> BalanceOf<T> {
		Self::value_for_lrt(supply, lrt, pool_value, offset, Rounding::Down)
			.map_or(pool_value, |value| value.min(pool_value))
	}

	/// `min((V + o) / (S + o), V / S)`, saturating.
	pub fn rate_of(
		supply: BalanceOf<T>,
		pool_value: BalanceOf<T>,
		offset: BalanceOf<T>,
	) -> FixedU128 {
		let shares = supply.saturating_add(offset).saturated_into::<u128>();
		let total = pool_value.saturating_add(offset).saturated_into::<u128>();
		let virtual_rate =
			FixedU128::checked_from_rational(total, shares).unwrap_or_else(FixedU128::max_value);
		if supply.is_zero() {
			return virtual_rate;
		}
		let plain_rate = FixedU128::checked_from_rational(
			pool_value.saturated_into::<u128>(),
			supply.saturated_into::<u128>(),
		)
		.unwrap_or_else(FixedU128::max_value);
		virtual_rate.min(plain_rate)
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
			Self::min_balance(decimals),
		)?;
		<T::Assets as fungibles::metadata::Mutate<_>>::set(
			asset_id, &account, name, symbol, decimals,
		)?;
		Lrts::<T>::insert(pool, LrtRecord { decimals });
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
		let record = Lrts::<T>::get(pool).ok_or(Error::<T>::UnknownPool)?;
		let asset_id = Self::lrt_asset_id(pool).ok_or(Error::<T>::AssetIdOverflow)?;
		let supply = <T::Assets as fungibles::Inspect<_>>::total_issuance(asset_id);
		let offset = Self::virtual_offset(record.decimals);
		let lrt = Self::lrt_for_value(supply, value, pool_value_before, offset)
			.ok_or(Error::<T>::Overflow)?;
		ensure!(!lrt.is_zero(), Error::<T>::NothingMinted);
		// Rounded up: the pool is never paid less than what the LRT is worth. It is at most
		// `value` since `lrt` was rounded down from it.
		let cost = Self::value_for_lrt(supply, lrt, pool_value_before, offset, Rounding::Up)
			.ok_or(Error::<T>::Overflow)?
			.min(value);
		supply.checked_add(&lrt).ok_or(Error::<T>::Overflow)?;
		<T::Assets as fungibles::Mutate<_>>::mint_into(asset_id, who, lrt)?;
		Ok(LrtConversion { lrt, value: cost })
	}

	/// Burn `lrt` of `who`'s LRT of `pool`. See [`LrtInterface::burn`].
	pub(crate) fn do_burn(
		pool: PoolId,
		who: &T::AccountId,
		lrt: BalanceOf<T>,
		pool_value: BalanceOf<T>,
	) -> Result<LrtConversion<BalanceOf<T>>, DispatchError> {
		let record = Lrts::<T>::get(pool).ok_or(Error::<T>::UnknownPool)?;
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
		// The supply before the burn.
		let supply = <T::Assets as fungibles::Inspect<_>>::total_issuance(asset_id)
			.checked_add(&burnt)
			.ok_or(Error::<T>::Overflow)?;
		let offset = Self::virtual_offset(record.decimals);
		let value = Self::redeem_value(supply, burnt, pool_value, offset);
		Ok(LrtConversion { lrt: burnt, value })
	}
}

impl<T: Config> Pallet<T> {
	/// Destroy the LRT of `pool`. See [`LrtInterface::destroy`]. At most
	/// [`MAX_DESTROY_ITEMS`] accounts and approvals are removed; beyond that it fails (the
	/// pool stays open to closing later, once the approvals are cancelled).
	pub(crate) fn do_destroy(pool: PoolId, refund_to: &T::AccountId) -> Result<(), DispatchError> {
		ensure!(Lrts::<T>::contains_key(pool), Error::<T>::UnknownPool);
		let asset_id = Self::lrt_asset_id(pool).ok_or(Error::<T>::AssetIdOverflow)?;
		ensure!(
			<T::Assets as fungibles::Inspect<_>>::total_issuance(asset_id).is_zero(),
			Error::<T>::NotDestroyable
		);
		let account = Self::account_id();
		let reserved_before = <T::Currency as fungible::Inspect<_>>::balance(&account);
		<T::Assets as fungibles::Destroy<_>>::start_destroy(asset_id, None)?;
		<T::Assets as fungibles::Destroy<_>>::destroy_accounts(asset_id, MAX_DESTROY_ITEMS)?;
		<T::Assets as fungibles::Destroy<_>>::destroy_approvals(asset_id, MAX_DESTROY_ITEMS)?;
		<T::Assets as fungibles::Destroy<_>>::finish_destroy(asset_id)
			.map_err(|_| Error::<T>::NotDestroyable)?;
		// The metadata deposit was unreserved to this pallet's account: pass it on.
		let refunded = <T::Currency as fungible::Inspect<_>>::balance(&account)
			.saturating_sub(reserved_before);
		if !refunded.is_zero() {
			<T::Currency as fungible::Mutate<_>>::transfer(
				&account,
				refund_to,
				refunded,
				Preservation::Preserve,
			)?;
		}
		Lrts::<T>::remove(pool);
		Self::deposit_event(Event::LrtDestroyed {
			pool,
			asset_id,
			refunded,
			refund_to: refund_to.clone(),
		});
		Ok(())
	}
}

/// Most accounts and approvals of an LRT asset one [`LrtInterface::destroy`] removes.
pub const MAX_DESTROY_ITEMS: u32 = 16;

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
		Self::redeem_value(Self::supply(pool), lrt, pool_value, Self::offset_of(pool))
	}

	fn value_of_known(
		pool: PoolId,
		decimals: u8,
		lrt: BalanceOf<T>,
		pool_value: BalanceOf<T>,
	) -> BalanceOf<T> {
		let supply = Self::lrt_asset_id(pool).map_or_else(Zero::zero, Self::asset_supply);
		Self::redeem_value(supply, lrt, pool_value, Self::virtual_offset(decimals))
	}

	fn lrt_for(pool: PoolId, value: BalanceOf<T>, pool_value: BalanceOf<T>) -> BalanceOf<T> {
		Self::lrt_for_value(Self::supply(pool), value, pool_value, Self::offset_of(pool))
			.unwrap_or_else(BalanceOf::<T>::max_value)
	}

	/// The LRT asset's total issuance; zero for a pool without an LRT. A pool whose LRT record
	/// exists but whose asset is gone (only root can destroy an LRT: the runtime filters every
	/// other path) reports the largest supply rather than zero, so that the pool can never look
	/// empty and be closed with its holders' collateral still in it.
	fn supply(pool: PoolId) -> BalanceOf<T> {
		let Some(asset_id) = Self::lrt_asset_id(pool).filter(|_| Lrts::<T>::contains_key(pool))
		else {
			return Zero::zero();
		};
		Self::asset_supply(asset_id)
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
		Self::rate_of(Self::supply(pool), pool_value, Self::offset_of(pool))
	}

	fn total_redeemable(pool: PoolId, pool_value: BalanceOf<T>) -> BalanceOf<T> {
		let supply = Self::supply(pool);
		Self::value_for_lrt(supply, supply, pool_value, Self::offset_of(pool), Rounding::Down)
			.unwrap_or_else(BalanceOf::<T>::max_value)
	}

	fn destroy(pool: PoolId, refund_to: &T::AccountId) -> Result<(), DispatchError> {
		Self::do_destroy(pool, refund_to)
	}
}
