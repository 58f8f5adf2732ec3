//! The epoch work: executing due slashes from the queue and pruning old per-epoch records,
//! metered with a [`WeightMeter`] against the budget the epoch clock gives.
//!
//! The consumers pallet (which runs the epoch clock) calls [`EpochHooks::on_epoch_start`] in
//! the first block of each epoch and [`EpochHooks::on_idle_epoch_work`] in every block with the
//! weight left. Both do the same: execute the slashes due at or before the epoch, then prune.
//! Work that does not fit (budget, or [`Config::MaxSlashesPerBlock`]) stays in storage and is
//! picked up by the next call; nothing is dropped. An idle call costs one storage read.

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
	traits::{Saturating, Zero},
	Perbill,
};

/// Most epochs a cursor moves over in one call (each empty epoch costs a read). Only matters
/// when the hooks were not called for a while.
pub(crate) const MAX_EPOCH_STEPS: u32 = 16;

/// Most per-epoch records removed by one pruning step.
pub const PRUNE_BATCH: u32 = 64;

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

	/// Execute queued slashes with a due epoch at or before `epoch`, oldest due epoch first,
	/// while the meter allows a worst-case slash and the block's [`Config::MaxSlashesPerBlock`]
	/// is not reached. Each slash is charged as if executed alone
	/// (`execute_slashes(1, pools)`), after checking the meter can take one with
	/// `MaxExposedPools` pools.
	pub(crate) fn execute_due(epoch: EpochIndex, cursors: &mut Cursors, meter: &mut WeightMeter) {
		let read = T::DbWeight::get().reads(1);
		let worst = T::WeightInfo::execute_slashes(1, T::MaxExposedPools::get());
		let max_per_block = T::MaxSlashesPerBlock::get();
		let block = frame_system::Pallet::<T>::block_number();
		let mut executed_in_block: Option<u32> = None;
		let mut steps = 0u32;
		while cursors.next_due <= epoch {
			if meter.try_consume(read).is_err() {
				break;
			}
			let Some(slash_id) = SlashesDue::<T>::iter_key_prefix(cursors.next_due).next() else {
				// This epoch's queue is done.
				steps.saturating_inc();
				match cursors.next_due.checked_add(1) {
					Some(next) if steps <= MAX_EPOCH_STEPS => cursors.next_due = next,
					_ => break,
				}
				continue;
			};
			let count =
				executed_in_block.get_or_insert_with(|| match ExecutedInBlock::<T>::get() {
					Some((at, count)) if at == block => count,
					_ => 0,
				});
			if *count >= max_per_block || !meter.can_consume(worst) {
				break;
			}
			let pools = Self::execute_slash(cursors.next_due, slash_id, epoch);
			meter.consume(T::WeightInfo::execute_slashes(1, pools));
			count.saturating_inc();
		}
		if let Some(count) = executed_in_block {
			ExecutedInBlock::<T>::put((block, count));
		}
	}

	/// Execute slash `slash_id`, queued under `queue_epoch`, at epoch `now`: apply its
	/// (throttled) fraction to the exposure of its offence epoch, route the funds, jail the
	/// operator. Returns the number of exposed pools (for the weight).
	///
	/// Amounts round up (against the slashed); the reporter reward rounds down. Per pool, the
	/// destination's share is taken first and then the reporter's, so a pool that cannot cover
	/// its whole share pays the reporter only what is left: the reward never exceeds
	/// `reporter_reward` × what is taken from the pools.
	pub(crate) fn execute_slash(
		queue_epoch: EpochIndex,
		slash_id: SlashId,
		now: EpochIndex,
	) -> u32 {
		SlashesDue::<T>::remove(queue_epoch, slash_id);
		let Some(slash) = PendingSlashes::<T>::take(slash_id) else {
			defensive!("queued slash without a pending record");
			return 0;
		};
		if slash.due_epoch != queue_epoch {
			defensive!("pending slash queued under another epoch than its due epoch");
			SlashesDue::<T>::remove(slash.due_epoch, slash_id);
		}
		let params = Params::<T>::get();

		// The exposure of the offence epoch, unless it is (or is about to be) pruned.
		let retention = T::Consumers::exposure_retention();
		let exposure = if now.saturating_sub(slash.epoch) > retention {
			None
		} else {
			T::Consumers::exposure(slash.epoch, slash.consumer_id, &slash.operator)
		};
		let Some(exposure) = exposure else {
			log::warn!(
				target: LOG_TARGET,
				"slash {slash_id} expired: exposure of epoch {} is gone at epoch {now}",
				slash.epoch,
			);
			Self::deposit_event(Event::SlashExpired {
				slash_id,
				consumer_id: slash.consumer_id,
				operator: slash.operator,
				epoch: slash.epoch,
			});
			return 0;
		};
		let pool_count = exposure.pools.len() as u32;

		// The throttle: at most `max_fraction_per_epoch` per (offence epoch, operator).
		let applied = AppliedFractions::<T>::get(slash.epoch, &slash.operator).unwrap_or_default();
		let fraction_applied =
			slash.fraction.min(params.max_fraction_per_epoch.saturating_sub(applied));
		if !fraction_applied.is_zero() {
			AppliedFractions::<T>::insert(
				slash.epoch,
				&slash.operator,
				applied.saturating_add(fraction_applied),
			);
		}

		// The operator's bond (the funds go to the operators pallet's `OnSlash`).
		let bond_target = fraction_applied.mul_ceil(exposure.own);
		let bond_taken = if bond_target.is_zero() {
			Zero::zero()
		} else {
			T::Operators::slash_bond(&slash.operator, bond_target)
		};

		// The pools: the destination's share, then the reporter's.
		let beneficiary = match params.destination {
			SlashDestination::Treasury => Some(T::TreasuryAccount::get()),
			SlashDestination::Burn => None,
		};
		let reward_rate =
			if slash.reporter.is_some() { params.reporter_reward } else { Perbill::zero() };
		let mut pools = Vec::with_capacity(exposure.pools.len());
		let mut reporter_reward = T::Balance::zero();
		let mut to_destination = T::Balance::zero();
		for (pool, backing) in exposure.pools {
			let target = fraction_applied.mul_ceil(backing);
			let reward_share = reward_rate.mul_floor(target);
			let destination_share = target.saturating_sub(reward_share);
			let to_dest = if destination_share.is_zero() {
				Zero::zero()
			} else {
				T::Pools::slash(pool, destination_share, beneficiary.clone())
			};
			let reward = match &slash.reporter {
				Some(reporter) if !reward_share.is_zero() && to_dest == destination_share => {
					T::Pools::slash(pool, reward_share, Some(reporter.clone()))
				}
				_ => Zero::zero(),
			};
			to_destination.saturating_accrue(to_dest);
			reporter_reward.saturating_accrue(reward);
			pools.push((pool, to_dest.saturating_add(reward)));
		}

		// Jail, counted from the execution epoch.
		let jailed_until = if params.jail_length.is_zero() {
			None
		} else {
			let until = now.saturating_add(params.jail_length);
			match T::Operators::jail(&slash.operator, until) {
				Ok(()) => Some(until),
				Err(error) => {
					log::warn!(
						target: LOG_TARGET,
						"slash {slash_id}: could not jail {:?}: {error:?}",
						slash.operator,
					);
					None
				}
			}
		};

		let (to_treasury, burnt) = match params.destination {
			SlashDestination::Treasury => (to_destination, Zero::zero()),
			SlashDestination::Burn => (Zero::zero(), to_destination),
		};
		Self::deposit_event(Event::SlashExecuted {
			slash_id,
			operator: slash.operator,
			consumer_id: slash.consumer_id,
			kind: slash.kind,
			epoch: slash.epoch,
			fraction: slash.fraction,
			fraction_applied,
			bond_taken,
			pools,
			reporter: slash.reporter,
			reporter_reward,
			to_treasury,
			burnt,
			jailed_until,
		});
		pool_count
	}

	/// Prune the per-offence-epoch records ([`AppliedFractions`], [`Reported`],
	/// [`ReportedEquivocations`]) of the epochs whose exposures are gone at `epoch` (more than
	/// `exposure_retention` epochs ago): no report for them is possible any more and a slash
	/// for them expires instead of executing. At most [`PRUNE_BATCH`] records per step.
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
		left = left.saturating_sub(AppliedFractions::<T>::drain_prefix(epoch).take(left).count());
		left = left.saturating_sub(Reported::<T>::drain_prefix(epoch).take(left).count());
		left =
			left.saturating_sub(ReportedEquivocations::<T>::drain_prefix(epoch).take(left).count());
		limit.saturating_sub(left as u32)
	}
}
