//! Subjective reports by a consumer's reporter.

use crate::{
	mock::*, Error, Event, Evidence, OffenceKind, PendingSlash, PendingSlashes, Reported,
	SlashesDue,
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
				reporter: None,
				reported_at: 2,
				due_epoch: 5,
				bond_amount: 50,
				pools_amount: 300,
				evidence: Evidence::Reported(details(b"evidence")),
			}
		);
		assert!(SlashesDue::<Test>::contains_key(5, 0));
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
				due_epoch: 5,
				reporter: None,
				bond_amount: 50,
				pool_amounts: vec![(100, 200), (101, 100)],
				pools_total: 300,
			}]
		);
		// Nothing is taken yet.
		assert!(BondSlashes::get().is_empty());
		assert!(PoolSlashes::get().is_empty());
		assert!(Jails::get().is_empty());
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
fn each_kind_may_be_reported_once_per_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		expose(1, CONSUMER, OPERATOR, 1_000, &[]);
		set_epoch(1);
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 0));
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_ok!(report(OPERATOR, OffenceKind::Equivocation, 0));
		// Another epoch is another offence.
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 1));
		assert_eq!(PendingSlashes::<Test>::iter().count(), 4);

		// The same (consumer, operator, kind, epoch) again is rejected.
		assert_noop!(report(OPERATOR, OffenceKind::Downtime, 0), Error::<Test>::DuplicateReport);
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
		// The current epoch itself may be reported.
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
