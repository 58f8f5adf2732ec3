//! Storage invariants, checked by `try_state` and after every unit test.

use crate::*;
use alloc::collections::btree_map::BTreeMap;
use frame_support::{ensure, traits::Get};
use palisade_primitives::{ConsumerId, EpochIndex, PoolId};
use sp_runtime::{Saturating, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Check the pallet's storage invariants:
	///
	/// 1. Queue: every pending slash with a queue position is in [`SlashesDue`] at that
	///    position, and every [`SlashesDue`] entry is a pending slash queued there; positions lie
	///    within their epoch's [`DueQueueEnds`] (`head <= index < tail`); no queue is behind the
	///    execution cursor; a pending slash is out of the queue only while its consumer is
	///    frozen or it is cancelled by `cancel_consumer_slashes` (id below its consumer's
	///    [`CancelledConsumers`] horizon) and waits for the sweep.
	/// 2. Queue order: within an epoch's FIFO, ids increase with the position (report order),
	///    except for slashes queued again by an unfreeze (at the tail).
	/// 3. Every pending slash is bounded: id below [`NextSlashId`], fraction at most the
	///    reported fraction, which is within `MaxSlashFraction`; reported no earlier than its
	///    offence epoch and due after the epoch it was reported in; its span starts within one
	///    window of its offence epoch; its exposure copy holds at most `MaxExposedPools` pools
	///    and its amounts are `fraction ×` the copy; subjective reports have no reporter and
	///    are never of kind `Equivocation`, evidence has a reporter and is of kind
	///    `Equivocation`; unless its offence epoch is already pruned, its duplicate-detection
	///    record points to it.
	/// 4. The pending counters ([`ConsumerPendingCount`], [`PairPendingCount`],
	///    [`OperatorPendingCount`]) and [`PendingByConsumer`] equal those recomputed from
	///    [`PendingSlashes`], are never zero, and are within `MaxPendingPerConsumer` /
	///    `MaxPendingPerPair`. The pools: [`UncountedSlashes`] lists distinct pending slashes,
	///    each with its offence epoch and exactly the pool ids of its exposure copy (never
	///    none), and [`PoolPendingCount`] counts, per (pool, offence epoch), exactly the other
	///    pending slashes whose exposure copy holds the pool, plus the slashes cancelled in
	///    this block and listed in [`UncountedCancels`] (not counted down yet): so the counts
	///    minus the listed cancels and the listed reports together are every pending slash's
	///    pools, each once, and the pools' exit checks never miss a pending slash (they answer
	///    "pending" for a listed cancel's pools until the next block). [`UncountedCancels`]
	///    lists distinct slashes that are no longer pending nor listed as uncounted reports,
	///    each with allocated id and at least one pool.
	/// 5. The parameters in force are within the hard bounds and nest with the delays.
	/// 6. The slash meter: at most its period's jail limit jailed, and the value limit is kept
	///    unless only one slash executed in the period (the first always executes).
	/// 7. Spans' highest fractions are within `MaxSlashFraction`, every span is indexed in
	///    [`SpanStarts`] under its start, and no per-offence-epoch record is older than the
	///    pruning cursor; duplicate-detection records point to allocated ids.
	/// 8. At most `MaxSlashesPerBlock` slashes were executed in the last block that executed
	///    any.
	/// 9. [`CancelledConsumers`]: every horizon is an allocated id or the next one (at most
	///    [`NextSlashId`]), the sweep's cursor is below it or a newer slash of the consumer
	///    (an allocated id), and it swept at most as many slashes as were allocated below it.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let cursors = EpochCursors::<T>::get();
		let next_id = NextSlashId::<T>::get();
		let max_fraction = T::MaxSlashFraction::get();
		let params = Params::<T>::get();

		let mut by_consumer: BTreeMap<ConsumerId, u32> = BTreeMap::new();
		let mut by_pair: BTreeMap<(T::AccountId, ConsumerId), u32> = BTreeMap::new();
		let mut by_operator: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut by_pool: BTreeMap<(PoolId, EpochIndex), u32> = BTreeMap::new();
		let mut queued_pending = 0usize;
		let uncounted = UncountedSlashes::<T>::get();
		let mut uncounted_ids = alloc::collections::btree_set::BTreeSet::new();
		for entry in uncounted.iter() {
			ensure!(uncounted_ids.insert(entry.slash_id), "slash listed twice as uncounted");
		}
		// 4: the cancels not counted down yet still count their pools.
		let mut cancelled_ids = alloc::collections::btree_set::BTreeSet::new();
		for entry in UncountedCancels::<T>::get().iter() {
			ensure!(cancelled_ids.insert(entry.slash_id), "slash listed twice as cancelled");
			ensure!(entry.slash_id < next_id, "cancelled slash id not allocated");
			ensure!(
				!PendingSlashes::<T>::contains_key(entry.slash_id),
				"listed cancelled slash still pending"
			);
			ensure!(
				!uncounted_ids.contains(&entry.slash_id),
				"cancelled slash listed as uncounted"
			);
			ensure!(!entry.pools.is_empty(), "cancelled slash without pools");
			for pool in entry.pools.iter() {
				by_pool.entry((*pool, entry.epoch)).or_default().saturating_inc();
			}
		}

		// 1, 3, 4.
		for (id, slash) in PendingSlashes::<T>::iter() {
			match slash.queued {
				Some(position) => {
					queued_pending = queued_pending.saturating_add(1);
					ensure!(
						SlashesDue::<T>::get(position.epoch, position.index) == Some(id),
						"pending slash not at its queue position"
					);
					let ends = DueQueueEnds::<T>::get(position.epoch).unwrap_or_default();
					ensure!(
						ends.head <= position.index && position.index < ends.tail,
						"queue position outside its queue's ends"
					);
					ensure!(position.epoch >= slash.due_epoch, "queued before its due epoch");
				}
				None => ensure!(
					FrozenConsumers::<T>::contains_key(slash.consumer_id)
						|| Self::is_cancelled(id, slash.consumer_id),
					"pending slash out of the queue while its consumer is neither frozen nor \
					 cancelled"
				),
			}
			ensure!(id < next_id, "pending slash id not allocated");
			ensure!(slash.fraction <= slash.reported_fraction, "fraction above the reported one");
			ensure!(
				slash.reported_fraction <= max_fraction,
				"pending slash fraction above the bound"
			);
			ensure!(slash.epoch <= slash.reported_at, "offence reported before it happened");
			ensure!(slash.due_epoch > slash.reported_at, "slash due in its report epoch");
			ensure!(
				slash.exposure.pools.len() as u32 <= T::MaxExposedPools::get(),
				"exposure copy above the bound"
			);
			ensure!(
				slash.bond_amount == slash.fraction.mul_ceil(slash.exposure.own),
				"bond amount is not the fraction of the exposure copy"
			);
			let record = match &slash.evidence {
				Evidence::Reported(_) => {
					ensure!(slash.reporter.is_none(), "subjective report with a reporter");
					ensure!(
						slash.kind != OffenceKind::Equivocation,
						"subjective report of an objective kind"
					);
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
			ensure!(
				PendingByConsumer::<T>::contains_key(slash.consumer_id, id),
				"pending slash missing from its consumer's index"
			);
			by_consumer.entry(slash.consumer_id).or_default().saturating_inc();
			by_pair
				.entry((slash.operator.clone(), slash.consumer_id))
				.or_default()
				.saturating_inc();
			by_operator.entry(slash.operator.clone()).or_default().saturating_inc();
			if !uncounted_ids.contains(&id) {
				for (pool, _) in slash.exposure.pools.iter() {
					by_pool.entry((*pool, slash.epoch)).or_default().saturating_inc();
				}
			}
		}

		// 1, 2.
		let mut queued = 0usize;
		let mut reported_order: BTreeMap<EpochIndex, alloc::vec::Vec<(u32, SlashId)>> =
			BTreeMap::new();
		for (epoch, index, id) in SlashesDue::<T>::iter() {
			queued = queued.saturating_add(1);
			let slash =
				PendingSlashes::<T>::get(id).ok_or("queue entry without a pending slash")?;
			let position = slash.queued.ok_or("queue entry of a slash out of the queue")?;
			ensure!(
				position.epoch == epoch && position.index == index,
				"queue entry without a pending slash queued there"
			);
			ensure!(epoch >= cursors.next_due, "queue entry behind the execution cursor");
			if !position.requeued {
				reported_order.entry(epoch).or_default().push((index, id));
			}
		}
		for (_, mut entries) in reported_order {
			entries.sort_unstable();
			ensure!(
				entries.windows(2).all(|pair| matches!(pair, [a, b] if a.1 < b.1)),
				"queue not in report order"
			);
		}
		ensure!(queued == queued_pending, "queue and queued pending slashes differ in number");
		for (epoch, ends) in DueQueueEnds::<T>::iter() {
			ensure!(ends.head <= ends.tail, "queue head past its tail");
			ensure!(epoch >= cursors.next_due, "queue behind the execution cursor");
		}

		// 4.
		for entry in uncounted.iter() {
			let slash =
				PendingSlashes::<T>::get(entry.slash_id).ok_or("uncounted slash not pending")?;
			ensure!(entry.epoch == slash.epoch, "uncounted slash under another epoch");
			ensure!(!entry.pools.is_empty(), "uncounted slash without pools");
			ensure!(
				entry.pools.iter().eq(slash.exposure.pools.iter().map(|(pool, _)| pool)),
				"uncounted pools differ from the exposure copy"
			);
		}
		let consumer_counts: BTreeMap<_, _> = ConsumerPendingCount::<T>::iter().collect();
		ensure!(consumer_counts == by_consumer, "consumer pending counts differ");
		ensure!(
			consumer_counts.values().all(|n| *n <= T::MaxPendingPerConsumer::get()),
			"too many pending slashes of a consumer"
		);
		ensure!(
			PendingByConsumer::<T>::iter().count()
				== by_consumer.values().map(|n| *n as usize).sum::<usize>(),
			"consumer index differs from the pending slashes"
		);
		let pair_counts: BTreeMap<_, _> =
			PairPendingCount::<T>::iter().map(|(o, c, n)| ((o, c), n)).collect();
		ensure!(pair_counts == by_pair, "pair pending counts differ");
		ensure!(
			pair_counts.values().all(|n| *n <= T::MaxPendingPerPair::get()),
			"too many pending slashes of a pair"
		);
		let operator_counts: BTreeMap<_, _> = OperatorPendingCount::<T>::iter().collect();
		ensure!(operator_counts == by_operator, "operator pending counts differ");
		let pool_counts: BTreeMap<_, _> =
			PoolPendingCount::<T>::iter().map(|(p, e, n)| ((p, e), n)).collect();
		ensure!(pool_counts == by_pool, "pool pending counts differ");

		// 5.
		Self::check_params(&params).map_err(|_| "slashing params out of bounds or not nesting")?;

		// 6.
		let meter = Meter::<T>::get();
		ensure!(meter.jailed <= meter.max_jails, "slash meter above its jail limit");
		ensure!(
			meter.executed <= 1 || meter.slashed <= meter.max_slashed,
			"slash meter above its value limit"
		);

		// 7.
		for (operator, consumer, span) in Spans::<T>::iter() {
			ensure!(span.max <= max_fraction, "span above the bound");
			ensure!(
				SpanStarts::<T>::contains_key(span.start, (operator, consumer)),
				"span not indexed under its start"
			);
			ensure!(span.start >= cursors.prune_from, "span older than the prune cursor");
		}
		for (epoch, _, ()) in SpanStarts::<T>::iter() {
			ensure!(epoch >= cursors.prune_from, "span index older than the prune cursor");
		}
		for (epoch, _, id) in Reported::<T>::iter() {
			ensure!(epoch >= cursors.prune_from, "report record older than the prune cursor");
			ensure!(id < next_id, "report record of an unallocated id");
		}
		for (epoch, _, id) in ReportedEquivocations::<T>::iter() {
			ensure!(epoch >= cursors.prune_from, "evidence record older than the prune cursor");
			ensure!(id < next_id, "evidence record of an unallocated id");
		}

		// 8.
		if let Some((_, count)) = ExecutedInBlock::<T>::get() {
			ensure!(count <= T::MaxSlashesPerBlock::get(), "too many slashes in one block");
		}

		// 9.
		for (_, sweep) in CancelledConsumers::<T>::iter() {
			ensure!(sweep.below <= next_id, "cancel horizon beyond the next slash id");
			ensure!(
				sweep.after.is_none_or(|after| after < next_id),
				"sweep cursor at an unallocated id"
			);
			ensure!(sweep.swept <= sweep.below, "swept more slashes than were cancelled");
		}
		Ok(())
	}
}
