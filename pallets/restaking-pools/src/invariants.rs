//! Storage invariants, checked by `try_state` and after every unit test. Totals are recomputed
//! from scratch and compared with the stored ones.

use crate::*;
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect as _, InspectHold},
		fungibles, Get,
	},
};
use palisade_primitives::{Collateral, ConsumerId, LrtInterface, PoolId};
use sp_runtime::{
	traits::{CheckedAdd, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Check the pallet's storage invariants:
	///
	/// 1. Native custody, exactly: for every pool, the balance held on its account for
	///    [`HoldReason::PoolFunds`] equals what the pool owes in native (active value and queue of
	///    a native pool, reward pot and queued rewards). Its free balance is at least the
	///    existential deposit (donations may add to it).
	/// 2. Asset custody: for every asset pool, the pool account's asset balance is at least the
	///    seed plus the active value and the queue (`>=` only because anyone may donate assets to
	///    the account; storage never reads them). A native pool has no seed and no reward pot.
	/// 3. LRT: the pool's LRT asset is the one `pallet-lrt` derives, its total issuance equals the
	///    recorded supply, and a pool without LRT has an empty reward pot.
	/// 4. Queue: its points are zero exactly when its value is; the points of the open requests
	///    of the current era sum to the queue's points; the rewards of all open requests of a
	///    pool sum to its queued rewards.
	/// 5. Requests: each account's open-request counter equals its requests (at most
	///    `MaxWithdrawalRequests`, no zero counter stored), request ids are below
	///    [`NextRequestId`], and every request's pool exists.
	/// 6. Creation deposits: each creator's balance held for [`HoldReason::PoolDeposit`] equals
	///    the creation deposits of its pools.
	/// 7. Allocations: every stored list is non-empty, belongs to an existing pool, has no
	///    duplicate operator and no void entry; per (pool, consumer) the current fractions and
	///    the peaks (larger of current and pending) both sum to at most 100%.
	///    [`PoolConsumers`] lists exactly the consumers with a list, without duplicates;
	///    [`PairPools`] lists, sorted and without duplicates, exactly the pools with an entry
	///    for the pair.
	/// 8. Pool ids are below [`NextPoolId`]; metadata exists only for pools; valuations are not
	///    zero.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next_pool = NextPoolId::<T>::get();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut request_points: BTreeMap<PoolId, BalanceOf<T>> = BTreeMap::new();
		let mut request_rewards: BTreeMap<PoolId, BalanceOf<T>> = BTreeMap::new();

		// 4, 5.
		let next_request = NextRequestId::<T>::get();
		let mut counts: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		for (who, id, request) in WithdrawalRequests::<T>::iter() {
			ensure!(id < next_request, "request id not below NextRequestId");
			let record = Pools::<T>::get(request.pool).ok_or("request for an unknown pool")?;
			let count = counts.entry(who).or_default();
			*count = count.saturating_add(1);
			if request.queue_era == record.queue.era {
				let points = request_points.entry(request.pool).or_default();
				*points = points.checked_add(&request.points).ok_or("points overflow")?;
			} else {
				ensure!(request.queue_era < record.queue.era, "request of a future queue era");
			}
			let rewards = request_rewards.entry(request.pool).or_default();
			*rewards = rewards.checked_add(&request.reward).ok_or("rewards overflow")?;
		}
		for (who, open) in OpenRequests::<T>::iter() {
			ensure!(open != 0, "zero open-request counter stored");
			ensure!(open <= T::MaxWithdrawalRequests::get(), "too many open requests");
			ensure!(counts.remove(&who) == Some(open), "open-request counter differs");
		}
		ensure!(counts.is_empty(), "requests without an open-request counter");

		for (pool, record) in Pools::<T>::iter() {
			ensure!(pool < next_pool, "pool id not below NextPoolId");
			let account = Self::pool_account(pool);
			// 1.
			let native_collateral = match record.collateral {
				Collateral::Native => record
					.active
					.checked_add(&record.queue.value)
					.ok_or("native collateral overflows")?,
				Collateral::Asset(_) => Zero::zero(),
			};
			let native_owed = native_collateral
				.checked_add(&record.reward_pot)
				.and_then(|owed| owed.checked_add(&record.queued_rewards))
				.ok_or("native owed overflows")?;
			ensure!(
				T::Currency::balance_on_hold(&Self::funds_reason(), &account) == native_owed,
				"pool account's held balance differs from what the pool owes in native"
			);
			ensure!(
				T::Currency::balance(&account) >= Self::native_ed(),
				"pool account's free balance below the existential deposit"
			);
			// 2.
			match record.collateral {
				Collateral::Native => {
					ensure!(record.seed.is_zero(), "native pool with a seed");
					ensure!(record.reward_pot.is_zero(), "native pool with a reward pot");
					ensure!(record.queued_rewards.is_zero(), "native pool with queued rewards");
				}
				Collateral::Asset(asset) => {
					let owed = record
						.seed
						.checked_add(&record.active)
						.and_then(|owed| owed.checked_add(&record.queue.value))
						.ok_or("asset owed overflows")?;
					ensure!(
						<T::Assets as fungibles::Inspect<_>>::balance(asset, &account) >= owed,
						"pool account holds less of the asset than the pool owes"
					);
				}
			}
			// 3.
			ensure!(record.lrt_asset == T::Lrt::asset_id(pool), "LRT asset id differs");
			let supply = T::Lrt::supply(pool);
			ensure!(
				<T::Assets as fungibles::Inspect<_>>::total_issuance(record.lrt_asset) == supply,
				"LRT total issuance differs from the recorded supply"
			);
			ensure!(!supply.is_zero() || record.reward_pot.is_zero(), "reward pot without LRT");
			// 4.
			ensure!(
				record.queue.points.is_zero() == record.queue.value.is_zero(),
				"queue points zero but not its value, or the other way round"
			);
			ensure!(
				request_points.remove(&pool).unwrap_or_default() == record.queue.points,
				"queue points differ from the open requests' points"
			);
			ensure!(
				request_rewards.remove(&pool).unwrap_or_default() == record.queued_rewards,
				"queued rewards differ from the open requests' rewards"
			);
			// 6.
			let held = deposits.entry(record.depositor.clone()).or_default();
			*held = held.checked_add(&record.creation_deposit).ok_or("deposits overflow")?;
		}
		// 6.
		for (who, expected) in deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::PoolDeposit.into(), &who) == expected,
				"held creation deposit differs from the pools' creation deposits"
			);
		}

		// 7.
		let mut consumers_of: BTreeMap<PoolId, BTreeSet<ConsumerId>> = BTreeMap::new();
		let mut pair_pools: BTreeMap<(ConsumerId, T::AccountId), BTreeSet<PoolId>> =
			BTreeMap::new();
		for (pool, consumer, entries) in Allocations::<T>::iter() {
			ensure!(Pools::<T>::contains_key(pool), "allocation of an unknown pool");
			ensure!(!entries.is_empty(), "empty allocation list stored");
			let mut operators = BTreeSet::new();
			for entry in entries.iter() {
				ensure!(operators.insert(entry.operator.clone()), "duplicate operator");
				ensure!(!entry.is_void(), "void allocation entry");
				pair_pools.entry((consumer, entry.operator.clone())).or_default().insert(pool);
			}
			ensure!(
				sum_parts(entries.iter().map(|entry| entry.current)) <= FULL_PARTS,
				"current allocations above 100%"
			);
			ensure!(
				sum_parts(entries.iter().map(|entry| entry.peak())) <= FULL_PARTS,
				"current and pending allocations above 100%"
			);
			consumers_of.entry(pool).or_default().insert(consumer);
		}
		for (pool, consumers) in PoolConsumers::<T>::iter() {
			let listed: BTreeSet<ConsumerId> = consumers.iter().copied().collect();
			ensure!(listed.len() == consumers.len(), "duplicate consumer in PoolConsumers");
			ensure!(
				consumers_of.remove(&pool) == Some(listed),
				"PoolConsumers differs from the allocations"
			);
		}
		ensure!(consumers_of.is_empty(), "allocations missing from PoolConsumers");
		for (consumer, operator, pools) in PairPools::<T>::iter() {
			ensure!(
				pools.windows(2).all(|pair| matches!(pair, [a, b] if a < b)),
				"PairPools not strictly sorted"
			);
			let listed: BTreeSet<PoolId> = pools.iter().copied().collect();
			ensure!(
				pair_pools.remove(&(consumer, operator)) == Some(listed),
				"PairPools differs from the allocations"
			);
		}
		ensure!(pair_pools.is_empty(), "allocations missing from PairPools");

		// 8.
		for (pool, _) in PoolMetadata::<T>::iter() {
			ensure!(Pools::<T>::contains_key(pool), "metadata of an unknown pool");
		}
		for (_, valuation) in CollateralValuations::<T>::iter() {
			ensure!(!valuation.is_zero(), "zero valuation stored");
		}
		Ok(())
	}
}
