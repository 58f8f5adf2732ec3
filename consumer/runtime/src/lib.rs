//! # Palisade demo consumer runtime
//!
//! A Substrate solochain that runs on Palisade's security: its Aura and GRANDPA authorities
//! are the operators Palisade publishes for it (consumer 0 of Palisade's demo world).
//!
//! - Block production is Aura with **ed25519** keys and finality is GRANDPA; an authority
//!   holds ONE ed25519 key, the key it registered on Palisade, under both key types `aura` and
//!   `gran`. There is no `pallet-session` and no staking: the authorities change only when
//!   [`PalisadeConsumer`] applies a validator set proven from Palisade
//!   ([`pallet_palisade_consumer::AuraGrandpa`] sink).
//! - [`BridgePalisadeGrandpa`] (`pallet-bridge-grandpa`, instance 1) is an on-chain GRANDPA
//!   light client of Palisade: anyone imports Palisade's finalized headers with their
//!   justifications, then anyone proves `Consumers::ValidatorSets(0)` at an imported header
//!   with [`PalisadeConsumer`]'s `submit_validator_set`.
//! - Balances, fees and a sudo key (development chains) complete a usable chain. The token is
//!   CON, 12 decimals, SS58 prefix 42; blocks every 3 seconds.
//!
//! Configuration lives in [`configs`]; runtime APIs in [`apis`]; genesis presets
//! (`development`, `local_testnet`) in [`genesis_config_presets`]. Neither preset initialises
//! the light client nor declares the genesis authorities as a Palisade set: a launch script
//! patches `bridgePalisadeGrandpa.initData` and `palisadeConsumer.currentSet` (or sudo calls
//! `BridgePalisadeGrandpa::initialize` later).

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` / `impl_runtime_apis` expand to large types.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;

#[cfg(test)]
mod tests;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::{runtime_version, RuntimeVersion};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// The Aura authority id: ed25519, so that one key is both the Aura and the GRANDPA key.
pub type AuraId = sp_consensus_aura::ed25519::AuthorityId;

/// The GRANDPA authority id (ed25519).
pub type GrandpaId = sp_consensus_grandpa::AuthorityId;

/// An index to a block.
pub type BlockNumber = u32;

/// Alias to 512-bit hash when used in the context of a transaction signature on the chain.
pub type Signature = MultiSignature;

/// Some way of identifying an account on the chain. Equivalent to the public key of the
/// transaction signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Balance of an account, in base units (10^-12 CON).
pub type Balance = u128;

/// Index of a transaction in the chain.
pub type Nonce = u32;

/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;

/// The `pallet-bridge-grandpa` instance that follows Palisade's finality.
pub type BridgePalisadeInstance = pallet_bridge_grandpa::Instance1;

/// Money: CON has 12 decimals.
pub mod currency {
	use super::Balance;

	/// Number of decimals of CON, as shown by wallets (chain property `tokenDecimals`).
	pub const DECIMALS: u8 = 12;
	/// The token symbol (chain property `tokenSymbol`).
	pub const SYMBOL: &str = "CON";
	/// The SS58 address format (chain property `ss58Format`): the generic Substrate prefix.
	pub const SS58_FORMAT: u16 = 42;

	/// One CON.
	pub const UNITS: Balance = 1_000_000_000_000;
	/// 0.01 CON.
	pub const CENTS: Balance = UNITS / 100;
	/// 0.001 CON.
	pub const MILLI: Balance = UNITS / 1_000;
	/// 10^-6 CON.
	pub const MICRO: Balance = UNITS / 1_000_000;

	/// The existential deposit: 0.01 CON.
	pub const EXISTENTIAL_DEPOSIT: Balance = CENTS;
}

/// Time: 3-second blocks, like Palisade.
pub mod time {
	use super::BlockNumber;

	/// Target block time in milliseconds. Blocks are produced at most this often; the
	/// Aura slot duration equals it.
	pub const MILLISECS_PER_BLOCK: u64 = 3000;
	/// NOTE: the slot duration cannot change once the chain has started.
	pub const SLOT_DURATION: u64 = MILLISECS_PER_BLOCK;

	/// Blocks per minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLISECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day.
	pub const DAYS: BlockNumber = HOURS * 24;
}

/// Opaque types, used by the node to handle blocks without knowing the runtime's
/// extrinsic format.
pub mod opaque {
	use super::*;
	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block identifier type.
	pub type BlockId = generic::BlockId<Block>;
}

impl_opaque_keys! {
	/// The keys of an authority: one Aura key (block authoring) and one GRANDPA key
	/// (finality), both ed25519. An operator uses the SAME key for both, the one it registered
	/// on Palisade for this consumer (`key insert --scheme ed25519` under `aura` and `gran`).
	pub struct SessionKeys {
		/// Aura (block production) key, ed25519.
		pub aura: Aura,
		/// GRANDPA (finality) key, ed25519.
		pub grandpa: Grandpa,
	}
}

/// The runtime version.
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("palisade-consumer"),
	impl_name: alloc::borrow::Cow::Borrowed("palisade-consumer"),
	authoring_version: 1,
	spec_version: 100,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;

/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// A Block signed with a Justification.
pub type SignedBlock = generic::SignedBlock<Block>;

/// BlockId type as expected by this runtime.
pub type BlockId = generic::BlockId<Block>;

/// The transaction extensions, in the order Polkadot.js and every standard client expect.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
);

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// All migrations of the runtime, aside from the ones declared in the pallets.
#[allow(unused_parens)]
type Migrations = ();

/// Executive: handles dispatch to the various modules.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

// The pallets, in genesis-build and hook order. The light client comes before the consumer
// pallet, and the consumer pallet's `on_initialize` (which may change the authorities) runs
// after Aura has checked this block's slot.
#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	// Running on Palisade's security: the light client of Palisade and the set import.
	#[runtime::pallet_index(10)]
	pub type BridgePalisadeGrandpa = pallet_bridge_grandpa<Instance1>;
	#[runtime::pallet_index(11)]
	pub type PalisadeConsumer = pallet_palisade_consumer;
}
