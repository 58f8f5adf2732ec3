//! Tests of the consumer pallet, by topic, and the Palisade side they need: Palisade states
//! holding `Consumers::ValidatorSets` entries, their storage proofs, and finalized Palisade
//! headers with GRANDPA justifications signed by the `bp-test-utils` keyring.

use crate::{mock::*, palisade, *};
use alloc::{boxed::Box, vec, vec::Vec};
use bp_runtime::RawStorageProof;
use codec::{Decode, Encode};
use frame_support::{assert_ok, dispatch::DispatchResultWithPostInfo};
use sp_core::H256;
use sp_runtime::{
	traits::{BlakeTwo256, Header as HeaderT},
	AccountId32, StateVersion,
};
use sp_state_machine::{backend::Backend, prove_read, InMemoryBackend};

mod bridge;
mod equivocation;
mod genesis;
mod rotation;
mod submit;

/// A validator set in Palisade's layout, built independently of the pallet's mirror type:
/// `(epoch, set_id, members, set_hash)`.
#[derive(Clone)]
pub struct RawSet {
	pub epoch: u32,
	pub set_id: u64,
	pub members: Vec<(AccountId32, [u8; 32], u128)>,
	pub set_hash: H256,
}

impl RawSet {
	/// Set `set_id` of `epoch` with operators `ops` (keys `key(i)`), hash computed.
	pub fn new(set_id: u64, epoch: u32, ops: &[u8]) -> Self {
		let members: Vec<_> = ops.iter().map(|i| member(*i)).collect();
		let set_hash = H256(sp_io::hashing::blake2_256(&members.encode()));
		Self { epoch, set_id, members, set_hash }
	}

	/// The SCALE bytes Palisade stores.
	pub fn encode(&self) -> Vec<u8> {
		(self.epoch, self.set_id, &self.members, self.set_hash).encode()
	}

	/// The keys, in order.
	pub fn keys(&self) -> Vec<ConsumerKey> {
		self.members.iter().map(|m| m.1).collect()
	}
}

/// A Palisade state: some unrelated entries plus `ValidatorSets` entries.
#[derive(Clone)]
pub struct PalisadeState {
	entries: Vec<(Vec<u8>, Vec<u8>)>,
}

impl Default for PalisadeState {
	fn default() -> Self {
		// Unrelated state, so that the proof walks through branch nodes.
		let mut entries = vec![
			(b":code".to_vec(), vec![0u8; 64]),
			(frame_support::storage::storage_prefix(b"System", b"Number").to_vec(), 42u32.encode()),
			(
				frame_support::storage::storage_prefix(b"Consumers", b"CurrentEpoch").to_vec(),
				9u32.encode(),
			),
		];
		for other in 100..110u32 {
			entries.push((published_set_storage_key(other, 1), RawSet::new(1, 1, &[9]).encode()));
		}
		Self { entries }
	}
}

impl PalisadeState {
	/// With `set` published for `consumer` (under its set id).
	pub fn with_set(self, consumer: ConsumerId, set: &RawSet) -> Self {
		self.with_raw(consumer, set.set_id, set.encode())
	}

	/// With `value` stored at `PublishedSets(consumer, set_id)`.
	pub fn with_raw(mut self, consumer: ConsumerId, set_id: u64, value: Vec<u8>) -> Self {
		self.entries.push((published_set_storage_key(consumer, set_id), value));
		self
	}

	fn backend(&self) -> InMemoryBackend<BlakeTwo256> {
		let entries = self.entries.iter().map(|(k, v)| (k.clone(), Some(v.clone()))).collect();
		InMemoryBackend::<BlakeTwo256>::from((vec![(None, entries)], StateVersion::V1))
	}

	/// The state root.
	pub fn root(&self) -> H256 {
		self.backend().storage_root(core::iter::empty(), StateVersion::V1).0
	}

	/// A read proof of `keys`, as `state_getReadProof` returns it.
	pub fn proof_of(&self, keys: &[Vec<u8>]) -> RawStorageProof {
		prove_read(self.backend(), keys)
			.expect("the keys can be proven")
			.into_nodes()
			.into_iter()
			.collect()
	}

	/// A read proof of `PublishedSets(consumer, set_id)`.
	pub fn proof_for(&self, consumer: ConsumerId, set_id: u64) -> RawStorageProof {
		self.proof_of(&[published_set_storage_key(consumer, set_id)])
	}
}

/// Import the finalized Palisade header `number` with the state root of `state` (justified by
/// the bridge's GRANDPA set) and return its hash.
pub fn import_palisade_header(number: u32, state: &PalisadeState) -> H256 {
	let header: palisade::Header = bp_test_utils::test_header_with_root(number, state.root());
	let justification = bp_test_utils::make_default_justification(&header);
	let hash = HeaderT::hash(&header);
	assert_ok!(BridgePalisadeGrandpa::submit_finality_proof_ex(
		RuntimeOrigin::signed(99),
		Box::new(header),
		justification,
		bp_test_utils::TEST_GRANDPA_SET_ID,
		false,
	));
	hash
}

/// Submit this consumer's set `set_id` at Palisade header `hash` with `proof`.
pub fn submit(hash: H256, set_id: u64, proof: RawStorageProof) -> DispatchResultWithPostInfo {
	PalisadeConsumer::submit_validator_set(RuntimeOrigin::signed(5), hash, set_id, proof)
}

/// Publish `set` for this consumer in a new Palisade header `number`, import it and submit the
/// proof.
pub fn publish_and_submit(number: u32, set: &RawSet) -> DispatchResultWithPostInfo {
	let state = PalisadeState::default().with_set(CONSUMER_ID, set);
	let hash = import_palisade_header(number, &state);
	submit(hash, set.set_id, state.proof_for(CONSUMER_ID, set.set_id))
}

/// The events of this pallet deposited in the current block.
pub fn consumer_events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::PalisadeConsumer(e) => Some(e),
			_ => None,
		})
		.collect()
}

/// The GRANDPA authorities of `keys` as GRANDPA stores them.
pub fn grandpa_authorities() -> sp_consensus_grandpa::AuthorityList {
	pallet_grandpa::Pallet::<Test>::grandpa_authorities()
}

/// Aura's authorities as raw keys.
pub fn aura_keys() -> Vec<ConsumerKey> {
	<AuraGrandpa<Test> as AuthoritySink>::current()
}
