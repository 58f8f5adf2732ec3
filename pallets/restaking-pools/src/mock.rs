//! A mock runtime with System, Balances, Assets, Lrt and RestakingPools; a settable epoch clock
//! and an operator registry where given operators are opted in to given consumers.
//!
//! Numbers: native ED 1, `PoolDeposit` 100, `MinDeposit` 10 (settable), native decimals 6 (like
//! the collateral asset), so every LRT has minimum balance 1 and virtual offset 10^3,
//! `WithdrawalDelay` 3, `DeallocationDelay` 2, request deposit 0 (settable), `MinAllocation` 1%.
//! Operators accept every pool unless [`MockOperators::set_accept_all`] clears it; pools with a
//! pending slash are set with [`MockPending`]. Asset metadata deposits are zero, so creating
//! the first pool costs its creator exactly `PoolDeposit + 2 × ED` (pool account and LRT pallet
//! account), later ones `PoolDeposit + ED`.

use crate::{self as pallet_restaking_pools, *};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{
		fungible::{Inspect as _, InspectHold as _},
		AsEnsureOriginWithArg, ConstU32, ConstU64, ConstU8,
	},
	PalletId,
};
use frame_system::EnsureRoot;
use palisade_primitives::{
	Collateral, ConsumerId, EpochIndex, LrtInterface, PoolId, PoolsInterface,
};
use sp_runtime::{BuildStorage, FixedU128, Perbill, Perquintill};

type Block = frame_system::mocking::MockBlock<Test>;

/// Account ids of the mock (16 bytes, so pool accounts derived from the pallet id differ).
pub type AccountId = u128;
/// Balance type of the mock.
pub type Balance = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Assets: pallet_assets,
		Lrt: pallet_lrt,
		RestakingPools: pallet_restaking_pools,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	// 16 bytes: long enough for distinct pool accounts ("modl" + pallet id + pool id).
	type AccountId = AccountId;
	type Lookup = sp_runtime::traits::IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<frame_system::EnsureSigned<AccountId>>;
	type ForceOrigin = EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = ();
	type MetadataDepositBase = ConstU64<0>;
	type MetadataDepositPerByte = ConstU64<0>;
}

/// First LRT asset id.
pub const OFFSET: u32 = 1_000_000;
/// Virtual shares and value.
pub const VIRTUAL: Balance = 1_000; // 10^(6 / 2)
/// Pool creation deposit.
pub const POOL_DEPOSIT: Balance = 100;
/// Withdrawal delay, in epochs.
pub const WITHDRAWAL_DELAY: EpochIndex = 3;
/// Deallocation delay, in epochs.
pub const DEALLOCATION_DELAY: EpochIndex = 2;
/// Most open withdrawal requests per account.
pub const MAX_REQUESTS: u32 = 3;
/// Most consumers per pool.
pub const MAX_CONSUMERS: u32 = 2;
/// Most operators per (pool, consumer), unless the builder sets another
/// ([`ExtBuilder::with_max_operators`]).
pub const MAX_OPERATORS: u32 = 3;
/// Most pools per (operator, consumer).
pub const MAX_POOLS: u32 = 2;
/// Most scheduled allocation changes per epoch.
pub const MAX_SCHEDULED: u32 = 4;
/// Most metadata bytes.
pub const MAX_METADATA: u32 = 16;
/// Most live withdrawal queue buckets per pool.
pub const MAX_BUCKETS: u32 = 5;
/// The collateral asset the builder creates (6 decimals, minimum balance 5).
pub const ASSET: u32 = 7;
/// The collateral asset's minimum balance.
pub const ASSET_MIN: Balance = 5;
/// The collateral asset's owner.
pub const ASSET_OWNER: AccountId = 99;

parameter_types! {
	/// The LRT pallet's id.
	pub const LrtPalletId: PalletId = PalletId(*b"py/plrt_");
	/// The pools pallet's id.
	pub const PoolsPalletId: PalletId = PalletId(*b"py/rpool");
	/// Smallest deposit into a native pool; tests may lower it.
	pub static MinDeposit: Balance = 10;
	/// The withdrawal request deposit; tests may raise it.
	pub static RequestDeposit: Balance = 0;
	/// Most operators per (pool, consumer): [`MAX_OPERATORS`] unless the builder sets another.
	pub static MaxOperatorsPerConsumer: u32 = MAX_OPERATORS;
	/// 10^-6 of a whole token: one base unit at 6 decimals.
	pub const MinLrtBalance: Perquintill = Perquintill::from_parts(1_000_000_000_000);
	/// Smallest non-zero allocation.
	pub const MinAllocation: Perbill = Perbill::from_percent(1);
}

/// The shared mocks of the epoch clock ([`set_epoch`], [`current_epoch`]).
pub use palisade_test_utils::{current_epoch, set_epoch, MockEpochProvider};
/// Operator registry: operators opted in with [`opt_in`], accepting every pool by default.
pub type MockOperators = palisade_test_utils::MockOperators<AccountId, Balance>;
/// The slashing pallet's pending slashes: none by default.
pub type MockPending = palisade_test_utils::MockPendingSlashes<AccountId, Balance>;

impl pallet_lrt::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Assets = Assets;
	type PalletId = LrtPalletId;
	type LrtAssetIdOffset = ConstU32<OFFSET>;
	type MinLrtBalance = MinLrtBalance;
}

impl pallet_restaking_pools::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Assets = Assets;
	type Lrt = Lrt;
	type Operators = MockOperators;
	type EpochInfo = MockEpochProvider;
	type PendingSlashes = MockPending;
	type Changes = ();
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type PalletId = PoolsPalletId;
	type PoolDeposit = ConstU64<POOL_DEPOSIT>;
	type MinDeposit = MinDeposit;
	type NativeDecimals = ConstU8<6>;
	type WithdrawalDelay = ConstU32<WITHDRAWAL_DELAY>;
	type DeallocationDelay = ConstU32<DEALLOCATION_DELAY>;
	type MaxWithdrawalRequests = ConstU32<MAX_REQUESTS>;
	type MaxConsumersPerPool = ConstU32<MAX_CONSUMERS>;
	type MaxOperatorsPerConsumer = MaxOperatorsPerConsumer;
	type MaxPoolsPerOperator = ConstU32<MAX_POOLS>;
	type MaxScheduledPerEpoch = ConstU32<MAX_SCHEDULED>;
	type MaxMetadataLen = ConstU32<MAX_METADATA>;
	type MinAllocation = MinAllocation;
	type WithdrawalRequestDeposit = RequestDeposit;
	type MaxQueueBuckets = ConstU32<MAX_BUCKETS>;
	type MaxSlashRetriesPerEpoch = ConstU32<2>;
	type Staking = crate::mock_staking::FakeStaking;
	type NposSlashBeneficiary = NposSlashBeneficiary;
	type MaxNominations = ConstU32<4>;
	type MaxBondsPerBlock = ConstU32<2>;
	type Validation = crate::mock_staking::FakeValidation;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockValidators;
	type WeightInfo = ();
}

/// Validators for the benchmarks: accounts 1,000 and up (the fake staking does not check).
#[cfg(feature = "runtime-benchmarks")]
pub struct MockValidators;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId> for MockValidators {
	fn validator(index: u32) -> AccountId {
		1_000 + AccountId::from(index)
	}
	fn session_keys(owner: &AccountId) -> (Vec<u8>, Vec<u8>) {
		crate::mock_staking::session_keys(owner)
	}
}

/// Who receives what NPoS slashes take from staked pools in the mock.
pub const NPOS_TREASURY: AccountId = 98;

parameter_types! {
	/// NPoS slashes of staked pools go to [`NPOS_TREASURY`].
	pub const NposSlashBeneficiary: Option<AccountId> = Some(NPOS_TREASURY);
}

/// The endowment of accounts 1..=10 by default.
pub const ENDOWMENT: Balance = 1_000_000_000;

/// Builds the test externalities.
pub struct ExtBuilder {
	balances: Vec<(AccountId, Balance)>,
	asset_balances: Vec<(AccountId, Balance)>,
	max_operators: u32,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			balances: (1..=10).map(|who| (who, ENDOWMENT)).collect(),
			asset_balances: (1..=10).map(|who| (who, ENDOWMENT)).collect(),
			max_operators: MAX_OPERATORS,
		}
	}
}

impl ExtBuilder {
	/// Allow `max` operators per (pool, consumer) instead of [`MAX_OPERATORS`].
	pub fn with_max_operators(mut self, max: u32) -> Self {
		self.max_operators = max;
		self
	}

	/// Build the externalities at block 1, epoch 0, with asset [`ASSET`] (6 decimals, minimum
	/// balance [`ASSET_MIN`], not sufficient) held by the given accounts.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		let max_operators = self.max_operators;
		let mut balances = self.balances;
		balances.push((ASSET_OWNER, ENDOWMENT));
		balances.push((NPOS_TREASURY, ENDOWMENT));
		pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_assets::GenesisConfig::<Test> {
			assets: vec![(ASSET, ASSET_OWNER, false, ASSET_MIN)],
			metadata: vec![(ASSET, b"Test USD".to_vec(), b"TUSD".to_vec(), 6)],
			accounts: self
				.asset_balances
				.into_iter()
				.map(|(who, amount)| (ASSET, who, amount))
				.collect(),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		palisade_test_utils::reset();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			MinDeposit::set(10);
			RequestDeposit::set(0);
			MaxOperatorsPerConsumer::set(max_operators);
		});
		ext
	}

	/// Build, run `test`, then check both pallets' invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			RestakingPools::do_try_state().expect("pool invariants hold after the test");
			Lrt::do_try_state().expect("LRT invariants hold after the test");
			assert_holders_can_redeem_at_most_the_pool_value();
		});
	}
}

/// Move the clock to `epoch` and run the epoch-start hook, like the consumers pallet.
pub fn start_epoch(epoch: EpochIndex) {
	set_epoch(epoch);
	<RestakingPools as PoolsInterface<AccountId, Balance>>::on_new_epoch(epoch);
}

/// Opt `operator` in to `consumer` in the mock registry (key `[0; 32]`).
pub fn opt_in(operator: AccountId, consumer: ConsumerId) {
	MockOperators::opt_in(consumer, operator, [0; 32]);
}

/// Metadata from bytes.
pub fn metadata(bytes: &[u8]) -> MetadataOf<Test> {
	bytes.to_vec().try_into().unwrap()
}

/// `curator` creates a pool of `collateral` with cap `u64::MAX / 2`; returns its id.
pub fn create_pool(curator: AccountId, collateral: Collateral) -> PoolId {
	let pool = NextPoolId::<Test>::get();
	assert_ok!(RestakingPools::create_pool(
		RuntimeOrigin::signed(curator),
		collateral,
		metadata(b"pool"),
		u64::MAX / 2,
	));
	pool
}

/// `who` deposits `amount` into `pool`; returns the LRT minted.
pub fn deposit(who: AccountId, pool: PoolId, amount: Balance) -> Balance {
	let before = lrt(pool, who);
	assert_ok!(RestakingPools::deposit(RuntimeOrigin::signed(who), pool, amount));
	lrt(pool, who) - before
}

/// `who` requests the withdrawal of `amount` LRT of `pool`; returns the request id.
pub fn request(who: AccountId, pool: PoolId, amount: Balance) -> RequestId {
	let id = NextRequestId::<Test>::get();
	assert_ok!(RestakingPools::request_withdrawal(RuntimeOrigin::signed(who), pool, amount));
	id
}

/// `who` claims request `id` of `pool`.
pub fn claim(who: AccountId, pool: PoolId, id: RequestId) {
	assert_ok!(RestakingPools::claim_withdrawal(RuntimeOrigin::signed(who), pool, id));
}

/// `who`'s LRT of `pool`.
pub fn lrt(pool: PoolId, who: AccountId) -> Balance {
	<Lrt as LrtInterface<AccountId, Balance>>::balance(pool, &who)
}

/// The LRT supply of `pool`.
pub fn supply(pool: PoolId) -> Balance {
	<Lrt as LrtInterface<AccountId, Balance>>::supply(pool)
}

/// `who`'s free native balance.
pub fn free(who: AccountId) -> Balance {
	Balances::balance(&who)
}

/// `who`'s balance of the collateral asset.
pub fn asset(who: AccountId) -> Balance {
	Assets::balance(ASSET, who)
}

/// Native balance of `pool`'s account above its existential deposit: what the pool owes in
/// native, plus any donation.
pub fn in_pool(pool: PoolId) -> Balance {
	free(RestakingPools::pool_account(pool)) - Balances::minimum_balance()
}

/// Native balance held on `who` for creation deposits.
pub fn held_deposit(who: AccountId) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::RestakingPools(HoldReason::PoolDeposit), &who)
}

/// The record of `pool`.
pub fn pool_record(pool: PoolId) -> PoolRecordOf<Test> {
	Pools::<Test>::get(pool).expect("pool exists")
}

/// The queue bucket of `pool` opened at epoch `key` (empty if there is none).
pub fn bucket(pool: PoolId, key: EpochIndex) -> WithdrawalQueue<Balance> {
	QueueBuckets::<Test>::get(pool, key).map(|bucket| bucket.queue).unwrap_or_default()
}

/// The rate of `pool`.
pub fn rate(pool: PoolId) -> FixedU128 {
	RestakingPools::rate(pool)
}

/// The events of this pallet deposited since the last call, oldest first.
pub fn pool_events() -> Vec<Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::RestakingPools(event) => Some(event),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// Root sets the valuation of [`ASSET`].
pub fn set_valuation(valuation: FixedU128) {
	assert_ok!(RestakingPools::set_collateral_valuation(RuntimeOrigin::root(), ASSET, valuation));
}

/// Sum, over every holder of every pool's LRT, what the holder could redeem now, and check it
/// is at most the pool's active value (the "fair rate" invariant, holder by holder).
pub fn assert_holders_can_redeem_at_most_the_pool_value() {
	for (pool, record) in Pools::<Test>::iter() {
		let redeemable: u128 = pallet_assets::Account::<Test>::iter_prefix(record.lrt_asset)
			.map(|(_, account)| {
				u128::from(<Lrt as LrtInterface<AccountId, Balance>>::value_of(
					pool,
					account.balance,
					record.active,
				))
			})
			.sum();
		assert!(
			redeemable <= u128::from(record.active),
			"holders of pool {pool} can redeem {redeemable} > {}",
			record.active
		);
	}
}
