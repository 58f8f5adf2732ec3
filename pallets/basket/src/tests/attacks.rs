//! Attacks, named after the attack: each states the attacker's gain and asserts it is not
//! positive (or that the harm it aims at does not happen).

use super::*;
use frame_support::{
	assert_noop,
	traits::{
		fungible::{Inspect as _, Mutate as _},
		fungibles::{Inspect as _, Mutate as FungiblesMutate},
		tokens::Preservation,
	},
};

/// Pool `i`'s share of the basket's holdings' value, in parts per million.
fn share_ppm(basket: BasketId, i: usize) -> u128 {
	let pools = BasketPools::<Test>::get(basket);
	let value = |entry: &BasketPool<Balance>| MockPools::lrt_value(entry.pool, entry.lrt);
	let total: Balance = pools.iter().map(value).sum();
	u128::from(value(&pools[i])) * 1_000_000 / u128::from(total)
}

/// What `who` gained since it had `start` PAL: the worth of its pool LRT less the PAL spent.
fn gain(who: AccountId, start: Balance) -> i128 {
	let spent = start - Balances::balance(&who);
	lrt_worth(&who) as i128 - spent as i128
}

#[test]
fn donation_inflation_on_first_deposit_does_not_pay() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// (The deposit cap is lifted so that the victim's deposit is one call; with it, the
		// deposit is taken in parts, each priced the same way.)
		Overshoot::set(Perbill::one());
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
		// value, one Planck per pool at most).
		let fair = mul_div(1_000 * U, MIN_DEPOSIT, MIN_DEPOSIT + 1);
		let got = tokens(id, victim);
		assert!(got <= fair && fair - got <= 1, "{got}");

		// And the attacker, redeeming everything, gets back no more than it put in.
		redeem_all(id, attacker);
		let gain = gain(attacker, attacker_start);
		assert!(gain <= 0, "the attacker gained {gain}");
		// The victim's tokens are worth what it paid, less rounding.
		redeem_all(id, victim);
		assert!(lrt_worth(&victim) <= 1_000 * U);
		assert!(lrt_worth(&victim) >= 1_000 * U - 1_000_000, "{}", lrt_worth(&victim));
	});
}

#[test]
fn weights_not_summing_to_100_percent_are_refused() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// A curator cannot promise 101% nor 99%: the targets would not describe the basket.
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

/// A basket over pools 0 and 1 at awkward rates (7/6, 13/11) with holder 2's 13_333 U.
fn awkward_basket() -> BasketId {
	let id = basket(&[(0, 33), (1, 67)]);
	deposit_into(id, 2, 1, 10_000 * U + 7);
	deposit_into(id, 2, 0, 3_333 * U + 1);
	MockPools::reward(0, MockPools::active(0) / 6);
	MockPools::reward(1, MockPools::active(1) * 2 / 11);
	id
}

#[test]
fn rounding_in_favour_of_the_basket_makes_cycling_unprofitable() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = awkward_basket();
		let holder_value = Basket::basket_value(id);
		let cycler = 1;
		let start = Balances::balance(&cycler);

		// When the attacker deposits and redeems odd amounts over and over.
		for amount in [1_000 * U + 1, 3_333 * U + 333, 1_234_567_891, 7_777 * U + 7] {
			assert_ok!(Basket::deposit(RuntimeOrigin::signed(cycler), id, amount));
			redeem_all(id, cycler);
		}

		// Then what it holds is worth no more than what it paid.
		let gain = gain(cycler, start);
		assert!(gain <= 0, "cycling gained {gain}");
		// And the remaining holder's tokens are worth at least what they were.
		assert!(Basket::basket_value(id) >= holder_value, "{}", Basket::basket_value(id));
	});
}

#[test]
fn a_deposit_redeem_cycle_around_a_weight_change_does_not_profit() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = awkward_basket();
		let holder_value = Basket::basket_value(id);
		let (cycler, sink) = (1, 5);

		// When, over and over, the attacker deposits, the curator retires a pool or weights
		// one again, and the attacker redeems.
		let changes: [&[(PoolId, u32)]; 4] =
			[&[(1, 40), (2, 60)], &[(0, 33), (1, 67)], &[(2, 90), (0, 10)], &[(0, 33), (1, 67)]];
		for (amount, pairs) in
			[1_000 * U + 1, 3_333 * U + 333, 1_234_567_891, 7_777 * U + 7].into_iter().zip(changes)
		{
			let start = Balances::balance(&cycler);
			assert_ok!(Basket::deposit(RuntimeOrigin::signed(cycler), id, amount));
			assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(pairs)));
			redeem_all(id, cycler);

			// Then each round, what the attacker got is worth no more than what it paid. (Its
			// LRT then goes away, so that the next round starts from nothing.)
			let gain = gain(cycler, start);
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

		// And the holder's tokens lost nothing.
		redeem_all(id, 2);
		assert!(lrt_worth(&2) >= holder_value, "{} < {holder_value}", lrt_worth(&2));
	});
}

#[test]
fn a_deposit_redeem_cycle_around_a_slash_does_not_profit() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given holder 2's basket (1_000 U in each of pools 0 and 1).
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 2, 0, 1_000 * U);
		deposit_into(id, 2, 1, 1_000 * U);
		let (attacker, holder) = (1, 2);
		let start = Balances::balance(&attacker);

		// When the attacker deposits (into pool 0, the next in line), pool 0 is slashed by
		// 10% and the attacker redeems everything at once.
		deposit_into(id, attacker, 0, 1_000 * U);
		let (attacker_tokens, total) = (tokens(id, attacker), supply(id));
		let lost = held(id)[0] / 10;
		MockPools::slash(0, MockPools::active(0) / 10);
		redeem_all(id, attacker);

		// Then the attacker bore its pro-rata share of the slash of everything the basket
		// held, its own deposit included: no gain.
		let gain = gain(attacker, start);
		assert!(gain <= 0, "the attacker gained {gain}");
		let share = mul_div(lost, attacker_tokens, total) as i128;
		assert!(gain <= -share + 5 && gain >= -share - 5, "{gain} against {share}");
		// And the holder bore the rest, pro rata: a deposit's pool is every holder's risk at
		// once (that is what the cap bounds), and the attacker paid its share of it.
		redeem_all(id, holder);
		let rest = lost - share as Balance;
		assert!(lrt_worth(&holder) + 5 >= 2_000 * U - rest, "{}", lrt_worth(&holder));
	});
}

/// The attacker deposits into the awkward basket, the curator closes the basket, and the
/// attacker redeems (in two steps, before or after the holder). Returns the attacker's gain.
fn cycle_around_a_close(attacker_last: bool) -> i128 {
	let id = awkward_basket();
	let (attacker, holder) = (1, 2);
	let start = Balances::balance(&attacker);
	assert_ok!(Basket::deposit(RuntimeOrigin::signed(attacker), id, 3_333 * U + 333));
	assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
	redeem_paid(id, attacker, tokens(id, attacker) / 3);
	if attacker_last {
		redeem_all(id, holder);
	}
	redeem_all(id, attacker);
	if !attacker_last {
		redeem_all(id, holder);
	}
	assert_ok!(Basket::remove_basket(RuntimeOrigin::signed(4), id));
	gain(attacker, start)
}

#[test]
fn a_deposit_redeem_cycle_around_a_close_does_not_profit() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let gain = cycle_around_a_close(false);
		assert!(gain <= 0, "the attacker gained {gain}");
	});
}

#[test]
fn being_the_last_to_redeem_a_closing_basket_pays_at_most_rounding_dust() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// The last redemption takes all that is left: what the earlier redemptions' rounding
		// down left behind, less than one Planck of each pool's LRT per redemption (shares
		// below a pool LRT's minimum balance stay too, at most that minimum per pool and
		// redemption). Two pools, two earlier redemptions: at most a few Planck, never worth
		// a transaction.
		let gain = cycle_around_a_close(true);
		assert!(gain <= 4, "the attacker gained {gain}");
	});
}

#[test]
fn a_slash_of_a_retired_pool_falls_on_its_holders_not_on_a_later_depositor() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given holder 1's 1_000 U in pool 0, retired, then slashed by 10%.
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(1, 50), (2, 50)])));
		MockPools::slash(0, 100 * U);
		assert_eq!(Basket::basket_value(id), 900 * U);

		// When account 2 deposits 900 U after the slash.
		let start = Balances::balance(&2);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 900 * U));

		// Then it bought at the slashed value: redeeming, it gets at most what it paid
		// (rounding only), and the holder bears exactly its slash.
		redeem_all(id, 2);
		let paid = start - Balances::balance(&2);
		assert!(lrt_worth(&2) <= paid && lrt_worth(&2) >= paid - 10, "{}", lrt_worth(&2));
		redeem_all(id, 1);
		assert!(lrt_worth(&1) <= 900 * U + 10 && lrt_worth(&1) >= 900 * U, "{}", lrt_worth(&1));
	});
}

#[test]
fn a_deposit_redeem_cycle_cannot_rotate_the_basket_into_one_pool() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// A deposit goes to one pool and a redemption is paid pro rata in kind: a deposit many
		// times the basket's value, redeemed at once, would leave the other holders' basket
		// nearly all in that one pool (the attacker takes the other pools' LRT with it).
		// Holder 2 has 1_000 U in each pool of a 50/50 basket; the attacker deposits
		// 100_000 U and redeems it at once.
		let holder_basket = || {
			let id = basket(&[(0, 50), (1, 50)]);
			deposit_into(id, 2, 0, 1_000 * U);
			deposit_into(id, 2, 1, 1_000 * U);
			id
		};
		let rotate = |id: BasketId| {
			assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 100_000 * U));
			redeem_all(id, 1);
		};
		// Without the cap (overshoot lifted): pool 0 makes up 99% of the holder's basket.
		Overshoot::set(Perbill::one());
		let uncapped = holder_basket();
		rotate(uncapped);
		assert!(share_ppm(uncapped, 0) > 980_000, "{}", share_ppm(uncapped, 0));

		// With it (20%): no pool above 70%, however often it is tried.
		Overshoot::set(Perbill::from_percent(20));
		let capped = holder_basket();
		for _ in 0..3 {
			rotate(capped);
			assert!(share_ppm(capped, 0) <= 700_000 && share_ppm(capped, 1) <= 700_000);
		}
		// And the holder lost no value (rounding aside) either way.
		for id in [uncapped, capped] {
			let before = lrt_worth(&2);
			redeem_all(id, 2);
			assert!(lrt_worth(&2) - before >= 2_000 * U - 20, "{}", lrt_worth(&2) - before);
		}
	});
}

#[test]
fn a_dust_holder_cannot_stop_deposits() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a basket whose only holder, account 2, holds a few Planck's worth of it (it
		// deposited the minimum, then pool 0 lost 99%): a cap in proportion to the basket's
		// value alone would take next to nothing.
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 2, 0, MIN_DEPOSIT);
		MockPools::slash(0, MockPools::active(0) * 99 / 100);
		assert_eq!(Basket::basket_value(id), MIN_DEPOSIT / 100);

		// A deposit still takes at least the basket's minimum deposit, and the basket grows
		// from there.
		let before = Balances::balance(&3);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(3), id, 1_000 * U));
		assert_eq!(before - Balances::balance(&3), MIN_DEPOSIT);
		for _ in 0..10 {
			assert_ok!(Basket::deposit(RuntimeOrigin::signed(3), id, 1_000 * U));
		}
		assert!(Basket::basket_value(id) > 20 * MIN_DEPOSIT);
	});
}

#[test]
fn redeeming_before_a_slash_escapes_nothing_of_the_pools_paid_later() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given the four-pool basket; account 1 redeems everything: pools 0 and 1 paid, pools
		// 2 and 4 owed (pending).
		let (id, p4) = super::redeem::four_pool_basket();
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));
		let owed_before = owed(id, 1);
		let owed_p4 = owed_before[1].1;
		let held_p4 = held(id)[3];

		// When pool 4 is slashed by half before account 1 claims.
		MockPools::slash(p4, MockPools::active(p4) / 2);

		// Then account 1 is owed the same LRT, now worth half: it bears the slash exactly as
		// if it had been paid at once, and the holders keep theirs (half of what they hold).
		assert_eq!(owed(id, 1), owed_before);
		claim_all(id, 1);
		assert_eq!(lrt(p4, &1), owed_p4);
		assert_eq!(MockPools::lrt_value(p4, lrt(p4, &1)), owed_p4 / 2);
		assert_eq!(held(id)[3], held_p4);
		assert_eq!(MockPools::lrt_value(p4, held(id)[3]), held_p4 / 2);
		// A slash of a pool paid at once reaches account 1's LRT just the same.
		let lrt_0 = lrt(0, &1);
		MockPools::slash(0, MockPools::active(0) / 2);
		assert_eq!(MockPools::lrt_value(0, lrt_0), lrt_0 / 2);
	});
}

#[test]
fn a_pending_redemption_is_paid_though_its_pool_closes_or_leaves_the_basket() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let (id, p4) = super::redeem::four_pool_basket();
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1)));
		let owed_before = owed(id, 1);
		// Pool 2 closes; the curator replaces pools 2 and 4 (both still held: retired).
		MockPools::set_open(2, false);
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(0, 50), (1, 50)])));
		claim_all(id, 1);
		assert_eq!(lrt(2, &1), owed_before[0].1);
		assert_eq!(lrt(p4, &1), owed_before[1].1);
	});
}

#[test]
fn repeated_tiny_redemptions_gain_nothing() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given accounts 1 and 2 with the same tokens of a basket over two pools at awkward
		// rates, and holder 3 staying in.
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 3, 0, 3_000 * U + 7);
		deposit_into(id, 3, 1, 3_000 * U + 3);
		MockPools::reward(0, MockPools::active(0) / 7);
		MockPools::reward(1, MockPools::active(1) / 13);
		let each = tokens(id, 3) / 4;
		for who in [1, 2] {
			assert_ok!(<Assets as FungiblesMutate<_>>::transfer(
				BASKET_OFFSET + id,
				&3,
				&who,
				each,
				Preservation::Preserve
			));
		}

		// When account 1 redeems at once and account 2 in 37 small pieces, some below the
		// LRT's minimum balance.
		redeem_all(id, 1);
		let piece = each / 40;
		for _ in 0..30 {
			redeem_paid(id, 2, piece);
		}
		for _ in 0..7 {
			redeem_paid(id, 2, MIN_TOKEN);
		}
		redeem_all(id, 2);

		// Then account 2 got no more than account 1; the rounding stayed with holder 3.
		assert!(lrt_worth(&2) <= lrt_worth(&1), "{} > {}", lrt_worth(&2), lrt_worth(&1));
	});
}

#[test]
fn a_pending_redemption_blocks_only_its_own_holder() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given account 1 with a pending redemption it does not claim.
		let (id, _) = super::redeem::four_pool_basket();
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, tokens(id, 1) / 2));
		// Nobody else can make or extend it (only one's own redemption does), and it stops
		// no one: deposits, other redemptions and claims go on.
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(3), id, 100 * U));
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(2), id, tokens(id, 2)));
		claim_all(id, 2);
		assert_ok!(<Assets as FungiblesMutate<_>>::transfer(
			BASKET_OFFSET + id,
			&3,
			&1,
			MIN_TOKEN,
			Preservation::Preserve
		));
		assert_eq!(owed(id, 1).len(), 2);
		// Only account 1 waits for its own claim.
		assert_noop!(
			Basket::redeem(RuntimeOrigin::signed(1), id, MIN_TOKEN),
			Error::<Test>::RedemptionPending
		);
		claim_all(id, 1);
	});
}

#[test]
fn pending_redemptions_cannot_keep_a_closing_basket_forever() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a closing basket whose every holder redeemed, but never claimed the rest.
		let (id, _) = super::redeem::four_pool_basket();
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		for who in [1, 2, 3, 5] {
			assert_ok!(Basket::redeem(RuntimeOrigin::signed(who), id, tokens(id, who)));
		}
		assert_eq!(supply(id), 0);
		assert_eq!(Baskets::<Test>::get(id).unwrap().pending, 4);

		// The curator (anyone) pays them out, to their holders, and removes the basket.
		for who in [1, 2, 3, 5] {
			assert_ok!(Basket::claim_redemption(RuntimeOrigin::signed(4), id, who));
		}
		assert_ok!(Basket::remove_basket(RuntimeOrigin::signed(4), id));
		assert_ok!(Basket::destroy_basket_token(RuntimeOrigin::signed(4), id));
		assert_eq!(lrt_worth(&4), 0);
		assert_eq!(lrt_worth(&1) + lrt_worth(&2) + lrt_worth(&3) + lrt_worth(&5), 3_400 * U);
	});
}

#[test]
fn many_approvals_cannot_keep_a_basket_token_from_being_destroyed() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given holders who approved 30 spenders of the token before the basket emptied.
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		for (who, count) in [(1, 10), (2, 10), (3, 10)] {
			for delegate in 100..100 + count {
				assert_ok!(Assets::approve_transfer(
					RuntimeOrigin::signed(who),
					BASKET_OFFSET + id,
					delegate,
					1
				));
			}
		}
		redeem_all(id, 1);
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		// Once the destruction started, nobody can approve more.
		assert!(
			Assets::approve_transfer(RuntimeOrigin::signed(2), BASKET_OFFSET + id, 999, 1).is_err()
		);

		// Anyone destroys it in a bounded number of calls.
		let mut calls = 0;
		while TokensToDestroy::<Test>::contains_key(id) {
			assert_ok!(Basket::destroy_basket_token(RuntimeOrigin::signed(5), id));
			calls += 1;
		}
		assert_eq!(calls, 30_u32.div_ceil(DESTROY_ITEMS_PER_CALL));
		assert!(!Assets::asset_exists(BASKET_OFFSET + id));
		for who in [1, 2, 3] {
			assert_eq!(Balances::reserved_balance(who), 0);
		}
	});
}
