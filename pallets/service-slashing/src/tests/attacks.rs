//! Attacks by hostile operators, consumers and reporters (issue 11), each named after the
//! attack, with the attacker's gain (or the victims' loss) before and after in PAL (the mock's
//! balance unit stands for one PAL).

use crate::{
	evidence::testing::{pair_from_seed, precommit_equivocation},
	mock::*,
	Error, Event, OffenceKind, SlashDestination, SlashingParams,
};
use frame_support::{assert_noop, assert_ok};
use palisade_primitives::PendingSlashes as _;
use sp_core::Pair;
use sp_runtime::Perbill;

/// The operator's second account, submitting evidence against its own operator.
const ACCOMPLICE: AccountId = 77;

/// Operator 1 (bond 1,000) backed by pool 100 (100,000) for consumer 1 in epoch 0, with a key
/// the operator holds; its accomplice proves the operator's own equivocation and the slash
/// executes. Returns (bond lost, reward earned by the accomplice).
fn self_slash() -> (Balance, Balance) {
	let pair = pair_from_seed([7; 32]);
	set_pool(100, 100_000);
	expose_with_key(0, CONSUMER, OPERATOR, pair.public().0, 1_000, &[(100, 100_000)]);
	set_grandpa_set(CONSUMER, 1, 0);
	let bond_before = bond(OPERATOR);
	assert_ok!(ServiceSlashing::report_equivocation(
		RuntimeOrigin::signed(ACCOMPLICE),
		CONSUMER,
		Box::new(precommit_equivocation(&pair, 1, 1)),
	));
	start_epoch(default_params().veto_delay);
	(bond_before - bond(OPERATOR), paid(ACCOMPLICE))
}

#[test]
fn self_slash_does_not_pay() {
	// The issue's numbers: bond 1,000 PAL, pools 100,000 PAL, equivocation 20%, reward 10%.
	// Before: the reward was 10% of the pools' 20,000 = 2,000 PAL for a bond loss of 200 PAL:
	// gain +1,800 PAL per epoch in the window. After: the reward is 10% of the bond loss:
	// 20 PAL for a loss of 200 PAL: gain -180 PAL.
	let issue = SlashingParams {
		equivocation: Perbill::from_percent(20),
		reporter_reward: Perbill::from_percent(10),
		..default_params()
	};
	ExtBuilder::default().with_params(issue).build_and_execute(|| {
		let (loss, reward) = self_slash();
		assert_eq!((loss, reward), (200, 20));
		let gain = reward as i128 - loss as i128;
		assert_eq!(gain, -180);
		// The pools lost 20,000 PAL, none of it to the accomplice.
		assert_eq!(pool_value(100), 80_000);
	});

	// Every parameter set at the hard bounds (fractions and reward up to 50%, both
	// destinations): the offender's net (bond loss - reward) is a positive loss.
	let tiny = Perbill::from_parts(1);
	let max = MaxSlashFraction::get();
	for equivocation in [tiny, Perbill::from_percent(1), max] {
		for reporter_reward in [Perbill::zero(), tiny, MaxReporterReward::get()] {
			for destination in [SlashDestination::Burn, SlashDestination::Treasury] {
				let params = SlashingParams {
					equivocation,
					reporter_reward,
					destination,
					..default_params()
				};
				ExtBuilder::default().with_params(params).build_and_execute(|| {
					let (loss, reward) = self_slash();
					assert!(loss > 0, "the bond always loses something");
					assert!(
						loss > reward,
						"gain {} at {equivocation:?} / {reporter_reward:?} / {destination:?}",
						reward as i128 - loss as i128
					);
				});
			}
		}
	}
}

#[test]
fn one_consumer_cannot_drain_an_operator_in_a_window() {
	// A hostile consumer's reporter files Misbehaviour and Downtime (and tries Equivocation)
	// against operator 1 for every epoch of the window (0..=4). Before: each epoch up to the 20%
	// per-epoch cap: 5 × 16% = 80% of the bond, 800 PAL of 1,000 (and the pools likewise).
	// After: one span, the highest subjective fraction: 5%, 50 PAL.
	ExtBuilder::default().build_and_execute(|| {
		for epoch in 1..=4 {
			expose(epoch, CONSUMER, OPERATOR, 1_000, &[(100, 4_000), (101, 2_000)]);
		}
		set_epoch(4);
		let mut accepted = 0;
		for epoch in 0..=4 {
			assert_noop!(
				report(OPERATOR, OffenceKind::Equivocation, epoch),
				Error::<Test>::ObjectiveKindNeedsEvidence
			);
			for kind in [OffenceKind::Downtime, OffenceKind::Misbehaviour] {
				if report(OPERATOR, kind, epoch).is_ok() {
					accepted += 1;
				} else {
					assert_noop!(
						report(OPERATOR, kind, epoch),
						Error::<Test>::OffenceAlreadyCovered
					);
				}
			}
		}
		// Downtime of epoch 0 (1%), then misbehaviour of epoch 0 (the 4% difference).
		assert_eq!(accepted, 2);
		start_epoch(7);
		next_block_work(7);
		assert_eq!(1_000 - bond(OPERATOR), 50);
		assert_eq!((pool_value(100), pool_value(101)), (9_800, 4_900));
	});
}

#[test]
fn sham_consumer_cannot_shield_pools() {
	// The operator registers a sham consumer 2 backed only by its bond and slashes itself there
	// to the cap for epoch 0; then real consumer 1 reports its offence of epoch 0. Before: the
	// shared per-(operator, epoch) cap was used up by the sham, the real slash took ~0 of the
	// pools: 1,200 PAL of the pools shielded. After: caps are per (operator, consumer), the
	// pools lose their full 20%: nothing shielded.
	let params = SlashingParams { misbehaviour: Perbill::from_percent(20), ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		add_consumer(2, 30, 31);
		expose(0, 2, OPERATOR, 1_000, &[]);
		assert_ok!(ServiceSlashing::report_offence(
			RuntimeOrigin::signed(30),
			2,
			OPERATOR,
			OffenceKind::Misbehaviour,
			0,
			details(b"sham"),
		));
		set_epoch(1);
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		start_epoch(3);
		start_epoch(4);
		// 20% of pools 100 (4,000) and 101 (2,000).
		assert_eq!((pool_value(100), pool_value(101)), (10_000 - 800, 5_000 - 400));
		// And the bond lost 20% twice (once per consumer).
		assert_eq!(bond(OPERATOR), 600);
	});
}

#[test]
fn hostile_consumers_each_take_at_most_their_cap_from_a_shared_bond() {
	// Kept on purpose (docs/design-notes.md, "Slashing against hostile users"): an operator's
	// whole bond backs every consumer it opts in to, so N consumers it chose to serve can each
	// take up to their subjective cap from it. This pins the bound: three hostile consumers
	// reporting every subjective kind for every epoch of the window take exactly 3 × 5% of the
	// 1,000 PAL bond (150 PAL) and each consumer's pools lose only their own 5%; a fourth
	// report by any of them adds nothing.
	ExtBuilder::default().build_and_execute(|| {
		add_consumer(2, 30, 31);
		add_consumer(3, 40, 41);
		for epoch in 0..=2 {
			expose(epoch, CONSUMER, OPERATOR, 1_000, &[(100, 4_000)]);
			expose(epoch, 2, OPERATOR, 1_000, &[]);
			expose(epoch, 3, OPERATOR, 1_000, &[(101, 2_000)]);
		}
		set_epoch(2);
		let mut accepted = 0;
		for (consumer, reporter) in [(CONSUMER, REPORTER), (2, 30), (3, 40)] {
			for epoch in 0..=2 {
				for kind in [OffenceKind::Misbehaviour, OffenceKind::Downtime] {
					let result = ServiceSlashing::report_offence(
						RuntimeOrigin::signed(reporter),
						consumer,
						OPERATOR,
						kind,
						epoch,
						details(b"hostile"),
					);
					if result.is_ok() {
						accepted += 1;
					} else {
						assert_eq!(result, Err(Error::<Test>::OffenceAlreadyCovered.into()));
					}
				}
			}
		}
		// One report per consumer: the first, at the subjective cap.
		assert_eq!(accepted, 3);
		let mut epoch = 5;
		while ServiceSlashing::operator_has_pending(&OPERATOR) {
			start_epoch(epoch);
			next_block_work(epoch);
			epoch += 1;
			assert!(epoch < 20, "the slashes execute");
		}
		assert_eq!(1_000 - bond(OPERATOR), 3 * 50);
		// Pool 100 backs consumer 1 only, pool 101 consumer 3 only: 5% each.
		assert_eq!((pool_value(100), pool_value(101)), (10_000 - 200, 5_000 - 100));
	});
}

#[test]
fn junk_reports_cannot_push_a_slash_past_exit() {
	// Ten junk self-reports (operators 31..41 on consumer 2) are queued ahead of a real slash of
	// operator 1, with at most 4 executions per block and a meter of 2 jails per epoch. Before:
	// the real slash could be pushed past the unbonding unlock and the exposure retention
	// (`SlashExpired`): the whole 350 PAL escaped. After: the operator's bond and the pools'
	// stake of epoch 0 cannot leave while it is pending, and it executes from its exposure copy,
	// in report order: nothing escapes.
	let params = SlashingParams { max_jails_per_period: 2, ..default_params() };
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		add_consumer(2, 30, 31);
		for operator in 31..41 {
			set_bond(operator, 100);
			expose(0, 2, operator, 100, &[]);
			assert_ok!(ServiceSlashing::report_offence(
				RuntimeOrigin::signed(30),
				2,
				operator,
				OffenceKind::Downtime,
				0,
				details(b"junk"),
			));
		}
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		// Exits wait while it is pending.
		assert!(ServiceSlashing::operator_has_pending(&OPERATOR));
		assert!(ServiceSlashing::pool_has_pending(100, Some(0)));
		assert!(ServiceSlashing::pool_has_pending(101, None));
		assert!(!ServiceSlashing::pool_has_pending(100, Some(1)));
		assert!(!ServiceSlashing::pool_has_pending(102, None));

		// Long after the retention, it executes all the same.
		prune_exposures(0);
		let mut epoch = 3;
		while ServiceSlashing::operator_has_pending(&OPERATOR) {
			start_epoch(epoch);
			epoch += 1;
			assert!(epoch < 20, "the real slash executes");
		}
		assert_eq!(1_000 - bond(OPERATOR), 50);
		assert_eq!(paid(TREASURY), 10 + 350);
		assert!(!ServiceSlashing::pool_has_pending(100, None));
	});
}

#[test]
fn pending_slashes_per_pair_and_per_consumer_are_bounded() {
	ExtBuilder::default().build_and_execute(|| {
		// One pending slash per (operator, consumer) at most here: the top-up is refused until
		// the first executes.
		MaxPendingPerPair::set(1);
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 0));
		assert_noop!(
			report(OPERATOR, OffenceKind::Misbehaviour, 0),
			Error::<Test>::TooManyPendingSlashes
		);
		// Two per consumer.
		MaxPendingPerConsumer::set(2);
		set_bond(2, 100);
		set_bond(3, 100);
		expose(0, CONSUMER, 2, 100, &[]);
		expose(0, CONSUMER, 3, 100, &[]);
		assert_ok!(report(2, OffenceKind::Downtime, 0));
		assert_noop!(report(3, OffenceKind::Downtime, 0), Error::<Test>::TooManyPendingSlashes);
		MaxPendingPerPair::set(4);
		MaxPendingPerConsumer::set(16);
		assert!(slashing_events().iter().all(|e| matches!(e, Event::OffenceReported { .. })));
	});
}
