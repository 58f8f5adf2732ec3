//! # Palisade runtime
//!
//! A standalone NPoS chain that sells pooled, restaked security to consumer chains.
//!
//! Block production is Aura + GRANDPA; the authorities are elected every era by
//! `pallet-staking` (on-chain sequential Phragmén) and rotated by `pallet-session`.
//! Governance is a council (`pallet-collective` + `pallet-membership`); the single
//! [`GovernanceOrigin`] (root or at least 2/3 of the council) is what every Palisade
//! pallet uses for privileged calls. LRT tokens and non-native collateral are
//! `pallet-assets` assets.
//!
//! Configuration lives in [`configs`], one file per concern; runtime APIs in [`apis`] (the
//! restaking views in [`restaking_api`]); genesis presets (`development`, `local_testnet`,
//! `staging`) in [`genesis_config_presets`], with the demo world of the development chains
//! built by the genesis-only pallet [`demo_genesis`].

#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` / `impl_runtime_apis` expand to large types.
#![recursion_limit = "512"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod demo_genesis;
pub mod genesis_config_presets;
pub mod restaking_api;
pub mod weights;

#[cfg(test)]
mod tests;

use alloc::vec::Vec;
use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::{runtime_version, RuntimeVersion};

pub use configs::governance::GovernanceOrigin;
pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(any(feature = "std", test))]
pub use sp_runtime::BuildStorage;

/// An index to a block.
pub type BlockNumber = u32;

/// Alias to 512-bit hash when used in the context of a transaction signature on the chain.
pub type Signature = MultiSignature;

/// Some way of identifying an account on the chain. Equivalent to the public key of the
/// transaction signing scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Balance of an account, in Planck (10^-12 PAL).
pub type Balance = u128;

/// Index of a transaction in the chain.
pub type Nonce = u32;

/// A hash of some data used by the chain.
pub type Hash = sp_core::H256;

/// Identifier of a `pallet-assets` asset (LRT tokens and non-native collateral).
pub type AssetId = u32;

/// Money: PAL has 12 decimals.
pub mod currency {
	use super::Balance;

	/// Number of decimals of PAL, as shown by wallets (chain property `tokenDecimals`).
	pub const DECIMALS: u8 = 12;
	/// The token symbol (chain property `tokenSymbol`).
	pub const SYMBOL: &str = "PAL";
	/// The SS58 address format (chain property `ss58Format`): the generic Substrate prefix.
	pub const SS58_FORMAT: u16 = 42;

	/// One PAL.
	pub const UNITS: Balance = 1_000_000_000_000;
	/// 0.01 PAL.
	pub const CENTS: Balance = UNITS / 100;
	/// 0.001 PAL.
	pub const MILLI: Balance = UNITS / 1_000;
	/// 10^-6 PAL.
	pub const MICRO: Balance = UNITS / 1_000_000;

	/// The existential deposit: 0.01 PAL. Small enough to never bother a user, large
	/// enough that dust accounts cost an attacker real money.
	pub const EXISTENTIAL_DEPOSIT: Balance = CENTS;

	/// A deposit for `items` storage items taking `bytes` bytes.
	pub const fn deposit(items: u32, bytes: u32) -> Balance {
		items as Balance * 20 * CENTS + (bytes as Balance) * 10 * MILLI
	}
}

/// Time. Palisade targets 3-second blocks on every chain.
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

	/// Length of a session (validator key rotation) in blocks: 10 minutes.
	pub const SESSION_PERIOD: BlockNumber = 10 * MINUTES;
	/// Sessions per staking era: an era (validator election) is one hour.
	pub const SESSIONS_PER_ERA: u32 = 6;
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
	/// The session keys of a validator: one Aura key (block authoring) and one GRANDPA key
	/// (finality). Zombienet and `author_rotateKeys` use these names.
	pub struct SessionKeys {
		/// Aura (block production) key, sr25519.
		pub aura: Aura,
		/// GRANDPA (finality) key, ed25519.
		pub grandpa: Grandpa,
	}
}

/// The runtime version.
#[runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("palisade"),
	impl_name: alloc::borrow::Cow::Borrowed("palisade"),
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

// The pallets, in genesis-build and hook order. Staking must come before Session (session's
// genesis asks staking for the first validator set) and Aura/Grandpa take their authorities
// from Session.
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
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type TransactionPayment = pallet_transaction_payment;

	// Consensus and native NPoS staking.
	#[runtime::pallet_index(10)]
	pub type Authorship = pallet_authorship;
	#[runtime::pallet_index(11)]
	pub type Staking = pallet_staking;
	#[runtime::pallet_index(12)]
	pub type Offences = pallet_offences;
	#[runtime::pallet_index(13)]
	pub type Historical = pallet_session::historical;
	#[runtime::pallet_index(14)]
	pub type Session = pallet_session;
	#[runtime::pallet_index(15)]
	pub type Aura = pallet_aura;
	#[runtime::pallet_index(16)]
	pub type Grandpa = pallet_grandpa;

	// Governance.
	#[runtime::pallet_index(20)]
	pub type Council = pallet_collective<Instance1>;
	#[runtime::pallet_index(21)]
	pub type CouncilMembership = pallet_membership<Instance1>;
	#[runtime::pallet_index(22)]
	pub type Treasury = pallet_treasury;

	// Assets and utilities.
	#[runtime::pallet_index(30)]
	pub type Assets = pallet_assets;
	#[runtime::pallet_index(31)]
	pub type Utility = pallet_utility;
	// Markets: PAL/LRT (or PAL/asset) pools, and their LP tokens in a second assets instance.
	#[runtime::pallet_index(32)]
	pub type PoolAssets = pallet_assets<Instance2>;
	#[runtime::pallet_index(33)]
	pub type AssetConversion = pallet_asset_conversion;

	// Restaking.
	#[runtime::pallet_index(50)]
	pub type Operators = pallet_operators;
	#[runtime::pallet_index(51)]
	pub type Lrt = pallet_lrt;
	#[runtime::pallet_index(52)]
	pub type RestakingPools = pallet_restaking_pools;
	#[runtime::pallet_index(53)]
	pub type Consumers = pallet_consumers;
	#[runtime::pallet_index(54)]
	pub type ServiceSlashing = pallet_service_slashing;
	#[runtime::pallet_index(55)]
	pub type Basket = pallet_basket;

	// Dev chains only: a sudo key (empty on `staging`).
	#[runtime::pallet_index(40)]
	pub type Sudo = pallet_sudo;

	// Genesis only, and last so every other pallet's genesis is built before it: the demo
	// world of the development presets (empty on `staging`). No storage, calls or hooks.
	#[runtime::pallet_index(60)]
	pub type DemoGenesis = crate::demo_genesis;
}
