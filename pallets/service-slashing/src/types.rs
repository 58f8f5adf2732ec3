//! Records kept by the slashing pallet, its parameters, and the aliases used to name them.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::BoundedVec, traits::ConstU32};
use palisade_primitives::{ConsumerId, ConsumerKey, EpochIndex, PoolId};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::Perbill;

/// Identifier of a pending slash. Allocated sequentially, never reused.
pub type SlashId = u32;

/// GRANDPA authority set id, as carried by an equivocation proof.
pub type SetId = sp_consensus_grandpa::SetId;

/// GRANDPA round number, as carried by an equivocation proof.
pub type RoundNumber = sp_consensus_grandpa::RoundNumber;

/// Block hash type of consumer chains.
///
/// Consumer chains are Substrate chains with the usual `BlakeTwo256` hashing and `u32` block
/// numbers (what the parachain and solochain templates use), so their GRANDPA votes carry an
/// `H256` target hash and a `u32` target number. A consumer chain with other types cannot
/// submit GRANDPA evidence through this pallet (its reporter can still `report_offence`).
pub type ConsumerHash = H256;

/// Block number type of consumer chains (see [`ConsumerHash`]).
pub type ConsumerBlockNumber = u32;

/// A GRANDPA equivocation proof from a consumer chain: two conflicting votes of the same
/// round, signed by the same key.
pub type EquivocationProofOf =
	sp_consensus_grandpa::EquivocationProof<ConsumerHash, ConsumerBlockNumber>;

/// Free-form details a consumer's reporter attaches to an offence report (e.g. an encoded
/// reference to the consumer-side evidence), at most [`Config::MaxDetailsLen`] bytes.
pub type DetailsOf<T> = BoundedVec<u8, <T as Config>::MaxDetailsLen>;

/// The pools of an exposure copy: `(pool, backing)`, at most [`Config::MaxExposedPools`].
pub type ExposedPoolsOf<T> =
	BoundedVec<(PoolId, <T as Config>::Balance), <T as Config>::MaxExposedPools>;

/// Most reports with exposed pools one block may make: their pools are counted in
/// [`crate::PoolPendingCount`] by the next block's `on_initialize`, until then they are listed
/// in [`crate::UncountedSlashes`] (which the pools' exit checks read whole). A report beyond it
/// fails with [`crate::Error::TooManyReportsInBlock`] and can be made again in the next block.
pub const MAX_UNCOUNTED_SLASHES: u32 = 16;

/// The pools of a slash not counted yet: the pool ids of its exposure copy, at most
/// [`Config::MaxExposedPools`].
pub type UncountedPoolsOf<T> = BoundedVec<PoolId, <T as Config>::MaxExposedPools>;

/// A slash reported in the current block whose pools are not counted yet.
pub type UncountedSlashOf<T> = UncountedSlash<UncountedPoolsOf<T>>;

/// The slashes reported in the current block whose pools are not counted yet, in report order.
pub type UncountedSlashesOf<T> = BoundedVec<UncountedSlashOf<T>, ConstU32<MAX_UNCOUNTED_SLASHES>>;

/// Most slashes counted in an earlier block that `cancel_slash` may cancel in one block: their
/// pools are counted down in [`crate::PoolPendingCount`] by the next block's `on_initialize`,
/// until then they are listed in [`crate::UncountedCancels`]. A cancel beyond it fails with
/// [`crate::Error::TooManyCancelsInBlock`], changes nothing, and can be made again in the next
/// block.
///
/// Why 16: the next block's hook then counts down at most `16 × MaxExposedPools` pools, as
/// many as it counts up for the block's reports ([`MAX_UNCOUNTED_SLASHES`]), so the two
/// lists together cost the hook at most twice the counting of a full block of reports. Only
/// governance's own `cancel_slash` calls append to it (reports, executions and
/// `cancel_consumer_slashes` never do), so nobody else can fill it: a consumer's flood of
/// reports is cancelled with `cancel_consumer_slashes`, which does not use the list, and a
/// full list only defers the 17th single veto of a block to the next block. Vetoes are
/// council motions, one cancel each, so 16 in one block is far above their rate.
pub const MAX_UNCOUNTED_CANCELS: u32 = 16;

/// The slashes counted in an earlier block that `cancel_slash` cancelled in the current
/// block, whose pools are not counted down yet, in cancel order.
pub type UncountedCancelsOf<T> = BoundedVec<UncountedSlashOf<T>, ConstU32<MAX_UNCOUNTED_CANCELS>>;

/// A pending slash of the runtime.
pub type PendingSlashOf<T> = PendingSlash<
	<T as frame_system::Config>::AccountId,
	<T as Config>::Balance,
	DetailsOf<T>,
	ExposedPoolsOf<T>,
>;

/// What an operator did wrong.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	PartialOrd,
	Ord,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum OffenceKind {
	/// The operator's validator was offline or unresponsive on the consumer chain.
	Downtime,
	/// The operator's validator signed two conflicting votes or blocks (provable, e.g. with a
	/// GRANDPA equivocation proof).
	Equivocation,
	/// Any other misbehaviour the consumer chain's rules punish.
	Misbehaviour,
}

/// Where slashed funds (bond and pools) go.
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
	frame_support::Serialize,
	frame_support::Deserialize,
)]
#[serde(crate = "frame_support::__private::serde")]
pub enum SlashDestination {
	/// Destroyed: total issuance goes down.
	Burn,
	/// Paid to [`Config::TreasuryAccount`].
	Treasury,
}

/// Native value (PAL Planck), as a plain number so that [`SlashingParams`] needs no balance
/// type parameter. Converted to the runtime's balance type with saturation.
pub type NativeValue = u128;

/// The slashing parameters governance sets (`set_slashing_params`), within the hard bounds
/// of the runtime ([`Config`] constants) and nesting with the other pallets' delays.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	frame_support::Serialize,
	frame_support::Deserialize,
)]
#[serde(crate = "frame_support::__private::serde")]
#[serde(rename_all = "camelCase")]
pub struct SlashingParams {
	/// Fraction of the exposure slashed for [`OffenceKind::Downtime`].
	pub downtime: Perbill,
	/// Fraction of the exposure slashed for [`OffenceKind::Equivocation`] (proven with
	/// on-chain evidence only).
	pub equivocation: Perbill,
	/// Fraction of the exposure slashed for [`OffenceKind::Misbehaviour`].
	pub misbehaviour: Perbill,
	/// Most a subjective report (`report_offence`) may take, whatever its kind's fraction: a
	/// report of a kind with a higher fraction takes this one.
	pub max_subjective_fraction: Perbill,
	/// How many epochs back an offence may be reported: an offence of epoch `e` may be
	/// reported while `current - e <= report_window`. Also the length of a slashing span: the
	/// offences of one (operator, consumer) within a window of the span's first one do not add
	/// up, the highest fraction applies.
	pub report_window: EpochIndex,
	/// Epochs between a report and its execution, during which governance may cancel it.
	pub veto_delay: EpochIndex,
	/// Epochs a slashed operator stays jailed, counted from the execution epoch. Zero: not
	/// jailed.
	pub jail_length: EpochIndex,
	/// Where slashed funds go, bond and pools alike (what is not paid as reporter reward).
	pub destination: SlashDestination,
	/// Share of what is slashed from the offender's **own bond** paid to the submitter of
	/// on-chain evidence. Never taken from the pools, so slashing yourself never pays.
	pub reporter_reward: Perbill,
	/// Length of a slash-meter period, in epochs (at least 1).
	pub meter_period: EpochIndex,
	/// Most native value (bond and pools together, as booked) slashed per meter period across
	/// all consumers. A slash that does not fit waits for the next period, in order; the first
	/// slash of a period always executes, however large, so the queue always moves.
	pub max_slashed_per_period: NativeValue,
	/// Most operators jailed per meter period across all consumers (at least 1). A slash that
	/// would jail one more waits for the next period.
	pub max_jails_per_period: u32,
}

impl SlashingParams {
	/// The slash fraction for an offence of `kind`.
	pub fn fraction_of(&self, kind: OffenceKind) -> Perbill {
		match kind {
			OffenceKind::Downtime => self.downtime,
			OffenceKind::Equivocation => self.equivocation,
			OffenceKind::Misbehaviour => self.misbehaviour,
		}
	}

	/// The fraction a subjective report of `kind` claims: the kind's fraction, at most
	/// `max_subjective_fraction`.
	pub fn subjective_fraction_of(&self, kind: OffenceKind) -> Perbill {
		self.fraction_of(kind).min(self.max_subjective_fraction)
	}

	/// `report_window + veto_delay`: the number of epochs after an offence epoch during which
	/// a slash for it is normally executed. `None` on overflow.
	pub fn slashable_span(&self) -> Option<EpochIndex> {
		self.report_window.checked_add(self.veto_delay)
	}

	/// The meter period `epoch` belongs to.
	pub fn meter_period_of(&self, epoch: EpochIndex) -> EpochIndex {
		epoch.checked_div(self.meter_period).unwrap_or(epoch)
	}
}

/// How an offence was established.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub enum Evidence<Details> {
	/// The consumer's reporter said so (`report_offence`), with its free-form details.
	/// Subjective: governance may veto it, and nobody earns a reward.
	Reported(Details),
	/// A GRANDPA equivocation proof, checked on chain (`report_equivocation`).
	GrandpaEquivocation {
		/// The GRANDPA set id of the votes.
		set_id: SetId,
		/// The round of the votes.
		round: RoundNumber,
		/// The key that signed both votes (the operator's key for the consumer).
		key: ConsumerKey,
	},
}

/// Where a pending slash sits in the execution queue: the due epoch it is queued under and
/// its position in that epoch's FIFO ([`crate::SlashesDue`]).
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
pub struct QueuePosition {
	/// The epoch whose queue holds it (its due epoch, or a later one after an unfreeze).
	pub epoch: EpochIndex,
	/// Its position in that epoch's queue.
	pub index: u32,
	/// Queued again by an unfreeze (at the tail, behind slashes reported after it), rather
	/// than at report time.
	pub requeued: bool,
}

/// The two ends of one due epoch's FIFO: positions `head..tail` may hold slashes (a cancelled
/// one leaves a hole that execution skips).
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
pub struct QueueEnds {
	/// The next position to execute.
	pub head: u32,
	/// The position the next queued slash gets.
	pub tail: u32,
}

/// What a pending slash takes from: a copy of the operator's exposure for the consumer in the
/// offence epoch, made at report time so that pruning the exposures can never cancel it.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct ExposureCopy<Balance, Pools> {
	/// The operator's own bond counted for the consumer.
	pub own: Balance,
	/// The pools that backed the operator, and how much each backed (at most
	/// [`Config::MaxExposedPools`]).
	pub pools: Pools,
}

/// A slashing span of one (operator, consumer): offences of epochs within `report_window` of
/// `start` do not add up; the highest fraction reported among them applies (like
/// `pallet-staking`'s slashing spans).
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
pub struct SlashSpan {
	/// The offence epoch of the report that opened the span.
	pub start: EpochIndex,
	/// The highest fraction reported in the span and not cancelled (pending or executed).
	pub max: Perbill,
}

/// The slash meter: what was slashed and jailed in the current meter period, and the limits
/// of that period (snapshotted from [`SlashingParams`] when the period started, so that a
/// parameter change applies from the next period).
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
pub struct SlashMeter {
	/// The meter period (`epoch / meter_period`).
	pub period: EpochIndex,
	/// Native value booked by the slashes executed in the period.
	pub slashed: NativeValue,
	/// Operators jailed in the period.
	pub jailed: u32,
	/// Slashes executed in the period.
	pub executed: u32,
	/// The value limit of the period.
	pub max_slashed: NativeValue,
	/// The jail limit of the period.
	pub max_jails: u32,
}

/// A slash waiting for its due epoch (and, past it, for room in the slash meter).
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct PendingSlash<AccountId, Balance, Details, Pools> {
	/// The consumer chain the offence was committed on.
	pub consumer_id: ConsumerId,
	/// The offending operator.
	pub operator: AccountId,
	/// What it did.
	pub kind: OffenceKind,
	/// The epoch of the offence; its exposure is what gets slashed.
	pub epoch: EpochIndex,
	/// The fraction applied at execution: what the report adds to its slashing span
	/// (`reported_fraction` minus the span's highest fraction before it).
	pub fraction: Perbill,
	/// The fraction the report claimed (the kind's, capped for subjective reports): the span's
	/// highest fraction after it.
	pub reported_fraction: Perbill,
	/// The offence epoch that opened the slashing span this slash belongs to.
	pub span_start: EpochIndex,
	/// Who earns the reporter reward (out of the offender's bond): the submitter of on-chain
	/// evidence; `None` for a subjective report.
	pub reporter: Option<AccountId>,
	/// The epoch the report was made in.
	pub reported_at: EpochIndex,
	/// The epoch from which it executes (unless cancelled or frozen first, or the slash meter
	/// is full).
	pub due_epoch: EpochIndex,
	/// Where it is queued; `None` while its consumer is frozen and the queue reached it.
	pub queued: Option<QueuePosition>,
	/// `fraction × own` (rounded up): what the bond loses.
	pub bond_amount: Balance,
	/// The sum over the exposed pools of `fraction × backing` (each rounded up).
	pub pools_amount: Balance,
	/// The exposure of the offence epoch, copied at report time.
	pub exposure: ExposureCopy<Balance, Pools>,
	/// How the offence was established.
	pub evidence: Evidence<Details>,
}

/// A slash whose exposed pools' counts in [`crate::PoolPendingCount`] the next block's
/// `on_initialize` updates: a pending slash reported in the current block, whose pools are not
/// counted yet (see [`crate::UncountedSlashes`]), or a slash counted in an earlier block and
/// cancelled in the current one, whose pools are not counted down yet (see
/// [`crate::UncountedCancels`]).
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct UncountedSlash<Pools> {
	/// The slash.
	pub slash_id: SlashId,
	/// Its offence epoch: the epoch under which its pools are counted.
	pub epoch: EpochIndex,
	/// The pools of its exposure copy, in the copy's order (never empty: a slash without pools
	/// has nothing to count).
	pub pools: Pools,
}

/// Progress markers of the epoch work.
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
pub struct Cursors {
	/// Every [`crate::SlashesDue`] entry has a due epoch at or after this one: the queues of
	/// earlier epochs are fully executed.
	pub next_due: EpochIndex,
	/// Every per-offence-epoch record ([`crate::SpanStarts`], [`crate::Reported`],
	/// [`crate::ReportedEquivocations`]) is of this epoch or a later one: older ones are
	/// pruned.
	pub prune_from: EpochIndex,
}

/// Most entries of [`crate::PendingByConsumer`] the sweep of cancelled consumers visits in one
/// block's `on_initialize` (each a cancelled slash it removes, or a newer slash it steps over).
/// As many slashes as [`MAX_UNCOUNTED_SLASHES`] and [`MAX_UNCOUNTED_CANCELS`]: the hook counts
/// down at most this many slashes' pools for the sweep, as many as it counts up for a block's
/// reports.
pub const MAX_SWEPT_PER_BLOCK: u32 = 16;

/// A consumer whose pending slashes `cancel_consumer_slashes` cancelled: those with an id below
/// `below` never execute, and are removed, a page per block, by `on_initialize`.
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
pub struct ConsumerSweep {
	/// The horizon: [`crate::NextSlashId`] at the (latest) cancel. Every pending slash of the
	/// consumer with a lower id is cancelled; those reported after the cancel (id at or above
	/// it) are not.
	pub below: SlashId,
	/// The last entry of the consumer's [`crate::PendingByConsumer`] the sweep visited: it
	/// goes on after it, in the map's (hashed) order. `None`: from the start (a new or a
	/// renewed cancel).
	pub after: Option<SlashId>,
	/// How many cancelled slashes the sweep removed so far.
	pub swept: u32,
}
