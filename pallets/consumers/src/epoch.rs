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
	/// 2. continue the transition, consumer by consumer, while the worst case of the next one
	///    fits ([`Self::continue_transition`]);
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

	/// The weight charged before processing one consumer: the worst case, with as many
	/// operators opted in, each backed by as many pools, as the neighbours allow.
	pub fn worst_consumer_weight() -> Weight {
		let operators = T::Operators::max_operators_per_consumer();
		let backings = operators.saturating_mul(T::Pools::max_pools_per_operator());
		// A new set of the most members, and a previous set as large whose members all leave.
		T::WeightInfo::process_consumer(operators, backings)
			.saturating_add(T::WeightInfo::process_stopped_consumer(operators, backings))
	}

	/// Continue the open transition: first drain the epoch's change notes into
	/// [`DirtyConsumers`] ([`Self::expand_changes`]), then process the remaining consumers in
	/// id order while the bound of the next one ([`Self::consumer_step_bound`]: small for a
	/// consumer whose inputs did not change) fits in `meter`; close the transition after the
	/// last one.
	pub(crate) fn continue_transition(meter: &mut WeightMeter) {
		let Some(mut cursor) = Transition::<T>::get() else { return };
		if ExpandedEpoch::<T>::get() < cursor.epoch && !Self::expand_changes(cursor.epoch, meter) {
			return;
		}
		let ids = ConsumerIds::<T>::get();
		let mut start = match cursor.last {
			Some(last) => ids.partition_point(|id| *id <= last),
			None => 0,
		};
		while let Some(&consumer_id) = ids.get(start) {
			let bound = Self::consumer_step_bound(consumer_id, cursor.epoch);
			if !meter.can_consume(bound) {
				Transition::<T>::put(cursor);
				return;
			}
			let used = Self::process_consumer(consumer_id, cursor.epoch)
				.saturating_add(T::DbWeight::get().reads(4));
			meter.consume(used.min(bound));
			cursor.last = Some(consumer_id);
			start = start.saturating_add(1);
		}
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
		let idle = T::WeightInfo::on_initialize_idle();
		let limit = T::MaxEpochTransitionWeight::get();
		for (what, weight) in [
			("the epoch start", T::WeightInfo::start_epoch()),
			("the worst-case consumer", Self::worst_consumer_weight()),
			("one exposure pruning", T::WeightInfo::prune_exposures(1)),
		] {
			assert!(
				idle.saturating_add(weight).all_lte(limit),
				"MaxEpochTransitionWeight must fit {what} in one block",
			);
		}
	}
}
