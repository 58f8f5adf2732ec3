//! Records kept by the consumer registry and the epoch clock, and the aliases used to name them.

use crate::Config;
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::{BoundedVec, Get},
	traits::fungible::Inspect,
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use palisade_primitives::{ConsumerKey, EpochIndex, ExposureInfo, PoolId};
use scale_info::TypeInfo;
use sp_runtime::{
	traits::{BlakeTwo256, Hash as HashT, Saturating},
	Perbill,
};

/// A 256-bit hash (the output of `blake2_256`): genesis hashes and validator set hashes.
pub type H256 = <BlakeTwo256 as HashT>::Output;

/// The balance type of the currency deposits and leases are paid in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Free-form consumer metadata (name, website, chain spec URL), at most
/// [`Config::MaxMetadataLen`] bytes.
pub type MetadataOf<T> = BoundedVec<u8, <T as Config>::MaxMetadataLen>;

/// What a consumer asks for, in the runtime's balance type.
pub type ParamsOf<T> = ConsumerParams<BalanceOf<T>>;

/// One member of a published validator set: operator, its key for the consumer, its power.
pub type MemberOf<T> = (<T as frame_system::Config>::AccountId, ConsumerKey, BalanceOf<T>);

/// The members of a published validator set, at most [`Config::MaxOperatorsPerConsumer`].
pub type MembersOf<T> = BoundedVec<MemberOf<T>, <T as Config>::MaxOperatorsPerConsumer>;

/// A published validator set, in the runtime's types.
pub type ValidatorSetOf<T> = ValidatorSet<T>;

/// The pools backing one operator in an exposure, at most [`Config::MaxPoolsPerOperator`].
pub type ExposurePoolsOf<T> =
	BoundedVec<(PoolId, BalanceOf<T>), <T as Config>::MaxPoolsPerOperator>;

/// The remembered validator sets of one consumer (see [`crate::SetHistory`]).
pub type SetHistoryOf<T> = BoundedVec<SetHistoryEntry, MaxSetHistory<T>>;

/// `ExposureRetention + 2`: the most checkpoints one (consumer, operator) pair keeps (one per
/// epoch of the retention window, the one in force before it, and the newest).
pub struct MaxCheckpoints<T>(PhantomData<T>);
impl<T: Config> Get<u32> for MaxCheckpoints<T> {
	fn get() -> u32 {
		T::ExposureRetention::get().saturating_add(2)
	}
}

/// A change in one (consumer, operator) pair's exposure history: from epoch `from` on, the
/// operator is a member of the consumer's set with key `key` (its exposure is in
/// [`crate::ExposureCheckpoints`] under `from`), or, with `key: None`, not a member.
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
pub struct Checkpoint {
	/// The first epoch it is in force.
	pub from: EpochIndex,
	/// The member's key, `None` if the operator is not a member from `from` on.
	pub key: Option<ConsumerKey>,
}

/// One pair's checkpoints, oldest first (see [`crate::ExposureIndex`]).
pub type CheckpointsOf<T> = BoundedVec<Checkpoint, MaxCheckpoints<T>>;

/// `ExposureRetention + 1`: how many validator sets a consumer's [`crate::SetHistory`] may
/// remember (one set per epoch: the retained epochs and the current one).
pub struct MaxSetHistory<T>(PhantomData<T>);
impl<T: Config> Get<u32> for MaxSetHistory<T> {
	fn get() -> u32 {
		T::ExposureRetention::get().saturating_add(1)
	}
}

/// What a consumer chain asks for. Validated by `register_consumer` and `update_params`.
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
pub struct ConsumerParams<Balance> {
	/// Fewest operators the validator set may have; below it the consumer is paused. At least
	/// 1.
	pub min_operators: u32,
	/// Most operators in the validator set (the highest-staked ones are kept). At least
	/// `min_operators` and at most [`Config::MaxOperatorsPerConsumer`].
	pub max_operators: u32,
	/// Smallest stake (own bond plus pool backing, native-valued) an operator needs to be a
	/// candidate.
	pub min_stake_per_operator: Balance,
	/// Highest share of the set's total stake one operator's power may reach. Not zero.
	pub power_cap: Perbill,
	/// Paid out of the escrow at the start of every epoch the consumer is active. May be zero.
	pub payment_per_epoch: Balance,
}

/// A parameter change waiting for the next epoch.
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
pub struct PendingParams<Balance> {
	/// The new parameters.
	pub params: ConsumerParams<Balance>,
	/// The epoch whose transition applies them.
	pub effective_epoch: EpochIndex,
}

/// Why an active consumer was paused.
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
pub enum PauseReason {
	/// Fewer than `min_operators` operators qualified.
	NotEnoughOperators,
	/// The escrow could not pay `payment_per_epoch`.
	InsufficientEscrow,
}

/// Where a consumer stands: `Registered → Active ⇄ Paused → Deregistered → removed` (or
/// `Registered → removed` when a registration expires).
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
pub enum ConsumerStatus {
	/// Registered, never active yet: no validator set.
	Registered,
	/// Has a validator set for the current epoch and paid for it.
	Active,
	/// Was active; no validator set while it stays short of operators or escrow. Resumes at
	/// the first transition where both suffice.
	Paused {
		/// Why it was paused (or why it is still paused).
		reason: PauseReason,
	},
	/// Deregistered by its admin: no validator set from the next transition on. The escrow is
	/// refunded once `last_active_epoch + ExposureRetention` has passed.
	Deregistered {
		/// The last epoch for which the consumer may have had a validator set (the epoch of
		/// deregistration): offences of that epoch stay reportable for `ExposureRetention`
		/// epochs.
		last_active_epoch: EpochIndex,
	},
	/// Deregistered and escrow refunded, record kept. No longer entered: the final
	/// `reap_consumer` call refunds and removes the record at once. Kept so the status
	/// encoding (and the runtime API's view) stays stable; a record found in it is removed by
	/// the `reap_consumer` calls like a deregistered one (without a second refund).
	Retired {
		/// As in [`Self::Deregistered`].
		last_active_epoch: EpochIndex,
	},
}

impl ConsumerStatus {
	/// Whether the consumer was deregistered (whether or not its escrow was refunded).
	pub fn is_deregistered(&self) -> bool {
		matches!(self, Self::Deregistered { .. } | Self::Retired { .. })
	}
}

/// What one `reap_consumer` call did (see [`crate::Pallet::reap_consumer`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ReapStep {
	/// Opt-ins to the consumer were removed from the operator registry; the record stays
	/// until a call finds none left.
	Page {
		/// Opt-ins removed by the call.
		removed: u32,
		/// Opt-ins still to remove.
		remaining: u32,
	},
	/// No opt-in was left, but more than one remembered validator set: the oldest ones were
	/// forgotten ([`crate::PublishedSets`] and [`crate::SetHistory`] entries); the record
	/// stays until a call finds at most one left.
	Sets {
		/// Remembered sets forgotten by the call.
		removed: u32,
		/// Remembered sets left (at least the newest, removed by the final call).
		remaining: u32,
	},
	/// No opt-in and at most one remembered set were left: the escrow was refunded, the
	/// deposit released and the record (with its last set) removed.
	Removed,
}

impl ReapStep {
	/// The weight of the call that did this step.
	pub fn weight<T: Config>(&self) -> frame_support::weights::Weight {
		use crate::WeightInfo;
		match self {
			Self::Page { removed, .. } => T::WeightInfo::reap_consumer_page(*removed),
			Self::Sets { removed, .. } => T::WeightInfo::reap_consumer_sets_page(*removed),
			Self::Removed => T::WeightInfo::reap_consumer(),
		}
	}
}

/// Most memberships one `claim_operator_rewards` call settles: a page of the operator's
/// memberships, the next call going on after it ([`crate::OperatorClaimCursors`]). Keeps the
/// call's cost that of a few transfers however many consumers the operator serves.
pub const OPERATOR_CLAIM_PAGE: u32 = 8;

/// Running totals of a consumer's escrow: `escrow == funded - paid - refunded` at all times.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct LeaseLedger<Balance> {
	/// Everything ever paid in by `fund_lease`.
	pub funded: Balance,
	/// Everything ever paid out to operators and pools.
	pub paid: Balance,
	/// Everything refunded to the admin.
	pub refunded: Balance,
}

/// The id and hash of the last validator set a consumer published.
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
pub struct LastSet {
	/// Its set id.
	pub set_id: u64,
	/// Its hash (see [`ValidatorSet::set_hash`]).
	pub set_hash: H256,
}

/// Everything the registry keeps about one consumer chain.
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
pub struct ConsumerRecord<T: Config> {
	/// May change the parameters, reporter and admin, and deregister; receives the refunded
	/// escrow.
	pub admin: T::AccountId,
	/// May report offences (through the slashing pallet). The admin at registration.
	pub reporter: T::AccountId,
	/// The first epoch whose offences `reporter` may report: the registration epoch, or the
	/// epoch after the last `set_reporter` / `set_admin` (a reporter appointed, or an admin
	/// taking over, in epoch `e` cannot reach offences of `e` or earlier, which may have
	/// happened before the change).
	pub reporter_since: EpochIndex,
	/// The account that registered the consumer: its deposit is held there, and returned there
	/// (with the escrow account's existential deposit) when the record is removed.
	pub depositor: T::AccountId,
	/// The amount held from `depositor` under [`crate::HoldReason::Registration`].
	pub deposit: BalanceOf<T>,
	/// Free-form metadata.
	pub metadata: MetadataOf<T>,
	/// The consumer chain's genesis hash.
	pub genesis_hash: H256,
	/// The parameters in force.
	pub params: ParamsOf<T>,
	/// A change applied at the transition of its effective epoch.
	pub pending_params: Option<PendingParams<BalanceOf<T>>>,
	/// Lifecycle status.
	pub status: ConsumerStatus,
	/// What the escrow account holds for this consumer's lease (its existential deposit and
	/// any donation excluded).
	pub escrow: BalanceOf<T>,
	/// Running totals of the escrow.
	pub ledger: LeaseLedger<BalanceOf<T>>,
	/// Epoch of registration.
	pub registered_at: EpochIndex,
	/// The last validator set published, if any (kept while paused, so set ids keep
	/// increasing and are never reused). `None` iff the consumer never had a set.
	pub last_set: Option<LastSet>,
}

/// The validator set a consumer has for the current epoch.
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
pub struct ValidatorSet<T: Config> {
	/// The epoch it was (re)published for.
	pub epoch: EpochIndex,
	/// `0` for the first set, then one more every epoch the consumer has a set (whether or
	/// not the members changed), never reused: it names exactly one epoch. A consumer chain
	/// that enacts each published set runs GRANDPA with the same set id.
	pub set_id: u64,
	/// `(operator, key, power)`, by stake descending, ties by operator account ascending.
	pub members: MembersOf<T>,
	/// `blake2_256` of the SCALE-encoded `members`.
	pub set_hash: H256,
}

/// One remembered validator set of a consumer.
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
pub struct SetHistoryEntry {
	/// The set id.
	pub set_id: u64,
	/// The one epoch it was published for.
	pub epoch: EpochIndex,
}

/// The stake behind one operator of one consumer's validator set in one epoch.
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
pub struct Exposure<T: Config> {
	/// The key the operator validated with.
	pub key: ConsumerKey,
	/// The operator's whole active bond (it counts for every consumer the operator validates).
	pub own: BalanceOf<T>,
	/// The pools backing the operator for this consumer, in pool id order, non-zero amounts.
	pub pools: ExposurePoolsOf<T>,
	/// `own` plus the sum of `pools`.
	pub total: BalanceOf<T>,
}

impl<T: Config> Exposure<T> {
	/// `own` plus the sum of `pools`, recomputed (saturating).
	pub fn recomputed_total(&self) -> BalanceOf<T> {
		self.pools.iter().fold(self.own, |acc, (_, amount)| acc.saturating_add(*amount))
	}

	/// The exposure as the slashing pallet sees it.
	pub fn to_info(&self) -> ExposureInfo<BalanceOf<T>> {
		ExposureInfo {
			key: self.key,
			own: self.own,
			pools: self.pools.clone().into_inner(),
			total: self.total,
		}
	}
}

/// Where the epoch transition stands while consumers remain to be processed.
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
pub struct TransitionCursor {
	/// The epoch being entered.
	pub epoch: EpochIndex,
	/// The last consumer processed; the next one is the first registered id above it.
	pub last: Option<palisade_primitives::ConsumerId>,
}

/// The eligible operators opted in to the consumer whose transition step is in progress, with
/// their keys at the epoch, in the registry's order (see [`crate::StepOperators`]).
pub type StepOperatorsOf<T> = BoundedVec<
	(<T as frame_system::Config>::AccountId, ConsumerKey),
	<T as Config>::MaxOperatorsPerConsumer,
>;

/// The candidates kept so far by the consumer whose transition step is in progress, ranked
/// (see [`crate::StepCandidates`]).
pub type StepCandidatesOf<T> = BoundedVec<Candidate<T>, <T as Config>::MaxOperatorsPerConsumer>;

/// An operator that qualified for a consumer's set, with its stake: what one page of the
/// selection keeps of it, and (once the ranking is complete) its power in the set.
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
pub struct Candidate<T: Config> {
	/// The operator.
	pub operator: T::AccountId,
	/// Its key for the consumer at the epoch.
	pub key: ConsumerKey,
	/// Its whole active bond.
	pub own: BalanceOf<T>,
	/// The pools backing it for the consumer (non-zero, pool id order).
	pub pools: ExposurePoolsOf<T>,
	/// `own` plus the pools' backing.
	pub stake: BalanceOf<T>,
	/// Its power in the set: zero while the ranking is not complete, then
	/// `min(stake, floor(power_cap × total stake of the kept set))`, at least 1.
	pub power: BalanceOf<T>,
}

/// What the next page of a consumer's transition step does (see [`StepCursor`]).
///
/// A step that selects goes `Score → Sync → Retire → Publish`; one that ends without a set
/// (deregistered, expired, short of operators or escrow, or deregistered while its pages ran)
/// goes to `Clear` instead, from wherever it stood.
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
pub enum StepPhase {
	/// Score the listed operators ([`crate::StepOperators`]) from position `next` on, keeping
	/// the best in the ranking ([`crate::StepCandidates`]). Writes nothing else.
	Score {
		/// The position of the next operator to score.
		next: u32,
	},
	/// The consumer gets the ranked set: bring the reward records, pool records and exposure
	/// checkpoints of the ranked candidates in line, from position `next` on.
	Sync {
		/// The position of the next candidate to write.
		next: u32,
	},
	/// Retire the members of the previous set (the consumer's [`crate::ValidatorSets`] entry,
	/// unchanged until the step ends) that are not ranked, from position `next` on.
	Retire {
		/// The position in the previous set of the next member to look at.
		next: u32,
	},
	/// Everything is written: the next page pays the epoch and publishes the set.
	Publish,
	/// The consumer gets no set for the epoch: retire, from position `next` on, every member
	/// of the previous set and then (positions past it) the first `synced` ranked candidates,
	/// whose records `Sync` pages wrote before the consumer was deregistered. The page that
	/// retires the last one closes the step: the set goes and the status changes.
	Clear {
		/// The position of the next operator to retire, in the previous set followed by the
		/// first `synced` candidates.
		next: u32,
		/// How many ranked candidates have records written by this step.
		synced: u32,
		/// Why a consumer that is neither deregistered nor expired gets no set (it is paused,
		/// or stays registered); `None` for one that is stopped.
		shortfall: Option<PauseReason>,
	},
}

/// The consumer whose transition step spans blocks, where its next page starts and what the
/// step decided so far (see [`crate::ConsumerStep`]).
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
pub struct StepCursor<T: Config> {
	/// The consumer: the first registered id above the transition's last processed one.
	pub consumer_id: palisade_primitives::ConsumerId,
	/// The parameters of the epoch, read by the step's first page: those in force, or the
	/// pending ones due at the epoch.
	pub params: ParamsOf<T>,
	/// Whether `params` are the pending ones due at the epoch (they are recorded as in force,
	/// with `ParamsApplied`, when the step ends).
	pub params_due: bool,
	/// The number of members of the consumer's previous set.
	pub previous: u32,
	/// What the next page does.
	pub phase: StepPhase,
}

/// Most (pool, consumer) records one `claim_pool_rewards` call settles: a page of the pool's
/// records, the next call going on after it ([`crate::PoolClaimCursors`]). Keeps the call's
/// cost that of a few transfers however many consumers the pool backs: 6 keeps a full page
/// under 6× a `transfer_keep_alive` in a block (issue 12; 8 weighed 6.7×).
pub const POOL_CLAIM_PAGE: u32 = 6;

/// Where the pruning of exposure histories stands.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct PruneState {
	/// The oldest epoch whose due pairs ([`crate::PairPruning`]) may remain; the pruning works
	/// through due epochs up to the current one.
	pub epoch: EpochIndex,
}

/// A consumer as shown by the runtime API.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct ConsumerInfo<AccountId, Balance> {
	/// Admin account.
	pub admin: AccountId,
	/// Reporter account.
	pub reporter: AccountId,
	/// Lifecycle status.
	pub status: ConsumerStatus,
	/// Escrow available for lease payments.
	pub escrow: Balance,
	/// The account holding the escrow (`fund_lease` pays into it).
	pub escrow_account: AccountId,
	/// Parameters in force.
	pub params: ConsumerParams<Balance>,
	/// A parameter change waiting for its epoch.
	pub pending_params: Option<PendingParams<Balance>>,
	/// Genesis hash of the consumer chain.
	pub genesis_hash: H256,
	/// Metadata bytes.
	pub metadata: Vec<u8>,
	/// Epoch of registration.
	pub registered_at: EpochIndex,
}

/// A validator set as shown by the runtime API.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct ValidatorSetInfo<AccountId, Balance> {
	/// The epoch it was (re)published for.
	pub epoch: EpochIndex,
	/// Its set id.
	pub set_id: u64,
	/// `(operator, key, power)`.
	pub members: Vec<(AccountId, ConsumerKey, Balance)>,
	/// `blake2_256` of the SCALE-encoded members.
	pub set_hash: H256,
}

/// The fixed-point scale of a consumer's cumulative reward per unit of power
/// ([`crate::RewardPerPower`]): `10^18`.
pub const REWARD_SCALE: u128 = 1_000_000_000_000_000_000;

/// One pool's place in a member's reward record.
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
pub struct MemberPool<Balance> {
	/// The pool.
	pub pool: PoolId,
	/// Its native-valued backing of the member (part of the member's stake).
	pub backing: Balance,
	/// Its reward weight in the member: `floor(power × (1 − commission) × backing / stake)`,
	/// part of its [`PoolShare::weight`] for the consumer.
	pub weight: Balance,
}

/// The pools of a member's reward record, at most [`Config::MaxPoolsPerOperator`], in pool id
/// order.
pub type MemberPoolsOf<T> =
	BoundedVec<MemberPool<BalanceOf<T>>, <T as Config>::MaxPoolsPerOperator>;

/// What a member of a consumer's validator set earns from, written only when it changes
/// (F1-style lazy rewards). Its power is split once, when the record is written, into reward
/// weights that sum to at most the power: the operator's [`MemberRecord::weight`] (commission
/// and own bond's part) and each pool's [`MemberPool::weight`] (by backing). While the member's
/// power, stake composition and commission stay the same, the operator earns
/// `weight × Δ reward_per_power` without any write, settled when the member changes, leaves the
/// set or the operator claims; the pools' weights earn in their [`PoolShare`] records.
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
pub struct MemberRecord<T: Config> {
	/// Its key for the consumer.
	pub key: ConsumerKey,
	/// Its power in the set.
	pub power: BalanceOf<T>,
	/// The operator's own bond counted in its stake.
	pub own: BalanceOf<T>,
	/// `own` plus the pools' backing.
	pub stake: BalanceOf<T>,
	/// The operator's commission on its share.
	pub commission: Perbill,
	/// The consumer's [`crate::RewardPerPower`] at the operator's last settlement.
	pub reward_per_power: u128,
	/// The operator's reward weight: `floor(power × (commission + (1 − commission) × own /
	/// stake))`.
	pub weight: BalanceOf<T>,
	/// The operator's settled, unclaimed rewards (commission and own bond's part).
	pub owed: BalanceOf<T>,
	/// The pools backing it, with their reward weights.
	pub pools: MemberPoolsOf<T>,
}

/// A pool's rewards from one consumer (F1 style, one record per (pool, consumer) instead of
/// one per member the pool backs): the sum of the pool's weights in the consumer's members
/// earns `weight × Δ reward_per_power`, settled whenever that sum changes and when the pool
/// claims. Exists while `weight` is non-zero; when it drops to zero what is owed moves to
/// [`crate::PoolRewards`] and the record goes.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct PoolShare<Balance> {
	/// `Σ MemberPool::weight` of the pool over the consumer's members.
	pub weight: Balance,
	/// The consumer's [`crate::RewardPerPower`] at the last settlement.
	pub reward_per_power: u128,
	/// Rewards settled and not claimed yet.
	pub owed: Balance,
}

/// Running totals of the rewards account: what consumers paid in and what was claimed out.
/// `paid_in - paid_out` covers every owed and accrued reward; the difference is rounding dust
/// (checked by `try_state`).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct RewardTotals<Balance> {
	/// Every epoch payment moved from an escrow into the rewards account.
	pub paid_in: Balance,
	/// Every reward claimed out of it (to operators and pools).
	pub paid_out: Balance,
}
