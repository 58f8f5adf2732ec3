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
//!   ([`Pallet::set_weights`]); they steer later deposits, nothing already held is moved.
//! - The curator may **replace or drop pools** with [`Pallet::set_weights`]: a pool left out
//!   that the basket holds LRT of is *retired* (weight zero): no more deposits go to it, but
//!   its LRT stays in the basket, is valued with the rest and is paid out pro rata by every
//!   redemption. A retired pool may be weighted again; a basket keeps at most
//!   `2 × MaxPoolsPerBasket` pools, weighted and retired ([`MaxHeldPoolsOf`]). A
//!   weighted pool that is **closed** (or gone) is skipped by deposits, which go to the
//!   weighted pools still open (their weights then count among themselves); it takes deposits
//!   again when it reopens.
//! - The curator may **close** a basket ([`Pallet::close_basket`]): it takes no more deposits
//!   nor weight changes, holders keep redeeming as before (nobody is forced out, nothing is
//!   locked). Once no token and no pending redemption is left it is **removed** (by the close
//!   itself if it is empty then, else by anyone's [`Pallet::remove_basket`]): the creation
//!   deposit is released, the PAL the basket's account can spare goes back to the curator,
//!   and the destruction of its token starts. Anyone then finishes that destruction with
//!   [`Pallet::destroy_basket_token`], [`DESTROY_ITEMS_PER_CALL`] approvals at a time; the
//!   last call sends the token's metadata deposit to the curator.
//! - The basket token is a `pallet-assets` asset, id [`Config::BasketAssetIdOffset`]` + basket`,
//!   owned, issued and administered by this pallet's account ([`Config::PalletId`]), named
//!   `Palisade basket #<id>` with symbol `bLRT<id>` and the native decimals: it shows and
//!   transfers in Polkadot.js Apps like the pools' LRTs. It is sufficient, with the minimum
//!   balance [`Config::MinTokenBalance`]. Its total issuance is the basket's **supply**. The
//!   runtime must keep users from creating, minting, burning, freezing or destroying assets in
//!   that id range (Palisade's call filter refuses every call but a holder's own on ids from
//!   the LRT offset on, which covers baskets).
//! - Each basket has its own keyless account (this pallet's sub-account for `basket + 1`),
//!   which holds the pool LRT the basket owns and the LRT it owes pending redemptions. What it
//!   owns is **recorded** in [`BasketPools`], what it owes in [`PendingRedemptions`]; anything
//!   else sent to the account (PAL, LRT) is ignored, so donations change neither the basket's
//!   value nor anyone's share.
//!
//! ## Deposit and redemption
//!
//! ```text
//! value:            v_i = ⌊held_i × rate_i⌋ for every pool the basket holds (retired and
//!                   closed ones too), at the pool's own rate; V = Σ v_i.
//! deposit(amount):  goes to ONE pool j: among the weighted pools that are open (W = Σ their
//!                   weights), the one furthest below its target, the largest
//!                       w_j / W × V − v_j
//!                   (ties: the larger weight, then the earlier pool; for an empty basket that
//!                   is the largest weight).
//!                   taken = min(amount, max(cap, MinDeposit)) where
//!                       cap = (b × V − v_j) / (1 − b),   b = w_j / W + DepositOvershoot
//!                   (no cap for an empty basket or b ≥ 100%): the deposit lifts pool j to at
//!                   most b of the basket's value. The rest of `amount` stays with the caller.
//!                   `taken` is deposited into pool j as the basket's account (the pool's own
//!                   deposit: same checks and rate); the pool mints m LRT for cost ≤ taken,
//!                   the rest goes back to the caller.
//!                   V⁺  = Σ (v_i + 1 if v_i > 0)     basket value before, rounded up
//!                                                    (pool j at its rate after the deposit)
//!                   d   = ⌊m × rate_j⌋               value brought in, rounded down
//!                   tokens = d                       if the supply S is zero (1:1)
//!                          = ⌊d × S / V⁺⌋            otherwise
//! redeem(tokens):   burns them; owed_i = ⌊held_i × tokens / S⌋ of every pool the basket
//!                   holds (all of it for the last tokens), lowered so that the basket keeps
//!                   at least the LRT's minimum balance or nothing, and zero if below that
//!                   minimum. Every owed_i leaves the basket's holdings at once. The first
//!                   PoolsPaidPerCall pools are paid at once, the rest is recorded as the
//!                   holder's pending redemption, paid by claim_redemption (anyone may call
//!                   it), PoolsPaidPerCall pools a call.
//! ```
//!
//! Every rounding favours the basket: the depositor pays at least what its pool LRT is worth
//! (`cost ≥ d`), the basket's value is rounded up and the tokens down, and a redemption is
//! rounded down per pool. A redemption of part of the supply also leaves the basket at least
//! the pool LRT's minimum balance (or nothing), and a share below that minimum is not paid (it
//! stays with the basket, owned by the remaining holders): at most one minimum balance (10⁻⁶
//! PAL on Palisade) per pool and redemption. So every holding and every owed amount is zero or
//! at least the LRT's minimum balance, and every payment out of the basket's account can be
//! made (the LRTs are sufficient: a fresh account can receive them).
//!
//! **Why one pool per deposit.** A pool deposit is the most expensive part of a deposit; one
//! per deposit keeps the call within a few transfers' weight. Deposits go where the basket is
//! most below its weights, so the flows bring it back to them. The cap keeps one deposit from
//! piling into a single pool: without it, a deposit many times the basket's value followed by
//! redeeming it at once (in kind, pro rata) would turn the other holders' basket into nearly
//! all of that one pool. With it, no deposit lifts its pool above `b` of the basket (the
//! floor, [`Config::MinDeposit`], only matters for a basket worth a few deposits), and larger
//! amounts take several deposits (in one `utility.batch` if wanted).
//!
//! **Why pending redemptions.** Paying every pool's LRT at once costs one asset transfer per
//! pool, up to [`MaxHeldPoolsOf`]. A redemption therefore fixes what it is owed of every pool
//! at once, takes it out of the basket's holdings (later deposits and valuations no longer
//! count it) and pays it in pages. What is owed is still that pool's LRT, held by the basket's
//! account for the holder: it keeps moving with that pool's rate (rewards, slashes) exactly as
//! if it were paid, so nobody escapes a pool's slash by the order of payment, and a later
//! depositor neither buys into it nor shares its risk. A holder has at most one pending
//! redemption per basket (a second redemption waits until it is paid:
//! [`Error::RedemptionPending`]); anyone may pay it out ([`Pallet::claim_redemption`] pays the
//! holder, never the caller).
//!
//! Pending redemptions need no storage deposit: an entry exists only after its holder burnt at
//! least [`Config::MinTokenBalance`] basket tokens and was owed at least one LRT minimum
//! balance in more than `PoolsPaidPerCall` pools, it holds at most [`MaxHeldPoolsOf`] amounts,
//! there is at most one per (basket, holder), it is the holder's own value (so the holder wants
//! it paid), and anyone can pay it out and remove it. Creating one costs the fee of a
//! redemption, several times that of an asset transfer, which creates state of the same size
//! (an LRT account) without any deposit either.
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
//! rewards) like any holding, until redeemed. The basket's make-up follows its weights only
//! through deposits: between them (and within the deposit cap) a pool may be above or below
//! its weight, and each deposit adds to one pool's share of every holder's risk. A weight
//! change brings a new pool's risk to every holder through later deposits: a holder who
//! disagrees redeems in kind at once.
//!
//! ## Example
//!
//! ```ignore
//! // Pools 0 and 1 are open native pools. The curator makes a 60/40 basket.
//! let weights = vec![(0, Perbill::from_percent(60)), (1, Perbill::from_percent(40))];
//! Basket::create_basket(curator, weights.try_into()?)?;
//! // Alice deposits 100 PAL: all of it goes to pool 0 (the larger weight); 100 tokens.
//! Basket::deposit(alice, 0, 100 * UNITS)?;
//! // Bob deposits 50 PAL: pool 1 is furthest below its weight, it takes them.
//! Basket::deposit(bob, 0, 50 * UNITS)?;
//! // Alice redeems half: she is owed a third of the basket's pLRT0 and pLRT1, both paid at
//! // once (a basket over more pools than `PoolsPaidPerCall` pays the rest through
//! // `claim_redemption`).
//! Basket::redeem(alice, 0, 50 * UNITS)?;
//! // The curator closes the basket: no more deposits. When the last tokens are redeemed,
//! // anyone removes it (the curator's deposit is released) and destroys its token.
//! Basket::close_basket(curator, 0)?;
//! Basket::redeem(alice, 0, 50 * UNITS)?;
//! Basket::redeem(bob, 0, 50 * UNITS)?;
//! Basket::remove_basket(anyone, 0)?;
//! Basket::destroy_basket_token(anyone, 0)?;
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

mod benchmarking;
mod close;
mod deposit;
mod impls;
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod invariants;
mod redeem;
mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::basket";

/// Most accounts and approvals of a removed basket's token that one
/// [`Pallet::destroy_basket_token`] removes (approvals are left by holders, who may have made
/// any number of them; each call removes this many, and the call that finds none left
/// destroys the token). 3 keeps the call under 6× a `transfer_keep_alive` in a block (each
/// item removed writes the approval and refunds its deposit; 4 weighed 6.3×, issue 12).
pub const DESTROY_ITEMS_PER_CALL: u32 = 3;

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
	use sp_runtime::Perbill;

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

		/// The restaking pools (deposits as the basket's account, LRT values). Their rates
		/// need no claim to be fair: a basket values its pools with `lrt_value` only.
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

		/// Smallest deposit into a basket (native); it must also reach the pool's own minimum
		/// deposit. Also the least a deposit may always take, whatever the cap.
		#[pallet::constant]
		type MinDeposit: Get<BalanceOf<Self>>;

		/// How far above its target weight one deposit may lift its pool's share of the
		/// basket's value (the target weight counted among the open weighted pools): a larger
		/// deposit takes only what reaches that share. 100% lifts the cap.
		#[pallet::constant]
		type DepositOvershoot: Get<Perbill>;

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

		/// Most pools whose LRT one call pays out: a redemption pays this many at once, each
		/// [`Pallet::claim_redemption`] this many more. At least 1. The weights assume the
		/// value they were measured with.
		#[pallet::constant]
		type PoolsPaidPerCall: Get<u32>;

		/// Weight information for this pallet's calls.
		type WeightInfo: WeightInfo;
	}

	/// The id the next basket gets.
	#[pallet::storage]
	pub type NextBasketId<T: Config> = StorageValue<_, BasketId, ValueQuery>;

	/// The baskets: curator, account, token, state, pending redemptions. Removed once a
	/// closing basket has no token and no pending redemption left.
	#[pallet::storage]
	pub type Baskets<T: Config> =
		StorageMap<_, Twox64Concat, BasketId, BasketRecordOf<T>, OptionQuery>;

	/// Each basket's pools: target weight and the pool LRT the basket holds for its holders;
	/// the weighted pools in the curator's order, then the retired ones (weight zero, holding
	/// LRT). At most [`MaxHeldPoolsOf`] entries. Removed with the basket.
	#[pallet::storage]
	pub type BasketPools<T: Config> =
		StorageMap<_, Twox64Concat, BasketId, BasketPoolsOf<T>, ValueQuery>;

	/// Redemptions not paid in full: per basket and holder, the pool LRT still owed to it (each
	/// amount at least that LRT's minimum balance, in the basket's pool order), held by the
	/// basket's account apart from its holdings. At most one per (basket, holder), paid
	/// [`Config::PoolsPaidPerCall`] pools at a time by [`Pallet::claim_redemption`] and
	/// removed when paid; counted in the basket's record.
	#[pallet::storage]
	pub type PendingRedemptions<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		BasketId,
		Blake2_128Concat,
		T::AccountId,
		PoolLrtOf<T>,
		OptionQuery,
	>;

	/// The tokens of removed baskets whose destruction is under way
	/// ([`Pallet::destroy_basket_token`]): who gets the metadata deposit back (the curator).
	#[pallet::storage]
	pub type TokensToDestroy<T: Config> =
		StorageMap<_, Twox64Concat, BasketId, T::AccountId, OptionQuery>;

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
		/// PAL was deposited into one of a basket's pools and basket tokens were minted.
		Deposited {
			/// The depositor.
			who: T::AccountId,
			/// The basket.
			basket: BasketId,
			/// The pool deposited into (the open weighted pool furthest below its target).
			pool: PoolId,
			/// PAL the pool took from the depositor (the rest of what it offered, beyond the
			/// deposit cap or below one LRT unit's worth, stayed with it).
			amount: BalanceOf<T>,
			/// Pool LRT minted to the basket.
			lrt: BalanceOf<T>,
			/// Basket tokens minted to the depositor.
			tokens: BalanceOf<T>,
			/// The basket's value before the deposit (PAL, rounded up).
			value_before: BalanceOf<T>,
			/// The basket token supply before the deposit.
			supply_before: BalanceOf<T>,
		},
		/// Basket tokens were redeemed for the pool LRT they stood for: owed at once, paid now
		/// or pending.
		Redeemed {
			/// The holder.
			who: T::AccountId,
			/// The basket.
			basket: BasketId,
			/// Basket tokens burnt (a remainder below the minimum balance is burnt too).
			tokens: BalanceOf<T>,
			/// Per pool paid now: (pool, pool LRT transferred to the holder).
			paid: PoolLrtOf<T>,
			/// Per pool still owed: (pool, pool LRT), paid by `claim_redemption`. Empty when
			/// the redemption was paid in full.
			pending: PoolLrtOf<T>,
		},
		/// More of a pending redemption was paid.
		RedemptionClaimed {
			/// The basket.
			basket: BasketId,
			/// The holder, who received the LRT (whoever made the call).
			who: T::AccountId,
			/// Per pool paid: (pool, pool LRT transferred to the holder).
			paid: PoolLrtOf<T>,
			/// Per pool still owed (empty: the redemption is paid in full and removed).
			pending: PoolLrtOf<T>,
		},
		/// A basket's curator closed it: no more deposits or weight changes; holders keep
		/// redeeming. It is removed (`BasketClosed`) once no token and no pending redemption is
		/// left.
		BasketClosing {
			/// The basket.
			basket: BasketId,
			/// Basket tokens still to be redeemed.
			supply: BalanceOf<T>,
			/// Pending redemptions still to be paid.
			pending: u32,
		},
		/// A closing basket without tokens or pending redemptions was removed: its creation
		/// deposit released, its spare PAL sent back, its token's destruction started
		/// (`destroy_basket_token` finishes it).
		BasketClosed {
			/// The basket.
			basket: BasketId,
			/// Its curator, who gets the deposits back.
			curator: T::AccountId,
			/// The creation deposit released on the curator.
			deposit: BalanceOf<T>,
			/// PAL the basket's account could spare (its existential deposit, PAL donated to
			/// it), sent to the curator.
			refunded: BalanceOf<T>,
		},
		/// Some accounts and approvals of a removed basket's token were removed; more are left
		/// (`destroy_basket_token` again).
		BasketTokenDestroying {
			/// The basket.
			basket: BasketId,
			/// Accounts and approvals removed by this call.
			removed: u32,
		},
		/// A removed basket's token was destroyed.
		BasketTokenDestroyed {
			/// The basket.
			basket: BasketId,
			/// The token's asset id (never used again).
			asset_id: AssetId,
			/// The curator, who got the metadata deposit back.
			curator: T::AccountId,
			/// The metadata deposit sent to the curator.
			refunded: BalanceOf<T>,
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
		/// The pool LRT a deposit adds would leave the basket's holding of that pool below the
		/// LRT's minimum balance.
		BelowLrtMinimum,
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
		/// The holder's earlier redemption is not paid in full yet: `claim_redemption` first.
		RedemptionPending,
		/// No pending redemption of this holder in this basket.
		NoPendingRedemption,
		/// The basket is open: only a closing basket is removed.
		BasketNotClosing,
		/// The basket still has tokens or pending redemptions.
		BasketNotEmpty,
		/// No token of a removed basket is waiting to be destroyed under this id.
		NoTokenToDestroy,
	}

	#[pallet::extra_constants]
	impl<T: Config> Pallet<T> {
		/// Most pools a basket holds LRT of: its weighted pools and the retired ones
		/// (`2 × MaxPoolsPerBasket`).
		#[pallet::constant_name(MaxHeldPools)]
		fn max_held_pools() -> u32 {
			MaxHeldPoolsOf::<T>::get()
		}

		/// Most accounts and approvals of a removed basket's token one `destroy_basket_token`
		/// removes.
		#[pallet::constant_name(DestroyItemsPerCall)]
		fn destroy_items_per_call() -> u32 {
			DESTROY_ITEMS_PER_CALL
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxPoolsPerBasket::get() >= 2, "MaxPoolsPerBasket must be at least 2");
			assert!(T::PoolsPaidPerCall::get() >= 1, "PoolsPaidPerCall must be at least 1");
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
		/// Steers later deposits; nothing the basket holds is moved.
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

		/// Deposit up to `amount` PAL into an open `basket`: it goes to the one weighted, open
		/// pool furthest below its target weight, deposited into it as the basket's account,
		/// and the caller gets basket tokens for the value brought in, at the basket's rate
		/// (1:1 for the first deposit). The pool is lifted to at most its target weight plus
		/// `DepositOvershoot` of the basket (at least `MinDeposit` is always taken); what is
		/// not taken (beyond that, or less than a pool LRT unit's worth) stays with the caller.
		///
		/// Charged for a basket holding the most pools; refunded to the pools it holds.
		///
		/// Emits `Deposited` (and the pool's `Deposited`).
		#[pallet::call_index(2)]
		#[pallet::weight(Pallet::<T>::max_deposit_weight())]
		pub fn deposit(
			origin: OriginFor<T>,
			basket: BasketId,
			amount: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let outcome = Self::do_deposit(&who, basket, amount)?;
			Ok(Some(Self::deposit_weight(outcome.held)).into())
		}

		/// Redeem `tokens` of `basket` (open or closing): they are burnt and the caller is owed
		/// its pro-rata share (rounded down) of every pool LRT the basket holds, retired and
		/// closed pools' included, fixed now. The first `PoolsPaidPerCall` pools are paid at
		/// once; the rest is the caller's pending redemption, paid by `claim_redemption`. Fails
		/// while an earlier redemption of the caller in this basket is pending.
		///
		/// Charged for a basket holding the most pools; refunded to the pools it holds.
		///
		/// Emits `Redeemed`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::redeem(MaxHeldPoolsOf::<T>::get()))]
		pub fn redeem(
			origin: OriginFor<T>,
			basket: BasketId,
			tokens: BalanceOf<T>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let held = Self::do_redeem(&who, basket, tokens)?;
			Ok(Some(T::WeightInfo::redeem(held)).into())
		}

		/// Close an open `basket` (curator only): it takes no more deposits or weight changes;
		/// holders keep redeeming (nobody is forced out). If it has no token and no pending
		/// redemption, it is removed at once (as `remove_basket` does); otherwise once they are
		/// gone, by anyone's `remove_basket`.
		///
		/// Emits `BasketClosing`, and `BasketClosed` if it was removed.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::close_basket())]
		pub fn close_basket(origin: OriginFor<T>, basket: BasketId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_close_basket(&who, basket)?;
			Ok(())
		}

		/// Pay `who` more of its pending redemption in `basket`: the next `PoolsPaidPerCall`
		/// pools' LRT it is owed. Anyone may call it; the LRT always goes to `who`. The
		/// redemption is removed once paid in full.
		///
		/// Emits `RedemptionClaimed`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::claim_redemption())]
		pub fn claim_redemption(
			origin: OriginFor<T>,
			basket: BasketId,
			who: T::AccountId,
		) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_claim_redemption(basket, &who)
		}

		/// Remove a closing `basket` that has no token and no pending redemption left (anyone
		/// may): its creation deposit is released, the PAL its account can spare goes to the
		/// curator, and the destruction of its token starts (`destroy_basket_token`).
		///
		/// Emits `BasketClosed`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::remove_basket())]
		pub fn remove_basket(origin: OriginFor<T>, basket: BasketId) -> DispatchResult {
			ensure_signed(origin)?;
			Self::do_remove_basket(basket)
		}

		/// Go on destroying the token of a removed `basket` (anyone may): remove up to
		/// `DESTROY_ITEMS_PER_CALL` of its accounts and approvals, and once none is left
		/// destroy it and send its metadata deposit to the basket's curator.
		///
		/// Charged for the most items; refunded to those removed.
		///
		/// Emits `BasketTokenDestroyed` once destroyed, else `BasketTokenDestroying`.
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::destroy_basket_token(DESTROY_ITEMS_PER_CALL))]
		pub fn destroy_basket_token(
			origin: OriginFor<T>,
			basket: BasketId,
		) -> DispatchResultWithPostInfo {
			ensure_signed(origin)?;
			let removed = Self::do_destroy_basket_token(basket)?;
			Ok(Some(T::WeightInfo::destroy_basket_token(removed)).into())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The weight of a deposit into a basket holding `held` pools: this pallet's part
		/// (benchmarked: the valuation of every held pool, the PAL moved, the token minted)
		/// plus the one pool deposit.
		pub fn deposit_weight(held: u32) -> Weight {
			T::WeightInfo::deposit(held).saturating_add(T::Pools::deposit_as_weight())
		}

		/// The most weight a deposit uses: a basket holding `MaxHeldPoolsOf` pools.
		pub fn max_deposit_weight() -> Weight {
			Self::deposit_weight(MaxHeldPoolsOf::<T>::get())
		}

		/// The pools of `basket` (weighted, then retired), for queries.
		pub fn pools_of(basket: BasketId) -> alloc::vec::Vec<PoolId> {
			BasketPools::<T>::get(basket).iter().map(|entry| entry.pool).collect()
		}
	}
}
