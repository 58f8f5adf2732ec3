//! Redemptions: pro rata, in kind, rounded down.

use super::*;
use frame_support::assert_noop;

#[test]
fn redeem_pays_every_pool_lrt_pro_rata_in_kind() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 60), (1, 40)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 3_000 * U));
		let supply = Baskets::<Test>::get(id).unwrap().supply;
		let held_before = held(id);
		basket_events();

		// When account 1 redeems a third of its tokens.
		let burnt = tokens(id, 1) / 3;
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, burnt));

		// Then it holds its share of each pool LRT, rounded down, and the basket the rest.
		let share: Vec<Balance> = held_before.iter().map(|h| mul_div(*h, burnt, supply)).collect();
		assert_eq!(lrt(0, &1), share[0]);
		assert_eq!(lrt(1, &1), share[1]);
		assert_eq!(held(id), vec![held_before[0] - share[0], held_before[1] - share[1]]);
		assert_eq!(Baskets::<Test>::get(id).unwrap().supply, supply - burnt);
		assert_eq!(
			basket_events(),
			vec![Event::Redeemed {
				who: 1,
				basket: id,
				tokens: burnt,
				paid: vec![(0, share[0]), (1, share[1])].try_into().unwrap(),
			}]
		);

		// When both redeem everything, the basket holds nothing and no token exists.
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(2), id, tokens(id, 2)));
		assert_eq!(held(id), vec![0, 0]);
		assert_eq!(Baskets::<Test>::get(id).unwrap().supply, 0);
		assert_eq!(lrt(0, &Basket::basket_account(id)), 0);
		assert_eq!(lrt(0, &1) + lrt(0, &2), held_before[0]);
		assert_eq!(lrt(1, &1) + lrt(1, &2), held_before[1]);
	});
}

#[test]
fn redeem_errors() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_noop!(Basket::redeem(RuntimeOrigin::signed(1), 9, 1), Error::<Test>::UnknownBasket);
		assert_noop!(Basket::redeem(RuntimeOrigin::signed(1), id, 0), Error::<Test>::ZeroAmount);
	});
}

#[test]
fn a_tiny_redemption_leaves_the_basket_its_minimum_lrt_balance() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 1_000 * U));
		// Account 3 gets a few tokens: its share of each pool LRT is below that LRT's
		// minimum balance, and it has no LRT account: nothing is paid, the LRT stays with
		// the basket (the other holders'), the tokens are burnt.
		assert_ok!(<Assets as frame_support::traits::fungibles::Mutate<_>>::transfer(
			BASKET_OFFSET + id,
			&1,
			&3,
			MIN_TOKEN,
			frame_support::traits::tokens::Preservation::Preserve,
		));
		let held_before = held(id);
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(3), id, MIN_TOKEN));
		assert_eq!(held(id), held_before);
		assert_eq!(lrt(0, &3), 0);
	});
}
