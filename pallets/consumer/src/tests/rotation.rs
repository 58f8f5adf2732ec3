//! Authority rotation: a proven set becomes the Aura and GRANDPA authorities at the next block,
//! and nothing else ever changes them.

use super::*;
use codec::Decode;
use frame_support::traits::Hooks;
use sp_consensus_aura::{ConsensusLog as AuraLog, AURA_ENGINE_ID};
use sp_consensus_grandpa::{ConsensusLog as GrandpaLog, ScheduledChange, GRANDPA_ENGINE_ID};
use sp_runtime::DigestItem;

/// The GRANDPA and Aura consensus logs of a finished block.
fn consensus_logs(
	header: &sp_runtime::generic::Header<u64, BlakeTwo256>,
) -> (Vec<GrandpaLog<u64>>, Vec<Vec<u8>>) {
	let mut grandpa = vec![];
	let mut aura = vec![];
	for log in &header.digest.logs {
		if let DigestItem::Consensus(id, data) = log {
			if *id == GRANDPA_ENGINE_ID {
				grandpa.push(GrandpaLog::decode(&mut &data[..]).expect("a GRANDPA log"));
			} else if *id == AURA_ENGINE_ID {
				aura.push(data.clone());
			}
		}
	}
	(grandpa, aura)
}

#[test]
fn proven_set_rotates_aura_and_grandpa_at_the_next_block() {
	ExtBuilder::default().build_and_execute(|| {
		// Given set 4 (operators 2 and 3) is proven in block 1.
		let set = RawSet::new(4, 4, &[2, 3]);
		assert_ok!(publish_and_submit(1, &set));
		let block_1 = finish_block();
		let (grandpa, aura) = consensus_logs(&block_1);
		assert!(grandpa.is_empty() && aura.is_empty(), "block 1 changes nothing");
		assert_eq!(aura_keys(), vec![key(1), key(2)]);

		// When block 2 starts.
		start_block(2);

		// Then Aura's authorities are the new keys (block 3 is authored by the new set)...
		assert_eq!(aura_keys(), set.keys());
		// ... GRANDPA has a standard change with delay 0 scheduled in block 2 ...
		let change = pallet_grandpa::PendingChange::<Test>::get().expect("scheduled");
		assert_eq!((change.scheduled_at, change.delay, change.forced), (2, 0, None));
		assert_eq!(change.next_authorities.to_vec(), grandpa_list(&set.keys()));
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 1);
		// ... and the pallet records the set in force and under which GRANDPA set id it runs.
		let current = CurrentSet::<Test>::get().expect("a current set");
		assert_eq!((current.set.set_id, current.grandpa_set_id, current.applied_at), (4, 1, 2));
		assert_eq!(PendingSet::<Test>::get(), None);
		assert_eq!(
			consumer_events(),
			vec![Event::AuthoritiesRotated {
				set_id: 4,
				epoch: 4,
				grandpa_set_id: 1,
				authorities: 2
			}]
		);
		assert_eq!(
			PalisadeConsumer::palisade_set_of(1),
			Some(SetHistoryEntry { grandpa_set_id: 1, set_id: 4, epoch: 4 })
		);
		assert_eq!(
			PalisadeConsumer::palisade_set_of(0),
			Some(SetHistoryEntry {
				grandpa_set_id: 0,
				set_id: GENESIS_SET_ID,
				epoch: GENESIS_EPOCH
			})
		);

		// And block 2's digest signals both changes; GRANDPA enacts its change at the end of
		// the block (the voters switch once block 2 is finalized).
		let block_2 = finish_block();
		let (grandpa, aura) = consensus_logs(&block_2);
		assert_eq!(
			grandpa,
			vec![GrandpaLog::ScheduledChange(ScheduledChange {
				next_authorities: grandpa_list(&set.keys()),
				delay: 0,
			})]
		);
		assert_eq!(aura, vec![AuraLog::AuthoritiesChange(aura_list(&set.keys())).encode()]);
		assert_eq!(grandpa_authorities(), grandpa_list(&set.keys()));
		assert!(pallet_grandpa::PendingChange::<Test>::get().is_none());
		start_block(3);
	});
}

#[test]
fn without_a_new_set_the_authorities_keep_producing() {
	ExtBuilder::default().build_and_execute(|| {
		for _ in 0..5 {
			let header = next_block();
			let (grandpa, aura) = consensus_logs(&header);
			assert!(grandpa.is_empty() && aura.is_empty());
		}
		assert_eq!(aura_keys(), vec![key(1), key(2)]);
		assert_eq!(grandpa_authorities(), grandpa_list(&[key(1), key(2)]));
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 0);
		assert_eq!(
			PalisadeConsumer::on_initialize(System::block_number()),
			<() as crate::WeightInfo>::on_initialize_idle()
		);
	});
}

#[test]
fn next_set_waits_while_one_is_pending() {
	ExtBuilder::default().build_and_execute(|| {
		// Given set 4 is pending: set 5, proven in the same block, is refused (it would
		// otherwise replace set 4 unapplied and the GRANDPA set ids would skip a Palisade set).
		assert_ok!(publish_and_submit(1, &RawSet::new(4, 4, &[2, 3])));
		let newer = RawSet::new(5, 5, &[3, 4]);
		assert_eq!(
			publish_and_submit(2, &newer).map_err(|e| e.error),
			Err(Error::<Test>::SetPending.into())
		);

		// When set 4 was applied, set 5 is accepted and applied as the next GRANDPA set.
		next_block();
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 1);
		finish_block();
		start_block(System::block_number().saturating_add(1));
		assert_ok!(publish_and_submit(3, &newer));
		next_block();
		assert_eq!(aura_keys(), newer.keys());
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 2);
		assert_eq!(PalisadeConsumer::palisade_set_of(1).map(|e| e.set_id), Some(4));
		assert_eq!(PalisadeConsumer::palisade_set_of(2).map(|e| e.set_id), Some(5));
	});
}

#[test]
fn every_palisade_epoch_gives_a_new_grandpa_set_even_with_the_same_members() {
	ExtBuilder::default().build_and_execute(|| {
		// Given Palisade publishes sets 4, 5, 6 for epochs 4, 5, 6, all with operators 2 and 3.
		for (number, set_id) in [(1u32, 4u64), (2, 5), (3, 6)] {
			assert_ok!(publish_and_submit(number, &RawSet::new(set_id, set_id as u32, &[2, 3])));
			next_block();
			// GRANDPA's change is enacted at the end of the block that schedules it.
			finish_block();
			start_block(System::block_number().saturating_add(1));
		}

		// Then each ran under its own GRANDPA set id, so evidence names its epoch.
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 3);
		assert_eq!(
			SetHistory::<Test>::get().to_vec(),
			vec![
				SetHistoryEntry { grandpa_set_id: 1, set_id: 4, epoch: 4 },
				SetHistoryEntry { grandpa_set_id: 2, set_id: 5, epoch: 5 },
				SetHistoryEntry { grandpa_set_id: 3, set_id: 6, epoch: 6 },
			]
		);
		// The genesis entry fell out of the history (depth 3).
		assert_eq!(PalisadeConsumer::palisade_set_of(0), None);
		assert_eq!(aura_keys(), vec![key(2), key(3)]);
	});
}

/// A relay that was down while Palisade published sets 4, 5 and 6 catches up from one Palisade
/// header: Palisade keeps every set of its retention under its id, and each is applied in turn.
#[test]
fn missed_sets_are_caught_up_one_by_one_from_one_header() {
	ExtBuilder::default().build_and_execute(|| {
		let sets = [RawSet::new(4, 4, &[2]), RawSet::new(5, 5, &[2, 3]), RawSet::new(6, 6, &[4])];
		let state = sets
			.iter()
			.fold(PalisadeState::default(), |state, set| state.with_set(CONSUMER_ID, set));
		let hash = import_palisade_header(1, &state);
		for (i, set) in sets.iter().enumerate() {
			assert_ok!(submit(hash, set.set_id, state.proof_for(CONSUMER_ID, set.set_id)));
			next_block();
			assert_eq!(aura_keys(), set.keys());
			assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), i as u64 + 1);
			finish_block();
			start_block(System::block_number().saturating_add(1));
		}
		// Every GRANDPA set is `Palisade set id - genesis set id`.
		for entry in SetHistory::<Test>::get() {
			assert_eq!(entry.grandpa_set_id + GENESIS_SET_ID, entry.set_id);
		}
	});
}

#[test]
fn pending_grandpa_change_defers_the_set() {
	ExtBuilder::default().build_and_execute(|| {
		// Given governance scheduled a GRANDPA change enacted 3 blocks later.
		assert_ok!(pallet_grandpa::Pallet::<Test>::schedule_change(
			grandpa_list(&[key(1), key(2)]),
			3,
			None
		));
		let set = RawSet::new(4, 4, &[2, 3]);
		assert_ok!(publish_and_submit(1, &set));

		// When the next blocks start while the change is pending, the set waits and the current
		// authorities keep producing.
		next_block();
		assert_eq!(aura_keys(), vec![key(1), key(2)]);
		assert_eq!(PendingSet::<Test>::get().map(|p| p.set_id), Some(4));
		next_block();
		next_block();
		assert_eq!(PendingSet::<Test>::get().map(|p| p.set_id), Some(4));

		// Then once the change is enacted (end of block 4), block 5 applies the set.
		next_block();
		assert_eq!(System::block_number(), 5);
		assert_eq!(aura_keys(), set.keys());
		assert_eq!(PendingSet::<Test>::get(), None);
		assert_eq!(CurrentSet::<Test>::get().map(|c| (c.set.set_id, c.applied_at)), Some((4, 5)));
	});
}

#[test]
fn sink_never_applies_an_empty_set() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(
			<AuraGrandpa<Test> as AuthoritySink>::apply(&[]),
			Err(Error::<Test>::EmptySet.into())
		);
		assert_eq!(aura_keys(), vec![key(1), key(2)]);
		assert!(pallet_grandpa::PendingChange::<Test>::get().is_none());
	});
}

#[test]
fn sink_applies_all_or_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a GRANDPA change is already pending.
		assert_ok!(pallet_grandpa::Pallet::<Test>::schedule_change(
			grandpa_list(&[key(1), key(2)]),
			3,
			None
		));
		// When the sink is asked to apply a set anyway, it refuses and Aura is untouched.
		assert_eq!(
			<AuraGrandpa<Test> as AuthoritySink>::apply(&[key(5)]),
			Err(Error::<Test>::AuthorityChangePending.into())
		);
		assert_eq!(aura_keys(), vec![key(1), key(2)]);
		assert_eq!(pallet_grandpa::CurrentSetId::<Test>::get(), 0);
	});
}
