//! The epoch work: executing due slashes from the queue (in report order, within the weight
//! budget, `MaxSlashesPerBlock` and the slash meter) and pruning old per-epoch records, metered
//! with a [`WeightMeter`] against the budget the epoch clock gives.
//!
//! The consumers pallet (which runs the epoch clock) calls [`EpochHooks::on_epoch_start`] in
//! the first block of each epoch and [`EpochHooks::on_idle_epoch_work`] in every block with the
//! weight left. Both do the same: execute the slashes due at or before the epoch, then prune.
//! Work that does not fit (budget, [`Config::MaxSlashesPerBlock`], the slash meter) stays in
//! storage, in order, and is picked up by the next call; nothing is dropped. An idle call costs
//! one storage read.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	defensive,
	traits::Get,
	weights::{Weight, WeightMeter},
};
use palisade_primitives::{
	ConsumersInterface, EpochHooks, EpochIndex, OperatorRegistry, PoolsInterface,
};
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto, Zero},
	Perbill,
};

/// Most epochs a cursor moves over in one call (each empty epoch costs a read). Only matters
/// when the hooks were not called for a while.
pub(crate) const MAX_EPOCH_STEPS: u32 = 16;

/// Most per-epoch records removed by one pruning step.
pub const PRUNE_BATCH: u32 = 64;

/// What executing one slash did, for the meters.
pub(crate) struct Executed {
	/// Exposed pools (for the weight).
	pub pools: u32,
	/// Native value taken from the bond and booked against the pools.
	pub value: NativeValue,
	/// Whether the operator was jailed.
	pub jailed: bool,
}

impl<T: Config> EpochHooks for Pallet<T> {
	fn on_epoch_start(epoch: EpochIndex, budget: Weight) -> Weight {
		Self::epoch_work(epoch, budget)
	}

	fn on_idle_epoch_work(epoch: EpochIndex, budget: Weight) -> Weight {
		Self::epoch_work(epoch, budget)
	}
}

impl<T: Config> Pallet<T> {
	/// Execute the slashes due at or before `epoch` and prune the records of offence epochs
	/// whose exposures are gone, within `budget`. Returns the weight used.
	pub(crate) fn epoch_work(epoch: EpochIndex, budget: Weight) -> Weight {
		let mut meter = WeightMeter::with_limit(budget);
		let db = T::DbWeight::get();
		if meter.try_consume(db.reads(1)).is_err() {
			return meter.consumed();
		}
		let mut cursors = EpochCursors::<T>::get();
		let retention = T::Consumers::exposure_retention();
		let nothing_due = cursors.next_due > epoch;
		let nothing_to_prune = cursors.prune_from.saturating_add(retention) >= epoch;
		if nothing_due && nothing_to_prune {
			return meter.consumed();
		}
		// Reserve the write of the cursors.
		if meter.try_consume(db.writes(1)).is_err() {
			return meter.consumed();
		}
		let before = cursors;
		Self::execute_due(epoch, &mut cursors, &mut meter);
		Self::prune_records(epoch, &mut cursors, &mut meter);
		if cursors != before {
			EpochCursors::<T>::put(cursors);
		}
		meter.consumed()
	}

	/// Execute queued slashes with a due epoch at or before `epoch`: oldest due epoch first,
	/// each epoch's FIFO in report order. Stops (the rest waits, in order) when the weight
	/// meter cannot take a worst-case slash, the block's [`Config::MaxSlashesPerBlock`] is
	/// reached, or the head slash does not fit the slash meter of the current period. A slash of
	/// a frozen consumer leaves the queue (it waits for the unfreeze) instead of blocking it; so
	/// does one cancelled by `cancel_consumer_slashes` and not swept yet (it waits for the
	/// sweep, never executed); a vetoed one left a hole that is skipped.
	pub(crate) fn execute_due(epoch: EpochIndex, cursors: &mut Cursors, meter: &mut WeightMeter) {
		let db = T::DbWeight::get();
		let worst = T::WeightInfo::execute_slashes(1, T::MaxExposedPools::get());
		let max_per_block = T::MaxSlashesPerBlock::get();
		let block = frame_system::Pallet::<T>::block_number();
		let mut executed_in_block: Option<u32> = None;
		let mut slash_meter: Option<SlashMeter> = None;
		let mut params: Option<SlashingParams> = None;
		let mut steps = 0u32;
		while cursors.next_due <= epoch {
			if meter.try_consume(db.reads(1)).is_err() {
				break;
			}
			let queue_epoch = cursors.next_due;
			let mut ends = DueQueueEnds::<T>::get(queue_epoch).unwrap_or_default();
			if ends.head >= ends.tail {
				// This epoch's queue is done.
				if meter.try_consume(db.writes(1)).is_err() {
					break;
				}
				DueQueueEnds::<T>::remove(queue_epoch);
				steps.saturating_inc();
				match queue_epoch.checked_add(1) {
					Some(next) if steps <= MAX_EPOCH_STEPS => cursors.next_due = next,
					_ => break,
				}
				continue;
			}
			// Read: the queue entry, the record, the consumer's cancel and freeze. Written: the
			// head, the entry and the record.
			if meter.try_consume(db.reads_writes(4, 3)).is_err() {
				break;
			}
			let position = ends.head;
			let Some(slash_id) = SlashesDue::<T>::get(queue_epoch, position) else {
				// A hole left by a cancelled slash.
				ends.head.saturating_inc();
				DueQueueEnds::<T>::insert(queue_epoch, ends);
				continue;
			};
			let Some(mut slash) = PendingSlashes::<T>::get(slash_id) else {
				defensive!("queued slash without a pending record");
				SlashesDue::<T>::remove(queue_epoch, position);
				ends.head.saturating_inc();
				DueQueueEnds::<T>::insert(queue_epoch, ends);
				continue;
			};
			if !slash.queued.is_some_and(|at| at.epoch == queue_epoch && at.index == position) {
				defensive!("queue entry and pending record disagree on the position");
			}
			if Self::is_cancelled(slash_id, slash.consumer_id) {
				// Cancelled by `cancel_consumer_slashes`, not swept yet: out of the queue, never
				// executed; the sweep removes it.
				SlashesDue::<T>::remove(queue_epoch, position);
				ends.head.saturating_inc();
				DueQueueEnds::<T>::insert(queue_epoch, ends);
				slash.queued = None;
				PendingSlashes::<T>::insert(slash_id, slash);
				continue;
			}
			if FrozenConsumers::<T>::contains_key(slash.consumer_id) {
				// Held: out of the queue, back in at the unfreeze.
				SlashesDue::<T>::remove(queue_epoch, position);
				ends.head.saturating_inc();
				DueQueueEnds::<T>::insert(queue_epoch, ends);
				slash.queued = None;
				let consumer_id = slash.consumer_id;
				PendingSlashes::<T>::insert(slash_id, slash);
				Self::deposit_event(Event::SlashHeldFrozen { slash_id, consumer_id });
				continue;
			}

			// The block's limits.
			let count =
				executed_in_block.get_or_insert_with(|| match ExecutedInBlock::<T>::get() {
					Some((at, count)) if at == block => count,
					_ => 0,
				});
			if *count >= max_per_block || !meter.can_consume(worst) {
				break;
			}

			// The slash meter of the current period: the head slash fits, or waits (and so
			// does everything behind it).
			let params = params.get_or_insert_with(Params::<T>::get);
			let current = slash_meter.get_or_insert_with(|| {
				let stored = Meter::<T>::get();
				if stored.period == params.meter_period_of(epoch) {
					stored
				} else {
					Self::fresh_meter(params, epoch)
				}
			});
			let estimate: NativeValue =
				slash.bond_amount.saturating_add(slash.pools_amount).unique_saturated_into();
			let jails = !params.jail_length.is_zero();
			let fits = current.executed == 0
				|| (current.slashed.saturating_add(estimate) <= current.max_slashed
					&& (!jails || current.jailed < current.max_jails));
			if !fits {
				break;
			}

			SlashesDue::<T>::remove(queue_epoch, position);
			ends.head.saturating_inc();
			DueQueueEnds::<T>::insert(queue_epoch, ends);
			slash.queued = None;
			PendingSlashes::<T>::remove(slash_id);
			Self::forget_pending(slash_id, &slash);
			let done = Self::execute_slash(slash_id, slash, epoch, params);
			current.slashed.saturating_accrue(done.value);
			current.executed.saturating_inc();
			if done.jailed {
				current.jailed.saturating_inc();
			}
			meter.consume(T::WeightInfo::execute_slashes(1, done.pools));
			count.saturating_inc();
		}
		if let Some(count) = executed_in_block {
			ExecutedInBlock::<T>::put((block, count));
		}
		if let Some(current) = slash_meter {
			Meter::<T>::put(current);
		}
	}

	/// Execute slash `slash_id` (already out of the queue and the pending records) at epoch
	/// `now` with `params`: take its fraction of the copied exposure of its offence epoch,
	/// route the funds, jail the operator, emit `SlashExecuted`.
	///
	/// The bond: `fraction × own` (rounded up), at most what the operator still has. For
	/// evidence, `reporter_reward` of it (rounded down) is the reporter's and the rest goes to
	/// the destination first; the reward is paid only once the destination's share is fully
	/// taken, so the offender's net loss (bond loss minus reward) is positive whenever anything
	/// is paid (`MaxReporterReward < 100%`). The pools: `fraction × backing` (rounded up),
	/// booked against each pool for the offence epoch, wholly to the destination.
	pub(crate) fn execute_slash(
		slash_id: SlashId,
		slash: PendingSlashOf<T>,
		now: EpochIndex,
		params: &SlashingParams,
	) -> Executed {
		let beneficiary = match params.destination {
			SlashDestination::Treasury => Some(T::TreasuryAccount::get()),
			SlashDestination::Burn => None,
		};
		let operator = &slash.operator;
		let fraction = slash.fraction;

		// The operator's bond: the destination's share, then the reporter's.
		let target = fraction.mul_ceil(slash.exposure.own);
		let available = target.min(T::Operators::slashable_balance(operator));
		let reward_rate =
			if slash.reporter.is_some() { params.reporter_reward } else { Perbill::zero() };
		let reward_share = reward_rate.mul_floor(available);
		let destination_share = available.saturating_sub(reward_share);
		let bond_to_destination = if destination_share.is_zero() {
			Zero::zero()
		} else {
			T::Operators::slash_bond_to(operator, destination_share, beneficiary.clone())
		};
		let reporter_reward = match &slash.reporter {
			Some(reporter)
				if !reward_share.is_zero() && bond_to_destination == destination_share =>
			{
				T::Operators::slash_bond_to(operator, reward_share, Some(reporter.clone()))
			}
			_ => Zero::zero(),
		};
		let bond_taken = bond_to_destination.saturating_add(reporter_reward);

		// The pools, for the offence epoch, wholly to the destination.
		let mut pools = Vec::with_capacity(slash.exposure.pools.len());
		let mut pools_total = T::Balance::zero();
		for (pool, backing) in slash.exposure.pools.iter() {
			let amount = fraction.mul_ceil(*backing);
			let booked = if amount.is_zero() {
				Zero::zero()
			} else {
				T::Pools::slash_for_epoch(*pool, amount, slash.epoch, beneficiary.clone())
			};
			pools_total.saturating_accrue(booked);
			pools.push((*pool, booked));
		}
		let pool_count = pools.len() as u32;

		// Jail, counted from the execution epoch.
		let jailed_until = if params.jail_length.is_zero() {
			None
		} else {
			let until = now.saturating_add(params.jail_length);
			match T::Operators::jail(operator, until) {
				Ok(()) => Some(until),
				Err(error) => {
					log::warn!(
						target: LOG_TARGET,
						"slash {slash_id}: could not jail {operator:?}: {error:?}",
					);
					None
				}
			}
		};

		let to_destination = bond_to_destination.saturating_add(pools_total);
		let (to_treasury, burnt) = match params.destination {
			SlashDestination::Treasury => (to_destination, Zero::zero()),
			SlashDestination::Burn => (Zero::zero(), to_destination),
		};
		let value: NativeValue = bond_taken.saturating_add(pools_total).unique_saturated_into();
		Self::deposit_event(Event::SlashExecuted {
			slash_id,
			operator: slash.operator,
			consumer_id: slash.consumer_id,
			kind: slash.kind,
			epoch: slash.epoch,
			fraction,
			bond_taken,
			pools,
			reporter: slash.reporter,
			reporter_reward,
			to_treasury,
			burnt,
			jailed_until,
		});
		Executed { pools: pool_count, value, jailed: jailed_until.is_some() }
	}

	/// Prune the per-offence-epoch records ([`SpanStarts`] with their [`Spans`], [`Reported`],
	/// [`ReportedEquivocations`]) of the epochs whose exposures are gone at `epoch` (more than
	/// `exposure_retention` epochs ago): no report for them, nor for any epoch their spans
	/// cover, is possible any more (`exposure_retention >= 2 × report_window`). Pending slashes
	/// are not affected: they carry a copy of their exposure. At most [`PRUNE_BATCH`] records
	/// per step.
	pub(crate) fn prune_records(epoch: EpochIndex, cursors: &mut Cursors, meter: &mut WeightMeter) {
		let retention = T::Consumers::exposure_retention();
		let batch_weight = T::WeightInfo::prune_records(PRUNE_BATCH);
		let mut steps = 0u32;
		while cursors.prune_from.saturating_add(retention) < epoch && steps < MAX_EPOCH_STEPS {
			if !meter.can_consume(batch_weight) {
				break;
			}
			let removed = Self::prune_epoch(cursors.prune_from, PRUNE_BATCH);
			meter.consume(T::WeightInfo::prune_records(removed));
			if removed < PRUNE_BATCH {
				steps.saturating_inc();
				cursors.prune_from.saturating_inc();
			}
		}
	}

	/// Remove up to `limit` records of offence epoch `epoch`. Returns how many were removed.
	pub(crate) fn prune_epoch(epoch: EpochIndex, limit: u32) -> u32 {
		let mut left = limit as usize;
		let spans: Vec<_> = SpanStarts::<T>::drain_prefix(epoch).take(left).collect();
		left = left.saturating_sub(spans.len());
		for ((operator, consumer), ()) in spans {
			Spans::<T>::mutate_exists(&operator, consumer, |span| {
				if span.is_some_and(|span| span.start == epoch) {
					*span = None;
				}
			});
		}
		left = left.saturating_sub(Reported::<T>::drain_prefix(epoch).take(left).count());
		left =
			left.saturating_sub(ReportedEquivocations::<T>::drain_prefix(epoch).take(left).count());
		limit.saturating_sub(left as u32)
	}
}
