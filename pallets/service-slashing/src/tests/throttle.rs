//! The per-(operator, offence epoch) cap on the total fraction slashed.

use crate::{
	evidence::testing::precommit_equivocation, mock::*, AppliedFractions, Event, OffenceKind,
	SlashingParams,
};
use frame_support::assert_ok;
use sp_keyring::Ed25519Keyring;
use sp_runtime::Perbill;

/// What one execution applied: (fraction, bond taken, pools taken, reporter reward).
type Execution = (Perbill, Balance, Vec<(u32, Balance)>, Balance);

fn executions() -> Vec<Execution> {
	slashing_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::SlashExecuted {
				fraction_applied, bond_taken, pools, reporter_reward, ..
			} => Some((fraction_applied, bond_taken, pools, reporter_reward)),
			_ => None,
		})
		.collect()
}

#[test]
fn ten_equivocations_of_ten_percent_with_a_cap_of_twenty_take_exactly_twenty_percent() {
	ExtBuilder::default().build_and_execute(|| {
		// Given operator 1 validating consumer 1 in epoch 0 (set 5) with Alice's key, exposed
		// with own 1_000 and pools 4_000 + 2_000; equivocation 10%, cap 20% per epoch.
		let alice = Ed25519Keyring::Alice;
		expose_with_key(
			0,
			CONSUMER,
			OPERATOR,
			alice.public().0,
			1_000,
			&[(100, 4_000), (101, 2_000)],
		);
		set_grandpa_set(CONSUMER, 5, 0);
		MaxSlashesPerBlock::set(10);

		// When 10 equivocations (rounds 1..=10) are proven, and come due.
		for round in 1..=10 {
			assert_ok!(ServiceSlashing::report_equivocation(
				RuntimeOrigin::signed(ALICE),
				CONSUMER,
				Box::new(precommit_equivocation(&alice.pair(), 5, round)),
			));
		}
		slashing_events();
		start_epoch(3);

		// Then all ten execute, but only two apply their 10%; the rest apply nothing.
		let executions = executions();
		assert_eq!(executions.len(), 10);
		let applied: Vec<_> = executions.iter().map(|(fraction, ..)| *fraction).collect();
		assert_eq!(applied.iter().filter(|f| **f == Perbill::from_percent(10)).count(), 2);
		assert_eq!(applied.iter().filter(|f| f.is_zero()).count(), 8);

		// Exactly 20% is taken: 200 of the bond, 800 and 400 of the pools; the reporter
		// earned 10% of the pools' 1_200.
		let bond_total: Balance = executions.iter().map(|(_, bond, ..)| bond).sum();
		let reward_total: Balance = executions.iter().map(|(.., reward)| reward).sum();
		assert_eq!(bond_total, 200);
		assert_eq!(reward_total, 120);
		assert_eq!((bond(OPERATOR), pool_value(100), pool_value(101)), (800, 9_200, 4_600));
		assert_eq!(BondSlashes::get().iter().map(|(_, _, taken)| taken).sum::<Balance>(), 200);
		assert_eq!(AppliedFractions::<Test>::get(0, OPERATOR), Some(Perbill::from_percent(20)));
	});
}

#[test]
fn the_cap_spans_consumers_and_kinds() {
	let params = SlashingParams { misbehaviour: Perbill::from_percent(15), ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		// Given operator 1 exposed in epoch 0 to consumer 1 and consumer 2 (own 500, pool
		// 100: 1_000).
		add_consumer(2, 30, 31);
		expose(0, 2, OPERATOR, 500, &[(100, 1_000)]);

		// Consumer 1 reports misbehaviour (15%) in epoch 0 (due 3), consumer 2 the same in
		// epoch 1 (due 4).
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		set_epoch(1);
		assert_ok!(ServiceSlashing::report_offence(
			RuntimeOrigin::signed(30),
			2,
			OPERATOR,
			OffenceKind::Misbehaviour,
			0,
			details(b""),
		));
		slashing_events();

		// The first applies 15% of consumer 1's exposure, the second only the 5% left of
		// consumer 2's.
		start_epoch(3);
		start_epoch(4);
		assert_eq!(
			executions(),
			vec![
				(Perbill::from_percent(15), 150, vec![(100, 600), (101, 300)], 0),
				(Perbill::from_percent(5), 25, vec![(100, 50)], 0),
			]
		);

		// A third report, of another kind, applies nothing.
		set_epoch(4);
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 0));
		start_epoch(7);
		assert_eq!(executions(), vec![(Perbill::zero(), 0, vec![(100, 0), (101, 0)], 0)]);
		// But still jails.
		assert_eq!(Jails::get().last(), Some(&(OPERATOR, 9)));
	});
}

#[test]
fn each_offence_epoch_has_its_own_cap() {
	let params = SlashingParams { misbehaviour: Perbill::from_percent(20), ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		expose(1, CONSUMER, OPERATOR, 1_000, &[]);
		set_epoch(1);
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 1));
		slashing_events();
		start_epoch(4);
		let executions = executions();
		assert_eq!(executions.len(), 2);
		assert!(executions.iter().all(|(f, ..)| *f == Perbill::from_percent(20)));
		assert_eq!(AppliedFractions::<Test>::get(0, OPERATOR), Some(Perbill::from_percent(20)));
		assert_eq!(AppliedFractions::<Test>::get(1, OPERATOR), Some(Perbill::from_percent(20)));
	});
}

#[test]
fn a_lowered_cap_applies_to_later_executions() {
	ExtBuilder::default().build_and_execute(|| {
		expose(0, CONSUMER, OPERATOR, 1_000, &[]);
		// 10% applied.
		assert_ok!(report(OPERATOR, OffenceKind::Equivocation, 0));
		start_epoch(3);
		// Governance lowers the cap to 5%: already exceeded, the next applies nothing.
		assert_ok!(ServiceSlashing::set_slashing_params(
			RuntimeOrigin::root(),
			SlashingParams { max_fraction_per_epoch: Perbill::from_percent(5), ..default_params() }
		));
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		slashing_events();
		start_epoch(6);
		assert_eq!(executions(), vec![(Perbill::zero(), 0, vec![], 0)]);
		assert_eq!(
			ServiceSlashing::throttle(0, &OPERATOR),
			(Perbill::from_percent(10), Perbill::zero())
		);
	});
}
