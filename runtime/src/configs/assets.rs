//! `pallet-assets`: the fungible assets of Palisade.
//!
//! Each restaking pool mints its own liquid restaking token (LRT) here, and curators may
//! accept any asset as non-native collateral. Assets show up and transfer in Polkadot.js
//! Apps' Assets page like on any Substrate chain.

use frame_support::{
	parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32, Contains},
};
use frame_system::EnsureSigned;

use super::governance::GovernanceOrigin;
use crate::{
	currency::{deposit, CENTS, UNITS},
	AccountId, AssetId, Balance, Balances, Runtime, RuntimeCall, RuntimeEvent,
};

use super::restaking::LRT_ASSET_ID_OFFSET;

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

/// The runtime's call filter (`frame_system::Config::BaseCallFilter`).
///
/// LRT assets (ids from [`LRT_ASSET_ID_OFFSET`]) are owned by `pallet-lrt`, whose supply must
/// always equal the pools' recorded shares. Holders transfer and approve them like any asset,
/// but nobody may `create`/`force_create` an asset in that id range (it is reserved for
/// pools), nor `touch`/`refund` LRT accounts (a deposit-backed LRT account could later be
/// refunded with `allow_burn`, burning LRT behind the pools' back). Governance's `force_*`
/// calls do not reach LRT ids either: `force_transfer` would move restakers' LRT without their
/// signature, `force_asset_status` could change the owner, `min_balance` or sufficiency that
/// `pallet-lrt` relies on, and `force_set_metadata`/`force_clear_metadata` could rename a pool's
/// token in wallets. (`force_cancel_approval` only returns an approval deposit and stays
/// allowed.) Everything else passes.
pub struct PalisadeCallFilter;
impl Contains<RuntimeCall> for PalisadeCallFilter {
	fn contains(call: &RuntimeCall) -> bool {
		use pallet_assets::Call as A;
		let lrt = |id: &codec::Compact<AssetId>| id.0 >= LRT_ASSET_ID_OFFSET;
		match call {
			RuntimeCall::Assets(
				A::create { id, .. }
				| A::force_create { id, .. }
				| A::touch { id }
				| A::touch_other { id, .. }
				| A::refund { id, .. }
				| A::refund_other { id, .. }
				| A::force_transfer { id, .. }
				| A::force_asset_status { id, .. }
				| A::force_set_metadata { id, .. }
				| A::force_clear_metadata { id, .. },
			) => !lrt(id),
			_ => true,
		}
	}
}
