//! Records kept by the basket pallet, and the aliases used to name them.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::BoundedVec, traits::fungible::Inspect};
use palisade_primitives::{AssetId, PoolId};
use scale_info::TypeInfo;
use sp_runtime::Perbill;

/// A basket's id.
pub type BasketId = u32;

/// The native balance type (also the balance type of every asset).
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A basket, as stored.
pub type BasketRecordOf<T> = BasketRecord<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// A basket's pools, in order.
pub type BasketPoolsOf<T> = BoundedVec<BasketPool<BalanceOf<T>>, <T as Config>::MaxPoolsPerBasket>;

/// Pools and their target weights, as a curator gives them.
pub type WeightsOf<T> = BoundedVec<(PoolId, Perbill), <T as Config>::MaxPoolsPerBasket>;

/// Per pool: (pool, PAL deposited, pool LRT minted).
pub type PartsOf<T> =
	BoundedVec<(PoolId, BalanceOf<T>, BalanceOf<T>), <T as Config>::MaxPoolsPerBasket>;

/// Per pool: (pool, pool LRT paid).
pub type PaidOf<T> = BoundedVec<(PoolId, BalanceOf<T>), <T as Config>::MaxPoolsPerBasket>;

/// One basket.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct BasketRecord<AccountId, Balance> {
	/// Who sets the target weights; paid the deposits.
	pub curator: AccountId,
	/// The keyless account holding the basket's pool LRT.
	pub account: AccountId,
	/// The creation deposit held on the curator.
	pub deposit: Balance,
	/// The basket token's asset id.
	pub asset_id: AssetId,
	/// Basket tokens issued (equal to the token's total issuance: only this pallet mints and
	/// burns it).
	pub supply: Balance,
}

/// One pool of a basket.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Default,
)]
pub struct BasketPool<Balance> {
	/// The pool.
	pub pool: PoolId,
	/// Its target weight: the share of each later deposit it receives.
	pub weight: Perbill,
	/// The pool LRT the basket holds (recorded; the basket account's balance is at least
	/// this, donations are not counted).
	pub lrt: Balance,
}
