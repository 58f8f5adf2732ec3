//! Records kept by the slashing pallet, its parameters, and the aliases used to name them.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::pallet_prelude::BoundedVec;
use palisade_primitives::{ConsumerId, ConsumerKey, EpochIndex};
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

/// A pending slash of the runtime.
pub type PendingSlashOf<T> =
	PendingSlash<<T as frame_system::Config>::AccountId, <T as Config>::Balance, DetailsOf<T>>;

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

/// Where slashed pool funds go.
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
	/// Fraction of the exposure slashed for [`OffenceKind::Equivocation`].
	pub equivocation: Perbill,
	/// Fraction of the exposure slashed for [`OffenceKind::Misbehaviour`].
	pub misbehaviour: Perbill,
	/// Most that all slashes together may take from one operator's exposures of one epoch,
	/// as a fraction of each exposure. Throttles a hostile consumer's reporter.
	pub max_fraction_per_epoch: Perbill,
	/// How many epochs back an offence may be reported: an offence of epoch `e` may be
	/// reported while `current - e <= report_window`.
	pub report_window: EpochIndex,
	/// Epochs between a report and its execution, during which governance may cancel it.
	pub veto_delay: EpochIndex,
	/// Epochs a slashed operator stays jailed, counted from the execution epoch. Zero: not
	/// jailed.
	pub jail_length: EpochIndex,
	/// Where slashed pool funds go (what is not paid as reporter reward).
	pub destination: SlashDestination,
	/// Share of what is slashed from the pools paid to the submitter of on-chain evidence.
	pub reporter_reward: Perbill,
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

	/// `report_window + veto_delay`: the number of epochs after an offence epoch during which
	/// a slash for it may still be executed. `None` on overflow.
	pub fn slashable_span(&self) -> Option<EpochIndex> {
		self.report_window.checked_add(self.veto_delay)
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

/// A slash waiting for its due epoch.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct PendingSlash<AccountId, Balance, Details> {
	/// The consumer chain the offence was committed on.
	pub consumer_id: ConsumerId,
	/// The offending operator.
	pub operator: AccountId,
	/// What it did.
	pub kind: OffenceKind,
	/// The epoch of the offence; its exposure is what gets slashed.
	pub epoch: EpochIndex,
	/// The slash fraction, from the parameters in force at the report. The throttle may lower
	/// what is applied at execution.
	pub fraction: Perbill,
	/// Who earns the reporter reward: the submitter of on-chain evidence; `None` for a
	/// subjective report.
	pub reporter: Option<AccountId>,
	/// The epoch the report was made in.
	pub reported_at: EpochIndex,
	/// The epoch from which it executes (unless cancelled first).
	pub due_epoch: EpochIndex,
	/// Estimate at report time: `fraction × own` of the exposure (rounded up).
	pub bond_amount: Balance,
	/// Estimate at report time: the sum over the exposed pools of `fraction × backing`
	/// (each rounded up).
	pub pools_amount: Balance,
	/// How the offence was established.
	pub evidence: Evidence<Details>,
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
	/// Every per-offence-epoch record ([`crate::AppliedFractions`], [`crate::Reported`],
	/// [`crate::ReportedEquivocations`]) is of this epoch or a later one: older ones are
	/// pruned.
	pub prune_from: EpochIndex,
}
