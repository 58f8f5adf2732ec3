//! Publication of validator sets: set ids, hashes, history, the runtime API view.

use crate::{
	mock::*, ChainAnchors, ConsumerInfo, ConsumerStatus, Error, Event, PublishedSets, SetHistory,
	SetHistoryEntry, ValidatorSetInfo, ValidatorSets, H256,
};
use codec::Encode;
use frame_support::{assert_noop, assert_ok};
use palisade_primitives::ConsumersInterface;

fn set_id() -> u64 {
	ValidatorSets::<Test>::get(0).expect("published").set_id
}

fn set_updates() -> Vec<u64> {
	consumer_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::ValidatorSetUpdated { set_id, .. } => Some(set_id),
			_ => None,
		})
		.collect()
}

/// Consumer 0 paying nothing, with operators 11 (500) and 12 (300), active from epoch 1.
fn published() {
	register_with(1, params(1, 4, 0, 100, 0));
	add_operator(0, 11, 500, 0);
	add_operator(0, 12, 300, 0);
	next_epoch();
}

#[test]
fn every_epoch_gets_a_fresh_set_id() {
	ExtBuilder::default().build_and_execute(|| {
		published();
		assert_eq!(set_id(), 0);
		assert_eq!(set_updates(), vec![0]);

		// Same members: a new id all the same (the consumer enacts a GRANDPA authority change
		// every epoch, so its GRANDPA set id tracks Palisade's).
		next_epoch();
		assert_eq!(set_id(), 1);
		assert_eq!(ValidatorSets::<Test>::get(0).unwrap().epoch, 2);
		assert_eq!(set_updates(), vec![1]);

		// Changes get one too, exactly one per epoch.
		set_bond(12, 400);
		next_epoch();
		set_key(0, 11, [99; 32]);
		next_epoch();
		assert_eq!(members(0)[0], (11, [99; 32], 500));
		assert_eq!(set_updates(), vec![2, 3]);
	});
}

#[test]
fn the_set_hash_is_the_blake2_of_the_encoded_members() {
	ExtBuilder::default().build_and_execute(|| {
		published();
		let set = ValidatorSets::<Test>::get(0).unwrap();
		let expected: Vec<(AccountId, [u8; 32], Balance)> =
			vec![(11, key_of(11), 500), (12, key_of(12), 300)];
		assert_eq!(set.set_hash, H256::from(sp_io::hashing::blake2_256(&expected.encode())));
		assert_eq!(set.set_hash, Consumers::set_hash(&set.members));
		assert_eq!(record(0).last_set.map(|last| last.set_hash), Some(set.set_hash));
	});
}

/// Before: a consumer paused and reactivated with the same members republished its old set
/// id, so an equivocation proof of the first period (same round, same set id) was accepted
/// again and slashed stake that joined after it (a whole equivocation fraction of the new
/// backing). After: set ids never repeat, so the old proof maps to its own epoch only.
#[test]
fn reactivated_consumer_never_reuses_a_set_id() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a consumer active in epoch 1 with operators 11 and 12 (set id 0).
		published();
		let first = ValidatorSets::<Test>::get(0).unwrap();
		assert_eq!(first.set_id, 0);

		// When it pauses (both ineligible) and comes back with exactly the same members.
		set_eligible(0, 11, false);
		set_eligible(0, 12, false);
		next_epoch();
		assert!(ValidatorSets::<Test>::get(0).is_none());
		set_eligible(0, 11, true);
		set_eligible(0, 12, true);
		next_epoch();
		assert_eq!(status(0), ConsumerStatus::Active);

		// Then the same members carry a new set id, and the old one still names epoch 1.
		let again = ValidatorSets::<Test>::get(0).unwrap();
		assert_eq!(again.set_hash, first.set_hash);
		assert_eq!(again.set_id, 1);
		let epoch_of = |set| <Consumers as ConsumersInterface<_, _>>::epoch_of_set(0, set);
		assert_eq!(epoch_of(0), Some(1));
		assert_eq!(epoch_of(1), Some(3));
		let ids: Vec<u64> = SetHistory::<Test>::get(0).iter().map(|e| e.set_id).collect();
		assert_eq!(ids, vec![0, 1]);
	});
}

/// Before: a set unchanged for longer than the report window kept its set id and mapped to
/// its *first* epoch, so evidence of the latest epoch failed `OutsideReportWindow` (and the
/// first epoch's exposure was pruned): an operator equivocating in a long-stable set could
/// not be slashed at all (it kept 100% of what the slash would take). After: evidence of the
/// latest epoch maps to the latest epoch, whose exposure is kept.
#[test]
fn long_unchanged_set_still_maps_evidence_to_its_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		// Given the same members for more epochs than the retention (and any report window).
		published();
		run_to_epoch(1 + RETENTION + 3);
		let now = Consumers::current_epoch();
		let set = ValidatorSets::<Test>::get(0).unwrap();
		let epoch_of = |set| <Consumers as ConsumersInterface<_, _>>::epoch_of_set(0, set);

		// Then the current set id maps to the current epoch, whose exposure is kept ...
		assert_eq!(epoch_of(set.set_id), Some(now));
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(now, 0, &11).is_some());
		// ... each retained epoch has its own id, and ids of pruned epochs are forgotten.
		for back in 0..=RETENTION {
			assert_eq!(epoch_of(set.set_id - back as u64), Some(now - back));
		}
		assert_eq!(epoch_of(set.set_id - RETENTION as u64 - 1), None);
		assert_eq!(SetHistory::<Test>::get(0).len() as u32, RETENTION + 1);
		assert_eq!(
			SetHistory::<Test>::get(0).last(),
			Some(&SetHistoryEntry { set_id: set.set_id, epoch: now })
		);
	});
}

#[test]
fn the_runtime_api_view() {
	ExtBuilder::default().build_and_execute(|| {
		published();
		assert_ok!(Consumers::set_reporter(RuntimeOrigin::signed(1), 0, 5));
		let set = ValidatorSets::<Test>::get(0).unwrap();
		assert_eq!(
			Consumers::validator_set(0),
			Some(ValidatorSetInfo {
				epoch: 1,
				set_id: 0,
				members: vec![(11, key_of(11), 500), (12, key_of(12), 300)],
				set_hash: set.set_hash,
			})
		);
		assert_eq!(Consumers::validator_set(1), None);
		assert_eq!(
			Consumers::consumer_info(0),
			Some(ConsumerInfo {
				admin: 1,
				reporter: 5,
				status: ConsumerStatus::Active,
				escrow: 0,
				escrow_account: Consumers::escrow_account(0),
				params: params(1, 4, 0, 100, 0),
				pending_params: None,
				genesis_hash: genesis(0),
				metadata: b"chain".to_vec(),
				registered_at: 0,
			})
		);
		assert_eq!(Consumers::consumer_info(1), None);
		assert_eq!(Consumers::consumer_ids(), vec![0]);
		assert_eq!(Consumers::current_epoch(), 1);
		assert_eq!(Consumers::next_epoch_start(), 20);
	});
}

/// Every set published within the retention stays provable under its own set id (a consumer
/// chain that missed a set while it was current catches up from here); older ones go with the
/// history, and nothing is left after the consumer is reaped.
#[test]
fn published_sets_are_kept_by_set_id_for_the_retention() {
	ExtBuilder::default().build_and_execute(|| {
		published();
		let first = ValidatorSets::<Test>::get(0).unwrap();
		assert_eq!(PublishedSets::<Test>::get(0, 0), Some(first.clone()));
		set_bond(12, 400);
		next_epoch();
		let second = ValidatorSets::<Test>::get(0).unwrap();
		assert_eq!(second.set_id, 1);
		assert_ne!(second.set_hash, first.set_hash);
		// The older set is still there, unchanged, next to the current one.
		assert_eq!(PublishedSets::<Test>::get(0, 0), Some(first));
		assert_eq!(PublishedSets::<Test>::get(0, 1), Some(second));

		run_to_epoch(2 + RETENTION + 1);
		let last = ValidatorSets::<Test>::get(0).unwrap().set_id;
		let kept: Vec<u64> = PublishedSets::<Test>::iter_key_prefix(0).collect::<Vec<_>>();
		assert_eq!(kept.len() as u32, RETENTION + 1);
		assert!(PublishedSets::<Test>::get(0, 0).is_none());
		assert!(PublishedSets::<Test>::get(0, last - RETENTION as u64).is_some());
		assert!(PublishedSets::<Test>::get(0, last - RETENTION as u64 - 1).is_none());
	});
}

/// A consumer chain started from a later set (its GRANDPA set 0 runs Palisade set `a`): with
/// the anchor declared, the chain's GRANDPA set `g` maps to Palisade set `a + g` and its epoch.
/// Without it, the chain's set 0 would map to Palisade set 0's epoch: evidence of its first
/// GRANDPA set would be judged against an older epoch's exposure.
#[test]
fn chain_anchor_maps_grandpa_set_ids_to_palisade_sets() {
	ExtBuilder::default().build_and_execute(|| {
		published();
		run_to_epoch(4);
		// Palisade sets 0..=3 were published for epochs 1..=4.
		let epoch_of = |set| <Consumers as ConsumersInterface<_, _>>::epoch_of_set(0, set);
		assert_eq!(epoch_of(0), Some(1));

		assert_ok!(Consumers::set_chain_anchor(RuntimeOrigin::signed(1), 0, 2));
		assert_eq!(ChainAnchors::<Test>::get(0), Some(2));
		assert_eq!(
			consumer_events().last(),
			Some(&Event::ChainAnchorSet { consumer_id: 0, set_id: 2, by_governance: false })
		);
		// The chain's GRANDPA set 0 is Palisade set 2 (epoch 3), its set 1 is set 3 (epoch 4).
		assert_eq!(epoch_of(0), Some(3));
		assert_eq!(epoch_of(1), Some(4));
		assert_eq!(epoch_of(2), None);
		assert_eq!(epoch_of(u64::MAX), None);
	});
}

/// The admin declares the anchor once; a later change (which would re-attribute evidence to
/// other epochs) is governance's alone. Nobody else may declare it, and only a published set
/// id can be an anchor. Refusals change nothing.
#[test]
fn chain_anchor_is_declared_once_by_the_admin_and_corrected_by_governance() {
	ExtBuilder::default().build_and_execute(|| {
		// No set yet: nothing to anchor to.
		register_with(1, params(1, 4, 0, 100, 0));
		assert_noop!(
			Consumers::set_chain_anchor(RuntimeOrigin::signed(1), 0, 0),
			Error::<Test>::UnknownSetId
		);
		add_operator(0, 11, 500, 0);
		next_epoch();
		next_epoch();
		assert_noop!(
			Consumers::set_chain_anchor(RuntimeOrigin::signed(2), 0, 1),
			Error::<Test>::NotAdmin
		);
		assert_noop!(
			Consumers::set_chain_anchor(RuntimeOrigin::signed(1), 0, 2),
			Error::<Test>::UnknownSetId
		);
		assert_noop!(
			Consumers::set_chain_anchor(RuntimeOrigin::signed(1), 7, 0),
			Error::<Test>::UnknownConsumer
		);
		assert_ok!(Consumers::set_chain_anchor(RuntimeOrigin::signed(1), 0, 1));
		assert_noop!(
			Consumers::set_chain_anchor(RuntimeOrigin::signed(1), 0, 0),
			Error::<Test>::AnchorAlreadySet
		);
		assert_ok!(Consumers::set_chain_anchor(RuntimeOrigin::root(), 0, 0));
		assert_eq!(ChainAnchors::<Test>::get(0), Some(0));
		assert_eq!(
			consumer_events().last(),
			Some(&Event::ChainAnchorSet { consumer_id: 0, set_id: 0, by_governance: true })
		);
	});
}
