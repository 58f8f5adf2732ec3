//! # Palisade consumer pallet
//!
//! Add it to a Substrate solochain to run that chain on Palisade's security: its Aura and
//! GRANDPA authorities become the operators Palisade published for it, and nobody has to be
//! trusted to carry them over.
//!
//! ## Model
//!
//! 1. The runtime follows Palisade's finality with `pallet-bridge-grandpa` (an on-chain GRANDPA
//!    light client, `type BridgedChain = `[`palisade::Palisade`]), initialised from Palisade's
//!    GRANDPA authority set in the genesis config or by governance (`initialize`). Anyone
//!    imports Palisade's finalized headers with their justifications
//!    (`submit_finality_proof_ex`); headers that change Palisade's authorities are mandatory.
//! 2. Anyone calls [`Pallet::submit_validator_set`] with the hash of an imported Palisade
//!    header, the set id that follows the last accepted one, and a storage proof of
//!    `Consumers::PublishedSets(ConsumerId, set_id)` at that header (the `state_getReadProof`
//!    RPC of a Palisade node; Palisade keeps every set of the retention there, so a chain that
//!    missed a set while it was current catches up). The pallet checks the proof against the
//!    header's state root, decodes the set ([`PalisadeValidatorSet`], a documented mirror of
//!    Palisade's layout), refuses a set id other than the next one (stale, replayed or
//!    skipping), another consumer's set, an empty set and a set larger than `MaxAuthorities`,
//!    and keeps it as the [`PendingSet`] (one at a time).
//! 3. The next block's `on_initialize` hands the pending set to the [`AuthoritySink`]: with
//!    [`AuraGrandpa`], GRANDPA gets a standard change with delay 0 (enacted when that block is
//!    finalized) and Aura's authorities change, so the block after is authored by the new set.
//!    Every Palisade epoch publishes a set with a fresh set id (one more each time), so every
//!    epoch gives one new GRANDPA set here, in order and none skipped: this chain's GRANDPA set
//!    `g` always runs Palisade set `genesis set id + g`. Palisade knows the genesis set id (the
//!    consumer's `ChainAnchors` entry, declared by its admin), so evidence signed for GRANDPA
//!    set `g` maps to one published set and one epoch's exposure from Palisade's data alone.
//!    [`SetHistory`] records the same mapping here.
//! 4. Anyone proves a GRANDPA equivocation of an authority here with
//!    [`Pallet::report_equivocation`] (free when it is new and valid): it is checked against
//!    the keys of the GRANDPA set it was signed for and kept in [`Equivocations`] with the
//!    Palisade set and epoch it belongs to, for a relay to carry to Palisade's
//!    `ServiceSlashing::report_equivocation`.
//!
//! Nothing here can stop the chain: with no new set the current authorities keep producing and
//! finalizing, a set with no member is refused, and a set is applied whole or not at all.
//!
//! ## One key for Aura and GRANDPA
//!
//! An operator registers one 32-byte key per consumer on Palisade. On a consumer chain running
//! this pallet it is an ed25519 public key that serves both as the Aura authority id
//! (`sp_consensus_aura::ed25519::AuthorityId`: the chain runs Aura with ed25519) and as the
//! GRANDPA authority id. GRANDPA votes weigh 1 each, like Aura's round robin.
//!
//! ## Example
//!
//! ```ignore
//! impl pallet_bridge_grandpa::Config<BridgePalisadeInstance> for Runtime {
//!     type BridgedChain = pallet_palisade_consumer::palisade::Palisade;
//!     // ...
//! }
//! impl pallet_palisade_consumer::Config for Runtime {
//!     type RuntimeEvent = RuntimeEvent;
//!     type BridgeGrandpaInstance = BridgePalisadeInstance;
//!     type ConsumerId = ConstU32<0>;
//!     type MaxAuthorities = ConstU32<32>;
//!     type MaxProofSize = ConstU32<{ 64 * 1024 }>;
//!     type SetHistoryDepth = ConstU32<32>;
//!     type AuthoritySink = pallet_palisade_consumer::AuraGrandpa<Runtime>;
//!     type WeightInfo = pallet_palisade_consumer::weights::SubstrateWeight<Runtime>;
//! }
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use sink::{AuraGrandpa, AuthoritySink};
pub use types::*;
pub use weights::WeightInfo;

mod benchmarking;
#[cfg(any(test, feature = "runtime-benchmarks"))]
pub mod evidence_testing;
mod impls;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
pub mod palisade;
mod sink;
mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::palisade-consumer";

/// Number of a Palisade block, as the light client stores it.
pub type PalisadeBlockNumber<T> =
	pallet_bridge_grandpa::BridgedBlockNumber<T, <T as Config>::BridgeGrandpaInstance>;

/// Hash of a Palisade block, as the light client stores it.
pub type PalisadeBlockHash<T> =
	pallet_bridge_grandpa::BridgedBlockHash<T, <T as Config>::BridgeGrandpaInstance>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use bp_runtime::RawStorageProof;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config:
		frame_system::Config + pallet_bridge_grandpa::Config<Self::BridgeGrandpaInstance>
	{
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The `pallet-bridge-grandpa` instance that imports Palisade's finalized headers.
		type BridgeGrandpaInstance: 'static;

		/// Which consumer this chain is on Palisade (its `ConsumerId`).
		#[pallet::constant]
		type ConsumerId: Get<ConsumerId>;

		/// Most members a set may have. At most the sink's bound (Aura's and GRANDPA's
		/// `MaxAuthorities`) and at least Palisade's `max_operators` for this consumer.
		#[pallet::constant]
		type MaxAuthorities: Get<u32>;

		/// Largest storage proof accepted, in bytes (the sum of its nodes).
		#[pallet::constant]
		type MaxProofSize: Get<u32>;

		/// How many applied sets [`SetHistory`] remembers. At least 1.
		#[pallet::constant]
		type SetHistoryDepth: Get<u32>;

		/// Where an accepted set goes: the chain's Aura and GRANDPA ([`AuraGrandpa`]).
		type AuthoritySink: AuthoritySink;

		/// Weight information for this pallet's call and hook.
		type WeightInfo: WeightInfo;
	}

	/// The newest set accepted (pending or applied): the next set must have the next set id and
	/// a later epoch.
	#[pallet::storage]
	pub type LastAccepted<T: Config> = StorageValue<_, AcceptedSetOf<T>, OptionQuery>;

	/// The proven set waiting for the next block's `on_initialize` to become the authorities.
	#[pallet::storage]
	pub type PendingSet<T: Config> = StorageValue<_, PalisadeValidatorSet<T>, OptionQuery>;

	/// The Palisade set whose keys are this chain's authorities now.
	#[pallet::storage]
	pub type CurrentSet<T: Config> = StorageValue<_, ActiveSet<T>, OptionQuery>;

	/// Which Palisade set (and epoch) each recent GRANDPA set id of this chain ran, oldest
	/// first, at most `SetHistoryDepth`.
	#[pallet::storage]
	pub type SetHistory<T: Config> = StorageValue<_, SetHistoryOf<T>, ValueQuery>;

	/// The authority keys of each GRANDPA set in [`SetHistory`] (pruned with it), to check
	/// equivocation evidence against the set it was signed for.
	#[pallet::storage]
	pub type SetKeys<T: Config> = StorageMap<
		_,
		Twox64Concat,
		u64,
		BoundedVec<ConsumerKey, <T as Config>::MaxAuthorities>,
		OptionQuery,
	>;

	/// Proven GRANDPA equivocations: GRANDPA set id → offender key → record (the first one
	/// per offender and set is enough for Palisade's slash). Pruned with [`SetHistory`], so at
	/// most `SetHistoryDepth × MaxAuthorities` records.
	#[pallet::storage]
	pub type Equivocations<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		u64,
		Blake2_128Concat,
		ConsumerKey,
		EquivocationRecord<BlockNumberFor<T>>,
		OptionQuery,
	>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The Palisade set this chain's genesis Aura and GRANDPA authorities are (they are
		/// configured in those pallets' genesis, with the same keys in the same order). `None`:
		/// the genesis authorities come from elsewhere and any first proven set is accepted.
		pub current_set: Option<GenesisSet>,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(set) = &self.current_set {
				Pallet::<T>::init_genesis_set(set).expect("the genesis set is valid; qed");
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A set published by Palisade was proven and is pending: the next block applies it.
		ValidatorSetAccepted {
			/// Its Palisade set id.
			set_id: u64,
			/// Its Palisade epoch.
			epoch: EpochIndex,
			/// How many members it has.
			members: u32,
			/// The Palisade block it was proven at.
			palisade_block_hash: PalisadeBlockHash<T>,
			/// That block's number.
			palisade_block_number: PalisadeBlockNumber<T>,
		},
		/// A pending set became the authorities: Aura from the next block, GRANDPA once this
		/// block is finalized.
		AuthoritiesRotated {
			/// Its Palisade set id.
			set_id: u64,
			/// Its Palisade epoch.
			epoch: EpochIndex,
			/// The GRANDPA set id of this chain it votes under.
			grandpa_set_id: u64,
			/// How many authorities.
			authorities: u32,
		},
		/// A GRANDPA equivocation of an authority was proven: a relay carries it to Palisade.
		EquivocationNoted {
			/// This chain's GRANDPA set id the votes were signed for.
			grandpa_set_id: u64,
			/// The round.
			round: u64,
			/// The offender's key.
			offender: ConsumerKey,
			/// The Palisade set that GRANDPA set ran.
			set_id: u64,
			/// That set's Palisade epoch.
			epoch: EpochIndex,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The Palisade block is not (or no longer) imported by the light client.
		UnknownPalisadeHeader,
		/// The storage proof is larger than `MaxProofSize`.
		ProofTooLarge,
		/// The storage proof does not match the block's state root, repeats a node or carries
		/// nodes that are not needed.
		InvalidStorageProof,
		/// The proof does not reach this consumer's entry of `Consumers::ValidatorSets` (for
		/// instance it proves another consumer's set).
		ValidatorSetNotInProof,
		/// Palisade had no set for this consumer at that block (never active, paused or
		/// deregistered).
		NoValidatorSet,
		/// The proven value is not a validator set in Palisade's layout.
		UndecodableValidatorSet,
		/// The set's `set_hash` is not the hash of its members.
		SetHashMismatch,
		/// The set has no member: it would leave this chain with no authority.
		EmptySet,
		/// The set has more members than `MaxAuthorities`.
		TooManyMembers,
		/// Two members have the same key.
		DuplicateKey,
		/// The set id is not greater than the last accepted one (stale or replayed).
		StaleSetId,
		/// The set id skips one: sets are applied one by one, in Palisade's order (prove the
		/// next one first; Palisade keeps every set of its retention).
		SetIdGap,
		/// The proven set carries another set id than the one asked for.
		SetIdMismatch,
		/// A proven set waits to be applied: the next one can be proven after it is.
		SetPending,
		/// The equivocation's GRANDPA set is not (or no longer) remembered here.
		UnknownGrandpaSet,
		/// The offender was not an authority of the GRANDPA set the votes were signed for.
		NotAnAuthority,
		/// The votes do not conflict or a signature is not valid for their round and set.
		InvalidEquivocationProof,
		/// An equivocation of this offender in this GRANDPA set is already proven.
		DuplicateEquivocation,
		/// The epoch is not later than the last accepted set's.
		EpochNotNewer,
		/// GRANDPA has a change pending: the set is applied in a later block.
		AuthorityChangePending,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(n: BlockNumberFor<T>) -> Weight {
			Self::do_apply_pending_set(n)
		}

		fn integrity_test() {
			Self::check_integrity();
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Prove the validator set Palisade published for this consumer: `storage_proof` is a
		/// proof of `Consumers::ValidatorSets(ConsumerId)` at the imported Palisade block
		/// `palisade_block_hash`. Anyone may submit. The set becomes the pending set, applied by
		/// the next block. Charged for `MaxAuthorities` members, refunded to the actual count;
		/// a proof from a block not later than the last one used is refused before it is
		/// checked.
		#[pallet::call_index(0)]
		#[pallet::weight(<T as Config>::WeightInfo::submit_validator_set(T::MaxAuthorities::get()))]
		pub fn submit_validator_set(
			origin: OriginFor<T>,
			palisade_block_hash: PalisadeBlockHash<T>,
			set_id: u64,
			storage_proof: RawStorageProof,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let members =
				Self::do_submit_validator_set(palisade_block_hash, set_id, storage_proof)?;
			Ok(Some(<T as Config>::WeightInfo::submit_validator_set(members)).into())
		}

		/// Prove a GRANDPA equivocation of one of this chain's authorities: two conflicting
		/// votes of one round signed with its key for one of the remembered GRANDPA sets.
		/// Anyone may submit; a new, valid proof pays no fee. The proof is kept in
		/// [`Equivocations`] with the Palisade set and epoch it belongs to, and
		/// [`Event::EquivocationNoted`] tells relays to carry it to Palisade, where the operator
		/// behind the key is slashed for that epoch.
		#[pallet::call_index(1)]
		#[pallet::weight(<T as Config>::WeightInfo::report_equivocation())]
		pub fn report_equivocation(
			origin: OriginFor<T>,
			equivocation_proof: alloc::boxed::Box<
				sp_consensus_grandpa::EquivocationProof<T::Hash, BlockNumberFor<T>>,
			>,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			Self::do_report_equivocation(*equivocation_proof)?;
			Ok(frame_support::dispatch::Pays::No.into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The Palisade set (set id, epoch) that this chain's GRANDPA set `grandpa_set_id` ran,
		/// if it is still remembered.
		pub fn palisade_set_of(grandpa_set_id: u64) -> Option<SetHistoryEntry> {
			SetHistory::<T>::get().into_iter().find(|e| e.grandpa_set_id == grandpa_set_id)
		}

		/// The authority keys of the set in force.
		pub fn current_keys() -> Vec<ConsumerKey> {
			CurrentSet::<T>::get().map(|s| s.set.keys()).unwrap_or_default()
		}
	}
}
