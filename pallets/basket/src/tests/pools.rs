//! A basket's pools over time: a closed pool is skipped by deposits; the curator replaces,
//! drops or weights again a pool, and the LRT of a pool no longer weighted (retired) stays in
//! the basket, valued and redeemed pro rata.

use super::*;
use frame_support::assert_noop;

/// `count` more native pools (ids from 4 on in `with_pools`).
fn more_pools(count: u32) -> Vec<PoolId> {
	(0..count).map(|_| MockPools::create(true)).collect()
}

#[test]
fn deposits_skip_a_closed_pool_and_spread_over_the_open_ones() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a 50/30/20 basket with a first deposit.
		let id = basket(&[(0, 50), (1, 30), (2, 20)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_eq!(held(id), vec![500 * U, 300 * U, 200 * U]);
		basket_events();

		// When pool 1 closes and account 2 deposits 1_000 U.
		MockPools::set_open(1, false);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 1_000 * U));

		// Then pool 0 gets 5/7 of it (rounded down) and pool 2 the rest; pool 1 keeps what
		// it had, its rewards claimed before the basket was valued (as the deposits claimed
		// the others').
		let to_0 = mul_div(1_000 * U, 5, 7);
		let to_2 = 1_000 * U - to_0;
		assert_eq!(held(id), vec![500 * U + to_0, 300 * U, 200 * U + to_2]);
		assert!(MockPools::claims().ends_with(&[0, 1, 2]));
		let value_before = 1_000 * U + 3;
		assert_eq!(
			basket_events(),
			vec![Event::Deposited {
				who: 2,
				basket: id,
				amount: 1_000 * U,
				tokens: mul_div(1_000 * U, 1_000 * U, value_before),
				value_before,
				supply_before: 1_000 * U,
				parts: vec![(0, to_0, to_0), (2, to_2, to_2)].try_into().unwrap(),
			}]
		);

		// When pool 1 reopens, deposits follow the weights again.
		MockPools::set_open(1, true);
		let before = held(id);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(3), id, 1_000 * U));
		assert_eq!(held(id), vec![before[0] + 500 * U, before[1] + 300 * U, before[2] + 200 * U]);
	});
}

#[test]
fn a_deposit_needs_an_open_weighted_pool_but_redemptions_never_do() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a basket holding LRT of pool 0 (retired) and of pools 1 and 2 (weighted).
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(1, 50), (2, 50)])));
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));

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
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));
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
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 1_000 * U));
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

		// A new deposit goes 60/40 to pools 1 and 2, none to pool 0.
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(3), id, 1_000 * U));
		assert_eq!(held(id), vec![1_600 * U, 400 * U, 1_000 * U]);

		// Every redemption pays its share of pool 0's LRT too.
		let total = supply(id);
		let share = mul_div(1_000 * U, tokens(id, 1), total);
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));
		assert_eq!(lrt(0, &1), share);
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(2), id, tokens(id, 2)));
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(3), id, tokens(id, 3)));
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
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U + 7));
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
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));
		assert_eq!(lrt_worth(&1), value);
	});
}

#[test]
fn a_new_pool_must_be_open_but_a_weighted_pool_closed_since_may_stay() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
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
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(1, 50), (2, 50)])));
		assert_eq!(held(id), vec![500 * U, 0, 500 * U]);
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
		assert_eq!(held(id), vec![500 * U, 500 * U]);
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
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		let set = |pairs: &[(PoolId, u32)]| {
			Basket::set_weights(RuntimeOrigin::signed(4), id, weights(pairs))
		};
		// Four new pools: the four old ones retired, eight in all.
		assert_ok!(set(&[(p5, 25), (p6, 25), (p7, 25), (p8, 25)]));
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_eq!(Basket::pools_of(id).len(), 8);
		// Ten: refused.
		assert_noop!(set(&[(p9, 50), (p10, 50)]), Error::<Test>::TooManyHeldPools);
		// Dropping two (retired) keeps eight: accepted; a ninth is refused.
		assert_ok!(set(&[(p5, 50), (p6, 50)]));
		assert_eq!(Basket::pools_of(id), vec![p5, p6, p7, p8, 0, 1, 2, p4]);
		assert_noop!(set(&[(p5, 50), (p9, 50)]), Error::<Test>::TooManyHeldPools);
		// A retired pool weighted again takes no new slot.
		assert_ok!(set(&[(p5, 50), (p7, 50)]));
		// The last redemption empties the retired pools: slots free again.
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));
		assert_eq!(Basket::pools_of(id), vec![p5, p7]);
		assert_ok!(set(&[(p9, 50), (p10, 50)]));
	});
}

#[test]
fn a_pool_gone_for_good_is_skipped_and_dropped() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a basket over pools 0 and 1 without deposits, and pool 1 closed for good by
		// its curator (it was empty).
		let id = basket(&[(0, 50), (1, 50)]);
		MockPools::remove(1);

		// Deposits all go to pool 0.
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_eq!(held(id), vec![1_000 * U, 0]);
		assert_eq!(tokens(id, 1), 1_000 * U);

		// The curator replaces it: it held nothing, so it is simply dropped.
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(0, 50), (2, 50)])));
		assert_eq!(Basket::pools_of(id), vec![0, 2]);
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));
		assert_eq!(lrt(0, &1), 1_000 * U);
	});
}
