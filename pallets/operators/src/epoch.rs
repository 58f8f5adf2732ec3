//! Scheduled changes: recording them for an epoch, applying them once due, and the per-epoch
//! finalisation called by the pallet that runs the epoch clock.
//!
//! Every scheduled change is also applied lazily by the queries (they compare effective epochs
//! with the epoch asked about), so finalising is tidying up storage (releasing old keys,
//! removing opt-outs, which frees the consumer's operator slot, lifting jail) and emitting the
//! matching event. It happens for an operator whenever a call touches it, and for every change
//! recorded in [`Schedule`]: by [`Pallet::on_epoch_start`] when its epoch starts and, for what
//! does not fit in `MaxFinalisedPerBlock`, by `on_initialize` in the following blocks. Every
//! scheduled change is finalised, however many an epoch has.

use crate::*;
use alloc::vec::Vec;
use frame_support::{traits::Get, weights::Weight};
use palisade_primitives::{ConsumerId, EpochIndex, EpochProvider};

impl<T: Config> Pallet<T> {
	/// Record that `who` has a `change` due at `epoch`, for [`Pallet::on_epoch_start`].
	///
	/// Recording the same change twice is a no-op. Every change is recorded, however many an
	/// epoch already has (each was paid for by a call, or set by the slashing pallet): the
	/// finalisation spreads them over blocks. An epoch already finalised (before
	/// [`FinaliseCursor`]) is replaced by the cursor's epoch, so nothing is left behind it.
	pub(crate) fn schedule(epoch: EpochIndex, who: &T::AccountId, change: ScheduledChange) {
		let epoch = epoch.max(FinaliseCursor::<T>::get());
		let key = (who.clone(), change);
		if Schedule::<T>::contains_key(epoch, &key) {
			return;
		}
		Schedule::<T>::insert(epoch, key, ());
		ScheduledCount::<T>::mutate(epoch, |count| *count = count.saturating_add(1));
	}

	/// Finalise the changes scheduled up to `epoch`: commission increases, jail ends, key
	/// rotations and opt-outs that come due by `epoch`, oldest epoch first, at most
	/// `MaxFinalisedPerBlock` of them (and at most as many epochs looked at). What is left is
	/// finalised by `on_initialize` in the next blocks ([`Self::finalise_backlog`]). Returns
	/// the weight used.
	///
	/// Called through [`palisade_primitives::OperatorRegistry::on_new_epoch`] by the pallet
	/// that runs the epoch clock, once at the start of every epoch.
	pub fn on_epoch_start(epoch: EpochIndex) -> Weight {
		Self::finalise_up_to(epoch)
	}

	/// Continue finalising changes of past epochs that did not fit in their epoch's start
	/// block; called by `on_initialize` in every block. Costs two reads when nothing is left.
	pub fn finalise_backlog() -> Weight {
		let now = T::EpochInfo::current_epoch();
		if FinaliseCursor::<T>::get() > now {
			return T::DbWeight::get().reads(2);
		}
		Self::finalise_up_to(now).saturating_add(T::DbWeight::get().reads(1))
	}

	/// Finalise scheduled changes of the epochs from [`FinaliseCursor`] up to `upto`, within
	/// `MaxFinalisedPerBlock` units of work and as many epochs, and move the cursor past the
	/// epochs emptied. Changes are finalised at `upto` (everything due by then applies).
	///
	/// A unit is one change, or one opt-in removed by a [`ScheduledChange::Deregistration`]
	/// (which has up to `MaxOptIns`): a deregistration that does not fit in what is left of
	/// the budget is finalised in part and keeps its entry for the next block, so a block never
	/// does more than `MaxFinalisedPerBlock` units (each costs at most as much as the opt-out
	/// the `on_new_epoch` benchmark measures).
	fn finalise_up_to(upto: EpochIndex) -> Weight {
		let max = T::MaxFinalisedPerBlock::get();
		let mut cursor = FinaliseCursor::<T>::get();
		let mut processed: u32 = 0;
		let mut visited: u64 = 0;
		while cursor <= upto && processed < max && visited < u64::from(max) {
			visited = visited.saturating_add(1);
			let count = ScheduledCount::<T>::get(cursor);
			if count > 0 {
				let room = max.saturating_sub(processed) as usize;
				let batch: Vec<(T::AccountId, ScheduledChange)> =
					Schedule::<T>::iter_key_prefix(cursor).take(room).collect();
				let mut done: u32 = 0;
				for (who, change) in batch.iter() {
					let budget = max.saturating_sub(processed);
					if budget == 0 {
						break;
					}
					let (used, finished) = Self::finalise(who, *change, upto, budget);
					processed = processed.saturating_add(used);
					if !finished {
						// The budget is spent inside this change: it keeps its entry.
						break;
					}
					Schedule::<T>::remove(cursor, (who, *change));
					done = done.saturating_add(1);
				}
				let left = count.saturating_sub(done);
				if left > 0 && processed >= max {
					if done > 0 {
						ScheduledCount::<T>::insert(cursor, left);
					}
					// The budget is spent: the rest of this epoch waits for the next block.
					break;
				}
				if left > 0 {
					frame_support::defensive!("scheduled count above the schedule's entries");
				}
				ScheduledCount::<T>::remove(cursor);
			}
			cursor = cursor.saturating_add(1);
		}
		FinaliseCursor::<T>::put(cursor);
		T::WeightInfo::on_new_epoch(processed)
			.saturating_add(T::DbWeight::get().reads_writes(visited, 1))
	}

	/// Apply whatever of `change` is due at `epoch` for `who`, within `budget` (at least 1)
	/// units of work. Returns the units used (at least 1) and whether the change is fully
	/// finalised (only a [`ScheduledChange::Deregistration`] with more opt-ins than `budget`
	/// is not). Stale entries (operator gone, change cancelled or replaced) do nothing.
	fn finalise(
		who: &T::AccountId,
		change: ScheduledChange,
		epoch: EpochIndex,
		budget: u32,
	) -> (u32, bool) {
		let Some(mut record) = OperatorRecords::<T>::get(who) else { return (1, true) };
		let before = record.clone();
		Self::refresh_record(who, &mut record, epoch);
		let mut used: u32 = 1;
		let mut finished = true;
		match change {
			ScheduledChange::Commission | ScheduledChange::Unjail => {}
			ScheduledChange::KeyRotation(consumer) | ScheduledChange::OptOut(consumer) => {
				Self::refresh_opt_in(who, consumer, epoch, &mut record);
			}
			// Scheduled at or after the record's `leaving_at`: every opt-in is due and each one
			// looked at is removed, so a deregistration always progresses. A stale entry (the
			// operator was removed and registered again) finds no `leaving_at` and does nothing.
			ScheduledChange::Deregistration
				if record.leaving_at.is_some_and(|leaving_at| leaving_at <= epoch) =>
			{
				let consumers = record.consumers.clone();
				let take = budget.max(1) as usize;
				for consumer in consumers.iter().take(take) {
					match Self::refresh_opt_in(who, *consumer, epoch, &mut record) {
						// Removed; or a listed consumer without opt-in (impossible), dropped so
						// that it cannot stall the finalisation.
						None => record.consumers.retain(|c| c != consumer),
						Some(_) => {
							frame_support::defensive!("a due deregistration kept an opt-in");
						}
					}
				}
				used = (consumers.len().min(take) as u32).max(1);
				finished = consumers.len() <= take;
			}
			ScheduledChange::Deregistration => {}
		}
		if record != before {
			OperatorRecords::<T>::insert(who, record);
		}
		(used, finished)
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
	/// released) or the opt-out, its own or the operator's deregistration (opt-in, keys and
	/// index entries removed, `consumer` taken out of `record.consumers`; the caller writes the
	/// record back).
	///
	/// Returns the opt-in still in place after that, if any, as it stands for the operator
	/// ([`OptInRecord::with_operator_leaving`]).
	pub(crate) fn refresh_opt_in(
		who: &T::AccountId,
		consumer: ConsumerId,
		epoch: EpochIndex,
		record: &mut OperatorRecord<T>,
	) -> Option<OptInRecord> {
		let mut opt_in = OptIns::<T>::get(who, consumer)?.with_operator_leaving(record.leaving_at);
		if let Some(leaving_at) = opt_in.leaving_at {
			if leaving_at <= epoch {
				Self::remove_opt_in(who, consumer, &opt_in, &mut record.consumers);
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

	/// Remove `who`'s opt-in to `consumer` at once, whatever its opt-out status (the consumer is
	/// being reaped), with an `OptedOut` event at `epoch`. Returns whether there was one.
	///
	/// Leaves [`ConsumerOperators`] to the caller, which takes `who` off the consumer's index
	/// itself (and writes the index once for a whole page of removals).
	pub(crate) fn force_remove_opt_in(
		who: &T::AccountId,
		consumer: ConsumerId,
		epoch: EpochIndex,
		consumers: &mut OptedInConsumersOf<T>,
	) -> bool {
		let Some(opt_in) = OptIns::<T>::get(who, consumer) else {
			consumers.retain(|c| *c != consumer);
			return false;
		};
		Self::drop_opt_in(who, consumer, &opt_in, consumers);
		Self::deposit_event(Event::OptedOut { operator: who.clone(), consumer, epoch });
		true
	}

	/// Remove `who`'s opt-in to `consumer` and everything that points at it.
	fn remove_opt_in(
		who: &T::AccountId,
		consumer: ConsumerId,
		opt_in: &OptInRecord,
		consumers: &mut OptedInConsumersOf<T>,
	) {
		Self::drop_opt_in(who, consumer, opt_in, consumers);
		ConsumerOperators::<T>::mutate_exists(consumer, |maybe_operators| {
			if let Some(operators) = maybe_operators {
				operators.retain(|operator| operator != who);
				if operators.is_empty() {
					*maybe_operators = None;
				}
			}
		});
	}

	/// Remove `who`'s opt-in to `consumer`, its keys and its entry in `consumers`, but not its
	/// entry in [`ConsumerOperators`] (the caller's part).
	fn drop_opt_in(
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
