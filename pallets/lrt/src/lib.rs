//! # LRT pallet
//!
//! The accounting of Palisade's **liquid restaking tokens** (LRT): one `pallet-assets` asset per
//! restaking pool, minted when restakers deposit and burnt when they withdraw.
//!
//! ## Model
//!
//! - Each pool's LRT is a `pallet-assets` asset with id [`Config::LrtAssetIdOffset`]` + pool`,
//!   owned (owner, admin, issuer, freezer) by this pallet's account ([`Config::PalletId`]),
//!   named `Palisade LRT pool #<pool>` with symbol `pLRT<pool>` and the collateral's decimals.
//!   The runtime must keep users from creating assets in that id range.
//! - It is **sufficient** (`is_sufficient = true`) with a minimum balance of
//!   [`Config::MinLrtBalance`]: a fresh account can receive LRT without holding native PAL,
//!   which is what a liquid token needs (buy it, receive it, hold it in a cold wallet). The
//!   trade-off is state bloat: each LRT account is a `frame_system` account nobody paid an
//!   existential deposit for. `MinLrtBalance` is what bounds it (set it to the value of at least
//!   a native existential deposit), and it is also the smallest LRT amount an account may hold.
//! - Holders move LRT with the ordinary `pallet-assets` calls (`Assets::transfer`, the Assets
//!   page of Polkadot.js Apps).
//! - **Only the pools pallet mints and burns**, through [`LrtInterface`]: this pallet has no
//!   dispatchable at all. The admin of every LRT is this pallet's keyless account, so no signed
//!   origin can mint, burn, freeze or force-transfer it either.
//!
//! ## Exchange rate and rounding
//!
//! The pools pallet records each pool's active value `V` (collateral units); this pallet records
//! each pool's LRT supply `S` ([`Lrts`]). Each pool has a **virtual offset** `o` (virtual shares
//! and virtual value alike), chosen by its collateral's decimals `d`: `o = 10^⌊d / 2⌋` base
//! units ([`Pallet::virtual_offset`]; 10^6 Planck = 10^-6 PAL for PAL's 12 decimals, 10^3 =
//! 0.001 token for a 6-decimal asset). The exchange rate is the smaller of the virtual rate and
//! the plain one:
//!
//! ```text
//! rate          = min((V + o) / (S + o), V / S)        collateral units per LRT unit
//!                                                      (just the first when S = 0)
//! mint(value)   = lrt  = ⌊value / rate⌋                rounded down, never zero
//!                 cost = ⌈lrt × rate⌉                  rounded up, ≤ value
//! redeem(lrt)   = ⌊lrt × rate⌋                         rounded down, never more than V
//! ```
//!
//! Above par (`V ≥ S`: rewards raised the rate) the virtual rate is the smaller one, and the
//! offset works as a virtual first depositor. Below par (`V < S`: slashes lowered the rate) the
//! plain pro-rata rate `V / S` is the smaller one, and everything is pro rata.
//!
//! A depositor pays only `cost`, what the minted LRT is worth (rounded up), and keeps the rest
//! of what it offered (less than one LRT unit's worth). So whatever the rate, a depositor loses
//! at most one base unit of collateral to rounding on the way in, and at most one on the way out.
//!
//! All products are computed in 256 bits through `sp_arithmetic`'s `MultiplyRational`, so they
//! overflow only if the result itself does not fit (then the call fails).
//!
//! **Why the virtual offset.** Without it, a first depositor who holds 1 LRT and then raises `V`
//! by `D` (a reward, or any other way value reaches the pool) makes one LRT worth `D`; with
//! plain round-down minting every later deposit would lose up to `D`. Charging only `cost`
//! already bounds that loss to one base unit; the offset additionally makes inflating the rate
//! ruinous (the virtual position owns `o / (S + o)` of anything added to `V`, so raising the
//! rate to `r` costs about `r × o`), and keeps the empty pool well defined (no division by zero,
//! no "first depositor owns the leftovers"). The initial rate is exactly one LRT per collateral
//! unit, so LRT amounts read like collateral amounts (same decimals). The price is that the
//! virtual position takes its share `o / (S + o)` of every reward (it stays in the pool); with
//! `o = 10^⌊d/2⌋` that is at most one part per million of the rewards of any pool holding one
//! whole token or more (`S ≥ 10^d`), whatever the decimals. A fixed offset for every collateral
//! (it used to be 10^12 base units) is 1 PAL but a million tokens of a 6-decimal asset: such a
//! virtual position swallowed most rewards of a small pool.
//!
//! **Why the minimum with `V / S`.** The virtual position must never be paid: it holds no
//! money. With the virtual rate alone, below par the holders together are owed
//! `S × (V + o) / (S + o) > V` (the virtual position "bears" less of a slash than its share), so
//! redemptions capped at `V` made early redeemers take the last holders' money (6-decimal asset,
//! `o = 10^12`, two holders of 50,000, a 50% slash: 47,727 and 2,273). Taking the smaller rate
//! makes `Σ ⌊bᵢ × rate⌋ ≤ ⌊S × V / S⌋ = V` for every set of holders after any sequence of
//! slashes (the pools pallet checks it in `try_state` through
//! [`LrtInterface::total_redeemable`]), and the same example pays both holders 25,000.
//! Donations to the pool's account do not change `V` at all: `V` is recorded in storage, never
//! read from a balance.
//!
//! Minting charges at least what the minted LRT is worth and redeeming pays at most what the
//! burnt LRT is worth at the same rate, and the rate (both of its terms, when they are the
//! smaller one) never decreases through deposits and withdrawals: cycling deposits and
//! withdrawals cannot extract value.
//!
//! ## Invariants
//!
//! For every pool with an LRT, the asset's total issuance equals the recorded supply
//! (checked by [`Pallet::do_try_state`]). `pallet-assets` lets the holder of an account created
//! by `Assets::touch` (one with a deposit) burn its balance with `Assets::refund(.., true)`;
//! the runtime must filter `touch`/`refund` for LRT ids (as it filters `create`), otherwise such
//! a burn breaks this equality (the burnt LRT's value then stays in the pool, owned by nobody).
//!
//! ## Example
//!
//! ```ignore
//! // The pools pallet, when pool 7 (12-decimal collateral) is created by `curator`:
//! let asset = <Lrt as LrtInterface<_, _>>::create(7, 12, &curator)?; // = offset + 7
//! // Alice deposits 1_000 into the pool whose active value was 5_000:
//! // She gets `minted.lrt` LRT and the pool takes `minted.value` (≤ 1_000) from her.
//! let minted = <Lrt as LrtInterface<_, _>>::mint(7, &alice, 1_000, 5_000)?;
//! // Alice withdraws everything later, the pool's active value being 6_000: she is owed
//! // `burnt.value`.
//! let burnt = <Lrt as LrtInterface<_, _>>::burn(7, &alice, minted.lrt, 6_000)?;
//! ```

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

extern crate alloc;

pub use pallet::*;
pub use types::*;

mod impls;
#[cfg(any(feature = "try-runtime", feature = "std", test))]
mod invariants;
mod types;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// Log target of this pallet.
pub const LOG_TARGET: &str = "runtime::lrt";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, fungibles},
		PalletId,
	};
	use frame_system::pallet_prelude::BlockNumberFor;
	use palisade_primitives::{AssetId, PoolId};
	use sp_runtime::Perquintill;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The overarching event type.
		#[allow(deprecated)]
		type RuntimeEvent: From<Event<Self>> + IsType<<Self as frame_system::Config>::RuntimeEvent>;

		/// The native currency: pays the LRT assets' metadata deposits.
		type Currency: fungible::Mutate<Self::AccountId>;

		/// The assets pallet the LRTs live in. Its balance type is the native one.
		type Assets: fungibles::Inspect<Self::AccountId, AssetId = AssetId, Balance = BalanceOf<Self>>
			+ fungibles::Mutate<Self::AccountId>
			+ fungibles::Create<Self::AccountId>
			+ fungibles::Destroy<Self::AccountId>
			+ fungibles::metadata::Mutate<Self::AccountId>
			+ fungibles::metadata::MetadataDeposit<BalanceOf<Self>>
			+ fungibles::roles::Inspect<Self::AccountId>;

		/// This pallet's id; its account owns every LRT asset.
		#[pallet::constant]
		type PalletId: Get<PalletId>;

		/// The LRT of pool `p` is asset `LrtAssetIdOffset + p`. The runtime must forbid users
		/// to create assets from this id on.
		#[pallet::constant]
		type LrtAssetIdOffset: Get<AssetId>;

		/// Minimum balance of every LRT asset, as a fraction of one whole token of its collateral:
		/// an LRT with `d` decimals has the minimum balance `⌈MinLrtBalance × 10^d⌉` (at least one
		/// base unit). LRT assets are sufficient (see the crate doc for the trade-off), so this is
		/// what an account must hold to exist; stating it per whole token keeps it meaningful for
		/// a 6-decimal and an 18-decimal collateral alike. Not zero.
		#[pallet::constant]
		type MinLrtBalance: Get<Perquintill>;
	}

	/// The LRT of each pool: its decimals. Written at creation and removed at destruction
	/// only; the supply is the total issuance of the pool's LRT asset, which nobody but this
	/// pallet can mint or burn (it owns the asset; the runtime filters governance's `force_*`
	/// asset calls on LRT ids).
	///
	/// A plain map: bounded by the pools (each paid `PoolDeposit`); a counter of its entries
	/// cost a read and a write in every pool creation and close and nothing read it but
	/// `try_state` (issue 12).
	#[pallet::storage]
	pub type Lrts<T: Config> = StorageMap<_, Twox64Concat, PoolId, LrtRecord, OptionQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A pool's LRT was created.
		LrtCreated {
			/// The pool.
			pool: PoolId,
			/// The LRT's asset id in `pallet-assets`.
			asset_id: AssetId,
			/// The LRT's decimals (those of the pool's collateral).
			decimals: u8,
			/// The metadata deposit paid by the pool's creator (reserved on this pallet's
			/// account).
			metadata_deposit: BalanceOf<T>,
		},
		/// A pool's LRT was destroyed (its pool was closed).
		LrtDestroyed {
			/// The pool.
			pool: PoolId,
			/// The LRT's asset id in `pallet-assets`.
			asset_id: AssetId,
			/// The metadata deposit paid back.
			refunded: BalanceOf<T>,
			/// Who it was paid to (the pool's creator).
			refund_to: T::AccountId,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The pool already has an LRT.
		AlreadyCreated,
		/// The pool has no LRT.
		UnknownPool,
		/// The LRT asset id overflows (pool id too large for the configured offset).
		AssetIdOverflow,
		/// An asset with the LRT's id already exists (created before the runtime reserved the
		/// LRT id range).
		AssetIdTaken,
		/// The deposit is too small to mint a single LRT unit at the current rate.
		NothingMinted,
		/// An amount overflowed (e.g. minting into a pool whose value was wiped out by slashes).
		Overflow,
		/// The holder has less LRT than the amount to burn.
		InsufficientLrt,
		/// The LRT cannot be destroyed: LRT remains, or the asset has more accounts or approvals
		/// than one call may remove.
		NotDestroyable,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(!T::MinLrtBalance::get().is_zero(), "MinLrtBalance must not be zero");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	// No calls: LRT is minted and burnt only by the pools pallet, through `LrtInterface`, and
	// transferred with `pallet-assets`.
}
