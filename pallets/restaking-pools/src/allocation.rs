//! Allocations of pool stake to (operator, consumer) pairs: scheduling, finalisation at epoch
//! starts, and the backing queries.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	ensure,
	pallet_prelude::{DispatchResult, Weight},
	traits::Get,
};
use palisade_primitives::{
	ChangeNotes, ChangeSubject, ConsumerId, EpochIndex, EpochProvider, OperatorRegistry, PoolId,
};
use sp_runtime::{traits::Zero, DispatchError, Perbill};

impl<T: Config> Pallet<T> {
	/// Schedule an allocation change. Returns the number of entries the pool had for the
	/// consumer (the weight component: decoding, scanning and encoding the list; its storage
	/// accesses do not depend on it). See [`Pallet::set_allocation`].
	pub(crate) fn do_set_allocation(
		who: &T::AccountId,
		pool: PoolId,
		operator: T::AccountId,
		consumer: ConsumerId,
		fraction: Perbill,
	) -> Result<u32, DispatchError> {
		Self::curated_pool(who, pool)?;
		let now = T::EpochInfo::current_epoch();
		let mut entries = Allocations::<T>::get(pool, consumer);
		let weight_entries = (entries.len() as u32).max(1);
		Self::settle_entries(pool, consumer, &operator, &mut entries, now);

		let position = entries.iter().position(|entry| entry.operator == operator);
		let current = position
			.and_then(|index| entries.get(index))
			.map_or_else(Perbill::zero, |entry| entry.current);

		if fraction == current {
			let entry = position
				.and_then(|index| entries.get_mut(index))
				.filter(|entry| entry.pending.is_some())
				.ok_or(Error::<T>::AllocationUnchanged)?;
			entry.pending = None;
			Self::drop_void_entries(pool, consumer, &mut entries);
			Self::store_entries(pool, consumer, entries);
			Self::deposit_event(Event::AllocationChangeCancelled {
				pool,
				consumer,
				operator,
				current,
			});
			return Ok(weight_entries);
		}

		ensure!(
			fraction.is_zero() || fraction >= T::MinAllocation::get(),
			Error::<T>::AllocationTooSmall
		);
		let effective = if fraction > current {
			ensure!(T::Operators::is_opted_in(&operator, consumer, now), Error::<T>::NotOptedIn);
			ensure!(T::Operators::accepts_pool(&operator, pool), Error::<T>::PoolNotAccepted);
			now.saturating_add(1)
		} else {
			now.saturating_add(T::DeallocationDelay::get())
		};
		let pending = Some(PendingAllocation { fraction, effective });
		match position.and_then(|index| entries.get_mut(index)) {
			Some(entry) => entry.pending = pending,
			None => {
				entries
					.try_push(AllocationEntry { operator: operator.clone(), current, pending })
					.map_err(|_| Error::<T>::TooManyOperators)?;
				Self::add_pair_pool(consumer, &operator, pool)?;
				Self::add_pool_consumer(pool, consumer)?;
			}
		}
		// Epoch-aware: a due change left unsettled (see `settle_entries`) counts at the
		// fraction in force, not at the one it replaced.
		ensure!(
			sum_parts(entries.iter().map(|entry| entry.peak_at(now))) <= FULL_PARTS,
			Error::<T>::OverAllocated
		);
		Self::store_entries(pool, consumer, entries);
		Self::schedule(effective, pool, consumer, &operator);
		T::Changes::note_change(ChangeSubject::Consumer(consumer), effective);
		Self::deposit_event(Event::AllocationScheduled {
			pool,
			consumer,
			operator,
			current,
			fraction,
			effective_epoch: effective,
		});
		Ok(weight_entries)
	}

	/// Finalise the allocation changes scheduled for `epoch`. Called by the epoch clock's
	/// pallet through [`PoolsInterface::on_new_epoch`]. Returns the weight used.
	///
	/// [`PoolsInterface::on_new_epoch`]: palisade_primitives::PoolsInterface::on_new_epoch
	pub fn on_epoch_start(epoch: EpochIndex) -> Weight {
		let scheduled = AllocationSchedule::<T>::take(epoch);
		let count = scheduled.len() as u32;
		for (pool, consumer, operator) in scheduled {
			let mut entries = Allocations::<T>::get(pool, consumer);
			let Some(entry) = entries.iter_mut().find(|entry| entry.operator == operator) else {
				// Removed since it was scheduled.
				continue;
			};
			// A change whose own epoch's schedule was full is finalised here, at the first
			// later epoch that had room (see `schedule`): it has been in force since its
			// effective epoch all the same, which the event reports.
			if let Some(change) = entry.settle(epoch) {
				Self::deposit_event(Event::AllocationChanged {
					pool,
					consumer,
					operator,
					fraction: change.fraction,
					epoch: change.effective,
				});
			}
			Self::drop_void_entries(pool, consumer, &mut entries);
			Self::store_entries(pool, consumer, entries);
		}
		T::WeightInfo::on_new_epoch(count)
	}

	/// The native-valued stake `pool` backs `(operator, consumer)` with at `epoch`: zero while
	/// the pool owes a slash.
	pub fn pool_backing(
		pool: PoolId,
		operator: &T::AccountId,
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> BalanceOf<T> {
		let Some(record) = Pools::<T>::get(pool) else {
			return Zero::zero();
		};
		// A pool owing a slash it could not pay counts as no security until it has paid.
		if !record.owed.is_zero() {
			return Zero::zero();
		}
		let fraction = Allocations::<T>::get(pool, consumer)
			.iter()
			.find(|entry| &entry.operator == operator)
			.map_or_else(Perbill::zero, |entry| entry.fraction_at(epoch));
		if fraction.is_zero() {
			return Zero::zero();
		}
		fraction.mul_floor(Self::to_native(record.collateral, record.active))
	}

	/// Every pool backing `(operator, consumer)` at `epoch` with a non-zero stake.
	pub fn pair_backing(
		operator: &T::AccountId,
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> Vec<(PoolId, BalanceOf<T>)> {
		PairPools::<T>::get(consumer, operator)
			.into_iter()
			.filter_map(|pool| {
				let stake = Self::pool_backing(pool, operator, consumer, epoch);
				(!stake.is_zero()).then_some((pool, stake))
			})
			.collect()
	}

	/// Apply the change of `operator`'s entry if it is due at `epoch`, and those of at most
	/// [`MAX_OTHERS_SETTLED`] other entries that are due (each with an event), then drop the
	/// entries left allocating nothing, with their `PairPools` entries.
	///
	/// The epoch starts finalise every change whose schedule had room, so due entries are only
	/// left here when every schedule tried was full; reads do not need them settled. No stored
	/// entry is void (an invariant), so only the settled ones can be dropped: at most
	/// `1 + MAX_OTHERS_SETTLED` `PairPools` writes, however many entries are due.
	fn settle_entries(
		pool: PoolId,
		consumer: ConsumerId,
		operator: &T::AccountId,
		entries: &mut AllocationsOf<T>,
		epoch: EpochIndex,
	) {
		let mut others = 0u32;
		for entry in entries.iter_mut() {
			if entry.operator != *operator {
				if others >= MAX_OTHERS_SETTLED || !entry.is_due(epoch) {
					continue;
				}
				others = others.saturating_add(1);
			}
			if let Some(change) = entry.settle(epoch) {
				Self::deposit_event(Event::AllocationChanged {
					pool,
					consumer,
					operator: entry.operator.clone(),
					fraction: change.fraction,
					epoch: change.effective,
				});
			}
		}
		Self::drop_void_entries(pool, consumer, entries);
	}

	/// Drop the entries allocating nothing now or later, and their reverse index entries.
	fn drop_void_entries(pool: PoolId, consumer: ConsumerId, entries: &mut AllocationsOf<T>) {
		entries.retain(|entry| {
			if entry.is_void() {
				Self::remove_pair_pool(consumer, &entry.operator, pool);
				false
			} else {
				true
			}
		});
	}

	/// Store `entries`, removing the key (and the consumer from the pool's list) if empty.
	fn store_entries(pool: PoolId, consumer: ConsumerId, entries: AllocationsOf<T>) {
		if entries.is_empty() {
			Allocations::<T>::remove(pool, consumer);
			PoolConsumers::<T>::mutate_exists(pool, |consumers| {
				if let Some(list) = consumers {
					list.retain(|listed| *listed != consumer);
					if list.is_empty() {
						*consumers = None;
					}
				}
			});
		} else {
			Allocations::<T>::insert(pool, consumer, entries);
		}
	}

	/// Add `consumer` to the consumers `pool` allocates to.
	pub(crate) fn add_pool_consumer(pool: PoolId, consumer: ConsumerId) -> DispatchResult {
		PoolConsumers::<T>::try_mutate(pool, |consumers| {
			if !consumers.contains(&consumer) {
				consumers.try_push(consumer).map_err(|_| Error::<T>::TooManyConsumers)?;
			}
			Ok(())
		})
	}

	/// Add `pool` to the pools allocating to `(consumer, operator)`, keeping the list sorted.
	pub(crate) fn add_pair_pool(
		consumer: ConsumerId,
		operator: &T::AccountId,
		pool: PoolId,
	) -> DispatchResult {
		PairPools::<T>::try_mutate(consumer, operator, |pools| {
			if let Err(index) = pools.binary_search(&pool) {
				pools.try_insert(index, pool).map_err(|_| Error::<T>::TooManyPools)?;
			}
			Ok(())
		})
	}

	/// Remove `pool` from the pools allocating to `(consumer, operator)`.
	fn remove_pair_pool(consumer: ConsumerId, operator: &T::AccountId, pool: PoolId) {
		PairPools::<T>::mutate_exists(consumer, operator, |pools| {
			if let Some(list) = pools {
				list.retain(|listed| *listed != pool);
				if list.is_empty() {
					*pools = None;
				}
			}
		});
	}

	/// Schedule the finalisation of `(pool, consumer, operator)`'s change, effective at
	/// `effective`: at `effective` if its schedule has room, else at the first of the next
	/// [`MAX_SCHEDULE_SPILL`] epochs whose schedule has room (the change takes effect at
	/// `effective` all the same: reads compare epochs; only the finalisation, which frees the
	/// pair slot of a change to zero, and its event come later). Nothing is written where the
	/// key is already scheduled, nor to a full schedule. If every schedule tried is full the
	/// change still applies (lazily) and is finalised by a later `set_allocation` of the pool
	/// and consumer (which settles [`MAX_OTHERS_SETTLED`] due changes besides its own).
	fn schedule(
		effective: EpochIndex,
		pool: PoolId,
		consumer: ConsumerId,
		operator: &T::AccountId,
	) {
		let key = (pool, consumer, operator.clone());
		for offset in 0..=MAX_SCHEDULE_SPILL {
			let epoch = effective.saturating_add(offset);
			let mut scheduled = AllocationSchedule::<T>::get(epoch);
			if scheduled.contains(&key) {
				return;
			}
			if scheduled.try_push(key.clone()).is_ok() {
				AllocationSchedule::<T>::insert(epoch, scheduled);
				return;
			}
		}
		log::debug!(
			target: LOG_TARGET,
			"schedules of epochs {effective} to {} full; allocation change of pool {pool} \
			 applies lazily",
			effective.saturating_add(MAX_SCHEDULE_SPILL),
		);
	}
}
