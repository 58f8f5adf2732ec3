//! The slash meter: value slashed and operators jailed per period across all consumers; what
//! exceeds it waits, in order, never dropped.

use crate::{mock::*, Event, Meter, OffenceKind, SlashingParams};
use frame_support::assert_ok;

/// Operators `31..31 + n`, each exposed to consumer 1 in epoch 0 like operator 1 (own 1,000,
/// pools 100: 4,000 and 101: 2,000), each reported for misbehaviour (5%: 350 per slash).
fn report_many(n: u64) {
	for operator in 31..31 + n {
		set_bond(operator, 1_000);
		expose(0, CONSUMER, operator, 1_000, &[(100, 4_000), (101, 2_000)]);
		assert_ok!(report(operator, OffenceKind::Misbehaviour, 0));
	}
	slashing_events();
}

fn executed() -> Vec<u32> {
	slashing_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::SlashExecuted { slash_id, .. } => Some(slash_id),
			_ => None,
		})
		.collect()
}

#[test]
fn slash_meter_delays_excess_to_next_period() {
	// 800 per epoch: two slashes of 350 fit, the third waits for the next epoch.
	let params = SlashingParams { max_slashed_per_period: 800, ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		report_many(5);
		start_epoch(3);
		assert_eq!(executed(), vec![0, 1]);
		// More blocks of the same epoch do not help.
		next_block_work(3);
		assert!(executed().is_empty());
		assert_eq!(Meter::<Test>::get().slashed, 700);
		start_epoch(4);
		assert_eq!(executed(), vec![2, 3]);
		start_epoch(5);
		assert_eq!(executed(), vec![4]);
	});
}

#[test]
fn first_slash_of_a_period_always_executes() {
	// A limit below one slash still lets one through per period: the queue always moves.
	let params = SlashingParams { max_slashed_per_period: 1, ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		report_many(2);
		start_epoch(3);
		assert_eq!(executed(), vec![0]);
		start_epoch(4);
		assert_eq!(executed(), vec![1]);
	});
}

#[test]
fn slash_meter_bounds_jails_per_period() {
	// A hostile consumer reports all ten of its operators. Before: all ten jailed within three
	// blocks of the due epoch (which pauses every other consumer they serve). After: at most
	// two per epoch, and the council has epochs to freeze or cancel the rest.
	let params = SlashingParams { max_jails_per_period: 2, ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		report_many(10);
		start_epoch(3);
		next_block_work(3);
		assert_eq!(executed(), vec![0, 1]);
		assert_eq!(MockOperators::jails().len(), 2);
		start_epoch(4);
		assert_eq!(executed(), vec![2, 3]);
	});
}

#[test]
fn a_longer_period_spans_several_epochs_and_new_limits_wait_for_it() {
	// Periods of 2 epochs (3 is in period 1 = epochs 2..4), one jail each.
	let params = SlashingParams { meter_period: 2, max_jails_per_period: 1, ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		report_many(3);
		start_epoch(3);
		assert_eq!(executed(), vec![0]);
		// Governance raises the limit: the current period keeps its snapshot.
		assert_ok!(ServiceSlashing::set_slashing_params(
			RuntimeOrigin::root(),
			SlashingParams { meter_period: 2, max_jails_per_period: 5, ..default_params() }
		));
		next_block_work(3);
		assert!(executed().is_empty());
		start_epoch(4);
		assert_eq!(executed(), vec![1, 2]);
	});
}
