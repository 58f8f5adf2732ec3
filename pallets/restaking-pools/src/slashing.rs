//! Slashing pools: booked at once, paid out now or owed until it can be.
//!
//! A slash lowers the pool's books (active value and the withdrawal queue buckets that backed
//! the offence epoch) at once, whether or not the collateral can move: every LRT and every
//! queued request is worth less immediately. The collateral is then paid to the beneficiary
//! (or burnt). If that is impossible (the asset's issuer froze the asset or the pool account,
//! or started destroying the asset), the amount is **owed** ([`OwedSlashes`]): it stays in the
//! pool account, owned by nobody in the pool, the pool backs nothing while it owes, and the
//! payment is retried at every epoch start and by anyone through `settle_slash`. A slash is
//! converted with the asset's current valuation, or the last one governance set if it was
//! removed since: removing a valuation does not cancel a slash.

use crate::*;
use frame_support::{
	ensure, pallet_prelude::DispatchResult, storage::with_storage_layer, traits::Get,
};
use palisade_primitives::{Collateral, EpochIndex, EpochProvider, LrtInterface, PoolId};
use sp_arithmetic::{MultiplyRational, Rounding};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Slash `pool` by the native-valued `amount` for an offence of `offence_epoch`. Returns
	/// the native value booked against the pool (paid now or owed). See
	/// [`palisade_primitives::PoolsInterface::slash_for_epoch`].
	pub fn do_slash_for_epoch(
		pool: PoolId,
		amount: BalanceOf<T>,
		offence_epoch: EpochIndex,
		beneficiary: Option<T::AccountId>,
	) -> BalanceOf<T> {
		Self::slash_books(pool, amount, offence_epoch, beneficiary, true)
	}

	/// Take the native-valued `amount` from `pool`'s active value and the queue buckets that
	/// backed `offence_epoch`, pro rata, and pay it out (or owe it). Returns the native value
	/// booked. A staked pool's stake taken is then unbonded in staking's ledger when
	/// `unbond_taken` (a service slash); an NPoS slash already took it from the ledger.
	pub(crate) fn slash_books(
		pool: PoolId,
		amount: BalanceOf<T>,
		offence_epoch: EpochIndex,
		beneficiary: Option<T::AccountId>,
		unbond_taken: bool,
	) -> BalanceOf<T> {
		let Some(mut record) = Pools::<T>::get(pool) else {
			return Zero::zero();
		};
		if amount.is_zero() {
			return Zero::zero();
		}
		let valuation = Self::slash_valuation(record.collateral);
		// Collateral units, rounded up: the pool loses at least the native amount's worth.
		let Some(wanted) = Self::from_native_at(valuation, amount) else {
			// The asset never had a valuation: the pool never backed anything.
			return Zero::zero();
		};
		let mut buckets = Self::slashable_buckets(pool, offence_epoch);
		let eligible = buckets.iter().fold(BalanceOf::<T>::zero(), |sum, (_, bucket)| {
			sum.saturating_add(bucket.queue.value)
		});
		let total = record.active.saturating_add(eligible);
		let taken = wanted.min(total);
		if taken.is_zero() {
			return Zero::zero();
		}
		// Pro rata over the active stake and each eligible bucket, the buckets' shares rounded
		// up: leaving never pays off, even by a unit.
		let mut from_queue = BalanceOf::<T>::zero();
		let mut wiped_eras = alloc::vec::Vec::new();
		for (key, bucket) in buckets.iter_mut() {
			let value = bucket.queue.value;
			let share = taken
				.multiply_rational(value, total, Rounding::Up)
				.unwrap_or(value)
				.min(value)
				.min(taken.saturating_sub(from_queue));
			if share.is_zero() {
				continue;
			}
			from_queue = from_queue.saturating_add(share);
			if bucket.queue.slash(share) {
				wiped_eras.push(bucket.queue.era);
			}
			QueueBuckets::<T>::insert(pool, *key, *bucket);
		}
		let from_active = taken.saturating_sub(from_queue).min(record.active);
		let taken = from_active.saturating_add(from_queue);
		let active_before = record.active;
		record.active = record.active.saturating_sub(from_active);
		// Rewards still vesting in the active stake bear the slash pro rata with the rest.
		if !matches!(record.collateral, Collateral::Asset(_)) {
			record.vesting.scale(active_before, record.active);
		}
		record.queued = record.queued.saturating_sub(from_queue);

		let seized = with_storage_layer(|| {
			Self::seize_collateral(
				pool,
				&record.account,
				record.collateral,
				taken,
				beneficiary.as_ref(),
			)
		});
		let paid_to = match seized {
			Ok(to_beneficiary) => beneficiary.clone().filter(|_| to_beneficiary),
			Err(error) => {
				log::warn!(
					target: LOG_TARGET,
					"slash of pool {pool} cannot be paid out now ({error:?}); it is owed",
				);
				record.owed = record.owed.saturating_add(taken);
				Self::owe(pool, taken, beneficiary.clone());
				Self::deposit_event(Event::SlashOwed {
					pool,
					amount: taken,
					beneficiary: beneficiary.clone(),
				});
				None
			}
		};
		let taken_native = Self::to_native_at(valuation, taken).min(amount);
		if unbond_taken {
			Self::unbond_slashed(pool, &record, taken);
		}
		let rate = T::Lrt::rate(pool, record.rate_value(T::EpochInfo::current_epoch()));
		Self::put_pool(pool, record);
		Self::deposit_event(Event::PoolSlashed {
			pool,
			requested: amount,
			taken,
			from_active,
			from_queue,
			taken_native,
			beneficiary: paid_to,
			rate,
		});
		for era in wiped_eras {
			Self::deposit_event(Event::WithdrawalQueueWipedOut { pool, era });
		}
		taken_native
	}

	/// Record that `pool` owes `amount` collateral units to `beneficiary`. Entries for the same
	/// beneficiary are merged; the last slot is kept for `None` (burn), so when the list is full
	/// the excess is burnt rather than paid to somebody else.
	pub(crate) fn owe(pool: PoolId, amount: BalanceOf<T>, beneficiary: Option<T::AccountId>) {
		OwedSlashes::<T>::mutate(pool, |maybe_entries| {
			let entries = maybe_entries.get_or_insert_with(Default::default);
			let beneficiary = if beneficiary.is_some()
				&& !entries.iter().any(|(owed_to, _)| *owed_to == beneficiary)
				&& entries.len() >= MAX_OWED_ENTRIES.saturating_sub(1) as usize
			{
				None
			} else {
				beneficiary
			};
			if let Some(entry) = entries.iter_mut().find(|(owed_to, _)| *owed_to == beneficiary) {
				entry.1 = entry.1.saturating_add(amount);
			} else if entries.try_push((beneficiary, amount)).is_err() {
				frame_support::defensive!("the last owed-slash slot is kept for burning");
			}
		});
	}

	/// Pay out what `pool` owes, as far as possible: its first [`MAX_SETTLED_PER_CALL`] debts
	/// (the others wait for the next call). Fails if nothing could be paid. See
	/// [`Pallet::settle_slash`].
	pub(crate) fn do_settle_slash(pool: PoolId) -> DispatchResult {
		let mut record = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
		let entries = OwedSlashes::<T>::get(pool).ok_or(Error::<T>::NothingSettled)?;
		let mut remaining = OwedSlashOf::<T>::default();
		let mut settled = false;
		for (index, (beneficiary, amount)) in entries.into_iter().enumerate() {
			if index >= MAX_SETTLED_PER_CALL as usize {
				if remaining.try_push((beneficiary, amount)).is_err() {
					frame_support::defensive!("as many entries as before");
				}
				continue;
			}
			let seized = with_storage_layer(|| {
				Self::seize_collateral(
					pool,
					&record.account,
					record.collateral,
					amount,
					beneficiary.as_ref(),
				)
			});
			match seized {
				Ok(to_beneficiary) => {
					settled = true;
					record.owed = record.owed.saturating_sub(amount);
					Self::deposit_event(Event::OwedSlashSettled {
						pool,
						amount,
						beneficiary: beneficiary.filter(|_| to_beneficiary),
					});
				}
				Err(_) => {
					if remaining.try_push((beneficiary, amount)).is_err() {
						frame_support::defensive!("as many entries as before");
					}
				}
			}
		}
		ensure!(settled, Error::<T>::NothingSettled);
		if remaining.is_empty() {
			OwedSlashes::<T>::remove(pool);
		} else {
			OwedSlashes::<T>::insert(pool, remaining);
		}
		Self::put_pool(pool, record);
		Ok(())
	}

	/// Retry up to `MaxSlashRetriesPerEpoch` owed slashes. Returns how many pools were tried.
	pub(crate) fn retry_owed_slashes() -> u32 {
		let pools: alloc::vec::Vec<PoolId> = OwedSlashes::<T>::iter_keys()
			.take(T::MaxSlashRetriesPerEpoch::get() as usize)
			.collect();
		let tried = pools.len() as u32;
		for pool in pools {
			// Failing to settle is the expected outcome while the asset stays frozen.
			let _ = with_storage_layer(|| Self::do_settle_slash(pool));
		}
		tried
	}
}
