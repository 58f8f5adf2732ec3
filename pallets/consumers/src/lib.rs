//! # Consumers pallet
//!
//! The registry of Palisade's **consumer chains**, their **security leases**, and the restaking
//! **epoch clock** with the per-epoch **transition** that turns opted-in operators and pool
//! backing into published validator sets, exposures and rewards.
//!
//! ## Consumers and leases
//!
//! - `register_consumer` holds [`Config::RegistrationDeposit`] from the caller (the
//!   *depositor*, under [`HoldReason::Registration`]) and pays the existential deposit into the
//!   consumer's **escrow account** ([`Pallet::escrow_account`], a sub-account of
//!   [`Config::PalletId`]) so that account can always pay out its whole escrow while staying
//!   alive. The caller becomes **admin** and **reporter** (change them with `set_admin` /
//!   `set_reporter`). A new reporter, or the reporter under a new admin, can only report
//!   offences of epochs after the change ([`ConsumerRecord::reporter_since`],
//!   [`palisade_primitives::ConsumersInterface::reporter_at`]): whoever takes a consumer over
//!   cannot reach back into offences already in the report window.
//! - `fund_lease`: anyone tops up the escrow. The escrow is recorded in storage
//!   ([`ConsumerRecord::escrow`], with a ledger of what was funded, paid and refunded); the
//!   account balance is never read back as the truth, so donations to the account change
//!   nothing.
//! - `update_params`: effective from the next epoch (stored as pending, applied by that
//!   epoch's transition).
//! - `deregister_consumer` (admin) or `force_deregister` ([`Config::GovernanceOrigin`]): the
//!   consumer accepts no new opt-in and gets no validator set from the next transition on.
//!   Its last epoch with a set is at most the epoch of deregistration, `last_active_epoch`;
//!   offences of that epoch may be reported and executed for [`Config::ExposureRetention`]
//!   more epochs. From epoch `last_active_epoch + ExposureRetention + 1` on (at once for a
//!   consumer that never had a set), anyone may call `reap_consumer`. The reap is **paged**:
//!   while opt-ins to the consumer remain in the operator registry, a call removes at most
//!   [`Config::MaxOptInsReapedPerCall`] of them
//!   ([`palisade_primitives::OperatorRegistry::remove_consumer_opt_ins`]: no slash can reach
//!   them any more, and an operator that never opts out cannot keep the record alive) and
//!   returns; once none is left, a call forgets at most as many of its remembered validator
//!   sets ([`PublishedSets`], [`SetHistory`]: all outside the retention by then), oldest
//!   first, keeping the newest; the call that finds no opt-in and at most one set left
//!   refunds the escrow to the admin, returns the deposit and the escrow account's remaining
//!   balance to the depositor and removes the record with its last set. A consumer with `k`
//!   opt-ins and `s` remembered sets is reaped in
//!   `ceil(k / MaxOptInsReapedPerCall) + ceil((s - 1) / MaxOptInsReapedPerCall) + 1` calls
//!   (on Palisade 4 a page: 51 + 2 calls for 200 opt-ins and 9 sets), each costing a few
//!   transfers. A reapable consumer accepts no opt-in and cannot activate, so nobody can stall
//!   its reap.
//! - **Registrations that never activate** do not keep a slot of [`Config::MaxConsumers`] for
//!   free: a `Registered` consumer that has not become active within
//!   [`Config::ActivationPeriod`] epochs (registered in epoch `r`: by the transition into
//!   `r + ActivationPeriod - 1`) has *expired*: it no longer activates nor accepts opt-ins,
//!   and anyone may reap it. A consumer that ends (expired, or deregistered) without ever
//!   having had a validator set loses [`Config::UnactivatedPenalty`] of its deposit (burnt);
//!   the rest goes back. Holding a slot costs that share of the deposit per `ActivationPeriod`.
//!
//! Lifecycle: `Registered → Active ⇄ Paused → Deregistered → removed` (`Registered → removed`
//! on expiry). `Retired` is no longer entered (the reap's final call removes the record).
//!
//! ## The epoch clock
//!
//! Epoch `0` starts at genesis. Epoch `e + 1` starts in the first block `n` with
//! `n >= EpochStart + EpochLength` ([`EpochLength`] is set at genesis) **and** no transition
//! of epoch `e` left unfinished: an epoch never starts before every consumer was processed for
//! the previous one. In that block's `on_initialize`, in this order:
//!
//! 1. `T::Operators::on_new_epoch(e + 1)` (commission, key, opt-out and jail changes),
//! 2. `T::Pools::on_new_epoch(e + 1)` (allocation changes),
//! 3. `T::EpochHooks::on_epoch_start(e + 1, budget)` (the slashing pallet executes due slashes
//!    and jails, so they already shape the new sets),
//! 4. every consumer, **in id order**, exactly once, its step **in pages** (see
//!    [`Pallet::process_consumer`] and "Pages" below): pending parameters applied; candidates
//!    = opted-in *eligible* operators, stake = the operator's **whole active bond** (an
//!    operator restakes its bond: it counts in full for every consumer it validates and is
//!    slashable by each) + the pools' native-valued backing for that consumer; candidates
//!    below `min_stake_per_operator` (or with zero stake) are dropped; the rest sorted by
//!    stake descending, ties by operator account ascending, and cut at `max_operators`;
//!    **power** = `min(stake, floor(power_cap × total stake of the kept set))`, at least 1
//!    (what the cap removes is not redistributed);
//! 5. lifecycle: a `Registered`/`Paused` consumer with at least `min_operators` members and an
//!    escrow of at least `payment_per_epoch` becomes `Active` (not an expired registration);
//!    an `Active` one short of either is `Paused` (and loses its set); a deregistered one
//!    loses its set;
//! 6. an active consumer's members' reward records are brought in line (written only for a
//!    member whose power, stake composition or commission changed, or that left: see
//!    `rewards.rs`), with an exposure checkpoint for each member that joined, left or whose
//!    stake or key changed ([`ExposureCheckpoints`], `exposures.rs`), and its
//!    epoch payment is **one transfer** from the escrow into [`Pallet::rewards_account`] plus
//!    one write of its [`RewardPerPower`] (`+= payment × 10^18 / total power`). Each
//!    member's power is split into reward weights when its record is written: the operator
//!    keeps its commission plus the part of the rest proportional to its own bond, and each
//!    pool gets the part proportional to its backing (summed per (pool, consumer) in
//!    [`PoolShares`]); each weight earns `weight × Δ RewardPerPower` lazily. Every division
//!    rounds down; the dust stays in the rewards account.
//!    Operators and pools collect with `claim_operator_rewards` (a page of 8 memberships a
//!    call, resuming where the last stopped) / `claim_pool_rewards` (a page of 6 (pool,
//!    consumer) records a call, likewise) (anyone may call them); a pool's claimed rewards
//!    vest into its LRT rate (the pools pallet's `RewardVesting`), so its deposits and
//!    withdrawal requests claim nothing;
//! 7. the set is published in [`ValidatorSets`] with a **fresh set id every epoch** (even with
//!    unchanged members), one more than the consumer's last set id and never reused, also
//!    across a pause and reactivation, with a `ValidatorSetUpdated` event. A set id therefore
//!    names exactly one epoch ([`SetHistory`], `epoch_of_set`), and a consumer chain that
//!    enacts every published set (a GRANDPA authority change every epoch) runs GRANDPA with
//!    set ids that map evidence to the epoch whose exposure it slashes.
//!
//! Step 4 onwards is **metered**: each block's work is bounded by
//! [`Config::MaxEpochTransitionWeight`], and the transition stops and resumes *inside* a
//! consumer. In every block, what remains of the budget then prunes exposures older than
//! [`Config::ExposureRetention`] epochs and finally goes to
//! `T::EpochHooks::on_idle_epoch_work`.
//!
//! ### Pages
//!
//! A consumer whose inputs did not change republishes its set in one step (`changes.rs`).
//! Any other consumer's step is a sequence of **pages** of at most
//! [`Config::OperatorsPerTransitionPage`] operators each ([`StepPhase`], `step.rs`): a start
//! that lists its eligible opted-in operators; score pages that read their bonds and backing
//! into a running ranking of the best `max_operators` ([`StepCandidates`]); sync pages that
//! write the new members' reward records, pool records and exposure checkpoints; retire pages
//! for the previous members that leave; the publication (payment, set, set id, events). A
//! consumer that gets no set retires its previous set in pages and then closes. A page runs
//! only if its benchmarked bound fits what is left of the block; the step may stop after any
//! page and go on in the next block ([`ConsumerStep`] keeps where, with the listed operators
//! and the ranking, [`StepOperators`] and [`StepCandidates`]). So only a page, not a whole
//! consumer, must fit in a block (`integrity_test` checks each kind of page).
//!
//! Until the last page of its step, a consumer is **not processed yet** for every reader: the
//! [`Transition`] cursor moves past it only then, so its exposures for the new epoch are not
//! answered and those of earlier epochs are exactly what they were; its set, set id, set
//! history and reward index change only at the last page, and the pages settle every record
//! they rewrite at that unchanged index, so a claim between two pages pays what it would have
//! before the step. What lands between two pages counts as the page that reads it sees it
//! (each operator is read once: listed at the start, scored by its page) and is noted for the
//! next epoch's selection; a consumer deregistered between two pages ends the epoch without a
//! set exactly as one deregistered before its step (the pages written are undone), and cannot
//! be reaped until its step ends ([`Error::InTransition`]); a parameter update during the step
//! applies from the next epoch.
//!
//! ## Example
//!
//! ```ignore
//! // A consumer chain registers, wanting 3 to 10 operators with 1_000 stake each, a 20% power
//! // cap, paying 500 per epoch, and funds 10 epochs.
//! let params = ConsumerParams {
//!     min_operators: 3, max_operators: 10, min_stake_per_operator: 1_000,
//!     power_cap: Perbill::from_percent(20), payment_per_epoch: 500,
//! };
//! Consumers::register_consumer(origin.clone(), metadata, genesis_hash, params)?;
//! Consumers::fund_lease(origin, 0, 5_000)?;
//! // At each epoch start, once 3 operators qualify: `ConsumerActivated`, `ValidatorSetUpdated`.
//! let set = Consumers::validator_set(0);
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod benchmarking;
mod changes;
mod epoch;
mod exposures;
mod impls;
mod interface;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod rewards;
mod set;
mod step;
mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::consumers";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::fungible, PalletId};
	use frame_system::pallet_prelude::*;
	use palisade_primitives::{
		ChangeSubject, ConsumerId, ConsumerKey, EpochHooks, EpochIndex, OperatorRegistry, PoolId,
		PoolsInterface,
	};
	use sp_runtime::{traits::StaticLookup, Perbill};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	/// An account id or an address that resolves to one.
	pub type AccountIdLookupOf<T> = <<T as frame_system::Config>::Lookup as StaticLookup>::Source;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A consumer's registration deposit, held from its depositor.
		#[codec(index = 0)]
		Registration,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The native currency: deposits, escrows and rewards.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The operator registry.
		type Operators: OperatorRegistry<Self::AccountId, BalanceOf<Self>>;

		/// The restaking pools.
		type Pools: PoolsInterface<Self::AccountId, BalanceOf<Self>>;

		/// Work other pallets (slashing) do at each epoch start and in every block.
		type EpochHooks: EpochHooks;

		/// Escrow accounts are sub-accounts of this id, one per consumer.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Held from the depositor while the consumer's record exists.
		#[pallet::constant]
		type RegistrationDeposit: Get<BalanceOf<Self>>;

		/// Most consumer records (deregistered ones included).
		#[pallet::constant]
		type MaxConsumers: Get<u32>;

		/// Epochs a `Registered` consumer has to become active: registered in epoch `r`, it may
		/// activate at the transitions into `r + 1` to `r + ActivationPeriod - 1`. From epoch
		/// `r + ActivationPeriod` on the registration is *expired*: it neither activates nor
		/// accepts opt-ins, and anyone may reap it (with [`Config::UnactivatedPenalty`]). At
		/// least 2.
		#[pallet::constant]
		type ActivationPeriod: Get<EpochIndex>;

		/// Share of the deposit burnt when a consumer that never had a validator set is reaped
		/// (expired or deregistered): the price of holding a consumer slot without using it.
		#[pallet::constant]
		type UnactivatedPenalty: Get<Perbill>;

		/// Most opt-ins one `reap_consumer` call removes from the operator registry, and, once
		/// none is left, most remembered validator sets it forgets. A consumer may still have
		/// the registry's whole opt-in bound per consumer when it is reaped, and each removal
		/// reads and writes the operator's record, its opt-in and its key index: removing them
		/// all in one call cost as much as 175 balance transfers on Palisade. The reap is paged
		/// instead: each call removes at most this many opt-ins (or sets) and returns; the call
		/// that finds no opt-in and at most one set left refunds and removes the record. At
		/// least 1.
		#[pallet::constant]
		type MaxOptInsReapedPerCall: Get<u32>;

		/// May deregister any consumer (`force_deregister`).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Most operators in a validator set (bounds `max_operators`). Must be at least the
		/// operator registry's opt-in bound per consumer.
		#[pallet::constant]
		type MaxOperatorsPerConsumer: Get<u32>;

		/// Most pools kept in one exposure. Must be at least the pools' bound per operator.
		#[pallet::constant]
		type MaxPoolsPerOperator: Get<u32>;

		/// Longest consumer metadata, in bytes.
		#[pallet::constant]
		type MaxMetadataLen: Get<u32>;

		/// For how many epochs after an epoch its exposures are kept (and a deregistered
		/// consumer's escrow withheld). At least 1; the runtime keeps it at least the slashing
		/// pallet's report window plus veto delay.
		#[pallet::constant]
		type ExposureRetention: Get<EpochIndex>;

		/// The most weight the epoch transition (and the pruning and the epoch hooks) may use
		/// in one block's `on_initialize`. Must fit the epoch start, one exposure pruning and
		/// the largest page of a consumer's step ([`Pallet::transition_pages`]), not a whole
		/// consumer.
		#[pallet::constant]
		type MaxEpochTransitionWeight: Get<Weight>;

		/// Most memberships (consumers whose set it is in) of one operator: bounds what
		/// [`Pallet::pending_operator_rewards`] adds up and the consumers an operator's change
		/// marks. Must be at least the operator registry's opt-ins per operator (the runtime
		/// sets them equal). `claim_operator_rewards` settles them a page of
		/// [`OPERATOR_CLAIM_PAGE`] at a time.
		#[pallet::constant]
		type MaxOperatorMemberships: Get<u32>;

		/// Most consumers one pool backs: bounds the (pool, consumer) reward records
		/// ([`PoolShares`]) a whole-pool claim settles
		/// ([`palisade_primitives::PoolRewardsSource`]) and [`Pallet::pending_pool_rewards`]
		/// adds up. Must be at least the pools pallet's consumers per pool (the runtime sets
		/// them equal): a pool has a record for a consumer only while it backs a member of the
		/// consumer's set, and that claim always visits the first records. `claim_pool_rewards`
		/// settles them a page of [`POOL_CLAIM_PAGE`] at a time.
		#[pallet::constant]
		type MaxConsumersPerPool: Get<u32>;

		/// Most operators one page of a consumer's transition step scores, writes or retires
		/// (`step.rs`): the step of a consumer runs in pages of at most this many operators
		/// (each with its pools), and may stop at the end of any page and go on in the next
		/// block, so only a page (not a whole consumer) must fit in
		/// [`Config::MaxEpochTransitionWeight`]. At least 1.
		#[pallet::constant]
		type OperatorsPerTransitionPage: Get<u32>;

		/// Weight information for this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
	}

	/// Blocks per epoch. Set at genesis, at least 1.
	#[pallet::storage]
	pub type EpochLength<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The current restaking epoch.
	#[pallet::storage]
	pub type CurrentEpoch<T: Config> = StorageValue<_, EpochIndex, ValueQuery>;

	/// The block the current epoch started in.
	#[pallet::storage]
	pub type EpochStart<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The unfinished transition of the current epoch: consumers above `last` remain to be
	/// processed (the first of them possibly in the middle of its step, [`ConsumerStep`]).
	/// `None` once every consumer was processed.
	#[pallet::storage]
	pub type Transition<T: Config> = StorageValue<_, TransitionCursor, OptionQuery>;

	/// The step of the consumer the open transition is in the middle of (the first
	/// registered id above [`Transition`]'s `last`), if a block stopped inside it: the
	/// parameters it runs with and what its next page does ([`StepPhase`]). Present only
	/// between two blocks of one consumer's step, so only while a transition is open; removed
	/// by the step's last page. Until then the consumer is "not processed yet" for every
	/// reader (see `step.rs`).
	#[pallet::storage]
	pub type ConsumerStep<T: Config> = StorageValue<_, StepCursor<T>, OptionQuery>;

	/// The eligible operators opted in to the consumer of [`ConsumerStep`] at the transition's
	/// epoch, with their keys, as its step's first page listed them; the score pages work
	/// through them. At most [`Config::MaxOperatorsPerConsumer`]; empty (absent) once scored.
	#[pallet::storage]
	pub type StepOperators<T: Config> = StorageValue<_, StepOperatorsOf<T>, ValueQuery>;

	/// The ranking of the consumer of [`ConsumerStep`]: the best candidates its score pages
	/// kept so far (by stake descending, ties by operator ascending, at most its
	/// `max_operators`), then, with their powers, the set it will publish. Absent when no step
	/// is kept.
	#[pallet::storage]
	pub type StepCandidates<T: Config> = StorageValue<_, StepCandidatesOf<T>, ValueQuery>;

	/// The id the next registered consumer gets.
	#[pallet::storage]
	pub type NextConsumerId<T: Config> = StorageValue<_, ConsumerId, ValueQuery>;

	/// The ids of every consumer record, ascending: the order of the transition.
	#[pallet::storage]
	pub type ConsumerIds<T: Config> =
		StorageValue<_, BoundedVec<ConsumerId, <T as Config>::MaxConsumers>, ValueQuery>;

	/// Registered consumers.
	#[pallet::storage]
	pub type ConsumerRecords<T: Config> =
		StorageMap<_, Twox64Concat, ConsumerId, ConsumerRecord<T>, OptionQuery>;

	/// The validator set of each active consumer (and of a deregistered one until the next
	/// transition).
	#[pallet::storage]
	pub type ValidatorSets<T: Config> =
		StorageMap<_, Twox64Concat, ConsumerId, ValidatorSetOf<T>, OptionQuery>;

	/// The validator sets each consumer published for the last `ExposureRetention + 1`
	/// epochs (oldest first, one set id per epoch), for `epoch_of_set`.
	#[pallet::storage]
	pub type SetHistory<T: Config> =
		StorageMap<_, Twox64Concat, ConsumerId, SetHistoryOf<T>, ValueQuery>;

	/// Every set each consumer published in the last `ExposureRetention + 1` epochs, by set id
	/// (the entries of [`SetHistory`]): a consumer chain proves the set that follows the one it
	/// runs from here, so it can catch up on sets it missed while they were current. Pruned
	/// with [`SetHistory`].
	#[pallet::storage]
	pub type PublishedSets<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ConsumerId,
		Twox64Concat,
		u64,
		ValidatorSetOf<T>,
		OptionQuery,
	>;

	/// The Palisade set id of each consumer chain's GRANDPA set 0 (its genesis authorities):
	/// GRANDPA set `g` of the chain runs Palisade set `anchor + g`, because the consumer pallet
	/// enacts every published set, in order, as one GRANDPA change. Absent: 0 (the chain
	/// started from the consumer's first set). Declared once by the consumer's admin
	/// ([`Pallet::set_chain_anchor`]); governance may correct it.
	#[pallet::storage]
	pub type ChainAnchors<T: Config> = StorageMap<_, Twox64Concat, ConsumerId, u64, OptionQuery>;

	/// Exposure checkpoints: (consumer, operator, epoch) → the stake behind that member of
	/// that consumer's set from that epoch on, written only when it changes (the entry in force
	/// at an epoch is found through [`ExposureIndex`]). Kept while an epoch of the retention
	/// window needs it.
	#[pallet::storage]
	pub type ExposureCheckpoints<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, ConsumerId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
			NMapKey<Twox64Concat, EpochIndex>,
		),
		Exposure<T>,
		OptionQuery,
	>;

	/// The checkpoints of each (consumer, operator) pair, oldest first: from which epoch the
	/// operator is a member with which key, or not a member. At most `ExposureRetention + 2`:
	/// a checkpoint superseded before the retention window is dropped when the next one is
	/// written, and a pair that left is removed `ExposureRetention + 1` epochs later
	/// ([`PairPruning`]).
	#[pallet::storage]
	pub type ExposureIndex<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ConsumerId,
		Blake2_128Concat,
		T::AccountId,
		CheckpointsOf<T>,
		ValueQuery,
	>;

	/// Key index of the checkpoints: (consumer, key) → the operator whose checkpoints use it
	/// (keys are never reused, so one operator per key). Removed with the last checkpoint
	/// using the key.
	#[pallet::storage]
	pub type KeyOwners<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ConsumerId,
		Blake2_128Concat,
		ConsumerKey,
		T::AccountId,
		OptionQuery,
	>;

	/// Pairs whose operator left the consumer's set, by the epoch from which their history is
	/// no longer needed: (epoch, consumer, operator) → ().
	#[pallet::storage]
	pub type PairPruning<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, EpochIndex>,
			NMapKey<Twox64Concat, ConsumerId>,
			NMapKey<Blake2_128Concat, T::AccountId>,
		),
		(),
		OptionQuery,
	>;

	/// Each consumer's cumulative reward per unit of power, scaled by [`REWARD_SCALE`]: every
	/// epoch payment `P` to a set of total power `S` adds `floor(P × SCALE / S)`.
	#[pallet::storage]
	pub type RewardPerPower<T: Config> = StorageMap<_, Twox64Concat, ConsumerId, u128, ValueQuery>;

	/// The reward records of the members of each consumer's current set: (operator, consumer)
	/// → what it earns from and what it is owed. Exactly the members of [`ValidatorSets`];
	/// written only when a member changes, leaves, or is claimed for.
	#[pallet::storage]
	pub type Members<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		ConsumerId,
		MemberRecord<T>,
		OptionQuery,
	>;

	/// Each pool's rewards per consumer: (pool, consumer) → the sum of the pool's reward
	/// weights in the consumer's members, the consumer's [`RewardPerPower`] at its last
	/// settlement and what it is owed. One record per consumer the pool backs (while that sum
	/// is not zero), so a pool's claim visits at most [`Config::MaxConsumersPerPool`] records,
	/// however many operators it backs.
	#[pallet::storage]
	pub type PoolShares<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PoolId,
		Twox64Concat,
		ConsumerId,
		PoolShare<BalanceOf<T>>,
		OptionQuery,
	>;

	/// Rewards an operator is owed from memberships that ended, until claimed.
	#[pallet::storage]
	pub type OperatorRewards<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BalanceOf<T>, ValueQuery>;

	/// Where an operator's next `claim_operator_rewards` page starts: after its membership
	/// ([`Members`] entry) of this consumer, in the map's order (the position stays valid if
	/// that membership ends meanwhile). Present only while a sweep of the operator's
	/// memberships is unfinished: written when a page of [`OPERATOR_CLAIM_PAGE`] stops before
	/// the last membership, removed when a page reaches it. At most one entry per operator,
	/// written only for operators with more memberships than a page.
	#[pallet::storage]
	pub type OperatorClaimCursors<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, ConsumerId, OptionQuery>;

	/// Where a pool's next `claim_pool_rewards` page starts: after its record ([`PoolShares`]
	/// entry) of this consumer, in the map's order (the position stays valid if that record
	/// goes meanwhile). Present only while a sweep of the pool's records is unfinished:
	/// written when a page of [`POOL_CLAIM_PAGE`] stops before the last record, removed when a
	/// page reaches it. At most one entry per pool, written only for pools backing more
	/// consumers than a page.
	#[pallet::storage]
	pub type PoolClaimCursors<T: Config> =
		StorageMap<_, Twox64Concat, PoolId, ConsumerId, OptionQuery>;

	/// Rewards a pool is owed outside any [`PoolShares`] record (from consumers it no longer
	/// backs), until claimed.
	#[pallet::storage]
	pub type PoolRewards<T: Config> = StorageMap<_, Twox64Concat, PoolId, BalanceOf<T>, ValueQuery>;

	/// What consumers paid into the rewards account and what was claimed out of it.
	#[pallet::storage]
	pub type RewardsLedger<T: Config> = StorageValue<_, RewardTotals<BalanceOf<T>>, ValueQuery>;

	/// Progress of the pruning of exposure histories.
	#[pallet::storage]
	pub type Pruning<T: Config> = StorageValue<_, PruneState, ValueQuery>;

	/// Changes noted by the pallets whose state the selection reads, by the epoch whose
	/// selection they first affect: `(epoch, subject) → ()`. The transition into `epoch`
	/// drains that epoch's notes into [`DirtyConsumers`] before it processes any consumer.
	///
	/// Bounded by what exists: per epoch at most one entry per operator, pool and consumer,
	/// plus one for everything; each is written by a call its subject's owner (or governance,
	/// or a slash) paid for, and scheduled ones are at most the longest delay ahead.
	#[pallet::storage]
	pub type Changes<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		ChangeSubject<T::AccountId>,
		(),
		OptionQuery,
	>;

	/// The consumers the open transition must select again (their inputs changed); the others
	/// republish their set as it is. At most one entry per registered consumer.
	#[pallet::storage]
	pub type DirtyConsumers<T: Config> = StorageMap<_, Twox64Concat, ConsumerId, (), OptionQuery>;

	/// The last epoch whose [`Changes`] were drained into [`DirtyConsumers`].
	#[pallet::storage]
	pub type ExpandedEpoch<T: Config> = StorageValue<_, EpochIndex, ValueQuery>;

	/// Genesis: the epoch length.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// Blocks per epoch, at least 1. Default: 14_400 (a day of 6-second blocks).
		pub epoch_length: BlockNumberFor<T>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { epoch_length: 14_400u32.into(), _config: Default::default() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			assert!(self.epoch_length >= 1u32.into(), "epoch length must be at least 1 block");
			EpochLength::<T>::put(self.epoch_length);
			CurrentEpoch::<T>::put(0);
			EpochStart::<T>::put(BlockNumberFor::<T>::from(0u32));
			// The rewards account lives on its existential deposit, so claims can always leave
			// it alive.
			let rewards = Pallet::<T>::rewards_account();
			let minimum = <T::Currency as fungible::Inspect<T::AccountId>>::minimum_balance();
			if <T::Currency as fungible::Inspect<T::AccountId>>::balance(&rewards) < minimum {
				let _ =
					<T::Currency as fungible::Mutate<T::AccountId>>::mint_into(&rewards, minimum);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A consumer chain registered.
		ConsumerRegistered {
			/// Its id.
			consumer_id: ConsumerId,
			/// Its admin (and reporter, and depositor).
			admin: T::AccountId,
			/// Deposit held.
			deposit: BalanceOf<T>,
			/// The account its escrow is kept in.
			escrow_account: T::AccountId,
			/// Its parameters.
			params: ParamsOf<T>,
		},
		/// A parameter change was scheduled.
		ParamsUpdateScheduled {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The new parameters.
			params: ParamsOf<T>,
			/// The epoch whose transition applies them.
			effective_epoch: EpochIndex,
		},
		/// Scheduled parameters took effect.
		ParamsApplied {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The epoch they apply from.
			epoch: EpochIndex,
			/// The parameters now in force.
			params: ParamsOf<T>,
		},
		/// A consumer's reporter changed.
		ReporterSet {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The new reporter.
			reporter: T::AccountId,
			/// The first epoch whose offences it may report.
			reports_from: EpochIndex,
		},
		/// A consumer's admin changed. The reporter in force may only report offences from
		/// `reports_from` on.
		AdminSet {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The new admin.
			admin: T::AccountId,
			/// The first epoch whose offences the reporter may report.
			reports_from: EpochIndex,
		},
		/// Governance deregistered a consumer (followed by `ConsumerDeregistered`).
		ConsumerForceDeregistered {
			/// The consumer.
			consumer_id: ConsumerId,
		},
		/// A consumer that never became active within `ActivationPeriod` was reaped. Emitted
		/// once, by the final `reap_consumer` call (before `EscrowRefunded` and
		/// `ConsumerRemoved`), not by the calls that only remove opt-ins.
		ConsumerExpired {
			/// The consumer.
			consumer_id: ConsumerId,
		},
		/// One page of a consumer's reap: `reap_consumer` removed opt-ins to it from the
		/// operator registry and returned. The reap goes on with further calls: one per
		/// `MaxOptInsReapedPerCall` opt-ins remaining, then those forgetting its remembered
		/// sets (`ConsumerReapSetsProgress`), then one that refunds and removes the record
		/// (`ConsumerRemoved`).
		ConsumerReapProgress {
			/// The consumer being reaped.
			consumer_id: ConsumerId,
			/// Opt-ins removed by this call (at most `MaxOptInsReapedPerCall`).
			opt_ins_removed: u32,
			/// Opt-ins still to remove.
			opt_ins_remaining: u32,
		},
		/// One page of a consumer's reap, once no opt-in is left: `reap_consumer` forgot its
		/// oldest remembered validator sets (published sets and their history entries, all
		/// outside the retention) and returned. The reap goes on with one call per
		/// `MaxOptInsReapedPerCall` sets remaining beyond the newest, then one that refunds and
		/// removes the record with its newest set (`ConsumerRemoved`).
		ConsumerReapSetsProgress {
			/// The consumer being reaped.
			consumer_id: ConsumerId,
			/// Remembered sets forgotten by this call (at most `MaxOptInsReapedPerCall`).
			sets_removed: u32,
			/// Remembered sets left (the newest among them goes with the record).
			sets_remaining: u32,
		},
		/// A consumer's escrow was topped up.
		LeaseFunded {
			/// The consumer.
			consumer_id: ConsumerId,
			/// Who paid.
			who: T::AccountId,
			/// Amount paid in.
			amount: BalanceOf<T>,
			/// Escrow after.
			escrow: BalanceOf<T>,
		},
		/// A consumer deregistered: no validator set from the next transition on.
		ConsumerDeregistered {
			/// The consumer.
			consumer_id: ConsumerId,
			/// Its last epoch with (possibly) a validator set.
			last_active_epoch: EpochIndex,
			/// First epoch at which `reap_consumer` refunds the escrow.
			refundable_from: EpochIndex,
		},
		/// A deregistered consumer's escrow was refunded to its admin.
		EscrowRefunded {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The admin paid.
			admin: T::AccountId,
			/// Amount refunded.
			amount: BalanceOf<T>,
		},
		/// A consumer's record was removed (the final `reap_consumer` call, once no opt-in to
		/// it is left: the earlier calls removed them, see `ConsumerReapProgress`); its deposit
		/// and the escrow account's remaining balance went back to the depositor.
		ConsumerRemoved {
			/// The former consumer.
			consumer_id: ConsumerId,
			/// The depositor.
			depositor: T::AccountId,
			/// Deposit released.
			deposit: BalanceOf<T>,
			/// Deposit burnt (`UnactivatedPenalty` of it if the consumer never had a set).
			penalty: BalanceOf<T>,
			/// Remaining balance of the escrow account swept to the depositor.
			swept: BalanceOf<T>,
		},
		/// A restaking epoch started.
		EpochStarted {
			/// The epoch.
			epoch: EpochIndex,
			/// Its first block.
			first_block: BlockNumberFor<T>,
		},
		/// A consumer became active: it has a validator set and paid for the epoch.
		ConsumerActivated {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The epoch.
			epoch: EpochIndex,
		},
		/// An active consumer was paused: it has no validator set from this epoch on.
		ConsumerPaused {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The epoch.
			epoch: EpochIndex,
			/// Why.
			reason: PauseReason,
		},
		/// A deregistered consumer's validator set was removed.
		ConsumerStopped {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The first epoch without a set.
			epoch: EpochIndex,
		},
		/// A consumer's validator set for a new epoch was published, with a fresh set id (every
		/// epoch, whether or not the members changed): the consumer chain enacts it as a new
		/// GRANDPA authority set.
		ValidatorSetUpdated {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The epoch it applies from.
			epoch: EpochIndex,
			/// The new set id.
			set_id: u64,
			/// `blake2_256` of the SCALE-encoded members.
			set_hash: H256,
			/// Number of members.
			members: u32,
		},
		/// The Palisade set a consumer chain's GRANDPA set 0 runs was declared: its GRANDPA set
		/// `g` is Palisade set `set_id + g` for equivocation evidence.
		ChainAnchorSet {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The Palisade set id of the chain's genesis authorities.
			set_id: u64,
			/// Whether governance set it (else the admin did).
			by_governance: bool,
		},
		/// A consumer's epoch payment moved from its escrow into the rewards account; its
		/// members earn it by power and claim it lazily.
		LeasePaid {
			/// The consumer.
			consumer_id: ConsumerId,
			/// The epoch paid for.
			epoch: EpochIndex,
			/// What left the escrow.
			paid: BalanceOf<T>,
			/// Escrow after.
			escrow: BalanceOf<T>,
			/// The consumer's cumulative reward per unit of power after the payment (scaled by
			/// `10^18`).
			reward_per_power: u128,
		},
		/// An operator's rewards (commission and its own bond's part) were paid to it: what the
		/// memberships settled by the call and the memberships it left owed.
		OperatorRewardsClaimed {
			/// The operator.
			operator: T::AccountId,
			/// Amount paid (zero for a page of `claim_operator_rewards` that found nothing
			/// owed in a longer list: the sweep moved on).
			amount: BalanceOf<T>,
			/// Memberships settled by the call (at most `OPERATOR_CLAIM_PAGE`).
			memberships_settled: u32,
			/// Whether memberships after this page remain to settle: the next
			/// `claim_operator_rewards` of the operator goes on with them (always `false` for
			/// `claim_operator_rewards_of`).
			more_to_settle: bool,
		},
		/// A pool's rewards were paid into it (a native pool's LRT rate rises; an asset pool's
		/// reward pot grows): what the (pool, consumer) records settled by the claim and the
		/// records it left owed.
		PoolRewardsClaimed {
			/// The pool.
			pool: PoolId,
			/// Amount paid (zero for a page of `claim_pool_rewards` that found nothing owed in
			/// a longer list: the sweep moved on).
			amount: BalanceOf<T>,
			/// (Pool, consumer) records settled by the claim (at most `POOL_CLAIM_PAGE` for
			/// `claim_pool_rewards`).
			records_settled: u32,
			/// Whether records after this page remain to settle: the next
			/// `claim_pool_rewards` of the pool goes on with them (always `false` for the pools
			/// pallet's claim, which settles them all).
			more_to_settle: bool,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No consumer with this id.
		UnknownConsumer,
		/// Only the consumer's admin may do this.
		NotAdmin,
		/// `min_operators` must be at least 1.
		ZeroMinOperators,
		/// `min_operators` must not exceed `max_operators`.
		MinAboveMax,
		/// `max_operators` exceeds `MaxOperatorsPerConsumer`.
		TooManyOperators,
		/// `power_cap` must not be zero.
		ZeroPowerCap,
		/// `MaxConsumers` consumers are already registered.
		TooManyConsumers,
		/// The amount must not be zero.
		ZeroAmount,
		/// The consumer is deregistered.
		AlreadyDeregistered,
		/// The slashing window of the consumer's last active epoch (or, for a registration
		/// that never activated, its activation period) has not passed yet.
		TooEarly,
		/// The consumer is active or paused: only deregistered consumers, and registrations
		/// that never activated within `ActivationPeriod`, can be reaped.
		NotReapable,
		/// An amount overflowed.
		Overflow,
		/// The anchor was already declared: only governance can change it.
		AnchorAlreadySet,
		/// The consumer never published this set id.
		UnknownSetId,
		/// Nothing is owed.
		NothingToClaim,
		/// The consumer is in the middle of its epoch transition step (its pages span blocks):
		/// it cannot be reaped until the step's last page, in one of the next blocks.
		InTransition,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Self::on_initialize_with_limit(n, T::MaxEpochTransitionWeight::get())
		}

		fn integrity_test() {
			Self::check_integrity();
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::extra_constants]
	impl<T: Config> Pallet<T> {
		/// Most memberships one `claim_operator_rewards` call settles ([`OPERATOR_CLAIM_PAGE`]).
		#[pallet::constant_name(OperatorClaimPage)]
		fn operator_claim_page() -> u32 {
			OPERATOR_CLAIM_PAGE
		}

		/// Most (pool, consumer) records one `claim_pool_rewards` call settles
		/// ([`POOL_CLAIM_PAGE`]).
		#[pallet::constant_name(PoolClaimPage)]
		fn pool_claim_page() -> u32 {
			POOL_CLAIM_PAGE
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Register a consumer chain with `metadata`, its `genesis_hash` and `params`. Holds
		/// `RegistrationDeposit` from the caller and pays the existential deposit into the
		/// consumer's escrow account. The caller becomes admin and reporter. Status
		/// `Registered` until a transition finds enough operators and escrow.
		///
		/// Emits `ConsumerRegistered`.
		#[pallet::call_index(0)]
		pub fn register_consumer(
			origin: OriginFor<T>,
			metadata: MetadataOf<T>,
			genesis_hash: H256,
			params: ParamsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register(&who, metadata, genesis_hash, params).map(|_| ())
		}

		/// Replace the parameters of `consumer_id` (admin only, not once deregistered) from the
		/// next epoch on. A second update before then replaces the first.
		///
		/// Emits `ParamsUpdateScheduled` (and `ParamsApplied` at the transition).
		#[pallet::call_index(1)]
		pub fn update_params(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
			params: ParamsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_params(&who, consumer_id, params)
		}

		/// Set the account allowed to report offences for `consumer_id` (admin only).
		///
		/// Emits `ReporterSet`.
		#[pallet::call_index(2)]
		pub fn set_reporter(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
			reporter: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let reporter = T::Lookup::lookup(reporter)?;
			Self::do_set_reporter(&who, consumer_id, reporter)
		}

		/// Hand the administration of `consumer_id` to `admin` (admin only). The deposit stays
		/// with the depositor; the escrow refund goes to the admin of the day.
		///
		/// Emits `AdminSet`.
		#[pallet::call_index(3)]
		pub fn set_admin(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
			admin: AccountIdLookupOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let admin = T::Lookup::lookup(admin)?;
			Self::do_set_admin(&who, consumer_id, admin)
		}

		/// Pay `amount` from the caller into the escrow of `consumer_id` (anyone, not once
		/// deregistered). The caller is kept alive.
		///
		/// Emits `LeaseFunded`.
		#[pallet::call_index(4)]
		pub fn fund_lease(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_fund_lease(&who, consumer_id, amount)
		}

		/// Deregister `consumer_id` (admin only): it gets no validator set from the next
		/// transition on, and a pending parameter change is dropped. `reap_consumer` refunds
		/// after `ExposureRetention` epochs.
		///
		/// Emits `ConsumerDeregistered`.
		#[pallet::call_index(5)]
		pub fn deregister_consumer(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister(&who, consumer_id)
		}

		/// Wind up `consumer_id` (anyone), **a page per call**: a deregistered consumer from
		/// epoch `last_active_epoch + ExposureRetention + 1` on (at once if it never had a
		/// set), or a `Registered` one that did not activate within `ActivationPeriod` epochs.
		///
		/// While opt-ins to the consumer remain in the operator registry, a call removes at
		/// most `MaxOptInsReapedPerCall` of them and returns (`ConsumerReapProgress`). Then,
		/// while it remembers more than one validator set, a call forgets at most
		/// `MaxOptInsReapedPerCall` of the oldest and returns (`ConsumerReapSetsProgress`). The
		/// call that finds no opt-in and at most one set left refunds the escrow to the admin,
		/// releases the deposit (less `UnactivatedPenalty`, burnt, if it never had a set),
		/// sweeps the escrow account to the depositor and removes the record with its last set:
		/// the refund happens once, in that call. A consumer with `k` opt-ins left and `s`
		/// remembered sets is therefore reaped in `ceil(k / MaxOptInsReapedPerCall) +
		/// ceil((s - 1) / MaxOptInsReapedPerCall) + 1` calls (one if it has neither). Nobody can
		/// stall it meanwhile: a reapable consumer accepts no opt-in, cannot activate and
		/// publishes no set.
		///
		/// Charged for the dearest of a full page of opt-ins, a full page of sets and the final
		/// step; refunded to what the call did.
		///
		/// Emits `ConsumerReapProgress` or `ConsumerReapSetsProgress` (a page), or
		/// `ConsumerExpired` (expiry), `EscrowRefunded` and `ConsumerRemoved` (the final call).
		#[pallet::call_index(6)]
		#[pallet::weight(
			T::WeightInfo::reap_consumer_page(T::MaxOptInsReapedPerCall::get())
				.max(T::WeightInfo::reap_consumer_sets_page(T::MaxOptInsReapedPerCall::get()))
				.max(T::WeightInfo::reap_consumer())
		)]
		pub fn reap_consumer(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let step = Self::do_reap(consumer_id, T::MaxOptInsReapedPerCall::get())?;
			Ok(Some(step.weight::<T>()).into())
		}

		/// Deregister `consumer_id` as governance ([`Config::GovernanceOrigin`]), whoever its
		/// admin: as `deregister_consumer` (no new opt-in, no set from the next transition,
		/// reapable after the retention), e.g. for a consumer that abuses its reporter or
		/// squats a slot.
		///
		/// Emits `ConsumerForceDeregistered` and `ConsumerDeregistered`.
		#[pallet::call_index(7)]
		pub fn force_deregister(origin: OriginFor<T>, consumer_id: ConsumerId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_force_deregister(consumer_id)
		}

		/// Declare which Palisade set the consumer chain's genesis authorities (its GRANDPA set
		/// 0) are: `set_id`, a set this consumer published. From then on GRANDPA equivocation
		/// evidence of the chain's set `g` is judged against Palisade set `set_id + g` and the
		/// epoch it was published for. The admin declares it once (it is part of the chain's
		/// genesis, which anyone can check); [`Config::GovernanceOrigin`] may set or correct it
		/// at any time. Without a declaration the anchor is 0.
		#[pallet::call_index(8)]
		pub fn set_chain_anchor(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
			set_id: u64,
		) -> DispatchResult {
			let by_governance = match T::GovernanceOrigin::try_origin(origin) {
				Ok(_) => None,
				Err(origin) => Some(ensure_signed(origin)?),
			};
			Self::do_set_chain_anchor(by_governance.as_ref(), consumer_id, set_id)
		}

		/// Pay `operator` the rewards it earned as a member of consumers' validator sets (its
		/// commission and its own bond's part), **a page per call**: settles the next
		/// [`OPERATOR_CLAIM_PAGE`] (8) of its memberships, going on after where its previous
		/// call stopped ([`OperatorClaimCursors`]; from the first membership once a page reached
		/// the last), and pays what they and its ended memberships ([`OperatorRewards`]) owe.
		/// An operator with `m` memberships settles them all in `ceil(m / 8)` calls; each
		/// membership is settled at most once per call and what it owes is paid once. Anyone
		/// may call it; the money goes to the operator.
		///
		/// Fails with `NothingToClaim` if nothing is owed and the page was the operator's whole
		/// list; a page that finds nothing owed in a longer list succeeds paying nothing, so
		/// the next call moves on.
		///
		/// Charged for a full page; refunded to the number settled.
		///
		/// Emits `OperatorRewardsClaimed` (with the memberships settled and whether more
		/// follow).
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::claim_operator_rewards(OPERATOR_CLAIM_PAGE))]
		pub fn claim_operator_rewards(
			origin: OriginFor<T>,
			operator: AccountIdLookupOf<T>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let operator = T::Lookup::lookup(operator)?;
			let (_, visited) = frame_support::storage::with_storage_layer(|| {
				Self::do_claim_operator_page(&operator)
			})?;
			Ok(Some(T::WeightInfo::claim_operator_rewards(visited)).into())
		}

		/// Pay `operator` what it earned in `consumer_id`'s set (settling that one membership)
		/// and what it is owed from sets it left: [`Pallet::claim_operator_rewards`] at the cost
		/// of one membership, whatever the number of consumers the operator serves. Anyone may
		/// call it; the money goes to the operator. Fails with `NothingToClaim` if nothing is
		/// owed.
		///
		/// Emits `OperatorRewardsClaimed`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::claim_operator_rewards_of())]
		pub fn claim_operator_rewards_of(
			origin: OriginFor<T>,
			operator: AccountIdLookupOf<T>,
			consumer_id: ConsumerId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			let operator = T::Lookup::lookup(operator)?;
			frame_support::storage::with_storage_layer(|| {
				Self::do_claim_operator_of(&operator, consumer_id).map(|_| ())
			})
		}

		/// Pay `pool` the rewards it earned backing members of consumers' validator sets, **a
		/// page per call**: settles the next [`POOL_CLAIM_PAGE`] (6) of its (pool, consumer)
		/// records (one per consumer it backs, however many of its operators the pool backs),
		/// going on after where its previous call stopped ([`PoolClaimCursors`]; from the first
		/// record once a page reached the last), and pays what they and the rewards it is owed
		/// outside any record ([`PoolRewards`]) owe into the pool: a native pool's LRT rate
		/// rises, an asset pool's reward pot grows. A pool backing `c` consumers settles them
		/// all in `ceil(c / 6)` calls; each record is settled at most once per call and what it
		/// owes is paid once. Anyone may call it (what it pays a native pool vests into the
		/// rate over the next epochs: claiming just before a deposit gains the depositor
		/// nothing, see `RewardVesting` in the pools pallet).
		///
		/// Fails with `NothingToClaim` if nothing is owed and the page was the pool's whole
		/// list (a page that finds nothing owed in a longer list succeeds paying nothing, so
		/// the next call moves on), or if the pool cannot take rewards (no LRT holder): the
		/// rewards stay owed.
		///
		/// Charged for a full page; refunded to the number of records settled.
		///
		/// Emits `PoolRewardsClaimed` (with the records settled and whether more follow).
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::claim_pool_rewards(POOL_CLAIM_PAGE))]
		pub fn claim_pool_rewards(
			origin: OriginFor<T>,
			pool: PoolId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let mut visited = 0;
			// The layer rolls back on `Err`; the weight of what was read is still charged.
			frame_support::storage::with_storage_layer(|| -> DispatchResult {
				Self::do_claim_pool_page(pool).map(|(_, seen)| visited = seen).map_err(
					|(error, seen)| {
						visited = seen;
						error
					},
				)
			})
			.map_err(|error| sp_runtime::DispatchErrorWithPostInfo {
				post_info: Some(T::WeightInfo::claim_pool_rewards(visited)).into(),
				error,
			})?;
			Ok(Some(T::WeightInfo::claim_pool_rewards(visited)).into())
		}
	}
}
