//! # Service slashing pallet
//!
//! Punishes operators for misbehaving on the consumer chains they validate: offence reports,
//! on-chain GRANDPA evidence, a veto window for governance, and the execution of slashes on the
//! stake that backed the operator for the consumer in the epoch of the offence.
//!
//! ## Model
//!
//! - **Reports.** A consumer's registered reporter files [`Pallet::report_offence`] (operator,
//!   [`OffenceKind`], epoch): subjective, no reward. Anyone may file
//!   [`Pallet::report_equivocation`] with a GRANDPA equivocation proof of the consumer chain,
//!   checked on chain; its submitter earns [`SlashingParams::reporter_reward`] of what is taken
//!   from the pools. Either way the offence epoch must be within
//!   [`SlashingParams::report_window`] epochs of now, and the operator must have an
//!   **exposure** for (epoch, consumer) (it was in the consumer's published validator set).
//!   Duplicates are rejected.
//! - **Deferral and veto.** A report creates a [`PendingSlash`] due
//!   [`SlashingParams::veto_delay`] epochs later. Until it executes,
//!   [`Config::GovernanceOrigin`] may cancel it ([`Pallet::cancel_slash`]).
//! - **Execution.** At each epoch start (and in the following blocks, while work remains) the
//!   epoch clock calls this pallet's [`palisade_primitives::EpochHooks`]: due slashes execute
//!   from a persistent queue ([`SlashesDue`]), at most [`Config::MaxSlashesPerBlock`] per block
//!   and within the weight budget given; what does not fit waits for the next block. Executing
//!   a slash of fraction `f` on the exposure `(own, [(pool, backing)])` of the offence epoch:
//!   - the fraction is throttled: all slashes of one operator for one offence epoch together
//!     apply at most [`SlashingParams::max_fraction_per_epoch`] ([`AppliedFractions`]);
//!   - `f × own` is taken from the operator's bond (`OperatorRegistry::slash_bond`; the funds
//!     go to the operators pallet's `OnSlash`);
//!   - `f × backing` is taken from each exposed pool (`PoolsInterface::slash`, O(1) per pool,
//!     never O(restakers)); for on-chain evidence `reporter_reward` of it is paid to the
//!     reporter, the rest goes to [`SlashingParams::destination`] (burnt or to
//!     [`Config::TreasuryAccount`]);
//!   - the operator is jailed until `execution epoch + jail_length`;
//!   - one [`Event::SlashExecuted`] lists every amount taken.
//!
//!   Amounts come from the exposure snapshot of the offence epoch, re-read at execution, so
//!   stake withdrawn or deallocated since is still slashed (capped by what is still there).
//! - **Parameters.** [`SlashingParams`] are set by governance ([`Pallet::set_slashing_params`])
//!   within hard bounds ([`Config::MaxSlashFraction`], [`Config::MaxReporterReward`],
//!   [`Config::MaxJailLength`], [`Config::MinVetoDelay`]) and must nest with the other pallets'
//!   delays, so that the stake an offence is slashed from cannot leave before the slash
//!   executes:
//!
//!   ```text
//!   WithdrawalDelay   >  report_window + veto_delay
//!   OptOutDelay       >= report_window + veto_delay
//!   DeallocationDelay >= report_window + veto_delay
//!   UnbondingDelay    >= report_window + veto_delay
//!   exposure_retention >= report_window + veto_delay
//!   ```
//!
//! ## Example
//!
//! ```ignore
//! // Consumer 7's reporter reports operator `op` for downtime in epoch 41 (now: epoch 42).
//! ServiceSlashing::report_offence(reporter, 7, op, OffenceKind::Downtime, 41, details)?;
//! // → OffenceReported { slash_id: 0, due_epoch: 42 + veto_delay, .. }
//! // Governance may veto it before then:
//! ServiceSlashing::cancel_slash(RuntimeOrigin::root(), 0)?;
//! // Otherwise, at the start of epoch 42 + veto_delay, the consumers pallet calls
//! // `<ServiceSlashing as EpochHooks>::on_epoch_start(epoch, budget)` and the slash executes:
//! // → SlashExecuted { slash_id: 0, bond_taken, pools, .. }
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

		/// May set the slashing parameters and cancel pending slashes (root or 2/3 of the
		/// council in the runtime).
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// Receives slashed pool funds when the destination is
		/// [`SlashDestination::Treasury`].
		#[pallet::constant]
		type TreasuryAccount: Get<Self::AccountId>;

		/// The parameters used until governance or the genesis config sets others. Checked
		/// against the bounds and delays by `integrity_test`.
		#[pallet::constant]
		type DefaultParams: Get<SlashingParams>;

		/// Hard bound on every slash fraction and on `max_fraction_per_epoch`.
		#[pallet::constant]
		type MaxSlashFraction: Get<Perbill>;

		/// Hard bound on `reporter_reward`.
		#[pallet::constant]
		type MaxReporterReward: Get<Perbill>;

		/// Hard bound on `jail_length`, in epochs.
		#[pallet::constant]
		type MaxJailLength: Get<EpochIndex>;

		/// Hard lower bound on `veto_delay`, in epochs. At least 1, so a slash never executes
		/// in the epoch it was reported in and governance always has time to veto it.
		#[pallet::constant]
		type MinVetoDelay: Get<EpochIndex>;

		/// The restaking pools' withdrawal delay, in epochs: must exceed
		/// `report_window + veto_delay`.
		#[pallet::constant]
		type WithdrawalDelay: Get<EpochIndex>;

		/// The restaking pools' deallocation delay, in epochs: must be at least
		/// `report_window + veto_delay`.
		#[pallet::constant]
		type DeallocationDelay: Get<EpochIndex>;

		/// The operator registry's opt-out delay, in epochs: must be at least
		/// `report_window + veto_delay`.
		#[pallet::constant]
		type OptOutDelay: Get<EpochIndex>;

		/// The operator registry's unbonding delay, in epochs: must be at least
		/// `report_window + veto_delay`.
		#[pallet::constant]
		type UnbondingDelay: Get<EpochIndex>;

		/// Most slashes executed in one block. More due slashes wait for the next blocks.
		#[pallet::constant]
		type MaxSlashesPerBlock: Get<u32>;

		/// Most pools in one exposure: bounds the weight of reporting and executing one slash.
		/// At least the pools' `max_pools_per_operator` (checked by `integrity_test`).
		#[pallet::constant]
		type MaxExposedPools: Get<u32>;

		/// Longest `details` of a report, in bytes.
		#[pallet::constant]
		type MaxDetailsLen: Get<u32>;

		/// Weight information for this pallet's calls and hook.
		type WeightInfo: WeightInfo;
	}

	/// The slashing parameters in force.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, SlashingParams, ValueQuery, T::DefaultParams>;

	/// The id the next pending slash gets.
	#[pallet::storage]
	pub type NextSlashId<T: Config> = StorageValue<_, SlashId, ValueQuery>;

	/// Slashes reported but neither executed nor cancelled yet.
	#[pallet::storage]
	pub type PendingSlashes<T: Config> =
		StorageMap<_, Twox64Concat, SlashId, PendingSlashOf<T>, OptionQuery>;

	/// The execution queue: due epoch → pending slash id. Exactly one entry per pending slash,
	/// under its `due_epoch`; entries of epochs up to the current one are executed by the epoch
	/// hooks.
	#[pallet::storage]
	pub type SlashesDue<T: Config> =
		StorageDoubleMap<_, Twox64Concat, EpochIndex, Twox64Concat, SlashId, (), OptionQuery>;

	/// Progress of the epoch work: the first epoch whose queue may still hold slashes, and the
	/// first offence epoch whose records are not pruned yet.
	#[pallet::storage]
	pub type EpochCursors<T: Config> = StorageValue<_, Cursors, ValueQuery>;

	/// Slashes executed in a block: `(block number, count)`, to enforce
	/// [`Config::MaxSlashesPerBlock`] across the hooks of one block.
	#[pallet::storage]
	pub type ExecutedInBlock<T: Config> = StorageValue<_, (BlockNumberFor<T>, u32), OptionQuery>;

	/// The throttle: offence epoch → operator → total fraction applied by executed slashes.
	/// Never above `max_fraction_per_epoch` at the time of each execution. Pruned once the
	/// offence epoch's exposures are gone.
	#[pallet::storage]
	pub type AppliedFractions<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		T::AccountId,
		Perbill,
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
			/// The slash fraction.
			fraction: Perbill,
			/// The epoch from which it executes unless cancelled.
			due_epoch: EpochIndex,
			/// Who earns the reporter reward (`None` for a subjective report).
			reporter: Option<T::AccountId>,
			/// Estimated amount to take from the operator's bond (`fraction × own`).
			bond_amount: T::Balance,
			/// Estimated amount to take from each exposed pool (`fraction × backing`).
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
		/// A slash executed. Every amount is what was actually taken.
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
			/// The fraction reported.
			fraction: Perbill,
			/// The fraction applied, after the per-epoch throttle.
			fraction_applied: Perbill,
			/// Taken from the operator's bond (handed to the operators pallet's `OnSlash`).
			bond_taken: T::Balance,
			/// Taken from each exposed pool.
			pools: Vec<(PoolId, T::Balance)>,
			/// The reporter rewarded, if any.
			reporter: Option<T::AccountId>,
			/// Paid to the reporter out of the pools' share.
			reporter_reward: T::Balance,
			/// Paid to the treasury out of the pools' share.
			to_treasury: T::Balance,
			/// Burnt out of the pools' share.
			burnt: T::Balance,
			/// The operator is jailed until this epoch (exclusive), if jailed.
			jailed_until: Option<EpochIndex>,
		},
		/// A due slash could not execute because the exposure of its offence epoch is gone
		/// (pruned). Nothing was taken; the slash is dropped. The parameter nesting should
		/// prevent this.
		SlashExpired {
			/// The slash.
			slash_id: SlashId,
			/// The consumer chain.
			consumer_id: ConsumerId,
			/// The operator it would have slashed.
			operator: T::AccountId,
			/// The epoch of the offence.
			epoch: EpochIndex,
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
		/// The caller is not the consumer's registered reporter (or the consumer does not
		/// exist).
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
		/// A slash fraction or `max_fraction_per_epoch` is above `MaxSlashFraction`.
		FractionTooHigh,
		/// `reporter_reward` is above `MaxReporterReward`.
		ReporterRewardTooHigh,
		/// `jail_length` is above `MaxJailLength`.
		JailTooLong,
		/// `veto_delay` is below `MinVetoDelay`.
		VetoDelayTooShort,
		/// `report_window + veto_delay` does not nest with the other delays: it must be below
		/// `WithdrawalDelay` and at most `OptOutDelay`, `DeallocationDelay`, `UnbondingDelay`
		/// and the consumers' exposure retention.
		DelaysDoNotNest,
		/// An id or epoch overflowed.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinVetoDelay::get() >= 1, "MinVetoDelay must be at least 1 epoch");
			assert!(T::MaxSlashesPerBlock::get() >= 1, "MaxSlashesPerBlock must be at least 1");
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

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Report that `operator` committed an offence of `kind` on consumer `consumer_id` in
		/// `epoch`. Only the consumer's registered reporter may call it. `epoch` must not be in
		/// the future nor more than `report_window` epochs ago, and the operator must have an
		/// exposure for the consumer in that epoch. The same (consumer, operator, kind, epoch)
		/// can be reported once.
		///
		/// Creates a pending slash of the kind's fraction, due `veto_delay` epochs from now.
		/// Subjective: no reporter reward.
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
		/// The proof's set id is mapped to the Palisade epoch that validator set was published
		/// for, and its key to the operator that validated with it then. The epoch must be
		/// within the report window and the operator exposed. The proof is verified on chain;
		/// an invalid, unattributable or duplicate proof fails (and the fee is kept).
		///
		/// Creates a pending `Equivocation` slash; the caller earns `reporter_reward` of what is
		/// taken from the pools when it executes.
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
		/// Emits `SlashCancelled`.
		#[pallet::call_index(2)]
		pub fn cancel_slash(origin: OriginFor<T>, slash_id: SlashId) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_cancel_slash(slash_id)
		}

		/// Replace the slashing parameters. Governance only. Each fraction must be within
		/// `MaxSlashFraction`, the reward within `MaxReporterReward`, the jail within
		/// `MaxJailLength`, the veto delay at least `MinVetoDelay`, and
		/// `report_window + veto_delay` must nest with the other pallets' delays. Pending slashes
		/// keep their fraction and due epoch.
		///
		/// Emits `SlashingParamsSet`.
		#[pallet::call_index(3)]
		pub fn set_slashing_params(origin: OriginFor<T>, params: SlashingParams) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_params(params)
		}
	}
}
