//! A mock runtime with System, Balances and Operators, a settable epoch clock and a consumer
//! registry where consumers 1 and 2 exist.

use crate::{self as pallet_operators, *};
use frame_support::{
	assert_ok, derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use palisade_primitives::{ConsumerId, ConsumerKey, EpochIndex};
use sp_runtime::{BuildStorage, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;

/// Account ids of the mock.
pub type AccountId = u64;
/// Balance type of the mock.
pub type Balance = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Operators: pallet_operators,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
}

/// The shared mocks of the epoch clock ([`set_epoch`]) and of the reserved keys
/// ([`MockReservedKeys::set`]).
pub use palisade_test_utils::{set_epoch, MockEpochProvider, MockReservedKeys};
/// Consumer registry: consumers 1 and 2 exist by default ([`ExtBuilder::with_consumers`]).
pub type MockConsumerRegistry = palisade_test_utils::MockConsumers<AccountId, Balance>;
/// Pending slashes: none by default.
pub type MockPending = palisade_test_utils::MockPendingSlashes<AccountId, Balance>;

parameter_types! {
	/// Maximum commission of the mock.
	pub const MaxCommission: Perbill = Perbill::from_percent(50);
}

/// Minimum operator bond.
pub const MIN_BOND: Balance = 100;
/// Commission change delay, in epochs.
pub const COMMISSION_DELAY: EpochIndex = 2;
/// Unbonding delay, in epochs.
pub const UNBONDING_DELAY: EpochIndex = 4;
/// Opt-out delay, in epochs.
pub const OPT_OUT_DELAY: EpochIndex = 3;
/// Most opt-ins per operator.
pub const MAX_OPT_INS: u32 = 3;
/// Most unbonding chunks per operator.
pub const MAX_CHUNKS: u32 = 3;
/// Most operators per consumer.
pub const MAX_OPERATORS: u32 = 4;
/// Most metadata bytes.
pub const MAX_METADATA: u32 = 16;
/// Most scheduled changes finalised per block.
pub const MAX_FINALISED: u32 = 8;
/// Most pools an operator accepts.
pub const MAX_ACCEPTED_POOLS: u32 = 3;

impl pallet_operators::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type OnSlash = ();
	type EpochInfo = MockEpochProvider;
	type Consumers = MockConsumerRegistry;
	type Changes = ();
	type MinOperatorBond = ConstU64<MIN_BOND>;
	type MaxCommission = MaxCommission;
	type CommissionChangeDelay = ConstU32<COMMISSION_DELAY>;
	type UnbondingDelay = ConstU32<UNBONDING_DELAY>;
	type OptOutDelay = ConstU32<OPT_OUT_DELAY>;
	type MaxMetadataLen = ConstU32<MAX_METADATA>;
	type MaxOptIns = ConstU32<MAX_OPT_INS>;
	type MaxUnbondingChunks = ConstU32<MAX_CHUNKS>;
	type MaxOperatorsPerConsumer = ConstU32<MAX_OPERATORS>;
	type MaxFinalisedPerBlock = ConstU32<MAX_FINALISED>;
	type MaxAcceptedPools = ConstU32<MAX_ACCEPTED_POOLS>;
	type ReservedKeys = MockReservedKeys;
	type PendingSlashes = MockPending;
	type WeightInfo = ();
}

/// Builds the test externalities.
pub struct ExtBuilder {
	balances: Vec<(AccountId, Balance)>,
	consumers: Vec<ConsumerId>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { balances: (1..=10).map(|who| (who, 1_000)).collect(), consumers: vec![1, 2] }
	}
}

impl ExtBuilder {
	/// Replace the endowed accounts.
	pub fn with_balances(mut self, balances: Vec<(AccountId, Balance)>) -> Self {
		self.balances = balances;
		self
	}

	/// Replace the set of existing consumers (default: 1 and 2).
	pub fn with_consumers(mut self, consumers: Vec<ConsumerId>) -> Self {
		self.consumers = consumers;
		self
	}

	/// Build the externalities at block 1, epoch 0.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		palisade_test_utils::reset();
		let mut ext = sp_io::TestExternalities::new(storage);
		let consumers = self.consumers;
		ext.execute_with(|| {
			System::set_block_number(1);
			MockConsumerRegistry::set_consumers(consumers);
		});
		ext
	}

	/// Build, run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Operators::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Run `on_initialize` of the next block (finalises the scheduled-change backlog).
pub fn next_block() -> frame_support::weights::Weight {
	use frame_support::traits::Hooks;
	let next = System::block_number() + 1;
	System::set_block_number(next);
	Operators::on_initialize(next)
}

/// Move the clock to `epoch` and run the epoch-start finalisation, like the consumers pallet.
pub fn start_epoch(epoch: EpochIndex) {
	set_epoch(epoch);
	Operators::on_epoch_start(epoch);
}

/// A key derived from a number.
pub fn key(n: u8) -> ConsumerKey {
	[n; 32]
}

/// Metadata from bytes.
pub fn metadata(bytes: &[u8]) -> MetadataOf<Test> {
	bytes.to_vec().try_into().unwrap()
}

/// Register `who` with `bond`, commission 10% and metadata `b"op"`.
pub fn register(who: AccountId, bond: Balance) {
	assert_ok!(Operators::register_operator(
		RuntimeOrigin::signed(who),
		bond,
		Perbill::from_percent(10),
		metadata(b"op"),
	));
}

/// The balance `who` has on hold for operator bonds.
pub fn held(who: AccountId) -> Balance {
	use frame_support::traits::fungible::InspectHold;
	<Balances as InspectHold<AccountId>>::balance_on_hold(
		&RuntimeHoldReason::Operators(HoldReason::OperatorBond),
		&who,
	)
}

/// `who`'s free balance.
pub fn free(who: AccountId) -> Balance {
	Balances::free_balance(who)
}

/// The events of this pallet deposited since the last call, oldest first.
pub fn operator_events() -> Vec<Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Operators(event) => Some(event),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// `who`'s record.
pub fn record(who: AccountId) -> OperatorRecord<Test> {
	OperatorRecords::<Test>::get(who).expect("registered")
}
