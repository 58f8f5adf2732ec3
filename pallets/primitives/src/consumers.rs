//! Consumer chains: what the slashing pallet may ask of the consumer registry, and the hook
//! through which the epoch clock (run by the consumers pallet) lets other pallets act at the
//! start of each epoch.

use crate::{ConsumerId, ConsumerKey, EpochIndex, PoolId};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::weights::Weight;
use scale_info::TypeInfo;

/// The stake that backed one operator for one consumer during one epoch, as snapshotted at
/// that epoch's transition. Amounts are native-valued (PAL Planck).
#[derive(Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, Debug)]
pub struct ExposureInfo<Balance> {
	/// The key the operator validated the consumer with during that epoch.
	pub key: ConsumerKey,
	/// The operator's own bond counted towards this consumer.
	pub own: Balance,
	/// The pools backing the operator for this consumer, and how much each backed.
	pub pools: Vec<(PoolId, Balance)>,
	/// `own` plus the sum of `pools`.
	pub total: Balance,
}

/// What the slashing pallet may ask of the consumer registry.
///
/// Exposures are kept for [`Self::exposure_retention`] epochs after the epoch they describe,
/// then pruned: an offence must be reported and executed within that window.
pub trait ConsumersInterface<AccountId, Balance> {
	/// The account allowed to report offences for `consumer`, if the consumer exists and has
	/// one.
	fn reporter(consumer: ConsumerId) -> Option<AccountId>;

	/// The admin of `consumer`, if it exists.
	fn admin(consumer: ConsumerId) -> Option<AccountId>;

	/// The account allowed to report offences of `epoch` for `consumer`: the reporter in force
	/// now, provided it was already in force at `epoch` (a new reporter cannot reach offences
	/// of epochs before it took office). The default ignores `epoch`.
	fn reporter_at(consumer: ConsumerId, epoch: EpochIndex) -> Option<AccountId> {
		let _ = epoch;
		Self::reporter(consumer)
	}

	/// The exposure of `operator` for `consumer` in `epoch`: `Some` iff the operator was in the
	/// consumer's published validator set for that epoch and the snapshot is still kept.
	fn exposure(
		epoch: EpochIndex,
		consumer: ConsumerId,
		operator: &AccountId,
	) -> Option<ExposureInfo<Balance>>;

	/// The one epoch whose published validator set of `consumer` carried `set_id`, if that
	/// epoch is still remembered (within the exposure retention). Every epoch an active
	/// consumer has gets a fresh set id, monotonic per consumer and never reused (also across
	/// a pause and reactivation), so a set id maps to exactly one epoch. A consumer chain that
	/// enacts every published set (a GRANDPA authority change every epoch, even with unchanged
	/// members) runs GRANDPA with the same set id, so evidence carrying a set id maps to the
	/// epoch whose exposure it slashes. `set_id` is the set id signed in the consumer chain's
	/// votes; an implementation maps it through the chain's declared anchor (the Palisade set
	/// of its GRANDPA set 0).
	fn epoch_of_set(consumer: ConsumerId, set_id: u64) -> Option<EpochIndex>;

	/// The operator whose key in `consumer`'s validator set of `epoch` is `key`, if any.
	fn operator_of_key_at(
		epoch: EpochIndex,
		consumer: ConsumerId,
		key: &ConsumerKey,
	) -> Option<AccountId>;

	/// For how many epochs after an epoch its exposures are kept.
	fn exposure_retention() -> EpochIndex;

	/// Record an exposure of `operator` for `consumer` in `epoch` (creating the consumer if
	/// needed, with `reporter` as its reporter), for benchmarks of pallets that need one. The
	/// default does nothing.
	#[cfg(feature = "runtime-benchmarks")]
	fn set_exposure_for_benchmarks(
		_epoch: EpochIndex,
		_consumer: ConsumerId,
		_operator: &AccountId,
		_reporter: &AccountId,
		_exposure: ExposureInfo<Balance>,
	) {
	}
}

/// No consumers: nothing is exposed, nobody may report.
impl<AccountId, Balance> ConsumersInterface<AccountId, Balance> for () {
	fn reporter(_consumer: ConsumerId) -> Option<AccountId> {
		None
	}
	fn admin(_consumer: ConsumerId) -> Option<AccountId> {
		None
	}
	fn exposure(
		_epoch: EpochIndex,
		_consumer: ConsumerId,
		_operator: &AccountId,
	) -> Option<ExposureInfo<Balance>> {
		None
	}
	fn epoch_of_set(_consumer: ConsumerId, _set_id: u64) -> Option<EpochIndex> {
		None
	}
	fn operator_of_key_at(
		_epoch: EpochIndex,
		_consumer: ConsumerId,
		_key: &ConsumerKey,
	) -> Option<AccountId> {
		None
	}
	fn exposure_retention() -> EpochIndex {
		0
	}
}

/// Work other pallets do at the start of every epoch, called by the epoch clock (the consumers
/// pallet) after the operator registry and the pools have applied their scheduled changes and
/// before the new validator sets are computed (so that, e.g., slashes executed and jails set
/// here already shape the new sets).
pub trait EpochHooks {
	/// Called once when `epoch` starts. `budget` is the weight the hook may use in this block;
	/// work that does not fit must be left for [`Self::on_idle_epoch_work`] or a later block,
	/// never dropped. Returns the weight used.
	fn on_epoch_start(epoch: EpochIndex, budget: Weight) -> Weight;

	/// Called in every block (after `on_epoch_start` in the first block of an epoch) with
	/// the weight left, to continue work that did not fit. Returns the weight used.
	fn on_idle_epoch_work(epoch: EpochIndex, budget: Weight) -> Weight;
}

impl EpochHooks for () {
	fn on_epoch_start(_epoch: EpochIndex, _budget: Weight) -> Weight {
		Weight::zero()
	}
	fn on_idle_epoch_work(_epoch: EpochIndex, _budget: Weight) -> Weight {
		Weight::zero()
	}
}

/// What changed, for the epoch transition to know which consumers must select their set
/// again ([`ChangeNotes`]).
#[derive(
	Clone,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
)]
pub enum ChangeSubject<AccountId> {
	/// An operator's bond, status, commission or leaving changed: every consumer it is opted
	/// in to or a member of.
	Operator(AccountId),
	/// A pool's value, owed slash or collateral changed: every consumer it allocates to.
	Pool(PoolId),
	/// Something of one consumer changed (an opt-in, opt-out or key of one of its operators,
	/// an allocation to it).
	Consumer(ConsumerId),
	/// Something every consumer depends on changed (a collateral valuation).
	Everything,
}

/// Where the pallets whose state the validator-set selection reads note their changes, so
/// that an epoch transition selects again only the consumers whose inputs changed and
/// republishes the others' sets as they are.
///
/// `effective` is the first epoch whose selection the change affects: `0` (or any past epoch)
/// for a change that applies from the next selection on, a later epoch for a change
/// scheduled to take effect then (a jail's end, an opt-out, a key rotation, an allocation
/// decrease, a commission change). A change that takes effect over several epochs is noted
/// once for each.
pub trait ChangeNotes<AccountId> {
	/// Note that `subject` changed, for the selection of `effective` (or the next selection,
	/// whichever is later).
	fn note_change(subject: ChangeSubject<AccountId>, effective: EpochIndex);
}

impl<AccountId> ChangeNotes<AccountId> for () {
	fn note_change(_subject: ChangeSubject<AccountId>, _effective: EpochIndex) {}
}
