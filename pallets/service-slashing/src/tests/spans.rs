//! Slashing spans: for one (operator, consumer), offences within a window do not add up; the
//! highest fraction applies (top-up).

use crate::{mock::*, Error, Event, OffenceKind, PendingSlashes, SlashSpan};
use frame_support::{assert_noop, assert_ok};
use sp_runtime::Perbill;

fn executed_fractions() -> Vec<(Perbill, Balance)> {
	slashing_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::SlashExecuted { fraction, bond_taken, .. } => Some((fraction, bond_taken)),
			_ => None,
		})
		.collect()
}

#[test]
fn later_larger_report_only_tops_up() {
	ExtBuilder::default().build_and_execute(|| {
		// Downtime (1%) of epoch 0, then misbehaviour (5%) of epoch 1 (own 2,000 then).
		expose(1, CONSUMER, OPERATOR, 2_000, &[]);
		set_bond(OPERATOR, 2_000);
		set_epoch(1);
		assert_ok!(report(OPERATOR, OffenceKind::Downtime, 0));
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 1));
		let second = PendingSlashes::<Test>::get(1).unwrap();
		assert_eq!(second.fraction, Perbill::from_percent(4));
		assert_eq!(second.span_start, 0);
		assert_eq!(
			ServiceSlashing::span(&OPERATOR, CONSUMER),
			Some(SlashSpan { start: 0, max: Perbill::from_percent(5) })
		);
		slashing_events();
		start_epoch(4);
		// 1% of 1,000 and 4% of 2,000.
		assert_eq!(
			executed_fractions(),
			vec![(Perbill::from_percent(1), 10), (Perbill::from_percent(4), 80)]
		);
	});
}

#[test]
fn smaller_report_adds_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_noop!(
			report(OPERATOR, OffenceKind::Downtime, 0),
			Error::<Test>::OffenceAlreadyCovered
		);
		// Also once executed.
		start_epoch(3);
		expose(3, CONSUMER, OPERATOR, 1_000, &[]);
		assert_noop!(
			report(OPERATOR, OffenceKind::Downtime, 3),
			Error::<Test>::OffenceAlreadyCovered
		);
	});
}

#[test]
fn a_new_span_opens_after_a_window() {
	ExtBuilder::default().build_and_execute(|| {
		// Window 4: epoch 5 is more than a window after the span's start (0).
		expose(5, CONSUMER, OPERATOR, 1_000, &[]);
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		set_epoch(5);
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 5));
		assert_eq!(PendingSlashes::<Test>::get(1).unwrap().fraction, Perbill::from_percent(5));
		assert_eq!(ServiceSlashing::span(&OPERATOR, CONSUMER).map(|s| s.start), Some(5));
	});
}

#[test]
fn spans_are_per_consumer() {
	ExtBuilder::default().build_and_execute(|| {
		add_consumer(2, 30, 31);
		expose(0, 2, OPERATOR, 1_000, &[]);
		assert_ok!(report(OPERATOR, OffenceKind::Misbehaviour, 0));
		assert_ok!(ServiceSlashing::report_offence(
			RuntimeOrigin::signed(30),
			2,
			OPERATOR,
			OffenceKind::Misbehaviour,
			0,
			details(b""),
		));
		assert_eq!(PendingSlashes::<Test>::get(1).unwrap().fraction, Perbill::from_percent(5));
	});
}
