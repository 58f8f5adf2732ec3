//! Executing due slashes: amounts, routing, jail, expiry.

use crate::{
	mock::*, Event, OffenceKind, PendingSlashes, SlashDestination, SlashesDue, SlashingParams,
};
use frame_support::assert_ok;
use sp_runtime::Perbill;

fn executed_events() -> Vec<Event<Test>> {
	slashing_events()
		.into_iter()
		.filter(|e| matches!(e, Event::SlashExecuted { .. } | Event::SlashExpired { .. }))
		.collect()
}

#[test]
fn a_report_executes_at_its_due_epoch_with_exact_amounts() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a misbehaviour (5%) report of epoch 0, due at epoch 3.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		slashing_events();

		// Nothing happens before the due epoch.
		start_epoch(1);
		start_epoch(2);
		assert!(BondSlashes::get().is_empty());
		assert!(PendingSlashes::<Test>::contains_key(0));

		// When epoch 3 starts.
		start_epoch(3);

		// Then 5% of the exposure is taken: 50 of the bond, 200 and 100 of the pools, all to
		// the treasury (subjective report: no reward), and the operator is jailed until 3 + 2.
		assert_eq!(BondSlashes::get(), vec![(OPERATOR, 50, 50)]);
		assert_eq!(
			PoolSlashes::get(),
			vec![
				PoolSlash { pool: 100, amount: 200, beneficiary: Some(TREASURY), taken: 200 },
				PoolSlash { pool: 101, amount: 100, beneficiary: Some(TREASURY), taken: 100 },
			]
		);
		assert_eq!(Jails::get(), vec![(OPERATOR, 5)]);
		assert_eq!((bond(OPERATOR), pool_value(100), pool_value(101)), (950, 9_800, 4_900));
		assert_eq!(
			slashing_events(),
			vec![Event::SlashExecuted {
				slash_id: 0,
				operator: OPERATOR,
				consumer_id: CONSUMER,
				kind: OffenceKind::Misbehaviour,
				epoch: 0,
				fraction: Perbill::from_percent(5),
				fraction_applied: Perbill::from_percent(5),
				bond_taken: 50,
				pools: vec![(100, 200), (101, 100)],
				reporter: None,
				reporter_reward: 0,
				to_treasury: 300,
				burnt: 0,
				jailed_until: Some(5),
			}]
		);
		// The slash is gone.
		assert!(!PendingSlashes::<Test>::contains_key(0));
		assert_eq!(SlashesDue::<Test>::iter().count(), 0);
		assert_eq!(ServiceSlashing::throttle(0, &OPERATOR).0, Perbill::from_percent(5));
	});
}

#[test]
fn burnt_when_the_destination_is_burn() {
	let params = SlashingParams { destination: SlashDestination::Burn, ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		start_epoch(3);
		assert!(PoolSlashes::get().iter().all(|slash| slash.beneficiary.is_none()));
		assert!(matches!(
			executed_events()[..],
			[Event::SlashExecuted { to_treasury: 0, burnt: 300, .. }]
		));
	});
}

#[test]
fn the_exposure_snapshot_not_the_current_backing_determines_the_amounts() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a report of epoch 0 (exposure: own 1_000, pool 100: 4_000, pool 101: 2_000).
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));

		// When, after epoch 0, pool 101 deallocated from the operator entirely, pool 100 now
		// backs only 1_000 of it, restakers withdrew most of pool 100 (value 1_000 left), and
		// the operator's bond went down to 600.
		CurrentBacking::mutate(|backing| backing.insert((100, OPERATOR, CONSUMER), 1_000));
		set_pool(100, 1_000);
		set_bond(OPERATOR, 600);
		start_epoch(3);

		// Then the amounts are still 5% of the snapshot: 50, 200 and 100.
		assert_eq!(BondSlashes::get(), vec![(OPERATOR, 50, 50)]);
		assert_eq!(
			PoolSlashes::get(),
			vec![
				PoolSlash { pool: 100, amount: 200, beneficiary: Some(TREASURY), taken: 200 },
				PoolSlash { pool: 101, amount: 100, beneficiary: Some(TREASURY), taken: 100 },
			]
		);
		assert_eq!((bond(OPERATOR), pool_value(100), pool_value(101)), (550, 800, 4_900));
	});
}

#[test]
fn amounts_are_capped_by_what_is_still_there() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an equivocation proven... reported subjectively here: 10% of the exposure.
		assert_ok!(report(OPERATOR, OffenceKind::Equivocation, 0));
		// The bond is down to 30 and pool 101 holds 70.
		set_bond(OPERATOR, 30);
		set_pool(101, 70);
		start_epoch(3);
		assert_eq!(BondSlashes::get(), vec![(OPERATOR, 100, 30)]);
		assert!(matches!(
			&executed_events()[..],
			[Event::SlashExecuted { bond_taken: 30, pools, to_treasury: 470, .. }]
				if pools == &vec![(100, 400), (101, 70)]
		));
	});
}

/// Operator 2, exposed in epoch 0 only through pool 100 (4_000), proven to equivocate by
/// ALICE (reward 10%).
fn proven_equivocation_on_pool_100() {
	let pair = crate::evidence::testing::pair_from_seed([2; 32]);
	set_bond(2, 0);
	set_grandpa_set(CONSUMER, 1, 0);
	expose_with_key(0, CONSUMER, 2, sp_core::Pair::public(&pair).0, 0, &[(100, 4_000)]);
	assert_ok!(ServiceSlashing::report_equivocation(
		RuntimeOrigin::signed(ALICE),
		CONSUMER,
		Box::new(crate::evidence::testing::precommit_equivocation(&pair, 1, 1)),
	));
}

#[test]
fn a_short_pool_pays_the_destination_first() {
	ExtBuilder::default().build_and_execute(|| {
		// Pool 100 holds only 380 of its 400 share: the treasury gets its 360, the reporter
		// what is left (20 of 40).
		proven_equivocation_on_pool_100();
		set_pool(100, 380);
		start_epoch(3);
		assert_eq!(
			PoolSlashes::get(),
			vec![
				PoolSlash { pool: 100, amount: 360, beneficiary: Some(TREASURY), taken: 360 },
				PoolSlash { pool: 100, amount: 40, beneficiary: Some(ALICE), taken: 20 },
			]
		);
		assert!(matches!(
			executed_events()[..],
			[Event::SlashExecuted { reporter_reward: 20, to_treasury: 360, bond_taken: 0, .. }]
		));
	});
}

#[test]
fn a_pool_short_of_the_destination_share_pays_no_reward() {
	ExtBuilder::default().build_and_execute(|| {
		proven_equivocation_on_pool_100();
		set_pool(100, 300);
		start_epoch(3);
		assert_eq!(
			PoolSlashes::get(),
			vec![PoolSlash { pool: 100, amount: 360, beneficiary: Some(TREASURY), taken: 300 }]
		);
		assert!(matches!(
			&executed_events()[..],
			[Event::SlashExecuted { reporter_reward: 0, to_treasury: 300, pools, .. }]
				if pools == &vec![(100, 300)]
		));
	});
}

#[test]
fn a_pruned_exposure_expires_the_slash() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		slashing_events();
		prune_exposures(0);
		start_epoch(3);
		assert_eq!(
			slashing_events(),
			vec![Event::SlashExpired {
				slash_id: 0,
				consumer_id: CONSUMER,
				operator: OPERATOR,
				epoch: 0
			}]
		);
		assert!(BondSlashes::get().is_empty());
		assert!(PoolSlashes::get().is_empty());
		assert!(Jails::get().is_empty());
		assert!(!PendingSlashes::<Test>::contains_key(0));
	});
}

#[test]
fn a_slash_executed_after_the_retention_expires() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a slash due at 3 whose execution was held up until epoch 11 (retention 10):
		// the exposure of epoch 0 may be pruned by then, so it expires even if still there.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		next_block();
		set_epoch(3);
		use palisade_primitives::EpochHooks;
		<ServiceSlashing as EpochHooks>::on_epoch_start(3, frame_support::weights::Weight::zero());
		slashing_events();
		start_epoch(11);
		assert!(matches!(slashing_events()[..], [Event::SlashExpired { slash_id: 0, .. }]));
		assert!(BondSlashes::get().is_empty());
	});
}

#[test]
fn a_late_slash_within_the_retention_still_executes() {
	ExtBuilder::default().build_and_execute(|| {
		// Due at 3, executed at 10 (retention 10): still within.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		start_epoch(10);
		assert_eq!(BondSlashes::get(), vec![(OPERATOR, 50, 50)]);
		// Jailed from the execution epoch.
		assert_eq!(Jails::get(), vec![(OPERATOR, 12)]);
	});
}

#[test]
fn no_jail_when_the_jail_length_is_zero() {
	let params = SlashingParams { jail_length: 0, ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		start_epoch(3);
		assert!(Jails::get().is_empty());
		assert!(matches!(executed_events()[..], [Event::SlashExecuted { jailed_until: None, .. }]));
	});
}

#[test]
fn a_zero_fraction_only_jails() {
	let params = SlashingParams { downtime: Perbill::zero(), ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 0));
		start_epoch(3);
		assert!(BondSlashes::get().is_empty());
		assert!(PoolSlashes::get().is_empty());
		assert_eq!(Jails::get(), vec![(OPERATOR, 5)]);
		assert!(matches!(
			&executed_events()[..],
			[Event::SlashExecuted { bond_taken: 0, pools, jailed_until: Some(5), .. }]
				if pools == &vec![(100, 0), (101, 0)]
		));
	});
}

#[test]
fn an_operator_gone_from_the_registry_still_has_its_pools_slashed() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		Bonds::mutate(|bonds| bonds.remove(&OPERATOR));
		start_epoch(3);
		assert_eq!(BondSlashes::get(), vec![(OPERATOR, 50, 0)]);
		assert_eq!(PoolSlashes::get().len(), 2);
		assert!(Jails::get().is_empty());
		assert!(matches!(
			executed_events()[..],
			[Event::SlashExecuted { bond_taken: 0, to_treasury: 300, jailed_until: None, .. }]
		));
	});
}

#[test]
fn params_changed_after_the_report_keep_the_reported_fraction_and_due_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		// Governance raises misbehaviour to 20% and the veto delay to 4.
		assert_ok!(ServiceSlashing::set_slashing_params(
			RuntimeOrigin::root(),
			SlashingParams {
				misbehaviour: Perbill::from_percent(20),
				report_window: 3,
				veto_delay: 4,
				..default_params()
			}
		));
		start_epoch(3);
		assert_eq!(BondSlashes::get(), vec![(OPERATOR, 50, 50)]);
	});
}
