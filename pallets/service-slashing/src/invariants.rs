//! Storage invariants, checked by `try_state` and after every unit test.

use crate::*;
use frame_support::{ensure, traits::Get};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Check the pallet's storage invariants:
	///
	/// 1. Every pending slash is queued exactly once: [`SlashesDue`] holds `(due_epoch, id)`
	///    for each [`PendingSlashes`] entry `id`, and every [`SlashesDue`] entry is a pending
	///    slash with that due epoch (so the two have the same number of entries).
	/// 2. No queue entry is behind the execution cursor (`due_epoch >= next_due`).
	/// 3. Every pending slash has an id below [`NextSlashId`], a fraction within
	///    `MaxSlashFraction`, was reported no earlier than its offence epoch and is due after
	///    the epoch it was reported in; subjective reports have no reporter, equivocation
	///    evidence has one and is of kind `Equivocation`; unless its offence epoch is already
	///    pruned, its duplicate-detection record ([`Reported`] / [`ReportedEquivocations`])
	///    points to it.
	/// 4. The parameters in force are within the hard bounds and nest with the delays.
	/// 5. Throttle records ([`AppliedFractions`]) are non-zero and never above
	///    `MaxSlashFraction` (each execution also kept them within the `max_fraction_per_epoch`
	///    in force at the time; governance may lower it since).
	/// 6. No per-offence-epoch record is older than the pruning cursor; duplicate-detection
	///    records point to allocated ids.
	/// 7. At most `MaxSlashesPerBlock` slashes were executed in the last block that executed
	///    any.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let cursors = EpochCursors::<T>::get();
		let next_id = NextSlashId::<T>::get();
		let max_fraction = T::MaxSlashFraction::get();

		// 1, 3.
		let mut pending = 0usize;
		for (id, slash) in PendingSlashes::<T>::iter() {
			pending = pending.saturating_add(1);
			ensure!(
				SlashesDue::<T>::contains_key(slash.due_epoch, id),
				"pending slash not queued under its due epoch"
			);
			ensure!(id < next_id, "pending slash id not allocated");
			ensure!(slash.fraction <= max_fraction, "pending slash fraction above the bound");
			ensure!(slash.epoch <= slash.reported_at, "offence reported before it happened");
			ensure!(slash.due_epoch > slash.reported_at, "slash due in its report epoch");
			let record = match &slash.evidence {
				Evidence::Reported(_) => {
					ensure!(slash.reporter.is_none(), "subjective report with a reporter");
					Reported::<T>::get(
						slash.epoch,
						(slash.consumer_id, slash.operator.clone(), slash.kind),
					)
				}
				Evidence::GrandpaEquivocation { set_id, round, key } => {
					ensure!(slash.reporter.is_some(), "evidence without a reporter");
					ensure!(
						slash.kind == OffenceKind::Equivocation,
						"equivocation evidence of another kind"
					);
					ReportedEquivocations::<T>::get(
						slash.epoch,
						(slash.consumer_id, *key, *set_id, *round),
					)
				}
			};
			if slash.epoch >= cursors.prune_from {
				ensure!(record == Some(id), "pending slash without its duplicate record");
			}
		}

		// 1, 2.
		let mut queued = 0usize;
		for (due_epoch, id, ()) in SlashesDue::<T>::iter() {
			queued = queued.saturating_add(1);
			ensure!(
				PendingSlashes::<T>::get(id).map(|slash| slash.due_epoch) == Some(due_epoch),
				"queue entry without a pending slash due at that epoch"
			);
			ensure!(due_epoch >= cursors.next_due, "queue entry behind the execution cursor");
		}
		ensure!(queued == pending, "queue and pending slashes differ in number");

		// 4.
		Self::check_params(&Params::<T>::get())
			.map_err(|_| "slashing params out of bounds or not nesting")?;

		// 5, 6.
		for (epoch, _, fraction) in AppliedFractions::<T>::iter() {
			ensure!(!fraction.is_zero(), "empty throttle record");
			ensure!(fraction <= max_fraction, "throttle record above the bound");
			ensure!(epoch >= cursors.prune_from, "throttle record older than the prune cursor");
		}
		for (epoch, _, id) in Reported::<T>::iter() {
			ensure!(epoch >= cursors.prune_from, "report record older than the prune cursor");
			ensure!(id < next_id, "report record of an unallocated id");
		}
		for (epoch, _, id) in ReportedEquivocations::<T>::iter() {
			ensure!(epoch >= cursors.prune_from, "evidence record older than the prune cursor");
			ensure!(id < next_id, "evidence record of an unallocated id");
		}

		// 7.
		if let Some((_, count)) = ExecutedInBlock::<T>::get() {
			ensure!(count <= T::MaxSlashesPerBlock::get(), "too many slashes in one block");
		}
		Ok(())
	}
}
