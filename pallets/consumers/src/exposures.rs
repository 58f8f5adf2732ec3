//! Exposure history as checkpoints written on change.
//!
//! Slashing needs the exposure of a member in the epoch of an offence, for
//! [`Config::ExposureRetention`] epochs. Instead of a copy of every member's exposure every
//! epoch, each (consumer, operator) pair keeps a short list of checkpoints
//! ([`ExposureIndex`]): from epoch `from` on, the operator is a member with key `key` and the
//! exposure stored under `(consumer, operator, from)` ([`ExposureCheckpoints`]), or not a
//! member. The transition writes a checkpoint only when a member joins, leaves, or its key, own
//! bond or pool backing changes; the exposure in force at an epoch is two reads away.
//!
//! - A checkpoint superseded before the retention window is dropped when the pair's next one is
//!   written, so a pair keeps at most `ExposureRetention + 2`.
//! - A pair whose operator left is removed `ExposureRetention` epochs after it left
//!   ([`PairPruning`], worked through in every block with the weight left), when no retained
//!   epoch can need it any more.
//! - [`KeyOwners`] maps each key used by a kept checkpoint to its operator (keys are never
//!   reused), for evidence that names a key.

use crate::*;
use frame_support::traits::Get;
use palisade_primitives::{ConsumerId, ConsumerKey, EpochIndex};

impl<T: Config> Pallet<T> {
	/// The last epoch `consumer_id`'s transition has been run for: the current epoch, or the
	/// previous one while the open transition has not reached it or is in the middle of its
	/// step (the cursor only moves past a consumer at the last page of its step).
	pub(crate) fn processed_epoch(consumer_id: ConsumerId) -> EpochIndex {
		let now = Self::now();
		let pending = Transition::<T>::get()
			.is_some_and(|cursor| cursor.last.is_none_or(|last| consumer_id > last));
		if pending {
			now.saturating_sub(1)
		} else {
			now
		}
	}

	/// Whether the exposures of `consumer_id` at `epoch` can be answered: `epoch` is retained
	/// and the consumer's transition into it has run.
	fn answers(consumer_id: ConsumerId, epoch: EpochIndex) -> bool {
		Self::is_retained(epoch) && epoch <= Self::processed_epoch(consumer_id)
	}

	/// The checkpoint of `(consumer_id, operator)` in force at `epoch`, if any.
	pub(crate) fn checkpoint_at(
		consumer_id: ConsumerId,
		operator: &T::AccountId,
		epoch: EpochIndex,
	) -> Option<Checkpoint> {
		ExposureIndex::<T>::get(consumer_id, operator)
			.into_iter()
			.rev()
			.find(|checkpoint| checkpoint.from <= epoch)
	}

	/// The exposure of `operator` in `consumer_id`'s set at `epoch`: `Some` iff it was a member
	/// of the set published for `epoch`, `epoch` is retained and the consumer was processed for
	/// it.
	pub fn exposure_at(
		epoch: EpochIndex,
		consumer_id: ConsumerId,
		operator: &T::AccountId,
	) -> Option<Exposure<T>> {
		if !Self::answers(consumer_id, epoch) {
			return None;
		}
		let checkpoint = Self::checkpoint_at(consumer_id, operator, epoch)?;
		checkpoint.key?;
		ExposureCheckpoints::<T>::get((consumer_id, operator, checkpoint.from))
	}

	/// The member of `consumer_id`'s set at `epoch` that validated with `key`, if any.
	pub fn member_of_key_at(
		epoch: EpochIndex,
		consumer_id: ConsumerId,
		key: &ConsumerKey,
	) -> Option<T::AccountId> {
		if !Self::answers(consumer_id, epoch) {
			return None;
		}
		let operator = KeyOwners::<T>::get(consumer_id, key)?;
		let checkpoint = Self::checkpoint_at(consumer_id, &operator, epoch)?;
		(checkpoint.key == Some(*key)).then_some(operator)
	}

	/// Record that from `epoch` on `operator` is a member of `consumer_id`'s set with
	/// `exposure`, or (`None`) is not. Drops the pair's checkpoints superseded before the
	/// retention window; schedules the removal of a pair that left.
	pub(crate) fn checkpoint(
		consumer_id: ConsumerId,
		operator: &T::AccountId,
		epoch: EpochIndex,
		exposure: Option<Exposure<T>>,
	) {
		let retention = T::ExposureRetention::get();
		let horizon = epoch.saturating_sub(retention);
		let mut index = ExposureIndex::<T>::get(consumer_id, operator);
		// A second checkpoint in one epoch replaces the first.
		let mut dropped = alloc::vec::Vec::new();
		while index.last().is_some_and(|last| last.from >= epoch) {
			if let Some(last) = index.pop() {
				dropped.push(last);
			}
		}
		let key = exposure.as_ref().map(|exposure| exposure.key);
		match exposure {
			Some(exposure) => {
				if !index.iter().any(|checkpoint| checkpoint.key == key) {
					KeyOwners::<T>::insert(consumer_id, exposure.key, operator);
				}
				ExposureCheckpoints::<T>::insert((consumer_id, operator, epoch), exposure);
			}
			None => {
				if index.last().is_none_or(|last| last.key.is_none()) {
					// Not a member before either (the checkpoint dropped, if any, was written
					// this epoch by a step that ends without a set): nothing to record.
					Self::forget_checkpoints(consumer_id, operator, dropped, &index);
					match index.last() {
						None => ExposureIndex::<T>::remove(consumer_id, operator),
						Some(left) => {
							// The pair's pruning may have run between two pages of the step (and
							// found the pair back): schedule it again, not before the pruning
							// position (the same entry if it is still there).
							let due =
								left.from.saturating_add(retention).max(Pruning::<T>::get().epoch);
							PairPruning::<T>::insert((due, consumer_id, operator), ());
							ExposureIndex::<T>::insert(consumer_id, operator, &index);
						}
					}
					return;
				}
				PairPruning::<T>::insert(
					(epoch.saturating_add(retention), consumer_id, operator),
					(),
				);
			}
		}
		if index.try_push(Checkpoint { from: epoch, key }).is_err() {
			frame_support::defensive!("exposure checkpoints above their bound");
			if !index.is_empty() {
				dropped.push(index.remove(0));
			}
			let _ = index.try_push(Checkpoint { from: epoch, key });
		}
		// A checkpoint is needed while the next one starts inside the retention window.
		while index.get(1).is_some_and(|next| next.from <= horizon) {
			dropped.push(index.remove(0));
		}
		Self::forget_checkpoints(consumer_id, operator, dropped, &index);
		ExposureIndex::<T>::insert(consumer_id, operator, &index);
	}

	/// Remove the exposures of `dropped` checkpoints, and the key index entries of keys no
	/// checkpoint in `kept` uses.
	fn forget_checkpoints(
		consumer_id: ConsumerId,
		operator: &T::AccountId,
		dropped: alloc::vec::Vec<Checkpoint>,
		kept: &[Checkpoint],
	) {
		for checkpoint in dropped {
			let Some(key) = checkpoint.key else { continue };
			ExposureCheckpoints::<T>::remove((consumer_id, operator, checkpoint.from));
			if !kept.iter().any(|other| other.key == Some(key)) {
				KeyOwners::<T>::remove(consumer_id, key);
			}
		}
	}

	/// Remove the history of `(consumer_id, operator)` if no retained epoch needs it: its last
	/// checkpoint says it left, at or before the oldest retained epoch. Returns the number of
	/// checkpoints removed.
	pub(crate) fn prune_pair(consumer_id: ConsumerId, operator: &T::AccountId) -> u32 {
		let index = ExposureIndex::<T>::get(consumer_id, operator);
		let Some(last) = index.last() else { return 0 };
		if last.key.is_some() || last.from > Self::oldest_retained_epoch() {
			// It came back, or is not due yet.
			return 0;
		}
		let removed = index.len() as u32;
		Self::forget_checkpoints(consumer_id, operator, index.into_inner(), &[]);
		ExposureIndex::<T>::remove(consumer_id, operator);
		removed
	}
}
