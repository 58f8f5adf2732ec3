//! A test runtime: balances, assets, the basket pallet, and [`MockPools`], a small
//! restaking-pools stand-in whose pools mint real `pallet-assets` LRT at a plain rate
//! (`active / supply`, 1:1 when empty) and can be rewarded and slashed. Their rates need no
//! claim (rewards enter them at once), as the pools pallet's.

use crate::{self as pallet_basket, *};
use codec::{Decode, Encode};
use frame_support::{
	derive_impl, ensure, parameter_types,
	traits::{
		fungible::Mutate as _,
		fungibles::{Create, Inspect as _, Mutate as _},
		tokens::Preservation,
		AsEnsureOriginWithArg, ConstU32, ConstU64, ConstU8,
	},
	weights::Weight,
	PalletId,
};
use palisade_primitives::{AssetId, LrtConversion, PoolDeposits, PoolId};
use sp_runtime::Perbill;
use sp_runtime::{BuildStorage, DispatchError};

type Block = frame_system::mocking::MockBlock<Test>;

/// Wide enough for this pallet's sub-accounts to differ (`u64` would truncate them all to the
/// pallet id's first bytes).
pub type AccountId = u128;
pub type Balance = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Assets: pallet_assets,
		Basket: pallet_basket,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = sp_runtime::traits::IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<ED>;
	type RuntimeHoldReason = RuntimeHoldReason;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<frame_system::EnsureSigned<AccountId>>;
	type ForceOrigin = frame_system::EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = ();
	type StringLimit = ConstU32<50>;
}

pub const ED: Balance = 5;
/// Pool `p`'s LRT is asset `LRT_OFFSET + p`.
pub const LRT_OFFSET: AssetId = 1_000;
/// Basket `b`'s token is asset `BASKET_OFFSET + b`.
pub const BASKET_OFFSET: AssetId = 2_000;
/// Minimum balance of the pools' LRT.
pub const MIN_LRT: Balance = 10;
/// Smallest deposit into a mock pool.
pub const POOL_MIN_DEPOSIT: Balance = 100;
/// Smallest basket deposit.
pub const MIN_DEPOSIT: Balance = 1_000;
pub const BASKET_DEPOSIT: Balance = 100;
pub const MIN_TOKEN: Balance = 10;
/// What accounts 1 to 5 start with.
pub const ENDOWMENT: Balance = 1_000_000 * U;
/// One "PAL" of the tests.
pub const U: Balance = 1_000_000;

/// Pools paid per redemption call.
pub const PAGE: u32 = 2;

parameter_types! {
	pub const BasketPalletId: PalletId = PalletId(*b"py/bskt_");
	/// The deposit cap's overshoot (as the runtime's); a test may lift it (100%).
	pub static Overshoot: Perbill = Perbill::from_percent(20);
}

impl pallet_basket::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Assets = Assets;
	type Pools = MockPools;
	type PalletId = BasketPalletId;
	type BasketAssetIdOffset = ConstU32<BASKET_OFFSET>;
	type BasketDeposit = ConstU64<BASKET_DEPOSIT>;
	type MinDeposit = ConstU64<MIN_DEPOSIT>;
	type DepositOvershoot = Overshoot;
	type MinTokenBalance = ConstU64<MIN_TOKEN>;
	type NativeDecimals = ConstU8<12>;
	type MaxPoolsPerBasket = ConstU32<4>;
	type PoolsPaidPerCall = ConstU32<PAGE>;
	type WeightInfo = ();
}

/// A mock pool, kept in unhashed storage (rolled back with the externalities).
#[derive(Encode, Decode, Clone, Copy, Debug, PartialEq, Eq)]
pub struct MockPool {
	pub open: bool,
	pub native: bool,
	pub active: Balance,
	pub account: AccountId,
}

/// The restaking pools stand-in.
pub struct MockPools;

const NEXT_KEY: &[u8] = b"mock-pools/next";

impl MockPools {
	fn key(pool: PoolId) -> Vec<u8> {
		(b"mock-pools/pool", pool).encode()
	}
	pub fn get(pool: PoolId) -> Option<MockPool> {
		frame_support::storage::unhashed::get(&Self::key(pool))
	}
	pub fn put(pool: PoolId, record: MockPool) {
		frame_support::storage::unhashed::put(&Self::key(pool), &record)
	}
	/// Create the next pool (native or not), with its LRT asset and a funded account.
	pub fn create(native: bool) -> PoolId {
		let pool: PoolId = frame_support::storage::unhashed::get_or_default(NEXT_KEY);
		frame_support::storage::unhashed::put(NEXT_KEY, &(pool + 1));
		let account = 10_000 + AccountId::from(pool);
		<Assets as Create<AccountId>>::create(LRT_OFFSET + pool, 999, true, MIN_LRT)
			.expect("LRT asset created");
		Balances::set_balance(&account, ED);
		Self::put(pool, MockPool { open: true, native, active: 0, account });
		pool
	}
	/// The id the next pool gets.
	pub fn next_id() -> PoolId {
		frame_support::storage::unhashed::get_or_default(NEXT_KEY)
	}
	pub fn supply(pool: PoolId) -> Balance {
		Assets::total_issuance(LRT_OFFSET + pool)
	}
	pub fn active(pool: PoolId) -> Balance {
		Self::get(pool).map(|p| p.active).unwrap_or_default()
	}
	/// A slash: the pool's active value falls by `amount`.
	pub fn slash(pool: PoolId, amount: Balance) {
		let mut p = Self::get(pool).expect("pool");
		p.active -= amount;
		Self::put(pool, p);
	}
	/// A reward: the pool's active value rises by `amount`.
	pub fn reward(pool: PoolId, amount: Balance) {
		let mut p = Self::get(pool).expect("pool");
		p.active += amount;
		Self::put(pool, p);
	}
	pub fn set_open(pool: PoolId, open: bool) {
		let mut p = Self::get(pool).expect("pool");
		p.open = open;
		Self::put(pool, p);
	}
	/// The pool's curator closes it for good (`close_pool`): only once no LRT of it exists.
	pub fn remove(pool: PoolId) {
		assert_eq!(Self::supply(pool), 0, "a pool with LRT cannot be removed");
		frame_support::storage::unhashed::kill(&Self::key(pool));
	}
}

fn mul_div(a: Balance, b: Balance, c: Balance, up: bool) -> Balance {
	let (a, b, c) = (u128::from(a), u128::from(b), u128::from(c));
	let r = if up { (a * b).div_ceil(c) } else { a * b / c };
	r as Balance
}

impl PoolDeposits<AccountId, Balance> for MockPools {
	fn is_open_native_pool(pool: PoolId) -> bool {
		Self::get(pool).is_some_and(|p| p.open && p.native)
	}

	fn deposit_for(
		who: &AccountId,
		beneficiary: &AccountId,
		pool: PoolId,
		amount: Balance,
	) -> Result<LrtConversion<Balance>, DispatchError> {
		let mut p = Self::get(pool).ok_or(DispatchError::Other("no pool"))?;
		ensure!(p.open && p.native, DispatchError::Other("pool not open"));
		ensure!(amount >= POOL_MIN_DEPOSIT, DispatchError::Other("below the pool's minimum"));
		let supply = Self::supply(pool);
		let (lrt, cost) = if supply == 0 {
			(amount, amount)
		} else {
			ensure!(p.active > 0, DispatchError::Other("pool wiped out"));
			let lrt = mul_div(amount, supply, p.active, false);
			ensure!(lrt > 0, DispatchError::Other("nothing minted"));
			(lrt, mul_div(lrt, p.active, supply, true).min(amount))
		};
		Balances::transfer(who, &p.account, cost, Preservation::Preserve)?;
		Assets::mint_into(LRT_OFFSET + pool, beneficiary, lrt)?;
		p.active += cost;
		Self::put(pool, p);
		Ok(LrtConversion { lrt, value: cost })
	}

	fn lrt_asset_id(pool: PoolId) -> AssetId {
		LRT_OFFSET + pool
	}

	fn lrt_value(pool: PoolId, lrt: Balance) -> Balance {
		let supply = Self::supply(pool);
		if supply == 0 {
			return 0;
		}
		mul_div(lrt, Self::active(pool), supply, false)
	}

	fn deposit_as_weight() -> Weight {
		Weight::from_parts(1_000_000, 0)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn native_pool_for_benchmarks() -> Result<PoolId, DispatchError> {
		Ok(Self::create(true))
	}
}

pub struct ExtBuilder {
	balances: Vec<(AccountId, Balance)>,
	/// Pools to create: `true` for native.
	pools: Vec<bool>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { balances: (1..=5).map(|who| (who, ENDOWMENT)).collect(), pools: vec![] }
	}
}

impl ExtBuilder {
	/// Native pools 0, 1, 2 and an asset pool 3.
	pub fn with_pools(mut self) -> Self {
		self.pools = vec![true, true, true, false];
		self
	}

	/// Build the externalities at block 1.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			for native in self.pools {
				MockPools::create(native);
			}
		});
		ext
	}

	/// Build, run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		Overshoot::set(Perbill::from_percent(20));
		self.build().execute_with(|| {
			test();
			Basket::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// The basket pallet's events since the last call, then cleared.
pub fn basket_events() -> Vec<Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Basket(event) => Some(event),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}
