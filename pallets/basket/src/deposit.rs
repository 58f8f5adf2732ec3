//! Deposits: each goes to one pool, the open weighted pool furthest below its target weight,
//! at most up to its weight plus [`Config::DepositOvershoot`] of the basket; the depositor
//! gets basket tokens at the basket's rate.
//!
//! A deposit is planned ([`Pallet::plan_deposit`]: read only), then deposited into its pool
//! (`PoolDeposits::deposit_for`: the depositor pays, the basket's account receives the LRT;
//! charged apart by `deposit_as_weight`), then settled
//! ([`Pallet::settle_deposit`]): the benchmark measures the plan and the settlement around a
//! pool deposit made beforehand.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	defensive, ensure,
	pallet_prelude::DispatchError,
	traits::{fungibles, Get},
};
use palisade_primitives::{LrtConversion, PoolDeposits, PoolId};
use sp_arithmetic::{MultiplyRational, Rounding};
use sp_runtime::{
	traits::{CheckedAdd, One, Saturating, Zero},
	PerThing, Perbill,
};

/// What a deposit did.
pub(crate) struct DepositOutcome<Balance> {
	/// Basket tokens minted to the depositor (read by the tests and benchmarks).
	#[cfg_attr(not(feature = "runtime-benchmarks"), allow(dead_code))]
	pub tokens: Balance,
	/// Pools the basket held (all valued), for the weight.
	pub held: u32,
}

/// A deposit as decided before its pool deposit: where it goes, how much, and what the rest
/// of the basket is worth.
pub(crate) struct DepositPlan<T: Config> {
	/// The basket.
	pub record: BasketRecordOf<T>,
	/// Its pools, as they were.
	pub pools: BasketPoolsOf<T>,
	/// The index in `pools` of the pool deposited into.
	pub target: usize,
	/// That pool.
	pub pool: PoolId,
	/// PAL to deposit into it (the amount offered, capped).
	pub taken: BalanceOf<T>,
	/// `Σ (v_i + 1 if v_i > 0)` over the other pools held: their value, rounded up.
	pub others_value: BalanceOf<T>,
	/// The basket token supply before the deposit.
	pub supply: BalanceOf<T>,
}

impl<T: Config> Pallet<T> {
	/// Deposit into a basket. See [`Pallet::deposit`].
	pub(crate) fn do_deposit(
		who: &T::AccountId,
		basket: BasketId,
		amount: BalanceOf<T>,
	) -> Result<DepositOutcome<BalanceOf<T>>, DispatchError> {
		let plan = Self::plan_deposit(basket, amount)?;
		// The pool takes the PAL from the depositor and mints its LRT to the basket's account.
		let conversion = T::Pools::deposit_for(who, &plan.record.account, plan.pool, plan.taken)?;
		Self::settle_deposit(who, basket, plan, conversion)
	}

	/// Plan a deposit of `amount` into `basket` (reads only): value every pool the basket
	/// holds, choose the pool (the open weighted one furthest below its target weight) and
	/// cap the amount.
	pub(crate) fn plan_deposit(
		basket: BasketId,
		amount: BalanceOf<T>,
	) -> Result<DepositPlan<T>, DispatchError> {
		let record = Baskets::<T>::get(basket).ok_or(Error::<T>::UnknownBasket)?;
		ensure!(record.state == BasketState::Open, Error::<T>::BasketClosing);
		ensure!(amount >= T::MinDeposit::get(), Error::<T>::BelowMinDeposit);
		let pools = BasketPools::<T>::get(basket);
		let supply = Self::supply_of(record.asset_id);

		// Every pool held, retired and closed ones too, at its rate, rounded down; and the
		// pools that may take it: weighted and open (one read of each pool's books).
		let mut values: Vec<BalanceOf<T>> = Vec::with_capacity(pools.len());
		let mut open: Vec<bool> = Vec::with_capacity(pools.len());
		let mut value: BalanceOf<T> = Zero::zero();
		for entry in pools.iter() {
			let (v, open_native) = T::Pools::held_pool_view(entry.pool, entry.lrt);
			value = value.checked_add(&v).ok_or(Error::<T>::Overflow)?;
			values.push(v);
			open.push(!entry.weight.is_zero() && open_native);
		}
		ensure!(supply.is_zero() || !value.is_zero(), Error::<T>::BasketWipedOut);

		// The open weighted pools' weights count among themselves (`W` is their total).
		let open_weight: u64 = pools
			.iter()
			.zip(&open)
			.filter(|(_, open)| **open)
			.map(|(entry, _)| u64::from(entry.weight.deconstruct()))
			.sum();
		ensure!(open_weight > 0, Error::<T>::NoOpenPool);

		// The one furthest below its target `w_i / W × V`: the largest `target_i + V − v_i`
		// (never negative: `v_i ≤ V`); ties go to the larger weight, then the earlier pool.
		let mut best: Option<(usize, BalanceOf<T>, Perbill, Perbill)> = None;
		for (i, entry) in pools.iter().enumerate() {
			if !open.get(i).copied().unwrap_or(false) {
				continue;
			}
			let share = Perbill::from_rational(u64::from(entry.weight.deconstruct()), open_weight);
			let held_value = values.get(i).copied().unwrap_or_else(Zero::zero);
			let key = share.mul_floor(value).saturating_add(value).saturating_sub(held_value);
			let better = match best {
				None => true,
				Some((_, best_key, best_weight, _)) => {
					key > best_key || (key == best_key && entry.weight > best_weight)
				}
			};
			if better {
				best = Some((i, key, entry.weight, share));
			}
		}
		let (target, _, _, share) = best.ok_or(Error::<T>::NoOpenPool)?;
		let pool = pools.get(target).map(|entry| entry.pool).ok_or(Error::<T>::NoOpenPool)?;
		let target_value = values.get(target).copied().unwrap_or_else(Zero::zero);

		let taken = match Self::deposit_cap(share, value, target_value) {
			Some(cap) => amount.min(cap.max(T::MinDeposit::get())),
			None => amount,
		};

		// The other pools' value, each rounded up (`⌊x⌋ + 1 ≥ ⌈x⌉`; a worthless holding stays
		// zero). The target's is valued after its deposit, at its rate then.
		let mut others_value: BalanceOf<T> = Zero::zero();
		for (i, v) in values.iter().enumerate() {
			if i != target && !v.is_zero() {
				others_value = v
					.checked_add(&One::one())
					.and_then(|up| others_value.checked_add(&up))
					.ok_or(Error::<T>::Overflow)?;
			}
		}
		Ok(DepositPlan { record, pools, target, pool, taken, others_value, supply })
	}

	/// The most a deposit may bring into a pool whose target share (among the open weighted
	/// pools) is `share`, which holds `held_value` of a basket worth `value`: what lifts it to
	/// `b = share + DepositOvershoot` of the basket, `(b × V − v) / (1 − b)` rounded down.
	/// `None` (no cap) for an empty basket or `b ≥ 100%`.
	pub(crate) fn deposit_cap(
		share: Perbill,
		value: BalanceOf<T>,
		held_value: BalanceOf<T>,
	) -> Option<BalanceOf<T>> {
		let bound = share.saturating_add(T::DepositOvershoot::get());
		if value.is_zero() || bound.is_one() {
			return None;
		}
		let room = bound.mul_floor(value).saturating_sub(held_value);
		Some(bound.left_from_one().saturating_reciprocal_mul_floor(room))
	}

	/// Settle a planned deposit whose pool deposit minted `conversion.lrt` pool LRT to the
	/// basket's account for `conversion.value` PAL of the depositor: value the basket, mint
	/// the tokens, record the new holding.
	pub(crate) fn settle_deposit(
		who: &T::AccountId,
		basket: BasketId,
		plan: DepositPlan<T>,
		conversion: LrtConversion<BalanceOf<T>>,
	) -> Result<DepositOutcome<BalanceOf<T>>, DispatchError> {
		let DepositPlan { record, mut pools, target, pool, taken, others_value, supply } = plan;
		let held = pools.len() as u32;
		let Some(entry) = pools.get_mut(target) else {
			defensive!("a deposit's pool is one of the basket's");
			return Err(Error::<T>::NoOpenPool.into());
		};
		let before = entry.lrt;
		let after = before.checked_add(&conversion.lrt).ok_or(Error::<T>::Overflow)?;
		// Every holding is zero or at least the LRT's minimum balance, so that every payment out
		// of the basket's account can be made (see `owed_of`).
		ensure!(after >= Self::lrt_min(pool), Error::<T>::BelowLrtMinimum);
		entry.lrt = after;

		// The basket's value before, rounded up, with the target at its rate after its deposit
		// (which can only have risen), and the value brought in, rounded down.
		let mut value_before = others_value;
		let target_value = T::Pools::lrt_value(pool, before);
		if !target_value.is_zero() {
			value_before = target_value
				.checked_add(&One::one())
				.and_then(|up| value_before.checked_add(&up))
				.ok_or(Error::<T>::Overflow)?;
		}
		let value_in = T::Pools::lrt_value(pool, conversion.lrt);
		let tokens = if supply.is_zero() {
			value_in
		} else {
			ensure!(!value_before.is_zero(), Error::<T>::BasketWipedOut);
			value_in
				.multiply_rational(supply, value_before, Rounding::Down)
				.ok_or(Error::<T>::Overflow)?
		};
		ensure!(!tokens.is_zero(), Error::<T>::NothingMinted);

		// The pool took at most what it was offered, from the depositor directly.
		ensure!(conversion.value <= taken, Error::<T>::Overflow);

		<T::Assets as fungibles::Mutate<_>>::mint_into(record.asset_id, who, tokens)?;
		BasketPools::<T>::insert(basket, pools);
		Self::deposit_event(Event::Deposited {
			who: who.clone(),
			basket,
			pool,
			amount: conversion.value,
			lrt: conversion.lrt,
			tokens,
			value_before,
			supply_before: supply,
		});
		Ok(DepositOutcome { tokens, held })
	}
}
