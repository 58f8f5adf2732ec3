//! Executing due slashes: amounts, routing, jail, exposure copies.

use crate::{mock::*, Event, OffenceKind, PendingSlashes, SlashDestination, SlashingParams};
use frame_support::assert_ok;
use sp_runtime::Perbill;

fn executed_events() -> Vec<Event<Test>> {
	slashing_events().into_iter().filter(|e| matches!(e, Event::SlashExecuted { .. })).collect()
}

fn to_treasury(amount: Balance, taken: Balance) -> BondSlash {
	BondSlash { who: OPERATOR, amount, taken, beneficiary: Some(TREASURY) }
}

fn pool_slash(pool: u32, amount: Balance, taken: Balance) -> PoolSlash {
	PoolSlash { pool, amount, epoch: 0, beneficiary: Some(TREASURY), taken }
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
		assert!(MockOperators::bond_slashes().is_empty());
		assert!(PendingSlashes::<Test>::contains_key(0));

		// When epoch 3 starts.
		start_epoch(3);

		// Then 5% of the exposure is taken: 50 of the bond, 200 and 100 booked against the
		// pools for epoch 0, all to the treasury (subjective report: no reward), and the
		// operator is jailed until 3 + 2.
		assert_eq!(MockOperators::bond_slashes(), vec![to_treasury(50, 50)]);
		assert_eq!(
			MockPools::pool_slashes(),
			vec![pool_slash(100, 200, 200), pool_slash(101, 100, 100)]
		);
		assert_eq!(MockOperators::jails(), vec![(OPERATOR, 5)]);
		assert_eq!((bond(OPERATOR), pool_value(100), pool_value(101)), (950, 9_800, 4_900));
		assert_eq!(paid(TREASURY), 350);
		assert_eq!(
			slashing_events(),
			vec![Event::SlashExecuted {
				slash_id: 0,
				operator: OPERATOR,
				consumer_id: CONSUMER,
				kind: OffenceKind::Misbehaviour,
				epoch: 0,
				fraction: Perbill::from_percent(5),
				bond_taken: 50,
				pools: vec![(100, 200), (101, 100)],
				reporter: None,
				reporter_reward: 0,
				to_treasury: 350,
				burnt: 0,
				jailed_until: Some(5),
			}]
		);
		// The slash is gone, with its indexes.
		assert!(!PendingSlashes::<Test>::contains_key(0));
		assert_eq!(crate::SlashesDue::<Test>::iter().count(), 0);
		assert!(
			!<ServiceSlashing as palisade_primitives::PendingSlashes<_>>::operator_has_pending(
				&OPERATOR
			)
		);
	});
}

#[test]
fn bond_slash_honours_destination() {
	// Attack (issue item 11): governance chose to burn, yet bond slashes went to the treasury.
	// Before: the 50 PAL of bond went to the treasury whatever `destination` said. After: burnt
	// like the pools' 300.
	let params = SlashingParams { destination: SlashDestination::Burn, ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		start_epoch(3);
		assert!(MockOperators::bond_slashes().iter().all(|slash| slash.beneficiary.is_none()));
		assert!(MockPools::pool_slashes().iter().all(|slash| slash.beneficiary.is_none()));
		assert_eq!(paid(TREASURY), 0);
		assert_eq!(SlashedFunds::burnt(), 350);
		assert!(matches!(
			executed_events()[..],
			[Event::SlashExecuted { to_treasury: 0, burnt: 350, bond_taken: 50, .. }]
		));
	});
}

#[test]
fn the_exposure_copy_not_the_current_backing_determines_the_amounts() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a report of epoch 0 (exposure: own 1_000, pool 100: 4_000, pool 101: 2_000).
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));

		// When, after epoch 0, pool 101 deallocated from the operator entirely, pool 100 now
		// backs only 1_000 of it, restakers withdrew most of pool 100 (value 1_000 left), the
		// operator's bond went down to 600 and the exposures were changed.
		MockPools::back(OPERATOR, CONSUMER, 100, 1_000);
		set_pool(100, 1_000);
		set_bond(OPERATOR, 600);
		expose(0, CONSUMER, OPERATOR, 1, &[]);
		start_epoch(3);

		// Then the amounts are still 5% of the copy made at report time: 50, 200 and 100.
		assert_eq!(MockOperators::bond_slashes(), vec![to_treasury(50, 50)]);
		assert_eq!(
			MockPools::pool_slashes(),
			vec![pool_slash(100, 200, 200), pool_slash(101, 100, 100)]
		);
		assert_eq!((bond(OPERATOR), pool_value(100), pool_value(101)), (550, 800, 4_900));
	});
}

#[test]
fn the_bond_is_capped_by_what_is_left_and_pools_owe_the_rest() {
	let params = SlashingParams { misbehaviour: Perbill::from_percent(10), ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		// Given a 10% report; the bond is down to 30 and pool 101 holds 70.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		set_bond(OPERATOR, 30);
		set_pool(101, 70);
		start_epoch(3);
		// The bond loses what it has; pool 101 pays 70 and owes 130 (never lost).
		assert_eq!(MockOperators::bond_slashes(), vec![to_treasury(30, 30)]);
		assert_eq!(MockPools::owed(101), 130);
		assert!(matches!(
			&executed_events()[..],
			[Event::SlashExecuted { bond_taken: 30, pools, to_treasury: 630, .. }]
				if pools == &vec![(100, 400), (101, 200)]
		));
	});
}

#[test]
fn pruned_exposure_does_not_cancel_a_slash() {
	ExtBuilder::default().build_and_execute(|| {
		// Attack (issue item 4): hold a slash up until its exposure is pruned. Before: the slash
		// expired (`SlashExpired`), 350 PAL never taken. After: the exposure copy executes it.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		slashing_events();
		prune_exposures(0);
		// Held up (no budget) until long after the retention.
		next_block();
		set_epoch(3);
		use palisade_primitives::EpochHooks;
		<ServiceSlashing as EpochHooks>::on_epoch_start(3, frame_support::weights::Weight::zero());
		start_epoch(12);
		assert!(matches!(
			executed_events()[..],
			[Event::SlashExecuted { slash_id: 0, bond_taken: 50, to_treasury: 350, .. }]
		));
		// Jailed from the execution epoch.
		assert_eq!(MockOperators::jails(), vec![(OPERATOR, 14)]);
	});
}

#[test]
fn no_jail_when_the_jail_length_is_zero() {
	let params = SlashingParams { jail_length: 0, ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		start_epoch(3);
		assert!(MockOperators::jails().is_empty());
		assert!(matches!(executed_events()[..], [Event::SlashExecuted { jailed_until: None, .. }]));
	});
}

#[test]
fn a_zero_fraction_only_jails() {
	let params = SlashingParams { downtime: Perbill::zero(), ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 0));
		start_epoch(3);
		assert!(MockOperators::bond_slashes().is_empty());
		assert!(MockPools::pool_slashes().is_empty());
		assert_eq!(MockOperators::jails(), vec![(OPERATOR, 5)]);
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
		MockOperators::remove(&OPERATOR);
		start_epoch(3);
		assert!(MockOperators::bond_slashes().is_empty());
		assert_eq!(MockPools::pool_slashes().len(), 2);
		assert!(MockOperators::jails().is_empty());
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
		assert_eq!(MockOperators::bond_slashes(), vec![to_treasury(50, 50)]);
	});
}
