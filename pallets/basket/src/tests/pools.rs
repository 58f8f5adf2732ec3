//! A basket's pools over time: a closed pool is skipped by deposits; the curator replaces,
//! drops or weights again a pool, and the LRT of a pool no longer weighted (retired) stays in
//! the basket, valued and redeemed pro rata.

use super::*;
use frame_support::assert_noop;

/// `who` makes `count` deposits of 1_000 U into `basket`.
fn deposits(basket: BasketId, who: AccountId, count: u32) {
	for _ in 0..count {
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(who), basket, 1_000 * U));
	}
}

#[test]
fn deposits_skip_a_closed_pool_even_below_its_weight() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a 60/40 basket holding 1_000 U of each pool: pool 0 is below its weight.
		let id = basket(&[(0, 60), (1, 40)]);
		deposit_into(id, 1, 0, 1_000 * U);
		deposit_into(id, 2, 1, 1_000 * U);

		// When pool 0 closes, a deposit goes to pool 1, the only open one (its weight then
		// counts for all: no cap).
		MockPools::set_open(0, false);
		deposit_into(id, 3, 1, 3_000 * U);
		assert_eq!(held(id), vec![1_000 * U, 4_000 * U]);

		// When pool 0 reopens, deposits follow the weights again.
		MockPools::set_open(0, true);
		deposit_into(id, 3, 0, 1_000 * U);
	});
}

#[test]
fn a_deposit_needs_an_open_weighted_pool_but_redemptions_never_do() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a basket holding LRT of pool 0 (retired) and of pools 1 and 2 (weighted).
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 1, 0, 1_000 * U);
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(1, 50), (2, 50)])));
		deposit_into(id, 1, 1, 1_000 * U);
		deposit_into(id, 1, 2, 1_000 * U);

		// When both weighted pools close, no deposit is taken (the retired pool, open, takes
		// none either)...
		MockPools::set_open(1, false);
		MockPools::set_open(2, false);
		assert_noop!(
			Basket::deposit(RuntimeOrigin::signed(2), id, 1_000 * U),
			Error::<Test>::NoOpenPool
		);
		// ...and a redemption pays every pool's LRT, closed or retired.
		let held_before = held(id);
		redeem_all(id, 1);
		assert_eq!(lrt(1, &1), held_before[0]);
		assert_eq!(lrt(2, &1), held_before[1]);
		assert_eq!(lrt(0, &1), held_before[2]);
	});
}

#[test]
fn dropping_a_pool_retires_it_and_keeps_its_lrt_redeemable_pro_rata() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given holders 1 and 2 of a 50/50 basket over pools 0 and 1.
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 1, 0, 1_000 * U);
		deposit_into(id, 2, 1, 1_000 * U);
		let value = Basket::basket_value(id);
		basket_events();

		// When pool 0 closes and the curator replaces it by pool 2.
		MockPools::set_open(0, false);
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(1, 60), (2, 40)])));

		// Then pool 0 is retired: its LRT stays, valued with the rest; nothing moved.
		assert_eq!(
			basket_events(),
			vec![Event::WeightsSet {
				basket: id,
				weights: weights(&[(1, 60), (2, 40)]),
				retired: vec![0].try_into().unwrap(),
			}]
		);
		assert_eq!(Basket::pools_of(id), vec![1, 2, 0]);
		assert_eq!(held(id), vec![1_000 * U, 0, 1_000 * U]);
		assert_eq!(Basket::basket_value(id), value);

		// A new deposit goes to pool 2 (furthest below its 40%), none to pool 0.
		deposit_into(id, 3, 2, 1_000 * U);
		assert_eq!(held(id), vec![1_000 * U, 1_000 * U, 1_000 * U]);

		// Every redemption is owed its share of pool 0's LRT too (the third pool: paid by the
		// claim).
		let total = supply(id);
		let share = mul_div(1_000 * U, tokens(id, 1), total);
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));
		assert_eq!(owed(id, 1), vec![(0, share)]);
		claim_all(id, 1);
		assert_eq!(lrt(0, &1), share);
		redeem_all(id, 2);
		redeem_all(id, 3);
		assert_eq!(lrt(0, &1) + lrt(0, &2) + lrt(0, &3), 1_000 * U);
		assert!(lrt(0, &3) > 0);
		// Once no token is left, the retired pool (holding nothing) is forgotten.
		assert_eq!(Basket::pools_of(id), vec![1, 2]);
	});
}

#[test]
fn a_weight_change_moves_no_holders_value() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 30), (1, 70)]);
		deposit_into(id, 1, 1, 1_000 * U + 7);
		deposit_into(id, 1, 0, 400 * U);
		MockPools::reward(0, 13 * U);
		MockPools::slash(1, 29 * U);
		let value = Basket::basket_value(id);
		let account = Basket::basket_account(id);
		let lrt_before = (lrt(0, &account), lrt(1, &account));

		// Retire pool 0, add pool 2, reorder, weight pool 0 again: nothing the basket holds
		// moves, its value stays.
		for pairs in [&[(1, 50), (2, 50)][..], &[(2, 10), (0, 20), (1, 70)], &[(0, 50), (1, 50)]] {
			assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(pairs)));
			assert_eq!(Basket::basket_value(id), value);
			assert_eq!((lrt(0, &account), lrt(1, &account)), lrt_before);
		}
		redeem_all(id, 1);
		assert_eq!(lrt_worth(&1), value);
	});
}

#[test]
fn a_new_pool_must_be_open_but_a_weighted_pool_closed_since_may_stay() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 1, 0, 1_000 * U);
		deposit_into(id, 1, 1, 1_000 * U);
		let set = |pairs: &[(PoolId, u32)]| {
			Basket::set_weights(RuntimeOrigin::signed(4), id, weights(pairs))
		};
		// A closed pool, an asset pool, a pool that does not exist: not taken in.
		MockPools::set_open(2, false);
		assert_noop!(set(&[(0, 50), (2, 50)]), Error::<Test>::PoolNotEligible);
		assert_noop!(set(&[(0, 50), (3, 50)]), Error::<Test>::PoolNotEligible);
		assert_noop!(set(&[(0, 50), (9, 50)]), Error::<Test>::PoolNotEligible);
		assert_noop!(set(&[(0, 50), (0, 50)]), Error::<Test>::DuplicatePool);
		// Pool 1, weighted already, closed since: the curator may still reweight around it.
		MockPools::set_open(1, false);
		assert_ok!(set(&[(0, 70), (1, 30)]));
		// Once retired, a closed pool is not weighted again until it reopens.
		MockPools::set_open(2, true);
		assert_ok!(set(&[(0, 50), (2, 50)]));
		assert_eq!(Basket::pools_of(id), vec![0, 2, 1]);
		assert_noop!(set(&[(0, 50), (1, 50)]), Error::<Test>::PoolNotEligible);
		MockPools::set_open(1, true);
		assert_ok!(set(&[(0, 50), (1, 50)]));
	});
}

#[test]
fn a_retired_pool_weighted_again_keeps_its_lrt() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 1, 0, 1_000 * U);
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(1, 50), (2, 50)])));
		assert_eq!(held(id), vec![0, 0, 1_000 * U]);
		basket_events();

		// Pool 0 weighted again: it keeps its LRT; pool 2, holding nothing, is dropped.
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(0, 50), (1, 50)])));
		assert_eq!(
			basket_events(),
			vec![Event::WeightsSet {
				basket: id,
				weights: weights(&[(0, 50), (1, 50)]),
				retired: Default::default(),
			}]
		);
		assert_eq!(Basket::pools_of(id), vec![0, 1]);
		assert_eq!(held(id), vec![1_000 * U, 0]);
	});
}

#[test]
fn a_basket_keeps_at_most_twice_max_pools_weighted_and_retired() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Pools 4 to 10 besides 0, 1, 2; at most 4 weighted, 8 in all.
		let extra = more_pools(7);
		let (p4, p5, p6, p7, p8, p9, p10) =
			(extra[0], extra[1], extra[2], extra[3], extra[4], extra[5], extra[6]);
		let id = basket(&[(0, 25), (1, 25), (2, 25), (p4, 25)]);
		// Four deposits: each goes to an empty pool (the furthest below its weight).
		deposits(id, 1, 4);
		assert!(held(id).iter().all(|lrt| *lrt > 0));
		let set = |pairs: &[(PoolId, u32)]| {
			Basket::set_weights(RuntimeOrigin::signed(4), id, weights(pairs))
		};
		// Four new pools: the four old ones retired, eight in all.
		assert_ok!(set(&[(p5, 25), (p6, 25), (p7, 25), (p8, 25)]));
		deposits(id, 1, 4);
		assert_eq!(Basket::pools_of(id).len(), 8);
		assert!(held(id).iter().all(|lrt| *lrt > 0));
		// Ten: refused.
		assert_noop!(set(&[(p9, 50), (p10, 50)]), Error::<Test>::TooManyHeldPools);
		// Dropping two (retired) keeps eight: accepted; a ninth is refused.
		assert_ok!(set(&[(p5, 50), (p6, 50)]));
		assert_eq!(Basket::pools_of(id), vec![p5, p6, p7, p8, 0, 1, 2, p4]);
		assert_noop!(set(&[(p5, 50), (p9, 50)]), Error::<Test>::TooManyHeldPools);
		// A retired pool weighted again takes no new slot.
		assert_ok!(set(&[(p5, 50), (p7, 50)]));
		// The last redemption empties the retired pools (what is owed of them waits for the
		// claims apart): slots free again.
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));
		assert_eq!(Basket::pools_of(id), vec![p5, p7]);
		assert_eq!(owed(id, 1).len(), 6);
		assert_ok!(set(&[(p9, 50), (p10, 50)]));
		claim_all(id, 1);
		assert_eq!(lrt(p6, &1), 1_000 * U);
	});
}

#[test]
fn a_pool_gone_for_good_is_skipped_and_dropped() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a basket over pools 0 and 1 (the larger weight) without deposits, and pool 1
		// closed for good by its curator (it was empty).
		let id = basket(&[(0, 40), (1, 60)]);
		MockPools::remove(1);

		// Deposits all go to pool 0.
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_eq!(held(id), vec![1_000 * U, 0]);
		assert_eq!(tokens(id, 1), 1_000 * U);

		// The curator replaces it: it held nothing, so it is simply dropped.
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(0, 50), (2, 50)])));
		assert_eq!(Basket::pools_of(id), vec![0, 2]);
		redeem_all(id, 1);
		assert_eq!(lrt(0, &1), 1_000 * U);
	});
}
