//! Records kept by the operator registry, and the aliases used to name them.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::BoundedVec,
	traits::fungible::{Credit, Inspect},
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use palisade_primitives::{ConsumerId, ConsumerKey, EpochIndex, PoolId};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{CheckedAdd, Zero},
	Perbill,
};

/// The balance type of the currency operators bond.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Slashed funds, handed to [`Config::OnSlash`].
pub type CreditOf<T> = Credit<<T as frame_system::Config>::AccountId, <T as Config>::Currency>;

/// Free-form operator metadata (name, website, contact), at most [`Config::MaxMetadataLen`]
/// bytes.
pub type MetadataOf<T> = BoundedVec<u8, <T as Config>::MaxMetadataLen>;

/// The unbonding chunks of one operator, at most [`Config::MaxUnbondingChunks`].
pub type UnbondingChunksOf<T> =
	BoundedVec<UnbondingChunk<BalanceOf<T>>, <T as Config>::MaxUnbondingChunks>;

/// The consumers one operator is opted in to (including those it is leaving), at most
/// [`Config::MaxOptIns`].
pub type OptedInConsumersOf<T> = BoundedVec<ConsumerId, <T as Config>::MaxOptIns>;

/// The operators opted in to one consumer, at most [`Config::MaxOperatorsPerConsumer`].
pub type ConsumerOperatorsOf<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxOperatorsPerConsumer>;

/// The pools one operator accepts as backers, at most [`Config::MaxAcceptedPools`].
pub type AcceptedPoolsOf<T> = BoundedVec<PoolId, <T as Config>::MaxAcceptedPools>;

/// Where a bond slash's funds go.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SlashTarget<AccountId> {
	/// To [`Config::OnSlash`] (`slash_bond`).
	OnSlash,
	/// To this account (`slash_bond_to(.., Some(account))`).
	Account(AccountId),
	/// Burnt (`slash_bond_to(.., None)`).
	Burn,
}

/// Where an operator stands in the registry.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum OperatorStatus {
	/// Registered and eligible (subject to its bond and opt-ins).
	Active,
	/// Jailed by the slashing pallet: keeps its record, bond and opt-ins but is not eligible for
	/// any consumer before epoch `until`. From `until` on it counts as [`Self::Active`]; the
	/// record is switched back lazily (at the next call touching it, or by
	/// `on_epoch_start(until)`).
	Jailed {
		/// First epoch at which the operator is free again.
		until: EpochIndex,
	},
	/// Deregistered: opted out of everything, waiting for the opt-out and unbonding delays to
	/// pass. Can only unbond, withdraw and update its metadata; the record is removed by
	/// `withdraw_unbonded` once the bond is fully withdrawn and every opt-out has taken effect.
	Leaving,
}

impl OperatorStatus {
	/// Whether an operator with this status is jailed at `epoch`.
	pub fn is_jailed_at(&self, epoch: EpochIndex) -> bool {
		matches!(self, Self::Jailed { until } if epoch < *until)
	}

	/// Whether an operator with this status may validate at `epoch`: not jailed at `epoch` and
	/// not leaving.
	pub fn is_active_at(&self, epoch: EpochIndex) -> bool {
		match self {
			Self::Active => true,
			Self::Jailed { until } => *until <= epoch,
			Self::Leaving => false,
		}
	}
}

/// Part of a bond on its way out: still held and slashable until withdrawn.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct UnbondingChunk<Balance> {
	/// Amount unbonding.
	pub amount: Balance,
	/// First epoch at which `withdraw_unbonded` releases it.
	pub unlock_epoch: EpochIndex,
}

/// A commission increase waiting for [`Config::CommissionChangeDelay`].
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct PendingCommission {
	/// The new, higher commission.
	pub commission: Perbill,
	/// First epoch at which it applies.
	pub effective: EpochIndex,
}

/// A consumer key waiting to replace the current one.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct PendingKey {
	/// The new key, already reserved for uniqueness.
	pub key: ConsumerKey,
	/// First epoch at which it is the key in force.
	pub effective: EpochIndex,
}

/// Everything the registry keeps about one operator.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[codec(mel_bound())]
#[scale_info(skip_type_params(T))]
pub struct OperatorRecord<T: Config> {
	/// Active, jailed or leaving.
	pub status: OperatorStatus,
	/// Active bond: held, backs the operator's consumers, slashable.
	pub bond: BalanceOf<T>,
	/// Unbonded funds not yet withdrawn: still held and slashable. Sorted by `unlock_epoch`,
	/// one chunk per unlock epoch, no empty chunk.
	pub unbonding: UnbondingChunksOf<T>,
	/// Commission in force (before any due `pending_commission`).
	pub commission: Perbill,
	/// A scheduled commission increase, always higher than `commission`.
	pub pending_commission: Option<PendingCommission>,
	/// The consumers the operator is opted in to (or leaving), mirroring the [`crate::OptIns`]
	/// keys of this operator.
	pub consumers: OptedInConsumersOf<T>,
	/// Free-form metadata.
	pub metadata: MetadataOf<T>,
	/// Epoch of registration.
	pub registered_at: EpochIndex,
	/// Set by `deregister` (with status [`OperatorStatus::Leaving`]): the epoch from which the
	/// operator is opted in to no consumer. It applies to every opt-in whose own
	/// [`OptInRecord::leaving_at`] is later or unset, without writing them (see
	/// [`OptInRecord::with_operator_leaving`]); their removal is scheduled once, as
	/// [`ScheduledChange::Deregistration`].
	pub leaving_at: Option<EpochIndex>,
}

impl<T: Config> OperatorRecord<T> {
	/// The commission in force at `epoch` (the pending increase once its epoch has come).
	pub fn commission_at(&self, epoch: EpochIndex) -> Perbill {
		match self.pending_commission {
			Some(pending) if pending.effective <= epoch => pending.commission,
			_ => self.commission,
		}
	}

	/// Sum of the unbonding chunks; `None` on overflow (impossible: it is part of a held
	/// balance).
	pub fn unbonding_total(&self) -> Option<BalanceOf<T>> {
		self.unbonding
			.iter()
			.try_fold(BalanceOf::<T>::zero(), |acc, chunk| acc.checked_add(&chunk.amount))
	}

	/// Active bond plus unbonding chunks: what the hold for `OperatorBond` must equal.
	pub fn total_held(&self) -> Option<BalanceOf<T>> {
		self.unbonding_total().and_then(|unbonding| self.bond.checked_add(&unbonding))
	}
}

/// One operator's opt-in to one consumer.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct OptInRecord {
	/// The key in force (before any due `pending_key`). Reserved in [`crate::KeyOwners`].
	pub key: ConsumerKey,
	/// A rotation to a new key, effective from the epoch after it was asked. Also reserved.
	pub pending_key: Option<PendingKey>,
	/// Epoch of the opt-in.
	pub since: EpochIndex,
	/// Set by `opt_out` / `deregister`: the epoch from which the operator is no longer opted in.
	/// Until then it is "leaving": not eligible, but still slashable for this consumer.
	pub leaving_at: Option<EpochIndex>,
}

impl OptInRecord {
	/// The key in force at `epoch`.
	pub fn key_at(&self, epoch: EpochIndex) -> ConsumerKey {
		match self.pending_key {
			Some(pending) if pending.effective <= epoch => pending.key,
			_ => self.key,
		}
	}

	/// Whether the operator is opted in at `epoch` (from `since` until `leaving_at`,
	/// exclusive).
	pub fn is_opted_in_at(&self, epoch: EpochIndex) -> bool {
		self.since <= epoch && self.leaving_at.is_none_or(|leaving_at| epoch < leaving_at)
	}

	/// Whether the opt-out has been asked for.
	pub fn is_leaving(&self) -> bool {
		self.leaving_at.is_some()
	}

	/// This opt-in as it stands for an operator whose record has `operator_leaving_at`
	/// ([`OperatorRecord::leaving_at`]): a deregistration ends the opt-in at that epoch unless
	/// its own opt-out ends it earlier. Idempotent, so writing the result back changes nothing.
	/// Every reading of an opt-in goes through it.
	#[must_use]
	pub fn with_operator_leaving(mut self, operator_leaving_at: Option<EpochIndex>) -> Self {
		self.leaving_at = match (self.leaving_at, operator_leaving_at) {
			(Some(own), Some(operator)) => Some(own.min(operator)),
			(own, operator) => own.or(operator),
		};
		self
	}
}

/// A change scheduled for an epoch, finalised by `on_epoch_start`. It only points at the
/// operator (and consumer): finalising re-reads the records and applies whatever is due, so a
/// stale entry (change cancelled, replaced or already applied) is harmless.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum ScheduledChange {
	/// A commission increase becomes effective.
	Commission,
	/// A jail ends.
	Unjail,
	/// A consumer key rotation becomes effective.
	KeyRotation(ConsumerId),
	/// An opt-out becomes effective.
	OptOut(ConsumerId),
	/// A deregistration's opt-outs become effective: every opt-in of the operator is removed
	/// (finalised over several blocks if the block's budget runs out, see
	/// `Pallet::on_epoch_start`).
	Deregistration,
}
