//! On-chain GRANDPA equivocation evidence.

use crate::{
	evidence::testing::{assemble_precommit_proof, precommit_equivocation, sign_precommit, Vote},
	mock::*,
	Error, Event, Evidence, OffenceKind, PendingSlashes, ReportedEquivocations, WeightInfo,
};
use codec::{Decode, Encode};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{GetDispatchInfo, Pays},
};
use palisade_primitives::ConsumerKey;
use sp_core::{ed25519, Pair, H256};
use sp_keyring::Ed25519Keyring;
use sp_runtime::{DispatchError, Perbill};

/// The GRANDPA set id consumer 1 ran in epoch 0.
const SET: u64 = 5;

fn alice() -> ed25519::Pair {
	Ed25519Keyring::Alice.pair()
}

fn alice_key() -> ConsumerKey {
	Ed25519Keyring::Alice.public().0
}

/// Operator 1 validated consumer 1 in epoch 0 (GRANDPA set 5) with Alice's key.
fn setup() {
	expose_with_key(0, CONSUMER, OPERATOR, alice_key(), 1_000, &[(100, 4_000), (101, 2_000)]);
	set_grandpa_set(CONSUMER, SET, 0);
	slashing_events();
}

fn submit(who: AccountId, proof: crate::EquivocationProofOf) -> sp_runtime::DispatchResult {
	ServiceSlashing::report_equivocation(RuntimeOrigin::signed(who), CONSUMER, Box::new(proof))
		.map(|_| ())
		.map_err(|e| e.error)
}

fn vote(byte: u8) -> Vote {
	(H256::repeat_byte(byte), 10)
}

#[test]
fn a_valid_proof_creates_a_pending_equivocation_slash_with_the_sender_as_reporter() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		set_epoch(1);

		// When anyone submits two conflicting precommits signed by Alice's key in set 5.
		let proof = precommit_equivocation(&alice(), SET, 3);
		assert_ok!(submit(ALICE, proof));

		// Then an equivocation slash (10%) of operator 1 for epoch 0 is pending, with ALICE as
		// reporter.
		let slash = PendingSlashes::<Test>::get(0).unwrap();
		assert_eq!(slash.kind, OffenceKind::Equivocation);
		assert_eq!(slash.operator, OPERATOR);
		assert_eq!(slash.epoch, 0);
		assert_eq!(slash.reporter, Some(ALICE));
		assert_eq!(slash.due_epoch, 4);
		assert_eq!(
			slash.evidence,
			Evidence::GrandpaEquivocation { set_id: SET, round: 3, key: alice_key() }
		);
		assert_eq!(ReportedEquivocations::<Test>::get(0, (CONSUMER, alice_key(), SET, 3)), Some(0));
		assert_eq!(
			slashing_events(),
			vec![Event::OffenceReported {
				slash_id: 0,
				consumer_id: CONSUMER,
				operator: OPERATOR,
				kind: OffenceKind::Equivocation,
				epoch: 0,
				fraction: Perbill::from_percent(10),
				reported_fraction: Perbill::from_percent(10),
				due_epoch: 4,
				reporter: Some(ALICE),
				bond_amount: 100,
				pool_amounts: vec![(100, 400), (101, 200)],
				pools_total: 600,
			}]
		);
	});
}

#[test]
fn an_executed_equivocation_pays_the_reporter_reward() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		assert_ok!(submit(ALICE, precommit_equivocation(&alice(), SET, 1)));
		slashing_events();

		// When the slash comes due (epoch 0 + veto 3).
		start_epoch(3);

		// Then 10% is taken: 100 from the bond, of which 10% (10) goes to the reporter and 90
		// to the treasury; 400 and 200 booked against the pools, wholly to the treasury.
		assert_eq!(
			MockOperators::bond_slashes(),
			vec![
				BondSlash { who: OPERATOR, amount: 90, taken: 90, beneficiary: Some(TREASURY) },
				BondSlash { who: OPERATOR, amount: 10, taken: 10, beneficiary: Some(ALICE) },
			]
		);
		assert_eq!(
			MockPools::pool_slashes(),
			vec![
				PoolSlash {
					pool: 100,
					amount: 400,
					epoch: 0,
					beneficiary: Some(TREASURY),
					taken: 400
				},
				PoolSlash {
					pool: 101,
					amount: 200,
					epoch: 0,
					beneficiary: Some(TREASURY),
					taken: 200
				},
			]
		);
		assert_eq!(
			slashing_events(),
			vec![Event::SlashExecuted {
				slash_id: 0,
				operator: OPERATOR,
				consumer_id: CONSUMER,
				kind: OffenceKind::Equivocation,
				epoch: 0,
				fraction: Perbill::from_percent(10),
				bond_taken: 100,
				pools: vec![(100, 400), (101, 200)],
				reporter: Some(ALICE),
				reporter_reward: 10,
				to_treasury: 690,
				burnt: 0,
				jailed_until: Some(5),
			}]
		);
		assert_eq!((paid(ALICE), paid(TREASURY)), (10, 690));
	});
}

#[test]
fn prevote_equivocations_are_accepted_too() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		// A prevote equivocation: variant 0, the prevote message is variant 0 as well.
		let pair = alice();
		let sign = |target: Vote| {
			let payload = (0u8, target.0, target.1, 2u64, SET).encode();
			pair.sign(&payload).0
		};
		let (first, second) = (vote(1), vote(2));
		let encoded =
			(SET, 0u8, 2u64, alice_key(), (first, sign(first)), (second, sign(second))).encode();
		let proof = crate::EquivocationProofOf::decode(&mut &encoded[..]).unwrap();
		assert_ok!(submit(ALICE, proof));
		assert!(PendingSlashes::<Test>::contains_key(0));
	});
}

#[test]
fn forged_proofs_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		let alice = alice();
		let bob = Ed25519Keyring::Bob.pair();
		let (a, b) = (vote(1), vote(2));

		// The second vote signed by Bob, claimed as Alice's.
		let bad_signature = assemble_precommit_proof(
			SET,
			1,
			alice_key(),
			(a, sign_precommit(&alice, SET, 1, a)),
			(b, sign_precommit(&bob, SET, 1, b)),
		);
		// The same vote twice: no equivocation.
		let same_vote = assemble_precommit_proof(
			SET,
			1,
			alice_key(),
			(a, sign_precommit(&alice, SET, 1, a)),
			(a, sign_precommit(&alice, SET, 1, a)),
		);
		// Votes of different rounds (1 and 2) presented as round 1.
		let different_rounds = assemble_precommit_proof(
			SET,
			1,
			alice_key(),
			(a, sign_precommit(&alice, SET, 1, a)),
			(b, sign_precommit(&alice, SET, 2, b)),
		);
		// Votes signed for the previous set id, presented as set 5.
		let previous_set = assemble_precommit_proof(
			SET,
			1,
			alice_key(),
			(a, sign_precommit(&alice, SET - 1, 1, a)),
			(b, sign_precommit(&alice, SET - 1, 1, b)),
		);
		// Garbage signatures.
		let garbage = assemble_precommit_proof(SET, 1, alice_key(), (a, [0u8; 64]), (b, [1u8; 64]));

		for proof in [bad_signature, same_vote, different_rounds, previous_set, garbage] {
			assert_noop!(submit(ALICE, proof), Error::<Test>::InvalidEquivocationProof);
		}
	});
}

#[test]
fn a_failed_report_keeps_the_fee() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		let alice = alice();
		let (a, b) = (vote(1), vote(2));
		let forged = assemble_precommit_proof(
			SET,
			1,
			alice_key(),
			(a, sign_precommit(&alice, SET, 1, a)),
			(b, [0u8; 64]),
		);
		let call = crate::Call::<Test>::report_equivocation {
			consumer_id: CONSUMER,
			proof: Box::new(forged.clone()),
		};
		let info = call.get_dispatch_info();
		assert_eq!(info.pays_fee, Pays::Yes);
		assert_eq!(info.call_weight, <() as WeightInfo>::report_equivocation(MAX_POOLS));
		let error = ServiceSlashing::report_equivocation(
			RuntimeOrigin::signed(ALICE),
			CONSUMER,
			Box::new(forged),
		)
		.unwrap_err();
		assert_eq!(error.error, Error::<Test>::InvalidEquivocationProof.into());
		// No refund: the full declared weight is charged.
		assert_eq!(error.post_info.actual_weight, None);
		assert_eq!(error.post_info.pays_fee, Pays::Yes);
	});
}

#[test]
fn the_set_must_be_known_and_the_key_in_it() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		// Set 6 was never published.
		assert_noop!(
			submit(ALICE, precommit_equivocation(&alice(), 6, 1)),
			Error::<Test>::UnknownSetId
		);
		// Bob's key is not in the set of epoch 0.
		assert_noop!(
			submit(ALICE, precommit_equivocation(&Ed25519Keyring::Bob.pair(), SET, 1)),
			Error::<Test>::UnknownOffender
		);
		// Another consumer's set 5 is unknown.
		assert_noop!(
			ServiceSlashing::report_equivocation(
				RuntimeOrigin::signed(ALICE),
				2,
				Box::new(precommit_equivocation(&alice(), SET, 1)),
			)
			.map_err(|e| e.error),
			Error::<Test>::UnknownSetId
		);
		// Unsigned: bad origin.
		assert_noop!(
			ServiceSlashing::report_equivocation(
				RuntimeOrigin::none(),
				CONSUMER,
				Box::new(precommit_equivocation(&alice(), SET, 1)),
			)
			.map_err(|e| e.error),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_epoch_of_the_set_must_be_within_the_window_and_the_operator_exposed() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		// Set 7 starts in epoch 2: in the future at epoch 1.
		set_grandpa_set(CONSUMER, 7, 2);
		expose_with_key(2, CONSUMER, OPERATOR, alice_key(), 1_000, &[]);
		set_epoch(1);
		assert_noop!(
			submit(ALICE, precommit_equivocation(&alice(), 7, 1)),
			Error::<Test>::FutureEpoch
		);

		// At epoch 5, epoch 0 (set 5) is out of the window of 4.
		set_epoch(5);
		assert_noop!(
			submit(ALICE, precommit_equivocation(&alice(), SET, 1)),
			Error::<Test>::OutsideReportWindow
		);

		// In epoch 3 (set 8) the key was operator 2's, which has no exposure (e.g. pruned).
		set_grandpa_set(CONSUMER, 8, 3);
		MockConsumers::set_key_owner(3, CONSUMER, alice_key(), 2);
		assert_noop!(
			submit(ALICE, precommit_equivocation(&alice(), 8, 1)),
			Error::<Test>::NoExposure
		);
	});
}

#[test]
fn the_same_equivocation_is_accepted_once() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		assert_ok!(submit(ALICE, precommit_equivocation(&alice(), SET, 1)));
		// Same consumer, offender, set and round, whoever sends it and whatever the votes.
		let alice_pair = alice();
		let (c, d) = (vote(3), vote(4));
		let other_votes = assemble_precommit_proof(
			SET,
			1,
			alice_key(),
			(c, sign_precommit(&alice_pair, SET, 1, c)),
			(d, sign_precommit(&alice_pair, SET, 1, d)),
		);
		assert_noop!(submit(ALICE, other_votes), Error::<Test>::DuplicateReport);
		assert_noop!(
			submit(REPORTER, precommit_equivocation(&alice(), SET, 1)),
			Error::<Test>::DuplicateReport
		);
		// Another round is another equivocation, but in the same span it adds nothing.
		assert_noop!(
			submit(REPORTER, precommit_equivocation(&alice(), SET, 2)),
			Error::<Test>::OffenceAlreadyCovered
		);
		assert_eq!(PendingSlashes::<Test>::iter().count(), 1);
	});
}

#[test]
fn evidence_tops_up_a_subjective_report() {
	ExtBuilder::default().build_and_execute(|| {
		setup();
		// Misbehaviour (5%) reported, then the equivocation (10%) proven in the same window:
		// the proof adds only the difference.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_ok!(submit(ALICE, precommit_equivocation(&alice(), SET, 1)));
		assert_eq!(PendingSlashes::<Test>::get(0).unwrap().reporter, None);
		let proven = PendingSlashes::<Test>::get(1).unwrap();
		assert_eq!(proven.reporter, Some(ALICE));
		assert_eq!(proven.fraction, Perbill::from_percent(5));
		assert_eq!(proven.reported_fraction, Perbill::from_percent(10));
		// Another round adds nothing more.
		assert_noop!(
			submit(ALICE, precommit_equivocation(&alice(), SET, 2)),
			Error::<Test>::OffenceAlreadyCovered
		);
	});
}

#[test]
fn the_benchmark_proofs_are_valid_and_reproducible() {
	use crate::evidence::{
		testing::{
			bench_equivocation, pair_from_seed, BENCH_KEY, BENCH_ROUND, BENCH_SEED, BENCH_SETS,
			BENCH_SIGNATURES, BENCH_VOTES,
		},
		verify,
	};
	let pair = pair_from_seed(BENCH_SEED);
	assert_eq!(pair.public().0, BENCH_KEY);
	for set_id in 0..BENCH_SETS {
		// The precomputed signatures are the key's (ed25519 signing is deterministic).
		let expected = BENCH_VOTES.map(|vote| sign_precommit(&pair, set_id, BENCH_ROUND, vote));
		assert_eq!(BENCH_SIGNATURES[set_id as usize], expected);
		let proof = bench_equivocation(set_id).unwrap();
		assert_eq!(proof, precommit_equivocation(&pair, set_id, BENCH_ROUND));
		assert!(verify(proof));
	}
	assert!(bench_equivocation(BENCH_SETS).is_none());
}
