//! What the other pallets may ask of, and do to, the pools: [`PoolsInterface`] (backing,
//! rewards, slashes, the epoch hook).

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	defensive, ensure, pallet_prelude::Weight, storage::with_storage_layer, traits::Get,
};
use palisade_primitives::{
	Collateral, ConsumerId, EpochIndex, LrtInterface, PoolId, PoolsInterface,
};
use sp_arithmetic::{MultiplyRational, Rounding};
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	DispatchError,
};

impl<T: Config> Pallet<T> {
	/// Add native rewards to a pool. See [`PoolsInterface::add_rewards`].
	pub fn do_add_rewards(
		pool: PoolId,
		payer: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		with_storage_layer(|| {
			let mut record = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			ensure!(!T::Lrt::supply(pool).is_zero(), Error::<T>::NoLrtHolders);
			Self::hold_native_in_pool(pool, payer, amount)?;
			let to_pot = match record.collateral {
				Collateral::Native => {
					record.active =
						record.active.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
					false
				}
				Collateral::Asset(_) => {
					record.reward_pot =
						record.reward_pot.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
					true
				}
			};
			let rate = T::Lrt::rate(pool, record.active);
			Pools::<T>::insert(pool, record);
			Self::deposit_event(Event::RewardsAdded {
				pool,
				payer: payer.clone(),
				amount,
				to_pot,
				rate,
			});
			Ok(amount)
		})
	}

	/// Slash a pool. Returns the native value taken. See [`PoolsInterface::slash`].
	pub fn do_slash(
		pool: PoolId,
		amount: BalanceOf<T>,
		beneficiary: Option<T::AccountId>,
	) -> BalanceOf<T> {
		let Some(mut record) = Pools::<T>::get(pool) else {
			return Zero::zero();
		};
		if amount.is_zero() {
			return Zero::zero();
		}
		// Collateral units, rounded up: the pool loses at least the native amount's worth.
		let Some(wanted) = Self::from_native_rounding_up(record.collateral, amount) else {
			// No valuation: the pool backs nothing, so it owes nothing.
			return Zero::zero();
		};
		let total = record.active.saturating_add(record.queue.value);
		let taken = wanted.min(total);
		if taken.is_zero() {
			return Zero::zero();
		}
		// Pro rata, the queue's share rounded up: leaving never pays off, even by a unit.
		let from_queue = taken
			.multiply_rational(record.queue.value, total, Rounding::Up)
			.unwrap_or(record.queue.value)
			.min(record.queue.value);
		let from_active = taken.saturating_sub(from_queue).min(record.active);
		let taken = from_active.saturating_add(from_queue);

		let seized = with_storage_layer(|| {
			Self::seize_collateral(pool, record.collateral, taken, beneficiary.as_ref())
		});
		let paid_to_beneficiary = match seized {
			Ok(paid) => paid,
			Err(error) => {
				defensive!("a pool's recorded funds could not be seized");
				log::error!(target: LOG_TARGET, "slash of pool {pool} failed: {error:?}");
				return Zero::zero();
			}
		};
		record.active = record.active.saturating_sub(from_active);
		let wiped = record.queue.slash(from_queue);
		let era = record.queue.era;
		let taken_native = Self::to_native(record.collateral, taken).min(amount);
		let rate = T::Lrt::rate(pool, record.active);
		Pools::<T>::insert(pool, record);
		Self::deposit_event(Event::PoolSlashed {
			pool,
			requested: amount,
			taken,
			from_active,
			from_queue,
			taken_native,
			beneficiary: beneficiary.filter(|_| paid_to_beneficiary),
			rate,
		});
		if wiped {
			Self::deposit_event(Event::WithdrawalQueueWipedOut { pool, era });
		}
		taken_native
	}
}

impl<T: Config> PoolsInterface<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn pool_exists(pool: PoolId) -> bool {
		Pools::<T>::contains_key(pool)
	}

	fn backing_of(
		pool: PoolId,
		operator: &T::AccountId,
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> BalanceOf<T> {
		Self::pool_backing(pool, operator, consumer, epoch)
	}

	fn backing(
		operator: &T::AccountId,
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> Vec<(PoolId, BalanceOf<T>)> {
		Self::pair_backing(operator, consumer, epoch)
	}

	fn max_pools_per_operator() -> u32 {
		T::MaxPoolsPerOperator::get()
	}

	fn add_rewards(
		pool: PoolId,
		payer: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		Self::do_add_rewards(pool, payer, amount)
	}

	fn slash(
		pool: PoolId,
		amount: BalanceOf<T>,
		beneficiary: Option<T::AccountId>,
	) -> BalanceOf<T> {
		Self::do_slash(pool, amount, beneficiary)
	}

	fn on_new_epoch(epoch: EpochIndex) -> Weight {
		Self::on_epoch_start(epoch)
	}

	fn add_rewards_weight() -> Weight {
		T::WeightInfo::add_rewards()
	}

	fn slash_weight() -> Weight {
		T::WeightInfo::slash()
	}

	fn backing_weight() -> Weight {
		T::WeightInfo::backing(T::MaxPoolsPerOperator::get())
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn back_for_benchmarks(
		operator: &T::AccountId,
		consumer: ConsumerId,
		amount: BalanceOf<T>,
	) -> Result<PoolId, DispatchError> {
		use frame_support::traits::fungible::Mutate;
		use sp_runtime::{
			traits::{Bounded, Saturating},
			Perbill,
		};

		let curator: T::AccountId =
			frame_benchmarking::account("pool-curator", NextPoolId::<T>::get(), 0);
		let funds = amount
			.saturating_mul(2u32.into())
			.saturating_add(T::PoolDeposit::get().saturating_mul(2u32.into()))
			.saturating_add(Self::native_ed().saturating_mul(100u32.into()))
			.saturating_add(1_000_000u32.into());
		T::Currency::set_balance(&curator, funds);
		let pool = Self::do_create_pool(
			&curator,
			Collateral::Native,
			Default::default(),
			BalanceOf::<T>::max_value(),
		)?;
		Self::do_deposit(&curator, pool, amount)?;
		let entries: AllocationsOf<T> = alloc::vec![AllocationEntry {
			operator: operator.clone(),
			current: Perbill::one(),
			pending: None,
		}]
		.try_into()
		.map_err(|_| Error::<T>::TooManyOperators)?;
		Allocations::<T>::insert(pool, consumer, entries);
		Self::add_pool_consumer(pool, consumer)?;
		Self::add_pair_pool(consumer, operator, pool)?;
		Ok(pool)
	}
}
