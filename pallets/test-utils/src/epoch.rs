//! The epoch clock, the epoch hooks, and the log of the calls made to the neighbours.

use crate::shared;
use frame_support::weights::Weight;
use palisade_primitives::{ConsumerId, EpochHooks, EpochIndex, EpochProvider};

/// Epoch clock ([`EpochProvider`]): answers the epoch set by [`set_epoch`] (0 after
/// [`reset`](crate::reset)).
pub struct MockEpochProvider;

impl EpochProvider for MockEpochProvider {
	fn current_epoch() -> EpochIndex {
		current_epoch()
	}
}

/// Move the mock's epoch clock to `epoch`.
pub fn set_epoch(epoch: EpochIndex) {
	shared(|shared| shared.epoch = epoch);
}

/// The epoch [`MockEpochProvider`] answers.
pub fn current_epoch() -> EpochIndex {
	shared(|shared| shared.epoch)
}

/// Something a pallet asked of its mocked neighbours, in the log read by
/// [`take_neighbour_calls`].
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum NeighbourCall {
	/// `MockOperators::on_new_epoch(epoch)`.
	OperatorsNewEpoch(EpochIndex),
	/// `MockPools::on_new_epoch(epoch)`.
	PoolsNewEpoch(EpochIndex),
	/// `MockHooks::on_epoch_start(epoch, budget)`.
	HookEpochStart(EpochIndex, Weight),
	/// `MockHooks::on_idle_epoch_work(epoch, budget)`.
	HookIdle(EpochIndex, Weight),
	/// `MockOperators::opted_in_operators(consumer, epoch)`.
	OptedInQuery(ConsumerId, EpochIndex),
}

/// Append `call` to the log.
pub(crate) fn record_call(call: NeighbourCall) {
	shared(|shared| shared.calls.push(call));
}

/// Every call made to the neighbours since the last [`take_neighbour_calls`] (or
/// [`reset`](crate::reset)), oldest first.
pub fn neighbour_calls() -> Vec<NeighbourCall> {
	shared(|shared| shared.calls.clone())
}

/// Like [`neighbour_calls`], and empty the log.
pub fn take_neighbour_calls() -> Vec<NeighbourCall> {
	shared(|shared| core::mem::take(&mut shared.calls))
}

/// Epoch hooks ([`EpochHooks`]) that log their calls ([`NeighbourCall::HookEpochStart`],
/// [`NeighbourCall::HookIdle`]) and report the weights set by [`Self::set_start_weight`] and
/// [`Self::set_idle_weight`] (zero by default), capped by their budget.
pub struct MockHooks;

impl MockHooks {
	/// The weight `on_epoch_start` reports (capped by its budget).
	pub fn set_start_weight(weight: Weight) {
		shared(|shared| shared.hook_start_weight = weight);
	}

	/// The weight `on_idle_epoch_work` reports (capped by its budget).
	pub fn set_idle_weight(weight: Weight) {
		shared(|shared| shared.hook_idle_weight = weight);
	}
}

impl EpochHooks for MockHooks {
	fn on_epoch_start(epoch: EpochIndex, budget: Weight) -> Weight {
		record_call(NeighbourCall::HookEpochStart(epoch, budget));
		shared(|shared| shared.hook_start_weight).min(budget)
	}

	fn on_idle_epoch_work(epoch: EpochIndex, budget: Weight) -> Weight {
		record_call(NeighbourCall::HookIdle(epoch, budget));
		shared(|shared| shared.hook_idle_weight).min(budget)
	}
}
