//! Records kept by the basket pallet, and the aliases used to name them.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use frame_support::{
	pallet_prelude::BoundedVec,
	traits::{fungible::Inspect, Get},
};
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

/// The most pools one basket keeps an entry for: `2 × MaxPoolsPerBasket`, its weighted pools
/// (at most `MaxPoolsPerBasket`) and the pools it no longer deposits into but still holds LRT
/// of (retired by the curator, at most as many again).
pub struct MaxHeldPoolsOf<T>(PhantomData<T>);
impl<T: Config> Get<u32> for MaxHeldPoolsOf<T> {
	fn get() -> u32 {
		T::MaxPoolsPerBasket::get().saturating_mul(2)
	}
}

/// A basket's pools, in order: the weighted ones (in the curator's order), then the retired
/// ones (weight zero, still holding LRT).
pub type BasketPoolsOf<T> = BoundedVec<BasketPool<BalanceOf<T>>, MaxHeldPoolsOf<T>>;

/// Pools a basket retired and still holds LRT of.
pub type RetiredOf<T> = BoundedVec<PoolId, MaxHeldPoolsOf<T>>;

/// Pools and their target weights, as a curator gives them.
pub type WeightsOf<T> = BoundedVec<(PoolId, Perbill), <T as Config>::MaxPoolsPerBasket>;

/// Per pool: an amount of its LRT (paid to a redeemer, or still owed to it), in the basket's
/// pool order.
pub type PoolLrtOf<T> = BoundedVec<(PoolId, BalanceOf<T>), MaxHeldPoolsOf<T>>;

/// Whether a basket takes deposits.
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
pub enum BasketState {
	/// Deposits, redemptions and weight changes.
	#[default]
	Open,
	/// Its curator closed it: redemptions (and their claims) only. Once no token and no
	/// pending redemption is left, it is removed ([`crate::Pallet::remove_basket`]) and its
	/// deposit released.
	Closing,
}

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
	/// The basket token's asset id. Its total issuance is the basket's supply: only this
	/// pallet mints and burns it.
	pub asset_id: AssetId,
	/// Open, or closing (redemptions only).
	pub state: BasketState,
	/// How many [`crate::PendingRedemptions`] entries the basket has (redemptions not paid in
	/// full yet). The basket is not removed while any is left.
	pub pending: u32,
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
	/// Its target weight: the share of each later deposit it receives (shared among the open
	/// weighted pools while one is closed). Zero for a pool the curator retired: the basket
	/// keeps its LRT (redeemed pro rata) but deposits no more into it.
	pub weight: Perbill,
	/// The pool LRT the basket holds for its holders (recorded; the basket account's balance
	/// is at least this plus what pending redemptions are owed of it, donations are not
	/// counted). Zero or at least the LRT's minimum balance.
	pub lrt: Balance,
}
