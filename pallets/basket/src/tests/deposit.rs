//! Deposits: spread by weight, minted at the basket's rate; slashes and rewards of a pool move
//! the basket's value by exactly that pool's share.

use super::*;
use frame_support::{assert_noop, traits::fungible::Inspect as _};

#[test]
fn first_deposit_is_one_to_one_and_spreads_by_weight() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 60), (1, 40)]);
		basket_events();
		let before = Balances::balance(&1);

		// When account 1 deposits 1_001 U (+1 Planck): 60% rounded down to pool 0, the
		// remainder to pool 1.
		let amount = 1_001 * U + 1;
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, amount));

		// Then both empty pools minted 1:1, and account 1 got one token per PAL.
		let to_0 = Perbill::from_percent(60).mul_floor(amount);
		assert_eq!(to_0, 600_600_000);
		assert_eq!(held(id), vec![to_0, amount - to_0]);
		let account = Basket::basket_account(id);
		assert_eq!(lrt(0, &account), to_0);
		assert_eq!(lrt(1, &account), amount - to_0);
		assert_eq!(tokens(id, 1), amount);
		assert_eq!(Baskets::<Test>::get(id).unwrap().supply, amount);
		assert_eq!(before - Balances::balance(&1), amount);
		assert_eq!(Basket::basket_value(id), amount);
		assert_eq!(
			basket_events(),
			vec![Event::Deposited {
				who: 1,
				basket: id,
				amount,
				tokens: amount,
				value_before: 0,
				supply_before: 0,
				parts: vec![(0, to_0, to_0), (1, amount - to_0, amount - to_0)].try_into().unwrap(),
			}]
		);
	});
}

#[test]
fn later_deposit_buys_at_the_basket_rate_rounded_down() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 60), (1, 40)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		// Pool 0 earns 10%: its rate is 1.1, the basket is worth 1_060 U for 1_000 U tokens.
		MockPools::reward(0, 60 * U);
		assert_eq!(Basket::basket_value(id), 1_060 * U);

		// When account 2 deposits 1_060 U.
		let paid_before = Balances::balance(&2);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 1_060 * U));

		// Then pool 0 took 636 U for 578.18 U LRT (rounded down, cost rounded up), pool 1
		// 424 U for 424 U; the value brought in is rounded down and the basket's value up.
		let lrt_0 = mul_div(636 * U, 600 * U, 660 * U);
		assert_eq!(held(id), vec![600 * U + lrt_0, 824 * U]);
		let value_in = mul_div(lrt_0, MockPools::active(0), MockPools::supply(0)) + 424 * U;
		let value_before =
			(mul_div(600 * U, MockPools::active(0), MockPools::supply(0)) + 1) + (400 * U + 1);
		let expected = mul_div(value_in, 1_000 * U, value_before);
		assert_eq!(tokens(id, 2), expected);
		// About 1_000 U tokens, never more.
		assert!(expected <= 1_000 * U && expected > 1_000 * U - 10, "{expected}");
		// The depositor paid what the pools took: at most what it offered.
		assert!(paid_before - Balances::balance(&2) <= 1_060 * U);
	});
}

#[test]
fn slash_of_one_pool_lowers_the_basket_by_exactly_its_share() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given account 5 holding 1_000 U of pool 0 directly, and a 50/50 basket holding
		// 500 U of each pool's LRT (both at par).
		assert_ok!(MockPools::deposit_as(&5, 0, 1_000 * U));
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_eq!(held(id), vec![500 * U, 500 * U]);
		assert_eq!(Basket::basket_value(id), 1_000 * U);

		// When pool 0 is slashed by 10% (150 U of its 1_500 U): its rate falls by 0.1.
		MockPools::slash(0, 150 * U);

		// Then the basket loses exactly 500 U × 0.1 = 50 U; its tokens are worth 0.95 each.
		assert_eq!(Basket::basket_value(id), 950 * U);
		// A new deposit buys at that rate (1_000 U of value ≈ 1_052.6 U tokens).
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 1_000 * U));
		let minted = tokens(id, 2);
		assert!(minted <= mul_div(1_000 * U, 1_000 * U, 950 * U), "{minted}");
		assert!(minted > mul_div(1_000 * U, 1_000 * U, 950 * U) - 10, "{minted}");
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
		// 5% of 1_000 Planck is below pool 1's minimum deposit: the whole deposit fails.
		assert_noop!(
			Basket::deposit(RuntimeOrigin::signed(1), id, MIN_DEPOSIT),
			sp_runtime::DispatchError::Other("below the pool's minimum")
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
	});
}

#[test]
fn deposits_and_redemptions_are_charged_for_the_pools_they_touched() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 30), (2, 20)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));

		// A deposit into two pools, valuing (and claiming for) the closed third: refunded to
		// that, within what was charged up front.
		MockPools::set_open(1, false);
		let info = Basket::deposit(RuntimeOrigin::signed(2), id, 1_000 * U).unwrap();
		let claim = <MockPools as PoolRewardsSource>::claim_for_pool_weight();
		let actual = Basket::deposit_weight(2, 1, claim);
		assert_eq!(info.actual_weight, Some(actual));
		assert!(actual.all_lte(Basket::max_deposit_weight()));

		// A redemption pays three pools; the last token of a closing basket also closes it.
		let info = Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)).unwrap();
		assert_eq!(info.actual_weight, Some(<() as crate::WeightInfo>::redeem(3)));
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		let info = Basket::redeem(RuntimeOrigin::signed(2), id, tokens(id, 2)).unwrap();
		assert_eq!(
			info.actual_weight,
			Some(<() as crate::WeightInfo>::redeem(3) + <() as crate::WeightInfo>::close_basket())
		);
	});
}
