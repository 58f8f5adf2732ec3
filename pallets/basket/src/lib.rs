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
//! - The curator may **replace or drop pools** with [`Pallet::set_weights`]: a pool left out
//!   that the basket holds LRT of is *retired* (weight zero): no more deposits go to it, but
//!   its LRT stays in the basket, is valued with the rest and is paid out pro rata by every
//!   redemption. A retired pool may be weighted again; a basket keeps at most
//!   `2 × MaxPoolsPerBasket` pools, weighted and retired ([`MaxHeldPoolsOf`]). A
//!   weighted pool that is **closed** (or gone) is skipped by deposits, which spread over the
//!   weighted pools still open in proportion to their weights; it takes deposits again when it
//!   reopens.
//! - The curator may **close** a basket ([`Pallet::close_basket`]): it takes no more deposits
//!   nor weight changes, holders keep redeeming as before (nobody is forced out, nothing is
//!   locked), and once the last token is redeemed (at once if there is none) the basket is
//!   removed: the creation deposit is released, its token destroyed (if no more than
//!   [`MAX_DESTROY_ITEMS`] approvals of it are left; otherwise it stays, empty and unmintable:
//!   no basket mints it and its id is never reused), and the metadata deposit and whatever PAL
//!   the basket's account can spare go back to the curator.
//! - The basket token is a `pallet-assets` asset, id [`Config::BasketAssetIdOffset`]` + basket`,
//!   owned, issued and administered by this pallet's account ([`Config::PalletId`]), named
//!   `Palisade basket #<id>` with symbol `bLRT<id>` and the native decimals: it shows and
//!   transfers in Polkadot.js Apps like the pools' LRTs. It is sufficient, with the minimum
//!   balance [`Config::MinTokenBalance`]. The runtime must keep users from creating, minting,
//!   burning, freezing or destroying assets in that id range (Palisade's call filter refuses
//!   every call but a holder's own on ids from the LRT offset on, which covers baskets).
//! - Each basket has its own keyless account (this pallet's sub-account for `basket + 1`),
//!   which holds the pool LRT the basket owns. What it owns is **recorded** in
//!   [`BasketPools`]; anything else sent to the account (PAL, LRT) is ignored, so donations
//!   change neither the basket's value nor anyone's share.
//!
//! ## Deposit and redemption
//!
//! ```text
//! deposit(amount):  over the weighted pools that are open (W = Σ their weights):
//!                   part_i = ⌊amount × w_i / W⌋ (the last of them takes the remainder)
//!                   each part is deposited into pool i as the basket's account (the pool's
//!                   own deposit: same checks and rate, its outside rewards claimed first);
//!                   the pool takes cost_i ≤ part_i, the rest goes back to the depositor.
//!                   Every other pool the basket holds LRT of has its outside rewards
//!                   claimed too, so that every rate below includes what was earned before.
//!                   V   = Σ (⌊held_i × rate_i⌋ + 1)      basket value before, rounded up
//!                                                      (every pool held, retired or
//!                                                      closed ones too; a worthless
//!                                                      holding counts 0)
//!                   d   = Σ ⌊minted_i × rate_i⌋          value brought in, rounded down
//!                   tokens = d                           if the supply S is zero (1:1)
//!                          = ⌊d × S / V⌋                 otherwise
//! redeem(tokens):   burns them; the holder gets ⌊held_i × tokens / S⌋ of every pool LRT the
//!                   basket holds (retired and closed pools' too), in kind, at once (all of
//!                   it for the last tokens).
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
//! pool's rate, and the basket's value falls by exactly `held × rate drop` of that pool. A
//! retired or closed pool's LRT stays in the basket, exposed to that pool's slashes (and
//! rewards) like any holding, until redeemed. A weight change brings a new pool's risk to
//! every holder through later deposits: a holder who disagrees redeems in kind at once.
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
//! // Pool 0 closes. Deposits now all go to pool 1; the curator replaces pool 0 by pool 2. The
//! // basket keeps its pLRT0 (retired), which redemptions keep paying pro rata.
//! Basket::set_weights(curator, 0, vec![(2, Perbill::from_percent(60)), (1, Perbill::from_percent(40))].try_into()?)?;
//! // The curator closes the basket: no more deposits; when Alice redeems her last 50 tokens
//! // the basket is removed and the curator's deposit released.
//! Basket::close_basket(curator, 0)?;
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

/// Most accounts and approvals of a basket token that closing its basket removes: with more
/// approvals left (their owners may cancel them) the token is not destroyed but stays, empty
/// and unmintable (as the pools' LRTs do).
pub const MAX_DESTROY_ITEMS: u32 = 16;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, fungibles},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use palisade_primitives::{AssetId, PoolDeposits, PoolId, PoolRewardsSource};

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
			+ fungibles::Destroy<Self::AccountId>
			+ fungibles::metadata::Mutate<Self::AccountId>
			+ fungibles::metadata::MetadataDeposit<BalanceOf<Self>>
			+ fungibles::roles::Inspect<Self::AccountId>;

		/// The restaking pools (deposits as the basket's account, LRT values).
		type Pools: PoolDeposits<Self::AccountId, BalanceOf<Self>>;

		/// Where the pools' outside rewards wait to be claimed (the same source as the pools
		/// pallet's). A deposit claims them for every pool the basket holds LRT of but does not
		/// deposit into (retired or closed pools; the pools' own deposit claims the others), so
		/// that the basket's value includes every reward earned before the newcomer came.
		type Rewards: PoolRewardsSource;

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

		/// Most weighted pools in one basket (at least 2). A basket keeps at most twice as many
		/// pools in all, weighted and retired (still holding their LRT): [`MaxHeldPoolsOf`].
		#[pallet::constant]
		type MaxPoolsPerBasket: Get<u32>;

		/// Weight information for this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The id the next basket gets.
	#[pallet::storage]
	pub type NextBasketId<T: Config> = StorageValue<_, BasketId, ValueQuery>;

	/// The baskets: curator, account, token, supply, state. Removed when a closing basket's
	/// last token is redeemed.
	#[pallet::storage]
	pub type Baskets<T: Config> =
		StorageMap<_, Twox64Concat, BasketId, BasketRecordOf<T>, OptionQuery>;

	/// Each basket's pools: target weight and the pool LRT the basket holds; the weighted pools
	/// in the curator's order, then the retired ones (weight zero, holding LRT). At most
	/// [`MaxHeldPoolsOf`] entries. Removed with the basket.
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
			/// The pools no longer weighted whose LRT the basket keeps (redeemed pro rata).
			retired: RetiredOf<T>,
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
			/// Per pool deposited into (the open weighted ones): (pool, PAL deposited, pool LRT
			/// minted to the basket).
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
			/// Per pool held: (pool, pool LRT transferred to the holder).
			paid: PaidOf<T>,
		},
		/// A basket's curator closed it: no more deposits or weight changes; holders keep
		/// redeeming. The basket is removed (`BasketClosed`) when its last token is redeemed.
		BasketClosing {
			/// The basket.
			basket: BasketId,
			/// Basket tokens still to be redeemed (zero: `BasketClosed` follows at once).
			supply: BalanceOf<T>,
		},
		/// A closing basket's last token was redeemed (or it had none): it is removed and its
		/// creation deposit released.
		BasketClosed {
			/// The basket.
			basket: BasketId,
			/// Its curator, who gets the deposits back.
			curator: T::AccountId,
			/// The creation deposit released on the curator.
			deposit: BalanceOf<T>,
			/// PAL sent back to the curator: the token's metadata deposit (if the token was
			/// destroyed) and what the basket's account could spare (its existential deposit,
			/// PAL donated to it).
			refunded: BalanceOf<T>,
			/// Whether the basket token was destroyed (else it stays, empty and unmintable:
			/// more than `MAX_DESTROY_ITEMS` approvals of it were left).
			token_destroyed: bool,
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
		/// A basket keeps at most `2 × MaxPoolsPerBasket` pools, weighted and retired (pools no
		/// longer weighted whose LRT it still holds).
		TooManyHeldPools,
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
		/// The basket is closing: it takes no deposits or weight changes, and is closed once.
		BasketClosing,
		/// None of the basket's weighted pools is open: no deposit can be taken until one
		/// reopens or the curator weights an open pool.
		NoOpenPool,
	}

	#[pallet::extra_constants]
	impl<T: Config> Pallet<T> {
		/// Most pools a basket holds LRT of: its weighted pools and the retired ones
		/// (`2 × MaxPoolsPerBasket`).
		#[pallet::constant_name(MaxHeldPools)]
		fn max_held_pools() -> u32 {
			MaxHeldPoolsOf::<T>::get()
		}
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

		/// Set the target weights of an open `basket` (curator only): 2 to `MaxPoolsPerBasket`
		/// pools, each once, non-zero weights summing to exactly 100%, in any order. A pool
		/// not weighted before must be an open native pool; one weighted before is kept even
		/// if it closed since (deposits skip it while it is closed). A pool left out that the
		/// basket holds LRT of is retired: its LRT stays in the basket and is redeemed pro
		/// rata (at most `2 × MaxPoolsPerBasket` pools in all); one holding nothing is dropped.
		/// Applies to later deposits; nothing the basket holds is moved.
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

		/// Deposit `amount` PAL into an open `basket`: it is spread over the basket's weighted
		/// pools that are open, by target weight (the last of them takes the rounding
		/// remainder), and deposited into each as the basket's account; the caller gets basket
		/// tokens for the value brought in, at the basket's rate (1:1 for the first deposit).
		/// What the pools do not take (rounding, less than a pool LRT unit's worth per pool)
		/// stays with the caller.
		///
		/// Charged for the most pools; refunded to the pools deposited into and valued.
		///
		/// Emits `Deposited` (and each pool's `Deposited`).
		#[pallet::call_index(2)]
		#[pallet::weight(Pallet::<T>::max_deposit_weight())]
		pub fn deposit(
			origin: OriginFor<T>,
			basket: BasketId,
			amount: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let outcome = Self::do_deposit(&who, basket, amount)?;
			Ok(Some(Self::deposit_weight(outcome.deposited, outcome.valued, outcome.claims)).into())
		}

		/// Redeem `tokens` of `basket` (open or closing): they are burnt and the caller
		/// receives its pro-rata share (rounded down) of every pool LRT the basket holds,
		/// retired and closed pools' included, at once. It may then withdraw from each pool or
		/// sell the LRT. The last token of a closing basket also closes it.
		///
		/// Charged for the most pools and a close; refunded to the pools held.
		///
		/// Emits `Redeemed` (and `BasketClosed` for the last token of a closing basket).
		#[pallet::call_index(3)]
		#[pallet::weight(
			T::WeightInfo::redeem(MaxHeldPoolsOf::<T>::get())
				.saturating_add(T::WeightInfo::close_basket())
		)]
		pub fn redeem(
			origin: OriginFor<T>,
			basket: BasketId,
			tokens: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let (pools, closed) = Self::do_redeem(&who, basket, tokens)?;
			let close = if closed { T::WeightInfo::close_basket() } else { Weight::zero() };
			Ok(Some(T::WeightInfo::redeem(pools).saturating_add(close)).into())
		}

		/// Close an open `basket` (curator only): it takes no more deposits or weight changes;
		/// holders keep redeeming (nobody is forced out). When its last token is redeemed (at
		/// once if none is left) the basket is removed: the creation deposit is released, the
		/// token destroyed (or left empty and unmintable), and the metadata deposit and the
		/// PAL the basket's account can spare go back to the curator.
		///
		/// Emits `BasketClosing`, and `BasketClosed` at once if no token is left.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::close_basket())]
		pub fn close_basket(origin: OriginFor<T>, basket: BasketId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_basket(&who, basket)?;
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The weight of a deposit into a basket that deposits into `deposited` pools and only
		/// values `valued` others (retired or closed), claiming their rewards for `claims`:
		/// this pallet's part (benchmarked) plus one pool deposit per pool deposited into.
		pub fn deposit_weight(deposited: u32, valued: u32, claims: Weight) -> Weight {
			T::WeightInfo::deposit(deposited, valued)
				.saturating_add(T::Pools::deposit_as_weight().saturating_mul(deposited.into()))
				.saturating_add(claims)
		}

		/// The most weight a deposit uses: a basket of `MaxHeldPoolsOf` pools, deposited into
		/// `d` (1 to `MaxPoolsPerBasket`, the weighted pools open) and valued and claimed for
		/// the others. Linear in `d`, so the larger of its two ends.
		pub fn max_deposit_weight() -> Weight {
			let held = MaxHeldPoolsOf::<T>::get();
			let claim = T::Rewards::claim_for_pool_weight();
			let at = |deposited: u32| {
				let others = held.saturating_sub(deposited);
				Self::deposit_weight(deposited, others, claim.saturating_mul(others.into()))
			};
			at(1).max(at(T::MaxPoolsPerBasket::get()))
		}

		/// The pools of `basket` (weighted, then retired), for queries.
		pub fn pools_of(basket: BasketId) -> alloc::vec::Vec<PoolId> {
			BasketPools::<T>::get(basket).iter().map(|entry| entry.pool).collect()
		}
	}
}
