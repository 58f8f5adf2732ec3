//! # Restaking pools pallet
//!
//! Custody, allocation and withdrawals of Palisade's **restaking pools**.
//!
//! ## Model
//!
//! - A **curator** creates a pool with one kind of collateral ([`Collateral`]: native PAL or a
//!   `pallet-assets` asset), a deposit cap and metadata. Creating costs a creation deposit
//!   ([`Config::PoolDeposit`], held under [`HoldReason::PoolDeposit`] for as long as the pool
//!   exists), the native existential deposit of the pool's account, the metadata deposit of the
//!   pool's LRT, and for an asset pool the asset's minimum balance (the pool account's *seed*).
//! - **Restakers** deposit collateral and receive the pool's LRT (see `pallet-lrt`) at the
//!   pool's exchange rate; LRT is an ordinary asset they can transfer. They withdraw in two
//!   steps: `request_withdrawal` burns LRT and queues its value; `claim_withdrawal` pays it after
//!   [`Config::WithdrawalDelay`] epochs.
//! - The curator **allocates** fractions of the pool's active stake to (operator, consumer)
//!   pairs. For one consumer the fractions sum to at most 100%; the same stake may back up to
//!   [`Config::MaxConsumersPerPool`] consumers (that is the restaking). Increases take effect
//!   next epoch; decreases after [`Config::DeallocationDelay`] epochs, the stake backing (and
//!   slashable) until then. Only operators opted in to the consumer can receive an increase.
//! - Other pallets use the pools through [`PoolsInterface`]: the stake backing a pair at an
//!   epoch (native-valued), rewards, slashes, and the epoch hook.
//!
//! ## Custody
//!
//! Every pool has its own keyless account, recorded at creation: the pallet's sub-account for
//! 16 bytes of the hash of the parent block hash, the pool id and an attempt counter, plus the
//! pool id. Nobody can compute it before the block is built, and creation skips candidates that
//! already exist, so the account cannot be pre-poisoned (e.g. with junk assets filling its
//! consumer references).
//!
//! - **Native** funds owed by a pool (the collateral of a native pool, the withdrawal queue, the
//!   reward pot of an asset pool) are moved into the pool account's free balance, on top of the
//!   existential deposit its creator paid; every payment out of it keeps the account alive,
//!   so it is never reaped. They are not held (a hold cost every deposit a storage write): no
//!   one can sign for the account, so no fee, transfer, bond, reserve or lock of its own can
//!   take or freeze them; the balances pallet's `force_*` calls are root's, which could lift a
//!   hold as well. Others can only send it funds (a vesting transfer, where a runtime has one,
//!   locks at most what it sends). Donations change nothing: storage records what the pool
//!   owes, and the account's free balance must be at least that plus the existential deposit,
//!   all of it transferable (checked by `try_state`; see
//!   `donating_to_the_pool_account_cannot_take_the_restakers_funds`). Keeping the collateral
//!   on the depositor's own account (under a hold) was rejected: LRT is transferable, so the
//!   holder of the claim is not the owner of the held funds.
//! - **Asset** collateral is transferred into the pool account (`pallet-assets` has no holds
//!   here); storage records what is owed, and the account's balance must cover it plus the seed
//!   (donations only add to it). An asset's admin, freezer and owner could burn, move or freeze
//!   any holder's balance, the pool account's included: the runtime's call filter refuses those
//!   calls on pool accounts and pooled assets, looking them up in [`PoolOfAccount`] and
//!   [`AssetPoolCount`] ([`Pallet::is_pool_account`], [`Pallet::asset_in_use`]).
//! - Nothing is ever read back from an account balance: pool value, queue and pots are
//!   recorded in storage.
//!
//! ## Value, rewards and slashes
//!
//! A pool records its **active** value (owned by LRT holders, backing allocations), its
//! **withdrawal queue** (owed to requests, no longer backing but still slashable), and for
//! asset pools a native **reward pot**.
//!
//! - Rewards of a native pool raise the active value: every LRT is worth more at once. Rewards
//!   of an asset pool go to its native pot; withdrawing `lrt` out of a supply `S` also pays
//!   `pot × lrt / S` PAL (rounded down), which is O(1) and fair across LRT transfers. To keep
//!   newcomers from diluting rewards earned before they joined, a deposit into an asset pool
//!   with a non-empty pot also pays `pot × lrt_minted / S` PAL into the pot (rounded up): the
//!   pot per LRT is the same before and after.
//! - Rewards earned outside the pallet (consumer payments) wait there until anyone claims them
//!   for the pool (lazily, whenever), and a staked pool's NPoS era payouts wait in its reward
//!   account until anyone compounds them. Either may bring several epochs of rewards at once,
//!   so added rewards **vest** ([`RewardVesting`]): they enter the rate (or the part of the pot
//!   holders own) linearly over as many epochs as passed since the previous addition, at least
//!   one. A newcomer therefore shares rewards earned before it came only at the pace they were
//!   earned, as if it had held all along, and deposits and withdrawal requests need no claim
//!   first: they cost the same at any time. A holder who leaves leaves what still vests to the
//!   holders who stay (about one epoch's rewards when the pool is claimed every epoch).
//! - A slash for an offence of epoch `e` lowers the active value and the queued requests made
//!   in epoch `e` or later pro rata (O(1) in restakers; the queue is kept in buckets per request
//!   epoch, see `queue.rs`): every LRT is worth less at once, and so is every such queued
//!   request, which is paid `min(value at request, share of its bucket at claim)`. Withdrawing
//!   just before a slash therefore does not escape it, and a claim waits while a slash for an
//!   offence its stake backed is pending; a request bears no offence of an epoch after it (nor
//!   waits for one).
//! - A slash that cannot be paid out (frozen asset or account) is owed, not lost: the pool
//!   backs nothing until it is paid (see `slashing.rs`).
//! - Non-native collateral counts towards security at the valuation governance sets per asset
//!   ([`CollateralValuations`], native units per asset unit). **An asset without a valuation
//!   counts as zero**: its pools back nothing; slashes for past offences still convert at the
//!   last valuation ([`LastValuations`]).
//!
//! Rounding always favours the pool: LRT minted and values redeemed round down, slashes
//! converted to collateral round up, a queued request's points round down.
//!
//! ## Example
//!
//! ```ignore
//! // The curator creates a native pool capped at 1_000_000 PAL and allocates 50% of it to
//! // operator `op` for consumer 1 (from the next epoch on).
//! RestakingPools::create_pool(curator, Collateral::Native, b"pool".to_vec().try_into()?, cap)?;
//! RestakingPools::set_allocation(curator, 0, op, 1, Perbill::from_percent(50))?;
//! // Alice deposits, later withdraws.
//! RestakingPools::deposit(alice, 0, 1_000 * UNITS)?;
//! RestakingPools::request_withdrawal(alice, 0, lrt)?;
//! // ... `WithdrawalDelay` epochs later:
//! RestakingPools::claim_withdrawal(alice, 0, request_id)?;
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use staking::PoolValidation;
pub use types::*;
pub use weights::WeightInfo;

mod allocation;
mod benchmarking;
mod custody;
mod impls;
mod interface;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod queue;
mod slashing;
mod staking;
mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod mock_staking;
#[cfg(test)]
mod tests;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::restaking-pools";

/// What the benchmarks need of the runtime that the pallet's interfaces do not give.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// The `index`-th of the validators a benchmark may nominate (made a validator if needed).
	fn validator(index: u32) -> AccountId;
	/// Fresh session keys (SCALE-encoded) and the proof that `owner` holds them.
	fn session_keys(owner: &AccountId) -> (alloc::vec::Vec<u8>, alloc::vec::Vec<u8>);
}

/// Most bytes of a staked pool's session keys, and of their ownership proof.
pub const MAX_SESSION_KEYS_LEN: u32 = 512;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, fungibles},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use palisade_primitives::{
		AssetId, Collateral, ConsumerId, EpochIndex, EpochProvider, LrtInterface, OperatorRegistry,
		PendingSlashes, PoolId,
	};
	use sp_arithmetic::FixedU128;
	use sp_runtime::{traits::Zero, Perbill};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A pool's creation deposit, held on its creator.
		#[codec(index = 0)]
		PoolDeposit,
		// Index 1 held the native funds pools owe on their accounts until they were moved to the
		// accounts' free balance: not to be reused.
		/// A withdrawal request's storage deposit, held on the requester until the claim.
		#[codec(index = 2)]
		WithdrawalRequest,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The native currency.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The assets non-native collateral is taken from. Same balance type as the native
		/// currency. (`Create` is only used by the benchmarks, to make a collateral asset.)
		type Assets: fungibles::Inspect<Self::AccountId, AssetId = AssetId, Balance = BalanceOf<Self>>
			+ fungibles::Mutate<Self::AccountId>
			+ fungibles::Create<Self::AccountId>
			+ fungibles::metadata::Inspect<Self::AccountId>;

		/// The LRT accounting (`pallet-lrt`).
		type Lrt: LrtInterface<Self::AccountId, BalanceOf<Self>>;

		/// The operator registry: who is opted in to which consumer.
		type Operators: OperatorRegistry<Self::AccountId, BalanceOf<Self>>;

		/// The restaking epoch clock.
		type EpochInfo: EpochProvider;

		/// Which slashes are reported and not yet executed: claims wait for them.
		type PendingSlashes: PendingSlashes<Self::AccountId>;

		/// Where changes of what a pool backs (its value, owed slash, collateral valuation,
		/// allocations) are noted, so that only the consumers they affect select their set
		/// again at the next epoch (the consumers pallet).
		type Changes: palisade_primitives::ChangeNotes<Self::AccountId>;

		/// May set collateral valuations.
		type GovernanceOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// This pallet's id; pool accounts are derived from it.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// Native deposit held from a pool's creator while the pool exists.
		#[pallet::constant]
		type PoolDeposit: Get<BalanceOf<Self>>;

		/// Smallest deposit into (and withdrawal request from) a native pool. An asset pool's
		/// is the same number of whole tokens at the asset's decimals, at least the asset's
		/// minimum balance. Not zero.
		#[pallet::constant]
		type MinDeposit: Get<BalanceOf<Self>>;

		/// Decimals of the native token (given to native pools' LRT).
		#[pallet::constant]
		type NativeDecimals: Get<u8>;

		/// Epochs between a withdrawal request and its claim. At least 1; the runtime keeps it
		/// above the slashing pallet's report window plus veto delay.
		#[pallet::constant]
		type WithdrawalDelay: Get<EpochIndex>;

		/// Epochs before an allocation decrease takes effect. At least 1.
		#[pallet::constant]
		type DeallocationDelay: Get<EpochIndex>;

		/// Most open withdrawal requests per account.
		#[pallet::constant]
		type MaxWithdrawalRequests: Get<u32>;

		/// Most consumers one pool may allocate to.
		#[pallet::constant]
		type MaxConsumersPerPool: Get<u32>;

		/// Most operators one pool may allocate to for one consumer.
		#[pallet::constant]
		type MaxOperatorsPerConsumer: Get<u32>;

		/// Most pools that may allocate to one (operator, consumer) pair.
		#[pallet::constant]
		type MaxPoolsPerOperator: Get<u32>;

		/// Most allocation changes scheduled for finalisation at one epoch. A change beyond it
		/// is finalised at the first of the next [`MAX_SCHEDULE_SPILL`] epochs with room; past
		/// those it is not lost either: it applies lazily (queries compare epochs) and is
		/// finalised by a later `set_allocation` of that pool and consumer. `set_allocation`
		/// reads (and may write) whole schedules, and `on_new_epoch` costs a finalisation per
		/// entry: it bounds both.
		#[pallet::constant]
		type MaxScheduledPerEpoch: Get<u32>;

		/// Longest pool metadata, in bytes.
		#[pallet::constant]
		type MaxMetadataLen: Get<u32>;

		/// Smallest non-zero allocation fraction: dust allocations cannot fill an operator's
		/// `MaxPoolsPerOperator` slots (operators must also accept the pool).
		#[pallet::constant]
		type MinAllocation: Get<Perbill>;

		/// Native deposit held on a withdrawal requester until the claim (pays for the request's
		/// storage).
		#[pallet::constant]
		type WithdrawalRequestDeposit: Get<BalanceOf<Self>>;

		/// Most live buckets of a pool's withdrawal queue (one per epoch with requests whose
		/// offences may still be slashed). At least `WithdrawalDelay + 1`; when full, new
		/// requests join the newest bucket (which then bears offences up to the current epoch:
		/// never less than it should).
		#[pallet::constant]
		type MaxQueueBuckets: Get<u32>;

		/// Most owed slashes retried at each epoch start (anyone may retry any with
		/// `settle_slash`).
		#[pallet::constant]
		type MaxSlashRetriesPerEpoch: Get<u32>;

		/// NPoS staking, for pools of [`Collateral::NativeStaked`]: their PAL is bonded as a
		/// virtual staker this pallet manages (the funds stay on the pool account; staking
		/// keeps the ledger, elects and pays, and reports its slashes through
		/// `sp_staking::OnStakingUpdate::on_slash`, which the runtime must route to this
		/// pallet as one of staking's `EventListeners`).
		type Staking: sp_staking::StakingUnchecked<
			AccountId = Self::AccountId,
			Balance = BalanceOf<Self>,
		>;

		/// Who receives what NPoS slashes take from staked pools (`None`: burnt). The runtime
		/// sends it where staking sends the slashes of ordinary stakers.
		type NposSlashBeneficiary: Get<Option<Self::AccountId>>;

		/// Most validators a staked pool nominates.
		#[pallet::constant]
		type MaxNominations: Get<u32>;

		/// Most staked pools whose deposits of the previous blocks are bonded in staking at the
		/// start of a block ([`PendingBonds`]), in turn (so a pool waits at most about
		/// `staked pools / MaxBondsPerBlock` blocks whoever else deposits). A deposit into a
		/// staked pool does not bond by itself: however many deposits a block holds, each
		/// pool makes one `bond_extra` a block. At least 1.
		#[pallet::constant]
		type MaxBondsPerBlock: Get<u32>;

		/// Declares a staked pool's stash a validator and sets its session keys (`validate`,
		/// `set_session_keys`); `()` if pools may only nominate.
		type Validation: PoolValidation<Self::AccountId>;

		/// Makes validators for the `nominate` benchmark.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;

		/// Weight information for this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
	}

	/// The id the next pool gets.
	#[pallet::storage]
	pub type NextPoolId<T: Config> = StorageValue<_, PoolId, ValueQuery>;

	/// The pools.
	#[pallet::storage]
	pub type Pools<T: Config> = StorageMap<_, Twox64Concat, PoolId, PoolRecordOf<T>, OptionQuery>;

	/// Each pool's metadata.
	#[pallet::storage]
	pub type PoolMetadata<T: Config> =
		StorageMap<_, Twox64Concat, PoolId, MetadataOf<T>, ValueQuery>;

	/// Governance-set valuation of non-native collateral: native units per asset unit. An asset
	/// without an entry counts as zero security.
	#[pallet::storage]
	pub type CollateralValuations<T: Config> =
		StorageMap<_, Twox64Concat, AssetId, FixedU128, OptionQuery>;

	/// The id the next withdrawal request gets.
	#[pallet::storage]
	pub type NextRequestId<T: Config> = StorageValue<_, RequestId, ValueQuery>;

	/// Open withdrawal requests: account → request id → request.
	#[pallet::storage]
	pub type WithdrawalRequests<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		RequestId,
		WithdrawalRequestOf<T>,
		OptionQuery,
	>;

	/// Number of open withdrawal requests per account, at most `MaxWithdrawalRequests`.
	#[pallet::storage]
	pub type OpenRequests<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Allocations: pool → consumer → the operators it allocates to, with their fractions.
	#[pallet::storage]
	pub type Allocations<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PoolId,
		Twox64Concat,
		ConsumerId,
		AllocationsOf<T>,
		ValueQuery,
	>;

	/// The consumers each pool allocates to (the keys of [`Allocations`] for that pool).
	#[pallet::storage]
	pub type PoolConsumers<T: Config> =
		StorageMap<_, Twox64Concat, PoolId, PoolConsumersOf<T>, ValueQuery>;

	/// Reverse index: consumer → operator → the pools allocating to that pair, sorted.
	#[pallet::storage]
	pub type PairPools<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ConsumerId,
		Blake2_128Concat,
		T::AccountId,
		PairPoolsOf<T>,
		ValueQuery,
	>;

	/// The buckets of each pool's withdrawal queue: pool → opening epoch → bucket. Requests
	/// made in the same epoch share a bucket; a slash takes only from the buckets whose requests
	/// backed the offence epoch.
	#[pallet::storage]
	pub type QueueBuckets<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PoolId,
		Twox64Concat,
		EpochIndex,
		QueueBucketOf<T>,
		OptionQuery,
	>;

	/// The buckets of each pool's queue that slashes may still reach, ascending. A bucket
	/// leaves this list (matures) once its requests are claimable and no slash of the pool is
	/// pending: no offence it backed can be reported any more.
	#[pallet::storage]
	pub type LiveBuckets<T: Config> =
		StorageMap<_, Twox64Concat, PoolId, LiveBucketsOf<T>, ValueQuery>;

	/// Slashes booked against a pool that could not be paid out yet (its asset or account was
	/// frozen, blocked or being destroyed): beneficiary → collateral units. Retried at each
	/// epoch start and by `settle_slash`; the pool backs nothing while it owes.
	#[pallet::storage]
	pub type OwedSlashes<T: Config> =
		StorageMap<_, Twox64Concat, PoolId, OwedSlashOf<T>, OptionQuery>;

	/// The last non-zero valuation governance set for each asset, kept when the valuation is
	/// removed: slashes for past offences are still converted with it.
	#[pallet::storage]
	pub type LastValuations<T: Config> =
		StorageMap<_, Twox64Concat, AssetId, FixedU128, OptionQuery>;

	/// Reverse index of [`Pools`]: the account of every pool (not closed) → its id. Lets the
	/// runtime's call filter tell in one read whether an account is a pool's custody account.
	#[pallet::storage]
	pub type PoolOfAccount<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, PoolId, OptionQuery>;

	/// How many pools (not closed) hold each asset as collateral; no zero entry. Lets the
	/// runtime's call filter tell in one read whether an asset is pooled collateral.
	#[pallet::storage]
	pub type AssetPoolCount<T: Config> = StorageMap<_, Blake2_128Concat, AssetId, u32, OptionQuery>;

	/// Allocation changes to finalise at the start of an epoch: epoch → (pool, consumer,
	/// operator), at most [`Config::MaxScheduledPerEpoch`] per epoch. A change is listed at its
	/// effective epoch or, when that schedule is full, at the first of the next
	/// [`MAX_SCHEDULE_SPILL`] epochs with room (it is in force from its effective epoch all the
	/// same). An entry whose allocation changed again or was removed since is skipped.
	#[pallet::storage]
	pub type AllocationSchedule<T: Config> =
		StorageMap<_, Twox64Concat, EpochIndex, ScheduledOf<T>, ValueQuery>;

	/// The NPoS side of every pool of [`Collateral::NativeStaked`].
	#[pallet::storage]
	pub type StakedPools<T: Config> =
		StorageMap<_, Twox64Concat, PoolId, StakedPoolOf<T>, OptionQuery>;

	/// PAL deposited into a staked pool and not yet bonded in staking: its LRT is minted and
	/// it counts in the pool's value at once, and the start of a following block bonds it with
	/// one `bond_extra` per pool ([`Config::MaxBondsPerBlock`] pools a block, in turn from
	/// [`BondCursor`]). Any unbonding of the pool (a withdrawal's first claim) and the
	/// curator's staking calls bond it first; a service slash takes from it before unbonding.
	/// No zero entry; at most one per staked pool (each paid for by its `PoolDeposit`).
	/// The books agree with staking: ledger active + pending = the books' bonded value.
	#[pallet::storage]
	pub type PendingBonds<T: Config> =
		StorageMap<_, Twox64Concat, PoolId, BalanceOf<T>, OptionQuery>;

	/// The pool whose pending deposits were bonded last: the next block goes on from the
	/// pool after it in [`PendingBonds`]' order (from the first once the end is reached), so
	/// that deposits into some pools every block cannot keep the others' waiting.
	#[pallet::storage]
	pub type BondCursor<T: Config> = StorageValue<_, PoolId, OptionQuery>;

	/// What each staked pool has unbonding in staking's ledger, per unlock era: the requests
	/// in their unbonding phase and the ghost of service slashes. An entry goes once its era
	/// was withdrawn and its last request claimed. At most one era per era of the bonding
	/// duration is not yet withdrawn; older ones are kept only by unclaimed requests, each
	/// paid for by its request deposit.
	#[pallet::storage]
	pub type UnbondingChunks<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		PoolId,
		Twox64Concat,
		EraIndex,
		UnbondingChunkOf<T>,
		OptionQuery,
	>;

	/// Withdrawal requests of staked pools in their unbonding phase: account → request id →
	/// position (the request itself stays in [`WithdrawalRequests`] until paid).
	#[pallet::storage]
	pub type UnbondingRequests<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		RequestId,
		UnbondingPositionOf<T>,
		OptionQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A pool was created.
		PoolCreated {
			/// The new pool.
			pool: PoolId,
			/// Its curator (and creator).
			curator: T::AccountId,
			/// Its collateral.
			collateral: Collateral,
			/// The asset id of its LRT.
			lrt_asset: AssetId,
			/// Its deposit cap (collateral units).
			deposit_cap: BalanceOf<T>,
			/// The creation deposit held on the creator.
			creation_deposit: BalanceOf<T>,
		},
		/// A pool's curator changed.
		CuratorChanged {
			/// The pool.
			pool: PoolId,
			/// The former curator.
			old: T::AccountId,
			/// The new curator.
			new: T::AccountId,
		},
		/// A pool's deposit cap changed.
		DepositCapSet {
			/// The pool.
			pool: PoolId,
			/// The new cap (collateral units).
			deposit_cap: BalanceOf<T>,
		},
		/// A pool was opened or closed to deposits.
		PoolStateSet {
			/// The pool.
			pool: PoolId,
			/// The new state.
			state: PoolState,
		},
		/// A restaker deposited into a pool.
		Deposited {
			/// The restaker.
			who: T::AccountId,
			/// The pool.
			pool: PoolId,
			/// Collateral taken (what the minted LRT is worth, rounded up; at most the amount
			/// offered).
			amount: BalanceOf<T>,
			/// LRT minted to the restaker.
			lrt_minted: BalanceOf<T>,
			/// The exchange rate used: collateral units per LRT unit.
			rate: FixedU128,
			/// Native PAL paid into the reward pot (asset pools with a non-empty pot).
			reward_buy_in: BalanceOf<T>,
		},
		/// A restaker burnt LRT and queued a withdrawal.
		WithdrawalRequested {
			/// The restaker.
			who: T::AccountId,
			/// The pool.
			pool: PoolId,
			/// The request's id.
			request_id: RequestId,
			/// LRT burnt.
			lrt_burnt: BalanceOf<T>,
			/// What it was worth (collateral units): the most the claim pays.
			value: BalanceOf<T>,
			/// Native reward share paid with the claim.
			reward: BalanceOf<T>,
			/// First epoch at which it can be claimed.
			claimable_at: EpochIndex,
		},
		/// A restaker claimed a withdrawal.
		WithdrawalClaimed {
			/// The restaker.
			who: T::AccountId,
			/// The pool.
			pool: PoolId,
			/// The request's id.
			request_id: RequestId,
			/// What the LRT was worth at the request.
			value_at_request: BalanceOf<T>,
			/// Collateral paid: less than `value_at_request` if slashes hit the queue.
			paid: BalanceOf<T>,
			/// Native reward paid.
			reward: BalanceOf<T>,
		},
		/// A curator scheduled an allocation change.
		AllocationScheduled {
			/// The pool.
			pool: PoolId,
			/// The consumer.
			consumer: ConsumerId,
			/// The operator.
			operator: T::AccountId,
			/// The fraction in force now.
			current: Perbill,
			/// The fraction from `effective_epoch` on.
			fraction: Perbill,
			/// The epoch the change takes effect.
			effective_epoch: EpochIndex,
		},
		/// A curator cancelled a pending allocation change by setting the current fraction.
		AllocationChangeCancelled {
			/// The pool.
			pool: PoolId,
			/// The consumer.
			consumer: ConsumerId,
			/// The operator.
			operator: T::AccountId,
			/// The fraction that stays in force.
			current: Perbill,
		},
		/// A scheduled allocation change was finalised: by the epoch start it was scheduled for
		/// (its effective epoch or, if that schedule was full, one of the next
		/// [`MAX_SCHEDULE_SPILL`]), or, when every schedule tried was full, by a later
		/// `set_allocation` of the pool and consumer.
		AllocationChanged {
			/// The pool.
			pool: PoolId,
			/// The consumer.
			consumer: ConsumerId,
			/// The operator.
			operator: T::AccountId,
			/// The fraction now in force (zero: the allocation is removed).
			fraction: Perbill,
			/// The epoch it took effect (its `effective_epoch`): it has been in force since,
			/// whenever it was finalised.
			epoch: EpochIndex,
		},
		/// Governance set (or, with zero, removed) the valuation of an asset.
		CollateralValuationSet {
			/// The asset.
			asset: AssetId,
			/// Native units per asset unit; `None`: the asset counts as zero security.
			valuation: Option<FixedU128>,
		},
		/// Rewards were added to a pool.
		RewardsAdded {
			/// The pool.
			pool: PoolId,
			/// Who paid them.
			payer: T::AccountId,
			/// Native amount.
			amount: BalanceOf<T>,
			/// Whether they went to the reward pot (asset pool) rather than the pool value.
			to_pot: bool,
			/// The exchange rate after.
			rate: FixedU128,
		},
		/// A pool was slashed.
		PoolSlashed {
			/// The pool.
			pool: PoolId,
			/// Native value asked for.
			requested: BalanceOf<T>,
			/// Collateral units taken in total.
			taken: BalanceOf<T>,
			/// ... of which from the active stake.
			from_active: BalanceOf<T>,
			/// ... of which from the withdrawal queue.
			from_queue: BalanceOf<T>,
			/// Native value of what was taken (what the slash returns).
			taken_native: BalanceOf<T>,
			/// Who received the funds; `None`: burnt.
			beneficiary: Option<T::AccountId>,
			/// The exchange rate after.
			rate: FixedU128,
		},
		/// Slashes took the whole of a withdrawal queue bucket of a pool: its open requests
		/// will be paid nothing (but their reward share).
		WithdrawalQueueWipedOut {
			/// The pool.
			pool: PoolId,
			/// The bucket's new era.
			era: u32,
		},
		/// A slash was booked against a pool but could not be paid out now: the pool owes it,
		/// backs nothing until it is paid, and it is retried.
		SlashOwed {
			/// The pool.
			pool: PoolId,
			/// Collateral units owed.
			amount: BalanceOf<T>,
			/// Who is owed it; `None`: to be burnt.
			beneficiary: Option<T::AccountId>,
		},
		/// An owed slash was paid out.
		OwedSlashSettled {
			/// The pool.
			pool: PoolId,
			/// Collateral units paid out.
			amount: BalanceOf<T>,
			/// Who received them; `None`: burnt.
			beneficiary: Option<T::AccountId>,
		},
		/// A curator took an empty staked pool out of staking (its ledger and session keys
		/// are gone, it refuses deposits): it can now be closed.
		PoolUnstaked {
			/// The pool.
			pool: PoolId,
		},
		/// A curator closed an empty pool.
		PoolClosed {
			/// The pool.
			pool: PoolId,
			/// Who received the creation deposit, the seed and any dust back.
			depositor: T::AccountId,
			/// The creation deposit released.
			creation_deposit: BalanceOf<T>,
			/// Collateral units returned (seed and value owned by no LRT).
			collateral_returned: BalanceOf<T>,
			/// Whether the pool's LRT asset was destroyed (else it stays, empty and unmintable).
			lrt_destroyed: bool,
		},
		/// A staked pool's curator chose the validators it nominates (from the next election).
		Nominated {
			/// The pool.
			pool: PoolId,
			/// The validators nominated.
			targets: NominationsOf<T>,
		},
		/// A staked pool's stash declared itself a validator (from the next election): its
		/// curator runs the node, its stake is the validator's own.
		Validating {
			/// The pool.
			pool: PoolId,
			/// Commission on the rewards of its other nominators (paid to the pool too).
			commission: Perbill,
			/// Whether others may not nominate it.
			blocked: bool,
		},
		/// A staked pool's session keys were set (from the next session).
		SessionKeysSet {
			/// The pool.
			pool: PoolId,
		},
		/// A staked pool stopped nominating or validating (its stake stays bonded and backs
		/// consumers).
		Chilled {
			/// The pool.
			pool: PoolId,
		},
		/// A staked pool's pending deposits ([`PendingBonds`]) were bonded in staking.
		PendingStakeBonded {
			/// The pool.
			pool: PoolId,
			/// PAL bonded.
			amount: BalanceOf<T>,
		},
		/// A staked pool's NPoS rewards were added to its stake: every LRT is worth more.
		StakingRewardsCompounded {
			/// The pool.
			pool: PoolId,
			/// PAL compounded.
			amount: BalanceOf<T>,
			/// The exchange rate after.
			rate: FixedU128,
		},
		/// A withdrawal request of a staked pool left the withdrawal queue and started
		/// unbonding in staking: it is paid by a second `claim_withdrawal` from `unlock_era` on.
		WithdrawalUnbonding {
			/// The restaker.
			who: T::AccountId,
			/// The pool.
			pool: PoolId,
			/// The request.
			request_id: RequestId,
			/// PAL unbonded for it: the most it is paid (NPoS slashes may still lower it).
			amount: BalanceOf<T>,
			/// The staking era its chunk unlocks.
			unlock_era: EraIndex,
		},
		/// NPoS slashed a staked pool's stash: the pool's books took what it took.
		NposSlashed {
			/// The pool.
			pool: PoolId,
			/// PAL taken from the bonded stake (LRT holders and queued requests, pro rata).
			from_bonded: BalanceOf<T>,
			/// PAL taken from requests unbonding.
			from_unbonding: BalanceOf<T>,
			/// Part of the slash that fell on stake service slashes had already taken (no
			/// funds behind it).
			from_ghost: BalanceOf<T>,
			/// The exchange rate after.
			rate: FixedU128,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No pool with this id.
		PoolNotFound,
		/// Only the pool's curator may do this.
		NotCurator,
		/// The pool is closed to deposits.
		PoolClosed,
		/// The amount must not be zero.
		ZeroAmount,
		/// The deposit is below the minimum (`MinDeposit`, or the asset's minimum balance).
		BelowMinDeposit,
		/// The deposit would raise the pool's active value above its cap.
		DepositCapExceeded,
		/// The pool's active value was slashed to zero while LRT remains: it takes no deposits.
		PoolWipedOut,
		/// The account already has `MaxWithdrawalRequests` open requests.
		TooManyWithdrawalRequests,
		/// No such withdrawal request of the caller in this pool.
		RequestNotFound,
		/// The withdrawal delay has not passed yet.
		NotYetClaimable,
		/// The LRT is worth nothing (and carries no reward share).
		NothingToWithdraw,
		/// The collateral asset does not exist.
		UnknownAsset,
		/// LRT cannot be collateral, nor be valued.
		InvalidCollateral,
		/// The operator is not opted in to the consumer.
		NotOptedIn,
		/// The pool's fractions for this consumer would sum to more than 100% (counting pending
		/// changes at their larger value, changes already in force at their new one).
		OverAllocated,
		/// The pool already allocates to `MaxConsumersPerPool` consumers.
		TooManyConsumers,
		/// The pool already allocates to `MaxOperatorsPerConsumer` operators for this consumer.
		TooManyOperators,
		/// `MaxPoolsPerOperator` pools already allocate to this operator for this consumer.
		TooManyPools,
		/// The allocation already has this fraction and no pending change.
		AllocationUnchanged,
		/// The pool has no LRT holder to reward.
		NoLrtHolders,
		/// The operator has not accepted this pool as a backer.
		PoolNotAccepted,
		/// A non-zero allocation must be at least `MinAllocation`.
		AllocationTooSmall,
		/// A slash that may take from this pool is pending: claims wait for it.
		SlashPending,
		/// A withdrawal must be worth at least the minimum deposit, unless it withdraws all of
		/// the caller's LRT.
		BelowMinWithdrawal,
		/// The pool owes a slash it could not pay yet: it takes no deposits until it is settled.
		PoolOwesSlash,
		/// The pool owes no slash, or it still cannot be paid.
		NothingSettled,
		/// The pool still has LRT, queued withdrawals, rewards, owed slashes or allocations.
		PoolNotEmpty,
		/// No fresh account could be derived for the pool: try again in another block.
		PoolAccountUnavailable,
		/// An amount overflowed.
		Overflow,
		/// The pool account did not receive the collateral the transfer debited (an asset
		/// whose supply would pass the balance range: `pallet-assets` drops such a credit).
		CollateralNotReceived,
		/// Only a pool of `NativeStaked` collateral stakes.
		NotStakedPool,
		/// The request's PAL is still unbonding in staking: claim again from its unlock era.
		StillUnbonding,
		/// The pool has no staking rewards to compound (or no LRT holder to give them to).
		NothingToCompound,
		/// A pool validates only once its session keys are set (`set_session_keys`).
		NoSessionKeys,
		/// The session keys do not decode as the runtime's session keys.
		InvalidSessionKeys,
		/// The staked pool left staking (`unstake_pool`): it takes no staking call and no
		/// deposit any more, and can only be closed.
		PoolUnstaked,
		/// A staked pool closes in two calls: `unstake_pool` first, then `close_pool`.
		PoolStillStaked,
		/// More eras hold a ghost than `MAX_GHOST_ERAS` (impossible while staking's bonding
		/// duration is within it, which `integrity_test` checks).
		TooManyGhostEras,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Bond the staked pools' pending deposits ([`PendingBonds`]): at most
		/// [`Config::MaxBondsPerBlock`] pools, in turn.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::bond_pending(T::MaxBondsPerBlock::get())
		}

		fn integrity_test() {
			assert!(T::MaxBondsPerBlock::get() >= 1, "MaxBondsPerBlock must be >= 1");
			assert!(!T::MinDeposit::get().is_zero(), "MinDeposit must not be zero");
			assert!(T::WithdrawalDelay::get() >= 1, "WithdrawalDelay must be at least 1 epoch");
			assert!(T::DeallocationDelay::get() >= 1, "DeallocationDelay must be >= 1 epoch");
			assert!(T::MaxWithdrawalRequests::get() >= 1, "MaxWithdrawalRequests must be >= 1");
			assert!(T::MaxConsumersPerPool::get() >= 1, "MaxConsumersPerPool must be >= 1");
			assert!(T::MaxOperatorsPerConsumer::get() >= 1, "MaxOperatorsPerConsumer must be >= 1");
			assert!(T::MaxPoolsPerOperator::get() >= 1, "MaxPoolsPerOperator must be >= 1");
			assert!(T::MaxScheduledPerEpoch::get() >= 1, "MaxScheduledPerEpoch must be >= 1");
			assert!(
				T::MaxQueueBuckets::get() > T::WithdrawalDelay::get(),
				"MaxQueueBuckets must be at least WithdrawalDelay + 1"
			);
			assert!(!T::MinAllocation::get().is_zero(), "MinAllocation must not be zero");
			assert!(
				<T::Staking as sp_staking::StakingInterface>::bonding_duration() <= MAX_GHOST_ERAS,
				"staking's bonding duration must be at most MAX_GHOST_ERAS"
			);
			assert!(
				Self::candidate_account(0, 0) != Self::candidate_account(1, 0)
					&& Self::candidate_account(0, 0) != Self::candidate_account(0, 1),
				"AccountId too short to derive distinct pool accounts"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Create a pool of `collateral`, with the caller as curator, a `deposit_cap`
		/// (collateral units) and `metadata`. The pool is open.
		///
		/// The caller pays: `PoolDeposit` (held while the pool exists), the native existential
		/// deposit of the pool account, the metadata deposit of the pool's LRT, and for an
		/// asset pool the asset's minimum balance (seeding the pool account). An asset must
		/// exist and not be an LRT.
		///
		/// Emits `PoolCreated`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_pool(metadata.len() as u32))]
		pub fn create_pool(
			origin: OriginFor<T>,
			collateral: Collateral,
			metadata: MetadataOf<T>,
			#[pallet::compact] deposit_cap: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_pool(&who, collateral, metadata, deposit_cap).map(|_| ())
		}

		/// Hand the pool over to `new_curator`. Curator only. The creation deposit stays held
		/// on the creator.
		///
		/// Emits `CuratorChanged`.
		#[pallet::call_index(1)]
		pub fn set_curator(
			origin: OriginFor<T>,
			pool: PoolId,
			new_curator: T::AccountId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_curator(&who, pool, new_curator)
		}

		/// Set the pool's deposit cap (collateral units). Curator only. A cap below the current
		/// active value only stops new deposits.
		///
		/// Emits `DepositCapSet`.
		#[pallet::call_index(2)]
		pub fn set_deposit_cap(
			origin: OriginFor<T>,
			pool: PoolId,
			#[pallet::compact] deposit_cap: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_deposit_cap(&who, pool, deposit_cap)
		}

		/// Open or close the pool to deposits. Curator only. Withdrawals are never blocked.
		///
		/// Emits `PoolStateSet`.
		#[pallet::call_index(3)]
		pub fn set_pool_state(
			origin: OriginFor<T>,
			pool: PoolId,
			state: PoolState,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_pool_state(&who, pool, state)
		}

		/// Deposit up to `amount` of the pool's collateral and receive its LRT at the current
		/// rate. The pool must be open, `amount` at least the minimum deposit, and the active
		/// value after at most the cap. Only what the minted LRT is worth (rounded up) is taken;
		/// the rest, less than one LRT unit's worth, stays with the caller, who is kept alive.
		/// A deposit into an asset pool with a non-empty reward pot also pays its share of the
		/// pot in PAL (see the crate doc). A first deposit must mint at least the LRT's minimum
		/// balance. Not while the pool owes a slash. (The minimum deposit of an asset pool is
		/// `MinDeposit` scaled to the asset's decimals, at least its minimum balance.)
		///
		/// The rate leaves out the pool's rewards still vesting ([`RewardVesting`]): the
		/// depositor shares them as they vest, like every holder.
		///
		/// Charged by the kind of pool ([`Pallet::deposit_weight`]: a pool's collateral never
		/// changes, so the weight is known before dispatch): a native pool's deposit is a PAL
		/// transfer and an LRT mint; an asset pool's (with a reward pot, the worst case) also
		/// moves the asset and buys into the pot; a staked pool's also bonds in staking.
		///
		/// Emits `Deposited`.
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::deposit_weight(*pool))]
		pub fn deposit(
			origin: OriginFor<T>,
			pool: PoolId,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (_, weight) = Self::do_deposit(&who, pool, amount)?;
			Ok(Some(weight).into())
		}

		/// Burn `lrt_amount` of the caller's LRT of the pool (plus any remainder below the LRT's
		/// minimum balance) and queue its value for withdrawal. The claim pays the value at
		/// request, less whatever slashes take from the queue meanwhile, after
		/// `WithdrawalDelay` epochs. At most `MaxWithdrawalRequests` open requests per account.
		/// A request is worth at least the minimum deposit unless it takes all the caller's LRT,
		/// and holds `WithdrawalRequestDeposit` on the caller until the claim. Like a deposit,
		/// the LRT burnt is valued without the pool's rewards still vesting, which stay with
		/// the holders who remain ([`RewardVesting`]).
		///
		/// Emits `WithdrawalRequested`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::request_withdrawal())]
		pub fn request_withdrawal(
			origin: OriginFor<T>,
			pool: PoolId,
			#[pallet::compact] lrt_amount: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (_, weight) = Self::do_request_withdrawal(&who, pool, lrt_amount)?;
			Ok(Some(weight).into())
		}

		/// Claim the caller's withdrawal request `request_id` of `pool`, once its delay has
		/// passed and no slash that may take from it is pending (one for an offence of an epoch
		/// its stake backed): pays the collateral (and the reward share) to the caller and
		/// releases the request deposit.
		///
		/// A request of a staked pool (`NativeStaked`) is claimed twice: the first claim takes
		/// it out of the queue and unbonds its PAL in staking (`WithdrawalUnbonding`, with the
		/// era it unlocks); the second, from that era on, pays it (less any NPoS slash of the
		/// unbonding stake meanwhile). A claim from a staked pool is charged for the dearer of
		/// its two steps (the unbonding's worst case withdraws a chunk per era of the bonding
		/// duration) and refunded to the step it made; any other pool's claim is charged its
		/// own weight ([`Pallet::claim_withdrawal_weight`]). (Like any transfer, a
		/// non-sufficient collateral asset can only be paid to an account that exists.)
		///
		/// Emits `WithdrawalClaimed`.
		#[pallet::call_index(6)]
		#[pallet::weight(Pallet::<T>::claim_withdrawal_weight(*pool))]
		pub fn claim_withdrawal(
			origin: OriginFor<T>,
			pool: PoolId,
			request_id: RequestId,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			// Refunded to the step this claim makes (and the read of the pool's kind).
			let weight = if UnbondingRequests::<T>::contains_key(&who, request_id) {
				T::WeightInfo::finish_unbonding()
			} else if Pools::<T>::get(pool)
				.is_some_and(|record| record.collateral == Collateral::NativeStaked)
			{
				T::WeightInfo::start_unbonding()
			} else {
				T::WeightInfo::claim_withdrawal()
			};
			Self::do_claim_withdrawal(&who, pool, request_id)?;
			Ok(Some(weight.saturating_add(T::DbWeight::get().reads(1))).into())
		}

		/// Set the fraction of the pool's active stake backing `operator` for `consumer`.
		/// Curator only. An increase needs the operator opted in to the consumer and to have
		/// accepted the pool, and takes effect next epoch; a non-zero fraction is at least
		/// `MinAllocation`; a decrease takes effect after `DeallocationDelay` epochs; setting
		/// the fraction in force cancels a pending change. Per consumer the fractions (pending
		/// ones at their larger value, changes already in force at their new one) sum to at
		/// most 100%.
		///
		/// The change is finalised at the start of its effective epoch (or of one of the next
		/// [`MAX_SCHEDULE_SPILL`] epochs if that epoch's schedule is full; it is in force from
		/// its effective epoch all the same). The call finalises this operator's due change
		/// and at most [`MAX_OTHERS_SETTLED`] other due changes of the pool and consumer left
		/// by full schedules, so its storage accesses do not depend on the number of
		/// allocations; the weight charged for `MaxOperatorsPerConsumer` is refunded to the
		/// pool's allocations for the consumer (the list decoded and scanned).
		///
		/// Emits `AllocationScheduled` or `AllocationChangeCancelled` (and `AllocationChanged`
		/// for the changes of this pool and consumer it finalised).
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::set_allocation(T::MaxOperatorsPerConsumer::get()))]
		pub fn set_allocation(
			origin: OriginFor<T>,
			pool: PoolId,
			operator: T::AccountId,
			consumer: ConsumerId,
			fraction: Perbill,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let entries = Self::do_set_allocation(&who, pool, operator, consumer, fraction)?;
			Ok(Some(T::WeightInfo::set_allocation(entries)).into())
		}

		/// Set the valuation of `asset` as collateral: native units per asset unit. Zero removes
		/// it: the asset then counts as zero security (slashes for past offences still use the
		/// last valuation). Governance only.
		///
		/// Emits `CollateralValuationSet`.
		#[pallet::call_index(8)]
		pub fn set_collateral_valuation(
			origin: OriginFor<T>,
			asset: AssetId,
			valuation: FixedU128,
		) -> DispatchResult {
			T::GovernanceOrigin::ensure_origin(origin)?;
			Self::do_set_collateral_valuation(asset, valuation)
		}

		/// Pay out the slashes `pool` owes (booked when its asset or account could not be
		/// debited), at most [`MAX_SETTLED_PER_CALL`] of its debts per call (the others wait
		/// for the next call or epoch start). Anyone may call it; it fails if nothing could be
		/// paid. Once nothing is owed the pool counts as security again.
		///
		/// Emits `OwedSlashSettled` per beneficiary paid.
		#[pallet::call_index(9)]
		pub fn settle_slash(origin: OriginFor<T>, pool: PoolId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_settle_slash(pool)
		}

		/// Close an empty pool. Curator only. The pool must have no LRT, no open withdrawal
		/// request, no reward, no owed slash and no allocation. Its creator gets the creation
		/// deposit, the seed and any value no LRT owns back; the pool's LRT asset is destroyed
		/// (its metadata deposit goes back too) and its storage removed. Pool ids are not
		/// reused. A staked pool must first leave staking (`unstake_pool`).
		///
		/// Emits `PoolClosed`.
		#[pallet::call_index(10)]
		#[pallet::weight(Pallet::<T>::close_pool_weight(*pool))]
		pub fn close_pool(origin: OriginFor<T>, pool: PoolId) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let used = Self::do_close_pool(&who, pool)?;
			Ok(Some(used.saturating_add(T::DbWeight::get().reads(1))).into())
		}

		/// Nominate `targets` (validators) with a staked pool's bonded PAL, from the next
		/// election on. Curator only; staking's own rules apply (the bonded stake must reach
		/// its minimum nominator bond, the targets must be validators that accept nominations).
		///
		/// Emits `Nominated`.
		#[pallet::call_index(11)]
		#[pallet::weight(T::WeightInfo::nominate(targets.len() as u32))]
		pub fn nominate(
			origin: OriginFor<T>,
			pool: PoolId,
			targets: NominationsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_nominate(&who, pool, targets)
		}

		/// Stop a staked pool's nominations, or its validating (its PAL stays bonded). Curator
		/// only.
		///
		/// Emits `Chilled`.
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::chill())]
		pub fn chill(origin: OriginFor<T>, pool: PoolId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_chill(&who, pool)
		}

		/// Add a staked pool's NPoS rewards (paid by staking to its reward account) to its
		/// bonded stake. Anyone may call it. They vest into the rate like outside rewards
		/// ([`RewardVesting`]): over the epochs since the previous addition, at least one.
		///
		/// Emits `StakingRewardsCompounded`.
		#[pallet::call_index(13)]
		pub fn compound_rewards(origin: OriginFor<T>, pool: PoolId) -> DispatchResult {
			ensure_signed(origin)?;
			let record = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
			ensure!(record.collateral == Collateral::NativeStaked, Error::<T>::NotStakedPool);
			let compounded = Self::compound(pool)?;
			ensure!(!compounded.is_zero(), Error::<T>::NothingToCompound);
			Ok(())
		}

		/// Make a staked pool's stash a validator, from the next election, instead of a
		/// nominator: the pool's bonded PAL is the validator's own stake, and its curator runs
		/// the validator node with the keys set by [`Pallet::set_session_keys`] (required
		/// first). This is how a validator that is also an operator restakes the stake it
		/// bonds: the pool backs operators for consumers like any pool, and an NPoS slash of
		/// the validator falls on the pool's holders exactly as a nominator's would. Validator
		/// rewards, commission included, are paid to the pool's reward account and compounded.
		/// `commission` applies to others' nominations; `blocked` refuses new ones. Curator
		/// only; staking's own rules apply (minimum validator bond, most validators).
		///
		/// Emits `Validating`.
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::validate())]
		pub fn validate(
			origin: OriginFor<T>,
			pool: PoolId,
			commission: Perbill,
			blocked: bool,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_validate(&who, pool, commission, blocked)
		}

		/// Set the session keys of a staked pool's stash (effective from the next session):
		/// `keys` are the runtime's SCALE-encoded session keys and `proof` the proof that
		/// their holder means them for the pool's account, as `author_rotateKeysWithOwner`
		/// returns them when called with that account on the validator's node. Curator only.
		/// Taking the pool out of staking (`unstake_pool`) removes them.
		///
		/// Emits `SessionKeysSet`.
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::set_session_keys())]
		pub fn set_session_keys(
			origin: OriginFor<T>,
			pool: PoolId,
			keys: SessionKeysOf,
			proof: SessionKeysOf,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_session_keys(&who, pool, &keys, &proof)
		}

		/// Take an empty staked pool out of staking, the first of the two calls that close it
		/// (then `close_pool`). Curator only. The pool must be as empty as `close_pool`
		/// requires: no LRT, no open withdrawal request, no reward, no owed slash and no
		/// allocation. Its session keys are removed, its staking ledger ends (what is left
		/// bonded is its seed: nobody's funds) and the pool is closed to deposits for good.
		/// NPoS rewards still on its reward account (paid after the last holder left; staking
		/// pays none once the ledger is gone) go to its creator, like any value no LRT owns.
		///
		/// Emits `PoolUnstaked` (and `PoolStateSet` if it was open).
		#[pallet::call_index(16)]
		#[pallet::weight(T::WeightInfo::unstake_pool())]
		pub fn unstake_pool(origin: OriginFor<T>, pool: PoolId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unstake_pool(&who, pool)
		}
	}
}
