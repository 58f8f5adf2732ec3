//! `pallet-assets`: the fungible assets of Palisade.
//!
//! Each restaking pool mints its own liquid restaking token (LRT) here, and curators may
//! accept any asset as non-native collateral. Assets show up and transfer in Polkadot.js
//! Apps' Assets page like on any Substrate chain.

use frame_support::{
	parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32},
};
use frame_system::EnsureSigned;

use super::governance::GovernanceOrigin;
use crate::{
	currency::{deposit, CENTS, UNITS},
	AccountId, AssetId, Balance, Balances, Runtime, RuntimeEvent,
};

parameter_types! {
	/// Deposit to create an asset class.
	pub const AssetDeposit: Balance = 10 * UNITS;
	/// Deposit for a non-sufficient asset account.
	pub const AssetAccountDeposit: Balance = deposit(1, 16);
	/// Deposit for an asset's metadata (base).
	pub const MetadataDepositBase: Balance = deposit(1, 68);
	/// Deposit for an asset's metadata (per byte).
	pub const MetadataDepositPerByte: Balance = deposit(0, 1);
	/// Deposit for an approval.
	pub const ApprovalDeposit: Balance = CENTS;
}

impl pallet_assets::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = AssetId;
	type AssetIdParameter = codec::Compact<AssetId>;
	type ReserveData = ();
	type Currency = Balances;
	/// Anyone may create an asset (paying the deposit).
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	/// Governance may force-create, freeze and fix any asset.
	type ForceOrigin = GovernanceOrigin;
	type AssetDeposit = AssetDeposit;
	type AssetAccountDeposit = AssetAccountDeposit;
	type MetadataDepositBase = MetadataDepositBase;
	type MetadataDepositPerByte = MetadataDepositPerByte;
	type ApprovalDeposit = ApprovalDeposit;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	type WeightInfo = pallet_assets::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}
