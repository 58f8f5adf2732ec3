//! Records kept by the LRT pallet, and the aliases used to name them.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::traits::fungible::Inspect;
use scale_info::TypeInfo;

/// The native balance type (also the balance type of every asset).
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// One pool's LRT.
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
pub struct LrtRecord {
	/// Decimals of the LRT (those of the pool's collateral). The supply is the LRT asset's
	/// total issuance in `pallet-assets` (no copy kept here: a deposit or withdrawal writes
	/// one storage item less).
	pub decimals: u8,
}
