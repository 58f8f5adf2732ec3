//! Benchmarks of the consumer pallet: proving a set of `n` members (the proof is checked
//! against a Palisade state with other consumers' sets around it, so it walks branch nodes) and
//! applying a pending set of `n` members, plus the idle hook.
//!
//! The Palisade header is put in the light client with
//! `pallet_bridge_grandpa::initialize_for_benchmarks` (its justification is the light client's
//! own cost, benchmarked there).

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use alloc::vec::Vec;
use bp_runtime::RawStorageProof;
use codec::{Decode, Encode};
use frame_benchmarking::v2::*;
use frame_support::{pallet_prelude::BoundedVec, traits::Get};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use sp_runtime::{traits::Header as HeaderT, AccountId32};
use sp_trie::{
	read_trie_value, recorder_ext::RecorderExt, trie_types::TrieDBMutBuilderV1, LayoutV1, MemoryDB,
	Recorder, TrieMut,
};

/// The hasher of Palisade's state trie.
type PalisadeHasher<T> =
	pallet_bridge_grandpa::BridgedBlockHasher<T, <T as Config>::BridgeGrandpaInstance>;

/// Other consumers' sets stored beside ours.
const OTHER_SETS: u32 = 32;

/// A key unique for `i`.
fn bench_key(i: u32) -> ConsumerKey {
	let mut key = [0xCD; 32];
	for (byte, value) in key.iter_mut().zip(i.to_le_bytes()) {
		*byte = value;
	}
	key
}

/// A set of `n` members.
fn bench_set<T: Config>(set_id: u64, epoch: EpochIndex, n: u32) -> PalisadeValidatorSet<T> {
	let members: Vec<PalisadeMember> = (0..n)
		.map(|i| PalisadeMember {
			operator: AccountId32::new(bench_key(i.saturating_add(1_000))),
			key: bench_key(i),
			power: u128::from(n.saturating_sub(i)).saturating_mul(1_000_000_000_000),
		})
		.collect();
	let set_hash = PalisadeValidatorSet::<T>::members_hash(&members);
	PalisadeValidatorSet { epoch, set_id, members: BoundedVec::truncate_from(members), set_hash }
}

/// Import a Palisade header whose state holds `set` for this consumer (and other consumers'
/// sets), returning its hash and the proof of this consumer's entry.
fn palisade_header_with<T: Config>(
	set: &PalisadeValidatorSet<T>,
) -> (PalisadeBlockHash<T>, RawStorageProof) {
	let our_key = published_set_storage_key(T::ConsumerId::get(), set.set_id);
	let value = set.encode();
	let mut root = Default::default();
	let mut db = MemoryDB::<PalisadeHasher<T>>::new(&[0u8][..]);
	{
		let mut trie = TrieDBMutBuilderV1::<PalisadeHasher<T>>::new(&mut db, &mut root).build();
		trie.insert(&our_key, &value).expect("the trie is in memory");
		for other in 1..=OTHER_SETS {
			let consumer = T::ConsumerId::get().wrapping_add(other);
			trie.insert(&published_set_storage_key(consumer, set.set_id), &value)
				.expect("in memory");
		}
	}
	let mut recorder = Recorder::<LayoutV1<PalisadeHasher<T>>>::new();
	read_trie_value::<LayoutV1<PalisadeHasher<T>>, _>(
		&db,
		&root,
		&our_key,
		Some(&mut recorder),
		None,
	)
	.expect("the trie is in memory")
	.expect("the set was inserted");
	let proof = recorder.into_raw_storage_proof();

	let header = <pallet_bridge_grandpa::BridgedHeader<T, T::BridgeGrandpaInstance>>::new(
		10u32.into(),
		Default::default(),
		root,
		Default::default(),
		Default::default(),
	);
	let hash = header.hash();
	pallet_bridge_grandpa::initialize_for_benchmarks::<T, T::BridgeGrandpaInstance>(header);
	(hash, proof)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// Prove a set of `n` members, the next one after set 99.
	#[benchmark]
	fn submit_validator_set(n: Linear<1, { T::MaxAuthorities::get() }>) {
		let set = bench_set::<T>(100, 100, n);
		let (hash, proof) = palisade_header_with::<T>(&set);
		LastAccepted::<T>::put(AcceptedSet { set_id: 99, epoch: 99, proven_at: Some(1u32.into()) });
		PendingSet::<T>::kill();
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), hash, 100, proof);

		assert_eq!(PendingSet::<T>::get().map(|s| s.set_id), Some(100));
	}

	/// Prove an equivocation of a member of the set in force (`MaxAuthorities` keys).
	#[benchmark]
	fn report_equivocation() -> Result<(), BenchmarkError> {
		let offender = crate::evidence_testing::generate_key("//BenchOffender");
		let mut set = bench_set::<T>(7, 7, T::MaxAuthorities::get());
		if let Some(last) = set.members.last_mut() {
			last.key = offender;
		}
		set.set_hash = PalisadeValidatorSet::<T>::members_hash(&set.members);
		let grandpa_set_id = 5u64;
		SetHistory::<T>::put(BoundedVec::truncate_from(alloc::vec![SetHistoryEntry {
			grandpa_set_id,
			set_id: 7,
			epoch: 7
		}]));
		SetKeys::<T>::insert(grandpa_set_id, BoundedVec::truncate_from(set.keys()));
		let target = |byte: u8| (T::Hash::default(), BlockNumberFor::<T>::from(byte as u32));
		let mut first = target(10);
		first.0 = T::Hash::decode(&mut &[1u8; 64][..]).map_err(|_| BenchmarkError::Weightless)?;
		let second = target(10);
		let proof = crate::evidence_testing::precommit_equivocation(
			&offender,
			grandpa_set_id,
			grandpa_set_id,
			1,
			first,
			second,
		)
		.ok_or(BenchmarkError::Weightless)?;
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), alloc::boxed::Box::new(proof));

		assert!(Equivocations::<T>::contains_key(grandpa_set_id, offender));
		Ok(())
	}

	/// Apply a pending set of `n` members, with the history full, so that the oldest GRANDPA
	/// set leaves it with its keys and `MaxAuthorities` equivocation records (the worst case).
	/// (The history's GRANDPA set ids need not follow the sink's counter for the cost.)
	#[benchmark]
	fn apply_pending_set(n: Linear<1, { T::MaxAuthorities::get() }>) {
		let depth = T::SetHistoryDepth::get() as u64;
		let max = T::MaxAuthorities::get();
		let history: Vec<SetHistoryEntry> = (0..depth)
			.map(|g| SetHistoryEntry {
				grandpa_set_id: g,
				set_id: 1_000 + g,
				epoch: 1_000 + g as u32,
			})
			.collect();
		for entry in &history {
			SetKeys::<T>::insert(
				entry.grandpa_set_id,
				BoundedVec::truncate_from(bench_set::<T>(0, 0, max).keys()),
			);
		}
		for i in 0..max {
			Equivocations::<T>::insert(
				0,
				bench_key(i),
				EquivocationRecord {
					round: 1,
					set_id: 1_000,
					epoch: 1_000,
					noted_at: 0u32.into(),
					proof: BoundedVec::truncate_from(alloc::vec![7u8; 250]),
				},
			);
		}
		SetHistory::<T>::put(BoundedVec::truncate_from(history));
		let set = bench_set::<T>(1_000 + depth, 1_000 + depth as u32, n);
		LastAccepted::<T>::put(AcceptedSet {
			set_id: set.set_id,
			epoch: set.epoch,
			proven_at: None,
		});
		PendingSet::<T>::put(set);
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::do_apply_pending_set(now);
		}

		assert_eq!(PendingSet::<T>::get(), None);
		assert_eq!(CurrentSet::<T>::get().map(|c| c.set.members.len() as u32), Some(n));
		assert_eq!(Equivocations::<T>::iter_prefix(0).count(), 0);
		assert!(SetKeys::<T>::get(0).is_none());
	}

	/// `on_initialize` with nothing pending.
	#[benchmark]
	fn on_initialize_idle() {
		let now = frame_system::Pallet::<T>::block_number();

		#[block]
		{
			Pallet::<T>::do_apply_pending_set(now);
		}

		assert_eq!(PendingSet::<T>::get(), None);
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
