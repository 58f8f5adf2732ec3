//! `claim_operator_rewards` a page at a time: at most [`OPERATOR_CLAIM_PAGE`] memberships a
//! call, resuming where the previous call stopped; the same money as settling them all at
//! once, each membership settled and paid once. `claim_pool_rewards` likewise, a page of
//! [`POOL_CLAIM_PAGE`] (pool, consumer) records at a time.

use crate::{
	mock::*, weights::WeightInfo, Error, Event, Members, OperatorClaimCursors, PoolClaimCursors,
	PoolShares, RewardPerPower, OPERATOR_CLAIM_PAGE, POOL_CLAIM_PAGE,
};
use frame_support::{assert_noop, assert_ok, dispatch::PostDispatchInfo};
use palisade_primitives::{ConsumerId, PoolId, PoolRewardsSource};

/// The operator of these tests.
const OPERATOR: AccountId = 11;

/// Operator 11 (bond 500, 10% commission) alone in the sets of `n` consumers (`MaxConsumers`
/// and `MaxOperatorMemberships` raised to `n`), each paying a different amount per epoch and
/// every other one with a pool behind the operator (so that the operator's weight is not its
/// whole power), after two paid epochs. Returns the consumers.
fn operator_in_many_sets(n: u32) -> Vec<ConsumerId> {
	MaxConsumersBound::set(n.max(MAX_CONSUMERS));
	MaxMemberships::set(n.max(MAX_CONSUMERS));
	set_operator(OPERATOR, 500, sp_runtime::Perbill::from_percent(10));
	let consumers: Vec<ConsumerId> = (0..n)
		.map(|i| {
			let admin = 1 + AccountId::from(i % 8);
			let id = register_with(admin, params(1, 4, 0, 100, 1_000 + Balance::from(i) * 7));
			fund(id, 10_000);
			opt_in_with_key(id, OPERATOR, key_of(OPERATOR));
			if i % 2 == 0 {
				back(OPERATOR, id, 1, 100 + Balance::from(i));
			}
			id
		})
		.collect();
	next_epoch();
	next_epoch();
	assert!(consumers.iter().all(|id| Members::<Test>::contains_key(OPERATOR, id)));
	consumers
}

/// `claim_operator_rewards(OPERATOR)` by [`FUNDER`]; its post-dispatch info.
fn claim_page() -> PostDispatchInfo {
	Consumers::claim_operator_rewards(RuntimeOrigin::signed(FUNDER), OPERATOR)
		.expect("the claim succeeds")
}

/// The `OperatorRewardsClaimed` events since the last call: (amount, settled, more).
fn claims() -> Vec<(Balance, u32, bool)> {
	consumer_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::OperatorRewardsClaimed {
				amount, memberships_settled, more_to_settle, ..
			} => Some((amount, memberships_settled, more_to_settle)),
			_ => None,
		})
		.collect()
}

/// How many of the operator's memberships are settled at their consumer's current index.
fn settled_now() -> usize {
	Members::<Test>::iter_prefix(OPERATOR)
		.filter(|(consumer, member)| {
			member.reward_per_power == RewardPerPower::<Test>::get(consumer) && member.owed == 0
		})
		.count()
}

#[test]
fn an_operator_with_64_memberships_is_paid_the_same_total_in_pages_of_8() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an operator in 64 sets, each owing it two epochs of rewards.
		operator_in_many_sets(64);
		// What one claim settling every membership at once (the call before it was paged)
		// paid: each membership settled at its consumer's current index.
		let owed = Consumers::pending_operator_rewards(&OPERATOR);
		assert!(owed > 64 * 1_000);
		let before = free(OPERATOR);
		assert_eq!(settled_now(), 0);
		consumer_events();

		// When it claims 8 times: each call settles the next 8 memberships, charged for 8.
		for page in 1..=8usize {
			let info = claim_page();
			assert_eq!(
				info.actual_weight,
				Some(<() as WeightInfo>::claim_operator_rewards(OPERATOR_CLAIM_PAGE))
			);
			assert_eq!(settled_now(), 8 * page, "page {page} settles 8 new memberships");
			assert_eq!(OperatorClaimCursors::<Test>::contains_key(OPERATOR), page < 8);
		}

		// Then it was paid exactly that total, each page announcing whether more follow.
		let events = claims();
		assert_eq!(events.len(), 8);
		assert!(events.iter().all(|(_, settled, _)| *settled == 8));
		assert_eq!(
			events.iter().map(|(_, _, more)| *more).collect::<Vec<_>>(),
			[true, true, true, true, true, true, true, false]
		);
		assert!(events.iter().all(|(amount, _, _)| *amount > 0));
		assert_eq!(events.iter().map(|(amount, _, _)| amount).sum::<Balance>(), owed);
		assert_eq!(free(OPERATOR), before + owed);
		assert_eq!(Consumers::pending_operator_rewards(&OPERATOR), 0);

		// And a second sweep pays nothing more: nothing is paid twice.
		for _ in 0..8 {
			claim_page();
		}
		assert!(claims().iter().all(|(amount, _, _)| *amount == 0));
		assert_eq!(free(OPERATOR), before + owed);
		assert!(!OperatorClaimCursors::<Test>::contains_key(OPERATOR));
	});
}

#[test]
fn a_sweep_across_an_epoch_and_a_single_claim_pay_each_membership_once() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an operator in 20 sets (pages of 8, 8 and 4). Within an epoch, a claim only
		// moves money from what the operator is owed to its account: `received + pending`
		// stays what it was owed; an epoch adds what it earned.
		let consumers = operator_in_many_sets(20);
		let before = free(OPERATOR);
		let received = || free(OPERATOR) - before;
		let pending = || Consumers::pending_operator_rewards(&OPERATOR);
		let owed = pending();

		// When it claims one page, then on its own one membership of a later page ...
		claim_page();
		assert_eq!(received() + pending(), owed);
		let later = consumers
			.iter()
			.copied()
			.find(|id| {
				Members::<Test>::get(OPERATOR, id)
					.is_some_and(|m| m.reward_per_power != RewardPerPower::<Test>::get(id))
			})
			.unwrap();
		assert_ok!(Consumers::claim_operator_rewards_of(
			RuntimeOrigin::signed(FUNDER),
			OPERATOR,
			later
		));
		assert_eq!(received() + pending(), owed);
		// ... and the sweep goes on, across an epoch that pays every consumer again.
		claim_page();
		assert_eq!(received() + pending(), owed);
		next_epoch();
		let owed = received() + pending();
		claim_page();
		assert_eq!(received() + pending(), owed);

		// Then a whole sweep more leaves nothing owed: it received exactly what it earned,
		// the membership claimed on its own paid once.
		for _ in 0..3 {
			claim_page();
		}
		assert_eq!(pending(), 0);
		assert_eq!(received(), owed);
		let paid: Balance = claims().iter().map(|(amount, _, _)| amount).sum();
		assert_eq!(paid, owed);
	});
}

#[test]
fn a_page_owing_nothing_moves_on_and_only_a_whole_list_owing_nothing_fails() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an operator in 9 sets whose rewards were all claimed (pages of 8 and 1).
		operator_in_many_sets(9);
		claim_page();
		let last = claim_page();
		assert_eq!(last.actual_weight, Some(<() as WeightInfo>::claim_operator_rewards(1)));
		assert_eq!(
			claims().iter().map(|(_, settled, more)| (*settled, *more)).collect::<Vec<_>>(),
			[(8, true), (1, false)]
		);

		// When it claims again, the first page owes nothing: the call succeeds paying nothing
		// and moves on, and so does the next, back to the start.
		let before = free(OPERATOR);
		claim_page();
		assert!(OperatorClaimCursors::<Test>::contains_key(OPERATOR));
		claim_page();
		assert!(!OperatorClaimCursors::<Test>::contains_key(OPERATOR));
		assert_eq!(claims(), [(0, 8, true), (0, 1, false)]);
		assert_eq!(free(OPERATOR), before);

		// But an operator whose whole list fits a page and owes nothing fails, changing
		// nothing.
		set_operator(12, 500, sp_runtime::Perbill::zero());
		opt_in_with_key(0, 12, key_of(12));
		next_epoch();
		assert_ok!(claim_operator(12));
		assert_noop!(claim_operator(12), Error::<Test>::NothingToClaim);
	});
}

#[test]
fn a_cursor_left_on_an_ended_membership_still_resumes() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an operator in 12 sets that claimed one page (the cursor on its 8th).
		operator_in_many_sets(12);
		let before = free(OPERATOR);
		let received = || free(OPERATOR) - before;
		let pending = || Consumers::pending_operator_rewards(&OPERATOR);
		claim_page();
		let cursor = OperatorClaimCursors::<Test>::get(OPERATOR).unwrap();
		consumer_events();

		// When the membership the cursor names ends (the operator opts out and leaves the set;
		// what the membership owed moves to its ended memberships' balance).
		opt_out(cursor, OPERATOR);
		next_epoch();
		assert!(!Members::<Test>::contains_key(OPERATOR, cursor));
		let owed = received() + pending();

		// Then the next page starts after it all the same (the 4 memberships after it), with
		// what the ended one owed, and one more page settles the rest.
		claim_page();
		let page = claims();
		assert_eq!(
			page.iter().map(|(_, settled, more)| (*settled, *more)).collect::<Vec<_>>(),
			[(4, false)]
		);
		assert!(page.iter().all(|(amount, _, _)| *amount > 0));
		claim_page();
		assert_eq!(pending(), 0);
		assert_eq!(received(), owed);
	});
}

// ---------------------------------------------------------------------------------------------
// `claim_pool_rewards` a page at a time: at most `POOL_CLAIM_PAGE` (pool, consumer) records a
// call, resuming where the previous call stopped.
// ---------------------------------------------------------------------------------------------

/// The pool of these tests.
const POOL: PoolId = 1;

/// Pool 1 backing operator 11 (bond 500, 10% commission) in the sets of `n` consumers
/// (`MaxConsumers`, `MaxOperatorMemberships` and `MaxConsumersPerPool` raised to `n`), each
/// paying a different amount per epoch and the pool backing a different amount in each, after
/// two paid epochs.
fn pool_in_many_sets(n: u32) {
	MaxConsumersBound::set(n.max(MAX_CONSUMERS));
	MaxMemberships::set(n.max(MAX_CONSUMERS));
	MaxConsumersPerPoolBound::set(n.max(MAX_CONSUMERS));
	set_operator(OPERATOR, 500, sp_runtime::Perbill::from_percent(10));
	for i in 0..n {
		let admin = 1 + AccountId::from(i % 8);
		let id = register_with(admin, params(1, 4, 0, 100, 1_000 + Balance::from(i) * 7));
		fund(id, 10_000);
		opt_in_with_key(id, OPERATOR, key_of(OPERATOR));
		back(OPERATOR, id, POOL, 100 + 13 * Balance::from(i));
	}
	next_epoch();
	next_epoch();
	assert_eq!(PoolShares::<Test>::iter_prefix(POOL).count() as u32, n);
}

/// `claim_pool_rewards(POOL)` by [`FUNDER`]; its post-dispatch info.
fn claim_pool_page() -> PostDispatchInfo {
	Consumers::claim_pool_rewards(RuntimeOrigin::signed(FUNDER), POOL).expect("the claim succeeds")
}

/// The `PoolRewardsClaimed` events since the last call: (amount, settled, more).
fn pool_claims() -> Vec<(Balance, u32, bool)> {
	consumer_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::PoolRewardsClaimed { amount, records_settled, more_to_settle, .. } => {
				Some((amount, records_settled, more_to_settle))
			}
			_ => None,
		})
		.collect()
}

/// What the pools pallet's claim (every record at once, as `claim_pool_rewards` did before it
/// was paged) pays pool 1 backing `n` consumers after two paid epochs, in a fresh run.
fn paid_at_once(n: u32) -> Balance {
	let mut ext = ExtBuilder::default().build();
	ext.execute_with(|| {
		pool_in_many_sets(n);
		let before = free(pool_account(POOL));
		let weight = Consumers::claim_for_pool(POOL);
		assert_eq!(weight, <() as WeightInfo>::claim_pool_rewards(n));
		assert_eq!(Consumers::pending_pool_rewards(POOL), 0);
		free(pool_account(POOL)) - before
	})
}

#[test]
fn a_pool_backing_12_consumers_is_paid_the_same_total_in_two_pages_of_6() {
	assert_eq!(POOL_CLAIM_PAGE, 6);
	let at_once = paid_at_once(12);
	ExtBuilder::default().build_and_execute(|| {
		// Given pool 1 backing operator 11 in 12 sets, each record owing two epochs.
		pool_in_many_sets(12);
		let owed = Consumers::pending_pool_rewards(POOL);
		assert_eq!(owed, at_once);
		let before = free(pool_account(POOL));
		consumer_events();

		// When anyone claims twice: each call settles the next 6 records, charged for 6 (the
		// call is charged for a page, not for `MaxConsumersPerPool`).
		for page in 1..=2 {
			let info = claim_pool_page();
			assert_eq!(
				info.actual_weight,
				Some(<() as WeightInfo>::claim_pool_rewards(POOL_CLAIM_PAGE))
			);
			assert_eq!(PoolClaimCursors::<Test>::contains_key(POOL), page < 2);
		}

		// Then the pool was paid exactly what one claim of every record pays, each page
		// announcing whether more follow.
		let events = pool_claims();
		assert_eq!(
			events.iter().map(|(_, settled, more)| (*settled, *more)).collect::<Vec<_>>(),
			[(6, true), (6, false)]
		);
		assert!(events.iter().all(|(amount, _, _)| *amount > 0));
		assert_eq!(events.iter().map(|(amount, _, _)| amount).sum::<Balance>(), owed);
		assert_eq!(free(pool_account(POOL)), before + owed);
		assert_eq!(Consumers::pending_pool_rewards(POOL), 0);

		// And a second sweep pays nothing more: nothing is paid twice.
		claim_pool_page();
		claim_pool_page();
		assert_eq!(pool_claims(), [(0, 6, true), (0, 6, false)]);
		assert_eq!(free(pool_account(POOL)), before + owed);
		assert!(!PoolClaimCursors::<Test>::contains_key(POOL));
	});
}

#[test]
fn a_pool_sweep_across_an_epoch_pays_each_record_once() {
	ExtBuilder::default().build_and_execute(|| {
		// Given pool 1 in 9 sets (pages of 6 and 3); within an epoch a claim only moves what
		// the pool is owed into it: `received + pending` stays what it was owed.
		pool_in_many_sets(9);
		let before = free(pool_account(POOL));
		let received = || free(pool_account(POOL)) - before;
		let pending = || Consumers::pending_pool_rewards(POOL);
		let owed = pending();

		// When it claims one page, the pools pallet claims everything (its path is not
		// paged), an epoch pays every consumer again, and the sweep goes on.
		claim_pool_page();
		assert_eq!(received() + pending(), owed);
		Consumers::claim_for_pool(POOL);
		assert_eq!((received(), pending()), (owed, 0));
		next_epoch();
		let owed = received() + pending();
		claim_pool_page();
		assert_eq!(received() + pending(), owed);
		assert!(!PoolClaimCursors::<Test>::contains_key(POOL));

		// Then one more page leaves nothing owed: the pool received exactly what it earned.
		claim_pool_page();
		assert_eq!((received(), pending()), (owed, 0));
	});
}

#[test]
fn a_pool_page_owing_nothing_moves_on_and_only_a_whole_list_owing_nothing_fails() {
	ExtBuilder::default().build_and_execute(|| {
		// Given pool 1 in 7 sets, all claimed (pages of 6 and 1).
		pool_in_many_sets(7);
		claim_pool_page();
		let last = claim_pool_page();
		assert_eq!(last.actual_weight, Some(<() as WeightInfo>::claim_pool_rewards(1)));
		consumer_events();

		// When it is claimed again, each page owes nothing: the calls succeed paying nothing
		// and the sweep moves on, back to the start.
		claim_pool_page();
		assert!(PoolClaimCursors::<Test>::contains_key(POOL));
		claim_pool_page();
		assert!(!PoolClaimCursors::<Test>::contains_key(POOL));
		assert_eq!(pool_claims(), [(0, 6, true), (0, 1, false)]);

		// But a pool whose whole list fits a page and owes nothing fails, changing nothing.
		back(OPERATOR, 0, 2, 50);
		next_epoch();
		assert_ok!(claim_pool(2));
		assert_noop!(claim_pool(2), Error::<Test>::NothingToClaim);
	});
}

#[test]
fn a_pool_that_cannot_take_its_rewards_keeps_them_and_its_place() {
	ExtBuilder::default().build_and_execute(|| {
		// Given pool 1 in 9 sets, one page claimed (the cursor after the 6th record).
		pool_in_many_sets(9);
		claim_pool_page();
		let cursor = PoolClaimCursors::<Test>::get(POOL);
		let owed = Consumers::pending_pool_rewards(POOL);

		// When the pool cannot take rewards (no LRT holder), the next page fails and changes
		// nothing: still owed, the cursor where it was.
		fail_pool(POOL);
		assert!(Consumers::claim_pool_rewards(RuntimeOrigin::signed(FUNDER), POOL).is_err());
		assert_eq!(Consumers::pending_pool_rewards(POOL), owed);
		assert_eq!(PoolClaimCursors::<Test>::get(POOL), cursor);
	});
}
