//! # Basket pallet
//!
//! **Basket LRTs**: one token over several native restaking pools, with target weights a
//! curator sets ("meta" restaking, as InceptionLRT's).
//!
//! ## Model
//!
//! - A **curator** creates a basket over 2 to [`Config::MaxPoolsPerBasket`] open native
//!   restaking pools with target weights (`Perbill`, non-zero, summing to exactly 100%). It
//!   costs [`Config::BasketDeposit`] (held under [`HoldReason::BasketDeposit`] for as long as
//!   the basket exists), the metadata deposit of the basket token and the native existential
//!   deposit of the basket's account. Only the curator changes the weights
//!   ([`Pallet::set_weights`]); they apply to later deposits, nothing already held is moved.
//! - The basket token is a `pallet-assets` asset, id [`Config::BasketAssetIdOffset`]` + basket`,
//!   owned, issued and administered by this pallet's account ([`Config::PalletId`]), named
//!   `Palisade basket #<id>` with symbol `bLRT<id>` and the native decimals: it shows and
//!   transfers in Polkadot.js Apps like the pools' LRTs. It is sufficient, with the minimum
//!   balance [`Config::MinTokenBalance`]. The runtime must keep users from creating, minting,
//!   burning, freezing or destroying assets in that id range (Palisade's call filter refuses
//!   every call but a holder's own on ids from the LRT offset on, which covers baskets).
//! - Each basket has its own keyless account (this pallet's sub-account for the basket id),
//!   which holds the pool LRT the basket owns. What it owns is **recorded** in
//!   [`BasketPools`]; anything else sent to the account (PAL, LRT) is ignored, so donations
//!   change neither the basket's value nor anyone's share.
//!
//! ## Deposit and redemption
//!
//! ```text
//! deposit(amount):  part_i = ⌊w_i × amount⌋ (the last pool takes the remainder)
//!                   each part is deposited into pool i as the basket's account (the pool's
//!                   own deposit: same checks and rate); the pool takes cost_i ≤ part_i,
//!                   the rest goes back to the depositor.
//!                   V   = Σ (⌊held_i × rate_i⌋ + 1)      basket value before, rounded up
//!                                                      (a worthless holding counts 0)
//!                   d   = Σ ⌊minted_i × rate_i⌋          value brought in, rounded down
//!                   tokens = d                           if the supply S is zero (1:1)
//!                          = ⌊d × S / V⌋                 otherwise
//! redeem(tokens):   burns them; the holder gets ⌊held_i × tokens / S⌋ of every pool LRT the
//!                   basket holds, in kind, at once (all of it for the last tokens).
//! ```
//!
//! Every rounding favours the basket: the depositor pays at least what its pool LRT is worth
//! (`cost_i ≥ d_i`), the basket's value is rounded up and the tokens down, and a redemption is
//! rounded down per pool. A redemption of part of the supply also leaves the basket at least
//! the pool LRT's minimum balance (or nothing), and a holder without an account of some pool's
//! LRT is not paid a share below that LRT's minimum balance (it stays with the basket, owned
//! by the remaining holders): at most one minimum balance (10⁻⁶ PAL on Palisade) per pool.
//!
//! A redemption needs no queue: the holder receives pool LRT, which it may withdraw from each
//! pool (through the pool's own queue) or sell.
//!
//! **The first deposit and inflation.** The value of a basket is computed from recorded
//! holdings and the pools' books only, never from balances, so the classic inflation attack
//! (deposit one unit, donate to the vault, the next depositor's shares round to zero) has
//! nothing to donate to: a donation of PAL or LRT to the basket's account changes nothing.
//! The rate can only move with the pools' own rates, which move for every holder of those
//! pools at once (rewards, slashes). Every deposit is at least [`Config::MinDeposit`], so
//! the supply never consists of a few base units, and the plain pro-rata rate `V / S` is
//! used both ways (a virtual offset as `pallet-lrt`'s is not needed: it protects a vault whose
//! value anyone can raise; here redemptions are in kind and pro rata, so the offset would only
//! leave LRT owned by nobody in the basket).
//!
//! ## Risk
//!
//! A basket is exposed to the slashes of every pool it holds: a slash of one pool lowers that
//! pool's rate, and the basket's value falls by exactly `held × rate drop` of that pool.
//!
//! ## Example
//!
//! ```ignore
//! // Pools 0 and 1 are open native pools. The curator makes a 60/40 basket.
//! Basket::create_basket(curator, vec![(0, Perbill::from_percent(60)), (1, Perbill::from_percent(40))].try_into()?)?;
//! // Alice deposits 100 PAL: 60 go to pool 0 and 40 to pool 1; she gets 100 basket tokens.
//! Basket::deposit(alice, 0, 100 * UNITS)?;
//! // She redeems half: she receives half of the basket's pLRT0 and pLRT1.
//! Basket::redeem(alice, 0, 50 * UNITS)?;
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod benchmarking;
mod impls;
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod invariants;
mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::basket";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, fungibles},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use palisade_primitives::{AssetId, PoolDeposits, PoolId};

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A basket's creation deposit, held on its curator.
		#[codec(index = 0)]
		BasketDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The overarching hold reason.
		type RuntimeHoldReason: From<HoldReason>;

		/// The native currency: what depositors pay, the deposits.
		type Currency: fungible::Inspect<Self::AccountId>
			+ fungible::Mutate<Self::AccountId>
			+ fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The assets pallet holding the basket tokens and the pools' LRTs. Its balance type is
		/// the native one.
		type Assets: fungibles::Inspect<Self::AccountId, AssetId = AssetId, Balance = BalanceOf<Self>>
			+ fungibles::Mutate<Self::AccountId>
			+ fungibles::Create<Self::AccountId>
			+ fungibles::metadata::Mutate<Self::AccountId>
			+ fungibles::metadata::MetadataDeposit<BalanceOf<Self>>
			+ fungibles::roles::Inspect<Self::AccountId>;

		/// The restaking pools (deposits as the basket's account, LRT values).
		type Pools: PoolDeposits<Self::AccountId, BalanceOf<Self>>;

		/// This pallet's id: its account owns every basket token; each basket's account is a
		/// sub-account of it.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The token of basket `b` is asset `BasketAssetIdOffset + b`. The runtime must keep
		/// users from creating (or touching) assets from this id on.
		#[pallet::constant]
		type BasketAssetIdOffset: Get<AssetId>;

		/// Native deposit held from a basket's curator while the basket exists.
		#[pallet::constant]
		type BasketDeposit: Get<BalanceOf<Self>>;

		/// Smallest deposit into a basket (native). Each pool's part must also reach that
		/// pool's own minimum deposit.
		#[pallet::constant]
		type MinDeposit: Get<BalanceOf<Self>>;

		/// Minimum balance of every basket token (they are sufficient: a fresh account may
		/// hold them without PAL). Not zero.
		#[pallet::constant]
		type MinTokenBalance: Get<BalanceOf<Self>>;

		/// Decimals of the native token (given to the basket tokens).
		#[pallet::constant]
		type NativeDecimals: Get<u8>;

		/// Most pools in one basket (at least 2).
		#[pallet::constant]
		type MaxPoolsPerBasket: Get<u32>;

		/// Weight information for this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The id the next basket gets.
	#[pallet::storage]
	pub type NextBasketId<T: Config> = StorageValue<_, BasketId, ValueQuery>;

	/// The baskets: curator, account, token, supply.
	#[pallet::storage]
	pub type Baskets<T: Config> =
		StorageMap<_, Twox64Concat, BasketId, BasketRecordOf<T>, OptionQuery>;

	/// Each basket's pools, in order: target weight and the pool LRT the basket holds.
	#[pallet::storage]
	pub type BasketPools<T: Config> =
		StorageMap<_, Twox64Concat, BasketId, BasketPoolsOf<T>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A basket was created.
		BasketCreated {
			/// The basket.
			basket: BasketId,
			/// Its curator (who paid the deposits).
			curator: T::AccountId,
			/// The basket token's asset id in `pallet-assets`.
			asset_id: AssetId,
			/// The basket's account, holding its pool LRT.
			account: T::AccountId,
			/// The pools and their target weights.
			weights: WeightsOf<T>,
			/// The creation deposit held on the curator.
			deposit: BalanceOf<T>,
		},
		/// A basket's curator changed its target weights (for later deposits).
		WeightsSet {
			/// The basket.
			basket: BasketId,
			/// The pools and their new target weights.
			weights: WeightsOf<T>,
		},
		/// PAL was deposited into a basket's pools and basket tokens were minted.
		Deposited {
			/// The depositor.
			who: T::AccountId,
			/// The basket.
			basket: BasketId,
			/// PAL the pools took from the depositor (the rest of what it offered stayed with
			/// it).
			amount: BalanceOf<T>,
			/// Basket tokens minted to the depositor.
			tokens: BalanceOf<T>,
			/// The basket's value before the deposit (PAL, rounded up).
			value_before: BalanceOf<T>,
			/// The basket token supply before the deposit.
			supply_before: BalanceOf<T>,
			/// Per pool: (pool, PAL deposited, pool LRT minted to the basket).
			parts: PartsOf<T>,
		},
		/// Basket tokens were redeemed for the pool LRT they stood for.
		Redeemed {
			/// The holder.
			who: T::AccountId,
			/// The basket.
			basket: BasketId,
			/// Basket tokens burnt (a remainder below the minimum balance is burnt too).
			tokens: BalanceOf<T>,
			/// Per pool: (pool, pool LRT transferred to the holder).
			paid: PaidOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No basket with this id.
		UnknownBasket,
		/// Only the basket's curator may do this.
		NotCurator,
		/// A basket needs at least two pools.
		TooFewPools,
		/// A pool appears twice.
		DuplicatePool,
		/// A target weight is zero.
		ZeroWeight,
		/// The target weights do not sum to exactly 100%.
		WeightsNotWhole,
		/// A pool does not exist, is not open or does not take native PAL.
		PoolNotEligible,
		/// The new weights must name the basket's pools, in the same order.
		PoolsMismatch,
		/// The basket token's asset id overflows.
		AssetIdOverflow,
		/// An asset with the basket token's id already exists.
		AssetIdTaken,
		/// The deposit is below the basket's minimum.
		BelowMinDeposit,
		/// The deposit is too small to mint a single basket token unit.
		NothingMinted,
		/// Every pool LRT the basket holds is worthless while tokens remain: deposits would
		/// mint at an absurd rate.
		BasketWipedOut,
		/// Zero tokens.
		ZeroAmount,
		/// The holder has fewer basket tokens than it wants to redeem.
		InsufficientTokens,
		/// An amount overflowed.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxPoolsPerBasket::get() >= 2, "MaxPoolsPerBasket must be at least 2");
			assert!(!T::MinTokenBalance::get().is_zero(), "MinTokenBalance must not be zero");
			assert!(!T::MinDeposit::get().is_zero(), "MinDeposit must not be zero");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a basket over `weights`' pools (2 to `MaxPoolsPerBasket` open native pools,
		/// each once) with their target weights (non-zero, summing to exactly 100%). The
		/// caller becomes its curator and pays the creation deposit (held), the basket token's
		/// metadata deposit and the basket account's existential deposit.
		///
		/// Emits `BasketCreated`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_basket(weights.len() as u32))]
		pub fn create_basket(origin: OriginFor<T>, weights: WeightsOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_create_basket(&who, weights)?;
			Ok(())
		}

		/// Set the target weights of `basket` (curator only): the same pools in the same
		/// order, non-zero weights summing to exactly 100%. Applies to later deposits; what the
		/// basket holds is not moved.
		///
		/// Emits `WeightsSet`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_weights(weights.len() as u32))]
		pub fn set_weights(
			origin: OriginFor<T>,
			basket: BasketId,
			weights: WeightsOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_weights(&who, basket, weights)
		}

		/// Deposit `amount` PAL into `basket`: it is spread over the basket's pools by target
		/// weight (the last pool takes the rounding remainder) and deposited into each as the
		/// basket's account; the caller gets basket tokens for the value brought in, at the
		/// basket's rate (1:1 for the first deposit). What the pools do not take (rounding,
		/// less than a pool LRT unit's worth per pool) stays with the caller.
		///
		/// Emits `Deposited` (and each pool's `Deposited`).
		#[pallet::call_index(2)]
		#[pallet::weight(Pallet::<T>::deposit_weight(T::MaxPoolsPerBasket::get()))]
		pub fn deposit(
			origin: OriginFor<T>,
			basket: BasketId,
			amount: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (_, pools) = Self::do_deposit(&who, basket, amount)?;
			Ok(Some(Self::deposit_weight(pools)).into())
		}

		/// Redeem `tokens` of `basket`: they are burnt and the caller receives its pro-rata
		/// share (rounded down) of every pool LRT the basket holds, at once. It may then
		/// withdraw from each pool or sell the LRT.
		///
		/// Emits `Redeemed`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::redeem(T::MaxPoolsPerBasket::get()))]
		pub fn redeem(
			origin: OriginFor<T>,
			basket: BasketId,
			tokens: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let pools = Self::do_redeem(&who, basket, tokens)?;
			Ok(Some(T::WeightInfo::redeem(pools)).into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The weight of a deposit into a basket of `pools` pools: this pallet's part
		/// (benchmarked) plus one pool deposit per pool.
		pub fn deposit_weight(pools: u32) -> Weight {
			T::WeightInfo::deposit(pools)
				.saturating_add(T::Pools::deposit_as_weight().saturating_mul(pools.into()))
		}

		/// The pools of `basket`, for queries.
		pub fn pools_of(basket: BasketId) -> alloc::vec::Vec<PoolId> {
			BasketPools::<T>::get(basket).iter().map(|entry| entry.pool).collect()
		}
	}
}
