//! Redemptions: owed pro rata, in kind, rounded down, of every pool at once; paid
//! `PoolsPaidPerCall` pools at a time.

use super::*;
use frame_support::{assert_noop, traits::fungibles::Mutate as FungiblesMutate};

/// A basket over pools 0, 1, 2 and a fourth native pool (25% each), holding LRT of all four:
/// account 1 deposited 1_000 U (into pool 0), accounts 2, 3 and 5 800 U each (pools 1, 2 and
/// the fourth). Returns it and the fourth pool.
pub(super) fn four_pool_basket() -> (BasketId, PoolId) {
	let p4 = more_pools(1)[0];
	let id = basket(&[(0, 25), (1, 25), (2, 25), (p4, 25)]);
	deposit_into(id, 1, 0, 1_000 * U);
	deposit_into(id, 2, 1, 800 * U);
	deposit_into(id, 3, 2, 800 * U);
	deposit_into(id, 5, p4, 800 * U);
	assert_eq!(held(id), vec![1_000 * U, 800 * U, 800 * U, 800 * U]);
	(id, p4)
}

#[test]
fn redeem_owes_every_pool_pro_rata_and_pays_the_first_page() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let (id, p4) = four_pool_basket();
		let total = supply(id);
		let held_before = held(id);
		let account = Basket::basket_account(id);
		basket_events();

		// When account 1 redeems a third of its tokens.
		let burnt = tokens(id, 1) / 3;
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, burnt));

		// Then it is owed its share of each pool LRT, rounded down, all of it leaving the
		// basket's holdings at once; the first two pools are paid, the other two pending (held
		// by the basket's account for account 1).
		let share: Vec<Balance> = held_before.iter().map(|h| mul_div(*h, burnt, total)).collect();
		assert_eq!((lrt(0, &1), lrt(1, &1)), (share[0], share[1]));
		assert_eq!((lrt(2, &1), lrt(p4, &1)), (0, 0));
		let left: Vec<Balance> = held_before.iter().zip(&share).map(|(h, s)| h - s).collect();
		assert_eq!(held(id), left);
		assert_eq!(owed(id, 1), vec![(2, share[2]), (p4, share[3])]);
		assert_eq!(lrt(2, &account), held(id)[2] + share[2]);
		assert_eq!(Baskets::<Test>::get(id).unwrap().pending, 1);
		assert_eq!(supply(id), total - burnt);
		assert_eq!(
			basket_events(),
			vec![Event::Redeemed {
				who: 1,
				basket: id,
				tokens: burnt,
				paid: vec![(0, share[0]), (1, share[1])].try_into().unwrap(),
				pending: vec![(2, share[2]), (p4, share[3])].try_into().unwrap(),
			}]
		);

		// When account 5 (anyone) claims it: account 1 gets the rest, the entry is gone.
		let lrt_of_5 = (lrt(2, &5), lrt(p4, &5));
		assert_ok!(Basket::claim_redemption(RuntimeOrigin::signed(5), id, 1));
		assert_eq!((lrt(2, &1), lrt(p4, &1)), (share[2], share[3]));
		assert_eq!((lrt(2, &5), lrt(p4, &5)), lrt_of_5);
		assert!(owed(id, 1).is_empty());
		assert_eq!(Baskets::<Test>::get(id).unwrap().pending, 0);
		assert_eq!(
			basket_events(),
			vec![Event::RedemptionClaimed {
				basket: id,
				who: 1,
				paid: vec![(2, share[2]), (p4, share[3])].try_into().unwrap(),
				pending: Default::default(),
			}]
		);
		assert_noop!(
			Basket::claim_redemption(RuntimeOrigin::signed(1), id, 1),
			Error::<Test>::NoPendingRedemption
		);
	});
}

#[test]
fn a_basket_within_one_page_pays_at_once() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 60), (1, 40)]);
		deposit_into(id, 1, 0, 1_000 * U);
		deposit_into(id, 2, 1, 1_000 * U);
		let held_before = held(id);
		let total = supply(id);
		basket_events();

		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, 400 * U));

		let share: Vec<Balance> = held_before.iter().map(|h| mul_div(*h, 400 * U, total)).collect();
		assert_eq!((lrt(0, &1), lrt(1, &1)), (share[0], share[1]));
		assert!(!PendingRedemptions::<Test>::contains_key(id, 1));
		assert_eq!(Baskets::<Test>::get(id).unwrap().pending, 0);
		assert_eq!(
			basket_events(),
			vec![Event::Redeemed {
				who: 1,
				basket: id,
				tokens: 400 * U,
				paid: vec![(0, share[0]), (1, share[1])].try_into().unwrap(),
				pending: Default::default(),
			}]
		);
		// When both redeem everything, the basket holds nothing and no token exists.
		redeem_all(id, 1);
		redeem_all(id, 2);
		assert_eq!(held(id), vec![0, 0]);
		assert_eq!(supply(id), 0);
		assert_eq!(lrt(0, &Basket::basket_account(id)), 0);
		assert_eq!(lrt(0, &1) + lrt(0, &2), held_before[0]);
		assert_eq!(lrt(1, &1) + lrt(1, &2), held_before[1]);
	});
}

#[test]
fn a_second_redemption_waits_for_the_first_to_be_paid() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let (id, _) = four_pool_basket();
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, 100 * U));
		let owed_before = owed(id, 1);

		// A second redemption while the first is pending is refused (nothing merged, nothing
		// burnt)...
		assert_noop!(
			Basket::redeem(RuntimeOrigin::signed(1), id, 100 * U),
			Error::<Test>::RedemptionPending
		);
		assert_eq!(owed(id, 1), owed_before);
		// ...others redeem as usual...
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(2), id, 100 * U));
		assert_eq!(Baskets::<Test>::get(id).unwrap().pending, 2);
		// ...and once paid, it goes through.
		claim_all(id, 1);
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, 100 * U));
		claim_all(id, 1);
		claim_all(id, 2);
		assert_eq!(Baskets::<Test>::get(id).unwrap().pending, 0);
	});
}

#[test]
fn redeem_errors() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_noop!(Basket::redeem(RuntimeOrigin::signed(1), 9, 1), Error::<Test>::UnknownBasket);
		assert_noop!(Basket::redeem(RuntimeOrigin::signed(1), id, 0), Error::<Test>::ZeroAmount);
		assert_noop!(
			Basket::redeem(RuntimeOrigin::signed(2), id, 1),
			Error::<Test>::InsufficientTokens
		);
		assert_noop!(
			Basket::claim_redemption(RuntimeOrigin::signed(1), id, 1),
			Error::<Test>::NoPendingRedemption
		);
		assert_noop!(
			Basket::claim_redemption(RuntimeOrigin::signed(1), 9, 1),
			Error::<Test>::NoPendingRedemption
		);
	});
}

#[test]
fn a_share_below_the_lrt_minimum_is_not_paid_and_stays_with_the_basket() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 1, 0, 1_000 * U);
		deposit_into(id, 2, 1, 1_000 * U);
		// Account 3 gets a few tokens: its share of each pool LRT is below that LRT's
		// minimum balance. Nothing is paid or owed (whether or not it has an account of that
		// LRT), the LRT stays with the basket (the other holders'), the tokens are burnt.
		assert_ok!(MockPools::deposit_as(&3, 0, 1_000));
		assert_ok!(<Assets as FungiblesMutate<_>>::transfer(
			BASKET_OFFSET + id,
			&1,
			&3,
			MIN_TOKEN,
			frame_support::traits::tokens::Preservation::Preserve,
		));
		let held_before = held(id);
		basket_events();
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(3), id, MIN_TOKEN));
		assert_eq!(held(id), held_before);
		assert_eq!((lrt(0, &3), lrt(1, &3)), (1_000, 0));
		assert_eq!(tokens(id, 3), 0);
		assert!(!PendingRedemptions::<Test>::contains_key(id, 3));
		assert_eq!(
			basket_events(),
			vec![Event::Redeemed {
				who: 3,
				basket: id,
				tokens: MIN_TOKEN,
				paid: Default::default(),
				pending: Default::default(),
			}]
		);
	});
}

#[test]
fn a_redemption_leaves_the_basket_at_least_the_lrt_minimum_or_nothing() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given account 1 holding nearly all of a basket (1_000 U of pool 0) and account 2
		// the rest (1_000 Planck of pool 1).
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 1, 0, 1_000 * U);
		deposit_into(id, 2, 1, MIN_DEPOSIT);
		let total = supply(id);

		// When account 1 redeems all its tokens.
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));

		// Then its share of pool 1 (999 of the 1_000 Planck, rounded down) is lowered so that
		// the basket keeps the LRT's minimum balance (10); of pool 0 it keeps the rounding.
		let kept_0 = 1_000 * U - mul_div(1_000 * U, 1_000 * U, total);
		assert_eq!(held(id), vec![kept_0, MIN_LRT]);
		assert_eq!(lrt(1, &1), MIN_DEPOSIT - MIN_LRT);

		// And account 2, the last holder, takes all that is left: the basket holds nothing.
		redeem_all(id, 2);
		assert_eq!(held(id), vec![0, 0]);
		assert_eq!((lrt(0, &2), lrt(1, &2)), (kept_0, MIN_LRT));
	});
}

#[test]
fn pending_redemptions_are_no_part_of_the_basket_value() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let (id, p4) = four_pool_basket();
		let value = Basket::basket_value(id);

		// Account 1 redeems half: what it is owed of pools 2 and 4 waits in the basket's
		// account, and the basket's value falls by all it is owed, paid or not.
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1) / 2));
		assert!(owed(id, 1).iter().any(|(pool, _)| *pool == p4));
		let owed_value: Balance =
			owed(id, 1).iter().map(|(pool, lrt)| MockPools::lrt_value(*pool, *lrt)).sum();
		assert_eq!(Basket::basket_value(id), value - owed_value - lrt_worth(&1));

		// A new depositor buys at the value of the holdings only (less the rounding up of
		// one Planck per pool).
		let (value, total) = (Basket::basket_value(id), supply(id));
		let before = tokens(id, 3);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(3), id, 100 * U));
		let minted = tokens(id, 3) - before;
		let fair = mul_div(100 * U, total, value);
		assert!(minted <= fair && minted + 10 >= fair, "{minted} for {fair}");
		claim_all(id, 1);
	});
}
