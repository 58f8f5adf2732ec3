//! A mock runtime with System, Balances and Consumers, an operator registry and restaking
//! pools whose data tests set directly, and epoch hooks that record their calls.
//!
//! The registry's and the pools' data live in (unhashed) storage, so that externalities and
//! benchmark runs roll them back like any other state; the call log and the weights the
//! neighbours report are thread-local and reset by [`ExtBuilder::build`].

use crate::{self as pallet_consumers, *};
use alloc::collections::btree_map::BTreeMap;
use codec::{Decode, Encode};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	storage::unhashed,
	traits::{fungible::Mutate, tokens::Preservation, ConstU32, Hooks},
	weights::Weight,
	PalletId,
};
use palisade_primitives::{
	ConsumerId, ConsumerKey, EpochHooks, EpochIndex, OperatorRegistry, OptedInOperator, PoolId,
	PoolsInterface,
};
use sp_runtime::{traits::IdentityLookup, BuildStorage, DispatchError, DispatchResult, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;

/// Account ids of the mock (wide enough for distinct escrow sub-accounts).
pub type AccountId = u128;
/// Balance type of the mock.
pub type Balance = u128;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Consumers: pallet_consumers,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type Balance = Balance;
	type AccountStore = System;
}

/// Registration deposit.
pub const DEPOSIT: Balance = 100;
/// Exposure retention, in epochs.
pub const RETENTION: EpochIndex = 3;
/// Most consumers.
pub const MAX_CONSUMERS: u32 = 5;
/// Most operators per set (and opted in per consumer, in the mock registry).
pub const MAX_OPERATORS: u32 = 6;
/// Most pools per operator.
pub const MAX_POOLS: u32 = 3;
/// Blocks per epoch.
pub const EPOCH_LENGTH: u64 = 10;
/// The account that funds leases in tests.
pub const FUNDER: AccountId = 9;
/// Existential deposit of the mock.
pub const ED: Balance = 1;
/// Epochs a registration has to activate.
pub const ACTIVATION_PERIOD: EpochIndex = 5;
/// Share of the deposit burnt for a consumer that never had a set, in percent.
pub const PENALTY_PERCENT: u32 = 10;

parameter_types! {
	/// Share of the deposit burnt for a consumer that never had a set.
	pub const UnactivatedPenalty: Perbill = Perbill::from_percent(PENALTY_PERCENT);
}

/// Something the neighbours of the pallet were asked to do, in order.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum NeighbourCall {
	/// `Operators::on_new_epoch(epoch)`.
	OperatorsNewEpoch(EpochIndex),
	/// `Pools::on_new_epoch(epoch)`.
	PoolsNewEpoch(EpochIndex),
	/// `EpochHooks::on_epoch_start(epoch, budget)`.
	HookEpochStart(EpochIndex, Weight),
	/// `EpochHooks::on_idle_epoch_work(epoch, budget)`.
	HookIdle(EpochIndex, Weight),
	/// `Operators::opted_in_operators(consumer, epoch)`.
	OptedInQuery(ConsumerId, EpochIndex),
}

parameter_types! {
	/// Every call made to the neighbours, oldest first.
	pub static NeighbourCalls: Vec<NeighbourCall> = vec![];
	/// Weight `Operators::on_new_epoch` reports.
	pub static OperatorsEpochWeight: Weight = Weight::zero();
	/// Weight `Pools::on_new_epoch` reports.
	pub static PoolsEpochWeight: Weight = Weight::zero();
	/// Weight `EpochHooks::on_epoch_start` reports (capped by its budget).
	pub static HookStartWeight: Weight = Weight::zero();
	/// Weight `EpochHooks::on_idle_epoch_work` reports (capped by its budget).
	pub static HookIdleWeight: Weight = Weight::zero();
	/// The transition budget per block.
	pub static TransitionBudget: Weight = Weight::from_parts(1 << 50, 1 << 40);
	/// Escrow accounts' pallet id.
	pub const ConsumersPalletId: PalletId = PalletId(*b"py/cnsmr");
}

const OPERATORS_KEY: &[u8] = b":mock:operators";
const OPT_INS_KEY: &[u8] = b":mock:opt_ins";
const BACKING_KEY: &[u8] = b":mock:backing";
const FAILING_POOLS_KEY: &[u8] = b":mock:failing_pools";
const REWARDS_KEY: &[u8] = b":mock:rewards";
#[cfg(feature = "runtime-benchmarks")]
const NEXT_POOL_KEY: &[u8] = b":mock:next_pool";

fn load<V: Decode + Default>(key: &[u8]) -> V {
	unhashed::get_or_default(key)
}

fn mutate<V: Encode + Decode + Default, R>(key: &[u8], f: impl FnOnce(&mut V) -> R) -> R {
	let mut value = load::<V>(key);
	let result = f(&mut value);
	unhashed::put(key, &value);
	result
}

/// Operators of the mock registry: account → (bond, commission).
pub fn mock_operators() -> BTreeMap<AccountId, (Balance, Perbill)> {
	load(OPERATORS_KEY)
}

/// Opt-ins of the mock registry, per consumer, in opt-in order.
pub fn mock_opt_ins() -> BTreeMap<ConsumerId, Vec<OptedInOperator<AccountId>>> {
	load(OPT_INS_KEY)
}

/// Backing of the mock pools: (operator, consumer) → [(pool, amount)].
pub fn mock_backing() -> BTreeMap<(AccountId, ConsumerId), Vec<(PoolId, Balance)>> {
	load(BACKING_KEY)
}

/// The `add_rewards` calls that succeeded: (pool, payer, amount).
pub fn reward_calls() -> Vec<(PoolId, AccountId, Balance)> {
	load(REWARDS_KEY)
}

/// The account the mock pools keep their funds in.
pub fn pool_account(pool: PoolId) -> AccountId {
	100_000 + pool as AccountId
}

/// An operator registry reading the mock's storage.
pub struct MockOperators;
impl OperatorRegistry<AccountId, Balance> for MockOperators {
	fn is_operator(who: &AccountId) -> bool {
		mock_operators().contains_key(who)
	}
	fn is_active(who: &AccountId) -> bool {
		Self::is_operator(who)
	}
	fn is_opted_in(who: &AccountId, consumer: ConsumerId, _epoch: EpochIndex) -> bool {
		mock_opt_ins()
			.get(&consumer)
			.is_some_and(|list| list.iter().any(|entry| &entry.operator == who))
	}
	fn is_eligible(who: &AccountId, consumer: ConsumerId, _epoch: EpochIndex) -> bool {
		mock_opt_ins()
			.get(&consumer)
			.is_some_and(|list| list.iter().any(|entry| &entry.operator == who && entry.eligible))
	}
	fn bond(who: &AccountId) -> Balance {
		mock_operators().get(who).map(|(bond, _)| *bond).unwrap_or_default()
	}
	fn slashable_balance(who: &AccountId) -> Balance {
		Self::bond(who)
	}
	fn commission_at(who: &AccountId, _epoch: EpochIndex) -> Option<Perbill> {
		mock_operators().get(who).map(|(_, commission)| *commission)
	}
	fn consumer_key(
		who: &AccountId,
		consumer: ConsumerId,
		_epoch: EpochIndex,
	) -> Option<ConsumerKey> {
		mock_opt_ins()
			.get(&consumer)
			.and_then(|list| list.iter().find(|entry| &entry.operator == who).map(|e| e.key))
	}
	fn operator_of_key(consumer: ConsumerId, key: &ConsumerKey) -> Option<AccountId> {
		mock_opt_ins()
			.get(&consumer)
			.and_then(|list| list.iter().find(|entry| &entry.key == key).map(|e| e.operator))
	}
	fn opted_in_operators(
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> Vec<OptedInOperator<AccountId>> {
		NeighbourCalls::mutate(|calls| calls.push(NeighbourCall::OptedInQuery(consumer, epoch)));
		mock_opt_ins().get(&consumer).cloned().unwrap_or_default()
	}
	fn max_operators_per_consumer() -> u32 {
		MAX_OPERATORS
	}
	fn jail(_who: &AccountId, _until: EpochIndex) -> DispatchResult {
		Ok(())
	}
	fn slash_bond(_who: &AccountId, _amount: Balance) -> Balance {
		0
	}
	fn remove_consumer_opt_ins(consumer: ConsumerId) -> u32 {
		mutate(
			OPT_INS_KEY,
			|opt_ins: &mut BTreeMap<ConsumerId, Vec<OptedInOperator<AccountId>>>| {
				opt_ins.remove(&consumer).map(|list| list.len() as u32).unwrap_or_default()
			},
		)
	}
	fn on_new_epoch(epoch: EpochIndex) -> Weight {
		NeighbourCalls::mutate(|calls| calls.push(NeighbourCall::OperatorsNewEpoch(epoch)));
		OperatorsEpochWeight::get()
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmarks(
		who: &AccountId,
		consumer: ConsumerId,
		key: ConsumerKey,
	) -> DispatchResult {
		use palisade_primitives::ConsumerRegistry;
		if !mock_operators().contains_key(who) {
			set_operator(*who, 1_000, Perbill::from_percent(10));
		}
		<Consumers as ConsumerRegistry>::register_consumer_for_benchmarks(consumer);
		opt_in_with_key(consumer, *who, key);
		Ok(())
	}
}

/// Restaking pools reading the mock's storage; rewards move funds to [`pool_account`].
pub struct MockPools;
impl PoolsInterface<AccountId, Balance> for MockPools {
	fn pool_exists(_pool: PoolId) -> bool {
		true
	}
	fn backing_of(
		pool: PoolId,
		operator: &AccountId,
		consumer: ConsumerId,
		_epoch: EpochIndex,
	) -> Balance {
		mock_backing()
			.get(&(*operator, consumer))
			.and_then(|list| list.iter().find(|(p, _)| *p == pool).map(|(_, amount)| *amount))
			.unwrap_or_default()
	}
	fn backing(
		operator: &AccountId,
		consumer: ConsumerId,
		_epoch: EpochIndex,
	) -> Vec<(PoolId, Balance)> {
		mock_backing().get(&(*operator, consumer)).cloned().unwrap_or_default()
	}
	fn max_pools_per_operator() -> u32 {
		MAX_POOLS
	}
	fn add_rewards(
		pool: PoolId,
		payer: &AccountId,
		amount: Balance,
	) -> Result<Balance, DispatchError> {
		if load::<Vec<PoolId>>(FAILING_POOLS_KEY).contains(&pool) {
			return Err(DispatchError::Other("pool refuses rewards"));
		}
		Balances::transfer(payer, &pool_account(pool), amount, Preservation::Preserve)?;
		mutate(REWARDS_KEY, |calls: &mut Vec<(PoolId, AccountId, Balance)>| {
			calls.push((pool, *payer, amount))
		});
		Ok(amount)
	}
	fn slash(_pool: PoolId, _amount: Balance, _beneficiary: Option<AccountId>) -> Balance {
		0
	}
	fn on_new_epoch(epoch: EpochIndex) -> Weight {
		NeighbourCalls::mutate(|calls| calls.push(NeighbourCall::PoolsNewEpoch(epoch)));
		PoolsEpochWeight::get()
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
		operator: &AccountId,
		consumer: ConsumerId,
		amount: Balance,
	) -> Result<PoolId, DispatchError> {
		let pool = mutate(NEXT_POOL_KEY, |next: &mut PoolId| {
			*next += 1;
			*next
		});
		back(*operator, consumer, pool, amount);
		Ok(pool)
	}
}

/// Epoch hooks recording their calls and reporting the configured weights.
pub struct MockHooks;
impl EpochHooks for MockHooks {
	fn on_epoch_start(epoch: EpochIndex, budget: Weight) -> Weight {
		NeighbourCalls::mutate(|calls| calls.push(NeighbourCall::HookEpochStart(epoch, budget)));
		HookStartWeight::get().min(budget)
	}
	fn on_idle_epoch_work(epoch: EpochIndex, budget: Weight) -> Weight {
		NeighbourCalls::mutate(|calls| calls.push(NeighbourCall::HookIdle(epoch, budget)));
		HookIdleWeight::get().min(budget)
	}
}

impl pallet_consumers::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Operators = MockOperators;
	type Pools = MockPools;
	type EpochHooks = MockHooks;
	type PalletId = ConsumersPalletId;
	type RegistrationDeposit = frame_support::traits::ConstU128<DEPOSIT>;
	type MaxConsumers = ConstU32<MAX_CONSUMERS>;
	type ActivationPeriod = ConstU32<ACTIVATION_PERIOD>;
	type UnactivatedPenalty = UnactivatedPenalty;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxOperatorsPerConsumer = ConstU32<MAX_OPERATORS>;
	type MaxPoolsPerOperator = ConstU32<MAX_POOLS>;
	type MaxMetadataLen = ConstU32<16>;
	type ExposureRetention = ConstU32<RETENTION>;
	type MaxEpochTransitionWeight = TransitionBudget;
	type WeightInfo = ();
}

/// Builds the test externalities.
pub struct ExtBuilder {
	balances: Vec<(AccountId, Balance)>,
	epoch_length: u64,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			balances: (1..=40).map(|who| (who, 1_000_000)).collect(),
			epoch_length: EPOCH_LENGTH,
		}
	}
}

impl ExtBuilder {
	/// Replace the endowed accounts.
	pub fn with_balances(mut self, balances: Vec<(AccountId, Balance)>) -> Self {
		self.balances = balances;
		self
	}

	/// Set the epoch length (default [`EPOCH_LENGTH`]).
	pub fn with_epoch_length(mut self, epoch_length: u64) -> Self {
		self.epoch_length = epoch_length;
		self
	}

	/// Build the externalities at block 1, epoch 0, with empty neighbours.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		pallet_consumers::GenesisConfig::<Test> {
			epoch_length: self.epoch_length,
			..Default::default()
		}
		.assimilate_storage(&mut storage)
		.unwrap();
		NeighbourCalls::take();
		OperatorsEpochWeight::set(Weight::zero());
		PoolsEpochWeight::set(Weight::zero());
		HookStartWeight::set(Weight::zero());
		HookIdleWeight::set(Weight::zero());
		TransitionBudget::set(Weight::from_parts(1 << 50, 1 << 40));
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Build, run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Consumers::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// The key operator `who` uses in the mock.
pub fn key_of(who: AccountId) -> ConsumerKey {
	[who as u8; 32]
}

/// Make `who` an operator with `bond` and `commission`.
pub fn set_operator(who: AccountId, bond: Balance, commission: Perbill) {
	mutate(OPERATORS_KEY, |operators: &mut BTreeMap<AccountId, (Balance, Perbill)>| {
		operators.insert(who, (bond, commission))
	});
}

/// Change `who`'s bond.
pub fn set_bond(who: AccountId, bond: Balance) {
	let commission = mock_operators().get(&who).map(|(_, c)| *c).unwrap_or_default();
	set_operator(who, bond, commission);
}

/// Opt `who` in to `consumer` with `key`, eligible.
pub fn opt_in_with_key(consumer: ConsumerId, who: AccountId, key: ConsumerKey) {
	mutate(OPT_INS_KEY, |opt_ins: &mut BTreeMap<ConsumerId, Vec<OptedInOperator<AccountId>>>| {
		opt_ins.entry(consumer).or_default().push(OptedInOperator {
			operator: who,
			key,
			eligible: true,
		})
	});
}

/// Register `who` with `bond` and `commission_percent` and opt it in to `consumer` with
/// [`key_of`]`(who)`.
pub fn add_operator(consumer: ConsumerId, who: AccountId, bond: Balance, commission_percent: u32) {
	set_operator(who, bond, Perbill::from_percent(commission_percent));
	opt_in_with_key(consumer, who, key_of(who));
}

/// Change whether `who` is eligible for `consumer`.
pub fn set_eligible(consumer: ConsumerId, who: AccountId, eligible: bool) {
	mutate(OPT_INS_KEY, |opt_ins: &mut BTreeMap<ConsumerId, Vec<OptedInOperator<AccountId>>>| {
		for entry in opt_ins.entry(consumer).or_default().iter_mut() {
			if entry.operator == who {
				entry.eligible = eligible;
			}
		}
	});
}

/// Change `who`'s key for `consumer`.
pub fn set_key(consumer: ConsumerId, who: AccountId, key: ConsumerKey) {
	mutate(OPT_INS_KEY, |opt_ins: &mut BTreeMap<ConsumerId, Vec<OptedInOperator<AccountId>>>| {
		for entry in opt_ins.entry(consumer).or_default().iter_mut() {
			if entry.operator == who {
				entry.key = key;
			}
		}
	});
}

/// Opt `who` out of `consumer` (at once).
pub fn opt_out(consumer: ConsumerId, who: AccountId) {
	mutate(OPT_INS_KEY, |opt_ins: &mut BTreeMap<ConsumerId, Vec<OptedInOperator<AccountId>>>| {
		if let Some(list) = opt_ins.get_mut(&consumer) {
			list.retain(|entry| entry.operator != who);
		}
	});
}

/// Let `pool` back `(operator, consumer)` with `amount` (replacing a previous amount), keeping
/// pool id order.
pub fn back(operator: AccountId, consumer: ConsumerId, pool: PoolId, amount: Balance) {
	mutate(
		BACKING_KEY,
		|backing: &mut BTreeMap<(AccountId, ConsumerId), Vec<(PoolId, Balance)>>| {
			let list = backing.entry((operator, consumer)).or_default();
			list.retain(|(p, _)| *p != pool);
			list.push((pool, amount));
			list.sort_by_key(|(p, _)| *p);
		},
	);
}

/// Make `pool` refuse rewards.
pub fn fail_pool(pool: PoolId) {
	mutate(FAILING_POOLS_KEY, |pools: &mut Vec<PoolId>| pools.push(pool));
}

/// Parameters: `min`..=`max` operators, `min_stake`, `cap_percent` power cap, `payment`.
pub fn params(
	min: u32,
	max: u32,
	min_stake: Balance,
	cap_percent: u32,
	payment: Balance,
) -> ParamsOf<Test> {
	ConsumerParams {
		min_operators: min,
		max_operators: max,
		min_stake_per_operator: min_stake,
		power_cap: Perbill::from_percent(cap_percent),
		payment_per_epoch: payment,
	}
}

/// The parameters most tests use: 1 to 4 operators, no minimum stake, no cap, 1_000 per
/// epoch.
pub fn default_params() -> ParamsOf<Test> {
	params(1, 4, 0, 100, 1_000)
}

/// Metadata from bytes.
pub fn metadata(bytes: &[u8]) -> MetadataOf<Test> {
	bytes.to_vec().try_into().unwrap()
}

/// A genesis hash from a byte.
pub fn genesis(byte: u8) -> H256 {
	H256::repeat_byte(byte)
}

/// Register a consumer for `admin` with `params`; returns its id.
pub fn register_with(admin: AccountId, params: ParamsOf<Test>) -> ConsumerId {
	let id = NextConsumerId::<Test>::get();
	assert_ok!(Consumers::register_consumer(
		RuntimeOrigin::signed(admin),
		metadata(b"chain"),
		genesis(id as u8),
		params,
	));
	id
}

/// Register a consumer for `admin` with [`default_params`]; returns its id.
pub fn register(admin: AccountId) -> ConsumerId {
	register_with(admin, default_params())
}

/// Fund `consumer`'s lease with `amount` from [`FUNDER`].
pub fn fund(consumer: ConsumerId, amount: Balance) {
	assert_ok!(Consumers::fund_lease(RuntimeOrigin::signed(FUNDER), consumer, amount));
}

/// `consumer`'s record.
pub fn record(consumer: ConsumerId) -> ConsumerRecord<Test> {
	ConsumerRecords::<Test>::get(consumer).expect("registered")
}

/// `consumer`'s status.
pub fn status(consumer: ConsumerId) -> ConsumerStatus {
	record(consumer).status
}

/// `consumer`'s published members.
pub fn members(consumer: ConsumerId) -> Vec<(AccountId, ConsumerKey, Balance)> {
	ValidatorSets::<Test>::get(consumer).map(|set| set.members.into_inner()).unwrap_or_default()
}

/// `who`'s free balance.
pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

/// The balance `who` has on hold for registration deposits.
pub fn held(who: AccountId) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	<Balances as InspectHold<AccountId>>::balance_on_hold(
		&RuntimeHoldReason::Consumers(HoldReason::Registration),
		&who,
	)
}

/// The free balance of `consumer`'s escrow account.
pub fn escrow_balance(consumer: ConsumerId) -> Balance {
	free(Consumers::escrow_account(consumer))
}

/// Run `on_initialize` of the blocks after the current one, up to and including `n`.
pub fn run_to_block(n: u64) {
	while System::block_number() < n {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		Consumers::on_initialize(next);
	}
}

/// Run blocks until the next epoch has started and its transition is finished.
pub fn next_epoch() {
	let target = CurrentEpoch::<Test>::get() + 1;
	for _ in 0..10_000 {
		run_to_block(System::block_number() + 1);
		if CurrentEpoch::<Test>::get() == target && Transition::<Test>::get().is_none() {
			return;
		}
	}
	panic!("epoch {target} never finished its transition");
}

/// Run epochs until `epoch` has started and its transition is finished.
pub fn run_to_epoch(epoch: EpochIndex) {
	while CurrentEpoch::<Test>::get() < epoch {
		next_epoch();
	}
}

/// The events of this pallet deposited since the last call, oldest first.
pub fn consumer_events() -> Vec<Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Consumers(event) => Some(event),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}
