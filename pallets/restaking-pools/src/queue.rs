//! The withdrawal queue, in buckets per request epoch.
//!
//! A request made in epoch `r` backed the pool's allocations up to epoch `r` (the exposure of
//! epoch `r` was snapshotted with it) and nothing later, so it must bear the slashes for
//! offences of epochs `≤ r` and no other. Requests of the same epoch share a bucket
//! ([`QueueBucket`], value shared out by points, O(1) per slash as before); a slash for an
//! offence of epoch `e` takes from the buckets whose requests were made in epoch `e` or later.
//!
//! **Bounded.** A bucket whose requests are all claimable (`WithdrawalDelay` epochs after its
//! last request) is *matured* as soon as no slash of the pool for an offence it backed (of an
//! epoch up to its last epoch) is pending: an offence it backed
//! (epoch `≤ r`) can no longer be reported, since the report window plus the veto delay is
//! shorter than the withdrawal delay. A matured bucket stays in storage until its requests are
//! claimed but is no longer looked at by slashes. So a slash reads at most the live buckets,
//! at most [`Config::MaxQueueBuckets`] (≥ `WithdrawalDelay + 1`, one per epoch of the delay).
//! If slashes stay pending so long that the list fills up, new requests join the newest bucket
//! instead, which then bears the offences up to the current epoch: such requests bear more than
//! they should, never less.

use crate::*;
use frame_support::{defensive, traits::Get};
use palisade_primitives::{EpochIndex, PendingSlashes, PoolId};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError,
};

impl<T: Config> Pallet<T> {
	/// Move the live buckets of `pool` whose requests are all claimable at `now` out of the
	/// slashable list, unless a slash of the pool for an offence they backed (of an epoch up to
	/// their last epoch) is pending. A pending slash for a later offence would not take from
	/// them anyway (see [`Self::slashable_buckets`]).
	pub(crate) fn mature_buckets(pool: PoolId, now: EpochIndex) {
		// A staked pool's queue stays bonded in NPoS staking, which may slash it until the
		// requests leave it: its buckets stay live (see `staking.rs`).
		if StakedPools::<T>::contains_key(pool) {
			return;
		}
		let mut live = LiveBuckets::<T>::get(pool);
		if live.is_empty() {
			return;
		}
		let before = live.len();
		live.retain(|key| {
			QueueBuckets::<T>::get(pool, key).is_some_and(|bucket| {
				bucket.last_epoch.saturating_add(T::WithdrawalDelay::get()) > now
					|| T::PendingSlashes::pool_has_pending_through(pool, bucket.last_epoch)
			})
		});
		if live.len() != before {
			Self::store_live(pool, live);
		}
	}

	/// Add a request worth `value` made at `now` to `pool`'s queue. Returns the bucket it
	/// joined, its points and the bucket's era.
	pub(crate) fn join_queue(
		pool: PoolId,
		value: BalanceOf<T>,
		now: EpochIndex,
	) -> Result<(EpochIndex, BalanceOf<T>, u32), DispatchError> {
		Self::mature_buckets(pool, now);
		let mut live = LiveBuckets::<T>::get(pool);
		let newest = live
			.last()
			.copied()
			.and_then(|key| QueueBuckets::<T>::get(pool, key).map(|bucket| (key, bucket)));
		let (key, mut bucket) = match newest {
			// This epoch's bucket.
			Some((key, bucket)) if bucket.last_epoch == now => (key, bucket),
			// No room for another bucket: join the newest, which now bears offences up to `now`.
			Some((key, bucket)) if live.is_full() => (key, bucket),
			_ => {
				live.try_push(now).map_err(|_| Error::<T>::Overflow)?;
				Self::store_live(pool, live);
				(now, QueueBucket::default())
			}
		};
		let points = bucket.queue.join(value).ok_or(Error::<T>::Overflow)?;
		bucket.last_epoch = now;
		bucket.requests = bucket.requests.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let era = bucket.queue.era;
		QueueBuckets::<T>::insert(pool, key, bucket);
		Ok((key, points, era))
	}

	/// Remove `request` from `pool`'s queue. Returns `(paid, leftover)`: what the request is
	/// paid (at most its value at request; zero if slashes wiped its bucket out since), and
	/// value no request owns any more (rounding dust, once the bucket's last request leaves),
	/// to be given back to the active stake. Both leave the queue.
	pub(crate) fn leave_queue(
		pool: PoolId,
		request: &WithdrawalRequestOf<T>,
	) -> (BalanceOf<T>, BalanceOf<T>) {
		let Some(mut bucket) = QueueBuckets::<T>::get(pool, request.bucket) else {
			defensive!("a withdrawal request's queue bucket is missing");
			return (Zero::zero(), Zero::zero());
		};
		let (paid, mut leftover) = if request.queue_era == bucket.queue.era {
			bucket.queue.leave(request.points, request.value_at_request)
		} else {
			(Zero::zero(), Zero::zero())
		};
		bucket.requests = bucket.requests.saturating_sub(1);
		if bucket.requests == 0 {
			leftover = leftover.saturating_add(bucket.queue.value);
			QueueBuckets::<T>::remove(pool, request.bucket);
			let mut live = LiveBuckets::<T>::get(pool);
			let before = live.len();
			live.retain(|key| *key != request.bucket);
			if live.len() != before {
				Self::store_live(pool, live);
			}
		} else {
			QueueBuckets::<T>::insert(pool, request.bucket, bucket);
		}
		(paid, leftover)
	}

	/// The live buckets of `pool` a slash for an offence of `offence_epoch` may take from:
	/// those with a request made in `offence_epoch` or later.
	pub(crate) fn slashable_buckets(
		pool: PoolId,
		offence_epoch: EpochIndex,
	) -> alloc::vec::Vec<(EpochIndex, QueueBucketOf<T>)> {
		LiveBuckets::<T>::get(pool)
			.into_iter()
			.filter_map(|key| {
				QueueBuckets::<T>::get(pool, key)
					.filter(|bucket| bucket.last_epoch >= offence_epoch)
					.map(|bucket| (key, bucket))
			})
			.collect()
	}

	/// Store `pool`'s live bucket list, removing the key when empty.
	fn store_live(pool: PoolId, live: LiveBucketsOf<T>) {
		if live.is_empty() {
			LiveBuckets::<T>::remove(pool);
		} else {
			LiveBuckets::<T>::insert(pool, live);
		}
	}
}
