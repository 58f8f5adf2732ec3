//! Where a pool's funds are and how they move: the pool account, holds, asset transfers, and
//! the valuation of collateral in native units.

use crate::*;
use frame_support::{
	pallet_prelude::DispatchResult,
	traits::{
		fungible::{Inspect as _, Mutate as _, MutateHold},
		fungibles,
		tokens::{Fortitude, Precision, Preservation, Restriction},
		Get,
	},
};
use palisade_primitives::{Collateral, PoolId};
use sp_arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};
use sp_runtime::{
	traits::{AccountIdConversion, Zero},
	DispatchError, FixedPointNumber, FixedU128, SaturatedConversion,
};

impl<T: Config> Pallet<T> {
	/// The keyless account holding `pool`'s funds: `"modl"`, the pallet id and the pool id.
	/// Needs an `AccountId` of at least 16 bytes to be distinct per pool (`integrity_test`
	/// checks it).
	pub fn pool_account(pool: PoolId) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(pool)
	}

	/// The hold reason of the funds pools owe.
	pub(crate) fn funds_reason() -> T::RuntimeHoldReason {
		HoldReason::PoolFunds.into()
	}

	/// Move `amount` native from `from` (kept alive) into `pool`'s held funds.
	pub(crate) fn hold_native_in_pool(
		pool: PoolId,
		from: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer_and_hold(
			&Self::funds_reason(),
			from,
			&Self::pool_account(pool),
			amount,
			Precision::Exact,
			Preservation::Preserve,
			Fortitude::Polite,
		)?;
		Ok(())
	}

	/// Pay `amount` of `pool`'s held native funds to `to`.
	pub(crate) fn pay_native_from_pool(
		pool: PoolId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		T::Currency::transfer_on_hold(
			&Self::funds_reason(),
			&Self::pool_account(pool),
			to,
			amount,
			Precision::Exact,
			Restriction::Free,
			Fortitude::Polite,
		)?;
		Ok(())
	}

	/// Take `amount` of `collateral` from `from` (kept alive) into `pool`'s custody.
	pub(crate) fn take_collateral(
		pool: PoolId,
		collateral: Collateral,
		from: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		match collateral {
			Collateral::Native => Self::hold_native_in_pool(pool, from, amount),
			Collateral::Asset(asset) => {
				if !amount.is_zero() {
					<T::Assets as fungibles::Mutate<_>>::transfer(
						asset,
						from,
						&Self::pool_account(pool),
						amount,
						Preservation::Preserve,
					)?;
				}
				Ok(())
			}
		}
	}

	/// Pay `amount` of `collateral` from `pool`'s custody to `to`. The pool account keeps its
	/// seed, so it never falls below an asset's minimum balance.
	pub(crate) fn pay_collateral(
		pool: PoolId,
		collateral: Collateral,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		match collateral {
			Collateral::Native => Self::pay_native_from_pool(pool, to, amount),
			Collateral::Asset(asset) => {
				if !amount.is_zero() {
					<T::Assets as fungibles::Mutate<_>>::transfer(
						asset,
						&Self::pool_account(pool),
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
		collateral: Collateral,
		amount: BalanceOf<T>,
		beneficiary: Option<&T::AccountId>,
	) -> Result<bool, DispatchError> {
		let account = Self::pool_account(pool);
		if let Some(beneficiary) = beneficiary {
			let paid = frame_support::storage::with_storage_layer(|| match collateral {
				Collateral::Native => T::Currency::transfer_on_hold(
					&Self::funds_reason(),
					&account,
					beneficiary,
					amount,
					Precision::Exact,
					Restriction::Free,
					Fortitude::Force,
				)
				.map(|_| ()),
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
			Collateral::Native => T::Currency::burn_held(
				&Self::funds_reason(),
				&account,
				amount,
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

	/// Fund `pool`'s account with the native existential deposit, from `payer` (kept alive).
	/// Holds need the account alive, and its free balance then never drops below it.
	pub(crate) fn fund_pool_account(pool: PoolId, payer: &T::AccountId) -> DispatchResult {
		let ed = Self::native_ed();
		if !ed.is_zero() {
			T::Currency::transfer(payer, &Self::pool_account(pool), ed, Preservation::Preserve)?;
		}
		Ok(())
	}

	/// Native units per unit of `collateral`: one for the native token, the governance-set
	/// valuation for an asset (`None` without one).
	pub fn valuation(collateral: Collateral) -> Option<FixedU128> {
		match collateral {
			Collateral::Native => Some(FixedU128::from_u32(1)),
			Collateral::Asset(asset) => CollateralValuations::<T>::get(asset),
		}
	}

	/// The native value of `amount` of `collateral`, rounded down; zero without a valuation.
	pub fn to_native(collateral: Collateral, amount: BalanceOf<T>) -> BalanceOf<T> {
		match collateral {
			Collateral::Native => amount,
			Collateral::Asset(_) => Self::valuation(collateral)
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
		match collateral {
			Collateral::Native => Some(native),
			Collateral::Asset(_) => {
				let valuation = Self::valuation(collateral)?.into_inner();
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
