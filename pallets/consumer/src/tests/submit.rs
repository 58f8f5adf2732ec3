//! Proving a set: what is accepted, and every refusal with its typed error and no state change.

use super::*;
use frame_support::{
	assert_noop,
	dispatch::{Pays, PostDispatchInfo},
	pallet_prelude::Get,
	weights::RuntimeDbWeight,
};
use sp_runtime::DispatchError;

/// The call's result without its post-dispatch info, for `assert_noop!`.
fn refused(
	hash: H256,
	set_id: u64,
	proof: RawStorageProof,
) -> Result<PostDispatchInfo, DispatchError> {
	submit(hash, set_id, proof).map_err(|e| e.error)
}

#[test]
fn proven_set_becomes_pending() {
	ExtBuilder::default().build_and_execute(|| {
		// Given Palisade published set 4 of epoch 4 (operators 2 and 3) for this consumer.
		let set = RawSet::new(4, 4, &[2, 3]);
		let state = PalisadeState::default().with_set(CONSUMER_ID, &set);
		let hash = import_palisade_header(1, &state);

		// When anyone proves it.
		assert_ok!(submit(hash, 4, state.proof_for(CONSUMER_ID, 4)));

		// Then it is pending, remembered as the newest accepted, and announced.
		let pending = PendingSet::<Test>::get().expect("pending");
		assert_eq!((pending.set_id, pending.epoch, pending.set_hash), (4, 4, set.set_hash));
		assert_eq!(pending.keys(), set.keys());
		assert_eq!(
			pending.members[0],
			PalisadeMember { operator: operator(2), key: key(2), power: 200 }
		);
		assert_eq!(
			LastAccepted::<Test>::get(),
			Some(AcceptedSet { set_id: 4, epoch: 4, proven_at: Some(1) })
		);
		assert_eq!(
			consumer_events(),
			vec![Event::ValidatorSetAccepted {
				set_id: 4,
				epoch: 4,
				members: 2,
				palisade_block_hash: hash,
				palisade_block_number: 1,
			}]
		);
		// The authorities do not change within the block.
		assert_eq!(aura_keys(), vec![key(1), key(2)]);
		assert_eq!(CurrentSet::<Test>::get().map(|c| c.set.set_id), Some(GENESIS_SET_ID));
	});
}

#[test]
fn weight_is_refunded_to_the_member_count() {
	ExtBuilder::default().build_and_execute(|| {
		let post = publish_and_submit(1, &RawSet::new(4, 4, &[2, 3])).expect("accepted");
		assert_eq!(post.actual_weight, Some(<() as crate::WeightInfo>::submit_validator_set(2)));
		assert_eq!(post.pays_fee, Pays::Yes);
		assert!(
			<() as crate::WeightInfo>::submit_validator_set(2).ref_time()
				< <() as crate::WeightInfo>::submit_validator_set(MAX_MEMBERS).ref_time()
		);
	});
}

#[test]
fn unsigned_origin_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let state = PalisadeState::default().with_set(CONSUMER_ID, &RawSet::new(4, 4, &[2]));
		let hash = import_palisade_header(1, &state);
		assert_noop!(
			PalisadeConsumer::submit_validator_set(
				RuntimeOrigin::none(),
				hash,
				4,
				state.proof_for(CONSUMER_ID, 4)
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn forged_proof_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		// Given Palisade's real state at an imported header.
		let honest = PalisadeState::default().with_set(CONSUMER_ID, &RawSet::new(4, 4, &[2, 3]));
		let hash = import_palisade_header(1, &honest);

		// When an attacker proves his own set from a state Palisade never had.
		let forged = PalisadeState::default().with_set(CONSUMER_ID, &RawSet::new(4, 4, &[5, 6]));

		// Then the proof does not match the header's state root.
		assert_noop!(
			refused(hash, 4, forged.proof_for(CONSUMER_ID, 4)),
			Error::<Test>::InvalidStorageProof
		);
	});
}

#[test]
fn tampered_value_node_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an honest proof whose value node (the set, > 32 bytes: a node of its own in
		// state version 1) is swapped for the attacker's set.
		let honest_set = RawSet::new(4, 4, &[2, 3]);
		let state = PalisadeState::default().with_set(CONSUMER_ID, &honest_set);
		let hash = import_palisade_header(1, &state);
		let forged_set = RawSet::new(4, 4, &[5, 6]).encode();
		let mut proof = state.proof_for(CONSUMER_ID, 4);
		let mut swapped = false;
		for node in proof.iter_mut() {
			if *node == honest_set.encode() {
				*node = forged_set.clone();
				swapped = true;
			}
		}
		assert!(swapped);

		// Then the honest path does not reach a value any more.
		assert_noop!(refused(hash, 4, proof), Error::<Test>::ValidatorSetNotInProof);
	});
}

#[test]
fn another_consumers_set_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		// Given Palisade published set 4 for another consumer only (and this consumer's set 4
		// is not there).
		let state = PalisadeState::default().with_set(OTHER_CONSUMER, &RawSet::new(4, 4, &[4, 5]));
		let hash = import_palisade_header(1, &state);

		// When the other consumer's entry is proven, this consumer's entry is not in the proof.
		assert_noop!(
			refused(hash, 4, state.proof_for(OTHER_CONSUMER, 4)),
			Error::<Test>::ValidatorSetNotInProof
		);
		// And proving the absence of this consumer's set 4 shows there is none.
		assert_noop!(
			refused(hash, 4, state.proof_for(CONSUMER_ID, 4)),
			Error::<Test>::NoValidatorSet
		);
	});
}

#[test]
fn proof_with_unneeded_nodes_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let state = PalisadeState::default()
			.with_set(CONSUMER_ID, &RawSet::new(4, 4, &[2, 3]))
			.with_set(OTHER_CONSUMER, &RawSet::new(9, 4, &[4, 5]));
		let hash = import_palisade_header(1, &state);
		let both = state.proof_of(&[
			published_set_storage_key(CONSUMER_ID, 4),
			published_set_storage_key(OTHER_CONSUMER, 9),
		]);
		assert_noop!(refused(hash, 4, both), Error::<Test>::InvalidStorageProof);
	});
}

#[test]
fn consumer_without_a_set_on_palisade_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		// Given Palisade has no set for this consumer (paused: its entry was removed).
		let state = PalisadeState::default();
		let hash = import_palisade_header(1, &state);

		// When the absence is proven.
		assert_noop!(
			refused(hash, 4, state.proof_for(CONSUMER_ID, 4)),
			Error::<Test>::NoValidatorSet
		);
	});
}

#[test]
fn older_set_is_refused_cheaply() {
	ExtBuilder::default().build_and_execute(|| {
		// The genesis set is set 3 of epoch 3: sets 2 and 3 are refused by their id alone.
		let state = PalisadeState::default()
			.with_set(CONSUMER_ID, &RawSet::new(2, 2, &[2, 3]))
			.with_set(CONSUMER_ID, &RawSet::new(GENESIS_SET_ID, 4, &[2, 3]));
		let hash = import_palisade_header(1, &state);
		for set_id in [2, GENESIS_SET_ID] {
			let err = submit(hash, set_id, state.proof_for(CONSUMER_ID, set_id))
				.expect_err("an older set");
			assert_eq!(err.error, DispatchError::from(Error::<Test>::StaleSetId));
			assert_eq!(
				err.post_info.actual_weight,
				Some(
					<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get()
						.reads(3)
				)
			);
			assert_noop!(
				refused(hash, set_id, state.proof_for(CONSUMER_ID, set_id)),
				Error::<Test>::StaleSetId
			);
		}
	});
}

/// Sets are applied one by one: a set that skips one is refused, so this chain's GRANDPA set
/// ids stay `Palisade set id - genesis set id` and evidence maps to one epoch on Palisade.
#[test]
fn set_skipping_one_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let state = PalisadeState::default().with_set(CONSUMER_ID, &RawSet::new(5, 5, &[2, 3]));
		let hash = import_palisade_header(1, &state);
		assert_noop!(refused(hash, 5, state.proof_for(CONSUMER_ID, 5)), Error::<Test>::SetIdGap);
	});
}

/// The proof must be of the entry of the set id asked for, and that entry must carry it.
#[test]
fn set_under_another_id_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		// Palisade's entry 4 holding a set that says it is set 5 (never the case on Palisade,
		// checked all the same).
		let state =
			PalisadeState::default().with_raw(CONSUMER_ID, 4, RawSet::new(5, 5, &[2, 3]).encode());
		let hash = import_palisade_header(1, &state);
		assert_noop!(
			refused(hash, 4, state.proof_for(CONSUMER_ID, 4)),
			Error::<Test>::SetIdMismatch
		);
	});
}

#[test]
fn replayed_set_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		// Given set 4 was accepted from Palisade header #1.
		let state = PalisadeState::default().with_set(CONSUMER_ID, &RawSet::new(4, 4, &[2, 3]));
		let hash = import_palisade_header(1, &state);
		assert_ok!(submit(hash, 4, state.proof_for(CONSUMER_ID, 4)));

		// When the same proof is submitted again while it is pending, it is refused before it
		// is checked.
		assert_noop!(refused(hash, 4, state.proof_for(CONSUMER_ID, 4)), Error::<Test>::SetPending);

		// And once applied, the same set (at this or any later header) is stale by its id,
		// for three reads.
		next_block();
		let later = import_palisade_header(2, &state);
		for at in [hash, later] {
			let err = submit(at, 4, state.proof_for(CONSUMER_ID, 4)).expect_err("a replay");
			assert_eq!(err.error, DispatchError::from(Error::<Test>::StaleSetId));
			assert_eq!(
				err.post_info.actual_weight,
				Some(
					<<Test as frame_system::Config>::DbWeight as Get<RuntimeDbWeight>>::get()
						.reads(3)
				)
			);
		}
	});
}

#[test]
fn set_whose_epoch_is_not_newer_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let state =
			PalisadeState::default().with_set(CONSUMER_ID, &RawSet::new(4, GENESIS_EPOCH, &[2, 3]));
		let hash = import_palisade_header(1, &state);
		assert_noop!(
			refused(hash, 4, state.proof_for(CONSUMER_ID, 4)),
			Error::<Test>::EpochNotNewer
		);
	});
}

#[test]
fn header_never_imported_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let state = PalisadeState::default().with_set(CONSUMER_ID, &RawSet::new(4, 4, &[2, 3]));
		let header: palisade::Header = bp_test_utils::test_header_with_root(1, state.root());
		assert_noop!(
			refused(header.hash(), 4, state.proof_for(CONSUMER_ID, 4)),
			Error::<Test>::UnknownPalisadeHeader
		);
	});
}

#[test]
fn header_pruned_by_the_light_client_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let state = PalisadeState::default().with_set(CONSUMER_ID, &RawSet::new(4, 4, &[2, 3]));
		let old = import_palisade_header(1, &state);
		let keep: u32 = HeadersToKeep::get();
		for number in 2..=keep.saturating_add(1) {
			import_palisade_header(number, &PalisadeState::default());
		}
		assert_noop!(
			refused(old, 4, state.proof_for(CONSUMER_ID, 4)),
			Error::<Test>::UnknownPalisadeHeader
		);
	});
}

#[test]
fn empty_set_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let state = PalisadeState::default().with_set(CONSUMER_ID, &RawSet::new(4, 4, &[]));
		let hash = import_palisade_header(1, &state);
		assert_noop!(refused(hash, 4, state.proof_for(CONSUMER_ID, 4)), Error::<Test>::EmptySet);
	});
}

#[test]
fn too_many_members_are_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let ops: Vec<u8> = (1..=(MAX_MEMBERS as u8 + 1)).collect();
		let state = PalisadeState::default().with_set(CONSUMER_ID, &RawSet::new(4, 4, &ops));
		let hash = import_palisade_header(1, &state);
		assert_noop!(
			refused(hash, 4, state.proof_for(CONSUMER_ID, 4)),
			Error::<Test>::TooManyMembers
		);
	});
}

#[test]
fn duplicate_key_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let mut set = RawSet::new(4, 4, &[2, 3]);
		set.members[1].1 = key(2);
		set.set_hash = H256(sp_io::hashing::blake2_256(&set.members.encode()));
		let state = PalisadeState::default().with_set(CONSUMER_ID, &set);
		let hash = import_palisade_header(1, &state);
		assert_noop!(
			refused(hash, 4, state.proof_for(CONSUMER_ID, 4)),
			Error::<Test>::DuplicateKey
		);
	});
}

#[test]
fn set_hash_mismatch_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let mut set = RawSet::new(4, 4, &[2, 3]);
		set.set_hash = H256::repeat_byte(1);
		let state = PalisadeState::default().with_set(CONSUMER_ID, &set);
		let hash = import_palisade_header(1, &state);
		assert_noop!(
			refused(hash, 4, state.proof_for(CONSUMER_ID, 4)),
			Error::<Test>::SetHashMismatch
		);
	});
}

#[test]
fn value_not_in_palisade_layout_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		// Trailing bytes after a valid set.
		let mut bytes = RawSet::new(4, 4, &[2, 3]).encode();
		bytes.push(0);
		let state = PalisadeState::default().with_raw(CONSUMER_ID, 4, bytes);
		let hash = import_palisade_header(1, &state);
		assert_noop!(
			refused(hash, 4, state.proof_for(CONSUMER_ID, 4)),
			Error::<Test>::UndecodableValidatorSet
		);

		// A truncated set.
		let bytes = RawSet::new(4, 4, &[2, 3]).encode()[..40].to_vec();
		let state = PalisadeState::default().with_raw(CONSUMER_ID, 4, bytes);
		let hash = import_palisade_header(2, &state);
		assert_noop!(
			refused(hash, 4, state.proof_for(CONSUMER_ID, 4)),
			Error::<Test>::UndecodableValidatorSet
		);
	});
}

#[test]
fn proof_larger_than_the_bound_is_refused_cheaply() {
	ExtBuilder::default().build_and_execute(|| {
		let state = PalisadeState::default().with_set(CONSUMER_ID, &RawSet::new(4, 4, &[2, 3]));
		let hash = import_palisade_header(1, &state);
		let mut proof = state.proof_for(CONSUMER_ID, 4);
		proof.push(vec![0u8; MAX_PROOF_SIZE as usize]);
		let err = submit(hash, 4, proof.clone()).expect_err("too large");
		assert_eq!(err.error, DispatchError::from(Error::<Test>::ProofTooLarge));
		let charged = err.post_info.actual_weight.expect("refunded");
		assert!(charged.ref_time() < <() as crate::WeightInfo>::submit_validator_set(1).ref_time());
		assert_noop!(refused(hash, 4, proof), Error::<Test>::ProofTooLarge);
	});
}
