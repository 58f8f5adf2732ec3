//! A mock runtime with System and ServiceSlashing, and recording mocks of the operator registry,
//! the pools and the consumer registry, all settable from the tests.
//!
//! Default world ([`ExtBuilder::default`]): consumer 1 with reporter [`REPORTER`] and admin
//! [`ADMIN`]; operator 1 with a bond of 1_000; pools 100 (value 10_000) and 101 (value 5_000);
//! operator 1 exposed for consumer 1 in epoch 0 with own 1_000 and pools 100: 4_000,
//! 101: 2_000 (key [`key`]`(1)`). The clock is at epoch 0.

use crate::{self as pallet_service_slashing, *};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, Hooks},
	weights::Weight,
};
use frame_system::EnsureRoot;
use palisade_primitives::{
	ConsumerId, ConsumerKey, EpochHooks, EpochIndex, OperatorRegistry, PoolId,
};
use palisade_test_utils::Settings;
use sp_runtime::{BuildStorage, DispatchResult, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;

/// Account ids of the mock.
pub type AccountId = u64;
/// Balance type of the mock.
pub type Balance = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		ServiceSlashing: pallet_service_slashing,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// The consumer of the default world.
pub const CONSUMER: ConsumerId = 1;
/// Its reporter.
pub const REPORTER: AccountId = 10;
/// Its admin.
pub const ADMIN: AccountId = 11;
/// The treasury.
pub const TREASURY: AccountId = 999;
/// The operator of the default world.
pub const OPERATOR: AccountId = 1;
/// Anybody.
pub const ALICE: AccountId = 20;

/// Exposure retention of the consumers, in epochs.
pub const EXPOSURE_RETENTION: EpochIndex = 10;
/// Most pools per exposure.
pub const MAX_POOLS: u32 = 8;
/// Most details bytes.
pub const MAX_DETAILS: u32 = 32;

/// The mock's default parameters.
pub fn default_params() -> SlashingParams {
	SlashingParams {
		downtime: Perbill::from_percent(1),
		equivocation: Perbill::from_percent(10),
		misbehaviour: Perbill::from_percent(5),
		max_subjective_fraction: Perbill::from_percent(20),
		report_window: 4,
		veto_delay: 3,
		jail_length: 2,
		destination: SlashDestination::Treasury,
		reporter_reward: Perbill::from_percent(10),
		meter_period: 1,
		max_slashed_per_period: 1_000_000,
		max_jails_per_period: 10,
	}
}

parameter_types! {
	/// Withdrawal delay of the pools, in epochs.
	pub static WithdrawalDelay: EpochIndex = 8;
	/// Deallocation delay of the pools, in epochs.
	pub static DeallocationDelay: EpochIndex = 8;
	/// Opt-out delay of the operators, in epochs.
	pub static OptOutDelay: EpochIndex = 8;
	/// Unbonding delay of the operators, in epochs.
	pub static UnbondingDelay: EpochIndex = 8;
	/// Most pending slashes per (operator, consumer).
	pub static MaxPendingPerPair: u32 = 4;
	/// Most pending slashes per consumer.
	pub static MaxPendingPerConsumer: u32 = 16;
	/// Most slashes per block.
	pub static MaxSlashesPerBlock: u32 = 4;
	/// The default parameters.
	pub static DefaultParams: SlashingParams = default_params();
	/// Hard bound on fractions.
	pub const MaxSlashFraction: Perbill = Perbill::from_percent(50);
	/// Hard bound on the reporter reward.
	pub const MaxReporterReward: Perbill = Perbill::from_percent(50);
	/// The treasury account.
	pub const TreasuryAccount: AccountId = TREASURY;
}

/// The shared mocks of the epoch clock ([`set_epoch`]).
pub use palisade_test_utils::{set_epoch, MockEpochProvider};
/// Operator registry: operators are those with a bond ([`set_bond`]); slashes
/// ([`MockOperators::bond_slashes`]) and jails ([`MockOperators::jails`]) are recorded.
pub type MockOperators = palisade_test_utils::MockOperators<AccountId, Balance>;
/// Pools with a value ([`set_pool`]); a slash takes at most the pool's value, owes the rest and
/// is recorded ([`MockPools::pool_slashes`]).
pub type MockPools = palisade_test_utils::MockPools<AccountId, Balance, ConstU32<MAX_POOLS>>;
/// Consumer registry: reporters, admins ([`add_consumer`]), exposures ([`expose`]) and GRANDPA
/// sets ([`set_grandpa_set`]).
pub type MockConsumers = palisade_test_utils::MockConsumers<AccountId, Balance>;
/// Where slashed funds went ([`paid`], [`SlashedFunds::burnt`]).
pub type SlashedFunds = palisade_test_utils::SlashedFunds<AccountId, Balance>;
/// One call to `OperatorRegistry::slash_bond_to`.
pub type BondSlash = palisade_test_utils::BondSlash<AccountId, Balance>;
/// One call to `PoolsInterface::slash_for_epoch`.
pub type PoolSlash = palisade_test_utils::PoolSlash<AccountId, Balance>;

impl Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type Operators = MockOperators;
	type Pools = MockPools;
	type Consumers = MockConsumers;
	type EpochInfo = MockEpochProvider;
	type GovernanceOrigin = EnsureRoot<AccountId>;
	type TreasuryAccount = TreasuryAccount;
	type DefaultParams = DefaultParams;
	type MaxSlashFraction = MaxSlashFraction;
	type MaxReporterReward = MaxReporterReward;
	type MaxJailLength = ConstU32<10>;
	type MinVetoDelay = ConstU32<1>;
	type MaxMeterPeriod = ConstU32<10>;
	type WithdrawalDelay = WithdrawalDelay;
	type DeallocationDelay = DeallocationDelay;
	type OptOutDelay = OptOutDelay;
	type UnbondingDelay = UnbondingDelay;
	type MaxSlashesPerBlock = MaxSlashesPerBlock;
	type MaxExposedPools = ConstU32<MAX_POOLS>;
	type MaxPendingPerPair = MaxPendingPerPair;
	type MaxPendingPerConsumer = MaxPendingPerConsumer;
	type MaxDetailsLen = ConstU32<MAX_DETAILS>;
	type WeightInfo = ();
}

/// Builds the test externalities.
#[derive(Default)]
pub struct ExtBuilder {
	params: Option<SlashingParams>,
}

impl ExtBuilder {
	/// Start from these genesis parameters instead of the defaults.
	pub fn with_params(mut self, params: SlashingParams) -> Self {
		self.params = Some(params);
		self
	}

	/// Build the externalities at block 1, epoch 0.
	pub fn build(self) -> sp_io::TestExternalities {
		// The mocks' state lives in thread-locals: reset it (benchmark tests reuse a thread).
		palisade_test_utils::reset_with(Settings {
			exposure_retention: EXPOSURE_RETENTION,
			..Settings::default()
		});
		MaxPendingPerPair::set(4);
		MaxPendingPerConsumer::set(16);
		WithdrawalDelay::set(8);
		DeallocationDelay::set(8);
		OptOutDelay::set(8);
		UnbondingDelay::set(8);
		MaxSlashesPerBlock::set(4);
		DefaultParams::set(default_params());

		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_service_slashing::GenesisConfig::<Test> {
			params: self.params.unwrap_or_else(default_params),
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| {
			System::set_block_number(1);
			add_consumer(CONSUMER, REPORTER, ADMIN);
			set_bond(OPERATOR, 1_000);
			set_pool(100, 10_000);
			set_pool(101, 5_000);
			expose(0, CONSUMER, OPERATOR, 1_000, &[(100, 4_000), (101, 2_000)]);
		});
		ext
	}

	/// Build, run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			ServiceSlashing::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// A consumer key derived from a number.
pub fn key(n: u8) -> ConsumerKey {
	[n; 32]
}

/// Set `who`'s bond (making it an operator).
pub fn set_bond(who: AccountId, bond: Balance) {
	MockOperators::set_bond(who, bond);
}

/// `who`'s bond.
pub fn bond(who: AccountId) -> Balance {
	<MockOperators as OperatorRegistry<_, _>>::bond(&who)
}

/// Set a pool's current value (creating it).
pub fn set_pool(pool: PoolId, value: Balance) {
	MockPools::set_value(pool, value);
}

/// A pool's current value.
pub fn pool_value(pool: PoolId) -> Balance {
	MockPools::value(pool)
}

/// Record an exposure of `operator` for `consumer` in `epoch`, with key `key(operator)`.
pub fn expose(
	epoch: EpochIndex,
	consumer: ConsumerId,
	operator: AccountId,
	own: Balance,
	pools: &[(PoolId, Balance)],
) {
	expose_with_key(epoch, consumer, operator, key(operator as u8), own, pools);
}

/// Record an exposure of `operator` for `consumer` in `epoch` with `key`.
pub fn expose_with_key(
	epoch: EpochIndex,
	consumer: ConsumerId,
	operator: AccountId,
	key: ConsumerKey,
	own: Balance,
	pools: &[(PoolId, Balance)],
) {
	MockConsumers::expose(epoch, consumer, operator, key, own, pools);
}

/// Forget every exposure of `epoch` (as the consumers pallet prunes them).
pub fn prune_exposures(epoch: EpochIndex) {
	MockConsumers::prune_exposures(epoch);
}

/// Record that `consumer`'s GRANDPA set `set_id` was first in force in `epoch`.
pub fn set_grandpa_set(consumer: ConsumerId, set_id: u64, epoch: EpochIndex) {
	MockConsumers::set_grandpa_set(consumer, set_id, epoch);
}

/// Add a consumer with a reporter and an admin.
pub fn add_consumer(consumer: ConsumerId, reporter: AccountId, admin: AccountId) {
	MockConsumers::register(consumer, reporter, admin);
}

/// Make `reporter` `consumer`'s reporter from epoch `since` on (as `set_reporter` would).
pub fn set_reporter(consumer: ConsumerId, reporter: AccountId, since: EpochIndex) {
	MockConsumers::set_reporter(consumer, reporter, since);
}

/// What `who` received from slashes.
pub fn paid(who: AccountId) -> Balance {
	SlashedFunds::paid(&who)
}

/// Run the epoch hooks of `epoch` again in a new block (to continue queued work).
pub fn next_block_work(epoch: EpochIndex) -> Weight {
	next_block();
	<ServiceSlashing as EpochHooks>::on_idle_epoch_work(epoch, Weight::MAX)
}

/// Move to the next block (its `on_initialize` counts the pools of the previous block's
/// reports).
pub fn next_block() {
	next_block_weight();
}

/// Move to the next block; returns the weight of this pallet's `on_initialize`.
pub fn next_block_weight() -> Weight {
	let now = System::block_number();
	ServiceSlashing::on_finalize(now);
	System::set_block_number(now + 1);
	ServiceSlashing::on_initialize(now + 1)
}

/// Move the clock to `epoch` in a new block and run the epoch-start hook with an unlimited
/// budget, like the consumers pallet. Returns the weight used.
pub fn start_epoch(epoch: EpochIndex) -> Weight {
	next_block();
	set_epoch(epoch);
	<ServiceSlashing as EpochHooks>::on_epoch_start(epoch, Weight::MAX)
}

/// Details of a report.
pub fn details(bytes: &[u8]) -> DetailsOf<Test> {
	bytes.to_vec().try_into().unwrap()
}

/// File a report of `kind` against `operator` on [`CONSUMER`] for `epoch`, by [`REPORTER`].
pub fn report(operator: AccountId, kind: OffenceKind, epoch: EpochIndex) -> DispatchResult {
	ServiceSlashing::report_offence(
		RuntimeOrigin::signed(REPORTER),
		CONSUMER,
		operator,
		kind,
		epoch,
		details(b"evidence"),
	)
	.map(|_| ())
	.map_err(|e| e.error)
}

/// The events of this pallet deposited since the last call, oldest first.
pub fn slashing_events() -> Vec<Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::ServiceSlashing(event) => Some(event),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}
