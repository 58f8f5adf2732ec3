//! Storage invariants, checked by `try_state` and after every unit test.

use crate::*;
use alloc::collections::BTreeMap;
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, fungibles, Get},
};
use palisade_primitives::PoolDeposits;
use sp_arithmetic::{MultiplyRational, Rounding};
use sp_runtime::{
	traits::{CheckedAdd, Zero},
	Perbill, TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Check the pallet's storage invariants:
	///
	/// 1. Every basket's id is below [`NextBasketId`], it has its pools and its token asset,
	///    whose owner, issuer and admin is this pallet's account.
	/// 2. A basket's recorded supply equals its token's total issuance.
	/// 3. Its pools are distinct: first 2 to `MaxPoolsPerBasket` weighted ones, with non-zero
	///    weights summing to exactly 100%, then the retired ones (weight zero), each holding
	///    LRT (a retired pool holding nothing is dropped).
	/// 4. The basket's account holds at least the LRT recorded for each pool.
	/// 5. A basket without tokens holds no pool LRT (the last redemption takes it all), so it
	///    has no retired pool: nobody can buy into LRT owned by nobody.
	/// 6. The rate never gives holders more than the basket's value: redeeming the whole
	///    supply pays, for each pool, `⌊held × S / S⌋ ≤ held` (each holder is paid rounded
	///    down, so any set of holders together at most that), so Σ redeemable ≤ value.
	/// 7. A closing basket has tokens left (the last redemption, or closing a basket without
	///    tokens, removes it).
	/// 8. No [`BasketPools`] entry without its basket.
	/// 9. What each curator has on hold for baskets ([`HoldReason::BasketDeposit`]) is exactly
	///    the sum of its baskets' recorded deposits: a closed basket's deposit was released,
	///    once.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextBasketId::<T>::get();
		let us = Some(Self::account_id());
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (basket, record) in Baskets::<T>::iter() {
			ensure!(basket < next, "basket id not below NextBasketId");
			let asset = record.asset_id;
			ensure!(
				Self::token_asset_id(basket) == Some(asset),
				"basket token asset id is not offset + basket"
			);
			ensure!(
				<T::Assets as fungibles::Inspect<_>>::asset_exists(asset),
				"basket token asset does not exist"
			);
			ensure!(
				<T::Assets as fungibles::roles::Inspect<_>>::owner(asset) == us
					&& <T::Assets as fungibles::roles::Inspect<_>>::issuer(asset) == us
					&& <T::Assets as fungibles::roles::Inspect<_>>::admin(asset) == us,
				"basket token not owned, issued and administered by the basket pallet"
			);
			ensure!(
				<T::Assets as fungibles::Inspect<_>>::total_issuance(asset) == record.supply,
				"basket supply differs from the token's total issuance"
			);
			ensure!(
				record.state == BasketState::Open || !record.supply.is_zero(),
				"closing basket without tokens"
			);
			let held = deposits.entry(record.curator.clone()).or_insert_with(Zero::zero);
			*held = held.checked_add(&record.deposit).ok_or("basket deposits overflow")?;

			let pools = BasketPools::<T>::get(basket);
			let weighted = pools.iter().take_while(|entry| !entry.weight.is_zero()).count();
			ensure!(
				weighted >= 2 && weighted as u32 <= T::MaxPoolsPerBasket::get(),
				"basket without 2 to MaxPoolsPerBasket weighted pools"
			);
			let mut total: u64 = 0;
			for (i, entry) in pools.iter().enumerate() {
				ensure!(
					!pools.iter().skip(i.saturating_add(1)).any(|other| other.pool == entry.pool),
					"pool twice in a basket"
				);
				if i < weighted {
					total = total.saturating_add(u64::from(entry.weight.deconstruct()));
				} else {
					ensure!(entry.weight.is_zero(), "weighted pool after a retired one");
					ensure!(!entry.lrt.is_zero(), "retired pool holding no LRT");
				}
				let held = <T::Assets as fungibles::Inspect<_>>::balance(
					T::Pools::lrt_asset_id(entry.pool),
					&record.account,
				);
				ensure!(held >= entry.lrt, "basket account holds less LRT than recorded");
				ensure!(
					!record.supply.is_zero() || entry.lrt.is_zero(),
					"basket without tokens holds pool LRT"
				);
				if !record.supply.is_zero() {
					let all = entry
						.lrt
						.multiply_rational(record.supply, record.supply, Rounding::Down)
						.ok_or("redeemable LRT overflows")?;
					ensure!(
						all <= entry.lrt,
						"holders could redeem more LRT than the basket holds"
					);
				}
			}
			ensure!(
				total == u64::from(Perbill::one().deconstruct()),
				"basket weights do not sum to 100%"
			);
		}
		for basket in BasketPools::<T>::iter_keys() {
			ensure!(Baskets::<T>::contains_key(basket), "pools of an unknown basket");
		}
		for (curator, deposit) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::BasketDeposit.into(), &curator)
					== deposit,
				"a curator's basket hold differs from its baskets' deposits"
			);
		}
		Ok(())
	}
}
