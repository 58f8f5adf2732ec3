//! Hostile users against the registry: keys that frame an operator, consumers that cannot be
//! opted in to, schedules flooded past a block, slashes outrun by an exit, pools that back an
//! operator without its consent. Each test is named after the attack and states the
//! attacker's gain before and after the change.

use crate::{
	mock::*, AcceptedPools, ConsumerOperators, Error, Event, KeyOwners, OptIns, ScheduledCount,
	UsedKeys,
};
use frame_support::{assert_noop, assert_ok};
use palisade_primitives::{OperatorRegistry, OptInRemoval};
use sp_runtime::Perbill;

fn opt_in(who: AccountId, consumer: u32, k: u8) {
	assert_ok!(Operators::opt_in(RuntimeOrigin::signed(who), consumer, key(k)));
}

/// GRANDPA votes carry no chain id: with one key on consumers 1 and 2, two honest votes (one
/// per chain) for the same round and set id are a "valid" equivocation proof against the
/// operator. Before: a hostile consumer (or anyone watching both chains) could slash the
/// operator's whole equivocation fraction for free. After: the second registration of a key
/// is refused, by the same operator or another, for another consumer or the same one.
#[test]
fn one_key_on_two_consumers_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		register(2, 200);
		opt_in(1, 1, 7);

		// The same operator on another consumer.
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(1), 2, key(7)),
			Error::<Test>::KeyAlreadyUsed
		);
		// Another operator on another consumer (a hostile one framing operator 1).
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(2), 2, key(7)),
			Error::<Test>::KeyAlreadyUsed
		);
		// Rotating to it elsewhere.
		opt_in(2, 2, 8);
		assert_noop!(
			Operators::set_consumer_key(RuntimeOrigin::signed(2), 2, key(7)),
			Error::<Test>::KeyAlreadyUsed
		);
		assert_eq!(UsedKeys::<Test>::get(key(7)), Some((1, 1)));
		assert_eq!(UsedKeys::<Test>::get(key(8)), Some((2, 2)));
	});
}

/// A consumer key equal to one of Palisade's own session keys (GRANDPA or Aura) lets a
/// Palisade vote and a consumer vote form an equivocation. Before: the demo world itself gave
/// `//Bob//stash` the `//Bob` ed25519 key, a Palisade GRANDPA key. After: refused.
#[test]
fn palisade_session_key_cannot_be_a_consumer_key() {
	ExtBuilder::default().build_and_execute(|| {
		MockReservedKeys::set(vec![key(5)]);
		register(1, 200);
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(1), 1, key(5)),
			Error::<Test>::ReservedKey
		);
		opt_in(1, 1, 6);
		assert_noop!(
			Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(5)),
			Error::<Test>::ReservedKey
		);
	});
}

/// A key released by a rotation or an opt-out signed votes in the past: reused (by anyone, for
/// any consumer), an old vote and a new one may form an equivocation. Before: a released key
/// was free again. After: a key is used once, ever.
#[test]
fn released_key_is_never_reused() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		register(2, 200);
		opt_in(1, 1, 1);
		// Rotated away from key 1, and key 2 replaced by key 3 before it took effect.
		assert_ok!(Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(2)));
		assert_ok!(Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(3)));
		start_epoch(1);
		assert_eq!(KeyOwners::<Test>::get(1, key(1)), None);
		assert_eq!(KeyOwners::<Test>::get(1, key(2)), None);
		// Opted out: key 3 released too.
		assert_ok!(Operators::opt_out(RuntimeOrigin::signed(1), 1));
		start_epoch(1 + OPT_OUT_DELAY);
		assert!(OptIns::<Test>::get(1, 1).is_none());

		for k in [1, 2, 3] {
			for (who, consumer) in [(1, 1), (2, 1), (2, 2)] {
				assert_noop!(
					Operators::opt_in(RuntimeOrigin::signed(who), consumer, key(k)),
					Error::<Test>::KeyAlreadyUsed
				);
			}
		}
		opt_in(1, 1, 4);
		assert_noop!(
			Operators::set_consumer_key(RuntimeOrigin::signed(1), 1, key(1)),
			Error::<Test>::KeyAlreadyUsed
		);
	});
}

/// Opting in to a deregistered consumer kept its record alive (its reaping waited for every
/// operator to leave). Before: one opt-in blocked `reap_consumer` for ever. After: a
/// deregistered consumer accepts no opt-in.
#[test]
fn opt_in_to_a_deregistered_consumer_is_refused() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		MockConsumerRegistry::deregister(2);
		assert_noop!(
			Operators::opt_in(RuntimeOrigin::signed(1), 2, key(1)),
			Error::<Test>::ConsumerNotAccepting
		);
		opt_in(1, 1, 1);
	});
}

/// When a consumer is reaped, its opt-ins are removed, a page at a time, whoever holds them.
/// Before: an operator that never opted out kept the consumer's record (and its depositor's
/// deposit) for ever. After: nothing is left, the operators' slots are free and the keys stay
/// used. Each page takes at most `limit` opt-ins off the end of the consumer's index (the most
/// recent first) and says how many remain.
#[test]
fn reaped_consumer_opt_ins_are_removed() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 200);
		register(2, 200);
		opt_in(1, 1, 1);
		opt_in(1, 2, 2);
		opt_in(2, 1, 3);
		assert_ok!(Operators::opt_out(RuntimeOrigin::signed(2), 1));
		set_epoch(1);
		operator_events();

		// A first page of one takes the latest opt-in (operator 2's, leaving or not).
		let page = <Operators as OperatorRegistry<_, _>>::remove_consumer_opt_ins(1, 1);
		assert_eq!(page, OptInRemoval { removed: 1, remaining: 1 });
		assert_eq!(operator_events(), vec![Event::OptedOut { operator: 2, consumer: 1, epoch: 1 }]);
		assert_eq!(ConsumerOperators::<Test>::get(1).to_vec(), vec![1]);
		assert!(record(2).consumers.is_empty());
		assert_eq!(KeyOwners::<Test>::iter_prefix(1).count(), 1);

		// The next page, larger than what is left, takes the rest and removes the index.
		let page = <Operators as OperatorRegistry<_, _>>::remove_consumer_opt_ins(1, 5);
		assert_eq!(page, OptInRemoval { removed: 1, remaining: 0 });
		MockConsumerRegistry::set_consumers(vec![2]);

		assert_eq!(operator_events(), vec![Event::OptedOut { operator: 1, consumer: 1, epoch: 1 }]);
		assert!(!ConsumerOperators::<Test>::contains_key(1));
		assert_eq!(record(1).consumers.to_vec(), vec![2]);
		assert_eq!(KeyOwners::<Test>::iter_prefix(1).count(), 0);
		assert_eq!(UsedKeys::<Test>::get(key(1)), Some((1, 1)));
		// Nothing left: a further page removes and writes nothing.
		assert_eq!(
			<Operators as OperatorRegistry<_, _>>::remove_consumer_opt_ins(1, 5),
			OptInRemoval::default()
		);
		assert!(operator_events().is_empty());
		// The stale schedule entry of operator 2's opt-out is harmless.
		start_epoch(OPT_OUT_DELAY);
	});
}

/// An attacker fills an epoch's schedule (before: at most 256 entries were recorded per
/// epoch, the rest silently dropped) so that honest opt-outs due that epoch are never
/// finalised: their stale entries keep the consumer's `MaxOperatorsPerConsumer` slots, and
/// new operators get `TooManyOperators`. Before: the consumer was closed to newcomers until
/// each leaver happened to touch its record. After: every change is recorded and finalised,
/// spread over blocks; the slots are free one block later.
#[test]
fn flooded_schedule_still_frees_opt_out_slots() {
	ExtBuilder::default().build_and_execute(|| {
		// Given the consumer full of operators that all opt out for the same epoch ...
		for who in 1..=(MAX_OPERATORS as u64) {
			register(who, 200);
			opt_in(who, 1, who as u8);
			assert_ok!(Operators::opt_out(RuntimeOrigin::signed(who), 1));
		}
		// ... and an attacker's junk changes for that epoch, more than a block finalises.
		let due = OPT_OUT_DELAY;
		for who in (MAX_OPERATORS as u64 + 1)..=10 {
			register(who, 200);
		}
		set_epoch(due - COMMISSION_DELAY);
		for who in 5..=10 {
			assert_ok!(Operators::set_commission(
				RuntimeOrigin::signed(who),
				Perbill::from_percent(20)
			));
		}
		assert_eq!(ScheduledCount::<Test>::get(due), MAX_OPERATORS + 6);
		assert!(ScheduledCount::<Test>::get(due) > MAX_FINALISED);

		// When the epoch starts and one more block runs.
		start_epoch(due);
		next_block();

		// Then every opt-out is finalised and a newcomer gets a slot.
		assert!(ConsumerOperators::<Test>::get(1).is_empty());
		assert_eq!(ScheduledCount::<Test>::get(due), 0);
		assert_ok!(Operators::opt_in(RuntimeOrigin::signed(10), 1, key(10)));
	});
}

/// A slash reported but not executed yet (queued behind the slash meter, or behind a flood of
/// other reports) must find the bond it was computed on. Before: the operator could withdraw
/// its unbonded funds (or deregister and leave) first and keep everything the slash would
/// have taken. After: both wait while a slash of the operator is pending.
#[test]
fn pending_slash_blocks_withdrawal_and_deregistration() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 300);
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 100));
		set_epoch(UNBONDING_DELAY);
		MockPending::set_operators(vec![1]);

		assert_noop!(
			Operators::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::SlashPending
		);
		assert_noop!(Operators::deregister(RuntimeOrigin::signed(1)), Error::<Test>::SlashPending);

		// Once executed or cancelled, both work again.
		MockPending::set_operators(vec![]);
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));
	});
}

/// The slashing pallet names where a bond slash goes. Before: always the treasury, whatever
/// the `destination` parameter said (a "burn" setting still paid the treasury). After: paid to
/// the beneficiary, or burnt (total issuance goes down by exactly the amount).
#[test]
fn slash_bond_to_pays_the_beneficiary_or_burns() {
	ExtBuilder::default().build_and_execute(|| {
		register(1, 500);
		let issuance = Balances::total_issuance();
		let before = free(7);

		let paid = <Operators as OperatorRegistry<_, _>>::slash_bond_to(&1, 100, Some(7));
		assert_eq!(paid, 100);
		assert_eq!(free(7), before + 100);
		assert_eq!(Balances::total_issuance(), issuance);

		let burnt = <Operators as OperatorRegistry<_, _>>::slash_bond_to(&1, 50, None);
		assert_eq!(burnt, 50);
		assert_eq!(Balances::total_issuance(), issuance - 50);
		assert_eq!(held(1), 350);
		assert_eq!(record(1).bond, 350);
	});
}

/// A curator fills an operator's pool slots with dust allocations from pools the operator
/// never wanted. Before: opted in was enough to be allocated to. After (operator side): the
/// operator lists the pools it accepts, bounded by `MaxAcceptedPools`; the pools pallet checks
/// `accepts_pool`.
#[test]
fn pool_slots_need_operator_consent() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			Operators::accept_pool(RuntimeOrigin::signed(1), 0),
			Error::<Test>::NotOperator
		);
		register(1, 200);
		assert!(!<Operators as OperatorRegistry<_, _>>::accepts_pool(&1, 0));
		operator_events();

		assert_ok!(Operators::accept_pool(RuntimeOrigin::signed(1), 0));
		assert!(<Operators as OperatorRegistry<_, _>>::accepts_pool(&1, 0));
		assert!(!<Operators as OperatorRegistry<_, _>>::accepts_pool(&2, 0));
		assert_eq!(operator_events(), vec![Event::PoolAccepted { operator: 1, pool: 0 }]);
		assert_noop!(
			Operators::accept_pool(RuntimeOrigin::signed(1), 0),
			Error::<Test>::PoolAlreadyAccepted
		);
		for pool in 1..MAX_ACCEPTED_POOLS {
			assert_ok!(Operators::accept_pool(RuntimeOrigin::signed(1), pool));
		}
		assert_noop!(
			Operators::accept_pool(RuntimeOrigin::signed(1), 99),
			Error::<Test>::TooManyAcceptedPools
		);

		assert_ok!(Operators::reject_pool(RuntimeOrigin::signed(1), 0));
		assert!(!<Operators as OperatorRegistry<_, _>>::accepts_pool(&1, 0));
		assert_eq!(operator_events().last(), Some(&Event::PoolRejected { operator: 1, pool: 0 }));
		assert_noop!(
			Operators::reject_pool(RuntimeOrigin::signed(1), 0),
			Error::<Test>::PoolNotAccepted
		);
		assert_noop!(
			Operators::reject_pool(RuntimeOrigin::signed(2), 0),
			Error::<Test>::NotOperator
		);

		// A leaving operator accepts nothing new, and its list goes with its record.
		assert_ok!(Operators::deregister(RuntimeOrigin::signed(1)));
		assert_noop!(
			Operators::accept_pool(RuntimeOrigin::signed(1), 0),
			Error::<Test>::OperatorLeaving
		);
		assert_ok!(Operators::unbond(RuntimeOrigin::signed(1), 200));
		set_epoch(UNBONDING_DELAY);
		assert_ok!(Operators::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert!(!AcceptedPools::<Test>::contains_key(1));
	});
}
