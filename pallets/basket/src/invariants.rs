//! Storage invariants, checked by `try_state` and after every unit test.

use crate::*;
use frame_support::{ensure, traits::fungibles};
use palisade_primitives::PoolDeposits;
use sp_arithmetic::{MultiplyRational, Rounding};
use sp_runtime::{traits::Zero, Perbill, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Check the pallet's storage invariants:
	///
	/// 1. Every basket's id is below [`NextBasketId`], it has its pools and its token asset,
	///    whose owner, issuer and admin is this pallet's account.
	/// 2. A basket's recorded supply equals its token's total issuance.
	/// 3. It has 2 to `MaxPoolsPerBasket` distinct pools with non-zero weights summing to
	///    exactly 100%.
	/// 4. The basket's account holds at least the LRT recorded for each pool.
	/// 5. A basket without tokens holds no pool LRT (the last redemption takes it all): nobody
	///    can buy into LRT owned by nobody.
	/// 6. The rate never gives holders more than the basket's value: redeeming the whole
	///    supply pays, for each pool, `⌊held × S / S⌋ ≤ held` (each holder is paid rounded
	///    down, so any set of holders together at most that), so Σ redeemable ≤ value.
	/// 7. No [`BasketPools`] entry without its basket.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextBasketId::<T>::get();
		let us = Some(Self::account_id());
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
			let pools = BasketPools::<T>::get(basket);
			ensure!(pools.len() >= 2, "basket with fewer than two pools");
			let mut total: u64 = 0;
			for (i, entry) in pools.iter().enumerate() {
				ensure!(
					!pools.iter().skip(i.saturating_add(1)).any(|other| other.pool == entry.pool),
					"pool twice in a basket"
				);
				ensure!(!entry.weight.is_zero(), "zero weight in a basket");
				total = total.saturating_add(u64::from(entry.weight.deconstruct()));
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
		Ok(())
	}
}
