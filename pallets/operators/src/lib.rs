//! # Operators pallet
//!
//! The registry of Palisade's **operators**: the entities that run validators for consumer
//! chains with the stake that restaking pools allocate to them.
//!
//! ## Model
//!
//! - An operator registers with a **bond** (at least [`Config::MinOperatorBond`]), held from its
//!   free balance under [`HoldReason::OperatorBond`], a **commission** (at most
//!   [`Config::MaxCommission`]) and free-form metadata. One registration per account.
//! - It **opts in** to consumer chains, with one 32-byte key per consumer (e.g. its GRANDPA key
//!   there). GRANDPA votes carry no chain id, so two honest votes of one key on two chains can
//!   be made to look like an equivocation: a consumer key is therefore unique across **every**
//!   consumer and never used twice ([`UsedKeys`], never cleared), and it must not be one of
//!   Palisade's own session keys ([`Config::ReservedKeys`]). Operators may only opt in to
//!   consumers that accept opt-ins (not deregistered).
//! - It **accepts the pools** that may back it ([`AcceptedPools`], `accept_pool` /
//!   `reject_pool`, at most [`Config::MaxAcceptedPools`]), as Symbiotic operators opt in to
//!   vaults: the pools pallet only lets a curator allocate to an operator that accepted the
//!   pool. Rejecting a pool stops new allocations; the pool's existing allocation keeps its
//!   deallocation delay in the pools pallet, so rejecting never lets backing stake escape a
//!   slash.
//! - Time is counted in restaking **epochs**, read from [`Config::EpochInfo`]; this pallet does
//!   not run the clock. Changes that hurt someone else wait:
//!
//!   | change | takes effect |
//!   |---|---|
//!   | commission decrease | at once |
//!   | commission increase | after [`Config::CommissionChangeDelay`] epochs |
//!   | key rotation | next epoch (old and new key both reserved until then) |
//!   | opt-out | after [`Config::OptOutDelay`] epochs; until then "leaving": not eligible, still slashable |
//!   | unbond | withdrawable after [`Config::UnbondingDelay`] epochs; held and slashable until withdrawn |
//!   | jail | until the epoch given by the slashing pallet, then active again automatically |
//!
//!   Scheduled changes are **applied lazily**: every query takes an epoch and compares it with
//!   the change's effective epoch, so answers are exact even if nobody finalised the change yet.
//!   Storage is tidied up (old keys released, opt-outs removed, jail lifted, with an event) by
//!   [`Pallet::on_epoch_start`], which the pallet running the epoch clock calls through
//!   [`palisade_primitives::OperatorRegistry::on_new_epoch`] and which only processes the
//!   changes scheduled up to that epoch ([`Schedule`]), at most
//!   [`Config::MaxFinalisedPerBlock`] per block: what does not fit is finalised by this
//!   pallet's `on_initialize` in the following blocks ([`FinaliseCursor`]), so no stale opt-out
//!   keeps a consumer slot however many changes an epoch has. Any call that touches the
//!   operator also finalises its own changes.
//! - **Leaving**: `deregister` opts the operator out of every consumer at once, in O(1): the
//!   record's `leaving_at` ends every opt-in (queries apply it, see
//!   [`OptInRecord::with_operator_leaving`]) and one scheduled change removes them all when it
//!   takes effect. The operator then unbonds its whole bond and, once every opt-out has been
//!   finalised and the bond is withdrawn, `withdraw_unbonded` removes the record.
//! - **Jail and slash** are done by the slashing pallet through
//!   [`palisade_primitives::OperatorRegistry`]: a jailed operator keeps its record but is not
//!   eligible; a slash takes from the active bond first,
//!   then from the unbonding chunks (most recently unbonded first), and hands the funds to
//!   [`Config::OnSlash`] (`slash_bond`) or to the beneficiary the slashing pallet names
//!   (`slash_bond_to`; burnt for `None`).
//! - **Pending slashes** ([`Config::PendingSlashes`]): while a slash of the operator is reported
//!   and not executed or cancelled, it cannot deregister and `withdraw_unbonded` releases
//!   nothing, whatever delays the slashing pallet's queue or meter add.
//!
//! Delays nest (checked by `integrity_test`): `UnbondingDelay >= OptOutDelay >= 1`, so a
//! deregistering operator's bond is slashable until all its opt-outs have taken effect; the
//! runtime additionally keeps `OptOutDelay >= ReportWindow + VetoDelay` of the slashing pallet.
//!
//! ## Example
//!
//! ```ignore
//! // Alice registers with a bond of 1_000 and 5% commission, and opts in to consumer 1.
//! Operators::register_operator(alice, 1_000, Perbill::from_percent(5), b"alice".to_vec().try_into()?)?;
//! Operators::opt_in(alice, 1, alice_grandpa_key)?;
//! // The consumers pallet, at each epoch transition:
//! let _weight = <Operators as OperatorRegistry<_, _>>::on_new_epoch(epoch);
//! let set = <Operators as OperatorRegistry<_, _>>::opted_in_operators(1, epoch);
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod benchmarking;
mod epoch;
mod impls;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod registry;
mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::operators";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, Contains, OnUnbalanced},
	};
	use frame_system::pallet_prelude::*;
	use palisade_primitives::{
		ConsumerId, ConsumerKey, ConsumerRegistry, EpochIndex, EpochProvider, PendingSlashes,
		PoolId,
	};
	use sp_runtime::{traits::Zero, Perbill};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// An operator's bond, active or unbonding.
		#[codec(index = 0)]
		OperatorBond,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The currency bonds are held in.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::BalancedHold<Self::AccountId>;

		/// Receives slashed bonds (`()` burns them).
		type OnSlash: OnUnbalanced<CreditOf<Self>>;

		/// The restaking epoch clock.
		type EpochInfo: EpochProvider;

		/// The registered consumer chains.
		type Consumers: ConsumerRegistry;

		/// Where changes that the consumers' validator-set selection reads (bond, status,
		/// commission, opt-ins, keys) are noted, so that only the consumers they affect select
		/// their set again at the next epoch (the consumers pallet).
		type Changes: palisade_primitives::ChangeNotes<Self::AccountId>;

		/// Smallest bond an operator may register with, and may unbond down to while not
		/// leaving.
		#[pallet::constant]
		type MinOperatorBond: Get<BalanceOf<Self>>;

		/// Highest commission an operator may charge.
		#[pallet::constant]
		type MaxCommission: Get<Perbill>;

		/// Epochs before a commission increase takes effect.
		#[pallet::constant]
		type CommissionChangeDelay: Get<EpochIndex>;

		/// Epochs before unbonded funds can be withdrawn. Must be at least `OptOutDelay`.
		#[pallet::constant]
		type UnbondingDelay: Get<EpochIndex>;

		/// Epochs before an opt-out takes effect. At least 1.
		#[pallet::constant]
		type OptOutDelay: Get<EpochIndex>;

		/// Longest operator metadata, in bytes.
		#[pallet::constant]
		type MaxMetadataLen: Get<u32>;

		/// Most consumers one operator may be opted in to (leaving ones included).
		#[pallet::constant]
		type MaxOptIns: Get<u32>;

		/// Most unbonding chunks per operator (one per unlock epoch).
		#[pallet::constant]
		type MaxUnbondingChunks: Get<u32>;

		/// Most operators opted in to one consumer (leaving ones included).
		#[pallet::constant]
		type MaxOperatorsPerConsumer: Get<u32>;

		/// Most scheduled changes finalised in one block (by `on_epoch_start`, then by
		/// `on_initialize` for what is left). An epoch may have any number of changes (each
		/// was paid for by a call); they are finalised over as many blocks as needed, and
		/// apply lazily meanwhile.
		#[pallet::constant]
		type MaxFinalisedPerBlock: Get<u32>;

		/// Most pools one operator may accept as backers. Bounds the [`AcceptedPools`] entry
		/// (and so the weight of `accept_pool` and of the pools pallet's consent check); an
		/// operator only needs as many as can back it at once: a runtime sets it to the pools'
		/// per-(operator, consumer) bound times [`Config::MaxOptIns`].
		#[pallet::constant]
		type MaxAcceptedPools: Get<u32>;

		/// Keys that may never be consumer keys: Palisade's own session keys (GRANDPA, Aura).
		/// A vote of a Palisade validator and a vote on a consumer chain signed with one key
		/// for the same round and set id would otherwise form a "valid" equivocation proof.
		type ReservedKeys: Contains<ConsumerKey>;

		/// The slashing pallet's pending slashes: an operator with a pending slash cannot
		/// deregister or withdraw unbonded funds until it is executed or cancelled.
		type PendingSlashes: PendingSlashes<Self::AccountId>;

		/// Weight information for this pallet's calls and hook.
		type WeightInfo: WeightInfo;
	}

	/// Registered operators.
	#[pallet::storage]
	pub type OperatorRecords<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, T::AccountId, OperatorRecord<T>, OptionQuery>;

	/// Opt-ins: operator → consumer → key, pending key rotation, opt-out epoch.
	#[pallet::storage]
	pub type OptIns<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		ConsumerId,
		OptInRecord,
		OptionQuery,
	>;

	/// Per-consumer index of opted-in operators (leaving ones included), in opt-in order.
	#[pallet::storage]
	pub type ConsumerOperators<T: Config> =
		StorageMap<_, Twox64Concat, ConsumerId, ConsumerOperatorsOf<T>, ValueQuery>;

	/// Reverse index of consumer keys: consumer → key → operator. Holds both the key in force
	/// and a pending rotation's key.
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

	/// Every consumer key ever registered (by `opt_in` or `set_consumer_key`) → the operator and
	/// consumer it was registered for. Never cleared: a key is used once, ever, across every
	/// consumer, so a GRANDPA vote signed with it belongs to exactly one chain and one
	/// operator. One entry per successful `opt_in` / `set_consumer_key`, each paid by the
	/// call's fee and made by a bonded operator (about 90 bytes each).
	#[pallet::storage]
	pub type UsedKeys<T: Config> =
		StorageMap<_, Blake2_128Concat, ConsumerKey, (T::AccountId, ConsumerId), OptionQuery>;

	/// The pools each operator accepts as backers (operator-side consent), at most
	/// [`Config::MaxAcceptedPools`], in the order accepted.
	#[pallet::storage]
	pub type AcceptedPools<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, AcceptedPoolsOf<T>, ValueQuery>;

	/// The oldest epoch whose [`Schedule`] may still hold changes to finalise. Epochs before it
	/// are done; from it up to the current epoch, `on_initialize` finalises what is left.
	#[pallet::storage]
	pub type FinaliseCursor<T: Config> = StorageValue<_, EpochIndex, ValueQuery>;

	/// Changes to finalise at the start of an epoch: epoch → (operator, change).
	#[pallet::storage]
	pub type Schedule<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		EpochIndex,
		Blake2_128Concat,
		(T::AccountId, ScheduledChange),
		(),
		OptionQuery,
	>;

	/// Number of entries of [`Schedule`] per epoch.
	#[pallet::storage]
	pub type ScheduledCount<T: Config> = StorageMap<_, Twox64Concat, EpochIndex, u32, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An operator registered.
		OperatorRegistered {
			/// The operator.
			operator: T::AccountId,
			/// Bond held.
			bond: BalanceOf<T>,
			/// Commission charged.
			commission: Perbill,
			/// Epoch of registration.
			epoch: EpochIndex,
		},
		/// An operator changed its metadata.
		MetadataUpdated {
			/// The operator.
			operator: T::AccountId,
			/// The new metadata.
			metadata: MetadataOf<T>,
		},
		/// An operator's commission changed (a decrease, or a scheduled increase that came due).
		CommissionChanged {
			/// The operator.
			operator: T::AccountId,
			/// The commission now in force.
			commission: Perbill,
			/// Epoch from which it applies.
			epoch: EpochIndex,
		},
		/// An operator scheduled a commission increase.
		CommissionIncreaseScheduled {
			/// The operator.
			operator: T::AccountId,
			/// The future commission.
			commission: Perbill,
			/// Epoch from which it applies.
			effective_epoch: EpochIndex,
		},
		/// An operator added to its bond.
		Bonded {
			/// The operator.
			operator: T::AccountId,
			/// Amount added and held.
			amount: BalanceOf<T>,
			/// Active bond after.
			bond: BalanceOf<T>,
		},
		/// An operator started unbonding part of its bond.
		Unbonded {
			/// The operator.
			operator: T::AccountId,
			/// Amount moved to unbonding (still held and slashable).
			amount: BalanceOf<T>,
			/// Active bond after.
			bond: BalanceOf<T>,
			/// First epoch at which it can be withdrawn.
			unlock_epoch: EpochIndex,
		},
		/// An operator withdrew unlocked unbonding funds (released from hold).
		Withdrawn {
			/// The operator.
			operator: T::AccountId,
			/// Amount released.
			amount: BalanceOf<T>,
			/// Amount still unbonding.
			unbonding: BalanceOf<T>,
		},
		/// An operator opted in to a consumer.
		OptedIn {
			/// The operator.
			operator: T::AccountId,
			/// The consumer.
			consumer: ConsumerId,
			/// The operator's key for that consumer.
			key: ConsumerKey,
			/// Epoch of the opt-in.
			epoch: EpochIndex,
		},
		/// An operator asked to rotate its key for a consumer.
		KeyRotationScheduled {
			/// The operator.
			operator: T::AccountId,
			/// The consumer.
			consumer: ConsumerId,
			/// The new key.
			key: ConsumerKey,
			/// Epoch from which the new key is in force.
			effective_epoch: EpochIndex,
		},
		/// A key rotation came due: the new key is in force and the old one released.
		KeyRotated {
			/// The operator.
			operator: T::AccountId,
			/// The consumer.
			consumer: ConsumerId,
			/// The key now in force.
			key: ConsumerKey,
			/// Epoch from which it is in force.
			epoch: EpochIndex,
		},
		/// An operator asked to opt out of a consumer (directly or by deregistering).
		OptOutScheduled {
			/// The operator.
			operator: T::AccountId,
			/// The consumer.
			consumer: ConsumerId,
			/// Epoch from which the operator is no longer opted in (and no longer slashable
			/// for that consumer).
			effective_epoch: EpochIndex,
		},
		/// An opt-out came due: the opt-in and its keys are removed.
		OptedOut {
			/// The operator.
			operator: T::AccountId,
			/// The consumer.
			consumer: ConsumerId,
			/// Epoch from which it is no longer opted in.
			epoch: EpochIndex,
		},
		/// An operator deregistered: it is leaving and opted out of every consumer (an
		/// `OptedOut` event follows for each when it takes effect).
		Deregistered {
			/// The operator.
			operator: T::AccountId,
			/// Epoch of deregistration.
			epoch: EpochIndex,
			/// Epoch from which it is opted in to no consumer (an opt-out it asked for before
			/// takes effect at its own, earlier, epoch).
			effective_epoch: EpochIndex,
		},
		/// A leaving operator's record was removed: fully withdrawn, no opt-in left.
		OperatorRemoved {
			/// The former operator.
			operator: T::AccountId,
		},
		/// An operator was jailed.
		Jailed {
			/// The operator.
			operator: T::AccountId,
			/// First epoch at which it is free again.
			until: EpochIndex,
		},
		/// An operator's jail ended.
		Unjailed {
			/// The operator.
			operator: T::AccountId,
			/// Epoch from which it is active again.
			epoch: EpochIndex,
		},
		/// An operator accepted a pool as a backer.
		PoolAccepted {
			/// The operator.
			operator: T::AccountId,
			/// The pool.
			pool: PoolId,
		},
		/// An operator withdrew its consent to a pool: the pool cannot allocate more to it;
		/// what it already allocated leaves with the pools pallet's deallocation delay.
		PoolRejected {
			/// The operator.
			operator: T::AccountId,
			/// The pool.
			pool: PoolId,
		},
		/// An operator's bond was slashed.
		BondSlashed {
			/// The operator.
			operator: T::AccountId,
			/// Amount asked for.
			requested: BalanceOf<T>,
			/// Amount taken from the active bond.
			from_bond: BalanceOf<T>,
			/// Amount taken from unbonding chunks.
			from_unbonding: BalanceOf<T>,
			/// Active bond after.
			bond: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a registered operator.
		AlreadyRegistered,
		/// The account is not a registered operator.
		NotOperator,
		/// The bond would be below `MinOperatorBond` (zero is only allowed while leaving).
		BondBelowMinimum,
		/// The commission is above `MaxCommission`.
		CommissionTooHigh,
		/// The amount must not be zero.
		ZeroAmount,
		/// The operator's active bond is smaller than the amount.
		InsufficientBond,
		/// The operator already has `MaxUnbondingChunks` unbonding chunks; withdraw first.
		TooManyUnbondingChunks,
		/// No unbonding chunk is unlocked yet (and the record cannot be removed yet).
		NothingToWithdraw,
		/// No consumer with this id is registered.
		UnknownConsumer,
		/// The operator is already opted in to this consumer (or still leaving it).
		AlreadyOptedIn,
		/// The operator is not opted in to this consumer.
		NotOptedIn,
		/// This key was already registered once (by any operator, for any consumer): consumer
		/// keys are never reused.
		KeyAlreadyUsed,
		/// This key is one of Palisade's own session keys.
		ReservedKey,
		/// The consumer is deregistered: it accepts no new opt-in.
		ConsumerNotAccepting,
		/// A slash of this operator is reported and not yet executed or cancelled.
		SlashPending,
		/// The operator already accepts this pool.
		PoolAlreadyAccepted,
		/// The operator does not accept this pool.
		PoolNotAccepted,
		/// The operator already accepts `MaxAcceptedPools` pools.
		TooManyAcceptedPools,
		/// The operator is already opted in to `MaxOptIns` consumers.
		TooManyOptIns,
		/// The consumer already has `MaxOperatorsPerConsumer` operators.
		TooManyOperators,
		/// The operator is already leaving this consumer.
		OptOutPending,
		/// The operator is leaving the registry: only unbond, withdraw and metadata updates are
		/// allowed.
		OperatorLeaving,
		/// A jailed operator cannot deregister before its jail ends.
		OperatorJailed,
		/// An amount overflowed.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Finalise scheduled changes left over from epoch starts with more than
		/// `MaxFinalisedPerBlock` changes.
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			Self::finalise_backlog()
		}

		fn integrity_test() {
			assert!(T::OptOutDelay::get() >= 1, "OptOutDelay must be at least 1 epoch");
			assert!(
				T::UnbondingDelay::get() >= T::OptOutDelay::get(),
				"UnbondingDelay must be at least OptOutDelay, so a leaving operator's bond stays \
				 slashable until its opt-outs take effect"
			);
			assert!(T::CommissionChangeDelay::get() >= 1, "CommissionChangeDelay must be >= 1");
			assert!(!T::MinOperatorBond::get().is_zero(), "MinOperatorBond must not be zero");
			assert!(T::MaxOptIns::get() >= 1, "MaxOptIns must be at least 1");
			assert!(T::MaxUnbondingChunks::get() >= 1, "MaxUnbondingChunks must be at least 1");
			assert!(T::MaxOperatorsPerConsumer::get() >= 1, "MaxOperatorsPerConsumer must be >= 1");
			assert!(T::MaxFinalisedPerBlock::get() >= 1, "MaxFinalisedPerBlock must be >= 1");
			assert!(T::MaxAcceptedPools::get() >= 1, "MaxAcceptedPools must be >= 1");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Register the caller as an operator, holding `bond` (at least `MinOperatorBond`) from
		/// its free balance, with `commission` (at most `MaxCommission`) and `metadata`.
		///
		/// Emits `OperatorRegistered`.
		#[pallet::call_index(0)]
		pub fn register_operator(
			origin: OriginFor<T>,
			#[pallet::compact] bond: BalanceOf<T>,
			commission: Perbill,
			metadata: MetadataOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_register(&who, bond, commission, metadata)
		}

		/// Replace the caller's operator metadata.
		///
		/// Emits `MetadataUpdated`.
		#[pallet::call_index(1)]
		pub fn update_metadata(origin: OriginFor<T>, metadata: MetadataOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_update_metadata(&who, metadata)
		}

		/// Change the caller's commission. A decrease (or no change) applies at once and cancels
		/// any pending increase; an increase (at most `MaxCommission`) applies after
		/// `CommissionChangeDelay` epochs and replaces any pending one.
		///
		/// Emits `CommissionChanged` or `CommissionIncreaseScheduled`.
		#[pallet::call_index(2)]
		pub fn set_commission(origin: OriginFor<T>, commission: Perbill) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_commission(&who, commission)
		}

		/// Add `amount` from the caller's free balance to its bond. Not while leaving.
		///
		/// Emits `Bonded`.
		#[pallet::call_index(3)]
		pub fn bond_extra(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_bond_extra(&who, amount)
		}

		/// Start unbonding `amount` of the caller's bond. The remaining bond must stay at least
		/// `MinOperatorBond`, or be zero if the operator is leaving. The funds stay held and
		/// slashable until withdrawn, `UnbondingDelay` epochs from now.
		///
		/// Emits `Unbonded`.
		#[pallet::call_index(4)]
		pub fn unbond(
			origin: OriginFor<T>,
			#[pallet::compact] amount: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_unbond(&who, amount)
		}

		/// Release every unbonding chunk of the caller whose unlock epoch has come. If the
		/// caller is leaving, has no bond and no unbonding left, and all its opt-outs have been
		/// finalised (by the epoch-start finalisation of the epoch they take effect, or the
		/// blocks after it), its record is removed; call again if they were not yet. Fails with
		/// `SlashPending` while a slash of the caller is reported and not executed or
		/// cancelled.
		///
		/// Emits `Withdrawn` and/or `OperatorRemoved`.
		#[pallet::call_index(5)]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_withdraw_unbonded(&who)
		}

		/// Opt the caller in to `consumer` (which must accept opt-ins: not deregistered) with
		/// `consumer_key`, a key never registered before by anyone for any consumer and not one
		/// of Palisade's session keys. Jailed operators may opt in; leaving ones may not.
		///
		/// Emits `OptedIn`.
		#[pallet::call_index(6)]
		pub fn opt_in(
			origin: OriginFor<T>,
			consumer: ConsumerId,
			consumer_key: ConsumerKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_opt_in(&who, consumer, consumer_key)
		}

		/// Rotate the caller's key for `consumer` to `key` (never registered before, not a
		/// Palisade session key), effective from the next epoch. Both keys stay reserved until
		/// then; a second rotation before then replaces the first (its key stays used).
		///
		/// Emits `KeyRotationScheduled` (and `KeyRotated` when it comes due).
		#[pallet::call_index(7)]
		pub fn set_consumer_key(
			origin: OriginFor<T>,
			consumer: ConsumerId,
			key: ConsumerKey,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_consumer_key(&who, consumer, key)
		}

		/// Opt the caller out of `consumer`, effective after `OptOutDelay` epochs. Until then it
		/// is listed as leaving: not eligible, still slashable for that consumer.
		///
		/// Emits `OptOutScheduled` (and `OptedOut` when it comes due).
		#[pallet::call_index(8)]
		pub fn opt_out(origin: OriginFor<T>, consumer: ConsumerId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_opt_out(&who, consumer)
		}

		/// Leave the registry: status `Leaving`, opted out of every consumer from
		/// `OptOutDelay` epochs on (not eligible at once, slashable until then). Then `unbond`
		/// the whole bond and `withdraw_unbonded` after the delays to remove the record. Not
		/// while jailed, nor while a slash of the caller is pending.
		///
		/// Emits `Deregistered` (and one `OptedOut` per consumer when the opt-outs take
		/// effect).
		#[pallet::call_index(9)]
		pub fn deregister(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_deregister(&who)
		}

		/// Accept `pool` as a backer of the caller (operator-side consent): from now on the
		/// pool's curator may allocate the pool's stake to the caller. At most
		/// `MaxAcceptedPools` pools; not while leaving. Pool ids are never reused, so accepting
		/// an id only ever means that one pool (accept only pools that exist and you vetted).
		///
		/// Emits `PoolAccepted`.
		#[pallet::call_index(10)]
		pub fn accept_pool(origin: OriginFor<T>, pool: PoolId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_accept_pool(&who, pool)
		}

		/// Withdraw the caller's consent to `pool`: the pool can no longer allocate to the
		/// caller or raise an allocation. An allocation the pool already has is not cut at
		/// once: it leaves with the pools pallet's deallocation delay, during which it still
		/// backs (and is slashable for) the caller, so rejecting never lets stake escape a
		/// slash.
		///
		/// Emits `PoolRejected`.
		#[pallet::call_index(11)]
		pub fn reject_pool(origin: OriginFor<T>, pool: PoolId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_reject_pool(&who, pool)
		}
	}
}
