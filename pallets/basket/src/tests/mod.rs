//! The basket pallet's tests, one file per topic.

mod attacks;
mod close;
mod create;
mod deposit;
mod pools;
mod redeem;

use crate::{mock::*, *};
use frame_support::assert_ok;
use palisade_primitives::{PoolDeposits, PoolId, PoolRewardsSource};
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
	Baskets::<Test>::get(basket).map(|record| record.supply).unwrap_or_default()
}
