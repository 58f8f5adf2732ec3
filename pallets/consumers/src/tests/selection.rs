//! Validator set selection: candidates, stake, ordering, caps, exposures.

use crate::{mock::*, Exposure, ExposureCheckpoints, ExposureIndex, KeyOwners};
use palisade_primitives::{ConsumersInterface, ExposureInfo};

/// A consumer of admin 1 paying nothing (so escrow never matters) with `min`..=`max`
/// operators, `min_stake` and `cap_percent`.
fn free_consumer(min: u32, max: u32, min_stake: Balance, cap_percent: u32) {
	register_with(1, params(min, max, min_stake, cap_percent, 0));
}

fn member_ids(consumer: u32) -> Vec<AccountId> {
	members(consumer).into_iter().map(|(who, _, _)| who).collect()
}

#[test]
fn members_are_sorted_by_stake_then_account() {
	ExtBuilder::default().build_and_execute(|| {
		// Given four operators, three of them tied at 300 (one of those through a pool).
		free_consumer(1, 6, 0, 100);
		add_operator(0, 14, 300, 0);
		add_operator(0, 12, 500, 0);
		add_operator(0, 13, 300, 0);
		add_operator(0, 11, 200, 0);
		back(11, 0, 1, 100);

		// When the set is computed.
		next_epoch();

		// Then it is by stake descending, ties by account ascending.
		assert_eq!(
			members(0),
			vec![
				(12, key_of(12), 500),
				(11, key_of(11), 300),
				(13, key_of(13), 300),
				(14, key_of(14), 300),
			]
		);
	});
}

#[test]
fn the_set_is_cut_at_max_operators() {
	ExtBuilder::default().build_and_execute(|| {
		free_consumer(1, 2, 0, 100);
		add_operator(0, 11, 100, 0);
		add_operator(0, 12, 300, 0);
		add_operator(0, 13, 200, 0);
		next_epoch();
		assert_eq!(member_ids(0), vec![12, 13]);
		// The one left out has no exposure.
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(1, 0, &11).is_none());
	});
}

#[test]
fn power_is_capped_at_a_share_of_the_total_stake() {
	ExtBuilder::default().build_and_execute(|| {
		// Given stakes 600, 300, 100 and a 40% cap: cap = 400.
		free_consumer(1, 4, 0, 40);
		add_operator(0, 11, 600, 0);
		add_operator(0, 12, 300, 0);
		add_operator(0, 13, 100, 0);
		next_epoch();

		// Then the largest is capped, nothing is redistributed, the exposure keeps the stake.
		assert_eq!(
			members(0),
			vec![(11, key_of(11), 400), (12, key_of(12), 300), (13, key_of(13), 100)]
		);
		assert_eq!(
			<Consumers as ConsumersInterface<_, _>>::exposure(1, 0, &11).unwrap().total,
			600
		);
	});
}

#[test]
fn power_is_at_least_one() {
	ExtBuilder::default().build_and_execute(|| {
		// 1% of a total stake of 50 rounds down to 0.
		free_consumer(1, 4, 0, 1);
		add_operator(0, 11, 30, 0);
		add_operator(0, 12, 20, 0);
		next_epoch();
		assert_eq!(members(0), vec![(11, key_of(11), 1), (12, key_of(12), 1)]);
	});
}

#[test]
fn ineligible_and_opted_out_operators_are_excluded() {
	ExtBuilder::default().build_and_execute(|| {
		free_consumer(1, 4, 0, 100);
		add_operator(0, 11, 100, 0);
		add_operator(0, 12, 200, 0);
		add_operator(0, 13, 300, 0);
		next_epoch();
		assert_eq!(member_ids(0), vec![13, 12, 11]);

		// Operator 13 is jailed (not eligible) and 12 opts out.
		set_eligible(0, 13, false);
		opt_out(0, 12);
		next_epoch();
		assert_eq!(member_ids(0), vec![11]);
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(2, 0, &13).is_none());
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(2, 0, &12).is_none());
		// Their exposures of epoch 1 are still there for slashing.
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(1, 0, &13).is_some());
	});
}

#[test]
fn operators_below_the_minimum_stake_are_excluded() {
	ExtBuilder::default().build_and_execute(|| {
		free_consumer(1, 4, 250, 100);
		// 200 bond + 50 pool = 250: exactly the minimum.
		add_operator(0, 11, 200, 0);
		back(11, 0, 1, 50);
		add_operator(0, 12, 249, 0);
		next_epoch();
		assert_eq!(member_ids(0), vec![11]);
	});
}

#[test]
fn operators_without_stake_are_excluded() {
	ExtBuilder::default().build_and_execute(|| {
		free_consumer(1, 4, 0, 100);
		add_operator(0, 11, 0, 0);
		add_operator(0, 12, 0, 0);
		back(12, 0, 1, 10);
		// A zero backing is ignored.
		back(12, 0, 2, 0);
		next_epoch();
		assert_eq!(members(0), vec![(12, key_of(12), 10)]);
		assert_eq!(
			<Consumers as ConsumersInterface<_, _>>::exposure(1, 0, &12).unwrap().pools,
			vec![(1, 10)]
		);
	});
}

#[test]
fn the_whole_bond_counts_for_every_consumer() {
	ExtBuilder::default().build_and_execute(|| {
		free_consumer(1, 4, 0, 100);
		free_consumer(1, 4, 0, 100);
		add_operator(0, 11, 500, 0);
		opt_in_with_key(1, 11, [77; 32]);
		next_epoch();
		assert_eq!(members(0), vec![(11, key_of(11), 500)]);
		assert_eq!(members(1), vec![(11, [77; 32], 500)]);
		for consumer in [0, 1] {
			assert_eq!(
				<Consumers as ConsumersInterface<_, _>>::exposure(1, consumer, &11).unwrap().own,
				500
			);
		}
	});
}

#[test]
fn exposures_snapshot_the_bond_and_the_pools() {
	ExtBuilder::default().build_and_execute(|| {
		// Given operator 11 with a bond of 300, backed by pools 1 (200) and 2 (100).
		free_consumer(1, 4, 0, 100);
		add_operator(0, 11, 300, 0);
		back(11, 0, 2, 100);
		back(11, 0, 1, 200);

		// When epoch 1 starts.
		next_epoch();

		// Then its exposure is checkpointed from epoch 1 and its key indexed.
		let exposure = ExposureCheckpoints::<Test>::get((0, 11, 1)).expect("exposed");
		assert_eq!(
			exposure,
			Exposure::<Test> {
				key: key_of(11),
				own: 300,
				pools: vec![(1, 200), (2, 100)].try_into().unwrap(),
				total: 600,
			}
		);
		assert_eq!(KeyOwners::<Test>::get(0, key_of(11)), Some(11));
		assert_eq!(
			<Consumers as ConsumersInterface<_, _>>::exposure(1, 0, &11),
			Some(ExposureInfo {
				key: key_of(11),
				own: 300,
				pools: vec![(1, 200), (2, 100)],
				total: 600
			})
		);
		assert_eq!(
			<Consumers as ConsumersInterface<_, _>>::operator_of_key_at(1, 0, &key_of(11)),
			Some(11)
		);
		assert_eq!(
			<Consumers as ConsumersInterface<_, _>>::operator_of_key_at(1, 0, &key_of(12)),
			None
		);
		// Nothing for another epoch or consumer.
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(0, 0, &11).is_none());
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(1, 1, &11).is_none());
		assert!(<Consumers as ConsumersInterface<_, _>>::exposure(2, 0, &11).is_none());

		// An unchanged epoch writes no checkpoint: epoch 2 reads epoch 1's.
		next_epoch();
		assert_eq!(ExposureIndex::<Test>::get(0, 11).len(), 1);
		let exposure_at = |epoch| {
			<Consumers as ConsumersInterface<_, _>>::exposure(epoch, 0, &11).map(|e| e.total)
		};
		assert_eq!(exposure_at(2), Some(600));

		// And a bond change shows from the next epoch only, in a second checkpoint.
		set_bond(11, 1_000);
		next_epoch();
		assert_eq!(ExposureIndex::<Test>::get(0, 11).len(), 2);
		assert_eq!(
			(exposure_at(1), exposure_at(2), exposure_at(3)),
			(Some(600), Some(600), Some(1_300))
		);
	});
}
