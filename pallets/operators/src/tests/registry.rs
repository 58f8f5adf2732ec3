//! What the other pallets see through `OperatorRegistry`.

use crate::mock::*;
use frame_support::assert_ok;
use palisade_primitives::{OperatorRegistry, OptedInOperator};
use sp_runtime::Perbill;

type Registry = Operators;

fn opt_in(who: AccountId, consumer: u32, k: u8) {
	assert_ok!(Operators::opt_in(RuntimeOrigin::signed(who), consumer, key(k)));
}

#[test]
fn opted_in_operators_lists_keys_and_eligibility() {
	ExtBuilder::default().build_and_execute(|| {
		// Operators 1, 2, 3 opted in to consumer 1; 2 jailed until 3; 3 leaving from 3.
		for who in 1..=3 {
			register(who, 200);
			opt_in(who, 1, who as u8);
		}
		assert_ok!(Operators::do_jail(&2, 3));
		assert_ok!(Operators::opt_out(RuntimeOrigin::signed(3), 1));
		assert_ok!(Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(11)));

		let op = |operator, k, eligible| OptedInOperator { operator, key: key(k), eligible };
		assert_eq!(
			<Registry as OperatorRegistry<_, _>>::opted_in_operators(1, 0),
			vec![op(1, 1, true), op(2, 2, false), op(3, 3, false)]
		);
		assert_eq!(
			<Registry as OperatorRegistry<_, _>>::opted_in_operators(1, OPT_OUT_DELAY),
			vec![op(1, 11, true), op(2, 2, true)]
		);
		assert!(<Registry as OperatorRegistry<_, _>>::opted_in_operators(2, 0).is_empty());
		assert_eq!(
			<Registry as OperatorRegistry<_, _>>::max_operators_per_consumer(),
			MAX_OPERATORS
		);
	});
}

#[test]
fn queries_of_one_operator() {
	ExtBuilder::default().build_and_execute(|| {
		assert!(!<Registry as OperatorRegistry<_, _>>::is_operator(&1));
		assert_eq!(<Registry as OperatorRegistry<_, _>>::bond(&1), 0);
		assert_eq!(<Registry as OperatorRegistry<_, _>>::slashable_balance(&1), 0);
		assert_eq!(<Registry as OperatorRegistry<_, _>>::commission_at(&1, 0), None);
		assert_eq!(<Registry as OperatorRegistry<_, _>>::consumer_key(&1, 1, 0), None);
		assert!(!<Registry as OperatorRegistry<_, _>>::is_active(&1));

		register(1, 300);
		opt_in(1, 1, 1);
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 50));
		assert_ok!(Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(2)));

		assert!(<Registry as OperatorRegistry<_, _>>::is_operator(&1));
		assert!(<Registry as OperatorRegistry<_, _>>::is_active(&1));
		assert!(<Registry as OperatorRegistry<_, _>>::is_opted_in(&1, 1, 0));
		assert!(<Registry as OperatorRegistry<_, _>>::is_eligible(&1, 1, 0));
		assert!(!<Registry as OperatorRegistry<_, _>>::is_eligible(&1, 2, 0));
		assert_eq!(<Registry as OperatorRegistry<_, _>>::bond(&1), 250);
		assert_eq!(<Registry as OperatorRegistry<_, _>>::slashable_balance(&1), 300);
		assert_eq!(
			<Registry as OperatorRegistry<_, _>>::commission_at(&1, 0),
			Some(Perbill::from_percent(10))
		);
		assert_eq!(<Registry as OperatorRegistry<_, _>>::consumer_key(&1, 1, 0), Some(key(1)));
		assert_eq!(<Registry as OperatorRegistry<_, _>>::consumer_key(&1, 1, 1), Some(key(2)));
		// Both the current and the pending key point at the operator.
		assert_eq!(<Registry as OperatorRegistry<_, _>>::operator_of_key(1, &key(1)), Some(1));
		assert_eq!(<Registry as OperatorRegistry<_, _>>::operator_of_key(1, &key(2)), Some(1));
		assert_eq!(<Registry as OperatorRegistry<_, _>>::operator_of_key(2, &key(1)), None);
	});
}

#[test]
fn empty_registry_knows_nobody() {
	type Empty = ();
	assert!(!<Empty as OperatorRegistry<u64, u64>>::is_operator(&1));
	assert!(<Empty as OperatorRegistry<u64, u64>>::jail(&1, 5).is_err());
	assert_eq!(<Empty as OperatorRegistry<u64, u64>>::slash_bond(&1, 5), 0);
	assert!(<Empty as OperatorRegistry<u64, u64>>::opted_in_operators(1, 0).is_empty());
}
