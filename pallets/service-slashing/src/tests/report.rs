//! Subjective reports by a consumer's reporter.

use crate::{
	mock::*, Error, Event, Evidence, ExposureCopy, OffenceKind, PendingSlash, PendingSlashes,
	QueuePosition, Reported, SlashesDue, SlashingParams,
};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::{DispatchError, Perbill};

#[test]
fn report_creates_a_pending_slash_due_after_the_veto_delay() {
	ExtBuilder::default().build_and_execute(|| {
		// Given operator 1 exposed for consumer 1 in epoch 0 (own 1_000, pools 4_000 + 2_000),
		// and the clock at epoch 2.
		set_epoch(2);

		// When the consumer's reporter reports misbehaviour (5%) in epoch 0.
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));

		// Then a slash is pending, due at 2 + veto delay 3, with the estimated amounts.
		let slash = PendingSlashes::<Test>::get(0).expect("pending");
		assert_eq!(
			slash,
			PendingSlash {
				consumer_id: CONSUMER,
				operator: OPERATOR,
				kind: OffenceKind::Misbehaviour,
				epoch: 0,
				fraction: Perbill::from_percent(5),
				reported_fraction: Perbill::from_percent(5),
				span_start: 0,
				reporter: None,
				reported_at: 2,
				due_epoch: 5,
				queued: Some(QueuePosition { epoch: 5, index: 0, requeued: false }),
				bond_amount: 50,
				pools_amount: 300,
				exposure: ExposureCopy {
					own: 1_000,
					pools: vec![(100, 4_000), (101, 2_000)].try_into().unwrap(),
				},
				evidence: Evidence::Reported(details(b"evidence")),
			}
		);
		assert_eq!(SlashesDue::<Test>::get(5, 0), Some(0));
		assert_eq!(
			Reported::<Test>::get(0, (CONSUMER, OPERATOR, OffenceKind::Misbehaviour)),
			Some(0)
		);
		assert_eq!(
			slashing_events(),
			vec![Event::OffenceReported {
				slash_id: 0,
				consumer_id: CONSUMER,
				operator: OPERATOR,
				kind: OffenceKind::Misbehaviour,
				epoch: 0,
				fraction: Perbill::from_percent(5),
				reported_fraction: Perbill::from_percent(5),
				due_epoch: 5,
				reporter: None,
				bond_amount: 50,
				pool_amounts: vec![(100, 200), (101, 100)],
				pools_total: 300,
			}]
		);
		// Nothing is taken yet.
		assert!(MockOperators::bond_slashes().is_empty());
		assert!(MockPools::pool_slashes().is_empty());
		assert!(MockOperators::jails().is_empty());
	});
}

#[test]
fn estimates_round_up() {
	ExtBuilder::default().build_and_execute(|| {
		// 1% of 1_050 is 10.5: 11. 1% of 1 is 0.01: 1.
		expose(0, CONSUMER, 2, 1_050, &[(100, 1)]);
		set_bond(2, 1_050);
		assert_ok!(report(2, OffenceKind::Downtime, 0));
		let slash = PendingSlashes::<Test>::get(0).unwrap();
		assert_eq!((slash.bond_amount, slash.pools_amount), (11, 1));
	});
}

#[test]
fn each_report_may_be_filed_once() {
	ExtBuilder::default().build_and_execute(|| {
		// Downtime (1%) then misbehaviour (5%): the second tops the span up.
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 0));
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_eq!(PendingSlashes::<Test>::iter().count(), 2);

		// The same (consumer, operator, kind, epoch) again is rejected.
		assert_noop!(report(OPERATOR, OffenceKind::Downtime, 0), Error::<Test>::DuplicateReport);
		assert_noop!(
			report(OPERATOR, OffenceKind::Misbehaviour, 0),
			Error::<Test>::DuplicateReport
		);
	});
}

#[test]
fn subjective_report_cannot_claim_equivocation() {
	ExtBuilder::default().build_and_execute(|| {
		// Attack: a consumer's reporter claims the objective kind (10%, highest) without a
		// proof. Before: accepted, 10% of every exposure in the window with no evidence.
		// After: refused with a typed error, nothing pending.
		assert_noop!(
			report(OPERATOR, OffenceKind::Equivocation, 0),
			Error::<Test>::ObjectiveKindNeedsEvidence
		);
		assert_eq!(PendingSlashes::<Test>::iter().count(), 0);
	});
}

#[test]
fn subjective_reports_take_at_most_the_subjective_cap() {
	let params = SlashingParams {
		misbehaviour: Perbill::from_percent(40),
		max_subjective_fraction: Perbill::from_percent(15),
		..default_params()
	};
	ExtBuilder::default().with_params(params).build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		let slash = PendingSlashes::<Test>::get(0).unwrap();
		assert_eq!(slash.fraction, Perbill::from_percent(15));
		assert_eq!(slash.bond_amount, 150);
	});
}

#[test]
fn new_reporter_cannot_reach_old_offences() {
	ExtBuilder::default().build_and_execute(|| {
		// Attack: the consumer's admin installs a new reporter at epoch 2 and has it report
		// epochs 0 and 1, before it took office. Before: accepted (reporter checked now only).
		// After: refused; epochs from 2 on may be reported.
		expose(2, CONSUMER, OPERATOR, 1_000, &[]);
		set_epoch(2);
		set_reporter(CONSUMER, ALICE, 2);
		for epoch in [0, 1] {
			assert_noop!(
				ServiceSlashing::report_offence(
					RuntimeOrigin::signed(ALICE),
					CONSUMER,
					OPERATOR,
					OffenceKind::Misbehaviour,
					epoch,
					details(b""),
				),
				Error::<Test>::NotReporter
			);
		}
		assert_ok!(ServiceSlashing::report_offence(
			RuntimeOrigin::signed(ALICE),
			CONSUMER,
			OPERATOR,
			OffenceKind::Misbehaviour,
			2,
			details(b""),
		));
	});
}

#[test]
fn only_the_consumers_reporter_may_report() {
	ExtBuilder::default().build_and_execute(|| {
		for who in [ALICE, ADMIN, OPERATOR] {
			assert_noop!(
				ServiceSlashing::report_offence(
					RuntimeOrigin::signed(who),
					CONSUMER,
					OPERATOR,
					OffenceKind::Downtime,
					0,
					details(b""),
				),
				Error::<Test>::NotReporter
			);
		}
		// Nor the reporter of another consumer, nor for an unknown consumer.
		add_consumer(2, 30, 31);
		assert_noop!(
			ServiceSlashing::report_offence(
				RuntimeOrigin::signed(30),
				CONSUMER,
				OPERATOR,
				OffenceKind::Downtime,
				0,
				details(b""),
			),
			Error::<Test>::NotReporter
		);
		assert_noop!(
			ServiceSlashing::report_offence(
				RuntimeOrigin::signed(REPORTER),
				7,
				OPERATOR,
				OffenceKind::Downtime,
				0,
				details(b""),
			),
			Error::<Test>::NotReporter
		);
		// Unsigned: bad origin.
		assert_noop!(
			ServiceSlashing::report_offence(
				RuntimeOrigin::none(),
				CONSUMER,
				OPERATOR,
				OffenceKind::Downtime,
				0,
				details(b""),
			),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn the_epoch_must_be_within_the_report_window() {
	ExtBuilder::default().build_and_execute(|| {
		// Report window 4: at epoch 4, epoch 0 is the oldest reportable.
		expose(5, CONSUMER, OPERATOR, 1_000, &[]);
		set_epoch(4);
		assert_noop!(report(OPERATOR, OffenceKind::Downtime, 5), Error::<Test>::FutureEpoch);
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 0));

		set_epoch(5);
		assert_noop!(
			report(OPERATOR, OffenceKind::Misbehaviour, 0),
			Error::<Test>::OutsideReportWindow
		);
		// The current epoch itself may be reported (a new span: more than a window after 0).
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 5));
	});
}

#[test]
fn the_operator_must_be_exposed() {
	ExtBuilder::default().build_and_execute(|| {
		set_epoch(1);
		// Operator 1 has no exposure in epoch 1, operator 2 none at all, and none for
		// consumer 2.
		assert_noop!(report(OPERATOR, OffenceKind::Downtime, 1), Error::<Test>::NoExposure);
		assert_noop!(report(2, OffenceKind::Downtime, 0), Error::<Test>::NoExposure);
		add_consumer(2, REPORTER, ADMIN);
		assert_noop!(
			ServiceSlashing::report_offence(
				RuntimeOrigin::signed(REPORTER),
				2,
				OPERATOR,
				OffenceKind::Downtime,
				0,
				details(b""),
			),
			Error::<Test>::NoExposure
		);
	});
}

#[test]
fn the_weight_is_refunded_to_the_exposures_pool_count() {
	use crate::WeightInfo;
	ExtBuilder::default().build_and_execute(|| {
		let info = ServiceSlashing::report_offence(
			RuntimeOrigin::signed(REPORTER),
			CONSUMER,
			OPERATOR,
			OffenceKind::Downtime,
			0,
			details(b""),
		)
		.unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::report_offence(2)));
	});
}

#[test]
fn query_helpers_list_pending_slashes() {
	ExtBuilder::default().build_and_execute(|| {
		add_consumer(2, 30, 31);
		expose(0, 2, OPERATOR, 1_000, &[]);
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 0));
		assert_ok!(ServiceSlashing::report_offence(
			RuntimeOrigin::signed(30),
			2,
			OPERATOR,
			OffenceKind::Downtime,
			0,
			details(b""),
		));
		let all = ServiceSlashing::pending_slashes();
		assert_eq!(all.iter().map(|(id, _)| *id).collect::<Vec<_>>(), vec![0, 1]);
		assert_eq!(all[0].1.due_epoch, 3);
		let of_2 = ServiceSlashing::pending_slashes_of(2);
		assert_eq!(of_2.len(), 1);
		assert_eq!(of_2[0].0, 1);
		assert_eq!(ServiceSlashing::pending_slashes_of_operator(&OPERATOR).len(), 2);
		assert!(ServiceSlashing::pending_slashes_of_operator(&2).is_empty());
		assert_eq!(ServiceSlashing::params(), default_params());
	});
}
