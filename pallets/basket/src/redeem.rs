//! Redemptions: what the burnt tokens stand for is owed at once, of every pool the basket
//! holds, and taken out of its holdings; it is paid [`Config::PoolsPaidPerCall`] pools at a
//! time, the rest waiting in [`PendingRedemptions`] for [`Pallet::claim_redemption`].

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::DispatchError,
	traits::{
		fungibles,
		tokens::{Fortitude, Precision, Preservation},
		DefensiveOption, Get,
	},
};
use palisade_primitives::{PoolDeposits, PoolId};
use sp_arithmetic::{MultiplyRational, Rounding};
use sp_runtime::traits::{CheckedSub, Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Redeem basket tokens for pool LRT. Returns the number of pools the basket held. See
	/// [`Pallet::redeem`].
	pub(crate) fn do_redeem(
		who: &T::AccountId,
		basket: BasketId,
		tokens: BalanceOf<T>,
	) -> Result<u32, DispatchError> {
		let mut record = Baskets::<T>::get(basket).ok_or(Error::<T>::UnknownBasket)?;
		ensure!(!tokens.is_zero(), Error::<T>::ZeroAmount);
		ensure!(!PendingRedemptions::<T>::contains_key(basket, who), Error::<T>::RedemptionPending);
		ensure!(
			<T::Assets as fungibles::Inspect<_>>::balance(record.asset_id, who) >= tokens,
			Error::<T>::InsufficientTokens
		);
		let supply = Self::supply_of(record.asset_id);
		// `Expendable`: a remainder below the minimum balance is burnt too (and paid for).
		let burnt = <T::Assets as fungibles::Mutate<_>>::burn_from(
			record.asset_id,
			who,
			tokens,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		ensure!(burnt <= supply, Error::<T>::Overflow);

		// What the tokens stand for, of every pool, leaves the holdings now: later deposits
		// and valuations no longer count it, and it keeps its pool's rate (it is that pool's
		// LRT, held for the holder).
		let mut pools = BasketPools::<T>::get(basket);
		let held = pools.len() as u32;
		let mut owed: Vec<(PoolId, BalanceOf<T>)> = Vec::with_capacity(pools.len());
		for entry in pools.iter_mut() {
			let share = Self::owed_of(entry, burnt, supply)?;
			if !share.is_zero() {
				entry.lrt = entry.lrt.checked_sub(&share).ok_or(Error::<T>::Overflow)?;
				owed.push((entry.pool, share));
			}
		}
		// The last tokens took every pool LRT: the retired pools hold nothing any more.
		if burnt == supply {
			pools.retain(|entry| !entry.weight.is_zero());
		}

		let (paid, pending) = Self::pay_owed(&record.account, who, owed)?;
		if !pending.is_empty() {
			record.pending = record.pending.checked_add(1).ok_or(Error::<T>::Overflow)?;
			PendingRedemptions::<T>::insert(basket, who, &pending);
			Baskets::<T>::insert(basket, record);
		}
		BasketPools::<T>::insert(basket, pools);
		Self::deposit_event(Event::Redeemed {
			who: who.clone(),
			basket,
			tokens: burnt,
			paid,
			pending,
		});
		Ok(held)
	}

	/// Pay more of a pending redemption. See [`Pallet::claim_redemption`].
	pub(crate) fn do_claim_redemption(
		basket: BasketId,
		who: &T::AccountId,
	) -> Result<(), DispatchError> {
		let owed =
			PendingRedemptions::<T>::get(basket, who).ok_or(Error::<T>::NoPendingRedemption)?;
		let (paid, pending) =
			Self::pay_owed(&Self::basket_account(basket), who, owed.into_inner())?;
		if pending.is_empty() {
			PendingRedemptions::<T>::remove(basket, who);
			Baskets::<T>::try_mutate(basket, |record| -> Result<(), DispatchError> {
				let record = record.as_mut().defensive_ok_or(Error::<T>::UnknownBasket)?;
				record.pending =
					record.pending.checked_sub(1).defensive_ok_or(Error::<T>::Overflow)?;
				Ok(())
			})?;
		} else {
			PendingRedemptions::<T>::insert(basket, who, &pending);
		}
		Self::deposit_event(Event::RedemptionClaimed { basket, who: who.clone(), paid, pending });
		Ok(())
	}

	/// Pay `who` the first [`Config::PoolsPaidPerCall`] amounts of `owed` out of the basket's
	/// `account`. Returns what was paid and what is still owed.
	fn pay_owed(
		account: &T::AccountId,
		who: &T::AccountId,
		mut owed: Vec<(PoolId, BalanceOf<T>)>,
	) -> Result<(PoolLrtOf<T>, PoolLrtOf<T>), DispatchError> {
		let page = (T::PoolsPaidPerCall::get() as usize).min(owed.len());
		let rest = owed.split_off(page);
		for (pool, lrt) in owed.iter() {
			<T::Assets as fungibles::Mutate<_>>::transfer(
				T::Pools::lrt_asset_id(*pool),
				account,
				who,
				*lrt,
				Preservation::Expendable,
			)?;
		}
		Ok((
			owed.try_into().map_err(|_| Error::<T>::Overflow)?,
			rest.try_into().map_err(|_| Error::<T>::Overflow)?,
		))
	}

	/// The pool LRT of `entry` that burning `burnt` tokens out of `supply` owes:
	/// `⌊held × burnt / supply⌋`, all of it for the whole supply; lowered so the basket keeps
	/// at least the LRT's minimum balance or nothing, and zero if below that minimum (it stays
	/// with the basket, owned by the remaining holders).
	///
	/// So every holding and every owed amount is zero or at least the minimum balance: paying
	/// an owed amount leaves the basket's account the other holdings and owed amounts (zero or
	/// at least the minimum) and perhaps donations, never a balance that `pallet-assets` would
	/// sweep into the payment, and the holder can always receive it (the LRTs are sufficient).
	pub(crate) fn owed_of(
		entry: &BasketPool<BalanceOf<T>>,
		burnt: BalanceOf<T>,
		supply: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		if entry.lrt.is_zero() || burnt == supply {
			return Ok(entry.lrt);
		}
		let mut share = entry
			.lrt
			.multiply_rational(burnt, supply, Rounding::Down)
			.ok_or(Error::<T>::Overflow)?;
		let min = Self::lrt_min(entry.pool);
		if entry.lrt.saturating_sub(share) < min {
			share = entry.lrt.saturating_sub(min);
		}
		if share < min {
			share = Zero::zero();
		}
		Ok(share)
	}

	/// What `basket`'s pending redemptions owe, per pool (for the invariants and queries).
	pub fn owed_by(basket: BasketId) -> Vec<(PoolId, BalanceOf<T>)> {
		let mut total: Vec<(PoolId, BalanceOf<T>)> = Vec::new();
		for owed in PendingRedemptions::<T>::iter_prefix_values(basket) {
			for (pool, lrt) in owed {
				match total.iter_mut().find(|(p, _)| *p == pool) {
					Some((_, sum)) => *sum = sum.saturating_add(lrt),
					None => total.push((pool, lrt)),
				}
			}
		}
		total
	}
}
