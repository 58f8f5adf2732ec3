//! Storage invariants, checked by `try_state` and after every unit test.

use crate::*;
use alloc::{collections::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, fungibles, Get},
};
use palisade_primitives::{PoolDeposits, PoolId};
use sp_arithmetic::{MultiplyRational, Rounding};
use sp_runtime::{
	traits::{CheckedAdd, Zero},
	Perbill, TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Check the pallet's storage invariants:
	///
	/// 1. Every basket's id is below [`NextBasketId`], its account is its sub-account, it has
	///    its pools and its token asset, whose owner, issuer and admin is this pallet's account.
	/// 2. Its pools are distinct: first 2 to `MaxPoolsPerBasket` weighted ones, with non-zero
	///    weights summing to exactly 100%, then the retired ones (weight zero), each holding
	///    LRT (a retired pool holding nothing is dropped).
	/// 3. Every holding is zero or at least its LRT's minimum balance, and every amount a
	///    pending redemption is owed at least that minimum, so that every payment out of the
	///    basket's account can be made.
	/// 4. The basket's account holds, of each pool's LRT, at least what the basket records for
	///    its holders plus what its pending redemptions are owed: `Σ owed + held ≤ balance`.
	/// 5. A basket without tokens holds no pool LRT (the last redemption takes it all, owed at
	///    once), so it has no retired pool: nobody can buy into LRT owned by nobody.
	/// 6. The rate never gives holders more than the basket's holdings: redeeming the whole
	///    supply is owed, for each pool, `⌊held × S / S⌋ ≤ held` (each holder is owed rounded
	///    down, so any set of holders together at most that).
	/// 7. A basket's count of pending redemptions is the number of its [`PendingRedemptions`]
	///    entries; each entry is non-empty, its pools distinct, its basket known.
	/// 8. No [`BasketPools`] entry without its basket.
	/// 9. What each curator has on hold for baskets ([`HoldReason::BasketDeposit`]) is exactly
	///    the sum of its baskets' recorded deposits: a removed basket's deposit was released,
	///    once.
	/// 10. A token waiting to be destroyed ([`TokensToDestroy`]) belongs to a removed basket
	///     (below [`NextBasketId`], not in [`Baskets`]) and has no supply.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next = NextBasketId::<T>::get();
		let us = Some(Self::account_id());
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut pending_entries: BTreeMap<BasketId, u32> = BTreeMap::new();
		for (basket, _, owed) in PendingRedemptions::<T>::iter() {
			ensure!(Baskets::<T>::contains_key(basket), "pending redemption of an unknown basket");
			ensure!(!owed.is_empty(), "empty pending redemption");
			for (i, (pool, lrt)) in owed.iter().enumerate() {
				ensure!(
					!owed.iter().skip(i.saturating_add(1)).any(|(other, _)| other == pool),
					"pool twice in a pending redemption"
				);
				ensure!(
					!lrt.is_zero() && *lrt >= Self::lrt_min(*pool),
					"pending redemption owed nothing or less than the LRT's minimum balance"
				);
			}
			let count = pending_entries.entry(basket).or_insert(0);
			*count = count.saturating_add(1);
		}
		for (basket, record) in Baskets::<T>::iter() {
			ensure!(basket < next, "basket id not below NextBasketId");
			ensure!(record.account == Self::basket_account(basket), "basket account not its own");
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
				pending_entries.get(&basket).copied().unwrap_or(0) == record.pending,
				"basket's pending count differs from its pending redemptions"
			);
			let supply = Self::supply_of(asset);
			let held = deposits.entry(record.curator.clone()).or_insert_with(Zero::zero);
			*held = held.checked_add(&record.deposit).ok_or("basket deposits overflow")?;

			let pools = BasketPools::<T>::get(basket);
			let weighted = pools.iter().take_while(|entry| !entry.weight.is_zero()).count();
			ensure!(
				weighted >= 2 && weighted as u32 <= T::MaxPoolsPerBasket::get(),
				"basket without 2 to MaxPoolsPerBasket weighted pools"
			);
			let owed = Self::owed_by(basket);
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
				ensure!(
					entry.lrt.is_zero() || entry.lrt >= Self::lrt_min(entry.pool),
					"holding below the LRT's minimum balance"
				);
				ensure!(
					!supply.is_zero() || entry.lrt.is_zero(),
					"basket without tokens holds pool LRT"
				);
				if !supply.is_zero() {
					let all = entry
						.lrt
						.multiply_rational(supply, supply, Rounding::Down)
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
			// Held and owed, per pool (a pool only owed may have left the basket's pools).
			let mut pool_ids: Vec<PoolId> = pools.iter().map(|entry| entry.pool).collect();
			pool_ids.extend(owed.iter().map(|(pool, _)| *pool));
			pool_ids.sort();
			pool_ids.dedup();
			for pool in pool_ids {
				let recorded = pools
					.iter()
					.find(|entry| entry.pool == pool)
					.map_or_else(Zero::zero, |entry| entry.lrt);
				let owed =
					owed.iter().find(|(p, _)| *p == pool).map_or_else(Zero::zero, |(_, lrt)| *lrt);
				let needed = recorded.checked_add(&owed).ok_or("held and owed LRT overflow")?;
				let balance = <T::Assets as fungibles::Inspect<_>>::balance(
					T::Pools::lrt_asset_id(pool),
					&record.account,
				);
				ensure!(balance >= needed, "basket account holds less LRT than recorded and owed");
			}
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
		for basket in TokensToDestroy::<T>::iter_keys() {
			ensure!(
				basket < next && !Baskets::<T>::contains_key(basket),
				"token to destroy of a basket not removed"
			);
			let asset = Self::token_asset_id(basket).ok_or("basket token id overflows")?;
			ensure!(
				<T::Assets as fungibles::Inspect<_>>::asset_exists(asset)
					&& Self::supply_of(asset).is_zero(),
				"token to destroy gone or with a supply"
			);
		}
		Ok(())
	}
}
