//! # Palisade test utilities
//!
//! The mocks of the [`palisade_primitives`] traits through which Palisade's pallets talk to
//! their neighbours, written once for every pallet's tests (and for the attack tests and the
//! fuzzer that build on the same worlds), instead of once per `mock.rs`:
//!
//! | trait | mock |
//! | --- | --- |
//! | [`EpochProvider`](palisade_primitives::EpochProvider) | [`MockEpochProvider`] ([`set_epoch`]) |
//! | [`EpochHooks`](palisade_primitives::EpochHooks) | [`MockHooks`] |
//! | [`OperatorRegistry`](palisade_primitives::OperatorRegistry) | [`MockOperators`] |
//! | [`PendingSlashes`](palisade_primitives::PendingSlashes) | [`MockPendingSlashes`] |
//! | `Contains<ConsumerKey>` (reserved session keys) | [`MockReservedKeys`] |
//! | [`PoolsInterface`](palisade_primitives::PoolsInterface) | [`MockPools`] |
//! | [`ConsumerRegistry`](palisade_primitives::ConsumerRegistry) and [`ConsumersInterface`](palisade_primitives::ConsumersInterface) | [`MockConsumers`] |
//!
//! A pallet's `mock.rs` keeps its `construct_runtime!`, its `Config` impls and its
//! `ExtBuilder`, names the mocks with its own account and balance types
//! (`type MockOperators = palisade_test_utils::MockOperators<AccountId, Balance>;`) and calls
//! [`reset`] (or [`reset_with`]) at the start of `ExtBuilder::build`.
//!
//! Where the pallets' mocks used to differ, the difference is a choice with the default most
//! pallets want:
//!
//! - constants a runtime's `integrity_test` reads are type parameters: the `MaxOperators` of
//!   [`MockOperators`] and the `MaxPools` of [`MockPools`];
//! - so are the neighbours a mock calls: the `Registry` that [`MockOperators`] registers
//!   benchmark consumers with (the world's [`MockConsumers`], or the consumers pallet itself)
//!   and the [`RewardPayer`] of [`MockPools`] (none, or [`PayInto`] a fungible);
//! - the rest is in [`Settings`]: where the world lives, the benchmark bond, the exposure
//!   retention.
//!
//! ## The mock world
//!
//! Everything that names an account or a balance (operators and their opt-ins, pools and their
//! backing, consumers and their exposures, pending slashes, and the records of slashes, jails
//! and rewards) is one *world* per pair of `(AccountId, Balance)` types, so that every mock of
//! a runtime sees the same operators, pools and consumers. Where the world lives is a
//! [`Backend`] setting:
//!
//! - [`Backend::ThreadLocal`] (the default): a thread-local, cleared by [`reset`]. It survives
//!   the `wipe_db` between the runs of a benchmark test, and can be set outside externalities.
//! - [`Backend::Storage`]: the unhashed storage of the externalities in use, so that it is
//!   rolled back with them (each run of a benchmark test starts from the genesis world). Only
//!   readable inside `execute_with`.
//!
//! The epoch clock, the reserved keys, the log of the calls made to the neighbours
//! ([`NeighbourCall`]), the weights the neighbours report and the [`Settings`] are always
//! thread-local and are reset by [`reset`].
//!
//! Mock calls are never nested: a mock reads or changes the world, then (outside of it) calls
//! whatever else it needs, so a `RefCell` is never borrowed twice.
//!
//! ## Example
//!
//! ```
//! use palisade_primitives::{OperatorRegistry, PoolsInterface};
//! use palisade_test_utils::{MockOperators, MockPools};
//! use sp_runtime::Perbill;
//!
//! type Operators = MockOperators<u64, u128>;
//! type Pools = MockPools<u64, u128>;
//!
//! palisade_test_utils::reset();
//! // Given operator 1, bonded 1_000 and opted in to consumer 0, backed by pool 7.
//! Operators::register(1, 1_000, Perbill::from_percent(10));
//! Operators::opt_in(0, 1, [1; 32]);
//! Pools::set_value(7, 500);
//! Pools::back(1, 0, 7, 500);
//! // When a slash takes 600 of the pool for an offence of epoch 0.
//! assert_eq!(Pools::slash_for_epoch(7, 600, 0, None), 600);
//! // Then the pool paid what it had and owes the rest.
//! assert_eq!(Pools::value(7), 0);
//! assert_eq!(Pools::owed(7), 100);
//! assert!(Operators::is_eligible(&1, 0, 0));
//! assert_eq!(Pools::backing(&1, 0, 0), vec![(7, 500)]);
//! ```

#![deny(missing_docs)]

mod consumers;
mod epoch;
mod operators;
mod pools;

pub use consumers::MockConsumers;
pub use epoch::{
	current_epoch, neighbour_calls, set_epoch, take_neighbour_calls, MockEpochProvider, MockHooks,
	NeighbourCall,
};
pub use operators::{BondSlash, MockOperators, MockPendingSlashes, MockReservedKeys};
pub use pools::{pool_account, MockPools, PayInto, PoolSlash, RewardPayer, SlashedFunds};

use codec::{Codec, Decode, Encode};
use frame_support::{storage::unhashed, weights::Weight};
use palisade_primitives::{
	ConsumerId, ConsumerKey, EpochIndex, ExposureInfo, OptedInOperator, PoolId,
};
use sp_runtime::{traits::AtLeast32BitUnsigned, Perbill};
use std::{
	any::{Any, TypeId},
	cell::RefCell,
	collections::{BTreeMap, HashMap},
	fmt::Debug,
};

/// What the mocks need of an account id: `u64`, `u128`, `AccountId32`... all qualify.
pub trait MockAccount: Codec + Clone + Ord + Debug + 'static {}
impl<T: Codec + Clone + Ord + Debug + 'static> MockAccount for T {}

/// What the mocks need of a balance: `u64` and `u128` qualify.
pub trait MockBalance: AtLeast32BitUnsigned + Codec + Copy + Debug + 'static {}
impl<T: AtLeast32BitUnsigned + Codec + Copy + Debug + 'static> MockBalance for T {}

/// Where the mock world (everything that names an account or a balance) lives.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub enum Backend {
	/// A thread-local, one per pair of types, cleared by [`reset`]. Not rolled back by the
	/// externalities (nor by the `wipe_db` between the runs of a benchmark test).
	#[default]
	ThreadLocal,
	/// The unhashed storage of the externalities in use (under `:palisade_test_utils:world`),
	/// rolled back with them: each run of a benchmark test starts from the genesis world.
	/// Every mock call must then be made inside `execute_with`.
	Storage,
}

/// How the mocks behave where pallets' tests want different answers, and that a test may
/// change. Set once per test by [`reset_with`]; always thread-local. (What a runtime's
/// `integrity_test` reads, outside any test's externalities, is a type parameter of the mock
/// instead, e.g. the `MaxOperators` of [`MockOperators`].)
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Settings {
	/// Where the world lives (default [`Backend::ThreadLocal`]).
	pub backend: Backend,
	/// The bond `MockOperators::register_for_benchmarks` gives an operator (default
	/// 1_000_000).
	pub benchmark_bond: u32,
	/// What [`MockConsumers`] answers to `exposure_retention`, in epochs (default 10); tests
	/// may change it with [`MockConsumers::set_exposure_retention`].
	pub exposure_retention: EpochIndex,
}

impl Default for Settings {
	fn default() -> Self {
		Self { backend: Backend::ThreadLocal, benchmark_bond: 1_000_000, exposure_retention: 10 }
	}
}

/// Forget every thread-local world, the clock, the reserved keys, the call log and the
/// neighbours' weights, and use the default [`Settings`]. Call it at the start of every
/// `ExtBuilder::build`: a thread may run several tests (and every benchmark test).
pub fn reset() {
	reset_with(Settings::default());
}

/// [`reset`], then use `settings`.
pub fn reset_with(settings: Settings) {
	WORLDS.with(|worlds| worlds.borrow_mut().clear());
	SHARED.with(|shared| *shared.borrow_mut() = Shared { settings, ..Default::default() });
}

/// The settings in force.
pub fn settings() -> Settings {
	shared(|shared| shared.settings.clone())
}

/// What is always thread-local: the settings, the clock, the reserved keys, the call log and
/// the weights the neighbours report.
#[derive(Default)]
pub(crate) struct Shared {
	pub(crate) settings: Settings,
	pub(crate) epoch: EpochIndex,
	pub(crate) reserved_keys: Vec<ConsumerKey>,
	pub(crate) calls: Vec<NeighbourCall>,
	pub(crate) operators_epoch_weight: Weight,
	pub(crate) pools_epoch_weight: Weight,
	pub(crate) hook_start_weight: Weight,
	pub(crate) hook_idle_weight: Weight,
}

thread_local! {
	static SHARED: RefCell<Shared> = RefCell::new(Shared::default());
	static WORLDS: RefCell<HashMap<TypeId, Box<dyn Any>>> = RefCell::new(HashMap::new());
}

/// Run `f` on the thread-local shared state.
pub(crate) fn shared<R>(f: impl FnOnce(&mut Shared) -> R) -> R {
	SHARED.with(|shared| f(&mut shared.borrow_mut()))
}

/// A consumer in the world.
#[derive(Clone, Encode, Decode, Debug)]
pub(crate) struct ConsumerEntry<A> {
	pub(crate) reporter: Option<A>,
	/// The epoch the reporter took office.
	pub(crate) reporter_since: EpochIndex,
	pub(crate) admin: Option<A>,
	/// Exists, but accepts no opt-in.
	pub(crate) deregistered: bool,
}

impl<A> Default for ConsumerEntry<A> {
	fn default() -> Self {
		Self { reporter: None, reporter_since: 0, admin: None, deregistered: false }
	}
}

/// The mock world of one pair of `(AccountId, Balance)` types.
#[derive(Encode, Decode)]
pub(crate) struct World<A: Ord, B> {
	// Operator registry.
	/// Operators: bond and commission.
	pub(crate) operators: BTreeMap<A, (B, Perbill)>,
	/// Opt-ins per consumer, in opt-in order.
	pub(crate) opt_ins: BTreeMap<ConsumerId, Vec<OptedInOperator<A>>>,
	/// Whether every operator accepts every pool.
	pub(crate) accept_all: bool,
	/// (operator, pool) pairs accepted when `accept_all` is cleared.
	pub(crate) accepted: Vec<(A, PoolId)>,
	/// Calls to `jail`: (operator, until).
	pub(crate) jails: Vec<(A, EpochIndex)>,
	/// Calls to `slash_bond_to`.
	pub(crate) bond_slashes: Vec<BondSlash<A, B>>,
	// Pending slashes.
	pub(crate) pending_operators: Vec<A>,
	pub(crate) pending_pools: Vec<PoolId>,
	pub(crate) pending_pools_at: Vec<(PoolId, EpochIndex)>,
	// Pools.
	/// Pools with a value.
	pub(crate) pool_values: BTreeMap<PoolId, B>,
	/// (operator, consumer) → [(pool, amount)], in pool id order.
	pub(crate) backing: BTreeMap<(A, ConsumerId), Vec<(PoolId, B)>>,
	/// Pools refusing rewards.
	pub(crate) failing_pools: Vec<PoolId>,
	/// Successful `add_rewards`: (pool, payer, amount).
	pub(crate) rewards: Vec<(PoolId, A, B)>,
	/// Calls to `slash_for_epoch`.
	pub(crate) pool_slashes: Vec<PoolSlash<A, B>>,
	/// Pool slashes booked but not paid yet.
	pub(crate) owed: BTreeMap<PoolId, B>,
	// Slashed funds.
	pub(crate) paid: BTreeMap<A, B>,
	pub(crate) burnt: B,
	// Consumers.
	pub(crate) consumers: BTreeMap<ConsumerId, ConsumerEntry<A>>,
	pub(crate) exposures: BTreeMap<(EpochIndex, ConsumerId, A), ExposureInfo<B>>,
	/// (consumer, GRANDPA set id) → first epoch.
	pub(crate) set_epochs: BTreeMap<(ConsumerId, u64), EpochIndex>,
	/// Key owners overriding the exposures': (epoch, consumer, key) → operator.
	pub(crate) key_owners: BTreeMap<(EpochIndex, ConsumerId, ConsumerKey), A>,
}

impl<A: Ord, B: MockBalance> Default for World<A, B> {
	fn default() -> Self {
		Self {
			operators: BTreeMap::new(),
			opt_ins: BTreeMap::new(),
			accept_all: true,
			accepted: Vec::new(),
			jails: Vec::new(),
			bond_slashes: Vec::new(),
			pending_operators: Vec::new(),
			pending_pools: Vec::new(),
			pending_pools_at: Vec::new(),
			pool_values: BTreeMap::new(),
			backing: BTreeMap::new(),
			failing_pools: Vec::new(),
			rewards: Vec::new(),
			pool_slashes: Vec::new(),
			owed: BTreeMap::new(),
			paid: BTreeMap::new(),
			burnt: B::zero(),
			consumers: BTreeMap::new(),
			exposures: BTreeMap::new(),
			set_epochs: BTreeMap::new(),
			key_owners: BTreeMap::new(),
		}
	}
}

impl<A: MockAccount, B: MockBalance> World<A, B> {
	/// Credit `amount` to `beneficiary`, or burn it.
	pub(crate) fn pay(&mut self, beneficiary: Option<A>, amount: B) {
		match beneficiary {
			Some(who) => {
				let paid = self.paid.entry(who).or_insert_with(B::zero);
				*paid = paid.saturating_add(amount);
			}
			None => self.burnt = self.burnt.saturating_add(amount),
		}
	}
}

/// The storage key of the world under [`Backend::Storage`].
const WORLD_KEY: &[u8] = b":palisade_test_utils:world";

/// Run `f` on the world of `(A, B)`, reading only.
pub(crate) fn read<A: MockAccount, B: MockBalance, R>(f: impl FnOnce(&World<A, B>) -> R) -> R {
	match settings().backend {
		Backend::ThreadLocal => WORLDS.with(|worlds| {
			let mut worlds = worlds.borrow_mut();
			f(thread_local_world(&mut worlds))
		}),
		Backend::Storage => f(&unhashed::get_or_default::<World<A, B>>(WORLD_KEY)),
	}
}

/// Run `f` on the world of `(A, B)`, keeping its changes.
pub(crate) fn mutate<A: MockAccount, B: MockBalance, R>(
	f: impl FnOnce(&mut World<A, B>) -> R,
) -> R {
	match settings().backend {
		Backend::ThreadLocal => WORLDS.with(|worlds| {
			let mut worlds = worlds.borrow_mut();
			f(thread_local_world(&mut worlds))
		}),
		Backend::Storage => {
			let mut world = unhashed::get_or_default::<World<A, B>>(WORLD_KEY);
			let result = f(&mut world);
			unhashed::put(WORLD_KEY, &world);
			result
		}
	}
}

/// The thread-local world of `(A, B)`, created empty on first use.
fn thread_local_world<A: MockAccount, B: MockBalance>(
	worlds: &mut HashMap<TypeId, Box<dyn Any>>,
) -> &mut World<A, B> {
	worlds
		.entry(TypeId::of::<World<A, B>>())
		.or_insert_with(|| Box::new(World::<A, B>::default()))
		.downcast_mut()
		.unwrap_or_else(|| {
			// Each world is stored under its own type id, so the cast always succeeds.
			frame_support::defensive!("mock world stored under a foreign type id");
			Box::leak(Box::new(World::<A, B>::default()))
		})
}
