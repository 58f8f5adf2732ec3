//! `pallet-asset-conversion`: PAL/LRT markets, so that an LRT can be sold at once instead of
//! waiting out the withdrawal queue.
//!
//! It is Uniswap V2 on FRAME: a pool of two assets with constant-product pricing, liquidity
//! providers holding LP tokens, a swap fee that stays in the pool for them. Here:
//!
//! - **Every pool pairs PAL with one `pallet-assets` asset** (an LRT, or any other asset):
//!   the asset kind is [`NativeOrWithId`]`<`[`AssetId`]`>` over [`NativeAndAssets`] (Balances
//!   for `Native`, Assets for `WithId(id)`), and pools are located by [`WithFirstAsset`] with
//!   PAL first, so `LRT_a → PAL → LRT_b` is the longest useful route ([`MaxSwapPathLength`]
//!   is 3).
//! - **LP tokens live in their own `pallet-assets` instance**, `PoolAssets` (ids from 0,
//!   allocated by this pallet), never in `Assets` where LRT ids live: an LP token id can never
//!   be taken for an LRT (or the reverse) by `pallet-lrt`, the restaking pools (whose
//!   collateral is an `Assets` id), the call filter (which matches `Assets` calls only) or a
//!   wallet (Apps lists them under `poolAssets`, not under Assets). Only this pallet can create
//!   them: `PoolAssets::create` needs a signature of this pallet's account, which has no key.
//!   Each LP token's owner and admin is its pool's account, which has no key either.
//! - **The usual safety** of the pallet: [`MintMinLiquidity`] LP units are locked in each pool
//!   for ever at its first deposit (no pool can be emptied to the rounding-error state), a pool
//!   never gives out its last minimum balance of either asset, a 0.3% fee ([`LpFee`]) on every
//!   swap, a [`PoolSetupFee`] against spam pools, and every swap and liquidity call takes a
//!   caller-set bound (`amount_out_min`, `amount_in_max`, `amount*_min`) that fails the whole
//!   call, changing nothing, when the price moved.
//!
//! **Restaking pool accounts are out of its reach, by construction.** Every call takes funds
//! only from its signer (`create_pool`: the setup fee and account deposits; `add_liquidity`
//! and the swaps: the amounts in, kept alive; `remove_liquidity`: the signer's LP tokens) and
//! from the asset-conversion pool accounts it owns: keyless accounts derived from
//! `(PalletId "py/ascon", (PAL, asset))` by `blake2_256`, never equal to a restaking pool's
//! sub-account of `pal/pool`. Nothing it does freezes or blocks an account, and the only
//! things it holds or burns are the signer's own: `touch` deposits and LP tokens. A restaking
//! pool account can at most be the *receiver* of a swap's output, of withdrawn liquidity or of
//! minted LP tokens, like the receiver of an `assets.transfer`; what a receiver gets is a gift
//! that changes no pool's books (the restaking pools account for their funds in their own
//! records and holds, and take fresh, untouched accounts). It never creates, mints or burns an
//! LRT either (its assets trait has no `Create`, its swaps move LRT between accounts with the
//! LRT supply unchanged), so `pallet-lrt`'s supply invariant holds through every trade. The
//! runtime's call filter ([`super::assets::PalisadeCallFilter`]) therefore needs no rule for it.

// `ord_parameter_types!` expands to `vec![..]`, which `no_std` needs in scope.
use alloc::vec;
use frame_support::{
	instances::Instance2,
	ord_parameter_types, parameter_types,
	traits::{
		tokens::{
			fungible::{NativeFromLeft, NativeOrWithId, UnionOf},
			imbalance::ResolveAssetTo,
		},
		AsEnsureOriginWithArg, ConstU128, ConstU32,
	},
	PalletId,
};
use frame_system::{EnsureRoot, EnsureSignedBy};
use pallet_asset_conversion::{AccountIdConverter, WithFirstAsset};
use sp_runtime::{traits::AccountIdConversion, Permill};

use super::{
	assets::{ApprovalDeposit, AssetAccountDeposit},
	governance::{GovernanceOrigin, TreasuryAccount},
};
use crate::{
	currency::UNITS, AccountId, AssetId, Assets, Balance, Balances, PoolAssets, Runtime,
	RuntimeEvent,
};

/// What the asset-conversion pallet trades: PAL (`Native`) or a `pallet-assets` asset
/// (`WithId(id)`: an LRT, or any other asset).
pub type AssetKind = NativeOrWithId<AssetId>;

/// PAL and every `pallet-assets` asset as one `fungibles` registry: Balances answers for
/// `Native`, Assets for `WithId(id)`.
pub type NativeAndAssets = UnionOf<Balances, Assets, NativeFromLeft, AssetKind, AccountId>;

/// The account of an asset-conversion pool: `blake2_256` of the pallet id and the pool's
/// asset pair (keyless).
pub type PoolIdToAccountId = AccountIdConverter<AssetConversionPalletId, (AssetKind, AssetKind)>;

/// Every pool has PAL as its first asset: a pool is `(Native, WithId(id))`, whichever order
/// the caller names the two assets in; a pair without PAL is refused
/// (`assetConversion.InvalidAssetPair`).
pub type PalFirstLocator = WithFirstAsset<Native, AccountId, AssetKind, PoolIdToAccountId>;

/// The LP tokens of asset-conversion pools, as ids of the `PoolAssets` instance.
pub type PoolAssetId = u32;

parameter_types! {
	/// The pallet's id: the seed of its pool accounts and of its own account, the only one
	/// that may create LP tokens.
	pub const AssetConversionPalletId: PalletId = PalletId(*b"py/ascon");
	/// PAL as an [`AssetKind`]: the first asset of every pool and the asset the setup fee is
	/// paid in.
	pub const Native: AssetKind = NativeOrWithId::Native;
	/// The swap fee, 0.3% of what goes in: it stays in the pool, for its liquidity providers.
	pub LpFee: Permill = Permill::from_rational(3u32, 1_000u32);
	/// The highest fee governance may set for one pool (`create_pool_with_fee`,
	/// `set_pool_fee`): 1%.
	pub MaxSwapFee: Permill = Permill::from_percent(1);
	/// What creating a pool costs (paid to the treasury): 10 PAL, so that pools are not free
	/// to spam (each creates an LP token and storage). Above the existential deposit.
	pub const PoolSetupFee: Balance = 10 * UNITS;
	/// No fee on withdrawing liquidity: providers earn from swaps only.
	pub const LiquidityWithdrawalFee: Permill = Permill::zero();
}

ord_parameter_types! {
	/// The asset-conversion pallet's own account (keyless, it owns no funds): the only signer
	/// that may create an LP token in `PoolAssets`, which only the pallet itself does.
	pub const AssetConversionOrigin: AccountId =
		AccountIdConversion::<AccountId>::into_account_truncating(&AssetConversionPalletId::get());
}

/// LP token units minted to the pool account itself (locked for ever) at a pool's first
/// deposit, and the fewest LP units one deposit must mint. 100 base units: negligible for a
/// 12-decimal asset, enough that nobody can push a pool into a rounding-error state (the
/// classic "first depositor" manipulation of constant-product pools).
pub type MintMinLiquidity = ConstU128<100>;

/// Most assets in one swap path: `[LRT_a, PAL, LRT_b]` (every pool has PAL on one side, so a
/// longer path would pass through PAL twice, which the pallet refuses as `NonUniquePath`).
pub type MaxSwapPathLength = ConstU32<3>;

/// `PoolAssets`: the second `pallet-assets` instance, for LP tokens only (see the module
/// documentation).
impl pallet_assets::Config<Instance2> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = PoolAssetId;
	type AssetIdParameter = codec::Compact<PoolAssetId>;
	type ReserveData = ();
	type Currency = Balances;
	/// Only the asset-conversion pallet creates LP tokens (its account has no key, so no
	/// signed `poolAssets.create` can pass).
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSignedBy<AssetConversionOrigin, AccountId>>;
	/// Root only (sudo on development chains): LP tokens are claims on pooled LRT, and no
	/// council motion should move or freeze them.
	type ForceOrigin = EnsureRoot<AccountId>;
	/// LP tokens are created by the pallet with no deposit; this would apply to a `create`.
	type AssetDeposit = ConstU128<0>;
	/// Deposit for an LP token account opened with `touch` (the pool account's own LP account
	/// at pool creation, paid by the creator), as for `Assets`.
	type AssetAccountDeposit = AssetAccountDeposit;
	/// LP tokens carry no metadata (only their keyless owner or root could set it).
	type MetadataDepositBase = ConstU128<0>;
	/// See `MetadataDepositBase`.
	type MetadataDepositPerByte = ConstU128<0>;
	/// Deposit for an approval of LP tokens, as for `Assets`.
	type ApprovalDeposit = ApprovalDeposit;
	type StringLimit = ConstU32<50>;
	type Freezer = ();
	type Holder = ();
	type Extra = ();
	type CallbackHandle = ();
	type AssetIdAllocator = ();
	type WeightInfo = crate::weights::pallet_assets::WeightInfo<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

impl pallet_asset_conversion::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	/// Products of two reserves are computed in 256 bits: no overflow for any u128 amounts.
	type HigherPrecisionBalance = sp_core::U256;
	type AssetKind = AssetKind;
	type Assets = NativeAndAssets;
	type PoolId = (AssetKind, AssetKind);
	type PoolLocator = PalFirstLocator;
	type PoolAssetId = PoolAssetId;
	type PoolAssets = PoolAssets;
	type LPFee = LpFee;
	/// Governance (root or 2/3 of the council) may set one pool's fee, up to [`MaxSwapFee`].
	type AdminOrigin = GovernanceOrigin;
	type MaxSwapFee = MaxSwapFee;
	type PoolSetupFee = PoolSetupFee;
	type PoolSetupFeeAsset = Native;
	/// The setup fee goes to the treasury.
	type PoolSetupFeeTarget = ResolveAssetTo<TreasuryAccount, NativeAndAssets>;
	type LiquidityWithdrawalFee = LiquidityWithdrawalFee;
	type MintMinLiquidity = MintMinLiquidity;
	type MaxSwapPathLength = MaxSwapPathLength;
	type PalletId = AssetConversionPalletId;
	type WeightInfo = pallet_asset_conversion::weights::SubstrateWeight<Runtime>;
	/// Benchmark pools are `(PAL, asset)` pairs, as the locator requires.
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = pallet_asset_conversion::NativeOrWithIdFactory<AssetId>;
}
