//! Liquid restaking tokens (LRT): what the pools pallet asks of the LRT pallet.
//!
//! Each pool has its own LRT, a `pallet-assets` asset whose supply only the LRT pallet changes,
//! and only when the pools pallet tells it to through [`LrtInterface`]. The LRT pallet knows
//! nothing about custody: the pools pallet passes in the pool's value (in collateral units)
//! and the LRT pallet converts between value and LRT at the pool's exchange rate.

use crate::PoolId;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::FixedU128;
use sp_runtime::DispatchError;

/// Identifier of a `pallet-assets` asset: a pool's collateral or its LRT.
pub type AssetId = u32;

/// An amount of LRT and the value (collateral units) it was converted at: the outcome of a mint
/// or a burn.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
)]
pub struct LrtConversion<Balance> {
	/// LRT minted or burnt.
	///
	/// A burn may burn more than asked: if the holder's remainder would be below the LRT's
	/// minimum balance, that dust is burnt (and paid for) too, never lost.
	pub lrt: Balance,
	/// The value the LRT was converted at.
	///
	/// - Mint: what the minted LRT is worth, rounded **up**; at most the value offered. The
	///   depositor pays only this, and keeps the rest (less than one LRT unit's worth).
	/// - Burn: what the burnt LRT is worth, rounded **down**, at most the pool value.
	pub value: Balance,
}

/// What the pools pallet may ask of, and do to, the LRT pallet.
///
/// Exchange rate: `rate = min((pool_value + VirtualValue) / (supply + VirtualShares),
/// pool_value / supply)` collateral units per LRT unit (the virtual offset only ever lowers the
/// rate, so after slashes the LRT holders together can never redeem more than the pool value;
/// see `pallet-lrt`). Every conversion rounds in the pool's favour: minting and redeeming round
/// down. `pool_value` is always the pool's *active* value in collateral units, as recorded by
/// the pools pallet (never an account balance).
pub trait LrtInterface<AccountId, Balance> {
	/// Create the LRT of `pool`: asset id [`Self::asset_id`], `decimals` decimals, owned by the
	/// LRT pallet. `payer` pays the asset's metadata deposit (and, the first time, the existential
	/// deposit of the LRT pallet's account). Fails if the pool already has an LRT or the asset id
	/// is taken.
	fn create(pool: PoolId, decimals: u8, payer: &AccountId) -> Result<AssetId, DispatchError>;

	/// Mint to `who` the LRT that at most `value` buys at the rate given by `pool_value_before`
	/// (the pool's active value before the deposit): `lrt = ⌊value / rate⌋` (never zero: fails
	/// instead), and the value it costs, `⌈lrt × rate⌉ ≤ value`. The caller must take exactly the
	/// returned value from the depositor and add it to the pool value.
	fn mint(
		pool: PoolId,
		who: &AccountId,
		value: Balance,
		pool_value_before: Balance,
	) -> Result<LrtConversion<Balance>, DispatchError>;

	/// Burn `lrt` of `who`'s LRT (more if the remainder would be dust, see [`LrtConversion`])
	/// and return what was burnt and its value at the rate given by `pool_value` (rounded down,
	/// at most `pool_value`). The caller must pay that value out of the pool value.
	fn burn(
		pool: PoolId,
		who: &AccountId,
		lrt: Balance,
		pool_value: Balance,
	) -> Result<LrtConversion<Balance>, DispatchError>;

	/// The value of `lrt` LRT of `pool` at the rate given by `pool_value`, rounded down, at most
	/// `pool_value`.
	fn value_of(pool: PoolId, lrt: Balance, pool_value: Balance) -> Balance;

	/// [`Self::value_of`] for a pool the caller knows has an LRT with `decimals` decimals (its
	/// books exist): the same value, without reading the LRT's own record. What a basket's
	/// valuation of every pool it holds costs per pool (issue 12).
	fn value_of_known(pool: PoolId, decimals: u8, lrt: Balance, pool_value: Balance) -> Balance {
		let _ = decimals;
		Self::value_of(pool, lrt, pool_value)
	}

	/// The LRT that `value` would mint at the rate given by `pool_value`, rounded down.
	fn lrt_for(pool: PoolId, value: Balance, pool_value: Balance) -> Balance;

	/// The recorded LRT supply of `pool` (equal to the asset's total issuance).
	fn supply(pool: PoolId) -> Balance;

	/// The LRT balance of `who` in `pool`'s LRT.
	fn balance(pool: PoolId, who: &AccountId) -> Balance;

	/// The asset id of `pool`'s LRT (a fixed offset plus the pool id).
	fn asset_id(pool: PoolId) -> AssetId;

	/// Whether `asset` lies in the id range reserved for LRTs.
	fn is_lrt_asset(asset: AssetId) -> bool;

	/// The exchange rate of `pool`: collateral units per LRT unit, including the virtual
	/// offset.
	fn rate(pool: PoolId, pool_value: Balance) -> FixedU128;

	/// What the whole LRT supply of `pool` would redeem for at the rate given by `pool_value`,
	/// rounded down and **not** capped at `pool_value`: the sum of what every holder can redeem
	/// is at most this, and the pools pallet checks it never exceeds `pool_value`. The default
	/// is [`Self::value_of`] of the supply (capped, so the check is vacuous).
	fn total_redeemable(pool: PoolId, pool_value: Balance) -> Balance {
		Self::value_of(pool, Self::supply(pool), pool_value)
	}

	/// Destroy the LRT of `pool`, whose supply must be zero (the pool is being closed), and pay
	/// the deposits its creation took back to `refund_to`. The default fails: the pool can then
	/// not be closed.
	fn destroy(pool: PoolId, refund_to: &AccountId) -> Result<(), DispatchError> {
		let _ = (pool, refund_to);
		Err(DispatchError::Other("LRT cannot be destroyed"))
	}
}
