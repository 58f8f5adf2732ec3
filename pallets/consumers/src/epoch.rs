//! The epoch clock and the metered transition run in `on_initialize`, and the pruning of
//! expired exposures.

use crate::*;
use frame_support::{
	traits::Get,
	weights::{Weight, WeightMeter},
};
use frame_system::pallet_prelude::BlockNumberFor;
use palisade_primitives::{EpochHooks, EpochIndex, OperatorRegistry, PoolsInterface};
use sp_runtime::traits::Saturating;

/// Charge `weight` to `meter`; what does not fit (the neighbours' hooks are not metered by this
/// pallet) is added to `excess`, so the weight reported for the block stays exact.
fn charge(meter: &mut WeightMeter, excess: &mut Weight, weight: Weight) {
	if meter.try_consume(weight).is_err() {
		let remaining = meter.remaining();
		excess.saturating_accrue(weight.saturating_sub(remaining));
		meter.consume(remaining);
	}
}

impl<T: Config> Pallet<T> {
	/// Everything `on_initialize` does in block `n`, within `limit`:
	///
	/// 1. start the next epoch if `n` is at least `EpochStart + EpochLength` and the previous
	///    transition is finished ([`Self::start_epoch`]);
	/// 2. continue the transition, page by page of the consumers' steps, while the bound of the
	///    next page fits ([`Self::continue_transition`]);
	/// 3. prune exposure histories no longer needed with what fits ([`Self::prune`]);
	/// 4. hand the rest to `T::EpochHooks::on_idle_epoch_work`.
	///
	/// Returns the weight used.
	pub fn on_initialize_with_limit(n: BlockNumberFor<T>, limit: Weight) -> Weight {
		let mut meter = WeightMeter::with_limit(limit);
		let mut excess = Weight::zero();
		charge(&mut meter, &mut excess, T::WeightInfo::on_initialize_idle());

		let next_start = EpochStart::<T>::get().saturating_add(EpochLength::<T>::get());
		if n >= next_start && !Transition::<T>::exists() {
			Self::start_epoch(n, &mut meter, &mut excess);
		}
		Self::continue_transition(&mut meter);
		Self::prune(&mut meter, &mut excess);
		let used = T::EpochHooks::on_idle_epoch_work(Self::now(), meter.remaining());
		charge(&mut meter, &mut excess, used);
		meter.consumed().saturating_add(excess)
	}

	/// Enter the next epoch in block `n`: bump the clock, let the operator registry, the pools
	/// and the epoch hooks (in that order) do their epoch-start work, and open the transition
	/// of the consumers.
	pub(crate) fn start_epoch(n: BlockNumberFor<T>, meter: &mut WeightMeter, excess: &mut Weight) {
		charge(meter, excess, T::WeightInfo::start_epoch());
		let epoch = Self::now().saturating_add(1);
		CurrentEpoch::<T>::put(epoch);
		EpochStart::<T>::put(n);
		Self::deposit_event(Event::EpochStarted { epoch, first_block: n });
		// Open before the neighbours' epoch-start work: what they change now (a slash
		// executed, an allocation settled) is noted for this epoch's selection.
		Transition::<T>::put(TransitionCursor { epoch, last: None });

		charge(meter, excess, T::Operators::on_new_epoch(epoch));
		charge(meter, excess, T::Pools::on_new_epoch(epoch));
		let used = T::EpochHooks::on_epoch_start(epoch, meter.remaining());
		charge(meter, excess, used);
	}

	/// The weight of the whole step of the worst consumer, over all its pages: as many
	/// operators opted in, each backed by as many pools, as the neighbours allow, and a
	/// previous set as large whose members all leave. No longer a bound of anything (a step
	/// runs page by page, [`Self::largest_page_weight`] is what must fit in a block): for
	/// reports.
	pub fn worst_consumer_weight() -> Weight {
		let operators = T::Operators::max_operators_per_consumer();
		Self::consumer_step_weight(operators, operators)
	}

	/// Each kind of page of a consumer's transition step, with the most operators, pools and
	/// members the bounds allow, and what it costs in a block (with the read of the kept
	/// step): what `integrity_test` requires to fit in [`Config::MaxEpochTransitionWeight`]
	/// with an idle block.
	pub fn transition_pages() -> [(&'static str, Weight); 6] {
		let size = Self::page_size();
		let pools = size.saturating_mul(T::Pools::max_pools_per_operator());
		let listed = T::Operators::max_operators_per_consumer();
		let set = T::MaxOperatorsPerConsumer::get();
		// Every block of an open transition first reads the kept step (see
		// `continue_transition`); a start also reads what its bound needs.
		let load = T::DbWeight::get().reads(3);
		let reads = load.saturating_add(T::DbWeight::get().reads(4));
		[
			(
				"the start of a consumer (listing its opted-in operators)",
				reads.saturating_add(T::WeightInfo::transition_start(listed)),
			),
			(
				"the republication of the largest set",
				reads.saturating_add(T::WeightInfo::process_unchanged_consumer(set)),
			),
			(
				"a page of scoring",
				load.saturating_add(T::WeightInfo::transition_score_page(size, pools)),
			),
			(
				// Each member with its new pools and the old pools it leaves.
				"a page of member records",
				load.saturating_add(T::WeightInfo::transition_sync_page(
					size,
					pools.saturating_mul(2),
				)),
			),
			(
				"a page of retirements and the close of a consumer without a set",
				load.saturating_add(T::WeightInfo::transition_retire_page(size, pools))
					.saturating_add(T::WeightInfo::process_stopped_consumer(0, 0)),
			),
			(
				"the publication of the largest set",
				load.saturating_add(T::WeightInfo::transition_publish(set)),
			),
		]
	}

	/// The largest of [`Self::transition_pages`].
	pub fn largest_page_weight() -> Weight {
		Self::transition_pages()
			.into_iter()
			.fold(Weight::zero(), |largest, (_, weight)| largest.max(weight))
	}

	/// Continue the open transition: first drain the epoch's change notes into
	/// [`DirtyConsumers`] ([`Self::expand_changes`]), then run the pages of the consumers'
	/// steps (`step.rs`), in id order, while the bound of the next page
	/// ([`Self::page_bound`]) fits in `meter`. A consumer's step may stop at the end of any of
	/// its pages and go on in the next block (kept in [`ConsumerStep`]); the transition moves
	/// past a consumer at the last page of its step, and closes after the last consumer.
	pub(crate) fn continue_transition(meter: &mut WeightMeter) {
		let Some(mut cursor) = Transition::<T>::get() else { return };
		if ExpandedEpoch::<T>::get() < cursor.epoch && !Self::expand_changes(cursor.epoch, meter) {
			return;
		}
		let ids = ConsumerIds::<T>::get();
		let mut step = Self::load_step();
		let stored = step.is_some();
		// The step kept by a previous block (its cursor, and with it the operators and the
		// ranking) is read once per block; the pages' benchmarks count it again.
		let _ = meter.try_consume(T::DbWeight::get().reads(if stored { 3 } else { 1 }));
		loop {
			let consumer_id = match &step {
				Some(step) => step.cursor.consumer_id,
				None => {
					let start = match cursor.last {
						Some(last) => ids.partition_point(|id| *id <= last),
						None => 0,
					};
					match ids.get(start) {
						Some(id) => *id,
						None => break,
					}
				}
			};
			let bound = Self::page_bound(consumer_id, cursor.epoch, step.as_ref());
			if !meter.can_consume(bound) {
				Self::store_step(step.as_ref(), stored);
				Transition::<T>::put(cursor);
				return;
			}
			let (used, next) = Self::run_page(consumer_id, cursor.epoch, step.take());
			meter.consume(used.min(bound));
			if next.is_none() {
				cursor.last = Some(consumer_id);
			}
			step = next;
		}
		Self::store_step(None, stored);
		Transition::<T>::kill();
	}

	/// Work through the pairs due for pruning ([`PairPruning`]) of every epoch up to the
	/// current one, oldest first, one pair at a time while the cost of one more fits in
	/// `meter` (a pair costs at most `prune_exposures(1)`).
	pub(crate) fn prune(meter: &mut WeightMeter, excess: &mut Weight) {
		let now = Self::now();
		let mut state = Pruning::<T>::get();
		let before = state.clone();
		let base = T::WeightInfo::prune_exposures(0);
		let per_pair = T::WeightInfo::prune_exposures(1).saturating_sub(base);
		// Reading the position and finding nothing due is part of an idle block's weight;
		// the base is charged once something is pruned or the position moves.
		if state.epoch > now || !meter.can_consume(base.saturating_add(per_pair)) {
			return;
		}
		charge(meter, excess, base);
		while state.epoch <= now {
			if !meter.can_consume(per_pair) {
				break;
			}
			match PairPruning::<T>::iter_key_prefix((state.epoch,)).next() {
				Some((consumer_id, operator)) => {
					PairPruning::<T>::remove((state.epoch, consumer_id, &operator));
					Self::prune_pair(consumer_id, &operator);
					charge(meter, excess, per_pair);
				}
				None => state.epoch = state.epoch.saturating_add(1),
			}
		}
		if state != before {
			Pruning::<T>::put(state);
		}
	}

	/// The first epoch whose exposures may still exist (older ones are pruned or being
	/// pruned), given the current epoch.
	pub(crate) fn oldest_retained_epoch() -> EpochIndex {
		Self::now().saturating_sub(T::ExposureRetention::get())
	}

	/// The configuration checks of `integrity_test`.
	pub(crate) fn check_integrity() {
		assert!(T::ExposureRetention::get() >= 1, "ExposureRetention must be at least 1 epoch");
		assert!(<T as Config>::MaxConsumers::get() >= 1, "MaxConsumers must be at least 1");
		assert!(T::MaxOperatorsPerConsumer::get() >= 1, "MaxOperatorsPerConsumer must be >= 1");
		assert!(T::MaxOptInsReapedPerCall::get() >= 1, "MaxOptInsReapedPerCall must be >= 1");
		// Registered in epoch `r`, a consumer may activate at the transitions into `r + 1` to
		// `r + ActivationPeriod - 1`: with fewer than 2 epochs it could never activate.
		assert!(T::ActivationPeriod::get() >= 2, "ActivationPeriod must be at least 2 epochs");
		assert!(
			T::Operators::max_operators_per_consumer() <= T::MaxOperatorsPerConsumer::get(),
			"MaxOperatorsPerConsumer must cover the operator registry's opt-ins per consumer"
		);
		assert!(
			T::Pools::max_pools_per_operator() <= T::MaxPoolsPerOperator::get(),
			"MaxPoolsPerOperator must cover the pools' bound per operator"
		);
		assert!(
			T::OperatorsPerTransitionPage::get() >= 1,
			"OperatorsPerTransitionPage must be at least 1"
		);
		// A consumer's step runs page by page (`step.rs`): each page must fit in a block, not
		// the whole step of a consumer.
		let idle = T::WeightInfo::on_initialize_idle();
		let limit = T::MaxEpochTransitionWeight::get();
		let fixed = [
			("the epoch start", T::WeightInfo::start_epoch()),
			("one exposure pruning", T::WeightInfo::prune_exposures(1)),
		];
		for (what, weight) in fixed.into_iter().chain(Self::transition_pages()) {
			assert!(
				idle.saturating_add(weight).all_lte(limit),
				"MaxEpochTransitionWeight must fit {what} in one block",
			);
		}
	}
}
