//! What the admin may change: parameters (from the next epoch), reporter, admin.

use crate::{mock::*, Error, Event, PendingParams};
use frame_support::{assert_noop, assert_ok};
use palisade_primitives::ConsumersInterface;

/// Consumer 0 of admin 1, active from epoch 1 with operators 11, 12, 13 (bonds 300, 200, 100).
fn active_consumer() {
	register(1);
	add_operator(0, 11, 300, 0);
	add_operator(0, 12, 200, 0);
	add_operator(0, 13, 100, 0);
	fund(0, 10_000);
	next_epoch();
	assert_eq!(members(0).len(), 3);
	consumer_events();
}

#[test]
fn update_params_takes_effect_at_the_next_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an active consumer with three operators in epoch 1.
		active_consumer();

		// When its admin lowers `max_operators` to 2.
		let new = params(1, 2, 0, 100, 1_000);
		assert_ok!(Consumers::update_params(RuntimeOrigin::signed(1), 0, new));

		// Then nothing changes during epoch 1.
		assert_eq!(record(0).params, default_params());
		assert_eq!(
			record(0).pending_params,
			Some(PendingParams { params: new, effective_epoch: 2 })
		);
		assert_eq!(members(0).len(), 3);
		assert_eq!(
			consumer_events(),
			vec![Event::ParamsUpdateScheduled { consumer_id: 0, params: new, effective_epoch: 2 }]
		);

		// And the transition into epoch 2 applies them before computing the set.
		next_epoch();
		assert_eq!(record(0).params, new);
		assert_eq!(record(0).pending_params, None);
		assert_eq!(members(0).iter().map(|m| m.0).collect::<Vec<_>>(), vec![11, 12]);
		assert!(consumer_events().contains(&Event::ParamsApplied {
			consumer_id: 0,
			epoch: 2,
			params: new
		}));
	});
}

#[test]
fn a_second_update_replaces_the_first() {
	ExtBuilder::default().build_and_execute(|| {
		active_consumer();
		assert_ok!(Consumers::update_params(RuntimeOrigin::signed(1), 0, params(1, 1, 0, 100, 5)));
		assert_ok!(Consumers::update_params(RuntimeOrigin::signed(1), 0, params(1, 2, 0, 100, 7)));
		next_epoch();
		assert_eq!(record(0).params, params(1, 2, 0, 100, 7));
		assert_eq!(members(0).len(), 2);
	});
}

#[test]
fn update_params_errors() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		assert_noop!(
			Consumers::update_params(RuntimeOrigin::signed(2), 0, default_params()),
			Error::<Test>::NotAdmin
		);
		assert_noop!(
			Consumers::update_params(RuntimeOrigin::signed(1), 7, default_params()),
			Error::<Test>::UnknownConsumer
		);
		assert_noop!(
			Consumers::update_params(RuntimeOrigin::signed(1), 0, params(2, 1, 0, 100, 0)),
			Error::<Test>::MinAboveMax
		);
		assert_noop!(
			Consumers::update_params(RuntimeOrigin::signed(1), 0, params(1, 1, 0, 0, 0)),
			Error::<Test>::ZeroPowerCap
		);
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		assert_noop!(
			Consumers::update_params(RuntimeOrigin::signed(1), 0, default_params()),
			Error::<Test>::AlreadyDeregistered
		);
	});
}

#[test]
fn deregistration_drops_a_pending_update() {
	ExtBuilder::default().build_and_execute(|| {
		active_consumer();
		assert_ok!(Consumers::update_params(RuntimeOrigin::signed(1), 0, params(1, 1, 0, 100, 5)));
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		assert_eq!(record(0).pending_params, None);
		next_epoch();
		assert_eq!(record(0).params, default_params());
	});
}

#[test]
fn set_reporter_changes_who_may_report() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		assert_eq!(<Consumers as ConsumersInterface<_, _>>::reporter(0), Some(1));
		assert_ok!(Consumers::set_reporter(RuntimeOrigin::signed(1), 0, 5));
		assert_eq!(record(0).reporter, 5);
		assert_eq!(<Consumers as ConsumersInterface<_, _>>::reporter(0), Some(5));
		assert_eq!(<Consumers as ConsumersInterface<_, _>>::reporter(1), None);
		assert_eq!(
			consumer_events().last(),
			Some(&Event::ReporterSet { consumer_id: 0, reporter: 5, reports_from: 1 })
		);
		// The reporter is not the admin.
		assert_noop!(
			Consumers::set_reporter(RuntimeOrigin::signed(5), 0, 6),
			Error::<Test>::NotAdmin
		);
		assert_noop!(
			Consumers::set_reporter(RuntimeOrigin::signed(1), 3, 6),
			Error::<Test>::UnknownConsumer
		);
	});
}

#[test]
fn set_admin_hands_over_the_consumer() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		assert_ok!(Consumers::set_admin(RuntimeOrigin::signed(1), 0, 6));
		assert_eq!(<Consumers as ConsumersInterface<_, _>>::admin(0), Some(6));
		assert_eq!(
			consumer_events().last(),
			Some(&Event::AdminSet { consumer_id: 0, admin: 6, reports_from: 1 })
		);
		// The old admin lost its rights, the new one has them; the deposit stays with the
		// depositor.
		assert_noop!(
			Consumers::update_params(RuntimeOrigin::signed(1), 0, default_params()),
			Error::<Test>::NotAdmin
		);
		assert_ok!(Consumers::update_params(RuntimeOrigin::signed(6), 0, default_params()));
		assert_eq!(record(0).depositor, 1);
		assert_eq!(held(1), DEPOSIT);
		assert_noop!(Consumers::set_admin(RuntimeOrigin::signed(1), 0, 1), Error::<Test>::NotAdmin);
		assert_noop!(
			Consumers::set_admin(RuntimeOrigin::signed(6), 9, 1),
			Error::<Test>::UnknownConsumer
		);
	});
}

#[test]
fn reporter_and_admin_may_still_change_after_deregistration() {
	ExtBuilder::default().build_and_execute(|| {
		register(1);
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), 0));
		assert_ok!(Consumers::set_reporter(RuntimeOrigin::signed(1), 0, 5));
		assert_ok!(Consumers::set_admin(RuntimeOrigin::signed(1), 0, 6));
		assert_eq!((record(0).reporter, record(0).admin), (5, 6));
	});
}
