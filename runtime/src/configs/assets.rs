//! `pallet-assets`: the fungible assets of Palisade.
//!
//! Each restaking pool mints its own liquid restaking token (LRT) here, and curators may
//! accept any asset as non-native collateral. Assets show up and transfer in Polkadot.js
//! Apps' Assets page like on any Substrate chain.

use frame_support::{
	parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32, Contains},
};
use frame_system::EnsureSigned;
use sp_runtime::traits::StaticLookup;

use super::governance::GovernanceOrigin;
use crate::{
	currency::{deposit, CENTS, UNITS},
	AccountId, AssetId, Balance, Balances, Runtime, RuntimeCall, RuntimeEvent,
};

use super::restaking::LRT_ASSET_ID_OFFSET;

parameter_types! {
	/// Deposit to create an asset class.
	pub const AssetDeposit: Balance = 10 * UNITS;
	/// Deposit for a non-sufficient asset account.
	pub const AssetAccountDeposit: Balance = deposit(1, 16);
	/// Deposit for an asset's metadata (base).
	pub const MetadataDepositBase: Balance = deposit(1, 68);
	/// Deposit for an asset's metadata (per byte).
	pub const MetadataDepositPerByte: Balance = deposit(0, 1);
	/// Deposit for an approval.
	pub const ApprovalDeposit: Balance = CENTS;
}

impl pallet_assets::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type RemoveItemsLimit = ConstU32<1000>;
	type AssetId = AssetId;
	type AssetIdParameter = codec::Compact<AssetId>;
	type ReserveData = ();
	type Currency = Balances;
	/// Anyone may create an asset (paying the deposit).
	type CreateOrigin = AsEnsureOriginWithArg<EnsureSigned<AccountId>>;
	/// Governance may force-create, freeze and fix any asset.
	type ForceOrigin = GovernanceOrigin;
	type AssetDeposit = AssetDeposit;
	type AssetAccountDeposit = AssetAccountDeposit;
	type MetadataDepositBase = MetadataDepositBase;
	type MetadataDepositPerByte = MetadataDepositPerByte;
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

/// The runtime's call filter (`frame_system::Config::BaseCallFilter`).
///
/// It sees every call dispatched with a non-root origin, nested ones included (a `Utility`
/// batch, a council motion): `construct_runtime` puts it in every origin and each dispatch
/// checks it. Only `Root` bypasses it, by FRAME's design: the sudo key (development chains
/// only; `sudo_as` dispatches bypassing the filter too) is trusted with everything anyway.
/// It refuses some `pallet-assets` calls and lets everything else pass:
///
/// **LRT ids** (from [`LRT_ASSET_ID_OFFSET`]) are owned by `pallet-lrt`, whose supply must
/// always equal the pools' recorded shares. Holders transfer and approve them like any asset,
/// but nobody may `create`/`force_create` an asset in that id range (it is reserved for
/// pools), nor `touch`/`refund` LRT accounts (a deposit-backed LRT account could later be
/// refunded with `allow_burn`, burning LRT behind the pools' back). Governance's `force_*`
/// calls do not reach LRT ids either: `force_transfer` would move restakers' LRT without their
/// signature, `force_asset_status` could change the owner, `min_balance` or sufficiency that
/// `pallet-lrt` relies on, and `force_set_metadata`/`force_clear_metadata` could rename a pool's
/// token in wallets. (`force_cancel_approval` only returns an approval deposit and stays
/// allowed.)
///
/// **Pooled collateral** (the "issuer drain"). A pool of a foreign asset keeps its collateral
/// in its own keyless account, which restakers own through the pool's books. The asset's admin
/// could `burn` from any account or `force_transfer` out of it, its freezer `freeze`/`block`
/// any account or `freeze_asset`, its owner `start_destroy` it (then anyone may
/// `destroy_accounts`), and governance could freeze it or raise its minimum balance with
/// `force_asset_status`. So, whoever calls:
/// - on a **pool account** ([`pallet_restaking_pools::Pallet::is_pool_account`]), any asset:
///   `burn`, `force_transfer` out of it, `freeze`, `block`, `touch_other` and `refund_other`
///   (an account nobody can sign for needs no one else's deposit) are refused;
/// - on an asset some pool (not closed) holds as collateral
///   ([`pallet_restaking_pools::Pallet::asset_in_use`]): `freeze_asset`, `start_destroy`,
///   `destroy_accounts`, `destroy_approvals`, `finish_destroy` are refused, and
///   `force_asset_status` unless it leaves the asset live and does not raise its minimum
///   balance (governance may still fix the asset's team).
///
/// **Supply past half the balance range.** `fungibles::Mutate::transfer` (which the pallets
/// use, and `pallet-assets`' own `transfer_all`) credits the receiver best effort, and
/// `pallet-assets` drops a credit that would take the asset's supply past `Balance::MAX` while
/// the debit stands. An issuer holding more than half the range could so make a pool book a
/// deposit it never received (found by the fuzzer; the pools also check what they receive).
/// `mint` is refused when the supply would pass [`MAX_ASSET_SUPPLY`], half the range: then no
/// transfer of an existing balance can overflow the supply.
///
/// Releasing calls (`thaw`, `thaw_asset`), `mint` (up to that supply), `set_team`, `transfer_ownership` and
/// `set_min_balance` (which can only lower the minimum while accounts exist, and the pool
/// account is one) stay allowed; so do the same calls on any other account or asset. The
/// pallets' own asset movements (`fungibles::Mutate`) are not calls and are not filtered.
/// Cost: one storage read for an asset call aimed at an account or an asset-wide freeze or
/// destruction (two for `force_asset_status` of a pooled asset), none for other calls.
///
/// **`staking.migrate_currency`** is refused to everyone: it moves stashes bonded under the
/// old staking lock to holds, and no Palisade stash ever had that lock. On a virtual staker (a
/// staked pool's keyless account) with one or two consumer references (its session keys, any
/// asset sent to it) and less than two existential deposits free (after a slash that took its
/// seed), anyone could call it, free, to drop those references and the last provider: the
/// account would be reaped with its balance
/// (`anyone_reaps_a_slashed_validating_pools_account_with_migrate_currency`).
///
/// **`session.set_keys`** is refused when one of the keys is a consumer key (in
/// `pallet_operators::UsedKeys`): a GRANDPA vote carries no chain id, so a key used both on a
/// consumer chain and for Palisade's finality would let anyone pair two honest votes into an
/// "equivocation". The operators pallet refuses a session key as a consumer key; this is the
/// other way round (staked pools' keys are checked the same way by `PoolValidators`). Cost:
/// one read per key.
pub struct PalisadeCallFilter;
impl Contains<RuntimeCall> for PalisadeCallFilter {
	fn contains(call: &RuntimeCall) -> bool {
		match call {
			RuntimeCall::Staking(pallet_staking::Call::migrate_currency { .. }) => false,
			RuntimeCall::Session(pallet_session::Call::set_keys { keys, .. }) => {
				!crate::configs::restaking::is_consumer_key(keys)
			}
			RuntimeCall::Assets(call) => {
				!touches_lrt(call)
					&& !takes_from_pool_account(call)
					&& !stops_pooled_asset(call)
					&& !mints_past_supply_cap(call)
			}
			_ => true,
		}
	}
}

type AssetsCall = pallet_assets::Call<Runtime>;
type Pools = pallet_restaking_pools::Pallet<Runtime>;

/// Whether `call` is aimed at an LRT id and is not one of a holder's own calls. LRT holders
/// may transfer and approve; every other call on an LRT id is refused, whoever sends it:
/// creating, touching or refunding one (LRT accounts are made by minting), and every role or
/// governance power (`force_*`, `start_destroy` and the rest of the destruction, metadata,
/// team, status, reserves). Governance destroying an LRT would zero its supply, after which
/// the pool would look empty and `close_pool` would hand the restakers' collateral to the
/// curator (`governance_cannot_destroy_lrt_to_empty_a_pool`). The LRT pallet's own account,
/// the only holder of the roles, never signs a call.
fn touches_lrt(call: &AssetsCall) -> bool {
	use pallet_assets::Call as A;
	let id = match call {
		// A holder's own calls.
		A::transfer { .. }
		| A::transfer_keep_alive { .. }
		| A::transfer_all { .. }
		| A::approve_transfer { .. }
		| A::cancel_approval { .. }
		| A::transfer_approved { .. } => return false,
		A::create { id, .. }
		| A::force_create { id, .. }
		| A::start_destroy { id }
		| A::destroy_accounts { id }
		| A::destroy_approvals { id }
		| A::finish_destroy { id }
		| A::mint { id, .. }
		| A::burn { id, .. }
		| A::force_transfer { id, .. }
		| A::freeze { id, .. }
		| A::thaw { id, .. }
		| A::freeze_asset { id }
		| A::thaw_asset { id }
		| A::transfer_ownership { id, .. }
		| A::set_team { id, .. }
		| A::set_metadata { id, .. }
		| A::clear_metadata { id }
		| A::force_set_metadata { id, .. }
		| A::force_clear_metadata { id }
		| A::force_asset_status { id, .. }
		| A::force_cancel_approval { id, .. }
		| A::touch { id }
		| A::refund { id, .. }
		| A::set_min_balance { id, .. }
		| A::touch_other { id, .. }
		| A::refund_other { id, .. }
		| A::block { id, .. }
		| A::set_reserves { id, .. } => id,
		_ => return false,
	};
	id.0 >= LRT_ASSET_ID_OFFSET
}

/// Whether `call` is an asset role's power aimed at a pool account: burning from it, moving
/// out of it, freezing or blocking it, or adding or refunding an asset account on it.
fn takes_from_pool_account(call: &AssetsCall) -> bool {
	use pallet_assets::Call as A;
	let target = match call {
		A::burn { who, .. }
		| A::freeze { who, .. }
		| A::block { who, .. }
		| A::touch_other { who, .. }
		| A::refund_other { who, .. } => who,
		A::force_transfer { source, .. } => source,
		_ => return false,
	};
	// An address that does not resolve fails the call anyway.
	<Runtime as frame_system::Config>::Lookup::lookup(target.clone())
		.is_ok_and(|who| Pools::is_pool_account(&who))
}

/// The most any asset's supply may reach by `mint`: half the balance range, so that the sum of
/// a supply and any balance of that asset never passes `Balance::MAX` (see
/// [`PalisadeCallFilter`]).
pub const MAX_ASSET_SUPPLY: Balance = Balance::MAX / 2;

/// Whether `call` mints past [`MAX_ASSET_SUPPLY`] (or mints an asset that does not exist,
/// which fails anyway).
fn mints_past_supply_cap(call: &AssetsCall) -> bool {
	match call {
		pallet_assets::Call::mint { id, amount, .. } => pallet_assets::Asset::<Runtime>::get(id.0)
			.is_none_or(|details| {
				details.supply.checked_add(*amount).is_none_or(|supply| supply > MAX_ASSET_SUPPLY)
			}),
		_ => false,
	}
}

/// Whether `call` would freeze or destroy an asset some pool holds as collateral, or raise its
/// minimum balance above what the pool accounts were seeded with.
fn stops_pooled_asset(call: &AssetsCall) -> bool {
	use pallet_assets::Call as A;
	match call {
		A::freeze_asset { id }
		| A::start_destroy { id }
		| A::destroy_accounts { id }
		| A::destroy_approvals { id }
		| A::finish_destroy { id } => Pools::asset_in_use(id.0),
		A::force_asset_status { id, min_balance, is_frozen, .. } => {
			Pools::asset_in_use(id.0)
				&& (*is_frozen
					|| pallet_assets::Asset::<Runtime>::get(id.0)
						.is_none_or(|details| *min_balance > details.min_balance))
		}
		_ => false,
	}
}
