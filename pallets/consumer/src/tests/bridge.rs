//! With the light client: Palisade headers imported with their GRANDPA justifications, then
//! the set proven against them; forged justifications and Palisade's own authority changes.

use super::*;
use bp_test_utils::{
	make_justification_for_header, JustificationGeneratorParams, BOB, CHARLIE, DAVE, EVE,
	TEST_GRANDPA_SET_ID,
};
use frame_support::assert_noop;
use sp_consensus_grandpa::{ConsensusLog, ScheduledChange, GRANDPA_ENGINE_ID};
use sp_runtime::{Digest, DigestItem};

#[test]
fn header_import_then_set_proof_is_accepted_and_applied() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a Palisade header finalized by Palisade's GRANDPA is imported.
		let set = RawSet::new(4, 4, &[2, 3]);
		let state = PalisadeState::default().with_set(CONSUMER_ID, &set);
		let hash = import_palisade_header(5, &state);
		assert_eq!(BridgePalisadeGrandpa::best_finalized().map(|id| id.0), Some(5));

		// When the set is proven against it.
		assert_ok!(submit(hash, 4, state.proof_for(CONSUMER_ID, 4)));

		// Then the next block runs with it.
		next_block();
		assert_eq!(aura_keys(), set.keys());
	});
}

#[test]
fn forged_justification_is_refused_and_its_header_cannot_prove_a_set() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a header with a forged set, "finalized" by keys that are not Palisade's GRANDPA
		// authorities.
		let forged = PalisadeState::default().with_set(CONSUMER_ID, &RawSet::new(4, 4, &[5, 6]));
		let header: palisade::Header = bp_test_utils::test_header_with_root(1, forged.root());
		let justification = make_justification_for_header(JustificationGeneratorParams {
			header: header.clone(),
			authorities: vec![(DAVE, 1), (EVE, 1), (CHARLIE, 1)],
			..Default::default()
		});

		// When it is submitted, the light client refuses it.
		assert_noop!(
			BridgePalisadeGrandpa::submit_finality_proof_ex(
				RuntimeOrigin::signed(66),
				Box::new(header.clone()),
				justification,
				TEST_GRANDPA_SET_ID,
				false,
			),
			pallet_bridge_grandpa::Error::<Test>::InvalidJustification
		);

		// And the set cannot be proven against it.
		assert_noop!(
			submit(header.hash(), 4, forged.proof_for(CONSUMER_ID, 4)).map_err(|e| e.error),
			Error::<Test>::UnknownPalisadeHeader
		);
	});
}

#[test]
fn palisade_authority_changes_are_followed() {
	ExtBuilder::default().build_and_execute(|| {
		// Given Palisade header #1 is mandatory: it hands GRANDPA to Bob, Charlie, Dave, Eve.
		let next: Vec<_> = [BOB, CHARLIE, DAVE, EVE].into_iter().map(|a| (a, 1u64)).collect();
		let mut mandatory: palisade::Header =
			bp_test_utils::test_header_with_root(1, PalisadeState::default().root());
		mandatory.digest = Digest {
			logs: vec![DigestItem::Consensus(
				GRANDPA_ENGINE_ID,
				ConsensusLog::<u32>::ScheduledChange(ScheduledChange {
					next_authorities: next.iter().map(|(a, w)| ((*a).into(), *w)).collect(),
					delay: 0,
				})
				.encode(),
			)],
		};
		let justification = bp_test_utils::make_default_justification(&mandatory);
		assert_ok!(BridgePalisadeGrandpa::submit_finality_proof_ex(
			RuntimeOrigin::signed(66),
			Box::new(mandatory),
			justification,
			TEST_GRANDPA_SET_ID,
			false,
		));

		// When header #2, with the set, is finalized by the new authorities (set id + 1).
		let set = RawSet::new(4, 4, &[2, 3]);
		let state = PalisadeState::default().with_set(CONSUMER_ID, &set);
		let header: palisade::Header = bp_test_utils::test_header_with_root(2, state.root());
		let justification = make_justification_for_header(JustificationGeneratorParams {
			header: header.clone(),
			set_id: TEST_GRANDPA_SET_ID + 1,
			// 3 of 4 voters: the light client wants justifications without redundant votes.
			authorities: next.iter().take(3).cloned().collect(),
			..Default::default()
		});
		// The old set's justification is refused.
		assert!(BridgePalisadeGrandpa::submit_finality_proof_ex(
			RuntimeOrigin::signed(66),
			Box::new(header.clone()),
			bp_test_utils::make_default_justification(&header),
			TEST_GRANDPA_SET_ID + 1,
			false,
		)
		.is_err());
		assert_ok!(BridgePalisadeGrandpa::submit_finality_proof_ex(
			RuntimeOrigin::signed(66),
			Box::new(header.clone()),
			justification,
			TEST_GRANDPA_SET_ID + 1,
			false,
		));

		// Then the set proven at header #2 is accepted.
		assert_ok!(submit(header.hash(), 4, state.proof_for(CONSUMER_ID, 4)));
	});
}
