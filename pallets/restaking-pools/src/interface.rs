//! What the other pallets may ask of, and do to, the pools: [`PoolsInterface`] (backing,
//! rewards, slashes, the epoch hook), and [`PoolDeposits`] (deposits on behalf of the basket
//! pallet's accounts).

use crate::*;
use alloc::vec::Vec;
use frame_support::{ensure, pallet_prelude::Weight, storage::with_storage_layer, traits::Get};
use palisade_primitives::{
	AssetId, Collateral, ConsumerId, EpochIndex, EpochProvider, LrtConversion, LrtInterface,
	PoolDeposits, PoolId, PoolsInterface,
};
use sp_runtime::{
	traits::{CheckedAdd, Zero},
	DispatchError,
};

impl<T: Config> Pallet<T> {
	/// What `lrt` of `pool` (whose books are `record`) is worth at its rate now, rounded down.
	/// A native or staked pool's LRT has the native decimals (see `do_create_pool`), so its
	/// LRT record is not read.
	pub(crate) fn value_of_lrt(
		pool: PoolId,
		record: &PoolRecordOf<T>,
		lrt: BalanceOf<T>,
	) -> BalanceOf<T> {
		let value = record.rate_value(T::EpochInfo::current_epoch());
		match record.collateral {
			Collateral::Native | Collateral::NativeStaked => {
				T::Lrt::value_of_known(pool, T::NativeDecimals::get(), lrt, value)
			}
			Collateral::Asset(_) => T::Lrt::value_of(pool, lrt, value),
		}
	}

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
			Self::move_native_to_pool(&record.account, payer, amount)?;
			let to_pot = match record.collateral {
				Collateral::Native | Collateral::NativeStaked => {
					record.active =
						record.active.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
					// A staked pool bonds its consumer rewards too.
					Self::bond_more(pool, &record, amount)?;
					false
				}
				Collateral::Asset(_) => {
					record.reward_pot =
						record.reward_pot.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
					true
				}
			};
			// They enter the rate (or the pot holders own) as they vest.
			let now = T::EpochInfo::current_epoch();
			record.vesting.add(amount, now).ok_or(Error::<T>::Overflow)?;
			let rate = T::Lrt::rate(pool, record.rate_value(now));
			Self::put_pool(pool, record);
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

	/// Slash a pool for an offence of any epoch it backed (the whole queue bears it). Returns
	/// the native value booked. See [`PoolsInterface::slash`].
	pub fn do_slash(
		pool: PoolId,
		amount: BalanceOf<T>,
		beneficiary: Option<T::AccountId>,
	) -> BalanceOf<T> {
		Self::do_slash_for_epoch(pool, amount, 0, beneficiary)
	}

	/// The epoch-start work: finalise the allocation changes due and retry owed slashes.
	/// Returns the weight used.
	pub fn do_on_new_epoch(epoch: EpochIndex) -> Weight {
		let allocations = Self::on_epoch_start(epoch);
		let retried = Self::retry_owed_slashes();
		allocations.saturating_add(T::WeightInfo::settle_slash().saturating_mul(retried.into()))
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

	fn allocated_consumers(pool: PoolId) -> alloc::vec::Vec<ConsumerId> {
		PoolConsumers::<T>::get(pool).into_inner()
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

	fn slash_for_epoch(
		pool: PoolId,
		amount: BalanceOf<T>,
		offence_epoch: EpochIndex,
		beneficiary: Option<T::AccountId>,
	) -> BalanceOf<T> {
		Self::do_slash_for_epoch(pool, amount, offence_epoch, beneficiary)
	}

	fn on_new_epoch(epoch: EpochIndex) -> Weight {
		Self::do_on_new_epoch(epoch)
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

impl<T: Config> PoolDeposits<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn is_open_native_pool(pool: PoolId) -> bool {
		Pools::<T>::get(pool).is_some_and(|record| record.is_open_native())
	}

	/// [`Pallet::do_deposit_for`] in a storage layer, for a native pool only (a native pool
	/// takes exactly the minted LRT's cost from the payer, and nothing else).
	fn deposit_for(
		payer: &T::AccountId,
		beneficiary: &T::AccountId,
		pool: PoolId,
		amount: BalanceOf<T>,
	) -> Result<LrtConversion<BalanceOf<T>>, DispatchError> {
		with_storage_layer(|| {
			let record = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
			ensure!(record.collateral == Collateral::Native, Error::<T>::InvalidCollateral);
			let (conversion, _) = Self::do_deposit_for(payer, beneficiary, pool, amount)?;
			Ok(conversion)
		})
	}

	fn lrt_asset_id(pool: PoolId) -> AssetId {
		T::Lrt::asset_id(pool)
	}

	fn lrt_value(pool: PoolId, lrt: BalanceOf<T>) -> BalanceOf<T> {
		Pools::<T>::get(pool)
			.map(|record| Self::value_of_lrt(pool, &record, lrt))
			.unwrap_or_default()
	}

	/// One read of the pool's books for both answers (a basket values every pool it holds
	/// on each deposit).
	fn held_pool_view(pool: PoolId, lrt: BalanceOf<T>) -> (BalanceOf<T>, bool) {
		let Some(record) = Pools::<T>::get(pool) else { return (Zero::zero(), false) };
		let value =
			if lrt.is_zero() { Zero::zero() } else { Self::value_of_lrt(pool, &record, lrt) };
		(value, record.is_open_native())
	}

	fn deposit_as_weight() -> Weight {
		T::WeightInfo::deposit_native()
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn native_pool_for_benchmarks() -> Result<PoolId, DispatchError> {
		use frame_support::traits::fungible::Mutate;
		use sp_runtime::traits::{Bounded, Saturating};

		let curator: T::AccountId =
			frame_benchmarking::account("basket-pool-curator", NextPoolId::<T>::get(), 0);
		let funds = T::PoolDeposit::get()
			.saturating_mul(2u32.into())
			.saturating_add(Self::native_ed().saturating_mul(100u32.into()))
			.saturating_add(1_000_000u32.into());
		T::Currency::set_balance(&curator, funds);
		Self::do_create_pool(
			&curator,
			Collateral::Native,
			Default::default(),
			BalanceOf::<T>::max_value(),
		)
	}
}
