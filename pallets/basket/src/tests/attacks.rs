//! Attacks, named after the attack: each states the attacker's gain and asserts it is not
//! positive.

use super::*;
use frame_support::{
	assert_noop,
	traits::{
		fungible::{Inspect as _, Mutate as _},
		fungibles::Mutate as FungiblesMutate,
		tokens::Preservation,
	},
};

/// What `who`'s pool LRT is worth now, in PAL.
fn lrt_worth(who: &AccountId) -> Balance {
	(0..3).map(|pool| MockPools::lrt_value(pool, lrt(pool, who))).sum()
}

#[test]
fn donation_inflation_on_first_deposit_does_not_pay() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let (attacker, victim) = (1, 2);
		let id = basket(&[(0, 50), (1, 50)]);
		let attacker_start = Balances::balance(&attacker);

		// Given the attacker makes the smallest first deposit, then "donates" a lot to the
		// basket's account: PAL and pool LRT it bought directly.
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(attacker), id, MIN_DEPOSIT));
		assert_eq!(tokens(id, attacker), MIN_DEPOSIT);
		let account = Basket::basket_account(id);
		assert_ok!(Balances::transfer(&attacker, &account, 10_000 * U, Preservation::Preserve));
		assert_ok!(MockPools::deposit_as(&attacker, 0, 10_000 * U));
		assert_ok!(<Assets as FungiblesMutate<_>>::transfer(
			MockPools::lrt_asset_id(0),
			&attacker,
			&account,
			10_000 * U,
			Preservation::Expendable
		));
		// The basket's value ignores donations.
		assert_eq!(Basket::basket_value(id), MIN_DEPOSIT);

		// When the victim deposits 1_000 U.
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(victim), id, 1_000 * U));
		// Then it gets the tokens its deposit is worth (less the rounding-up of the basket's
		// value, two Planck per pool at most).
		let fair = 1_000 * U;
		let got = tokens(id, victim);
		assert!(got <= fair && fair - got <= fair / 100, "{got}");

		// And the attacker, redeeming everything, gets back no more than it put in.
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(attacker), id, MIN_DEPOSIT));
		let spent = attacker_start - Balances::balance(&attacker);
		let gain = lrt_worth(&attacker) as i128 - spent as i128;
		assert!(gain <= 0, "the attacker gained {gain}");
		// The victim's tokens are worth what it paid, less rounding.
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(victim), id, got));
		assert!(lrt_worth(&victim) <= 1_000 * U);
		assert!(lrt_worth(&victim) >= 1_000 * U - 1_000_000, "{}", lrt_worth(&victim));
	});
}

#[test]
fn weights_not_summing_to_100_percent_are_refused() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// A curator cannot promise 101% (depositors' PAL spread beyond what they paid) nor
		// 99% (1% of each deposit left in the basket's account, owned by nobody).
		for pairs in [&[(0, 60), (1, 41)][..], &[(0, 60), (1, 39)], &[(0, 33), (1, 33), (2, 33)]] {
			assert_noop!(
				Basket::create_basket(RuntimeOrigin::signed(4), weights(pairs)),
				Error::<Test>::WeightsNotWhole
			);
		}
		// Exactly 100% in Perbill parts is accepted.
		let third = Perbill::from_parts(333_333_333);
		let exact: WeightsOf<Test> =
			vec![(0, third), (1, third), (2, Perbill::from_parts(333_333_334))].try_into().unwrap();
		assert_ok!(Basket::create_basket(RuntimeOrigin::signed(4), exact));
	});
}

#[test]
fn redeeming_more_than_held_is_refused() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 1_000 * U));
		let held_before = held(id);
		// Account 1 tries to redeem its tokens and some of account 2's; account 3 has none.
		assert_noop!(
			Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1) + 1),
			Error::<Test>::InsufficientTokens
		);
		assert_noop!(
			Basket::redeem(RuntimeOrigin::signed(3), id, 1),
			Error::<Test>::InsufficientTokens
		);
		assert_eq!(held(id), held_before);
	});
}

#[test]
fn rounding_in_favour_of_the_basket_makes_cycling_unprofitable() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 33), (1, 67)]);
		// Awkward rates: pool 0 at 7/6, pool 1 at 13/11.
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 10_000 * U + 7));
		MockPools::reward(0, MockPools::active(0) / 6);
		MockPools::reward(1, MockPools::active(1) * 2 / 11);
		let cycler = 1;
		let start = Balances::balance(&cycler);

		// When the attacker deposits and redeems odd amounts over and over.
		for amount in [1_000 * U + 1, 3_333 * U + 333, 1_234_567_891, 7_777 * U + 7] {
			assert_ok!(Basket::deposit(RuntimeOrigin::signed(cycler), id, amount));
			assert_ok!(Basket::redeem(RuntimeOrigin::signed(cycler), id, tokens(id, cycler)));
		}

		// Then what it holds is worth no more than what it paid.
		let spent = start - Balances::balance(&cycler);
		let gain = lrt_worth(&cycler) as i128 - spent as i128;
		assert!(gain <= 0, "cycling gained {gain}");
		// And the remaining holder's tokens are worth at least what they were.
		assert!(Basket::basket_value(id) >= 10_000 * U, "{}", Basket::basket_value(id));
	});
}
