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

/// The attack on a stale rate: holder 2 owns a basket with 500 U of pool 0's LRT, which is
/// owed 100 U of rewards not claimed yet, and deposits skip pool 0 (`retire` retires it,
/// else it is closed). The attacker deposits 1_000 U, gets the rewards claimed, redeems.
fn buying_before_unclaimed_rewards(retire: bool) {
	let (attacker, holder) = (1, 2);
	let id = basket(&[(0, 50), (1, 50)]);
	assert_ok!(Basket::deposit(RuntimeOrigin::signed(holder), id, 1_000 * U));
	if retire {
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(1, 50), (2, 50)])));
	} else {
		MockPools::set_open(0, false);
	}
	MockPools::owe(0, 100 * U);
	let start = Balances::balance(&attacker);

	// The deposit claims pool 0's rewards before valuing the basket: 1_100 U (+ rounding).
	assert_ok!(Basket::deposit(RuntimeOrigin::signed(attacker), id, 1_000 * U));
	assert_eq!(MockPools::active(0), 600 * U);
	let fair = mul_div(1_000 * U, 1_000 * U, 1_100 * U);
	assert!(tokens(id, attacker) <= fair, "{} > {fair}", tokens(id, attacker));
	// Claiming now (anyone may) finds nothing left; the attacker redeems.
	MockPools::claim_for_pool(0);
	assert_ok!(Basket::redeem(RuntimeOrigin::signed(attacker), id, tokens(id, attacker)));

	let spent = start - Balances::balance(&attacker);
	let gain = lrt_worth(&attacker) as i128 - spent as i128;
	assert!(gain <= 0, "the attacker gained {gain}");
	// The holder keeps the rewards its basket earned before the attacker came.
	assert_ok!(Basket::redeem(RuntimeOrigin::signed(holder), id, tokens(id, holder)));
	assert!(lrt_worth(&holder) >= 1_100 * U - 10, "{}", lrt_worth(&holder));
}

#[test]
fn buying_before_a_retired_pools_rewards_are_claimed_does_not_pay() {
	ExtBuilder::default().with_pools().build_and_execute(|| buying_before_unclaimed_rewards(true));
}

#[test]
fn buying_before_a_closed_pools_rewards_are_claimed_does_not_pay() {
	ExtBuilder::default().with_pools().build_and_execute(|| buying_before_unclaimed_rewards(false));
}

/// A basket over pools 0 and 1 at awkward rates (7/6, 13/11) with holder 2's 10_000 U.
fn awkward_basket() -> BasketId {
	let id = basket(&[(0, 33), (1, 67)]);
	assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 10_000 * U + 7));
	MockPools::reward(0, MockPools::active(0) / 6);
	MockPools::reward(1, MockPools::active(1) * 2 / 11);
	id
}

#[test]
fn a_deposit_redeem_cycle_around_a_weight_change_does_not_profit() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = awkward_basket();
		let holder_value = Basket::basket_value(id);
		let (cycler, sink) = (1, 5);

		// When, over and over, every pool earns rewards nobody claimed yet, the attacker
		// deposits, the curator retires a pool or weights one again, the rewards are claimed
		// and the attacker redeems.
		let changes: [&[(PoolId, u32)]; 4] =
			[&[(1, 40), (2, 60)], &[(0, 33), (1, 67)], &[(2, 90), (0, 10)], &[(0, 33), (1, 67)]];
		for (amount, pairs) in
			[1_000 * U + 1, 3_333 * U + 333, 1_234_567_891, 7_777 * U + 7].into_iter().zip(changes)
		{
			for pool in 0..3 {
				MockPools::owe(pool, MockPools::active(pool) / 97 + 1);
			}
			let start = Balances::balance(&cycler);
			assert_ok!(Basket::deposit(RuntimeOrigin::signed(cycler), id, amount));
			assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(pairs)));
			// Anyone may claim the pools' rewards.
			for pool in 0..3 {
				MockPools::claim_for_pool(pool);
			}
			assert_ok!(Basket::redeem(RuntimeOrigin::signed(cycler), id, tokens(id, cycler)));

			// Then each round, what the attacker got is worth no more than what it paid: the
			// rewards earned before it came were in the price. (Its LRT then goes away, so
			// that the next rewards are not its.)
			let spent = start - Balances::balance(&cycler);
			let gain = lrt_worth(&cycler) as i128 - spent as i128;
			assert!(gain <= 0, "cycling gained {gain}");
			for pool in 0..3 {
				let lrt = lrt(pool, &cycler);
				if lrt > 0 {
					assert_ok!(<Assets as FungiblesMutate<_>>::transfer(
						MockPools::lrt_asset_id(pool),
						&cycler,
						&sink,
						lrt,
						Preservation::Expendable
					));
				}
			}
		}

		// And the holder's tokens gained at least the rewards (none of it went to the
		// attacker).
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(2), id, tokens(id, 2)));
		assert!(lrt_worth(&2) > holder_value, "{} <= {holder_value}", lrt_worth(&2));
	});
}

/// The attacker deposits into the awkward basket while both pools are owed rewards not
/// claimed yet, the curator closes the basket, anyone claims the rewards, and the attacker
/// redeems (in two steps, before or after the holder). Returns the attacker's gain.
fn cycle_around_a_close(attacker_last: bool) -> i128 {
	let id = awkward_basket();
	let (attacker, holder) = (1, 2);
	let start = Balances::balance(&attacker);
	MockPools::owe(0, 11 * U + 1);
	MockPools::owe(1, 7 * U + 3);
	assert_ok!(Basket::deposit(RuntimeOrigin::signed(attacker), id, 3_333 * U + 333));
	assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
	MockPools::claim_for_pool(0);
	MockPools::claim_for_pool(1);
	assert_ok!(Basket::redeem(RuntimeOrigin::signed(attacker), id, tokens(id, attacker) / 3));
	if attacker_last {
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(holder), id, tokens(id, holder)));
	}
	assert_ok!(Basket::redeem(RuntimeOrigin::signed(attacker), id, tokens(id, attacker)));
	if !attacker_last {
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(holder), id, tokens(id, holder)));
	}
	assert!(!Baskets::<Test>::contains_key(id));
	let spent = start - Balances::balance(&attacker);
	lrt_worth(&attacker) as i128 - spent as i128
}

#[test]
fn a_deposit_redeem_cycle_around_a_close_does_not_profit() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// The rewards earned before the attacker came were in its price: it gains nothing.
		let gain = cycle_around_a_close(false);
		assert!(gain <= 0, "the attacker gained {gain}");
	});
}

#[test]
fn being_the_last_to_redeem_a_closing_basket_pays_at_most_rounding_dust() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// The last redemption takes all that is left: what the earlier redemptions' rounding
		// down left behind, less than one Planck of each pool's LRT per redemption (shares
		// below a pool LRT's minimum balance that a holder without that LRT could not take
		// stay too, at most that minimum per pool and redemption). Two pools, two earlier
		// redemptions: at most a few Planck, never worth a transaction.
		let gain = cycle_around_a_close(true);
		assert!(gain <= 4, "the attacker gained {gain}");
	});
}

#[test]
fn a_slash_of_a_retired_pool_falls_on_its_holders_not_on_a_later_depositor() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given holder 1's 1_000 U in a 50/50 basket, pool 0 retired, then slashed by 10%.
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(1, 50), (2, 50)])));
		MockPools::slash(0, 50 * U);
		assert_eq!(Basket::basket_value(id), 950 * U);

		// When account 2 deposits 950 U after the slash.
		let start = Balances::balance(&2);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 950 * U));

		// Then it bought at the slashed value: redeeming, it gets at most what it paid
		// (rounding only), and the holder bears exactly its slash.
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(2), id, tokens(id, 2)));
		let paid = start - Balances::balance(&2);
		assert!(lrt_worth(&2) <= paid && lrt_worth(&2) >= paid - 10, "{}", lrt_worth(&2));
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));
		assert!(lrt_worth(&1) <= 950 * U + 10 && lrt_worth(&1) >= 950 * U, "{}", lrt_worth(&1));
	});
}
