//! Governance-set parameters: bounds, nesting with the other delays, origin, genesis.

use crate::{mock::*, Error, Event, Params, SlashDestination, SlashingParams};
use frame_support::{assert_noop, assert_ok, traits::Hooks};
use sp_runtime::{BuildStorage, DispatchError, Perbill};

fn set(params: SlashingParams) -> sp_runtime::DispatchResult {
	ServiceSlashing::set_slashing_params(RuntimeOrigin::root(), params)
}

#[test]
fn governance_sets_params_with_an_event() {
	ExtBuilder::default().build_and_execute(|| {
		assert_eq!(Params::<Test>::get(), default_params());
		let new = SlashingParams {
			downtime: Perbill::from_percent(2),
			equivocation: Perbill::from_percent(50),
			misbehaviour: Perbill::zero(),
			max_subjective_fraction: Perbill::from_percent(50),
			report_window: 2,
			veto_delay: 5,
			jail_length: 10,
			destination: SlashDestination::Burn,
			reporter_reward: Perbill::from_percent(50),
			meter_period: 10,
			max_slashed_per_period: 1,
			max_jails_per_period: 1,
		};
		assert_ok!(set(new.clone()));
		assert_eq!(Params::<Test>::get(), new);
		assert_eq!(
			slashing_events(),
			vec![Event::SlashingParamsSet { old: default_params(), new: new.clone() }]
		);
		// A report now uses the new values.
		assert_ok!(report(OPERATOR, crate::OffenceKind::Downtime, 0));
		let slash = crate::PendingSlashes::<Test>::get(0).unwrap();
		assert_eq!((slash.fraction, slash.due_epoch), (Perbill::from_percent(2), 5));
	});
}

#[test]
fn params_outside_the_hard_bounds_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		let too_much = Perbill::from_percent(51);
		let d = default_params;
		for params in [
			SlashingParams { downtime: too_much, ..d() },
			SlashingParams { equivocation: too_much, ..d() },
			SlashingParams { misbehaviour: too_much, ..d() },
			SlashingParams { max_subjective_fraction: too_much, ..d() },
		] {
			assert_noop!(set(params), Error::<Test>::FractionTooHigh);
		}
		assert_noop!(
			set(SlashingParams { reporter_reward: too_much, ..d() }),
			Error::<Test>::ReporterRewardTooHigh
		);
		assert_noop!(set(SlashingParams { jail_length: 11, ..d() }), Error::<Test>::JailTooLong);
		assert_noop!(
			set(SlashingParams { veto_delay: 0, report_window: 1, ..d() }),
			Error::<Test>::VetoDelayTooShort
		);
		for meter in [
			SlashingParams { meter_period: 0, ..d() },
			SlashingParams { meter_period: 11, ..d() },
			SlashingParams { max_slashed_per_period: 0, ..d() },
			SlashingParams { max_jails_per_period: 0, ..d() },
		] {
			assert_noop!(set(meter), Error::<Test>::InvalidMeter);
		}
		// The bounds themselves are accepted.
		assert_ok!(set(SlashingParams {
			downtime: Perbill::from_percent(50),
			reporter_reward: Perbill::from_percent(50),
			jail_length: 10,
			veto_delay: 1,
			..d()
		}));
	});
}

#[test]
fn delays_that_do_not_nest_are_rejected() {
	ExtBuilder::default().build_and_execute(|| {
		// Withdrawal, deallocation, opt-out, unbonding 8, retention 10: the window plus the
		// veto delay may be at most 7, the window at most 5.
		let span = |report_window, veto_delay| SlashingParams {
			report_window,
			veto_delay,
			..default_params()
		};
		assert_ok!(set(span(5, 2)));
		assert_ok!(set(span(0, 7)));
		assert_noop!(set(span(5, 3)), Error::<Test>::DelaysDoNotNest);
		assert_noop!(set(span(u32::MAX, 1)), Error::<Test>::DelaysDoNotNest);
		// The retention must cover two windows (the slashing spans).
		assert_noop!(set(span(6, 1)), Error::<Test>::DelaysDoNotNest);

		// Each delay on its own: raise the others out of the way.
		let raise_all = || {
			WithdrawalDelay::set(100);
			DeallocationDelay::set(100);
			OptOutDelay::set(100);
			UnbondingDelay::set(100);
			MockConsumers::set_exposure_retention(100);
		};
		raise_all();
		assert_ok!(set(span(10, 10)));

		// Every exit delay must exceed the span: equal is not enough.
		let lowers: [fn(); 4] = [
			|| WithdrawalDelay::set(20),
			|| DeallocationDelay::set(20),
			|| OptOutDelay::set(20),
			|| UnbondingDelay::set(20),
		];
		for lower in lowers {
			raise_all();
			lower();
			assert_noop!(set(span(10, 10)), Error::<Test>::DelaysDoNotNest);
			assert_ok!(set(span(10, 9)));
		}
		// The retention must be at least the span.
		raise_all();
		MockConsumers::set_exposure_retention(19);
		assert_noop!(set(span(9, 11)), Error::<Test>::DelaysDoNotNest);
		assert_ok!(set(span(9, 10)));

		// Back to the mock's delays for the invariants.
		WithdrawalDelay::set(8);
		DeallocationDelay::set(8);
		OptOutDelay::set(8);
		UnbondingDelay::set(8);
		MockConsumers::set_exposure_retention(EXPOSURE_RETENTION);
		assert_ok!(set(default_params()));
	});
}

#[test]
fn delays_that_only_equal_the_span_are_rejected() {
	// Attack (issue item 11): with `OptOutDelay == report_window + veto_delay` an operator
	// that opts out right after its offence is gone in the epoch the slash is due, and leaves
	// before it executes (e.g. when the slash waits behind others). Before: accepted. After:
	// refused, the exit delays must exceed the span.
	ExtBuilder::default().build_and_execute(|| {
		let equal = SlashingParams { report_window: 4, veto_delay: 4, ..default_params() };
		assert_noop!(set(equal), Error::<Test>::DelaysDoNotNest);
	});
}

#[test]
fn only_governance_may_set_params() {
	ExtBuilder::default().build_and_execute(|| {
		for who in [ALICE, ADMIN, REPORTER, OPERATOR] {
			assert_noop!(
				ServiceSlashing::set_slashing_params(RuntimeOrigin::signed(who), default_params()),
				DispatchError::BadOrigin
			);
		}
		assert_noop!(
			ServiceSlashing::set_slashing_params(RuntimeOrigin::none(), default_params()),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn genesis_sets_the_params() {
	let params = SlashingParams { reporter_reward: Perbill::zero(), ..default_params() };
	ExtBuilder::default().with_params(params.clone()).build_and_execute(|| {
		assert_eq!(Params::<Test>::get(), params);
	});
}

#[test]
#[should_panic(expected = "invalid genesis slashing params")]
fn genesis_rejects_params_out_of_bounds() {
	let _ = crate::GenesisConfig::<Test> {
		params: SlashingParams { jail_length: 11, ..default_params() },
		..Default::default()
	}
	.build_storage();
}

#[test]
#[should_panic(expected = "invalid genesis slashing params")]
fn genesis_rejects_params_that_do_not_nest() {
	let _ = crate::GenesisConfig::<Test> {
		params: SlashingParams { report_window: 5, veto_delay: 3, ..default_params() },
		..Default::default()
	}
	.build_storage();
}

#[test]
fn the_default_genesis_uses_the_default_params() {
	assert_eq!(crate::GenesisConfig::<Test>::default().params, default_params());
}

#[test]
fn integrity_test_accepts_the_mock() {
	ExtBuilder::default().build().execute_with(|| {
		ServiceSlashing::integrity_test();
	});
}

#[test]
#[should_panic(expected = "DefaultParams")]
fn integrity_test_rejects_default_params_that_do_not_nest() {
	ExtBuilder::default().build().execute_with(|| {
		DefaultParams::set(SlashingParams { veto_delay: 8, ..default_params() });
		ServiceSlashing::integrity_test();
	});
}

#[test]
fn the_genesis_config_round_trips_through_json() {
	use frame_support::__private::serde_json;
	let config = crate::GenesisConfig::<Test>::default();
	let json = serde_json::to_value(&config).unwrap();
	assert_eq!(
		json,
		serde_json::json!({
			"params": {
				"downtime": 10_000_000,
				"equivocation": 100_000_000,
				"misbehaviour": 50_000_000,
				"maxSubjectiveFraction": 200_000_000,
				"reportWindow": 4,
				"vetoDelay": 3,
				"jailLength": 2,
				"destination": "Treasury",
				"reporterReward": 100_000_000,
				"meterPeriod": 1,
				"maxSlashedPerPeriod": 1_000_000,
				"maxJailsPerPeriod": 10,
			}
		})
	);
	let back: crate::GenesisConfig<Test> = serde_json::from_value(json).unwrap();
	assert_eq!(back.params, config.params);
}
