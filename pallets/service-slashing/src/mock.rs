//! A mock runtime with System and ServiceSlashing, and recording mocks of the operator registry,
//! the pools and the consumer registry, all settable from the tests.
//!
//! Default world ([`ExtBuilder::default`]): consumer 1 with reporter [`REPORTER`] and admin
//! [`ADMIN`]; operator 1 with a bond of 1_000; pools 100 (value 10_000) and 101 (value 5_000);
//! operator 1 exposed for consumer 1 in epoch 0 with own 1_000 and pools 100: 4_000,
//! 101: 2_000 (key [`key`]`(1)`). The clock is at epoch 0.

use crate::{self as pallet_service_slashing, *};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, Hooks},
	weights::Weight,
};
use frame_system::EnsureRoot;
use palisade_primitives::{
	ConsumerId, ConsumerKey, ConsumersInterface, EpochHooks, EpochIndex, EpochProvider,
	ExposureInfo, OperatorRegistry, OptedInOperator, PoolId, PoolsInterface,
};
use sp_runtime::{BuildStorage, DispatchError, DispatchResult, Perbill};

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
	/// The mock's current epoch; tests move it with [`set_epoch`].
	pub static MockEpoch: EpochIndex = 0;
	/// Operators and their bonds.
	pub static Bonds: BTreeMap<AccountId, Balance> = BTreeMap::new();
	/// Calls to `slash_bond_to`: (operator, asked, taken, beneficiary).
	pub static BondSlashes: Vec<BondSlash> = Vec::new();
	/// What each beneficiary received from slashes (bond and pools).
	pub static Paid: BTreeMap<AccountId, Balance> = BTreeMap::new();
	/// What was burnt by slashes (bond and pools).
	pub static Burnt: Balance = 0;
	/// Pool slashes booked but not paid yet (the pool could not pay): pool → owed.
	pub static Owed: BTreeMap<PoolId, Balance> = BTreeMap::new();
	/// Calls to `jail`: (operator, until).
	pub static Jails: Vec<(AccountId, EpochIndex)> = Vec::new();
	/// Pools and their current value.
	pub static PoolValues: BTreeMap<PoolId, Balance> = BTreeMap::new();
	/// Calls to `PoolsInterface::slash_for_epoch`.
	pub static PoolSlashes: Vec<PoolSlash> = Vec::new();
	/// What pools back now: (pool, operator, consumer) → amount. Never read by the pallet,
	/// which slashes the exposure snapshot.
	pub static CurrentBacking: BTreeMap<(PoolId, AccountId, ConsumerId), Balance> =
		BTreeMap::new();
	/// Consumers' reporters.
	pub static Reporters: BTreeMap<ConsumerId, AccountId> = BTreeMap::new();
	/// The epoch each consumer's reporter took office (0 if absent).
	pub static ReporterSince: BTreeMap<ConsumerId, EpochIndex> = BTreeMap::new();
	/// Consumers' admins.
	pub static Admins: BTreeMap<ConsumerId, AccountId> = BTreeMap::new();
	/// Exposures: (epoch, consumer, operator) → exposure.
	pub static Exposures: BTreeMap<(EpochIndex, ConsumerId, AccountId), ExposureInfo<Balance>> =
		BTreeMap::new();
	/// GRANDPA sets: (consumer, set id) → first epoch.
	pub static SetEpochs: BTreeMap<(ConsumerId, u64), EpochIndex> = BTreeMap::new();
	/// Key owners that override the ones read from the exposures: (epoch, consumer, key) →
	/// operator.
	pub static KeyOwnersAt: BTreeMap<(EpochIndex, ConsumerId, ConsumerKey), AccountId> =
		BTreeMap::new();
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
	/// How long exposures are kept.
	pub static Retention: EpochIndex = EXPOSURE_RETENTION;
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

/// One call to `OperatorRegistry::slash_bond_to`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct BondSlash {
	/// The operator.
	pub who: AccountId,
	/// The amount asked for.
	pub amount: Balance,
	/// The amount taken.
	pub taken: Balance,
	/// Where the funds go (`None`: burnt).
	pub beneficiary: Option<AccountId>,
}

/// One call to `PoolsInterface::slash_for_epoch`.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct PoolSlash {
	/// The pool.
	pub pool: PoolId,
	/// The amount asked for (and booked: never lost).
	pub amount: Balance,
	/// The offence epoch.
	pub epoch: EpochIndex,
	/// Where the funds go (`None`: burnt).
	pub beneficiary: Option<AccountId>,
	/// The amount paid now (the rest is owed).
	pub taken: Balance,
}

/// Credit `amount` to `beneficiary`, or burn it.
fn pay(beneficiary: Option<AccountId>, amount: Balance) {
	match beneficiary {
		Some(who) => Paid::mutate(|paid| *paid.entry(who).or_default() += amount),
		None => Burnt::mutate(|burnt| *burnt += amount),
	}
}

/// Epoch clock reading [`MockEpoch`].
pub struct MockEpochProvider;
impl EpochProvider for MockEpochProvider {
	fn current_epoch() -> EpochIndex {
		MockEpoch::get()
	}
}

/// Operator registry: operators are the keys of [`Bonds`]; slashes and jails are recorded.
pub struct MockOperators;
impl OperatorRegistry<AccountId, Balance> for MockOperators {
	fn is_operator(who: &AccountId) -> bool {
		Bonds::get().contains_key(who)
	}
	fn is_active(who: &AccountId) -> bool {
		Self::is_operator(who)
	}
	fn is_opted_in(_who: &AccountId, _consumer: ConsumerId, _epoch: EpochIndex) -> bool {
		true
	}
	fn is_eligible(who: &AccountId, _consumer: ConsumerId, _epoch: EpochIndex) -> bool {
		Self::is_operator(who)
	}
	fn bond(who: &AccountId) -> Balance {
		Bonds::get().get(who).copied().unwrap_or_default()
	}
	fn slashable_balance(who: &AccountId) -> Balance {
		Self::bond(who)
	}
	fn commission_at(_who: &AccountId, _epoch: EpochIndex) -> Option<Perbill> {
		None
	}
	fn consumer_key(
		_who: &AccountId,
		_consumer: ConsumerId,
		_epoch: EpochIndex,
	) -> Option<ConsumerKey> {
		None
	}
	fn operator_of_key(_consumer: ConsumerId, _key: &ConsumerKey) -> Option<AccountId> {
		None
	}
	fn opted_in_operators(
		_consumer: ConsumerId,
		_epoch: EpochIndex,
	) -> Vec<OptedInOperator<AccountId>> {
		Vec::new()
	}
	fn max_operators_per_consumer() -> u32 {
		16
	}
	fn jail(who: &AccountId, until: EpochIndex) -> DispatchResult {
		if !Self::is_operator(who) {
			return Err(DispatchError::Other("not an operator"));
		}
		Jails::mutate(|jails| jails.push((*who, until)));
		Ok(())
	}
	fn slash_bond(who: &AccountId, amount: Balance) -> Balance {
		Self::slash_bond_to(who, amount, Some(TREASURY))
	}
	fn slash_bond_to(who: &AccountId, amount: Balance, beneficiary: Option<AccountId>) -> Balance {
		let taken = Bonds::mutate(|bonds| match bonds.get_mut(who) {
			Some(bond) => {
				let taken = amount.min(*bond);
				*bond -= taken;
				taken
			}
			None => 0,
		});
		pay(beneficiary, taken);
		BondSlashes::mutate(|slashes| {
			slashes.push(BondSlash { who: *who, amount, taken, beneficiary })
		});
		taken
	}
	fn on_new_epoch(_epoch: EpochIndex) -> Weight {
		Weight::zero()
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmarks(
		who: &AccountId,
		_consumer: ConsumerId,
		_key: ConsumerKey,
	) -> DispatchResult {
		Bonds::mutate(|bonds| bonds.insert(*who, 1_000_000));
		Ok(())
	}
}

/// Pools: the keys of [`PoolValues`]; a slash takes at most the pool's value and is recorded.
pub struct MockPools;
impl PoolsInterface<AccountId, Balance> for MockPools {
	fn pool_exists(pool: PoolId) -> bool {
		PoolValues::get().contains_key(&pool)
	}
	fn backing_of(
		pool: PoolId,
		operator: &AccountId,
		consumer: ConsumerId,
		_epoch: EpochIndex,
	) -> Balance {
		CurrentBacking::get().get(&(pool, *operator, consumer)).copied().unwrap_or_default()
	}
	fn backing(
		operator: &AccountId,
		consumer: ConsumerId,
		_epoch: EpochIndex,
	) -> Vec<(PoolId, Balance)> {
		CurrentBacking::get()
			.into_iter()
			.filter(|((_, o, c), amount)| o == operator && *c == consumer && *amount > 0)
			.map(|((pool, _, _), amount)| (pool, amount))
			.collect()
	}
	fn max_pools_per_operator() -> u32 {
		MAX_POOLS
	}
	fn add_rewards(
		_pool: PoolId,
		_payer: &AccountId,
		_amount: Balance,
	) -> Result<Balance, DispatchError> {
		Err(DispatchError::Other("not mocked"))
	}
	fn slash(_pool: PoolId, _amount: Balance, _beneficiary: Option<AccountId>) -> Balance {
		panic!("the slashing pallet slashes pools with slash_for_epoch");
	}
	fn slash_for_epoch(
		pool: PoolId,
		amount: Balance,
		epoch: EpochIndex,
		beneficiary: Option<AccountId>,
	) -> Balance {
		let taken = PoolValues::mutate(|pools| match pools.get_mut(&pool) {
			Some(value) => {
				let taken = amount.min(*value);
				*value -= taken;
				taken
			}
			None => 0,
		});
		pay(beneficiary, taken);
		if taken < amount {
			Owed::mutate(|owed| *owed.entry(pool).or_default() += amount - taken);
		}
		PoolSlashes::mutate(|slashes| {
			slashes.push(PoolSlash { pool, amount, epoch, beneficiary, taken })
		});
		amount
	}
	fn on_new_epoch(_epoch: EpochIndex) -> Weight {
		Weight::zero()
	}
	fn add_rewards_weight() -> Weight {
		Weight::zero()
	}
	fn slash_weight() -> Weight {
		Weight::zero()
	}
	fn backing_weight() -> Weight {
		Weight::zero()
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn back_for_benchmarks(
		_operator: &AccountId,
		_consumer: ConsumerId,
		amount: Balance,
	) -> Result<PoolId, DispatchError> {
		let id = PoolValues::get().keys().last().map_or(1_000, |last| last + 1);
		PoolValues::mutate(|pools| pools.insert(id, amount));
		Ok(id)
	}
}

/// Consumer registry reading [`Reporters`], [`Admins`], [`Exposures`] and [`SetEpochs`]; the
/// operator of a key at an epoch is read from [`KeyOwnersAt`], else from the exposures.
pub struct MockConsumers;
impl ConsumersInterface<AccountId, Balance> for MockConsumers {
	fn reporter(consumer: ConsumerId) -> Option<AccountId> {
		Reporters::get().get(&consumer).copied()
	}
	fn reporter_at(consumer: ConsumerId, epoch: EpochIndex) -> Option<AccountId> {
		let since = ReporterSince::get().get(&consumer).copied().unwrap_or_default();
		Self::reporter(consumer).filter(|_| since <= epoch)
	}
	fn admin(consumer: ConsumerId) -> Option<AccountId> {
		Admins::get().get(&consumer).copied()
	}
	fn exposure(
		epoch: EpochIndex,
		consumer: ConsumerId,
		operator: &AccountId,
	) -> Option<ExposureInfo<Balance>> {
		Exposures::get().get(&(epoch, consumer, *operator)).cloned()
	}
	fn epoch_of_set(consumer: ConsumerId, set_id: u64) -> Option<EpochIndex> {
		SetEpochs::get().get(&(consumer, set_id)).copied()
	}
	fn operator_of_key_at(
		epoch: EpochIndex,
		consumer: ConsumerId,
		key: &ConsumerKey,
	) -> Option<AccountId> {
		if let Some(owner) = KeyOwnersAt::get().get(&(epoch, consumer, *key)) {
			return Some(*owner);
		}
		Exposures::get()
			.iter()
			.find(|((e, c, _), exposure)| *e == epoch && *c == consumer && exposure.key == *key)
			.map(|((_, _, operator), _)| *operator)
	}
	fn exposure_retention() -> EpochIndex {
		Retention::get()
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn set_exposure_for_benchmarks(
		epoch: EpochIndex,
		consumer: ConsumerId,
		operator: &AccountId,
		reporter: &AccountId,
		exposure: ExposureInfo<Balance>,
	) {
		Reporters::mutate(|reporters| reporters.insert(consumer, *reporter));
		// Set ids deliberately differ from epochs, as they may in a runtime.
		set_grandpa_set(consumer, u64::from(epoch) + 3, epoch);
		Exposures::mutate(|exposures| exposures.insert((epoch, consumer, *operator), exposure));
	}
}

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
		MockEpoch::set(0);
		Bonds::set(BTreeMap::new());
		BondSlashes::set(Vec::new());
		Paid::set(BTreeMap::new());
		Burnt::set(0);
		Owed::set(BTreeMap::new());
		ReporterSince::set(BTreeMap::new());
		MaxPendingPerPair::set(4);
		MaxPendingPerConsumer::set(16);
		Jails::set(Vec::new());
		PoolValues::set(BTreeMap::new());
		PoolSlashes::set(Vec::new());
		CurrentBacking::set(BTreeMap::new());
		Reporters::set(BTreeMap::new());
		Admins::set(BTreeMap::new());
		Exposures::set(BTreeMap::new());
		SetEpochs::set(BTreeMap::new());
		KeyOwnersAt::set(BTreeMap::new());
		Retention::set(EXPOSURE_RETENTION);
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

/// Move the clock to `epoch`.
pub fn set_epoch(epoch: EpochIndex) {
	MockEpoch::set(epoch);
}

/// Set `who`'s bond (making it an operator).
pub fn set_bond(who: AccountId, bond: Balance) {
	Bonds::mutate(|bonds| bonds.insert(who, bond));
}

/// `who`'s bond.
pub fn bond(who: AccountId) -> Balance {
	Bonds::get().get(&who).copied().unwrap_or_default()
}

/// Set a pool's current value (creating it).
pub fn set_pool(pool: PoolId, value: Balance) {
	PoolValues::mutate(|pools| pools.insert(pool, value));
}

/// A pool's current value.
pub fn pool_value(pool: PoolId) -> Balance {
	PoolValues::get().get(&pool).copied().unwrap_or_default()
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
	let total = own + pools.iter().map(|(_, amount)| amount).sum::<Balance>();
	Exposures::mutate(|exposures| {
		exposures.insert(
			(epoch, consumer, operator),
			ExposureInfo { key, own, pools: pools.to_vec(), total },
		)
	});
}

/// Forget every exposure of `epoch` (as the consumers pallet prunes them).
pub fn prune_exposures(epoch: EpochIndex) {
	Exposures::mutate(|exposures| exposures.retain(|(e, _, _), _| *e != epoch));
}

/// Record that `consumer`'s GRANDPA set `set_id` was first in force in `epoch`.
pub fn set_grandpa_set(consumer: ConsumerId, set_id: u64, epoch: EpochIndex) {
	SetEpochs::mutate(|sets| sets.insert((consumer, set_id), epoch));
}

/// Add a consumer with a reporter and an admin.
pub fn add_consumer(consumer: ConsumerId, reporter: AccountId, admin: AccountId) {
	Reporters::mutate(|r| r.insert(consumer, reporter));
	Admins::mutate(|a| a.insert(consumer, admin));
}

/// Make `reporter` `consumer`'s reporter from epoch `since` on (as `set_reporter` would).
pub fn set_reporter(consumer: ConsumerId, reporter: AccountId, since: EpochIndex) {
	Reporters::mutate(|r| r.insert(consumer, reporter));
	ReporterSince::mutate(|s| s.insert(consumer, since));
}

/// What `who` received from slashes.
pub fn paid(who: AccountId) -> Balance {
	Paid::get().get(&who).copied().unwrap_or_default()
}

/// Run the epoch hooks of `epoch` again in a new block (to continue queued work).
pub fn next_block_work(epoch: EpochIndex) -> Weight {
	next_block();
	<ServiceSlashing as EpochHooks>::on_idle_epoch_work(epoch, Weight::MAX)
}

/// Move to the next block.
pub fn next_block() {
	let now = System::block_number();
	ServiceSlashing::on_finalize(now);
	System::set_block_number(now + 1);
	ServiceSlashing::on_initialize(now + 1);
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
