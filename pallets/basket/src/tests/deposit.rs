//! Deposits: each goes to the open weighted pool furthest below its weight, capped, minted at
//! the basket's rate; slashes and rewards of a pool move the basket's value by exactly that
//! pool's share.

use super::*;
use frame_support::{assert_noop, traits::fungible::Inspect as _};

/// The pool each `Deposited` event since the last call went to.
fn deposited_pools() -> Vec<PoolId> {
	basket_events()
		.into_iter()
		.filter_map(|event| match event {
			Event::Deposited { pool, .. } => Some(pool),
			_ => None,
		})
		.collect()
}

/// Pool `i`'s share of the basket's value, in parts per million.
fn share_ppm(basket: BasketId, i: usize) -> u128 {
	let pools = BasketPools::<Test>::get(basket);
	let value = |entry: &BasketPool<Balance>| MockPools::lrt_value(entry.pool, entry.lrt);
	let total: Balance = pools.iter().map(value).sum();
	u128::from(value(&pools[i])) * 1_000_000 / u128::from(total)
}

#[test]
fn first_deposit_is_one_to_one_into_the_largest_weight() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 40), (1, 60)]);
		basket_events();
		let before = Balances::balance(&1);

		// When account 1 deposits 1_001 U (+1 Planck) into the empty basket.
		let amount = 1_001 * U + 1;
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, amount));

		// Then all of it went to pool 1, the largest weight, which minted 1:1, and account 1
		// got one token per Planck.
		assert_eq!(held(id), vec![0, amount]);
		let account = Basket::basket_account(id);
		assert_eq!(lrt(1, &account), amount);
		assert_eq!(tokens(id, 1), amount);
		assert_eq!(supply(id), amount);
		assert_eq!(before - Balances::balance(&1), amount);
		assert_eq!(Basket::basket_value(id), amount);
		assert_eq!(
			basket_events(),
			vec![Event::Deposited {
				who: 1,
				basket: id,
				pool: 1,
				amount,
				lrt: amount,
				tokens: amount,
				value_before: 0,
				supply_before: 0,
			}]
		);
	});
}

#[test]
fn each_deposit_goes_to_the_pool_furthest_below_its_weight() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a 50/30/20 basket.
		let id = basket(&[(0, 50), (1, 30), (2, 20)]);
		basket_events();

		// When deposits of 1_000, 500, 300, 200 and 100 U follow one another.
		for amount in [1_000, 500, 300, 200, 100] {
			assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, amount * U));
		}

		// Then each went where the basket was furthest below its weights (`w × V − v`): the
		// largest weight first (empty basket), then pool 1 (300 U missing of 1_000 U), pool 2
		// (300 U of 1_800 U), pool 2 again (60 U against pool 1's 40 U), and pool 1 (100 U,
		// pool 0 being exactly at its weight).
		assert_eq!(deposited_pools(), vec![0, 1, 2, 2, 1]);
		assert_eq!(held(id), vec![1_000 * U, 600 * U, 500 * U]);
		// The basket is back near its weights: 47.6%, 28.6%, 23.8%.
		assert_eq!(
			(share_ppm(id, 0), share_ppm(id, 1), share_ppm(id, 2)),
			(476_190, 285_714, 238_095)
		);
	});
}

#[test]
fn ties_go_to_the_larger_weight_then_the_earlier_pool() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Equal weights, empty basket: the earliest pool.
		let id = basket(&[(2, 50), (0, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 100 * U));
		// Pool 0 is then 50 U below, pool 2 50 U above: pool 0.
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 100 * U));
		// Both at their weight: tied, equal weights: the earlier, pool 2.
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 100 * U));
		assert_eq!(deposited_pools(), vec![2, 0, 2]);
	});
}

#[test]
fn later_deposit_buys_at_the_basket_rate_rounded_down() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 60), (1, 40)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		// Pool 0 earns 10%: its rate is 1.1, the basket is worth 1_100 U for 1_000 U tokens.
		MockPools::reward(0, 100 * U);
		assert_eq!(Basket::basket_value(id), 1_100 * U);
		basket_events();

		// When account 2 deposits 1_100 U: pool 1 is furthest below (440 U of 1_100 U).
		let paid_before = Balances::balance(&2);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 1_100 * U));

		// Then pool 1 took it all at par; the basket's value before is rounded up (one Planck
		// per pool held), so the tokens are a little below 1_000 U.
		assert_eq!(held(id), vec![1_000 * U, 1_100 * U]);
		let value_before = 1_100 * U + 1;
		let expected = mul_div(1_100 * U, 1_000 * U, value_before);
		assert_eq!(tokens(id, 2), expected);
		assert!(expected < 1_000 * U && expected > 1_000 * U - 10, "{expected}");
		assert_eq!(paid_before - Balances::balance(&2), 1_100 * U);
		assert_eq!(
			basket_events(),
			vec![Event::Deposited {
				who: 2,
				basket: id,
				pool: 1,
				amount: 1_100 * U,
				lrt: 1_100 * U,
				tokens: expected,
				value_before,
				supply_before: 1_000 * U,
			}]
		);
	});
}

#[test]
fn a_pool_above_par_sends_back_what_it_does_not_take() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given pool 0 at a rate of 7/6 (account 5 alone in it, rewarded).
		assert_ok!(MockPools::deposit_as(&5, 0, 600 * U));
		MockPools::reward(0, 100 * U);
		let id = basket(&[(0, 50), (1, 50)]);
		let before = Balances::balance(&1);

		// When account 1 deposits an amount that is no whole number of LRT units' worth.
		let amount = 1_000 * U + 2;
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, amount));

		// Then the pool minted ⌊amount × 6/7⌋ and took its cost, rounded up; the rest went back.
		let minted = mul_div(amount, 600 * U, 700 * U);
		let cost = (u128::from(minted) * 700 * u128::from(U)).div_ceil(600 * u128::from(U));
		assert_eq!(held(id), vec![minted, 0]);
		assert_eq!(before - Balances::balance(&1), cost as Balance);
		assert!((cost as Balance) < amount);
		assert_eq!(Balances::balance(&Basket::basket_account(id)), ED);
	});
}

#[test]
fn slash_of_one_pool_lowers_the_basket_by_exactly_its_share() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given account 5 holding 1_000 U of pool 0 directly, and a 50/50 basket holding
		// 1_000 U of each pool's LRT (both at par).
		assert_ok!(MockPools::deposit_as(&5, 0, 1_000 * U));
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 1, 0, 1_000 * U);
		deposit_into(id, 2, 1, 1_000 * U);
		assert_eq!(Basket::basket_value(id), 2_000 * U);

		// When pool 0 is slashed by 10% (200 U of its 2_000 U): its rate falls by 0.1.
		MockPools::slash(0, 200 * U);

		// Then the basket loses exactly 1_000 U × 0.1 = 100 U; its tokens are worth 0.95 each.
		assert_eq!(Basket::basket_value(id), 1_900 * U);
		// A new deposit (into pool 0, now below its weight) buys at that rate: 950 U of value
		// for about 1_000 U tokens, never more.
		deposit_into(id, 3, 0, 950 * U);
		let minted = tokens(id, 3);
		assert!(minted <= 1_000 * U && minted > 1_000 * U - 10, "{minted}");
	});
}

#[test]
fn a_deposit_lifts_its_pool_to_at_most_its_weight_plus_the_overshoot() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a 50/50 basket holding 1_000 U of pool 0.
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		let before = Balances::balance(&2);
		basket_events();

		// When account 2 offers 10_000 U.
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 10_000 * U));

		// Then pool 1 took what lifts it to 50% + 20% of the basket: 700 / 0.3 U; the rest
		// stayed with account 2.
		let cap = 7_000 * U / 3;
		assert_eq!(held(id), vec![1_000 * U, cap]);
		assert_eq!(before - Balances::balance(&2), cap);
		assert!(matches!(
			basket_events().as_slice(),
			[Event::Deposited { pool: 1, amount, .. }] if *amount == cap
		));
		assert!(share_ppm(id, 1) <= 700_000, "{}", share_ppm(id, 1));

		// And the next deposits go back and forth, never lifting a pool above 70%.
		for _ in 0..4 {
			assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 10_000 * U));
			assert!(share_ppm(id, 0) <= 700_000 && share_ppm(id, 1) <= 700_000);
		}
		assert!(Basket::basket_value(id) > 20_000 * U);
	});
}

#[test]
fn without_an_overshoot_cap_a_deposit_is_taken_whole() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		Overshoot::set(Perbill::one());
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 10_000 * U));
		assert_eq!(held(id), vec![1_000 * U, 10_000 * U]);
	});
}

#[test]
fn deposit_errors_change_nothing() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 95), (1, 5)]);
		assert_noop!(
			Basket::deposit(RuntimeOrigin::signed(1), 9, 1_000 * U),
			Error::<Test>::UnknownBasket
		);
		assert_noop!(
			Basket::deposit(RuntimeOrigin::signed(1), id, MIN_DEPOSIT - 1),
			Error::<Test>::BelowMinDeposit
		);
		// Every weighted pool closed: nothing can take the deposit.
		MockPools::set_open(0, false);
		MockPools::set_open(1, false);
		assert_noop!(
			Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U),
			Error::<Test>::NoOpenPool
		);
		MockPools::set_open(0, true);
		MockPools::set_open(1, true);
		// More than the depositor has.
		assert!(Basket::deposit(RuntimeOrigin::signed(1), id, ENDOWMENT * 2).is_err());
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		// Every pool the basket holds wiped out while tokens remain.
		MockPools::slash(0, MockPools::active(0));
		assert_noop!(
			Basket::deposit(RuntimeOrigin::signed(2), id, 1_000 * U),
			Error::<Test>::BasketWipedOut
		);
	});
}

#[test]
fn a_deposit_never_leaves_a_holding_below_the_lrt_minimum() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a basket over pools 0, 1 and 2 (2 the heaviest) that its last holder emptied
		// while its pending redemption of pool 2 is not paid: the basket's account holds
		// pool 2's LRT, for the holder, while the basket holds none.
		let id = basket(&[(0, 25), (1, 25), (2, 50)]);
		for (who, pool) in [(1, 2), (1, 0), (1, 1)] {
			deposit_into(id, who, pool, 1_000 * U);
		}
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));
		assert_eq!(owed(id, 1), vec![(2, 1_000 * U)]);
		assert_eq!(held(id), vec![0, 0, 0]);

		// When pool 2's rate rises to 200: the smallest deposit mints 5 Planck of its LRT,
		// below the LRT's minimum balance (10).
		MockPools::reward(2, 199_000 * U);

		// Then the deposit, which goes to pool 2 (the largest weight), is refused: the basket
		// would hold less than the minimum of it.
		assert_noop!(
			Basket::deposit(RuntimeOrigin::signed(2), id, MIN_DEPOSIT),
			Error::<Test>::BelowLrtMinimum
		);
		claim_all(id, 1);
	});
}

#[test]
fn deposits_and_redemptions_are_charged_for_the_pools_they_touched() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 30), (2, 20)]);
		deposit_into(id, 1, 0, 1_000 * U);
		deposit_into(id, 2, 1, 1_000 * U);
		deposit_into(id, 3, 2, 1_000 * U);

		// A deposit into a basket holding three pools: charged for the most, refunded to three.
		let info = Basket::deposit(RuntimeOrigin::signed(2), id, 1_000 * U).unwrap();
		let actual = Basket::deposit_weight(3);
		assert_eq!(info.actual_weight, Some(actual));
		assert_eq!(actual, <() as crate::WeightInfo>::deposit(3) + MockPools::deposit_as_weight());
		assert!(actual.all_lte(Basket::max_deposit_weight()));

		// A redemption from a basket holding three pools, paid in two calls.
		let info = Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)).unwrap();
		assert_eq!(info.actual_weight, Some(<() as crate::WeightInfo>::redeem(3)));
		assert_eq!(owed(id, 1).len(), 1);
		assert_ok!(Basket::claim_redemption(RuntimeOrigin::signed(1), id, 1));

		// Destroying a token: refunded to the items removed (none here).
		redeem_all(id, 2);
		redeem_all(id, 3);
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		let info = Basket::destroy_basket_token(RuntimeOrigin::signed(1), id).unwrap();
		assert_eq!(info.actual_weight, Some(<() as crate::WeightInfo>::destroy_basket_token(0)));
	});
}
