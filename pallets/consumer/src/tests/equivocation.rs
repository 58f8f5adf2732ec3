//! GRANDPA equivocations of this chain's authorities: proven here against the keys of the
//! GRANDPA set they were signed for, kept with the Palisade set and epoch they belong to.

use super::*;
use crate::evidence_testing::{generate_key, precommit_equivocation};
use frame_support::{assert_noop, dispatch::Pays};
use sp_consensus_grandpa::EquivocationProof;

type Proof = EquivocationProof<H256, u64>;

/// Set 4 of epoch 4 with `offender` (operator 9) and operator 2, proven and applied: this
/// chain's GRANDPA set 1. Returns the offender's key.
fn running_set_with_real_key() -> ConsumerKey {
	let offender = generate_key("//Offender");
	let mut set = RawSet::new(4, 4, &[2]);
	set.members.insert(0, (operator(9), offender, 900));
	set.set_hash = H256(sp_io::hashing::blake2_256(&set.members.encode()));
	assert_ok!(publish_and_submit(1, &set));
	next_block();
	assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 1);
	offender
}

fn votes() -> ((H256, u64), (H256, u64)) {
	((H256::repeat_byte(1), 10), (H256::repeat_byte(2), 10))
}

fn proof(key: &ConsumerKey, set_id: u64, signed_for: u64, round: u64) -> Proof {
	let (a, b) = votes();
	precommit_equivocation(key, set_id, signed_for, round, a, b).expect("a proof")
}

fn report(proof: Proof) -> DispatchResultWithPostInfo {
	PalisadeConsumer::report_equivocation(RuntimeOrigin::signed(77), Box::new(proof))
}

#[test]
fn equivocation_of_an_authority_is_noted_with_its_palisade_set() {
	ExtBuilder::default().build_and_execute(|| {
		let offender = running_set_with_real_key();
		let evidence = proof(&offender, 1, 1, 7);

		// When anyone proves it, it is free.
		let post = report(evidence.clone()).expect("a valid equivocation");
		assert_eq!(post.pays_fee, Pays::No);

		// Then it is kept, for a relay, with the Palisade set and epoch it belongs to.
		let record = Equivocations::<Test>::get(1, offender).expect("kept");
		assert_eq!((record.round, record.set_id, record.epoch, record.noted_at), (7, 4, 4, 2));
		assert_eq!(record.proof.to_vec(), evidence.encode());
		assert_eq!(
			consumer_events().last(),
			Some(&Event::EquivocationNoted {
				grandpa_set_id: 1,
				round: 7,
				offender,
				set_id: 4,
				epoch: 4
			})
		);
	});
}

#[test]
fn second_equivocation_in_the_same_set_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let offender = running_set_with_real_key();
		assert_ok!(report(proof(&offender, 1, 1, 7)));
		// Another round of the same GRANDPA set adds nothing: Palisade slashes once per set.
		assert_noop!(
			report(proof(&offender, 1, 1, 8)).map_err(|e| e.error),
			Error::<Test>::DuplicateEquivocation
		);
	});
}

/// The framing attack: votes signed with a key for a GRANDPA set it was not an authority of
/// (for instance the genesis set 0 here, or another chain's set with the same id) are refused.
#[test]
fn votes_for_a_set_the_key_was_not_in_are_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let offender = running_set_with_real_key();
		assert_noop!(
			report(proof(&offender, 0, 0, 7)).map_err(|e| e.error),
			Error::<Test>::NotAnAuthority
		);
	});
}

#[test]
fn unknown_grandpa_set_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let offender = running_set_with_real_key();
		assert_noop!(
			report(proof(&offender, 2, 2, 7)).map_err(|e| e.error),
			Error::<Test>::UnknownGrandpaSet
		);
	});
}

#[test]
fn forged_or_non_conflicting_votes_are_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let offender = running_set_with_real_key();
		// Signed for set 0, claimed for set 1.
		assert_noop!(
			report(proof(&offender, 1, 0, 7)).map_err(|e| e.error),
			Error::<Test>::InvalidEquivocationProof
		);
		// Signed by another key.
		let other = generate_key("//Other");
		let (a, b) = votes();
		let mut forged = precommit_equivocation(&other, 1, 1, 7, a, b).expect("a proof");
		let mut bytes = forged.encode();
		// Swap the identity (after set id, variant and round) for the offender's key.
		bytes[17..49].copy_from_slice(&offender);
		forged = Proof::decode(&mut &bytes[..]).expect("decodes");
		assert_noop!(report(forged).map_err(|e| e.error), Error::<Test>::InvalidEquivocationProof);
		// Two votes for the same block are no equivocation.
		let (a, _) = votes();
		let same = precommit_equivocation(&offender, 1, 1, 7, a, a).expect("a proof");
		assert_noop!(report(same).map_err(|e| e.error), Error::<Test>::InvalidEquivocationProof);
	});
}

#[test]
fn unsigned_report_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		let offender = running_set_with_real_key();
		assert_noop!(
			PalisadeConsumer::report_equivocation(
				RuntimeOrigin::none(),
				Box::new(proof(&offender, 1, 1, 7))
			)
			.map_err(|e| e.error),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

/// Records go with their GRANDPA set when it leaves the history (depth 3), so they are bounded
/// by `SetHistoryDepth × MaxAuthorities`.
#[test]
fn records_are_pruned_with_the_set_history() {
	ExtBuilder::default().build_and_execute(|| {
		let offender = running_set_with_real_key();
		assert_ok!(report(proof(&offender, 1, 1, 7)));
		for (number, set_id) in [(2u32, 5u64), (3, 6), (4, 7)] {
			finish_block();
			start_block(System::block_number().saturating_add(1));
			assert_ok!(publish_and_submit(number, &RawSet::new(set_id, set_id as u32, &[2, 3])));
			next_block();
		}
		assert_eq!(PalisadeConsumer::palisade_set_of(1), None);
		assert!(Equivocations::<Test>::get(1, offender).is_none());
		assert!(SetKeys::<Test>::get(1).is_none());
		assert_eq!(SetKeys::<Test>::iter().count() as u32, HISTORY_DEPTH);
	});
}
