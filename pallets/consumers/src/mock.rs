//! A mock runtime with System, Balances and Consumers, an operator registry and restaking
//! pools whose data tests set directly, and epoch hooks that record their calls.
//!
//! The registry's and the pools' data live in (unhashed) storage ([`Backend::Storage`]), so
//! that externalities and benchmark runs roll them back like any other state; the call log and
//! the weights the neighbours report are thread-local and reset by [`ExtBuilder::build`].

use crate::{self as pallet_consumers, *};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{ConstU32, Hooks},
	weights::Weight,
	PalletId,
};
use palisade_primitives::{
	ChangeSubject, ConsumerId, ConsumerKey, EpochIndex, OptedInOperator, PoolId,
};
use palisade_test_utils::{Backend, PayInto, Settings};
use sp_runtime::{traits::IdentityLookup, BuildStorage, Perbill};

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
/// Most opt-ins one `reap_consumer` call removes: small, so that reaps page in the tests.
pub const REAP_PAGE: u32 = 2;
/// Operators per page of a consumer's transition step: small, so that the steps of the
/// tests' consumers (up to [`MAX_OPERATORS`] operators) run in several pages.
pub const STEP_PAGE: u32 = 2;

parameter_types! {
	/// Share of the deposit burnt for a consumer that never had a set.
	pub const UnactivatedPenalty: Perbill = Perbill::from_percent(PENALTY_PERCENT);
}

parameter_types! {
	/// The transition budget per block.
	pub static TransitionBudget: Weight = Weight::from_parts(1 << 50, 1 << 40);
	/// Most consumers ([`MAX_CONSUMERS`] unless a test raises it).
	pub static MaxConsumersBound: u32 = MAX_CONSUMERS;
	/// Most memberships of an operator ([`MAX_CONSUMERS`] unless a test raises it).
	pub static MaxMemberships: u32 = MAX_CONSUMERS;
	/// Most consumers one pool backs ([`MAX_CONSUMERS`] unless a test raises it).
	pub static MaxConsumersPerPoolBound: u32 = MAX_CONSUMERS;
	/// Operators per page of a consumer's transition step ([`STEP_PAGE`] unless a test
	/// changes it).
	pub static TransitionPage: u32 = STEP_PAGE;
	/// Escrow accounts' pallet id.
	pub const ConsumersPalletId: PalletId = PalletId(*b"py/cnsmr");
}

/// The shared mocks of the epoch hooks and of the log of the calls made to the neighbours.
pub use palisade_test_utils::{take_neighbour_calls, MockHooks, NeighbourCall};
/// Operator registry: operators set with [`set_operator`] / [`add_operator`]; registering one
/// for benchmarks registers its consumer with this pallet.
pub type MockOperators =
	palisade_test_utils::MockOperators<AccountId, Balance, ConstU32<MAX_OPERATORS>, Consumers>;
/// Restaking pools: backing set with [`back`]; rewards move to [`pool_account`].
pub type MockPools =
	palisade_test_utils::MockPools<AccountId, Balance, ConstU32<MAX_POOLS>, PayInto<Balances>>;

/// Opt-ins of the mock registry, per consumer, in opt-in order.
pub fn mock_opt_ins() -> BTreeMap<ConsumerId, Vec<OptedInOperator<AccountId>>> {
	MockOperators::opt_ins()
}

/// The `add_rewards` calls that succeeded: (pool, payer, amount).
pub fn reward_calls() -> Vec<(PoolId, AccountId, Balance)> {
	MockPools::reward_calls()
}

/// The account the mock pools keep their funds in.
pub fn pool_account(pool: PoolId) -> AccountId {
	palisade_test_utils::pool_account(pool)
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
	type MaxConsumers = MaxConsumersBound;
	type ActivationPeriod = ConstU32<ACTIVATION_PERIOD>;
	type UnactivatedPenalty = UnactivatedPenalty;
	type MaxOptInsReapedPerCall = ConstU32<REAP_PAGE>;
	type GovernanceOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxOperatorsPerConsumer = ConstU32<MAX_OPERATORS>;
	type MaxPoolsPerOperator = ConstU32<MAX_POOLS>;
	type MaxMetadataLen = ConstU32<16>;
	type ExposureRetention = ConstU32<RETENTION>;
	type MaxEpochTransitionWeight = TransitionBudget;
	type MaxOperatorMemberships = MaxMemberships;
	type MaxConsumersPerPool = MaxConsumersPerPoolBound;
	type OperatorsPerTransitionPage = TransitionPage;
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
		palisade_test_utils::reset_with(Settings {
			backend: Backend::Storage,
			benchmark_bond: 1_000,
			..Settings::default()
		});
		TransitionBudget::set(Weight::from_parts(1 << 50, 1 << 40));
		MaxConsumersBound::set(MAX_CONSUMERS);
		MaxMemberships::set(MAX_CONSUMERS);
		MaxConsumersPerPoolBound::set(MAX_CONSUMERS);
		TransitionPage::set(STEP_PAGE);
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
	MockOperators::register(who, bond, commission);
	note(ChangeSubject::Operator(who));
}

/// Change `who`'s bond.
pub fn set_bond(who: AccountId, bond: Balance) {
	MockOperators::set_bond(who, bond);
	note(ChangeSubject::Operator(who));
}

/// Opt `who` in to `consumer` with `key`, eligible.
pub fn opt_in_with_key(consumer: ConsumerId, who: AccountId, key: ConsumerKey) {
	MockOperators::opt_in(consumer, who, key);
	note(ChangeSubject::Consumer(consumer));
}

/// Register `who` with `bond` and `commission_percent` and opt it in to `consumer` with
/// [`key_of`]`(who)`.
pub fn add_operator(consumer: ConsumerId, who: AccountId, bond: Balance, commission_percent: u32) {
	set_operator(who, bond, Perbill::from_percent(commission_percent));
	opt_in_with_key(consumer, who, key_of(who));
}

/// Change whether `who` is eligible for `consumer`.
pub fn set_eligible(consumer: ConsumerId, who: AccountId, eligible: bool) {
	MockOperators::set_eligible(consumer, &who, eligible);
	note(ChangeSubject::Consumer(consumer));
}

/// Change `who`'s key for `consumer`.
pub fn set_key(consumer: ConsumerId, who: AccountId, key: ConsumerKey) {
	MockOperators::set_key(consumer, &who, key);
	note(ChangeSubject::Consumer(consumer));
}

/// Opt `who` out of `consumer` (at once).
pub fn opt_out(consumer: ConsumerId, who: AccountId) {
	MockOperators::opt_out(consumer, &who);
	note(ChangeSubject::Consumer(consumer));
}

/// Let `pool` back `(operator, consumer)` with `amount` (replacing a previous amount), keeping
/// pool id order.
pub fn back(operator: AccountId, consumer: ConsumerId, pool: PoolId, amount: Balance) {
	MockPools::back(operator, consumer, pool, amount);
	note(ChangeSubject::Consumer(consumer));
}

/// Note a change of the mock neighbours' state for the next selection, as the real operators
/// and pools pallets do ([`palisade_primitives::ChangeNotes`]).
pub fn note(subject: ChangeSubject<AccountId>) {
	<Consumers as palisade_primitives::ChangeNotes<AccountId>>::note_change(subject, 0);
}

/// Make `pool` refuse rewards.
pub fn fail_pool(pool: PoolId) {
	MockPools::fail(pool);
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

/// `claim_operator_rewards` of `who`, called by [`FUNDER`], with the post-info dropped.
pub fn claim_operator(who: AccountId) -> sp_runtime::DispatchResult {
	Consumers::claim_operator_rewards(RuntimeOrigin::signed(FUNDER), who)
		.map(|_| ())
		.map_err(|e| e.error)
}

/// `claim_pool_rewards` of `pool`, called by [`FUNDER`], with the post-info dropped.
pub fn claim_pool(pool: PoolId) -> sp_runtime::DispatchResult {
	Consumers::claim_pool_rewards(RuntimeOrigin::signed(FUNDER), pool)
		.map(|_| ())
		.map_err(|e| e.error)
}
