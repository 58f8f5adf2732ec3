//! Scheduled changes: recording them for an epoch, applying them once due, and the per-epoch
//! finalisation called by the pallet that runs the epoch clock.
//!
//! Every scheduled change is also applied lazily by the queries (they compare effective epochs
//! with the epoch asked about), so finalising is only tidying up storage (releasing old keys,
//! removing opt-outs, lifting jail) and emitting the matching event. It happens for an operator
//! whenever a call touches it, and for every change recorded in [`Schedule`] for an epoch when
//! [`Pallet::on_epoch_start`] runs for that epoch.

use crate::*;
use frame_support::{traits::Get, weights::Weight};
use palisade_primitives::{ConsumerId, EpochIndex};

impl<T: Config> Pallet<T> {
	/// Record that `who` has a `change` due at `epoch`, for [`Pallet::on_epoch_start`].
	///
	/// Recording the same change twice is a no-op. If the epoch already holds
	/// `MaxScheduledPerEpoch` changes, the change is not recorded (and a warning logged): it
	/// still applies lazily and is finalised by the next call touching the operator.
	pub(crate) fn schedule(epoch: EpochIndex, who: &T::AccountId, change: ScheduledChange) {
		let key = (who.clone(), change);
		if Schedule::<T>::contains_key(epoch, &key) {
			return;
		}
		let count = ScheduledCount::<T>::get(epoch);
		if count >= T::MaxScheduledPerEpoch::get() {
			log::warn!(
				target: LOG_TARGET,
				"schedule of epoch {epoch} is full; {change:?} of {who:?} will be finalised lazily",
			);
			return;
		}
		Schedule::<T>::insert(epoch, key, ());
		ScheduledCount::<T>::insert(epoch, count.saturating_add(1));
	}

	/// Finalise the changes scheduled for `epoch`: commission increases, jail ends, key
	/// rotations and opt-outs that come due at `epoch`. Processes at most
	/// `MaxScheduledPerEpoch` entries, the ones recorded for exactly this epoch, and returns
	/// the weight used.
	///
	/// Called through [`palisade_primitives::OperatorRegistry::on_new_epoch`] by the pallet
	/// that runs the epoch clock, once at the start of every epoch.
	pub fn on_epoch_start(epoch: EpochIndex) -> Weight {
		let mut processed: u32 = 0;
		for ((who, change), ()) in Schedule::<T>::drain_prefix(epoch) {
			processed = processed.saturating_add(1);
			Self::finalise(&who, change, epoch);
		}
		ScheduledCount::<T>::remove(epoch);
		T::WeightInfo::on_new_epoch(processed)
	}

	/// Apply whatever of `change` is due at `epoch` for `who`. Stale entries (operator gone,
	/// change cancelled or replaced) do nothing.
	fn finalise(who: &T::AccountId, change: ScheduledChange, epoch: EpochIndex) {
		let Some(mut record) = OperatorRecords::<T>::get(who) else { return };
		let before = record.clone();
		Self::refresh_record(who, &mut record, epoch);
		match change {
			ScheduledChange::Commission | ScheduledChange::Unjail => {}
			ScheduledChange::KeyRotation(consumer) | ScheduledChange::OptOut(consumer) => {
				Self::refresh_opt_in(who, consumer, epoch, &mut record.consumers);
			}
		}
		if record != before {
			OperatorRecords::<T>::insert(who, record);
		}
	}

	/// Apply to `record` (of `who`) what is due at `epoch`: a pending commission increase and
	/// the end of a jail. The caller writes the record back.
	pub(crate) fn refresh_record(
		who: &T::AccountId,
		record: &mut OperatorRecord<T>,
		epoch: EpochIndex,
	) {
		if let Some(pending) = record.pending_commission {
			if pending.effective <= epoch {
				record.commission = pending.commission;
				record.pending_commission = None;
				Self::deposit_event(Event::CommissionChanged {
					operator: who.clone(),
					commission: pending.commission,
					epoch: pending.effective,
				});
			}
		}
		if let OperatorStatus::Jailed { until } = record.status {
			if until <= epoch {
				record.status = OperatorStatus::Active;
				Self::deposit_event(Event::Unjailed { operator: who.clone(), epoch: until });
			}
		}
	}

	/// Apply to `who`'s opt-in to `consumer` what is due at `epoch`: a key rotation (old key
	/// released) or the opt-out (opt-in, keys and index entries removed, `consumer` taken out of
	/// `consumers`, the operator's list, which the caller writes back).
	///
	/// Returns the opt-in still in place after that, if any.
	pub(crate) fn refresh_opt_in(
		who: &T::AccountId,
		consumer: ConsumerId,
		epoch: EpochIndex,
		consumers: &mut OptedInConsumersOf<T>,
	) -> Option<OptInRecord> {
		let mut opt_in = OptIns::<T>::get(who, consumer)?;
		if let Some(leaving_at) = opt_in.leaving_at {
			if leaving_at <= epoch {
				Self::remove_opt_in(who, consumer, &opt_in, consumers);
				Self::deposit_event(Event::OptedOut {
					operator: who.clone(),
					consumer,
					epoch: leaving_at,
				});
				return None;
			}
		}
		if let Some(pending) = opt_in.pending_key {
			if pending.effective <= epoch {
				Self::release_key(who, consumer, &opt_in.key);
				opt_in.key = pending.key;
				opt_in.pending_key = None;
				OptIns::<T>::insert(who, consumer, opt_in);
				Self::deposit_event(Event::KeyRotated {
					operator: who.clone(),
					consumer,
					key: pending.key,
					epoch: pending.effective,
				});
			}
		}
		Some(opt_in)
	}

	/// Remove `who`'s opt-in to `consumer` and everything that points at it.
	fn remove_opt_in(
		who: &T::AccountId,
		consumer: ConsumerId,
		opt_in: &OptInRecord,
		consumers: &mut OptedInConsumersOf<T>,
	) {
		Self::release_key(who, consumer, &opt_in.key);
		if let Some(pending) = opt_in.pending_key {
			Self::release_key(who, consumer, &pending.key);
		}
		OptIns::<T>::remove(who, consumer);
		ConsumerOperators::<T>::mutate_exists(consumer, |maybe_operators| {
			if let Some(operators) = maybe_operators {
				operators.retain(|operator| operator != who);
				if operators.is_empty() {
					*maybe_operators = None;
				}
			}
		});
		consumers.retain(|c| *c != consumer);
	}

	/// Free `key` for `consumer` if `who` holds it.
	fn release_key(
		who: &T::AccountId,
		consumer: ConsumerId,
		key: &palisade_primitives::ConsumerKey,
	) {
		match KeyOwners::<T>::get(consumer, key) {
			Some(owner) if &owner == who => KeyOwners::<T>::remove(consumer, key),
			_ => {
				frame_support::defensive!("consumer key not owned by its operator");
			}
		}
	}
}
