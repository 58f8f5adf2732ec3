//! The basket pallet's tests, one file per topic.

mod attacks;
mod close;
mod create;
mod deposit;
mod pools;
mod redeem;

use crate::{mock::*, *};
use frame_support::assert_ok;
use palisade_primitives::{PoolDeposits, PoolId};
use sp_runtime::Perbill;

/// Weights from `(pool, percent)` pairs.
pub(crate) fn weights(pairs: &[(PoolId, u32)]) -> WeightsOf<Test> {
	pairs
		.iter()
		.map(|(pool, pct)| (*pool, Perbill::from_percent(*pct)))
		.collect::<Vec<_>>()
		.try_into()
		.expect("within MaxPoolsPerBasket")
}

/// Account 4 creates a basket over `pairs`; returns its id.
pub(crate) fn basket(pairs: &[(PoolId, u32)]) -> BasketId {
	let id = NextBasketId::<Test>::get();
	assert_ok!(Basket::create_basket(RuntimeOrigin::signed(4), weights(pairs)));
	id
}

/// The basket's token balance of `who`.
pub(crate) fn tokens(basket: BasketId, who: AccountId) -> Balance {
	Assets::balance(BASKET_OFFSET + basket, who)
}

/// `who`'s LRT of `pool`.
pub(crate) fn lrt(pool: PoolId, who: &AccountId) -> Balance {
	Assets::balance(MockPools::lrt_asset_id(pool), who)
}

/// The LRT the basket holds, as recorded, per pool.
pub(crate) fn held(basket: BasketId) -> Vec<Balance> {
	BasketPools::<Test>::get(basket).iter().map(|entry| entry.lrt).collect()
}

/// `⌊a × b / c⌋` in 128 bits.
pub(crate) fn mul_div(a: Balance, b: Balance, c: Balance) -> Balance {
	(u128::from(a) * u128::from(b) / u128::from(c)) as Balance
}

/// What `who`'s pool LRT (of every pool) is worth now, in PAL.
pub(crate) fn lrt_worth(who: &AccountId) -> Balance {
	(0..MockPools::next_id()).map(|pool| MockPools::lrt_value(pool, lrt(pool, who))).sum()
}

/// The basket tokens' supply.
pub(crate) fn supply(basket: BasketId) -> Balance {
	Basket::supply(basket)
}

/// What `who`'s pending redemption in `basket` is still owed, per pool (empty: none).
pub(crate) fn owed(basket: BasketId, who: AccountId) -> Vec<(PoolId, Balance)> {
	PendingRedemptions::<Test>::get(basket, who).map(|o| o.into_inner()).unwrap_or_default()
}

/// Pay `who`'s pending redemption in `basket` in full (anyone may: account 5 calls).
pub(crate) fn claim_all(basket: BasketId, who: AccountId) {
	while PendingRedemptions::<Test>::contains_key(basket, who) {
		assert_ok!(Basket::claim_redemption(RuntimeOrigin::signed(5), basket, who));
	}
}

/// `who` redeems `amount` tokens of `basket` and claims the rest until paid in full.
pub(crate) fn redeem_paid(basket: BasketId, who: AccountId, amount: Balance) {
	assert_ok!(Basket::redeem(RuntimeOrigin::signed(who), basket, amount));
	claim_all(basket, who);
}

/// `who` redeems all its tokens of `basket`, paid in full.
pub(crate) fn redeem_all(basket: BasketId, who: AccountId) {
	redeem_paid(basket, who, tokens(basket, who));
}

/// `who` deposits `amount` into `basket`, which must go to `pool` (whole or capped: the tests
/// of the cap check the amount).
pub(crate) fn deposit_into(basket: BasketId, who: AccountId, pool: PoolId, amount: Balance) {
	let pools = Basket::pools_of(basket);
	let before = BasketPools::<Test>::get(basket);
	let pos = pools.iter().position(|p| *p == pool).expect("pool of the basket");
	assert_ok!(Basket::deposit(RuntimeOrigin::signed(who), basket, amount));
	let after = BasketPools::<Test>::get(basket);
	assert!(after[pos].lrt > before[pos].lrt, "the deposit did not go to pool {pool}");
}

/// `count` more native pools (ids from 4 on in `with_pools`).
pub(crate) fn more_pools(count: u32) -> Vec<PoolId> {
	(0..count).map(|_| MockPools::create(true)).collect()
}
