//! Storage invariants, checked by `try_state` and after every unit test. Totals are recomputed
//! from scratch and compared with the stored ones.

use crate::*;
use alloc::collections::{btree_map::BTreeMap, btree_set::BTreeSet};
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect as _, InspectHold},
		fungibles,
		tokens::{Fortitude, Preservation},
		Get,
	},
};
use palisade_primitives::{
	AssetId, Collateral, ConsumerId, EpochIndex, EpochProvider, LrtInterface, PoolId,
};
use sp_runtime::{
	traits::{CheckedAdd, Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Check the pallet's storage invariants:
	///
	/// 1. Native custody: for every pool, the free balance of its account is at least the
	///    existential deposit plus what the pool owes in native (active value, queue and owed
	///    slashes of a native pool, reward pot and queued rewards), and all that is owed can be
	///    paid out of it with the account kept alive (nothing holds or freezes it). `>=` only
	///    because anyone may donate to the account (storage never reads it); nothing is held on
	///    it. Pool accounts are distinct.
	/// 2. Asset custody: for every asset pool, the pool account's asset balance is at least the
	///    seed plus the active value, the queue and the owed slashes (`>=` only because anyone
	///    may donate assets to the account; storage never reads them). A native pool has no seed
	///    and no reward pot.
	/// 3. LRT: the pool's LRT asset is the one `pallet-lrt` derives, its total issuance equals the
	///    recorded supply, a pool without LRT has an empty reward pot, and the whole supply
	///    redeems for at most the active value (so the sum of what every holder can redeem never
	///    exceeds what the pool holds for them, after any sequence of slashes).
	/// 4. Queue: the bucket values of a pool sum to its `queued`; in each bucket the points are
	///    zero exactly when the value is, the points of its open requests of the current era
	///    sum to its points, its request counter counts the requests in it, and its key is at
	///    most its last epoch; the bucket counters of a pool sum to its `requests`; the live
	///    list is strictly ascending, at most `MaxQueueBuckets`, of existing buckets; the
	///    rewards of all open requests of a pool sum to its queued rewards.
	/// 5. Requests: each account's open-request counter equals its requests (at most
	///    `MaxWithdrawalRequests`, no zero counter stored), request ids are below
	///    [`NextRequestId`], every request's pool exists, and each account's balance held for
	///    [`HoldReason::WithdrawalRequest`] equals its requests' deposits.
	/// 6. Creation deposits: each creator's balance held for [`HoldReason::PoolDeposit`] equals
	///    the creation deposits of its pools.
	/// 7. Allocations: every stored list is non-empty, belongs to an existing pool, has no
	///    duplicate operator and no void entry; per (pool, consumer) the fractions in force at
	///    the current epoch and the peaks from it on (larger of current and pending, the pending
	///    fraction alone once due) both sum to at most 100%, so no epoch from now on can be
	///    backed by more than the pool's stake. (Measured at the current epoch, not on the
	///    stored `current`: a change due but not finalised, left by full schedules, is settled
	///    later, and the room a due decrease frees may be allocated before.)
	///    [`PoolConsumers`] lists exactly the consumers with a list, without duplicates;
	///    [`PairPools`] lists, sorted and without duplicates, exactly the pools with an entry
	///    for the pair.
	/// 8. Pool ids are below [`NextPoolId`]; metadata exists only for pools; valuations are not
	///    zero and equal the last valuation kept.
	/// 9. Owed slashes: [`OwedSlashes`] exists exactly for the pools with a non-zero `owed`,
	///    has no zero entry nor duplicate beneficiary, and sums to `owed`.
	/// 10. Reverse indexes: [`PoolOfAccount`] maps exactly the pools' accounts to their pools;
	///     [`AssetPoolCount`] counts, for each asset, exactly the pools holding it as
	///     collateral, with no zero entry.
	/// 11. Staked pools (see `staking.rs`): [`StakedPools`] exists exactly for the pools of
	///     `NativeStaked` collateral; staking's ledger of the pool account has an active stake
	///     that with its [`PendingBonds`] (not zero if stored; none for a pool out of staking)
	///     equals `active + queued + seed + ghost_pending`, and an unlocking total equal to the
	///     queue values of its [`UnbondingChunks`] of eras not yet withdrawn plus its `ghosts`
	///     (sorted, non-zero, all of eras not yet withdrawn); every chunk has a request; the
	///     chunks' queue values sum to `unbonding` and their request counters to
	///     `unbonding_requests`, which counts exactly the pool's [`UnbondingRequests`], each
	///     of a request of the pool (its chunk's points, of the current era, sum to the
	///     chunk's points); the pool account also holds the seed and what is unbonding. A
	///     pool that left staking (`unstaked`) has no ledger, no ghost, no unbonding request,
	///     no LRT and is closed.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let next_pool = NextPoolId::<T>::get();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		let mut request_points: BTreeMap<(PoolId, EpochIndex), BalanceOf<T>> = BTreeMap::new();
		let mut request_counts: BTreeMap<(PoolId, EpochIndex), u32> = BTreeMap::new();
		let mut request_rewards: BTreeMap<PoolId, BalanceOf<T>> = BTreeMap::new();
		let mut request_deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();

		// 4, 5.
		let next_request = NextRequestId::<T>::get();
		let mut counts: BTreeMap<T::AccountId, u32> = BTreeMap::new();
		let mut unbonding_points: BTreeMap<(PoolId, EraIndex), BalanceOf<T>> = BTreeMap::new();
		let mut unbonding_counts: BTreeMap<PoolId, u32> = BTreeMap::new();
		for (who, id, request) in WithdrawalRequests::<T>::iter() {
			ensure!(id < next_request, "request id not below NextRequestId");
			ensure!(Pools::<T>::contains_key(request.pool), "request for an unknown pool");
			let count = counts.entry(who.clone()).or_default();
			*count = count.saturating_add(1);
			let held = request_deposits.entry(who.clone()).or_default();
			*held = held.checked_add(&request.deposit).ok_or("deposits overflow")?;
			let rewards = request_rewards.entry(request.pool).or_default();
			*rewards = rewards.checked_add(&request.reward).ok_or("rewards overflow")?;
			// 11: a request in its unbonding phase left its bucket.
			if let Some(position) = UnbondingRequests::<T>::get(&who, id) {
				let chunk = UnbondingChunks::<T>::get(request.pool, position.unlock_era)
					.ok_or("unbonding request of a missing chunk")?;
				if position.queue_era == chunk.queue.era {
					let points =
						unbonding_points.entry((request.pool, position.unlock_era)).or_default();
					*points = points.checked_add(&position.points).ok_or("points overflow")?;
				}
				let in_pool = unbonding_counts.entry(request.pool).or_default();
				*in_pool = in_pool.saturating_add(1);
				continue;
			}
			let bucket = QueueBuckets::<T>::get(request.pool, request.bucket)
				.ok_or("request of a missing queue bucket")?;
			let key = (request.pool, request.bucket);
			let in_bucket = request_counts.entry(key).or_default();
			*in_bucket = in_bucket.saturating_add(1);
			if request.queue_era == bucket.queue.era {
				let points = request_points.entry(key).or_default();
				*points = points.checked_add(&request.points).ok_or("points overflow")?;
			} else {
				ensure!(request.queue_era < bucket.queue.era, "request of a future bucket era");
			}
		}
		for (who, id, _) in UnbondingRequests::<T>::iter() {
			ensure!(
				WithdrawalRequests::<T>::contains_key(&who, id),
				"unbonding position of no request"
			);
		}
		for (who, open) in OpenRequests::<T>::iter() {
			ensure!(open != 0, "zero open-request counter stored");
			ensure!(open <= T::MaxWithdrawalRequests::get(), "too many open requests");
			ensure!(counts.remove(&who) == Some(open), "open-request counter differs");
		}
		ensure!(counts.is_empty(), "requests without an open-request counter");
		for (who, held) in request_deposits {
			ensure!(
				T::Currency::balance_on_hold(&HoldReason::WithdrawalRequest.into(), &who) == held,
				"held request deposits differ from the requests' deposits"
			);
		}

		// 4: buckets.
		let mut queued: BTreeMap<PoolId, BalanceOf<T>> = BTreeMap::new();
		let mut bucket_requests: BTreeMap<PoolId, u32> = BTreeMap::new();
		for (pool, key, bucket) in QueueBuckets::<T>::iter() {
			ensure!(Pools::<T>::contains_key(pool), "queue bucket of an unknown pool");
			ensure!(key <= bucket.last_epoch, "bucket key after its last epoch");
			ensure!(
				bucket.queue.points.is_zero() == bucket.queue.value.is_zero(),
				"bucket points zero but not its value, or the other way round"
			);
			ensure!(
				request_points.remove(&(pool, key)).unwrap_or_default() == bucket.queue.points,
				"bucket points differ from its open requests' points"
			);
			ensure!(
				request_counts.remove(&(pool, key)).unwrap_or_default() == bucket.requests,
				"bucket request counter differs from its requests"
			);
			ensure!(bucket.requests != 0, "bucket without requests stored");
			let sum = queued.entry(pool).or_default();
			*sum = sum.checked_add(&bucket.queue.value).ok_or("queue overflow")?;
			let requests = bucket_requests.entry(pool).or_default();
			*requests = requests.saturating_add(bucket.requests);
		}
		ensure!(request_points.is_empty() && request_counts.is_empty(), "requests without bucket");
		for (pool, live) in LiveBuckets::<T>::iter() {
			ensure!(!live.is_empty(), "empty live bucket list stored");
			ensure!(
				live.windows(2).all(|pair| matches!(pair, [a, b] if a < b)),
				"live buckets not strictly ascending"
			);
			for key in live.iter() {
				ensure!(QueueBuckets::<T>::contains_key(pool, key), "live bucket missing");
			}
		}

		// 9.
		let mut owed: BTreeMap<PoolId, BalanceOf<T>> = BTreeMap::new();
		for (pool, entries) in OwedSlashes::<T>::iter() {
			ensure!(!entries.is_empty(), "empty owed-slash list stored");
			let mut beneficiaries = BTreeSet::new();
			let mut sum = BalanceOf::<T>::zero();
			for (beneficiary, amount) in entries.iter() {
				ensure!(!amount.is_zero(), "zero owed-slash entry");
				ensure!(beneficiaries.insert(beneficiary.clone()), "duplicate owed beneficiary");
				sum = sum.checked_add(amount).ok_or("owed overflow")?;
			}
			owed.insert(pool, sum);
		}

		let mut accounts = BTreeSet::new();
		let mut asset_pools: BTreeMap<AssetId, u32> = BTreeMap::new();
		for (pool, record) in Pools::<T>::iter() {
			ensure!(pool < next_pool, "pool id not below NextPoolId");
			let account = record.account.clone();
			ensure!(accounts.insert(account.clone()), "two pools share an account");
			// 10.
			ensure!(
				PoolOfAccount::<T>::get(&account) == Some(pool),
				"PoolOfAccount does not map the pool's account to the pool"
			);
			if let Collateral::Asset(asset) = record.collateral {
				let count = asset_pools.entry(asset).or_default();
				*count = count.saturating_add(1);
			}
			// 9.
			ensure!(
				owed.remove(&pool).unwrap_or_default() == record.owed,
				"owed slashes differ from the pool's owed amount"
			);
			// 4.
			ensure!(
				queued.remove(&pool).unwrap_or_default() == record.queued,
				"queue buckets differ from the pool's queued value"
			);
			ensure!(
				bucket_requests.remove(&pool).unwrap_or_default() == record.requests,
				"bucket request counters differ from the pool's requests"
			);
			ensure!(
				LiveBuckets::<T>::get(pool).len() as u32 <= T::MaxQueueBuckets::get(),
				"too many live buckets"
			);
			// 1.
			let collateral_owed = record
				.active
				.checked_add(&record.queued)
				.and_then(|owed| owed.checked_add(&record.owed))
				.ok_or("collateral owed overflows")?;
			let native_collateral = match record.collateral {
				Collateral::Native => collateral_owed,
				// 11: the seed and what is unbonding are on the pool account too.
				Collateral::NativeStaked => {
					let staked =
						StakedPools::<T>::get(pool).ok_or("staked pool without its record")?;
					Self::check_staked_pool(pool, &record, &staked, &mut unbonding_points)?;
					ensure!(
						unbonding_counts.remove(&pool).unwrap_or_default()
							== staked.unbonding_requests,
						"unbonding requests differ from the pool's counter"
					);
					collateral_owed
						.checked_add(&record.seed)
						.and_then(|owed| owed.checked_add(&staked.unbonding))
						.ok_or("staked owed overflows")?
				}
				Collateral::Asset(_) => Zero::zero(),
			};
			let native_owed = native_collateral
				.checked_add(&record.reward_pot)
				.and_then(|owed| owed.checked_add(&record.queued_rewards))
				.ok_or("native owed overflows")?;
			ensure!(
				T::Currency::balance(&account)
					>= native_owed
						.checked_add(&Self::native_ed())
						.ok_or("native owed overflows")?,
				"pool account's free balance below what the pool owes plus the existential deposit"
			);
			ensure!(
				T::Currency::reducible_balance(&account, Preservation::Preserve, Fortitude::Polite)
					>= native_owed,
				"pool account cannot pay out what the pool owes in native"
			);
			ensure!(
				T::Currency::total_balance_on_hold(&account).is_zero(),
				"funds held on a pool account"
			);
			// 2.
			match record.collateral {
				Collateral::NativeStaked => {
					ensure!(record.reward_pot.is_zero(), "staked pool with a reward pot");
					ensure!(record.queued_rewards.is_zero(), "staked pool with queued rewards");
				}
				Collateral::Native => {
					ensure!(
						!StakedPools::<T>::contains_key(pool),
						"staked record of an unstaked pool"
					);
					ensure!(record.seed.is_zero(), "native pool with a seed");
					ensure!(record.reward_pot.is_zero(), "native pool with a reward pot");
					ensure!(record.queued_rewards.is_zero(), "native pool with queued rewards");
				}
				Collateral::Asset(asset) => {
					let owed =
						record.seed.checked_add(&collateral_owed).ok_or("asset owed overflows")?;
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
			// 3b. Rewards still vesting are part of the active value (or of an asset pool's
			// pot), and only while somebody holds the LRT.
			let vesting_in = match record.collateral {
				Collateral::Asset(_) => record.reward_pot,
				Collateral::Native | Collateral::NativeStaked => record.active,
			};
			ensure!(
				record.locked_rewards(T::EpochInfo::current_epoch()) <= vesting_in,
				"more vesting than the pool holds"
			);
			ensure!(record.vesting.from <= record.vesting.until, "vesting ends before it starts");
			ensure!(
				!supply.is_zero() || record.vesting.amount.is_zero(),
				"rewards vesting in a pool without LRT"
			);
			ensure!(
				T::Lrt::total_redeemable(pool, record.active) <= record.active,
				"LRT holders could redeem more than the pool's active value"
			);
			// 4.
			ensure!(
				request_rewards.remove(&pool).unwrap_or_default() == record.queued_rewards,
				"queued rewards differ from the open requests' rewards"
			);
			// 6.
			let held = deposits.entry(record.depositor.clone()).or_default();
			*held = held.checked_add(&record.creation_deposit).ok_or("deposits overflow")?;
		}
		ensure!(owed.is_empty(), "owed slashes of unknown pools");
		ensure!(
			unbonding_counts.is_empty() && unbonding_points.is_empty(),
			"unbonding requests of no staked pool"
		);
		for (pool, _) in StakedPools::<T>::iter() {
			ensure!(
				Pools::<T>::get(pool).is_some_and(|r| r.collateral == Collateral::NativeStaked),
				"staked record of no staked pool"
			);
		}
		for (pool, _, _) in UnbondingChunks::<T>::iter() {
			ensure!(StakedPools::<T>::contains_key(pool), "unbonding chunk of no staked pool");
		}
		for (pool, _) in PendingBonds::<T>::iter() {
			ensure!(StakedPools::<T>::contains_key(pool), "pending bond of no staked pool");
		}
		// 10.
		ensure!(
			PoolOfAccount::<T>::iter().count() == accounts.len(),
			"PoolOfAccount has accounts of no pool"
		);
		for (asset, count) in AssetPoolCount::<T>::iter() {
			ensure!(
				asset_pools.remove(&asset) == Some(count),
				"AssetPoolCount differs from the pools' collateral (or a zero entry is stored)"
			);
		}
		ensure!(asset_pools.is_empty(), "pooled asset missing from AssetPoolCount");
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
		let now = T::EpochInfo::current_epoch();
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
				sum_parts(entries.iter().map(|entry| entry.fraction_at(now))) <= FULL_PARTS,
				"allocations in force above 100%"
			);
			ensure!(
				sum_parts(entries.iter().map(|entry| entry.peak_at(now))) <= FULL_PARTS,
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
		for (asset, valuation) in CollateralValuations::<T>::iter() {
			ensure!(!valuation.is_zero(), "zero valuation stored");
			ensure!(
				LastValuations::<T>::get(asset) == Some(valuation),
				"last valuation differs from the current one"
			);
		}
		Ok(())
	}

	/// Item 11 for one staked pool: the ledger agrees with the books, the chunks with the
	/// pool's totals and their requests' points (removed from `points` as checked).
	fn check_staked_pool(
		pool: PoolId,
		record: &PoolRecordOf<T>,
		staked: &StakedPoolOf<T>,
		points: &mut BTreeMap<(PoolId, EraIndex), BalanceOf<T>>,
	) -> Result<(), TryRuntimeError> {
		use sp_staking::StakingInterface;
		let mut unbonding = BalanceOf::<T>::zero();
		let mut requests = 0u32;
		let mut in_ledger = BalanceOf::<T>::zero();
		for (era, chunk) in UnbondingChunks::<T>::iter_prefix(pool) {
			ensure!(
				chunk.queue.points.is_zero() == chunk.queue.value.is_zero(),
				"chunk points zero but not its value, or the other way round"
			);
			ensure!(
				points.remove(&(pool, era)).unwrap_or_default() == chunk.queue.points,
				"chunk points differ from its requests' points"
			);
			ensure!(chunk.requests != 0, "chunk without requests stored");
			unbonding = unbonding.checked_add(&chunk.queue.value).ok_or("unbonding overflow")?;
			requests = requests.saturating_add(chunk.requests);
			if era > staked.withdrawn_through {
				in_ledger =
					in_ledger.checked_add(&chunk.queue.value).ok_or("unbonding overflow")?;
			}
		}
		ensure!(unbonding == staked.unbonding, "chunks differ from the pool's unbonding value");
		ensure!(requests == staked.unbonding_requests, "chunk requests differ from the pool's");
		ensure!(
			staked.ghosts.windows(2).all(|pair| matches!(pair, [a, b] if a.0 < b.0)),
			"ghosts not strictly sorted by era"
		);
		for (era, ghost) in staked.ghosts.iter() {
			ensure!(!ghost.is_zero(), "zero ghost stored");
			ensure!(*era > staked.withdrawn_through, "ghost of a withdrawn era");
			in_ledger = in_ledger.checked_add(ghost).ok_or("unbonding overflow")?;
		}
		let pending = PendingBonds::<T>::get(pool);
		ensure!(pending.is_none_or(|pending| !pending.is_zero()), "zero pending bond stored");
		let pending = pending.unwrap_or_default();
		if staked.unstaked {
			// Out of staking: no ledger, nothing unbonding, no deposit possible.
			ensure!(pending.is_zero(), "an unstaked pool has stake pending to bond");
			ensure!(T::Staking::stake(&record.account).is_err(), "an unstaked pool has a ledger");
			ensure!(
				staked.ghosts.is_empty() && staked.ghost_pending.is_zero(),
				"an unstaked pool keeps ghosts"
			);
			ensure!(staked.unbonding_requests == 0, "an unstaked pool has unbonding requests");
			ensure!(record.state == PoolState::Closed, "an unstaked pool is open");
			ensure!(T::Lrt::supply(pool).is_zero(), "an unstaked pool has LRT");
			return Ok(());
		}
		let bonded = Self::books_bonded(record, staked).ok_or("bonded overflows")?;
		match T::Staking::stake(&record.account) {
			Ok(stake) => {
				ensure!(
					stake.active.checked_add(&pending) == Some(bonded),
					"staking's active ledger plus the pending bond differs from the books"
				);
				ensure!(
					stake.total.saturating_sub(stake.active) == in_ledger,
					"staking's unlocking ledger differs from the unbonding chunks"
				);
			}
			Err(_) => ensure!(
				bonded == pending && in_ledger.is_zero(),
				"a staked pool with bonded books has no ledger"
			),
		}
		Ok(())
	}
}
