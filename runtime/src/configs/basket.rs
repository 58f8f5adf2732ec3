//! `pallet-basket`: basket LRTs, one token over several native restaking pools.
//!
//! Basket tokens are `pallet-assets` assets from [`BASKET_ASSET_ID_OFFSET`] on, above the
//! pools' LRT range: the call filter ([`super::assets::PalisadeCallFilter`]) refuses every call
//! but a holder's own on ids from `LRT_ASSET_ID_OFFSET` on, which covers them, so nobody (not
//! governance either) can create, mint, burn, freeze, force-transfer or destroy a basket token.

use frame_support::{
	parameter_types,
	traits::{ConstU32, ConstU8},
	PalletId,
};
use sp_runtime::Perbill;

use super::restaking::LRT_ASSET_ID_OFFSET;
use crate::{
	currency::{DECIMALS, MICRO, UNITS},
	AssetId, Assets, Balance, Balances, RestakingPools, Runtime, RuntimeEvent, RuntimeHoldReason,
};

/// Basket token ids start here (`BASKET_ASSET_ID_OFFSET + basket_id`).
pub const BASKET_ASSET_ID_OFFSET: AssetId = 2_000_000_000;
// The filter protects ids from the LRT offset on: basket ids must be in that range.
const _: () = assert!(BASKET_ASSET_ID_OFFSET > LRT_ASSET_ID_OFFSET);

/// Most pools in one basket: 5 weighted (10 held with retired ones). A deposit values every
/// pool held (about 59 µs each in the release weights) on top of its pool deposit; at 10 held it
/// costs about 5.7× a `transfer_keep_alive` in a block, within the 6× every user call keeps to
/// (8 weighted, 16 held, cost 7.0×).
pub const MAX_POOLS_PER_BASKET: u32 = 5;

/// Most pools a redemption pays at once, and each `claim_redemption` after it: two asset
/// transfers keep either call within 6 balance transfers' weight (issue 12). A basket over more
/// pools pays the rest through claims.
pub const POOLS_PAID_PER_CALL: u32 = 2;

parameter_types! {
	/// The basket pallet's id: its account owns every basket token, each basket's account is
	/// a sub-account.
	pub const BasketPalletId: PalletId = PalletId(*b"pal/bskt");
	/// Held from a curator per basket (as a pool's creation deposit).
	pub const BasketDeposit: Balance = 100 * UNITS;
	/// Smallest basket deposit: 10 PAL (it must also reach the pool's minimum deposit, 1 PAL),
	/// and the least a deposit may always take, whatever the cap.
	pub const MinBasketDeposit: Balance = 10 * UNITS;
	/// One deposit (which goes to one pool) lifts its pool to at most its target weight plus
	/// 20 percentage points of the basket: a deposit-and-redeem cannot turn a basket into one
	/// pool; larger amounts take several deposits.
	pub const BasketDepositOvershoot: Perbill = Perbill::from_percent(20);
	/// Basket tokens are sufficient; an account holds at least 10^-6 of one (as LRT).
	pub const MinBasketTokenBalance: Balance = MICRO;
	/// First basket token id.
	pub const BasketAssetIdOffset: AssetId = BASKET_ASSET_ID_OFFSET;
}

impl pallet_basket::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Assets = Assets;
	type Pools = RestakingPools;
	type PalletId = BasketPalletId;
	type BasketAssetIdOffset = BasketAssetIdOffset;
	type BasketDeposit = BasketDeposit;
	type MinDeposit = MinBasketDeposit;
	type DepositOvershoot = BasketDepositOvershoot;
	type MinTokenBalance = MinBasketTokenBalance;
	type NativeDecimals = ConstU8<DECIMALS>;
	type MaxPoolsPerBasket = ConstU32<MAX_POOLS_PER_BASKET>;
	type PoolsPaidPerCall = ConstU32<POOLS_PAID_PER_CALL>;
	type WeightInfo = pallet_basket::weights::SubstrateWeight<Runtime>;
}
