//! The invariant checker catches corrupted storage, and the configuration passes
//! `integrity_test`.

use crate::{mock::*, KeyOwners, OperatorRecords};
use frame_support::{assert_ok, traits::Hooks};

#[test]
fn integrity_test_passes() {
	ExtBuilder::default().build_and_execute(|| {
		<Operators as Hooks<u64>>::integrity_test();
	});
}

#[test]
fn try_state_detects_a_hold_mismatch() {
	ExtBuilder::default().build().execute_with(|| {
		register(1, 200);
		assert_ok!(Operators::do_try_state());
		OperatorRecords::<Test>::mutate(1, |r| r.as_mut().unwrap().bond = 199);
		assert!(Operators::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_a_key_index_mismatch() {
	ExtBuilder::default().build().execute_with(|| {
		register(1, 200);
		register(2, 200);
		assert_ok!(Operators::opt_in(RuntimeOrigin::signed(1), 1, key(1)));
		assert_ok!(Operators::do_try_state());
		KeyOwners::<Test>::insert(1, key(1), 2);
		assert!(Operators::do_try_state().is_err());
	});
}

#[test]
fn try_state_detects_an_opt_in_for_an_unknown_consumer() {
	ExtBuilder::default().build().execute_with(|| {
		register(1, 200);
		assert_ok!(Operators::opt_in(RuntimeOrigin::signed(1), 2, key(1)));
		MockConsumerRegistry::set_consumers(vec![1]);
		assert!(Operators::do_try_state().is_err());
	});
}
