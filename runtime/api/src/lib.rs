//! # Palisade restaking runtime API
//!
//! [`RestakingApi`] answers the questions users of the restaking pallets ask, in one call each,
//! at any block: what a pool holds and what its LRT is worth, what an account holds and when
//! its withdrawals can be claimed, what an operator bonds and backs, what a consumer chain pays
//! and which validator set it must run, which slashes are pending, and where the epoch clock
//! stands. The node serves it as the `restaking_*` JSON-RPC methods (`node/src/rpc/restaking.rs`).
//!
//! The views are plain SCALE types with no pallet types inside, so clients depend on this crate
//! alone. Amounts are in base units: PAL Planck (10^-12 PAL) for native amounts, the asset's
//! base unit for a pool's collateral amounts. Rates and valuations are [`FixedU128`] (18
//! decimals). Block numbers of future epochs are estimates: an epoch starts `EpochLength` blocks
//! after the previous one, later only if the previous transition was not finished.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

use alloc::vec::Vec;
use codec::{Codec, Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;
pub use sp_runtime::{FixedU128, Perbill};

pub use palisade_primitives::{AssetId, Collateral, ConsumerId, ConsumerKey, EpochIndex, PoolId};

/// Palisade's block number.
pub type BlockNumber = u32;
/// Identifier of a withdrawal request.
pub type RequestId = u32;
/// Identifier of a pending slash.
pub type SlashId = u32;

/// Why a query has no answer.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub enum RestakingApiError {
	/// No pool with this id.
	UnknownPool,
	/// The account is not a registered operator.
	UnknownOperator,
	/// No consumer chain with this id.
	UnknownConsumer,
}

/// A restaking pool.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct PoolView<AccountId, Balance> {
	/// The pool's id.
	pub pool_id: PoolId,
	/// Who sets its allocations, cap and state.
	pub curator: AccountId,
	/// What its stake is made of.
	pub collateral: Collateral,
	/// Decimals of the collateral (and of the LRT).
	pub decimals: u8,
	/// Whether it accepts deposits.
	pub open: bool,
	/// Deposits may not raise `value` above this (collateral units).
	pub deposit_cap: Balance,
	/// Active value (collateral units): what the LRT holders own and what backs allocations.
	pub value: Balance,
	/// `value` in native units (at `valuation`; zero for an asset without one).
	pub value_native: Balance,
	/// Native base units per collateral base unit: one for PAL, the governance-set valuation
	/// for an asset, `None` if the asset has none (the pool then backs nothing).
	pub valuation: Option<FixedU128>,
	/// Value owed to queued withdrawal requests (collateral units): no longer backing, still
	/// slashable.
	pub withdrawal_queue: Balance,
	/// Native rewards not yet claimed by LRT holders (asset pools), `vesting` included.
	pub reward_pot: Balance,
	/// Asset id of the pool's LRT in `pallet-assets`.
	pub lrt_asset: AssetId,
	/// Symbol of the LRT.
	pub lrt_symbol: Vec<u8>,
	/// LRT in existence.
	pub lrt_supply: Balance,
	/// Exchange rate: collateral units per LRT unit, virtual offset included.
	pub rate: FixedU128,
	/// The LRT's market price next to its `rate`: the PAL (Planck) that selling one whole LRT
	/// (`10^decimals` base units) on the PAL/LRT pool of `pallet-asset-conversion` pays now,
	/// the pool's swap fee and the sale's price impact included (its
	/// `quote_price_exact_tokens_for_tokens(LRT, PAL, 10^decimals, true)`). `None` if the LRT
	/// has no pool, an empty one, or one too shallow to pay it. Compare it with
	/// `rate × 10^decimals × valuation`, what the same LRT is worth through the withdrawal
	/// queue: below it, the market charges for leaving at once; above it, depositing and
	/// selling pays.
	pub market_price: Option<Balance>,
	/// Consumer payments the pool earned and has not claimed yet (PAL Planck): anyone may
	/// claim them into the pool (`consumers.claimPoolRewards`); they then vest (see
	/// `vesting`).
	pub pending_rewards: Balance,
	/// Rewards claimed into the pool (and a staked pool's compounded NPoS rewards) that are
	/// not yet in `rate` (native and staked pools, part of `value`) or in the part of
	/// `reward_pot` holders own (asset pools): they enter linearly, one slice per epoch, over
	/// as many epochs as passed between the pool's last two additions.
	pub vesting: Balance,
	/// Allocations of the active value to (operator, consumer) pairs.
	pub allocations: Vec<AllocationView<AccountId, Balance>>,
	/// The pool's metadata.
	pub metadata: Vec<u8>,
}

/// One allocation of a pool.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct AllocationView<AccountId, Balance> {
	/// The consumer chain.
	pub consumer_id: ConsumerId,
	/// The operator.
	pub operator: AccountId,
	/// The fraction of the pool's active value in force in the current epoch.
	pub fraction: Perbill,
	/// A scheduled change (increase: next epoch; decrease: after the deallocation delay).
	pub pending: Option<PendingFraction>,
	/// The native-valued stake this allocation backs the pair with in the current epoch.
	pub backing: Balance,
}

/// A scheduled allocation change.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub struct PendingFraction {
	/// The fraction from `effective_epoch` on.
	pub fraction: Perbill,
	/// The epoch it takes effect.
	pub effective_epoch: EpochIndex,
}

/// What an account holds in the restaking pools.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct PositionsView<Balance> {
	/// LRT holdings, by pool id.
	pub holdings: Vec<HoldingView<Balance>>,
	/// Open withdrawal requests, by request id.
	pub withdrawals: Vec<WithdrawalView<Balance>>,
}

/// An account's LRT of one pool, valued at the pool's current rate.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct HoldingView<Balance> {
	/// The pool.
	pub pool_id: PoolId,
	/// The LRT's asset id.
	pub lrt_asset: AssetId,
	/// LRT held.
	pub lrt: Balance,
	/// What a withdrawal request of all of it would queue now (collateral units, rounded down).
	pub value: Balance,
	/// `value` in native units.
	pub value_native: Balance,
	/// Native reward share a withdrawal of all of it would carry (asset pools).
	pub reward: Balance,
	/// The pool's exchange rate used.
	pub rate: FixedU128,
}

/// An open withdrawal request.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct WithdrawalView<Balance> {
	/// The request's id (to claim it).
	pub request_id: RequestId,
	/// The pool.
	pub pool_id: PoolId,
	/// LRT burnt by the request.
	pub lrt_burnt: Balance,
	/// What the LRT was worth at the request (collateral units): the most the claim pays.
	pub value_at_request: Balance,
	/// What claiming would pay now (collateral units): `value_at_request` less what slashes
	/// took from the withdrawal queue since.
	pub claimable: Balance,
	/// Native reward paid with the claim.
	pub reward: Balance,
	/// Epoch of the request.
	pub requested_at: EpochIndex,
	/// First epoch at which it can be claimed.
	pub claimable_at: EpochIndex,
	/// First block of epoch `claimable_at` (an estimate while that epoch is in the future).
	pub claimable_at_block: BlockNumber,
	/// Whether it can be claimed now.
	pub ready: bool,
}

/// Where an operator stands.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub enum OperatorStatusView {
	/// Registered, may validate.
	Active,
	/// Jailed by a slash: not eligible before epoch `until`.
	Jailed {
		/// First epoch at which it is free again.
		until: EpochIndex,
	},
	/// Deregistered, waiting for its delays to pass.
	Leaving,
}

/// A registered operator.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct OperatorView<AccountId, Balance> {
	/// The operator's account.
	pub operator: AccountId,
	/// Its status in the current epoch.
	pub status: OperatorStatusView,
	/// Active bond (counts in full for every consumer it validates).
	pub bond: Balance,
	/// Unbonding chunks: still held and slashable until withdrawn.
	pub unbonding: Vec<UnbondingView<Balance>>,
	/// Commission in force in the current epoch.
	pub commission: Perbill,
	/// A scheduled commission increase.
	pub pending_commission: Option<PendingCommissionView>,
	/// Free-form metadata.
	pub metadata: Vec<u8>,
	/// Epoch of registration.
	pub registered_at: EpochIndex,
	/// Rewards it earned as a member of consumers' sets (commission and its own bond's part)
	/// and has not claimed yet (`claim_operator_rewards`), PAL Planck.
	pub pending_rewards: Balance,
	/// The consumers it is opted in to (or leaving), by consumer id.
	pub opt_ins: Vec<OptInView<Balance>>,
}

/// Part of an operator's bond on its way out.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub struct UnbondingView<Balance> {
	/// Amount unbonding.
	pub amount: Balance,
	/// First epoch at which it can be withdrawn.
	pub unlock_epoch: EpochIndex,
}

/// A scheduled commission increase.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub struct PendingCommissionView {
	/// The new commission.
	pub commission: Perbill,
	/// The epoch it takes effect.
	pub effective_epoch: EpochIndex,
}

/// An operator's opt-in to one consumer, with the stake behind it now.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct OptInView<Balance> {
	/// The consumer chain.
	pub consumer_id: ConsumerId,
	/// The key it validates the consumer with in the current epoch.
	pub key: ConsumerKey,
	/// A scheduled key rotation: the new key and the epoch it takes effect.
	pub pending_key: Option<(ConsumerKey, EpochIndex)>,
	/// Epoch of the opt-in.
	pub since: EpochIndex,
	/// Set if it is opting out: the epoch from which it is no longer opted in.
	pub leaving_at: Option<EpochIndex>,
	/// Whether it may be put into the consumer's validator set now.
	pub eligible: bool,
	/// Its own bond, counted towards this consumer.
	pub own_stake: Balance,
	/// The pools backing it for this consumer in the current epoch (native-valued).
	pub pools: Vec<(PoolId, Balance)>,
	/// `own_stake` plus the pools.
	pub total_stake: Balance,
	/// Its power in the consumer's current validator set, if it is a member.
	pub power: Option<Balance>,
}

/// Why a consumer was paused.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub enum PauseReasonView {
	/// Fewer than `min_operators` operators qualified.
	NotEnoughOperators,
	/// The escrow could not pay an epoch.
	InsufficientEscrow,
}

/// Where a consumer stands.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub enum ConsumerStatusView {
	/// Registered, never active yet.
	Registered,
	/// Has a validator set for the current epoch and paid for it.
	Active,
	/// Was active; no validator set for now.
	Paused {
		/// Why.
		reason: PauseReasonView,
	},
	/// Deregistered by its admin.
	Deregistered {
		/// Its last epoch with (possibly) a validator set.
		last_active_epoch: EpochIndex,
	},
	/// Deregistered and escrow refunded.
	Retired {
		/// Its last epoch with (possibly) a validator set.
		last_active_epoch: EpochIndex,
	},
}

/// What a consumer chain asks for.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub struct ConsumerParamsView<Balance> {
	/// Fewest operators; below it the consumer is paused.
	pub min_operators: u32,
	/// Most operators in the set.
	pub max_operators: u32,
	/// Smallest stake (bond plus pool backing, native-valued) of a candidate.
	pub min_stake_per_operator: Balance,
	/// Highest share of the set's total stake one operator's power may reach.
	pub power_cap: Perbill,
	/// Paid out of the escrow every epoch the consumer is active.
	pub payment_per_epoch: Balance,
}

/// A registered consumer chain.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct ConsumerView<AccountId, Balance> {
	/// Its id.
	pub consumer_id: ConsumerId,
	/// Lifecycle status.
	pub status: ConsumerStatusView,
	/// May change the parameters, reporter and admin, and deregister.
	pub admin: AccountId,
	/// May report offences.
	pub reporter: AccountId,
	/// Escrow available for lease payments.
	pub escrow: Balance,
	/// The account `fund_lease` pays into.
	pub escrow_account: AccountId,
	/// Epochs the escrow pays for at the current payment (`None` if the payment is zero).
	pub epochs_funded: Option<u32>,
	/// Everything ever paid into the escrow.
	pub total_funded: Balance,
	/// Everything ever paid out of it to operators and pools.
	pub total_paid: Balance,
	/// Parameters in force.
	pub params: ConsumerParamsView<Balance>,
	/// A parameter change and the epoch it takes effect.
	pub pending_params: Option<(ConsumerParamsView<Balance>, EpochIndex)>,
	/// The consumer chain's genesis hash.
	pub genesis_hash: [u8; 32],
	/// Free-form metadata.
	pub metadata: Vec<u8>,
	/// Epoch of registration.
	pub registered_at: EpochIndex,
	/// Id of the last validator set published, if any.
	pub last_set_id: Option<u64>,
	/// Number of members of the current validator set (zero without a set).
	pub set_size: u32,
}

/// A consumer's current validator set.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct ValidatorSetView<AccountId, Balance> {
	/// The consumer.
	pub consumer_id: ConsumerId,
	/// Its status (only an active consumer has a set).
	pub status: ConsumerStatusView,
	/// The set, if the consumer has one now.
	pub set: Option<PublishedSetView<AccountId, Balance>>,
}

/// A published validator set.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct PublishedSetView<AccountId, Balance> {
	/// The epoch it was (re)published for.
	pub epoch: EpochIndex,
	/// Its id: incremented whenever the members change. A consumer chain applying every
	/// change runs GRANDPA with this set id.
	pub set_id: u64,
	/// `blake2_256` of the SCALE-encoded `(operator, key, power)` members.
	pub set_hash: [u8; 32],
	/// The members, by stake descending.
	pub members: Vec<MemberView<AccountId, Balance>>,
	/// Sum of the members' power.
	pub total_power: Balance,
}

/// A validator set member.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct MemberView<AccountId, Balance> {
	/// The operator.
	pub operator: AccountId,
	/// Its key for the consumer (e.g. its GRANDPA key there).
	pub key: ConsumerKey,
	/// Its voting power: its stake, capped by the consumer's power cap.
	pub power: Balance,
	/// Its stake (own bond plus pool backing) snapshotted for the set's epoch.
	pub stake: Balance,
}

/// What an operator is accused of.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub enum OffenceKindView {
	/// Offline or unresponsive.
	Downtime,
	/// Signed conflicting votes or blocks.
	Equivocation,
	/// Any other misbehaviour.
	Misbehaviour,
}

/// How an offence was established.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub enum EvidenceView {
	/// Reported by the consumer's reporter, with its details.
	Reported {
		/// The details bytes.
		details: Vec<u8>,
	},
	/// Proven with a GRANDPA equivocation proof.
	GrandpaEquivocation {
		/// GRANDPA set id of the votes.
		set_id: u64,
		/// Round of the votes.
		round: u64,
		/// The key that signed both votes.
		key: ConsumerKey,
	},
}

/// A slash waiting for its due epoch.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo)]
pub struct PendingSlashView<AccountId, Balance> {
	/// Its id (governance cancels it by id).
	pub slash_id: SlashId,
	/// The consumer chain.
	pub consumer_id: ConsumerId,
	/// The accused operator.
	pub operator: AccountId,
	/// The offence.
	pub kind: OffenceKindView,
	/// The epoch of the offence.
	pub epoch: EpochIndex,
	/// The slash fraction.
	pub fraction: Perbill,
	/// Who earns the reporter reward (on-chain evidence only).
	pub reporter: Option<AccountId>,
	/// Epoch of the report.
	pub reported_at: EpochIndex,
	/// The epoch it executes in unless cancelled first.
	pub due_epoch: EpochIndex,
	/// First block of `due_epoch` (estimate).
	pub due_block: BlockNumber,
	/// Estimated amount taken from the operator's bond.
	pub bond_amount: Balance,
	/// Estimated amount taken from the pools, in total.
	pub pools_amount: Balance,
	/// Estimated amount taken from each exposed pool (native-valued).
	pub pool_amounts: Vec<(PoolId, Balance)>,
	/// How the offence was established.
	pub evidence: EvidenceView,
}

/// The restaking delays, in epochs.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub struct DelaysView {
	/// Between a withdrawal request and its claim.
	pub withdrawal: EpochIndex,
	/// Before an allocation decrease applies.
	pub deallocation: EpochIndex,
	/// Before an opt-out applies.
	pub opt_out: EpochIndex,
	/// Before unbonded operator funds can be withdrawn.
	pub unbonding: EpochIndex,
	/// Before a commission increase applies.
	pub commission_change: EpochIndex,
	/// How many epochs back an offence may be reported.
	pub report_window: EpochIndex,
	/// Between a report and its execution (the veto window).
	pub veto_delay: EpochIndex,
	/// How long exposures are kept.
	pub exposure_retention: EpochIndex,
}

/// The epoch clock.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Copy, PartialEq, Eq, Debug, TypeInfo)]
pub struct EpochView {
	/// The current epoch.
	pub current_epoch: EpochIndex,
	/// Blocks per epoch.
	pub epoch_length: BlockNumber,
	/// The block the current epoch started in.
	pub epoch_start: BlockNumber,
	/// The block the next epoch is due to start in.
	pub next_epoch_start: BlockNumber,
	/// The block this answer is for.
	pub block_number: BlockNumber,
	/// Whether the current epoch's transition still has consumers to process.
	pub transition_pending: bool,
	/// The delays.
	pub delays: DelaysView,
}

sp_api::decl_runtime_apis! {
	/// Queries of Palisade's restaking pallets.
	pub trait RestakingApi<AccountId, Balance>
	where
		AccountId: Codec,
		Balance: Codec,
	{
		/// The ids of every pool.
		fn pool_ids() -> Vec<PoolId>;

		/// Pool `pool_id`: collateral, value, LRT, rate, allocations.
		fn pool(pool_id: PoolId) -> Result<PoolView<AccountId, Balance>, RestakingApiError>;

		/// What `account` holds in the pools (LRT at the current rates) and its open
		/// withdrawal requests.
		fn positions(account: AccountId) -> PositionsView<Balance>;

		/// Operator `operator`: status, bond, commission, opt-ins with keys and the stake
		/// backing it per consumer.
		fn operator(operator: AccountId) -> Result<OperatorView<AccountId, Balance>, RestakingApiError>;

		/// The ids of every consumer chain.
		fn consumer_ids() -> Vec<ConsumerId>;

		/// Consumer `consumer_id`: status, escrow, parameters, admin, reporter.
		fn consumer(consumer_id: ConsumerId) -> Result<ConsumerView<AccountId, Balance>, RestakingApiError>;

		/// The validator set consumer `consumer_id` must run now.
		fn validator_set(consumer_id: ConsumerId) -> Result<ValidatorSetView<AccountId, Balance>, RestakingApiError>;

		/// The pending slashes, of one consumer or of all.
		fn pending_slashes(consumer_id: Option<ConsumerId>) -> Result<Vec<PendingSlashView<AccountId, Balance>>, RestakingApiError>;

		/// The epoch clock and the delays.
		fn epoch() -> EpochView;
	}
}
