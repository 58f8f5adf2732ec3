//! # Service slashing pallet
//!
//! Punishes operators for misbehaving on the consumer chains they validate: offence reports,
//! on-chain GRANDPA evidence, a veto window for governance, a slash meter, and the execution of
//! slashes on the stake that backed the operator for the consumer in the epoch of the offence.
//! Built to hold against hostile operators, consumers and reporters (see "Against hostile
//! users" below and `docs/design-notes.md`).
//!
//! ## Model
//!
//! - **Reports.** A consumer's reporter files [`Pallet::report_offence`] (operator,
//!   [`OffenceKind`], epoch): subjective, no reward, at most
//!   [`SlashingParams::max_subjective_fraction`], and never of kind `Equivocation` (that kind
//!   needs evidence). The reporter must have been in office already at the offence epoch
//!   (`ConsumersInterface::reporter_at`). Anyone may file [`Pallet::report_equivocation`] with
//!   a GRANDPA equivocation proof of the consumer chain, checked on chain; its set id maps to
//!   exactly one epoch (`ConsumersInterface::epoch_of_set`). Either way the offence epoch must
//!   be within [`SlashingParams::report_window`] of now and the operator exposed for (epoch,
//!   consumer). The exposure (own bond + pools) is **copied** into the [`PendingSlash`].
//! - **Slashing spans (top-up).** For one (operator, consumer), offences whose epochs lie within
//!   `report_window` of the span's first offence do not add up: the highest fraction applies.
//!   A later, larger report adds only the difference; a report that adds nothing fails with
//!   [`Error::OffenceAlreadyCovered`]. Spans are per (operator, consumer): a sham consumer's
//!   slashes never use up a real consumer's.
//! - **Deferral, veto, freeze.** A report is due [`SlashingParams::veto_delay`] epochs later.
//!   Until it executes, [`Config::GovernanceOrigin`] may cancel it
//!   ([`Pallet::cancel_slash`]), cancel every pending slash of a consumer at once
//!   ([`Pallet::cancel_consumer_slashes`], see below) or freeze them
//!   ([`Pallet::freeze_consumer_slashes`]: not executed, not dropped, until
//!   [`Pallet::unfreeze_consumer_slashes`]).
//! - **Execution.** At each epoch start (and in the following blocks while work remains) the
//!   epoch clock calls this pallet's [`palisade_primitives::EpochHooks`]: due slashes execute in
//!   report order (FIFO per due epoch, oldest due epoch first, [`SlashesDue`]), within the
//!   weight budget, [`Config::MaxSlashesPerBlock`] and the **slash meter**: at most
//!   [`SlashingParams::max_slashed_per_period`] of native value and
//!   [`SlashingParams::max_jails_per_period`] jails per [`SlashingParams::meter_period`]
//!   epochs across all consumers; the rest waits, in order, never dropped. Executing a slash of
//!   fraction `f` on the copied exposure `(own, [(pool, backing)])`:
//!   - `f × own` is taken from the operator's bond; for evidence, `reporter_reward` of what
//!     the bond actually lost goes to the reporter, the rest to [`SlashingParams::destination`]
//!     (burnt or [`Config::TreasuryAccount`]): the reward comes out of the offender's own loss;
//!   - `f × backing` is booked against each pool for the offence epoch
//!     (`PoolsInterface::slash_for_epoch`: only stake that backed that epoch bears it, never
//!     lost), wholly to the destination;
//!   - the operator is jailed until `execution epoch + jail_length`;
//!   - one [`Event::SlashExecuted`] lists every amount.
//! - **Exits wait.** [`Pallet`] implements [`palisade_primitives::PendingSlashes`], which the
//!   runtime gives the operators and pools pallets so that an operator's bond and a pool's
//!   stake cannot leave while a slash that may take them is pending. A report's cost does not
//!   depend on the number of pools in the exposure: it lists its pools in
//!   [`UncountedSlashes`] (one write), the next block's `on_initialize` counts them per (pool,
//!   offence epoch) in [`PoolPendingCount`], and the pools' checks read both.
//! - **Cancels counted down by the next block.** Nor does a veto's cost ([`Pallet::cancel_slash`]):
//!   a slash reported in the same block just leaves [`UncountedSlashes`]; one counted in an
//!   earlier block is listed in [`UncountedCancels`] (one write) and the next block's
//!   `on_initialize` counts its pools down. Until then the pools' checks still see it as
//!   pending (conservative: an exit waits one block more). At most [`MAX_UNCOUNTED_CANCELS`]
//!   such cancels per block ([`Error::TooManyCancelsInBlock`] beyond, nothing changed; only
//!   governance's own `cancel_slash` calls fill the list). Executions (metered in the epoch
//!   hook) count the pools down at once.
//! - **A consumer's slashes cancelled in O(1), swept in pages.**
//!   [`Pallet::cancel_consumer_slashes`] only records a horizon, the next slash id, in
//!   [`CancelledConsumers`]: from then on no pending slash of the consumer below it executes
//!   (the queue sets it aside; an unfreeze does not queue it again), while slashes reported
//!   later are not affected. Each block's `on_initialize` then sweeps up to
//!   [`MAX_SWEPT_PER_BLOCK`] of them (one consumer at a time, charged per slash and pool):
//!   removed like an executed slash, their pools counted down at once, one `SlashCancelled`
//!   each and `ConsumerSlashesSwept` at the end. Until swept they still count as pending
//!   (conservative: exits wait a few blocks more).
//! - **Parameters.** [`SlashingParams`] are set by governance ([`Pallet::set_slashing_params`])
//!   within hard bounds ([`Config::MaxSlashFraction`], [`Config::MaxReporterReward`] (below
//!   100%), [`Config::MaxJailLength`], [`Config::MinVetoDelay`], [`Config::MaxMeterPeriod`])
//!   and must nest **strictly** with the other pallets' delays, so that the stake an offence is
//!   slashed from cannot leave before the slash executes:
//!
//!   ```text
//!   WithdrawalDelay    >  report_window + veto_delay
//!   OptOutDelay        >  report_window + veto_delay
//!   DeallocationDelay  >  report_window + veto_delay
//!   UnbondingDelay     >  report_window + veto_delay
//!   exposure_retention >= report_window + veto_delay  and  >= 2 × report_window
//!   ```
//!
//! ## Against hostile users
//!
//! | attack | what stops it |
//! |---|---|
//! | self-slash for the reward | the reward is a share (< 100%) of the offender's own bond loss |
//! | one consumer drains an operator | spans: one highest fraction per window per (operator, consumer); subjective cap; meter |
//! | sham consumer shields the pools | spans and caps per (operator, consumer), not per operator |
//! | junk reports delay a real slash | FIFO by report order, bounded pending per pair and per consumer, exits wait while pending, exposure copied |
//! | new reporter reaches old offences | `reporter_at(consumer, offence epoch)` |
//! | subjective "equivocation" | `report_offence` refuses kind `Equivocation` |
//! | a flood of reports crowds out vetoes | vetoes list their pools in their own per-block list ([`UncountedCancels`]), which only `cancel_slash` fills; `cancel_consumer_slashes` needs no room in it |
//! | a consumer's flood of slashes with distinct pools makes cancelling it too heavy for a block | `cancel_consumer_slashes` is constant (a horizon); the sweep is paged, charged per pool, and ends within about `2 × MaxPendingPerConsumer / MAX_SWEPT_PER_BLOCK` blocks whatever the reporter adds |
//!
//! ## Example
//!
//! ```ignore
//! // Consumer 7's reporter reports operator `op` for downtime in epoch 41 (now: epoch 42).
//! ServiceSlashing::report_offence(reporter, 7, op, OffenceKind::Downtime, 41, details)?;
//! // → OffenceReported { slash_id: 0, due_epoch: 42 + veto_delay, .. }
//! // A larger report in the same window only adds the difference:
//! ServiceSlashing::report_offence(reporter, 7, op, OffenceKind::Misbehaviour, 42, details)?;
//! // → OffenceReported { slash_id: 1, fraction: misbehaviour - downtime, .. }
//! // Governance may veto one, or all of consumer 7's, or freeze them:
//! ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0)?;
//! ServiceSlashing::freeze_consumer_slashes(RuntimeOrigin::root(), 7)?;
//! // Otherwise, from epoch 42 + veto_delay, the slashes execute in report order as the slash
//! // meter allows: → SlashExecuted { slash_id: 1, bond_taken, pools, .. }
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod benchmarking;
mod epoch;
pub mod evidence;
mod impls;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::service-slashing";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::{boxed::Box, vec::Vec};
	use frame_support::{pallet_prelude::*, traits::tokens::Balance as BalanceT};
	use frame_system::pallet_prelude::*;
	use palisade_primitives::{
		ConsumerId, ConsumersInterface, EpochIndex, EpochProvider, OperatorRegistry, PoolId,
		PoolsInterface,
	};
	use sp_runtime::Perbill;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The native-valued balance type of exposures, bonds and pools.
		type Balance: BalanceT;

		/// The operator registry: bonds to slash, operators to jail.
		type Operators: OperatorRegistry<Self::AccountId, Self::Balance>;

		/// The restaking pools: pools to slash.
		type Pools: PoolsInterface<Self::AccountId, Self::Balance>;

		/// The consumer registry: reporters, exposures, GRANDPA set ids and keys.
		type Consumers: ConsumersInterface<Self::AccountId, Self::Balance>;

		/// The restaking epoch clock.
		type EpochInfo: EpochProvider;

		/// May set the slashing parameters and cancel or freeze pending slashes (root or 2/3 of
		/// the council in the runtime).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Receives slashed funds when the destination is [`SlashDestination::Treasury`].
		#[pallet::constant]
		type TreasuryAccount: Get<Self::AccountId>;

		/// The parameters used until governance or the genesis config sets others. Checked
		/// against the bounds and delays by `integrity_test`.
		#[pallet::constant]
		type DefaultParams: Get<SlashingParams>;

		/// Hard bound on every slash fraction and on `max_subjective_fraction`.
		#[pallet::constant]
		type MaxSlashFraction: Get<Perbill>;

		/// Hard bound on `reporter_reward`. Must be below 100% (checked by `integrity_test`), so
		/// that the offender always loses more of its bond than its reporter earns.
		#[pallet::constant]
		type MaxReporterReward: Get<Perbill>;

		/// Hard bound on `jail_length`, in epochs.
		#[pallet::constant]
		type MaxJailLength: Get<EpochIndex>;

		/// Hard lower bound on `veto_delay`, in epochs. At least 1, so a slash never executes
		/// in the epoch it was reported in and governance always has time to veto it.
		#[pallet::constant]
		type MinVetoDelay: Get<EpochIndex>;

		/// Hard bound on `meter_period`, in epochs.
		#[pallet::constant]
		type MaxMeterPeriod: Get<EpochIndex>;

		/// The restaking pools' withdrawal delay, in epochs: must exceed
		/// `report_window + veto_delay`.
		#[pallet::constant]
		type WithdrawalDelay: Get<EpochIndex>;

		/// The restaking pools' deallocation delay, in epochs: must exceed
		/// `report_window + veto_delay`.
		#[pallet::constant]
		type DeallocationDelay: Get<EpochIndex>;

		/// The operator registry's opt-out delay, in epochs: must exceed
		/// `report_window + veto_delay`.
		#[pallet::constant]
		type OptOutDelay: Get<EpochIndex>;

		/// The operator registry's unbonding delay, in epochs: must exceed
		/// `report_window + veto_delay`.
		#[pallet::constant]
		type UnbondingDelay: Get<EpochIndex>;

		/// Most slashes executed in one block. More due slashes wait for the next blocks.
		#[pallet::constant]
		type MaxSlashesPerBlock: Get<u32>;

		/// Most pools in one exposure: bounds the weight of reporting and executing one slash
		/// and the exposure copied into a pending slash. At least the pools'
		/// `max_pools_per_operator` (checked by `integrity_test`).
		#[pallet::constant]
		type MaxExposedPools: Get<u32>;

		/// Most pending slashes of one (operator, consumer). The slashing spans make it about
		/// one per report window (one per strictly larger fraction within a span).
		#[pallet::constant]
		type MaxPendingPerPair: Get<u32>;

		/// Most pending slashes of one consumer: bounds the sweep after
		/// `cancel_consumer_slashes` and `unfreeze_consumer_slashes`.
		#[pallet::constant]
		type MaxPendingPerConsumer: Get<u32>;

		/// Longest `details` of a report, in bytes.
		#[pallet::constant]
		type MaxDetailsLen: Get<u32>;

		/// Weight information for this pallet's calls and hook.
		type WeightInfo: WeightInfo;
	}

	/// The slashing parameters in force.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, SlashingParams, ValueQuery, T::DefaultParams>;

	/// The id the next pending slash gets: also the report sequence (FIFO order).
	#[pallet::storage]
	pub type NextSlashId<T: Config> = StorageValue<_, SlashId, ValueQuery>;

	/// Slashes reported but neither executed nor cancelled yet.
	#[pallet::storage]
	pub type PendingSlashes<T: Config> =
		StorageMap<_, Twox64Concat, SlashId, PendingSlashOf<T>, OptionQuery>;

	/// The execution queue: (due epoch, position) → pending slash id. Each due epoch's
	/// queue is a FIFO in report order, positions `head..tail` of [`DueQueueEnds`]; a
	/// cancelled slash leaves a hole. Every pending slash whose `queued` is `Some` is here,
	/// exactly once.
	#[pallet::storage]
	pub type SlashesDue<T: Config> =
		StorageDoubleMap<_, Twox64Concat, EpochIndex, Twox64Concat, u32, SlashId, OptionQuery>;

	/// The ends of each due epoch's FIFO in [`SlashesDue`]. Removed once executed through.
	#[pallet::storage]
	pub type DueQueueEnds<T: Config> =
		StorageMap<_, Twox64Concat, EpochIndex, QueueEnds, OptionQuery>;

	/// Progress of the epoch work: the first epoch whose queue may still hold slashes, and the
	/// first offence epoch whose records are not pruned yet.
	#[pallet::storage]
	pub type EpochCursors<T: Config> = StorageValue<_, Cursors, ValueQuery>;

	/// Slashes executed in a block: `(block number, count)`, to enforce
	/// [`Config::MaxSlashesPerBlock`] across the hooks of one block.
	#[pallet::storage]
	pub type ExecutedInBlock<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), OptionQuery>;

	/// The slash meter of the current meter period.
	#[pallet::storage]
	pub type Meter<T: Config> = StorageValue<_, SlashMeter, ValueQuery>;

	/// The current slashing span of each (operator, consumer) that was reported.
	#[pallet::storage]
	pub type Spans<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		ConsumerId,
		SlashSpan,
		OptionQuery,
	>;

	/// Index of [`Spans`] by start epoch, to prune them with the other per-offence-epoch
	/// records: start epoch → (operator, consumer).
	#[pallet::storage]
	pub type SpanStarts<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		(T::AccountId, ConsumerId),
		(),
		OptionQuery,
	>;

	/// Reports made with `report_offence`, to reject duplicates: offence epoch →
	/// (consumer, operator, kind) → slash id. Kept after execution or cancellation (a vetoed
	/// report cannot be filed again); pruned with the offence epoch's exposures.
	#[pallet::storage]
	pub type Reported<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		(ConsumerId, T::AccountId, OffenceKind),
		SlashId,
		OptionQuery,
	>;

	/// Equivocations proven with `report_equivocation`, to reject duplicates: offence epoch →
	/// (consumer, offender key, set id, round) → slash id. Pruned like [`Reported`].
	#[pallet::storage]
	pub type ReportedEquivocations<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		(ConsumerId, palisade_primitives::ConsumerKey, SetId, RoundNumber),
		SlashId,
		OptionQuery,
	>;

	/// The pending slashes of each consumer: consumer → slash id.
	#[pallet::storage]
	pub type PendingByConsumer<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ConsumerId, Twox64Concat, SlashId, (), OptionQuery>;

	/// How many slashes of each consumer are pending (at most
	/// [`Config::MaxPendingPerConsumer`]).
	#[pallet::storage]
	pub type ConsumerPendingCount<T: Config> =
		StorageMap<_, Twox64Concat, ConsumerId, u32, ValueQuery>;

	/// How many slashes of each (operator, consumer) are pending (at most
	/// [`Config::MaxPendingPerPair`]).
	#[pallet::storage]
	pub type PairPendingCount<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		ConsumerId,
		u32,
		ValueQuery,
	>;

	/// How many slashes of each operator are pending, all consumers together: its bond may
	/// not leave while non-zero.
	#[pallet::storage]
	pub type OperatorPendingCount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// How many pending slashes may take from each pool, by offence epoch: pool → offence
	/// epoch → count. Its stake that backed those epochs may not leave while non-zero.
	///
	/// Counts the pending slashes reported before the current block; those reported in it are
	/// listed in [`UncountedSlashes`] instead (a report costs the same whatever the number of
	/// pools), and the pools' exit checks read both. It still counts the slashes that
	/// `cancel_slash` cancelled in the current block, listed in [`UncountedCancels`] (a cancel
	/// costs the same whatever the number of pools), until the next block counts them down:
	/// until then those pools' exits wait, as if the slash were still pending (one block more).
	#[pallet::storage]
	pub type PoolPendingCount<T: Config> =
		StorageDoubleMap<_, Twox64Concat, PoolId, Twox64Concat, EpochIndex, u32, ValueQuery>;

	/// The pending slashes reported in the current block whose pools are not counted in
	/// [`PoolPendingCount`] yet: (slash id, offence epoch, exposed pools), in report order, at
	/// most [`MAX_UNCOUNTED_SLASHES`]. A report appends one entry (one write, whatever the
	/// number of pools; none for an exposure without pools); the next block's `on_initialize`
	/// counts them all and empties the list; a slash cancelled or executed before that leaves
	/// the list instead of being uncounted. `PendingSlashes::pool_has_pending*` answer from
	/// both, so they give the same answers as if every report counted its pools at once.
	#[pallet::storage]
	pub type UncountedSlashes<T: Config> = StorageValue<_, UncountedSlashesOf<T>, ValueQuery>;

	/// The slashes counted in [`PoolPendingCount`] in an earlier block and cancelled by
	/// `cancel_slash` in the current block, whose pools are not counted down yet: (slash id,
	/// offence epoch, exposed pools), in cancel order, at most [`MAX_UNCOUNTED_CANCELS`]. A
	/// cancel appends one entry (one write, whatever the number of pools; none for an exposure
	/// without pools, nor for a slash reported in the same block, which just leaves
	/// [`UncountedSlashes`]); the next block's `on_initialize` counts them all down and empties
	/// the list. Only `cancel_slash` appends to it: reports, executions and
	/// `cancel_consumer_slashes` never do, so only governance can fill it. Until then
	/// `PendingSlashes::pool_has_pending*` still answer "pending" for those pools: conservative,
	/// an exit waits one block more.
	#[pallet::storage]
	pub type UncountedCancels<T: Config> = StorageValue<_, UncountedCancelsOf<T>, ValueQuery>;

	/// Consumers whose pending slashes governance froze: they are not executed (and leave the
	/// queue when it reaches them) until unfrozen.
	#[pallet::storage]
	pub type FrozenConsumers<T: Config> = StorageMap<_, Twox64Concat, ConsumerId, (), OptionQuery>;

	/// Consumers whose pending slashes `cancel_consumer_slashes` cancelled and which are not
	/// swept yet: consumer → [`ConsumerSweep`]. A pending slash of the consumer with an id below
	/// its `below` is cancelled: it never executes (the queue drops it when it reaches it, an
	/// unfreeze does not queue it again) and each block's `on_initialize` removes up to
	/// [`MAX_SWEPT_PER_BLOCK`] of them, counting their pools down, one consumer at a time. Until
	/// removed they still count as pending (the exits they could take from wait: conservative).
	///
	/// Bounded by the consumers: an entry is made only for a consumer with pending slashes, at
	/// most one per consumer, and is removed by the sweep once the consumer's index holds no
	/// slash below its horizon (within `MaxPendingPerConsumer × 2 / MAX_SWEPT_PER_BLOCK + 1`
	/// blocks of being first in line).
	#[pallet::storage]
	pub type CancelledConsumers<T: Config> =
		StorageMap<_, Twox64Concat, ConsumerId, ConsumerSweep, OptionQuery>;

	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The initial slashing parameters (default: [`Config::DefaultParams`]). Must be within
		/// the bounds and nest with the delays, or the genesis build panics.
		pub params: SlashingParams,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _phantom: core::marker::PhantomData<T>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { params: T::DefaultParams::get(), _phantom: Default::default() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Err(error) = Pallet::<T>::check_params(&self.params) {
				panic!("invalid genesis slashing params {:?}: {error:?}", self.params);
			}
			Params::<T>::put(self.params.clone());
			let now = T::EpochInfo::current_epoch();
			EpochCursors::<T>::put(Cursors { next_due: now, prune_from: now });
			Meter::<T>::put(Pallet::<T>::fresh_meter(&self.params, now));
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An offence was reported (or proven); a slash is pending until `due_epoch`.
		OffenceReported {
			/// Id of the pending slash (to cancel it).
			slash_id: SlashId,
			/// The consumer chain.
			consumer_id: ConsumerId,
			/// The offending operator.
			operator: T::AccountId,
			/// The offence.
			kind: OffenceKind,
			/// The epoch of the offence.
			epoch: EpochIndex,
			/// The fraction that will be applied: what the report adds to its slashing span.
			fraction: Perbill,
			/// The fraction the report claimed (the span's highest after it).
			reported_fraction: Perbill,
			/// The epoch from which it executes unless cancelled.
			due_epoch: EpochIndex,
			/// Who earns the reporter reward (`None` for a subjective report).
			reporter: Option<T::AccountId>,
			/// Amount to take from the operator's bond (`fraction × own`).
			bond_amount: T::Balance,
			/// Amount to take from each exposed pool (`fraction × backing`).
			pool_amounts: Vec<(PoolId, T::Balance)>,
			/// Sum of `pool_amounts`.
			pools_total: T::Balance,
		},
		/// Governance cancelled a pending slash.
		SlashCancelled {
			/// The slash.
			slash_id: SlashId,
			/// The consumer chain.
			consumer_id: ConsumerId,
			/// The operator it would have slashed.
			operator: T::AccountId,
			/// The offence.
			kind: OffenceKind,
			/// The epoch of the offence.
			epoch: EpochIndex,
		},
		/// Governance cancelled every pending slash of a consumer: those with an id below
		/// `below` never execute. They are removed (one `SlashCancelled` each, their pools
		/// counted down) from the next block on, a page per block, until
		/// `ConsumerSlashesSwept`.
		ConsumerSlashesCancelled {
			/// The consumer chain.
			consumer_id: ConsumerId,
			/// The horizon: every pending slash of the consumer with a lower id is cancelled;
			/// slashes reported later (id at or above it) are not.
			below: SlashId,
			/// How many of its slashes were pending at the call: all cancelled (including any a
			/// previous cancel left to sweep).
			cancelled: u32,
		},
		/// The sweep of a consumer's cancelled slashes is done: none is left pending.
		ConsumerSlashesSwept {
			/// The consumer chain.
			consumer_id: ConsumerId,
			/// The horizon of its (latest) cancel.
			below: SlashId,
			/// How many cancelled slashes the sweep removed (fewer than cancelled if some were
			/// vetoed one by one in between).
			swept: u32,
		},
		/// Governance froze a consumer's pending slashes: they do not execute until unfrozen.
		ConsumerSlashesFrozen {
			/// The consumer chain.
			consumer_id: ConsumerId,
			/// How many of its slashes are pending now.
			pending: u32,
		},
		/// Governance unfroze a consumer's pending slashes: they execute again, in report
		/// order.
		ConsumerSlashesUnfrozen {
			/// The consumer chain.
			consumer_id: ConsumerId,
			/// How many of its slashes are pending.
			pending: u32,
			/// How many had left the queue while frozen and were queued again.
			requeued: u32,
		},
		/// A slash executed. Every amount is what was actually taken (or, for pools, booked).
		SlashExecuted {
			/// The slash.
			slash_id: SlashId,
			/// The slashed operator.
			operator: T::AccountId,
			/// The consumer chain.
			consumer_id: ConsumerId,
			/// The offence.
			kind: OffenceKind,
			/// The epoch of the offence.
			epoch: EpochIndex,
			/// The fraction applied.
			fraction: Perbill,
			/// Taken from the operator's bond (reward included).
			bond_taken: T::Balance,
			/// Booked against each exposed pool for the offence epoch.
			pools: Vec<(PoolId, T::Balance)>,
			/// The reporter rewarded, if any.
			reporter: Option<T::AccountId>,
			/// Paid to the reporter out of the operator's bond loss.
			reporter_reward: T::Balance,
			/// Paid to the treasury (bond and pools).
			to_treasury: T::Balance,
			/// Burnt (bond and pools).
			burnt: T::Balance,
			/// The operator is jailed until this epoch (exclusive), if jailed.
			jailed_until: Option<EpochIndex>,
		},
		/// The queue reached a slash of a frozen consumer: it left the queue and waits for
		/// `unfreeze_consumer_slashes`.
		SlashHeldFrozen {
			/// The slash.
			slash_id: SlashId,
			/// The frozen consumer.
			consumer_id: ConsumerId,
		},
		/// Governance changed the slashing parameters.
		SlashingParamsSet {
			/// The parameters before.
			old: SlashingParams,
			/// The parameters now in force.
			new: SlashingParams,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The caller is not the consumer's reporter, or was not yet its reporter in the offence
		/// epoch (or the consumer does not exist).
		NotReporter,
		/// The offence epoch is after the current epoch.
		FutureEpoch,
		/// The offence epoch is more than `report_window` epochs ago.
		OutsideReportWindow,
		/// The operator has no exposure for this consumer in the offence epoch (it was not in
		/// the consumer's validator set).
		NoExposure,
		/// This offence was already reported (same consumer, operator, kind and epoch; or, for
		/// equivocations, same consumer, offender, set id and round).
		DuplicateReport,
		/// A subjective report may not claim an objective kind (`Equivocation`): submit the
		/// evidence with `report_equivocation`.
		ObjectiveKindNeedsEvidence,
		/// The offence adds nothing: the operator's slashing span for this consumer already
		/// holds an equal or higher fraction.
		OffenceAlreadyCovered,
		/// Too many slashes of this (operator, consumer) or of this consumer are pending.
		TooManyPendingSlashes,
		/// The exposure has more pools than `MaxExposedPools`.
		TooManyExposedPools,
		/// The equivocation proof is invalid: the votes do not conflict or a signature does
		/// not verify for the proof's round and set id.
		InvalidEquivocationProof,
		/// The consumer has no known validator set with the proof's set id (never published,
		/// or forgotten).
		UnknownSetId,
		/// The proof's offender key is not in the consumer's validator set of that epoch.
		UnknownOffender,
		/// No pending slash with this id (never reported, already executed, or cancelled).
		UnknownSlash,
		/// The consumer has no pending slash.
		NothingPending,
		/// The consumer's slashes are already frozen.
		AlreadyFrozen,
		/// The consumer's slashes are not frozen.
		NotFrozen,
		/// A slash fraction or `max_subjective_fraction` is above `MaxSlashFraction`.
		FractionTooHigh,
		/// `reporter_reward` is above `MaxReporterReward`.
		ReporterRewardTooHigh,
		/// `jail_length` is above `MaxJailLength`.
		JailTooLong,
		/// `veto_delay` is below `MinVetoDelay`.
		VetoDelayTooShort,
		/// The slash meter is out of bounds: `meter_period` is zero or above `MaxMeterPeriod`,
		/// or `max_slashed_per_period` or `max_jails_per_period` is zero.
		InvalidMeter,
		/// `report_window + veto_delay` does not nest with the other delays: it must be below
		/// `WithdrawalDelay`, `OptOutDelay`, `DeallocationDelay` and `UnbondingDelay`, and the
		/// consumers' exposure retention must be at least it and at least twice the window.
		DelaysDoNotNest,
		/// An id or epoch overflowed.
		Overflow,
		/// `MAX_UNCOUNTED_SLASHES` reports with exposed pools were already made in this block
		/// (their pools are counted at the start of the next one): report again in the next
		/// block.
		TooManyReportsInBlock,
		/// `cancel_slash` already cancelled `MAX_UNCOUNTED_CANCELS` slashes counted in an
		/// earlier block in this block (their pools are counted down at the start of the next
		/// one): cancel again in the next block, or cancel all of a consumer's slashes with
		/// `cancel_consumer_slashes`. Nothing was changed.
		TooManyCancelsInBlock,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Count the pools of the slashes reported in the previous block
		/// ([`UncountedSlashes`] into [`PoolPendingCount`]), count down those of the
		/// slashes `cancel_slash` cancelled in it ([`UncountedCancels`]), and sweep a page of a
		/// consumer's slashes cancelled by `cancel_consumer_slashes` ([`CancelledConsumers`]).
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::count_reported_pools()
				.saturating_add(Self::uncount_cancelled_pools())
				.saturating_add(Self::sweep_cancelled())
		}

		fn integrity_test() {
			assert!(T::MinVetoDelay::get() >= 1, "MinVetoDelay must be at least 1 epoch");
			assert!(T::MaxSlashesPerBlock::get() >= 1, "MaxSlashesPerBlock must be at least 1");
			assert!(T::MaxMeterPeriod::get() >= 1, "MaxMeterPeriod must be at least 1");
			assert!(T::MaxPendingPerPair::get() >= 1, "MaxPendingPerPair must be at least 1");
			assert!(
				T::MaxPendingPerConsumer::get() >= T::MaxPendingPerPair::get(),
				"MaxPendingPerConsumer must be at least MaxPendingPerPair"
			);
			assert!(
				T::MaxReporterReward::get() < Perbill::one(),
				"MaxReporterReward must be below 100%: the offender must lose more than its \
				 reporter earns"
			);
			assert!(
				T::MaxExposedPools::get() >= T::Pools::max_pools_per_operator(),
				"MaxExposedPools must cover the pools' max_pools_per_operator"
			);
			let defaults = T::DefaultParams::get();
			if let Err(error) = Self::check_params(&defaults) {
				panic!(
					"DefaultParams {defaults:?} violate the bounds or do not nest with the delays: \
					 {error:?}"
				);
			}
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::extra_constants]
	impl<T: Config> Pallet<T> {
		/// Most reports with exposed pools one block may make ([`MAX_UNCOUNTED_SLASHES`]): a
		/// report beyond it fails with `TooManyReportsInBlock`, and can be made again in the
		/// next block.
		#[pallet::constant_name(MaxReportsPerBlock)]
		fn max_reports_per_block() -> u32 {
			MAX_UNCOUNTED_SLASHES
		}

		/// Most slashes counted in an earlier block that `cancel_slash` may cancel in one
		/// block ([`MAX_UNCOUNTED_CANCELS`]): a cancel beyond it fails with
		/// `TooManyCancelsInBlock`, and can be made again in the next block.
		#[pallet::constant_name(MaxCancelsPerBlock)]
		fn max_cancels_per_block() -> u32 {
			MAX_UNCOUNTED_CANCELS
		}

		/// Most entries of a cancelled consumer's pending slashes one block's `on_initialize`
		/// sweeps ([`MAX_SWEPT_PER_BLOCK`]) after `cancel_consumer_slashes`.
		#[pallet::constant_name(MaxSweptPerBlock)]
		fn max_swept_per_block() -> u32 {
			MAX_SWEPT_PER_BLOCK
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Report that `operator` committed an offence of `kind` on consumer `consumer_id` in
		/// `epoch`. Only the consumer's reporter, in office already at `epoch`, may call it.
		/// `kind` may not be `Equivocation` (that needs `report_equivocation`). `epoch` must not
		/// be in the future nor more than `report_window` epochs ago, and the operator must have
		/// an exposure for the consumer in that epoch. The same (consumer, operator, kind,
		/// epoch) can be reported once.
		///
		/// Claims the kind's fraction, at most `max_subjective_fraction`, and adds to the
		/// operator's slashing span for the consumer only what exceeds the span's highest
		/// fraction (fails with `OffenceAlreadyCovered` if nothing). Due `veto_delay` epochs
		/// from now. Subjective: no reporter reward.
		///
		/// Emits `OffenceReported`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::report_offence(T::MaxExposedPools::get()))]
		pub fn report_offence(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
			operator: T::AccountId,
			kind: OffenceKind,
			epoch: EpochIndex,
			details: DetailsOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let pools = Self::do_report_offence(&who, consumer_id, operator, kind, epoch, details)?;
			Ok(Some(T::WeightInfo::report_offence(pools)).into())
		}

		/// Prove a GRANDPA equivocation on consumer `consumer_id`: two conflicting votes of one
		/// round signed by the same key. Anyone may submit it.
		///
		/// The proof's set id is mapped to the one Palisade epoch that validator set was
		/// published for, and its key to the operator that validated with it then. The epoch
		/// must be within the report window and the operator exposed. The proof is verified on
		/// chain; an invalid, unattributable, duplicate or already covered proof fails (and the
		/// fee is kept).
		///
		/// Creates a pending `Equivocation` slash (top-up on the span, like `report_offence`);
		/// the caller earns `reporter_reward` of what the **offender's bond** loses when it
		/// executes.
		///
		/// Emits `OffenceReported`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::report_equivocation(T::MaxExposedPools::get()))]
		pub fn report_equivocation(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
			proof: Box<EquivocationProofOf>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let pools = Self::do_report_equivocation(&who, consumer_id, *proof)?;
			Ok(Some(T::WeightInfo::report_equivocation(pools)).into())
		}

		/// Cancel (veto) pending slash `slash_id` before it executes. Governance only.
		///
		/// Costs the same whatever the number of pools in its exposure: a slash reported in
		/// this block leaves [`UncountedSlashes`]; one counted in an earlier block is listed in
		/// [`UncountedCancels`] and its pools are counted down by the next block's
		/// `on_initialize` (their exits wait until then). At most `MAX_UNCOUNTED_CANCELS` of
		/// the latter per block: beyond, it fails with `TooManyCancelsInBlock` and changes
		/// nothing.
		///
		/// Emits `SlashCancelled`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::cancel_slash())]
		pub fn cancel_slash(origin: OriginFor<T>, slash_id: SlashId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_cancel_slash(slash_id)
		}

		/// Replace the slashing parameters. Governance only. Each fraction must be within
		/// `MaxSlashFraction`, the reward within `MaxReporterReward`, the jail within
		/// `MaxJailLength`, the veto delay at least `MinVetoDelay`, the meter period within
		/// `1..=MaxMeterPeriod` and its limits non-zero, and `report_window + veto_delay` must
		/// nest strictly with the other pallets' delays. Pending slashes keep their fraction and
		/// due epoch; new meter limits apply from the next meter period.
		///
		/// Emits `SlashingParamsSet`.
		#[pallet::call_index(3)]
		pub fn set_slashing_params(origin: OriginFor<T>, params: SlashingParams) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}

		/// Cancel every pending slash of consumer `consumer_id` (e.g. a hostile consumer's
		/// flood of reports), in constant storage accesses whatever their number and pools.
		/// Governance only. Fails with `NothingPending` if it has none.
		///
		/// Records the horizon `below` = [`NextSlashId`] in [`CancelledConsumers`]: from now on
		/// no pending slash of the consumer with a lower id executes, and slashes reported
		/// later are not affected. The cancelled slashes are removed, and their pools counted
		/// down, by the next blocks' `on_initialize` ([`MAX_SWEPT_PER_BLOCK`] a block); until
		/// then they still count as pending for the exits (conservative), and for the
		/// consumer's `MaxPendingPerConsumer`. Calling it again before the sweep ends moves the
		/// horizon up to cover the slashes reported in between.
		///
		/// Emits `ConsumerSlashesCancelled`; the sweep emits `SlashCancelled` for each slash and
		/// `ConsumerSlashesSwept` at the end.
		#[pallet::call_index(4)]
		pub fn cancel_consumer_slashes(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_cancel_consumer_slashes(consumer_id)
		}

		/// Freeze the pending slashes of consumer `consumer_id` (present and future): they do
		/// not execute while frozen, and are not dropped. Governance only.
		///
		/// Emits `ConsumerSlashesFrozen`.
		#[pallet::call_index(5)]
		pub fn freeze_consumer_slashes(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_freeze(consumer_id)
		}

		/// Unfreeze the pending slashes of consumer `consumer_id`: those the queue reached while
		/// frozen are queued again, in report order, and execute as the meter allows.
		/// Governance only.
		///
		/// Emits `ConsumerSlashesUnfrozen`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::unfreeze_consumer_slashes(T::MaxPendingPerConsumer::get()))]
		pub fn unfreeze_consumer_slashes(
			origin: OriginFor<T>,
			consumer_id: ConsumerId,
		) -> DispatchResultWithPostInfo {
			T::GovernanceOrigin::ensure_origin(origin)?;
			let pending = Self::do_unfreeze(consumer_id)?;
			Ok(Some(T::WeightInfo::unfreeze_consumer_slashes(pending)).into())
		}
	}
}
