//! A consumer chain in a test: System, Timestamp, Aura with ed25519 keys, GRANDPA, the
//! `pallet-bridge-grandpa` light client following [`Palisade`] and this pallet, wired with
//! [`AuraGrandpa`].
//!
//! The light client is initialised with Palisade's header #0 and the GRANDPA set of
//! `bp-test-utils` (`authority_list()`, set id `TEST_GRANDPA_SET_ID`), whose keys sign the test
//! justifications.

use crate::{self as pallet_palisade_consumer, palisade::Palisade, *};
use bp_header_chain::InitializationData;
use bp_runtime::BasicOperatingMode;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Hooks},
};
use sp_consensus_aura::ed25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::ed25519;
use sp_runtime::{AccountId32, BuildStorage};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Aura: pallet_aura,
		Grandpa: pallet_grandpa,
		BridgePalisadeGrandpa: pallet_bridge_grandpa,
		PalisadeConsumer: pallet_palisade_consumer,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

/// Most authorities Aura and GRANDPA take.
pub const MAX_AUTHORITIES: u32 = 8;
/// Most members of a set this chain accepts (below the sink's bound).
pub const MAX_MEMBERS: u32 = 6;
/// This chain's consumer id on Palisade.
pub const CONSUMER_ID: ConsumerId = 7;
/// Another consumer's id.
pub const OTHER_CONSUMER: ConsumerId = 8;
/// Largest proof accepted.
pub const MAX_PROOF_SIZE: u32 = 16 * 1024;
/// Applied sets remembered.
pub const HISTORY_DEPTH: u32 = 3;

impl pallet_aura::Config for Test {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type AllowMultipleBlocksPerSlot = frame_support::traits::ConstBool<false>;
	type SlotDuration = ConstU64<6000>;
}

impl pallet_grandpa::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

parameter_types! {
	/// Palisade headers kept by the light client.
	pub const HeadersToKeep: u32 = 8;
}

impl pallet_bridge_grandpa::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type BridgedChain = Palisade;
	type MaxFreeHeadersPerBlock = ConstU32<4>;
	type FreeHeadersInterval = ();
	type HeadersToKeep = HeadersToKeep;
	type WeightInfo = ();
}

impl pallet_palisade_consumer::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type BridgeGrandpaInstance = ();
	type ConsumerId = ConstU32<CONSUMER_ID>;
	type MaxAuthorities = ConstU32<MAX_MEMBERS>;
	type MaxProofSize = ConstU32<MAX_PROOF_SIZE>;
	type SetHistoryDepth = ConstU32<HISTORY_DEPTH>;
	type AuthoritySink = AuraGrandpa<Test>;
	type WeightInfo = ();
}

/// The consumer key of operator `i` in the tests (a raw ed25519 public key).
pub fn key(i: u8) -> ConsumerKey {
	[i; 32]
}

/// Operator `i`'s account on Palisade.
pub fn operator(i: u8) -> AccountId32 {
	AccountId32::new([0xA0 ^ i; 32])
}

/// Operator `i` with power `100 * i`, as Palisade lists members.
pub fn member(i: u8) -> (AccountId32, ConsumerKey, u128) {
	(operator(i), key(i), 100 * u128::from(i))
}

/// The GRANDPA authority list of `keys`, every voter weighing 1.
pub fn grandpa_list(keys: &[ConsumerKey]) -> sp_consensus_grandpa::AuthorityList {
	keys.iter().map(|k| (GrandpaId::from(ed25519::Public::from_raw(*k)), 1)).collect()
}

/// The Aura authorities of `keys`.
pub fn aura_list(keys: &[ConsumerKey]) -> alloc::vec::Vec<AuraId> {
	keys.iter().map(|k| AuraId::from(ed25519::Public::from_raw(*k))).collect()
}

/// The genesis set: Palisade set 3 of epoch 3, operators 1 and 2.
pub const GENESIS_SET_ID: u64 = 3;
/// Its epoch.
pub const GENESIS_EPOCH: EpochIndex = 3;

/// Builds the test externalities.
pub struct ExtBuilder {
	genesis_set: Option<GenesisSet>,
	authorities: alloc::vec::Vec<ConsumerKey>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self {
			genesis_set: Some(GenesisSet {
				epoch: GENESIS_EPOCH,
				set_id: GENESIS_SET_ID,
				members: alloc::vec![member(1), member(2)],
			}),
			authorities: alloc::vec![key(1), key(2)],
		}
	}
}

impl ExtBuilder {
	/// A chain whose genesis authorities (`keys`) were not declared as a Palisade set.
	pub fn without_genesis_set(mut self, keys: &[ConsumerKey]) -> Self {
		self.genesis_set = None;
		self.authorities = keys.to_vec();
		self
	}

	/// Build the externalities, at block 1.
	pub fn build(self) -> sp_io::TestExternalities {
		let storage = RuntimeGenesisConfig {
			system: Default::default(),
			aura: pallet_aura::GenesisConfig { authorities: aura_list(&self.authorities) },
			grandpa: pallet_grandpa::GenesisConfig {
				authorities: grandpa_list(&self.authorities),
				_config: Default::default(),
			},
			bridge_palisade_grandpa: pallet_bridge_grandpa::GenesisConfig {
				owner: None,
				init_data: Some(InitializationData {
					header: alloc::boxed::Box::new(bp_test_utils::test_header(0)),
					authority_list: bp_test_utils::authority_list(),
					set_id: bp_test_utils::TEST_GRANDPA_SET_ID,
					operating_mode: BasicOperatingMode::Normal,
				}),
			},
			palisade_consumer: pallet_palisade_consumer::GenesisConfig {
				current_set: self.genesis_set,
				_config: Default::default(),
			},
		}
		.build_storage()
		.expect("the mock genesis is valid");
		let mut ext = sp_io::TestExternalities::new(storage);
		// A keystore, for the benchmarks that sign GRANDPA votes (the benchmark CLI has one).
		ext.register_extension(sp_keystore::KeystoreExt::new(
			sp_keystore::testing::MemoryKeystore::new(),
		));
		ext.execute_with(|| start_block(1));
		ext
	}

	/// Build, run `test`, then check the invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			PalisadeConsumer::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// Start block `n`: the hooks of the pallets that have `on_initialize` work.
pub fn start_block(n: u64) {
	System::reset_events();
	System::initialize(&n, &Default::default(), &Default::default());
	BridgePalisadeGrandpa::on_initialize(n);
	PalisadeConsumer::on_initialize(n);
}

/// Finish the current block and return its header (with the digest logs).
pub fn finish_block() -> sp_runtime::generic::Header<u64, sp_runtime::traits::BlakeTwo256> {
	let n = System::block_number();
	Grandpa::on_finalize(n);
	BridgePalisadeGrandpa::on_finalize(n);
	System::finalize()
}

/// Finish the current block and start the next one; returns the finished block's header.
pub fn next_block() -> sp_runtime::generic::Header<u64, sp_runtime::traits::BlakeTwo256> {
	let header = finish_block();
	start_block(header.number.saturating_add(1));
	header
}
