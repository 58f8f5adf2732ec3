//! Where a pool's funds are and how they move: the pool account, native and asset transfers,
//! and the valuation of collateral in native units.

use crate::*;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Inspect as _, Mutate as _},
		fungibles,
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use palisade_primitives::{AssetId, Collateral, PoolId};
use sp_arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};
use sp_runtime::{
	traits::{AccountIdConversion, CheckedSub, Hash, Zero},
	DispatchError, FixedPointNumber, FixedU128, SaturatedConversion,
};

/// How many candidate accounts pool creation tries before giving up.
pub const MAX_ACCOUNT_ATTEMPTS: u8 = 8;

impl<T: Config> Pallet<T> {
	/// The account holding `pool`'s funds (as recorded at creation; for an unknown pool, the
	/// first candidate in this block).
	pub fn pool_account(pool: PoolId) -> T::AccountId {
		Pools::<T>::get(pool)
			.map(|record| record.account)
			.unwrap_or_else(|| Self::candidate_account(pool, 0))
	}

	/// Whether `who` is the account of a pool (not closed). One storage read: the runtime's
	/// call filter asks it for every asset call aimed at an account.
	pub fn is_pool_account(who: &T::AccountId) -> bool {
		PoolOfAccount::<T>::contains_key(who)
	}

	/// Whether a pool (not closed) holds `asset` as collateral. One storage read: the
	/// runtime's call filter asks it for every asset-wide freeze or destruction.
	pub fn asset_in_use(asset: AssetId) -> bool {
		AssetPoolCount::<T>::contains_key(asset)
	}

	/// Record `account` and `collateral` of the new pool `pool` in the reverse indexes.
	pub(crate) fn index_pool(pool: PoolId, account: &T::AccountId, collateral: Collateral) {
		PoolOfAccount::<T>::insert(account, pool);
		if let Collateral::Asset(asset) = collateral {
			AssetPoolCount::<T>::mutate(asset, |count| {
				*count = Some(count.unwrap_or(0).saturating_add(1))
			});
		}
	}

	/// Remove the closed pool with `account` and `collateral` from the reverse indexes.
	pub(crate) fn unindex_pool(account: &T::AccountId, collateral: Collateral) {
		PoolOfAccount::<T>::remove(account);
		if let Collateral::Asset(asset) = collateral {
			AssetPoolCount::<T>::mutate_exists(asset, |count| {
				*count = count.and_then(|count| count.checked_sub(1)).filter(|count| *count != 0)
			});
		}
	}

	/// The `attempt`-th candidate account for `pool` created in this block: the pallet's
	/// sub-account for `(salt, pool)`, `salt` being 16 bytes of the hash of the parent block
	/// hash, the pool id and `attempt`. Unpredictable before the block is built, so nobody can
	/// prepare (poison) it in advance.
	pub fn candidate_account(pool: PoolId, attempt: u8) -> T::AccountId {
		let parent = frame_system::Pallet::<T>::parent_hash();
		let hash = T::Hashing::hash_of(&(b"palisade/pool", parent, pool, attempt));
		let mut salt = [0u8; 16];
		for (byte, source) in salt.iter_mut().zip(hash.as_ref().iter()) {
			*byte = *source;
		}
		T::PalletId::get().into_sub_account_truncating((salt, pool))
	}

	/// The first candidate account for `pool` nobody has touched: an account that already
	/// exists (someone sent it funds or assets, e.g. junk assets filling its consumer
	/// references) is skipped.
	pub(crate) fn fresh_pool_account(pool: PoolId) -> Result<T::AccountId, DispatchError> {
		(0..MAX_ACCOUNT_ATTEMPTS)
			.map(|attempt| Self::candidate_account(pool, attempt))
			.find(|account| !frame_system::Pallet::<T>::account_exists(account))
			.ok_or_else(|| Error::<T>::PoolAccountUnavailable.into())
	}

	/// Move `amount` native from `from` (kept alive) into the pool account `pool` (its free
	/// balance: see the crate doc, "Custody").
	pub(crate) fn move_native_to_pool(
		pool: &T::AccountId,
		from: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer(from, pool, amount, Preservation::Preserve)?;
		Ok(())
	}

	/// Pay `amount` native from the pool account `pool` to `to`. The pool account keeps its
	/// existential deposit.
	pub(crate) fn pay_native_from_pool(
		pool: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer(pool, to, amount, Preservation::Preserve)?;
		Ok(())
	}

	/// Take `amount` of `collateral` from `from` (kept alive) into the custody of the pool
	/// account `pool`.
	pub(crate) fn take_collateral(
		pool: &T::AccountId,
		collateral: Collateral,
		from: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		match collateral {
			Collateral::Native | Collateral::NativeStaked => {
				Self::move_native_to_pool(pool, from, amount)
			}
			Collateral::Asset(asset) => {
				if !amount.is_zero() {
					let before = <T::Assets as fungibles::Inspect<_>>::balance(asset, pool);
					<T::Assets as fungibles::Mutate<_>>::transfer(
						asset,
						from,
						pool,
						amount,
						Preservation::Preserve,
					)?;
					// `fungibles::Mutate::transfer` credits the receiver best effort: in
					// `pallet-assets` a credit that would take the supply past the balance
					// range is dropped while the debit stands. The pool books only what it
					// received (`issuer_overflowing_the_supply_cannot_deposit_without_paying`).
					let after = <T::Assets as fungibles::Inspect<_>>::balance(asset, pool);
					ensure!(
						after.checked_sub(&before) == Some(amount),
						Error::<T>::CollateralNotReceived
					);
				}
				Ok(())
			}
		}
	}

	/// Pay `amount` of `collateral` from the custody of the pool account `pool` to `to`. The
	/// pool account keeps its seed, so it never falls below an asset's minimum balance.
	pub(crate) fn pay_collateral(
		pool: &T::AccountId,
		collateral: Collateral,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		match collateral {
			Collateral::Native | Collateral::NativeStaked => {
				Self::pay_native_from_pool(pool, to, amount)
			}
			Collateral::Asset(asset) => {
				if !amount.is_zero() {
					<T::Assets as fungibles::Mutate<_>>::transfer(
						asset,
						pool,
						to,
						amount,
						Preservation::Preserve,
					)?;
				}
				Ok(())
			}
		}
	}

	/// Remove `amount` of `collateral` from `pool`'s custody for a slash: pay it to
	/// `beneficiary`, or burn it if there is none or it cannot receive it. Returns whether it
	/// went to the beneficiary.
	pub(crate) fn seize_collateral(
		pool: PoolId,
		account: &T::AccountId,
		collateral: Collateral,
		amount: BalanceOf<T>,
		beneficiary: Option<&T::AccountId>,
	) -> Result<bool, DispatchError> {
		let account = account.clone();
		if let Some(beneficiary) = beneficiary {
			let paid = frame_support::storage::with_storage_layer(|| match collateral {
				Collateral::Native | Collateral::NativeStaked => {
					T::Currency::transfer(&account, beneficiary, amount, Preservation::Preserve)
						.map(|_| ())
				}
				Collateral::Asset(asset) => <T::Assets as fungibles::Mutate<_>>::transfer(
					asset,
					&account,
					beneficiary,
					amount,
					Preservation::Preserve,
				)
				.map(|_| ()),
			});
			match paid {
				Ok(()) => return Ok(true),
				Err(error) => log::warn!(
					target: LOG_TARGET,
					"slash of pool {pool} could not be paid to the beneficiary ({error:?}); burning it",
				),
			}
		}
		match collateral {
			Collateral::Native | Collateral::NativeStaked => T::Currency::burn_from(
				&account,
				amount,
				Preservation::Preserve,
				Precision::Exact,
				Fortitude::Force,
			)?,
			Collateral::Asset(asset) => <T::Assets as fungibles::Mutate<_>>::burn_from(
				asset,
				&account,
				amount,
				Preservation::Preserve,
				Precision::Exact,
				Fortitude::Force,
			)?,
		};
		Ok(false)
	}

	/// The native existential deposit.
	pub(crate) fn native_ed() -> BalanceOf<T> {
		T::Currency::minimum_balance()
	}

	/// Fund the pool account `pool` with the native existential deposit, from `payer` (kept
	/// alive): the account then exists before any deposit (a deposit below the existential
	/// deposit could not create it), and every payment out of it keeps the existential deposit
	/// there, so it is never reaped while the pool exists.
	pub(crate) fn fund_pool_account(pool: &T::AccountId, payer: &T::AccountId) -> DispatchResult {
		let ed = Self::native_ed();
		if !ed.is_zero() {
			T::Currency::transfer(payer, pool, ed, Preservation::Preserve)?;
		}
		Ok(())
	}

	/// Native units per unit of `collateral`: one for the native token, the governance-set
	/// valuation for an asset (`None` without one).
	pub fn valuation(collateral: Collateral) -> Option<FixedU128> {
		match collateral {
			Collateral::Native | Collateral::NativeStaked => Some(FixedU128::from_u32(1)),
			Collateral::Asset(asset) => CollateralValuations::<T>::get(asset),
		}
	}

	/// The valuation slashes use: the current one, else the last one governance set (a
	/// removed valuation does not cancel a slash for a past offence). `None` if the asset never
	/// had one (its pools never counted as security).
	pub fn slash_valuation(collateral: Collateral) -> Option<FixedU128> {
		match collateral {
			Collateral::Native | Collateral::NativeStaked => Some(FixedU128::from_u32(1)),
			Collateral::Asset(asset) => {
				CollateralValuations::<T>::get(asset).or_else(|| LastValuations::<T>::get(asset))
			}
		}
	}

	/// The native value of `amount` of `collateral`, rounded down; zero without a valuation.
	pub fn to_native(collateral: Collateral, amount: BalanceOf<T>) -> BalanceOf<T> {
		Self::to_native_at(Self::valuation(collateral), amount)
	}

	/// The native value of `amount` at `valuation` (native units per unit), rounded down; zero
	/// without one.
	pub fn to_native_at(valuation: Option<FixedU128>, amount: BalanceOf<T>) -> BalanceOf<T> {
		match valuation {
			Some(valuation) if valuation == FixedU128::from_u32(1) => amount,
			_ => valuation
				.and_then(|valuation| {
					multiply_by_rational_with_rounding(
						amount.saturated_into::<u128>(),
						valuation.into_inner(),
						FixedU128::DIV,
						Rounding::Down,
					)
				})
				.map(|native| native.saturated_into::<BalanceOf<T>>())
				.unwrap_or_else(Zero::zero),
		}
	}

	/// The amount of `collateral` worth `native`, rounded up (saturating); `None` without a
	/// (non-zero) valuation.
	pub fn from_native_rounding_up(
		collateral: Collateral,
		native: BalanceOf<T>,
	) -> Option<BalanceOf<T>> {
		Self::from_native_at(Self::valuation(collateral), native)
	}

	/// The amount worth `native` at `valuation` (native units per unit), rounded up
	/// (saturating); `None` without a (non-zero) valuation.
	pub fn from_native_at(
		valuation: Option<FixedU128>,
		native: BalanceOf<T>,
	) -> Option<BalanceOf<T>> {
		match valuation {
			Some(valuation) if valuation == FixedU128::from_u32(1) => Some(native),
			_ => {
				let valuation = valuation?.into_inner();
				if valuation == 0 {
					return None;
				}
				Some(
					multiply_by_rational_with_rounding(
						native.saturated_into::<u128>(),
						FixedU128::DIV,
						valuation,
						Rounding::Up,
					)
					.unwrap_or(u128::MAX)
					.saturated_into::<BalanceOf<T>>(),
				)
			}
		}
	}
}
