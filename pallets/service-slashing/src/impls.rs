//! What the calls do: reports (with slashing spans), evidence, veto, freeze, parameters, the
//! pending-slash guard other pallets ask, and the queries a runtime API serves.

use crate::{evidence::EquivocationClaim, *};
use alloc::vec::Vec;
use frame_support::{defensive, ensure, traits::Get, weights::Weight};
use palisade_primitives::{
	ConsumerId, ConsumersInterface, EpochIndex, EpochProvider, ExposureInfo, PoolId,
};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchError, DispatchResult, Perbill,
};

/// Add one to a pending counter.
fn increment(count: &mut u32) {
	count.saturating_inc();
}

/// Remove one from a pending counter kept in an `OptionQuery`-like `mutate_exists` slot,
/// deleting it at zero.
fn decrement(count: &mut Option<u32>) {
	*count = count.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
}

impl<T: Config> Pallet<T> {
	/// The current restaking epoch.
	pub(crate) fn now() -> EpochIndex {
		T::EpochInfo::current_epoch()
	}

	/// File a subjective report by `who`, which must be `consumer`'s reporter since `epoch`
	/// at least. Returns the number of pools in the exposure (for the weight).
	pub(crate) fn do_report_offence(
		who: &T::AccountId,
		consumer: ConsumerId,
		operator: T::AccountId,
		kind: OffenceKind,
		epoch: EpochIndex,
		details: DetailsOf<T>,
	) -> Result<u32, DispatchError> {
		ensure!(kind != OffenceKind::Equivocation, Error::<T>::ObjectiveKindNeedsEvidence);
		ensure!(
			T::Consumers::reporter_at(consumer, epoch).as_ref() == Some(who),
			Error::<T>::NotReporter
		);
		let now = Self::now();
		Self::ensure_reportable(epoch, now)?;
		ensure!(
			!Reported::<T>::contains_key(epoch, (consumer, &operator, kind)),
			Error::<T>::DuplicateReport
		);
		let exposure =
			T::Consumers::exposure(epoch, consumer, &operator).ok_or(Error::<T>::NoExposure)?;
		let pools = exposure.pools.len() as u32;
		let claimed = Params::<T>::get().subjective_fraction_of(kind);
		Self::create_pending(
			consumer,
			operator,
			kind,
			epoch,
			now,
			claimed,
			None,
			Evidence::Reported(details),
			&exposure,
		)?;
		Ok(pools)
	}

	/// File GRANDPA equivocation evidence by `who`. Returns the number of pools in the
	/// exposure (for the weight).
	///
	/// The set id maps to exactly one epoch (`epoch_of_set`: set ids are unique per epoch and
	/// never reused), whose exposure is the one slashed. The cheap checks (known set, window,
	/// duplicate, known offender, exposure) run before the signature checks; any failure fails
	/// the call.
	pub(crate) fn do_report_equivocation(
		who: &T::AccountId,
		consumer: ConsumerId,
		proof: EquivocationProofOf,
	) -> Result<u32, DispatchError> {
		let claim = EquivocationClaim::of(&proof);
		let epoch =
			T::Consumers::epoch_of_set(consumer, claim.set_id).ok_or(Error::<T>::UnknownSetId)?;
		let now = Self::now();
		Self::ensure_reportable(epoch, now)?;
		ensure!(
			!ReportedEquivocations::<T>::contains_key(
				epoch,
				(consumer, claim.offender, claim.set_id, claim.round)
			),
			Error::<T>::DuplicateReport
		);
		let operator = T::Consumers::operator_of_key_at(epoch, consumer, &claim.offender)
			.ok_or(Error::<T>::UnknownOffender)?;
		let exposure =
			T::Consumers::exposure(epoch, consumer, &operator).ok_or(Error::<T>::NoExposure)?;
		ensure!(evidence::verify(proof), Error::<T>::InvalidEquivocationProof);
		let pools = exposure.pools.len() as u32;
		let claimed = Params::<T>::get().fraction_of(OffenceKind::Equivocation);
		Self::create_pending(
			consumer,
			operator,
			OffenceKind::Equivocation,
			epoch,
			now,
			claimed,
			Some(who.clone()),
			Evidence::GrandpaEquivocation {
				set_id: claim.set_id,
				round: claim.round,
				key: claim.offender,
			},
			&exposure,
		)?;
		Ok(pools)
	}

	/// An offence of `epoch` may be reported at `now`: not in the future, within the report
	/// window, and not older than the pruned records (which the window already implies).
	fn ensure_reportable(epoch: EpochIndex, now: EpochIndex) -> DispatchResult {
		ensure!(epoch <= now, Error::<T>::FutureEpoch);
		ensure!(
			now.saturating_sub(epoch) <= Params::<T>::get().report_window,
			Error::<T>::OutsideReportWindow
		);
		ensure!(epoch >= EpochCursors::<T>::get().prune_from, Error::<T>::OutsideReportWindow);
		Ok(())
	}

	/// Record a pending slash of `operator` on `consumer` for an offence of `kind` in `epoch`
	/// claiming fraction `claimed`, reported at `now`, due `veto_delay` epochs later.
	///
	/// Slashing span (top-up): if the (operator, consumer)'s current span started at most
	/// `report_window` epochs before `epoch`, the slash only applies `claimed` minus the span's
	/// highest fraction, and fails with `OffenceAlreadyCovered` if that is nothing; otherwise
	/// it opens a new span at `epoch` and applies `claimed` whole (even zero: a jail).
	///
	/// Copies the exposure into the record, queues it at the tail of its due epoch's FIFO,
	/// records its duplicate-detection entry and the pending counters, and lists its pools in
	/// [`UncountedSlashes`] (counted per pool by the next block's `on_initialize`: the report
	/// writes the same items whatever the number of pools). Emits `OffenceReported`. Returns
	/// the slash id.
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn create_pending(
		consumer: ConsumerId,
		operator: T::AccountId,
		kind: OffenceKind,
		epoch: EpochIndex,
		now: EpochIndex,
		claimed: Perbill,
		reporter: Option<T::AccountId>,
		evidence: Evidence<DetailsOf<T>>,
		exposure: &ExposureInfo<T::Balance>,
	) -> Result<SlashId, DispatchError> {
		let params = Params::<T>::get();
		let pools: ExposedPoolsOf<T> =
			exposure.pools.clone().try_into().map_err(|_| Error::<T>::TooManyExposedPools)?;
		ensure!(
			PairPendingCount::<T>::get(&operator, consumer) < T::MaxPendingPerPair::get()
				&& ConsumerPendingCount::<T>::get(consumer) < T::MaxPendingPerConsumer::get(),
			Error::<T>::TooManyPendingSlashes
		);
		// The exposed pools, listed until the next block counts them (checked before any
		// write: the length is read without decoding the list).
		let uncounted = if pools.is_empty() {
			None
		} else {
			ensure!(
				UncountedSlashes::<T>::decode_len().unwrap_or(0) < MAX_UNCOUNTED_SLASHES as usize,
				Error::<T>::TooManyReportsInBlock
			);
			let ids: Vec<PoolId> = pools.iter().map(|(pool, _)| *pool).collect();
			Some(
				UncountedPoolsOf::<T>::try_from(ids)
					.map_err(|_| Error::<T>::TooManyExposedPools)?,
			)
		};

		// The slashing span: top-up semantics.
		let (span_start, previous, fresh) = match Spans::<T>::get(&operator, consumer) {
			Some(span) if epoch <= span.start.saturating_add(params.report_window) => {
				(span.start, span.max, false)
			}
			_ => (epoch, Perbill::zero(), true),
		};
		ensure!(fresh || claimed > previous, Error::<T>::OffenceAlreadyCovered);
		let fraction = claimed.saturating_sub(previous);

		let due_epoch = now.checked_add(params.veto_delay).ok_or(Error::<T>::Overflow)?;
		let queue_epoch = due_epoch.max(EpochCursors::<T>::get().next_due);
		let slash_id = NextSlashId::<T>::get();
		NextSlashId::<T>::put(slash_id.checked_add(1).ok_or(Error::<T>::Overflow)?);
		let queued = Self::enqueue(queue_epoch, slash_id, false)?;

		// Amounts, rounded up (slashes round against the slashed).
		let bond_amount = fraction.mul_ceil(exposure.own);
		let pool_amounts: Vec<_> =
			pools.iter().map(|(pool, backing)| (*pool, fraction.mul_ceil(*backing))).collect();
		let pools_total = pool_amounts
			.iter()
			.fold(T::Balance::zero(), |total, (_, amount)| total.saturating_add(*amount));

		match &evidence {
			Evidence::Reported(_) => {
				Reported::<T>::insert(epoch, (consumer, operator.clone(), kind), slash_id)
			}
			Evidence::GrandpaEquivocation { set_id, round, key } => {
				ReportedEquivocations::<T>::insert(
					epoch,
					(consumer, *key, *set_id, *round),
					slash_id,
				)
			}
		}
		Spans::<T>::insert(
			&operator,
			consumer,
			SlashSpan { start: span_start, max: claimed.max(previous) },
		);
		if fresh {
			SpanStarts::<T>::insert(span_start, (operator.clone(), consumer), ());
		}
		PendingByConsumer::<T>::insert(consumer, slash_id, ());
		ConsumerPendingCount::<T>::mutate(consumer, increment);
		PairPendingCount::<T>::mutate(&operator, consumer, increment);
		OperatorPendingCount::<T>::mutate(&operator, increment);
		if let Some(pools) = uncounted {
			// Appended without decoding the list; room was checked above.
			UncountedSlashes::<T>::try_append(UncountedSlash { slash_id, epoch, pools })
				.map_err(|_| Error::<T>::TooManyReportsInBlock)?;
		}
		PendingSlashes::<T>::insert(
			slash_id,
			PendingSlash {
				consumer_id: consumer,
				operator: operator.clone(),
				kind,
				epoch,
				fraction,
				reported_fraction: claimed,
				span_start,
				reporter: reporter.clone(),
				reported_at: now,
				due_epoch,
				queued: Some(queued),
				bond_amount,
				pools_amount: pools_total,
				exposure: ExposureCopy { own: exposure.own, pools },
				evidence,
			},
		);

		Self::deposit_event(Event::OffenceReported {
			slash_id,
			consumer_id: consumer,
			operator,
			kind,
			epoch,
			fraction,
			reported_fraction: claimed,
			due_epoch,
			reporter,
			bond_amount,
			pool_amounts,
			pools_total,
		});
		Ok(slash_id)
	}

	/// Put `slash_id` at the tail of the FIFO of due epoch `epoch`.
	pub(crate) fn enqueue(
		epoch: EpochIndex,
		slash_id: SlashId,
		requeued: bool,
	) -> Result<QueuePosition, DispatchError> {
		let mut ends = DueQueueEnds::<T>::get(epoch).unwrap_or_default();
		let index = ends.tail;
		ends.tail = index.checked_add(1).ok_or(Error::<T>::Overflow)?;
		SlashesDue::<T>::insert(epoch, index, slash_id);
		DueQueueEnds::<T>::insert(epoch, ends);
		Ok(QueuePosition { epoch, index, requeued })
	}

	/// Forget the indexes of pending slash `slash_id` (already taken out of
	/// [`PendingSlashes`]): its queue entry, its consumer index and the pending counters. Its
	/// pools leave [`UncountedSlashes`] if it was reported in this block and not counted yet,
	/// else their counts go down at once (one write per pool). Used by the execution and by the
	/// sweep of a consumer's cancelled slashes (both weighed per pool in their hook); a single
	/// veto uses [`Self::forget_cancelled`].
	pub(crate) fn forget_pending(slash_id: SlashId, slash: &PendingSlashOf<T>) {
		Self::forget_indexes(slash_id, slash);
		if !Self::unlist_uncounted(slash_id, slash) {
			// Counted in an earlier block.
			for (pool, _) in slash.exposure.pools.iter() {
				PoolPendingCount::<T>::mutate_exists(pool, slash.epoch, decrement);
			}
		}
	}

	/// As [`Self::forget_pending`], for `cancel_slash`, at a cost that does not depend on the
	/// number of pools: a slash counted in an earlier block is listed in [`UncountedCancels`]
	/// and the next block's `on_initialize` counts its pools down
	/// ([`Self::uncount_cancelled_pools`]). Fails with `TooManyCancelsInBlock` when the list is
	/// full, before any write. Does not touch [`PendingSlashes`]: the caller removes the record
	/// once this succeeded.
	pub(crate) fn forget_cancelled(slash_id: SlashId, slash: &PendingSlashOf<T>) -> DispatchResult {
		if !Self::unlist_uncounted(slash_id, slash) {
			// Counted in an earlier block. Appended without decoding the list; a full list is
			// refused (by its length) before anything is written.
			let pools: Vec<PoolId> = slash.exposure.pools.iter().map(|(pool, _)| *pool).collect();
			let pools = UncountedPoolsOf::<T>::try_from(pools)
				.map_err(|_| Error::<T>::TooManyExposedPools)?;
			UncountedCancels::<T>::try_append(UncountedSlash {
				slash_id,
				epoch: slash.epoch,
				pools,
			})
			.map_err(|_| Error::<T>::TooManyCancelsInBlock)?;
		}
		Self::forget_indexes(slash_id, slash);
		Ok(())
	}

	/// Remove pending slash `slash_id`'s queue entry, consumer index entry and pending
	/// counters (not its pools' counts).
	fn forget_indexes(slash_id: SlashId, slash: &PendingSlashOf<T>) {
		if let Some(position) = slash.queued {
			SlashesDue::<T>::remove(position.epoch, position.index);
		}
		PendingByConsumer::<T>::remove(slash.consumer_id, slash_id);
		ConsumerPendingCount::<T>::mutate_exists(slash.consumer_id, decrement);
		PairPendingCount::<T>::mutate_exists(&slash.operator, slash.consumer_id, decrement);
		OperatorPendingCount::<T>::mutate_exists(&slash.operator, decrement);
	}

	/// Whether slash `slash_id`'s pools need no count down: it has none, or it was reported in
	/// this block and is still listed in [`UncountedSlashes`] (it then leaves the list). `false`:
	/// its pools were counted in an earlier block.
	fn unlist_uncounted(slash_id: SlashId, slash: &PendingSlashOf<T>) -> bool {
		if slash.exposure.pools.is_empty() {
			return true;
		}
		let mut uncounted = UncountedSlashes::<T>::get();
		let listed = uncounted.len();
		uncounted.retain(|entry| entry.slash_id != slash_id);
		if uncounted.len() == listed {
			return false;
		}
		if uncounted.is_empty() {
			UncountedSlashes::<T>::kill();
		} else {
			UncountedSlashes::<T>::put(uncounted);
		}
		true
	}

	/// Count the pools of the slashes reported in the previous block: every entry of
	/// [`UncountedSlashes`] adds one to [`PoolPendingCount`] of each of its pools at its
	/// offence epoch, and the list is emptied. Run by `on_initialize`, before any call of the
	/// block. Returns the weight used.
	pub(crate) fn count_reported_pools() -> Weight {
		let uncounted = UncountedSlashes::<T>::get();
		if uncounted.is_empty() {
			return T::WeightInfo::count_reported_pools(0);
		}
		UncountedSlashes::<T>::kill();
		let mut counted = 0u32;
		for entry in uncounted {
			for pool in entry.pools.iter() {
				PoolPendingCount::<T>::mutate(pool, entry.epoch, increment);
				counted.saturating_inc();
			}
		}
		T::WeightInfo::count_reported_pools(counted)
	}

	/// Count down the pools of the slashes `cancel_slash` cancelled in the previous block:
	/// every entry of [`UncountedCancels`] removes one from [`PoolPendingCount`] of each of its
	/// pools at its offence epoch, and the list is emptied. Run by `on_initialize`, before any
	/// call of the block (the order with [`Self::count_reported_pools`] does not matter: a
	/// listed cancel's pools were counted in an earlier block). Returns the weight used.
	pub(crate) fn uncount_cancelled_pools() -> Weight {
		let cancelled = UncountedCancels::<T>::get();
		if cancelled.is_empty() {
			return T::WeightInfo::uncount_cancelled_pools(0);
		}
		UncountedCancels::<T>::kill();
		let mut uncounted = 0u32;
		for entry in cancelled {
			for pool in entry.pools.iter() {
				PoolPendingCount::<T>::mutate_exists(pool, entry.epoch, |count| {
					if count.is_none() {
						defensive!("a cancelled slash's pool was not counted");
					}
					decrement(count);
				});
				uncounted.saturating_inc();
			}
		}
		T::WeightInfo::uncount_cancelled_pools(uncounted)
	}

	/// Whether a slash of the current block not counted yet ([`UncountedSlashes`]) may take
	/// from `pool` for an offence epoch `epoch` with `in_range(epoch)`.
	fn uncounted_takes_from(pool: PoolId, in_range: impl Fn(EpochIndex) -> bool) -> bool {
		UncountedSlashes::<T>::get()
			.iter()
			.any(|entry| in_range(entry.epoch) && entry.pools.contains(&pool))
	}

	/// Cancel pending slash `slash_id` (the caller checked the origin), in constant storage
	/// accesses: its pools, if counted in an earlier block, are counted down by the next
	/// block ([`Self::forget_cancelled`]). Fails with `TooManyCancelsInBlock`, changing
	/// nothing, if [`UncountedCancels`] is full.
	pub(crate) fn do_cancel_slash(slash_id: SlashId) -> DispatchResult {
		let slash = PendingSlashes::<T>::get(slash_id).ok_or(Error::<T>::UnknownSlash)?;
		Self::forget_cancelled(slash_id, &slash)?;
		PendingSlashes::<T>::remove(slash_id);
		Self::cancelled(slash_id, slash);
		Ok(())
	}

	/// What every cancel does once `slash` (pending slash `slash_id`) left the pending records
	/// and their indexes: give its span back its fraction, and emit `SlashCancelled`.
	fn cancelled(slash_id: SlashId, slash: PendingSlashOf<T>) {
		// A cancelled report must not shield its span: if it is the span's latest top-up,
		// the span falls back to the highest fraction before it. (An earlier top-up under a
		// later one is cancelled alone; the later one keeps its own difference.)
		Spans::<T>::mutate_exists(&slash.operator, slash.consumer_id, |span| {
			if let Some(current) = span {
				if current.start == slash.span_start && current.max == slash.reported_fraction {
					current.max = slash.reported_fraction.saturating_sub(slash.fraction);
				}
			}
		});
		Self::deposit_event(Event::SlashCancelled {
			slash_id,
			consumer_id: slash.consumer_id,
			operator: slash.operator,
			kind: slash.kind,
			epoch: slash.epoch,
		});
	}

	/// Cancel every pending slash of `consumer` (the caller checked the origin), in constant
	/// storage accesses: record the horizon [`NextSlashId`] in [`CancelledConsumers`] (moved
	/// up by a second cancel, whose sweep then starts over to find the slashes reported in
	/// between). The slashes below it never execute and are swept by the next blocks
	/// ([`Self::sweep_cancelled`]).
	pub(crate) fn do_cancel_consumer_slashes(consumer: ConsumerId) -> DispatchResult {
		let cancelled = ConsumerPendingCount::<T>::get(consumer);
		ensure!(cancelled > 0, Error::<T>::NothingPending);
		let below = NextSlashId::<T>::get();
		CancelledConsumers::<T>::mutate(consumer, |sweep| match sweep {
			Some(sweep) if sweep.below == below => {}
			Some(sweep) => {
				sweep.below = below;
				sweep.after = None;
			}
			None => *sweep = Some(ConsumerSweep { below, after: None, swept: 0 }),
		});
		Self::deposit_event(Event::ConsumerSlashesCancelled {
			consumer_id: consumer,
			below,
			cancelled,
		});
		Ok(())
	}

	/// Whether pending slash `slash_id` of `consumer` was cancelled by
	/// `cancel_consumer_slashes` (and is not swept yet): its id is below the consumer's
	/// horizon.
	pub(crate) fn is_cancelled(slash_id: SlashId, consumer: ConsumerId) -> bool {
		CancelledConsumers::<T>::get(consumer).is_some_and(|sweep| slash_id < sweep.below)
	}

	/// Sweep a page of the first consumer of [`CancelledConsumers`]: visit up to
	/// [`MAX_SWEPT_PER_BLOCK`] entries of its [`PendingByConsumer`] after the sweep's cursor;
	/// remove each cancelled slash (id below the horizon) like a veto does, its pools counted
	/// down at once (`SlashCancelled`), and step over the newer ones. Once the index holds no
	/// more entry after the cursor, the consumer's sweep is done (`ConsumerSlashesSwept`).
	///
	/// Run by `on_initialize`, after [`Self::count_reported_pools`] (so no swept slash is still
	/// listed in [`UncountedSlashes`]). Every cancelled slash is removed exactly once: entries
	/// are visited in the map's order from the cursor, a slash reported after the cursor was
	/// placed has an id at or above the horizon, and a renewed cancel restarts the cursor.
	/// Returns the weight used: [`Self::sweep_weight`] of the slashes visited and the most pools
	/// of a swept slash.
	pub(crate) fn sweep_cancelled() -> Weight {
		let Some((consumer, mut sweep)) = CancelledConsumers::<T>::iter().next() else {
			return T::WeightInfo::sweep_cancelled(0, 0);
		};
		let page = MAX_SWEPT_PER_BLOCK as usize;
		// One more than the page: whether anything is left after it.
		let ids: Vec<SlashId> = match sweep.after {
			Some(after) => PendingByConsumer::<T>::iter_key_prefix_from(
				consumer,
				PendingByConsumer::<T>::hashed_key_for(consumer, after),
			)
			.take(page.saturating_add(1))
			.collect(),
			None => PendingByConsumer::<T>::iter_key_prefix(consumer)
				.take(page.saturating_add(1))
				.collect(),
		};
		let done = ids.len() <= page;
		let mut visited = 0u32;
		let mut pools = 0u32;
		for id in ids.into_iter().take(page) {
			visited.saturating_inc();
			sweep.after = Some(id);
			if id >= sweep.below {
				// Reported after the cancel: not cancelled.
				continue;
			}
			match PendingSlashes::<T>::take(id) {
				Some(slash) => {
					pools = pools.max(slash.exposure.pools.len() as u32);
					Self::forget_pending(id, &slash);
					Self::cancelled(id, slash);
					sweep.swept.saturating_inc();
				}
				None => {
					defensive!("a consumer's index lists a slash that is not pending");
					PendingByConsumer::<T>::remove(consumer, id);
				}
			}
		}
		if done {
			CancelledConsumers::<T>::remove(consumer);
			Self::deposit_event(Event::ConsumerSlashesSwept {
				consumer_id: consumer,
				below: sweep.below,
				swept: sweep.swept,
			});
		} else {
			CancelledConsumers::<T>::insert(consumer, sweep);
		}
		Self::sweep_weight(visited, pools)
	}

	/// What a sweep page visiting `visited` slashes of at most `pools` pools each is charged.
	/// The benchmark varies the two components one at a time, so the fit of
	/// `sweep_cancelled(n, p)` is additive in them, while the page writes `n × p` pool
	/// counters. The pools' part (`sweep_cancelled(0, p) − sweep_cancelled(0, 0)`) is
	/// therefore charged once per visited slash: over, never under.
	pub fn sweep_weight(visited: u32, pools: u32) -> Weight {
		let pools_part = T::WeightInfo::sweep_cancelled(0, pools)
			.saturating_sub(T::WeightInfo::sweep_cancelled(0, 0));
		T::WeightInfo::sweep_cancelled(visited, pools)
			.saturating_add(pools_part.saturating_mul(u64::from(visited.saturating_sub(1))))
	}

	/// Freeze `consumer`'s pending slashes.
	pub(crate) fn do_freeze(consumer: ConsumerId) -> DispatchResult {
		ensure!(!FrozenConsumers::<T>::contains_key(consumer), Error::<T>::AlreadyFrozen);
		FrozenConsumers::<T>::insert(consumer, ());
		Self::deposit_event(Event::ConsumerSlashesFrozen {
			consumer_id: consumer,
			pending: ConsumerPendingCount::<T>::get(consumer),
		});
		Ok(())
	}

	/// Unfreeze `consumer`'s pending slashes and queue again, in report order, those that left
	/// the queue while frozen. Returns how many are pending (for the weight).
	pub(crate) fn do_unfreeze(consumer: ConsumerId) -> Result<u32, DispatchError> {
		ensure!(FrozenConsumers::<T>::take(consumer).is_some(), Error::<T>::NotFrozen);
		let mut ids: Vec<SlashId> = PendingByConsumer::<T>::iter_key_prefix(consumer).collect();
		ids.sort_unstable();
		// Held slashes were due already: they go to the tail of the current epoch's queue (the
		// execution cursor moves back to it if it had passed it). Those cancelled by
		// `cancel_consumer_slashes` stay out: they wait for the sweep.
		let now = Self::now();
		let mut cursors = EpochCursors::<T>::get();
		let cancelled_below = CancelledConsumers::<T>::get(consumer).map(|sweep| sweep.below);
		let mut requeued = 0u32;
		for id in ids.iter() {
			if cancelled_below.is_some_and(|below| *id < below) {
				continue;
			}
			let Some(mut slash) = PendingSlashes::<T>::get(id) else { continue };
			if slash.queued.is_none() {
				let epoch = slash.due_epoch.max(now);
				cursors.next_due = cursors.next_due.min(epoch);
				slash.queued = Some(Self::enqueue(epoch, *id, true)?);
				PendingSlashes::<T>::insert(id, slash);
				requeued.saturating_inc();
			}
		}
		EpochCursors::<T>::put(cursors);
		let pending = ids.len() as u32;
		Self::deposit_event(Event::ConsumerSlashesUnfrozen {
			consumer_id: consumer,
			pending,
			requeued,
		});
		Ok(pending)
	}

	/// Replace the parameters (the caller checked the origin).
	pub(crate) fn do_set_params(params: SlashingParams) -> DispatchResult {
		Self::check_params(&params)?;
		let old = Params::<T>::get();
		Params::<T>::put(params.clone());
		Self::deposit_event(Event::SlashingParamsSet { old, new: params });
		Ok(())
	}

	/// Whether `params` are within the hard bounds and nest strictly with the other pallets'
	/// delays and the consumers' exposure retention (see the crate documentation).
	pub fn check_params(params: &SlashingParams) -> Result<(), Error<T>> {
		let max_fraction = T::MaxSlashFraction::get();
		ensure!(
			[
				params.downtime,
				params.equivocation,
				params.misbehaviour,
				params.max_subjective_fraction
			]
			.iter()
			.all(|fraction| *fraction <= max_fraction),
			Error::<T>::FractionTooHigh
		);
		ensure!(
			params.reporter_reward <= T::MaxReporterReward::get(),
			Error::<T>::ReporterRewardTooHigh
		);
		ensure!(params.jail_length <= T::MaxJailLength::get(), Error::<T>::JailTooLong);
		ensure!(params.veto_delay >= T::MinVetoDelay::get().max(1), Error::<T>::VetoDelayTooShort);
		ensure!(
			params.meter_period >= 1
				&& params.meter_period <= T::MaxMeterPeriod::get()
				&& params.max_slashed_per_period > 0
				&& params.max_jails_per_period > 0,
			Error::<T>::InvalidMeter
		);
		let span = params.slashable_span().ok_or(Error::<T>::DelaysDoNotNest)?;
		let two_windows = params.report_window.checked_mul(2).ok_or(Error::<T>::DelaysDoNotNest)?;
		let retention = T::Consumers::exposure_retention();
		ensure!(
			T::WithdrawalDelay::get() > span
				&& T::OptOutDelay::get() > span
				&& T::DeallocationDelay::get() > span
				&& T::UnbondingDelay::get() > span
				&& retention >= span
				&& retention >= two_windows,
			Error::<T>::DelaysDoNotNest
		);
		Ok(())
	}

	/// An empty slash meter for the period of `epoch`, with the limits of `params`.
	pub(crate) fn fresh_meter(params: &SlashingParams, epoch: EpochIndex) -> SlashMeter {
		SlashMeter {
			period: params.meter_period_of(epoch),
			slashed: 0,
			jailed: 0,
			executed: 0,
			max_slashed: params.max_slashed_per_period,
			max_jails: params.max_jails_per_period,
		}
	}

	/// Every pending slash, in id order, with its due epoch and amounts (for a runtime API).
	pub fn pending_slashes() -> Vec<(SlashId, PendingSlashOf<T>)> {
		let mut slashes: Vec<_> = PendingSlashes::<T>::iter().collect();
		slashes.sort_by_key(|(id, _)| *id);
		slashes
	}

	/// The pending slashes for offences on `consumer`, in id order (for a runtime API).
	pub fn pending_slashes_of(consumer: ConsumerId) -> Vec<(SlashId, PendingSlashOf<T>)> {
		let mut slashes: Vec<_> = PendingByConsumer::<T>::iter_key_prefix(consumer)
			.filter_map(|id| PendingSlashes::<T>::get(id).map(|slash| (id, slash)))
			.collect();
		slashes.sort_by_key(|(id, _)| *id);
		slashes
	}

	/// The pending slashes of `operator`, in id order (for a runtime API).
	pub fn pending_slashes_of_operator(
		operator: &T::AccountId,
	) -> Vec<(SlashId, PendingSlashOf<T>)> {
		let mut slashes: Vec<_> =
			PendingSlashes::<T>::iter().filter(|(_, slash)| &slash.operator == operator).collect();
		slashes.sort_by_key(|(id, _)| *id);
		slashes
	}

	/// The slashing parameters in force (for a runtime API).
	pub fn params() -> SlashingParams {
		Params::<T>::get()
	}

	/// The current slashing span of (`operator`, `consumer`), if any.
	pub fn span(operator: &T::AccountId, consumer: ConsumerId) -> Option<SlashSpan> {
		Spans::<T>::get(operator, consumer)
	}
}

/// Exits wait while a slash that may take the leaving stake is pending (wired by the runtime
/// into the operators and pools pallets).
impl<T: Config> palisade_primitives::PendingSlashes<T::AccountId> for Pallet<T> {
	fn operator_has_pending(operator: &T::AccountId) -> bool {
		OperatorPendingCount::<T>::get(operator) > 0
	}

	/// Counted ([`PoolPendingCount`]) or reported in this block and not counted yet
	/// ([`UncountedSlashes`]): exactly the pending slashes whose exposure copy holds `pool`.
	fn pool_has_pending(pool: PoolId, offence_epoch: Option<EpochIndex>) -> bool {
		let in_range = |epoch: EpochIndex| offence_epoch.is_none_or(|from| epoch >= from);
		let counted = match offence_epoch {
			None => PoolPendingCount::<T>::iter_prefix(pool).next().is_some(),
			Some(_) => PoolPendingCount::<T>::iter_prefix(pool).any(|(epoch, _)| in_range(epoch)),
		};
		counted || Self::uncounted_takes_from(pool, in_range)
	}

	/// As [`Self::pool_has_pending`], for offence epochs up to `last_epoch`.
	fn pool_has_pending_through(pool: PoolId, last_epoch: EpochIndex) -> bool {
		let in_range = |epoch: EpochIndex| epoch <= last_epoch;
		PoolPendingCount::<T>::iter_prefix(pool).any(|(epoch, _)| in_range(epoch))
			|| Self::uncounted_takes_from(pool, in_range)
	}
}
