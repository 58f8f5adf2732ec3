//! Closing a basket: no more deposits, holders redeem at their pace; once no token and no
//! pending redemption is left it is removed (deposit released, once) and its token destroyed,
//! a few approvals per call.

use super::*;
use frame_support::{
	assert_noop,
	traits::{
		fungible::{Inspect as _, InspectHold, Mutate as _},
		fungibles::{roles::Inspect as _, Inspect as _, Mutate as FungiblesMutate},
		tokens::Preservation,
	},
};

/// The metadata deposit of basket `b < 10`'s token in the mock: base 1 + 1 per byte of
/// `Palisade basket #b` and `bLRTb`.
const METADATA_DEPOSIT: Balance = 1 + 18 + 5;

fn on_hold(who: AccountId) -> Balance {
	Balances::balance_on_hold(&HoldReason::BasketDeposit.into(), &who)
}

/// `who` approves `count` spenders of basket `id`'s token.
fn approve(id: BasketId, who: AccountId, count: u32) {
	for delegate in 100..100 + AccountId::from(count) {
		assert_ok!(Assets::approve_transfer(
			RuntimeOrigin::signed(who),
			BASKET_OFFSET + id,
			delegate,
			1
		));
	}
}

#[test]
fn closing_an_empty_basket_removes_it_at_once_and_anyone_destroys_its_token() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given account 4's basket, which never had a token.
		let id = basket(&[(0, 50), (1, 50)]);
		let asset = BASKET_OFFSET + id;
		assert_eq!(on_hold(4), BASKET_DEPOSIT);
		let free_before = Balances::balance(&4);
		basket_events();

		// When the curator closes it.
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));

		// Then it is removed: deposit released, the basket account's existential deposit
		// back, storage removed, the token's destruction started.
		assert_eq!(
			basket_events(),
			vec![
				Event::BasketClosing { basket: id, supply: 0, pending: 0 },
				Event::BasketClosed {
					basket: id,
					curator: 4,
					deposit: BASKET_DEPOSIT,
					refunded: ED
				},
			]
		);
		assert_eq!(on_hold(4), 0);
		assert_eq!(Balances::balance(&4), free_before + BASKET_DEPOSIT + ED);
		assert!(!Baskets::<Test>::contains_key(id));
		assert!(!BasketPools::<Test>::contains_key(id));
		assert_eq!(Balances::balance(&Basket::basket_account(id)), 0);
		assert_eq!(TokensToDestroy::<Test>::get(id), Some(4));

		// When anyone destroys the token: gone, its metadata deposit back to the curator.
		assert_ok!(Basket::destroy_basket_token(RuntimeOrigin::signed(1), id));
		assert_eq!(
			basket_events(),
			vec![Event::BasketTokenDestroyed {
				basket: id,
				asset_id: asset,
				curator: 4,
				refunded: METADATA_DEPOSIT,
			}]
		);
		assert!(!Assets::asset_exists(asset));
		assert!(!TokensToDestroy::<Test>::contains_key(id));
		assert_eq!(Balances::balance(&4), free_before + BASKET_DEPOSIT + ED + METADATA_DEPOSIT);

		// Nothing about it works any more.
		assert_noop!(
			Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U),
			Error::<Test>::UnknownBasket
		);
		assert_noop!(
			Basket::close_basket(RuntimeOrigin::signed(4), id),
			Error::<Test>::UnknownBasket
		);
		assert_noop!(Basket::redeem(RuntimeOrigin::signed(1), id, 1), Error::<Test>::UnknownBasket);
		assert_noop!(
			Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(0, 50), (1, 50)])),
			Error::<Test>::UnknownBasket
		);
		assert_noop!(
			Basket::remove_basket(RuntimeOrigin::signed(1), id),
			Error::<Test>::UnknownBasket
		);
		assert_noop!(
			Basket::destroy_basket_token(RuntimeOrigin::signed(1), id),
			Error::<Test>::NoTokenToDestroy
		);
	});
}

#[test]
fn a_closed_baskets_id_and_token_are_never_reused() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		// Even before its token is destroyed, the next basket gets the next id and token.
		let next = basket(&[(0, 50), (1, 50)]);
		assert_eq!(next, id + 1);
		assert!(Assets::asset_exists(BASKET_OFFSET + next));
		assert_ok!(Basket::destroy_basket_token(RuntimeOrigin::signed(1), id));
		assert!(!Assets::asset_exists(BASKET_OFFSET + id));
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), next, 1_000 * U));
		assert_eq!(Assets::total_issuance(BASKET_OFFSET + id), 0);
	});
}

#[test]
fn only_the_curator_closes_an_open_basket_once() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_noop!(Basket::close_basket(RuntimeOrigin::signed(1), id), Error::<Test>::NotCurator);
		assert_noop!(
			Basket::close_basket(RuntimeOrigin::signed(4), 9),
			Error::<Test>::UnknownBasket
		);
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		assert_eq!(Baskets::<Test>::get(id).unwrap().state, BasketState::Closing);
		assert_noop!(
			Basket::close_basket(RuntimeOrigin::signed(4), id),
			Error::<Test>::BasketClosing
		);
		// Tokens remain: the deposit stays held until they are redeemed.
		assert_eq!(on_hold(4), BASKET_DEPOSIT);
	});
}

#[test]
fn a_closing_basket_takes_no_deposit_or_weight_change_but_redeems_as_before() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given holders 1 (1_000 U) and 2 (1_000 U) of a 60/40 basket.
		let id = basket(&[(0, 60), (1, 40)]);
		deposit_into(id, 1, 0, 1_000 * U);
		deposit_into(id, 2, 1, 1_000 * U);
		let held_before = held(id);
		let total = supply(id);
		basket_events();

		// When the curator closes it.
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		assert_eq!(
			basket_events(),
			vec![Event::BasketClosing { basket: id, supply: total, pending: 0 }]
		);

		// Then deposits and weight changes are refused...
		assert_noop!(
			Basket::deposit(RuntimeOrigin::signed(3), id, 1_000 * U),
			Error::<Test>::BasketClosing
		);
		assert_noop!(
			Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(0, 50), (1, 50)])),
			Error::<Test>::BasketClosing
		);
		// ...and redemptions pay pro rata as before, the deposit held until it is removed.
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(1), id, 400 * U));
		assert_eq!(lrt(0, &1), mul_div(held_before[0], 400 * U, total));
		assert_eq!(lrt(1, &1), mul_div(held_before[1], 400 * U, total));
		redeem_all(id, 1);
		assert_eq!(on_hold(4), BASKET_DEPOSIT);

		// The last token takes all that is left; the basket stays, empty, until anyone
		// removes it.
		let left = held(id);
		let last = tokens(id, 2);
		assert_eq!(last, supply(id));
		basket_events();
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(2), id, last));
		assert_eq!(
			basket_events(),
			vec![Event::Redeemed {
				who: 2,
				basket: id,
				tokens: last,
				paid: vec![(0, left[0]), (1, left[1])].try_into().unwrap(),
				pending: Default::default(),
			}]
		);
		assert_eq!(lrt(0, &1) + lrt(0, &2), held_before[0]);
		assert_eq!(lrt(1, &1) + lrt(1, &2), held_before[1]);
		assert_eq!(on_hold(4), BASKET_DEPOSIT);
		assert_ok!(Basket::remove_basket(RuntimeOrigin::signed(3), id));
		assert_eq!(
			basket_events(),
			vec![Event::BasketClosed {
				basket: id,
				curator: 4,
				deposit: BASKET_DEPOSIT,
				refunded: ED
			}]
		);
		assert_eq!(on_hold(4), 0);
		assert!(!Baskets::<Test>::contains_key(id));
		assert_ok!(Basket::destroy_basket_token(RuntimeOrigin::signed(3), id));
		assert!(!Assets::asset_exists(BASKET_OFFSET + id));
	});
}

#[test]
fn only_a_closing_basket_left_empty_is_removed() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let (id, _) = super::redeem::four_pool_basket();
		assert_noop!(
			Basket::remove_basket(RuntimeOrigin::signed(1), 9),
			Error::<Test>::UnknownBasket
		);
		// Open: not removed.
		assert_noop!(
			Basket::remove_basket(RuntimeOrigin::signed(1), id),
			Error::<Test>::BasketNotClosing
		);
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		// Tokens left.
		assert_noop!(
			Basket::remove_basket(RuntimeOrigin::signed(1), id),
			Error::<Test>::BasketNotEmpty
		);
		for who in [1, 2, 3] {
			redeem_all(id, who);
		}
		// The last tokens redeemed, but their redemption not paid in full: still not.
		assert_ok!(Basket::redeem(RuntimeOrigin::signed(5), id, tokens(id, 5)));
		assert_eq!(supply(id), 0);
		assert_eq!(Baskets::<Test>::get(id).unwrap().pending, 1);
		assert_noop!(
			Basket::remove_basket(RuntimeOrigin::signed(1), id),
			Error::<Test>::BasketNotEmpty
		);
		// Anyone pays it (to account 5), then anyone removes the basket.
		assert_ok!(Basket::claim_redemption(RuntimeOrigin::signed(1), id, 5));
		assert_ok!(Basket::remove_basket(RuntimeOrigin::signed(1), id));
		assert_eq!(on_hold(4), 0);
		assert_eq!(lrt_worth(&5) + lrt_worth(&1) + lrt_worth(&2) + lrt_worth(&3), 3_400 * U);
	});
}

#[test]
fn closing_gives_the_curator_back_exactly_what_the_basket_cost() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given the pallet's account already funded (by an earlier basket), what a basket costs
		// its curator is the deposit (held), the metadata deposit and the basket account's
		// existential deposit.
		basket(&[(0, 50), (1, 50)]);
		let total_before = Balances::total_balance(&4);
		let id = basket(&[(0, 50), (1, 50)]);
		assert_eq!(Balances::total_balance(&4), total_before - METADATA_DEPOSIT - ED);

		// When it is used, closed, emptied by its holders, removed and its token destroyed.
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		redeem_all(id, 1);
		assert_ok!(Basket::remove_basket(RuntimeOrigin::signed(1), id));
		assert_ok!(Basket::destroy_basket_token(RuntimeOrigin::signed(1), id));

		// Then the curator has exactly what it had, and none of the holders' LRT.
		assert_eq!(Balances::total_balance(&4), total_before);
		assert_eq!(on_hold(4), BASKET_DEPOSIT);
		assert_eq!(lrt(0, &4) + lrt(1, &4), 0);
		assert_eq!(lrt(0, &1) + lrt(1, &1), 1_000 * U);
	});
}

#[test]
fn the_deposit_is_released_once_and_only_for_the_removed_basket() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given two baskets of the same curator: two deposits held.
		let first = basket(&[(0, 50), (1, 50)]);
		let second = basket(&[(1, 50), (2, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), second, 1_000 * U));
		assert_eq!(on_hold(4), 2 * BASKET_DEPOSIT);

		// When the first closes, only its deposit is released; closing it again fails.
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), first));
		assert_eq!(on_hold(4), BASKET_DEPOSIT);
		assert_noop!(
			Basket::close_basket(RuntimeOrigin::signed(4), first),
			Error::<Test>::UnknownBasket
		);

		// And the second's closing, last redemption and removal release its own, once.
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), second));
		redeem_all(second, 1);
		assert_eq!(on_hold(4), BASKET_DEPOSIT);
		assert_ok!(Basket::remove_basket(RuntimeOrigin::signed(1), second));
		assert_eq!(on_hold(4), 0);
		assert_noop!(
			Basket::remove_basket(RuntimeOrigin::signed(1), second),
			Error::<Test>::UnknownBasket
		);
		assert_noop!(
			Basket::redeem(RuntimeOrigin::signed(1), second, 1),
			Error::<Test>::UnknownBasket
		);
		assert_eq!(on_hold(4), 0);
	});
}

#[test]
fn an_open_basket_emptied_by_its_holders_stays_open_until_closed() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		redeem_all(id, 1);
		// Not closing: it stays, and takes deposits again.
		assert!(Baskets::<Test>::contains_key(id));
		assert_eq!(on_hold(4), BASKET_DEPOSIT);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(2), id, 1_000 * U));
		redeem_all(id, 2);
		// Its curator closes it empty: removed at once.
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		assert!(!Baskets::<Test>::contains_key(id));
		assert_eq!(on_hold(4), 0);
	});
}

#[test]
fn approvals_are_removed_a_few_per_call_until_the_token_is_destroyed() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a basket whose holder approved `4 × DESTROY_ITEMS_PER_CALL + 1` spenders before
		// redeeming everything.
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		let approvals = 4 * DESTROY_ITEMS_PER_CALL + 1;
		approve(id, 1, approvals);
		assert_eq!(Balances::reserved_balance(1), u64::from(approvals));
		redeem_all(id, 1);
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		basket_events();

		// When anyone calls `destroy_basket_token` again and again: each call removes
		// DESTROY_ITEMS_PER_CALL approvals (their deposits back to their owner), the fifth
		// the last one and the token.
		for _ in 0..4 {
			assert_ok!(Basket::destroy_basket_token(RuntimeOrigin::signed(2), id));
			assert_eq!(
				basket_events(),
				vec![Event::BasketTokenDestroying { basket: id, removed: DESTROY_ITEMS_PER_CALL }]
			);
		}
		assert!(Assets::asset_exists(BASKET_OFFSET + id));
		let info = Basket::destroy_basket_token(RuntimeOrigin::signed(2), id).unwrap();
		assert_eq!(info.actual_weight, Some(<() as crate::WeightInfo>::destroy_basket_token(1)));
		assert_eq!(
			basket_events(),
			vec![Event::BasketTokenDestroyed {
				basket: id,
				asset_id: BASKET_OFFSET + id,
				curator: 4,
				refunded: METADATA_DEPOSIT,
			}]
		);
		assert!(!Assets::asset_exists(BASKET_OFFSET + id));
		assert_eq!(Balances::reserved_balance(1), 0);
	});
}

#[test]
fn as_many_approvals_as_one_call_removes_go_with_the_token() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		approve(id, 1, DESTROY_ITEMS_PER_CALL);
		redeem_all(id, 1);
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		assert_ok!(Basket::destroy_basket_token(RuntimeOrigin::signed(2), id));
		assert!(!Assets::asset_exists(BASKET_OFFSET + id));
		assert_eq!(Balances::reserved_balance(1), 0);
	});
}

#[test]
fn donations_change_nothing_the_last_holder_receives() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 1, 0, 1_000 * U);
		deposit_into(id, 1, 1, 1_000 * U);
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		// Account 3 donates PAL and pool LRT to the basket's account.
		let account = Basket::basket_account(id);
		assert_ok!(Balances::transfer(&3, &account, 7 * U, Preservation::Preserve));
		assert_ok!(MockPools::deposit_as(&3, 0, 10 * U));
		assert_ok!(<Assets as FungiblesMutate<_>>::transfer(
			MockPools::lrt_asset_id(0),
			&3,
			&account,
			10 * U,
			Preservation::Expendable
		));
		let held_before = held(id);
		let curator_before = Balances::total_balance(&4);

		redeem_all(id, 1);
		assert_ok!(Basket::remove_basket(RuntimeOrigin::signed(1), id));

		// The holder gets the recorded holdings, not the donation; the donated PAL goes back
		// with the basket account's existential deposit to the curator, who paid it; the
		// donated LRT stays in the keyless account, owned by nobody.
		assert_eq!(lrt(0, &1), held_before[0]);
		assert_eq!(lrt(1, &1), held_before[1]);
		assert_eq!(lrt(0, &account), 10 * U);
		assert_eq!(Balances::total_balance(&4), curator_before + ED + 7 * U);
	});
}

#[test]
fn a_slash_while_closing_is_shared_pro_rata_as_if_it_were_open() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given holders 1 (a quarter) and 2 (three quarters) of a basket holding 1_000 U of
		// each pool, closed.
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 1, 0, 500 * U);
		deposit_into(id, 2, 1, 1_000 * U);
		deposit_into(id, 2, 0, 500 * U);
		assert_eq!(held(id), vec![1_000 * U, 1_000 * U]);
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));

		// When pool 0 is slashed by 10%, between the two redemptions.
		redeem_all(id, 1);
		MockPools::slash(0, MockPools::active(0) / 10);
		redeem_all(id, 2);

		// Then both hold their share of each pool LRT, and each bears the slash in
		// proportion, through the LRT itself: redeeming first escaped nothing.
		assert_eq!(lrt(0, &1) + lrt(0, &2), 1_000 * U);
		assert_eq!(lrt(0, &1), 250 * U);
		for who in [1, 2] {
			assert_eq!(lrt_worth(&who), mul_div(lrt(0, &who), 9, 10) + lrt(1, &who));
		}
	});
}

#[test]
fn the_curator_cannot_close_a_basket_out_from_under_its_holders() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// Given a holder, and the curator closing the basket and closing pool 1 (it curates
		// that pool too) so that the holder might not get out.
		let id = basket(&[(0, 50), (1, 50)]);
		deposit_into(id, 1, 0, 500 * U);
		deposit_into(id, 1, 1, 500 * U);
		assert_ok!(Basket::close_basket(RuntimeOrigin::signed(4), id));
		MockPools::set_open(1, false);

		// The holder redeems whenever it wants, in kind, all of it; the curator gets nothing
		// of it, and cannot remove the basket first.
		System::set_block_number(1_000);
		assert_noop!(
			Basket::remove_basket(RuntimeOrigin::signed(4), id),
			Error::<Test>::BasketNotEmpty
		);
		redeem_all(id, 1);
		assert_eq!(lrt_worth(&1), 1_000 * U);
		assert_eq!(lrt_worth(&4), 0);
		assert_ok!(Basket::remove_basket(RuntimeOrigin::signed(4), id));
		assert_eq!(Balances::balance(&Basket::basket_account(id)), 0);
		// The owner role of the (destroying) token is still the pallet's, until destroyed.
		assert_eq!(Assets::owner(BASKET_OFFSET + id), Some(Basket::account_id()));
	});
}
