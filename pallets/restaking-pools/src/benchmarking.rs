//! Benchmarks of the restaking pools: one per call, plus the epoch hook and the
//! [`PoolsInterface`](palisade_primitives::PoolsInterface) functions other pallets call
//! (`add_rewards`, `slash`, `backing`). Each measures the worst case: asset pools (an asset
//! transfer and, with a reward pot, a native hold too), fresh accounts, full lists.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{
	fungible::Mutate as _,
	fungibles::{self, Inspect as _},
	EnsureOrigin, Get,
};
use frame_system::RawOrigin;
use palisade_primitives::{
	AssetId, Collateral, ConsumerId, EpochProvider, LrtInterface, OperatorRegistry, PoolId,
	PoolsInterface,
};
use sp_runtime::{
	traits::{Bounded, Saturating, Zero},
	FixedU128, Perbill,
};

const SEED: u32 = 0;
const CONSUMER: ConsumerId = 1;

/// `MinDeposit × n`.
fn units<T: Config>(n: u32) -> BalanceOf<T> {
	T::MinDeposit::get().saturating_mul(n.into())
}

/// A fresh account with plenty of native funds.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	T::Currency::set_balance(&who, funding::<T>());
	who
}

/// What [`funded`] gives an account.
fn funding<T: Config>() -> BalanceOf<T> {
	units::<T>(1_000_000)
		.saturating_add(T::PoolDeposit::get().saturating_mul(10u32.into()))
		.saturating_add(Pallet::<T>::native_ed().saturating_mul(1_000u32.into()))
}

/// The benchmarks' caller: the whitelisted account (its `System::Account` is not counted, as
/// in `transfer_keep_alive`'s benchmark: the transaction fee already touched it), funded like
/// [`funded`]. Every benchmark of a signed call uses it.
fn funded_caller<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	T::Currency::set_balance(&who, funding::<T>());
	who
}

/// Create a sufficient collateral asset (below the LRT id range) owned by `owner`, and give
/// `holders` plenty of it.
fn collateral_asset<T: Config>(owner: &T::AccountId, holders: &[&T::AccountId]) -> AssetId {
	let mut asset = T::Lrt::asset_id(0).saturating_sub(1);
	while T::Assets::asset_exists(asset) {
		asset = asset.saturating_sub(1);
	}
	<T::Assets as fungibles::Create<_>>::create(asset, owner.clone(), true, 1u32.into())
		.expect("collateral asset can be created");
	for holder in holders.iter().copied().chain([owner]) {
		<T::Assets as fungibles::Mutate<_>>::mint_into(asset, holder, units::<T>(1_000_000))
			.expect("collateral can be minted");
	}
	asset
}

/// A native pool curated by `curator`.
fn native_pool<T: Config>(curator: &T::AccountId) -> PoolId {
	Pallet::<T>::do_create_pool(
		curator,
		Collateral::Native,
		Default::default(),
		BalanceOf::<T>::max_value(),
	)
	.expect("pool can be created")
}

/// An asset pool curated by `curator` with a first holder and a non-empty reward pot. Returns
/// the pool and the asset.
fn asset_pool_with_pot<T: Config>(curator: &T::AccountId, holders: &[&T::AccountId]) -> PoolId {
	let asset = collateral_asset::<T>(curator, holders);
	let pool = Pallet::<T>::do_create_pool(
		curator,
		Collateral::Asset(asset),
		Default::default(),
		BalanceOf::<T>::max_value(),
	)
	.expect("pool can be created");
	Pallet::<T>::do_deposit(curator, pool, units::<T>(1_000)).expect("curator deposits");
	Pallet::<T>::do_add_rewards(pool, curator, units::<T>(10)).expect("rewards are added");
	// As if they had vested: a deposit buys into the whole pot (the worst case).
	Pools::<T>::mutate(pool, |record| {
		if let Some(record) = record {
			record.vesting.amount = Zero::zero();
		}
	});
	pool
}

/// An operator opted in to [`CONSUMER`].
fn operator<T: Config>(index: u32) -> T::AccountId {
	let operator = funded::<T>("operator", index);
	let mut key = [0u8; 32];
	key[..4].copy_from_slice(&index.to_le_bytes());
	T::Operators::register_for_benchmarks(&operator, CONSUMER, key)
		.expect("the registry supports benchmarks");
	operator
}

/// Store an allocation entry directly, with its indexes.
fn put_allocation<T: Config>(
	pool: PoolId,
	consumer: ConsumerId,
	entry: AllocationEntry<T::AccountId>,
) {
	let operator = entry.operator.clone();
	Allocations::<T>::mutate(pool, consumer, |entries| {
		entries.try_push(entry).expect("within MaxOperatorsPerConsumer");
	});
	Pallet::<T>::add_pool_consumer(pool, consumer).expect("within MaxConsumersPerPool");
	Pallet::<T>::add_pair_pool(consumer, &operator, pool).expect("within MaxPoolsPerOperator");
}

/// A staked pool curated by `curator`, `curator` holding `units(1_000)` of it, and `rewards`
/// PAL of NPoS rewards waiting on its reward account (compounded by the next deposit or
/// request).
fn staked_pool<T: Config>(curator: &T::AccountId, rewards: BalanceOf<T>) -> PoolId {
	let pool = Pallet::<T>::do_create_pool(
		curator,
		Collateral::NativeStaked,
		Default::default(),
		BalanceOf::<T>::max_value(),
	)
	.expect("pool can be created");
	Pallet::<T>::do_deposit(curator, pool, units::<T>(100_000)).expect("curator deposits");
	if !rewards.is_zero() {
		T::Currency::set_balance(&Pallet::<T>::reward_account(pool), rewards);
	}
	pool
}

/// `caller`'s request of half its deposit into the staked `pool`, due now.
fn staked_request<T: Config>(caller: &T::AccountId, pool: PoolId) -> RequestId {
	let (lrt, _) = Pallet::<T>::do_deposit(caller, pool, units::<T>(100)).expect("deposit");
	let (id, _) =
		Pallet::<T>::do_request_withdrawal(caller, pool, lrt / 2u32.into()).expect("request");
	make_due::<T>(caller, id);
	id
}

/// The epoch clock cannot be moved from a benchmark: make `who`'s request `id` due now.
fn make_due<T: Config>(who: &T::AccountId, id: RequestId) {
	WithdrawalRequests::<T>::mutate(who, id, |request| {
		if let Some(request) = request {
			request.claimable_at = T::EpochInfo::current_epoch();
		}
	});
}

/// A staked pool of `curator` into which `depositor` put about the minimum validator bond,
/// validating with session keys made for its account. Returns the pool and the LRT minted.
fn validating_pool<T: Config>(
	curator: &T::AccountId,
	depositor: &T::AccountId,
) -> (PoolId, BalanceOf<T>) {
	let pool = Pallet::<T>::do_create_pool(
		curator,
		Collateral::NativeStaked,
		Default::default(),
		BalanceOf::<T>::max_value(),
	)
	.expect("pool can be created");
	let bond =
		<T::Staking as sp_staking::StakingInterface>::minimum_validator_bond().max(units::<T>(10));
	let (lrt, _) = Pallet::<T>::do_deposit(depositor, pool, bond).expect("deposit");
	let account = Pallet::<T>::pool_account(pool);
	let (keys, proof) = T::BenchmarkHelper::session_keys(&account);
	Pallet::<T>::do_set_session_keys(curator, pool, &keys, &proof).expect("keys are set");
	Pallet::<T>::do_validate(curator, pool, Perbill::zero(), false).expect("validates");
	(pool, lrt)
}

/// A staked pool that validated, whose only holder withdrew everything (the first claim
/// chilled it), with the most ghosts it may keep: one per era of the bonding duration ahead.
fn emptied_validating_pool<T: Config>(caller: &T::AccountId) -> PoolId {
	let (pool, lrt) = validating_pool::<T>(caller, caller);
	let (id, _) = Pallet::<T>::do_request_withdrawal(caller, pool, lrt).expect("request");
	make_due::<T>(caller, id);
	Pallet::<T>::do_claim_withdrawal(caller, pool, id).expect("the first claim unbonds");
	let unlock = UnbondingRequests::<T>::get(caller, id)
		.map(|position| position.unlock_era)
		.expect("unbonding");
	<T::Staking as sp_staking::StakingInterface>::set_era(unlock);
	Pallet::<T>::do_claim_withdrawal(caller, pool, id).expect("the second claim pays");
	fill_ghosts::<T>(pool, unlock.saturating_add(1));
	pool
}

/// Give `pool` the most ghost eras it may keep, from era `first` on (one unit each).
fn fill_ghosts<T: Config>(pool: PoolId, first: EraIndex) {
	let duration = <T::Staking as sp_staking::StakingInterface>::bonding_duration();
	StakedPools::<T>::mutate(pool, |staked| {
		if let Some(staked) = staked {
			staked.ghosts = (first..first.saturating_add(duration))
				.map(|era| (era, units::<T>(1)))
				.collect::<alloc::vec::Vec<_>>()
				.try_into()
				.expect("the bonding duration is within MAX_GHOST_ERAS");
		}
	});
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_pool(m: Linear<0, { T::MaxMetadataLen::get() }>) {
		let caller = funded_caller::<T>();
		let asset = collateral_asset::<T>(&caller, &[]);
		let metadata: MetadataOf<T> = vec![b'x'; m as usize].try_into().expect("within bound");
		let pool = NextPoolId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), Collateral::Asset(asset), metadata, units::<T>(1_000_000));

		assert!(Pools::<T>::contains_key(pool));
	}

	#[benchmark]
	fn set_curator() {
		let caller = funded_caller::<T>();
		let pool = native_pool::<T>(&caller);
		let new: T::AccountId = account("new", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool, new.clone());

		assert_eq!(Pools::<T>::get(pool).map(|record| record.curator), Some(new));
	}

	#[benchmark]
	fn set_deposit_cap() {
		let caller = funded_caller::<T>();
		let pool = native_pool::<T>(&caller);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool, units::<T>(5));

		assert_eq!(Pools::<T>::get(pool).map(|record| record.deposit_cap), Some(units::<T>(5)));
	}

	#[benchmark]
	fn set_pool_state() {
		let caller = funded_caller::<T>();
		let pool = native_pool::<T>(&caller);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool, PoolState::Closed);

		assert_eq!(Pools::<T>::get(pool).map(|record| record.state), Some(PoolState::Closed));
	}

	#[benchmark]
	fn deposit() {
		let curator = funded::<T>("curator", 0);
		let caller = funded_caller::<T>();
		let pool = asset_pool_with_pot::<T>(&curator, &[&caller]);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), pool, units::<T>(100));

		assert!(!T::Lrt::balance(pool, &caller).is_zero());
	}

	/// A deposit into a native pool (no reward pot: rewards compound into the rate), already
	/// holding deposits: the common case, refunded to this weight.
	#[benchmark]
	fn deposit_native() {
		let curator = funded::<T>("curator", 0);
		let caller = funded_caller::<T>();
		let pool = native_pool::<T>(&curator);
		Pallet::<T>::do_deposit(&curator, pool, units::<T>(1_000)).expect("curator deposits");

		#[extrinsic_call]
		deposit(RawOrigin::Signed(caller.clone()), pool, units::<T>(100));

		assert!(!T::Lrt::balance(pool, &caller).is_zero());
	}

	#[benchmark]
	fn request_withdrawal() {
		let curator = funded::<T>("curator", 0);
		let caller = funded_caller::<T>();
		let pool = asset_pool_with_pot::<T>(&curator, &[&caller]);
		let (lrt, _) = Pallet::<T>::do_deposit(&caller, pool, units::<T>(100)).expect("deposit");
		let half = lrt / 2u32.into();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), pool, half);

		assert_eq!(OpenRequests::<T>::get(&caller), 1);
	}

	#[benchmark]
	fn claim_withdrawal() {
		let curator = funded::<T>("curator", 0);
		let caller = funded_caller::<T>();
		let pool = asset_pool_with_pot::<T>(&curator, &[&caller]);
		let (lrt, _) = Pallet::<T>::do_deposit(&caller, pool, units::<T>(100)).expect("deposit");
		let (id, _) = Pallet::<T>::do_request_withdrawal(&caller, pool, lrt).expect("request");
		// The epoch clock cannot be moved from here: make the request due now.
		make_due::<T>(&caller, id);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), pool, id);

		assert!(!WithdrawalRequests::<T>::contains_key(&caller, id));
	}

	/// The worst case of the call's storage accesses, which no longer depend on `n`: a new
	/// operator (opt-in, acceptance, `PairPools` and `PoolConsumers` entries) beside `n - 1`
	/// entries, of which the last [`MAX_OTHERS_SETTLED`] have a decrease to zero due now (the
	/// call settles them and drops each with its `PairPools` entry: the most it settles besides
	/// its own) and the others a decrease not due yet (scanned, left alone); the schedules of
	/// the effective epoch and the next [`MAX_SCHEDULE_SPILL`] - 1 epochs full and the last
	/// epoch tried full but for one (every schedule read, the longest membership scans).
	#[benchmark]
	fn set_allocation(n: Linear<1, { T::MaxOperatorsPerConsumer::get() }>) {
		let caller = funded_caller::<T>();
		let pool = native_pool::<T>(&caller);
		let now = T::EpochInfo::current_epoch();
		let others = n.saturating_sub(1);
		let due_from = others.saturating_sub(MAX_OTHERS_SETTLED);
		// Together at most 50%: room for the new allocation.
		let small = Perbill::from_rational(1, T::MaxOperatorsPerConsumer::get().saturating_mul(2));
		for index in 0..others {
			let effective = if index >= due_from { now } else { now.saturating_add(1) };
			put_allocation::<T>(
				pool,
				CONSUMER,
				AllocationEntry {
					operator: account("allocated", index, SEED),
					current: small,
					pending: Some(PendingAllocation { fraction: Perbill::zero(), effective }),
				},
			);
		}
		let operator = operator::<T>(0);
		T::Operators::accept_pool_for_benchmarks(&operator, pool);
		let effective = now.saturating_add(1);
		let last = effective.saturating_add(MAX_SCHEDULE_SPILL);
		for epoch in effective..=last {
			let room = if epoch == last { 1 } else { 0 };
			AllocationSchedule::<T>::mutate(epoch, |scheduled| {
				for index in room..T::MaxScheduledPerEpoch::get() {
					let other = pool.saturating_add(index).saturating_add(1);
					let _ = scheduled.try_push((other, CONSUMER, operator.clone()));
				}
			});
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool, operator.clone(), CONSUMER, Perbill::from_percent(10));

		let dropped = others.min(MAX_OTHERS_SETTLED);
		assert_eq!(
			Allocations::<T>::get(pool, CONSUMER).len() as u32,
			others.saturating_sub(dropped).saturating_add(1)
		);
		assert!(AllocationSchedule::<T>::get(last).contains(&(pool, CONSUMER, operator)));
	}

	#[benchmark]
	fn set_collateral_valuation() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let valuation = FixedU128::from_rational(3, 2);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 7, valuation);

		assert_eq!(CollateralValuations::<T>::get(7), Some(valuation));
		Ok(())
	}

	#[benchmark]
	fn on_new_epoch(n: Linear<0, { T::MaxScheduledPerEpoch::get() }>) {
		let epoch = T::EpochInfo::current_epoch().saturating_add(1);
		// n single-entry lists, each decreasing to zero at `epoch` (the removal is the worst
		// case: it also updates both indexes).
		for index in 0..n {
			let operator: T::AccountId = account("allocated", index, SEED);
			put_allocation::<T>(
				index,
				CONSUMER,
				AllocationEntry {
					operator: operator.clone(),
					current: Perbill::from_percent(10),
					pending: Some(PendingAllocation {
						fraction: Perbill::zero(),
						effective: epoch,
					}),
				},
			);
			AllocationSchedule::<T>::mutate(epoch, |scheduled| {
				scheduled.try_push((index, CONSUMER, operator)).expect("within bound");
			});
		}

		#[block]
		{
			Pallet::<T>::on_epoch_start(epoch);
		}

		assert_eq!(Allocations::<T>::iter().count(), 0);
	}

	#[benchmark]
	fn add_rewards() {
		let curator = funded::<T>("curator", 0);
		let pool = native_pool::<T>(&curator);
		Pallet::<T>::do_deposit(&curator, pool, units::<T>(1_000)).expect("deposit");
		let payer = funded::<T>("payer", 0);
		let result;

		#[block]
		{
			result = Pallet::<T>::do_add_rewards(pool, &payer, units::<T>(10));
		}

		assert!(result.is_ok());
	}

	#[benchmark]
	fn slash() {
		let curator = funded::<T>("curator", 0);
		let pool = native_pool::<T>(&curator);
		Pallet::<T>::do_deposit(&curator, pool, units::<T>(1_000)).expect("deposit");
		Pallet::<T>::do_request_withdrawal(&curator, pool, units::<T>(100)).expect("request");
		// Every live bucket slot used (the clock cannot move here: the buckets are moved from
		// the active stake directly, the held funds staying the same).
		let now = T::EpochInfo::current_epoch();
		for key in 1..T::MaxQueueBuckets::get() {
			let key = now.saturating_add(key);
			let value = units::<T>(1);
			let mut bucket = QueueBucket { last_epoch: key, requests: 1, ..Default::default() };
			bucket.queue.join(value);
			QueueBuckets::<T>::insert(pool, key, bucket);
			LiveBuckets::<T>::mutate(pool, |live| {
				let _ = live.try_push(key);
			});
			Pools::<T>::mutate(pool, |record| {
				if let Some(record) = record {
					record.active = record.active.saturating_sub(value);
					record.queued = record.queued.saturating_add(value);
				}
			});
		}
		let beneficiary: T::AccountId = account("beneficiary", 0, SEED);
		let taken;

		#[block]
		{
			taken = Pallet::<T>::do_slash(pool, units::<T>(10), Some(beneficiary));
		}

		assert_eq!(taken, units::<T>(10));
	}

	#[benchmark]
	fn settle_slash() {
		let curator = funded::<T>("curator", 0);
		let pool = native_pool::<T>(&curator);
		Pallet::<T>::do_deposit(&curator, pool, units::<T>(1_000)).expect("deposit");
		// `MAX_OWED_ENTRIES` debts, to fresh beneficiaries (moved from the active stake: the
		// held funds stay the same).
		let mut entries = OwedSlashOf::<T>::default();
		for index in 0..MAX_OWED_ENTRIES {
			let beneficiary: T::AccountId = account("beneficiary", index, SEED);
			let _ = entries.try_push((Some(beneficiary), units::<T>(1)));
		}
		let total = units::<T>(MAX_OWED_ENTRIES);
		OwedSlashes::<T>::insert(pool, entries);
		Pools::<T>::mutate(pool, |record| {
			if let Some(record) = record {
				record.active = record.active.saturating_sub(total);
				record.owed = total;
			}
		});
		let caller = funded_caller::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool);

		// The first `MAX_SETTLED_PER_CALL` debts are paid, the others wait.
		assert_eq!(
			OwedSlashes::<T>::get(pool).map(|entries| entries.len() as u32),
			Some(MAX_OWED_ENTRIES - MAX_SETTLED_PER_CALL)
		);
	}

	#[benchmark]
	fn close_pool() {
		let caller = funded_caller::<T>();
		let asset = collateral_asset::<T>(&caller, &[]);
		let pool = Pallet::<T>::do_create_pool(
			&caller,
			Collateral::Asset(asset),
			Default::default(),
			BalanceOf::<T>::max_value(),
		)
		.expect("pool can be created");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool);

		assert!(!Pools::<T>::contains_key(pool));
	}

	/// Taking an empty staked pool out of staking: its curator had set its keys and made it
	/// validate (the last withdrawal chilled it), so the keys are purged and the ledger
	/// removed; the most ghosts a pool may keep (one per era of the bonding duration ahead)
	/// are dropped.
	#[benchmark]
	fn unstake_pool() {
		let caller = funded_caller::<T>();
		let pool = emptied_validating_pool::<T>(&caller);
		let account = Pallet::<T>::pool_account(pool);
		// A late NPoS payout nobody could compound: swept to the creator.
		let reward_account = Pallet::<T>::reward_account(pool);
		T::Currency::set_balance(&reward_account, units::<T>(10));

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool);

		assert!(StakedPools::<T>::get(pool).is_some_and(|staked| staked.unstaked));
		assert!(!T::Validation::has_keys(&account));
		assert!(<T::Staking as sp_staking::StakingInterface>::stake(&account).is_err());
		assert!(<T::Currency as frame_support::traits::fungible::Inspect<_>>::balance(
			&reward_account
		)
		.is_zero());
	}

	/// Closing a staked pool that left staking: as any pool's close, and its NPoS record goes.
	#[benchmark]
	fn close_staked_pool() {
		let caller = funded_caller::<T>();
		let pool = emptied_validating_pool::<T>(&caller);
		Pallet::<T>::do_unstake_pool(&caller, pool).expect("an empty pool leaves staking");

		#[extrinsic_call]
		close_pool(RawOrigin::Signed(caller), pool);

		assert!(!Pools::<T>::contains_key(pool));
		assert!(!StakedPools::<T>::contains_key(pool));
	}

	#[benchmark]
	fn backing(n: Linear<0, { T::MaxPoolsPerOperator::get() }>) {
		let operator = operator::<T>(0);
		for _ in 0..n {
			<Pallet<T> as PoolsInterface<_, _>>::back_for_benchmarks(
				&operator,
				CONSUMER,
				units::<T>(100),
			)
			.expect("backing can be set up");
		}
		let epoch = T::EpochInfo::current_epoch();
		let backers;

		#[block]
		{
			backers = Pallet::<T>::pair_backing(&operator, CONSUMER, epoch);
		}

		assert_eq!(backers.len() as u32, n);
	}

	/// A deposit into a staked pool: minted, and noted to be bonded at the start of a following
	/// block (the pool's earlier deposits pending too: the note is read and written).
	#[benchmark]
	fn deposit_staked() {
		let curator = funded::<T>("curator", 0);
		let caller = funded_caller::<T>();
		let pool = staked_pool::<T>(&curator, Zero::zero());

		assert!(PendingBonds::<T>::contains_key(pool));

		#[extrinsic_call]
		deposit(RawOrigin::Signed(caller.clone()), pool, units::<T>(100));

		assert!(!T::Lrt::balance(pool, &caller).is_zero());
		assert_eq!(
			PendingBonds::<T>::get(pool),
			Some(units::<T>(100_000).saturating_add(units::<T>(100)))
		);
	}

	/// A block's turn of pending bonds: `n` staked pools with deposits pending, each bonded
	/// afresh (staking had removed its ledger: `virtual_bond` writes more than `bond_extra`).
	#[benchmark]
	fn bond_pending(n: Linear<0, { T::MaxBondsPerBlock::get() }>) {
		let pools: alloc::vec::Vec<PoolId> = (0..n)
			.map(|index| {
				let curator = funded::<T>("curator", index);
				let pool = staked_pool::<T>(&curator, Zero::zero());
				let account = Pallet::<T>::pool_account(pool);
				<T::Staking as sp_staking::StakingInterface>::force_unstake(account)
					.expect("the ledger is removed");
				pool
			})
			.collect();

		#[block]
		{
			Pallet::<T>::bond_pending(n);
		}

		for pool in pools {
			assert!(!PendingBonds::<T>::contains_key(pool));
			let account = Pallet::<T>::pool_account(pool);
			assert!(<T::Staking as sp_staking::StakingInterface>::stake(&account).is_ok());
		}
	}

	#[benchmark]
	fn nominate(n: Linear<1, { T::MaxNominations::get() }>) {
		let caller = funded_caller::<T>();
		let pool = staked_pool::<T>(&caller, Zero::zero());
		let targets: NominationsOf<T> = (0..n)
			.map(|index| T::BenchmarkHelper::validator(index))
			.collect::<alloc::vec::Vec<_>>()
			.try_into()
			.expect("within MaxNominations");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool, targets);

		let account = Pallet::<T>::pool_account(pool);
		assert_eq!(
			<T::Staking as sp_staking::StakingInterface>::nominations(&account).map(|n| n.len()),
			Some(n as usize)
		);
	}

	#[benchmark]
	fn chill() {
		let caller = funded_caller::<T>();
		let pool = staked_pool::<T>(&caller, Zero::zero());
		let target = T::BenchmarkHelper::validator(0);
		Pallet::<T>::do_nominate(&caller, pool, vec![target].try_into().expect("one target"))
			.expect("the pool nominates");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool);

		let account = Pallet::<T>::pool_account(pool);
		assert!(<T::Staking as sp_staking::StakingInterface>::nominations(&account).is_none());
	}

	/// The dearest path: a rotation (session drops the owners of the old keys, then records
	/// the new ones).
	#[benchmark]
	fn set_session_keys() {
		let caller = funded_caller::<T>();
		let pool = staked_pool::<T>(&caller, Zero::zero());
		let account = Pallet::<T>::pool_account(pool);
		let (old_keys, old_proof) = T::BenchmarkHelper::session_keys(&account);
		Pallet::<T>::do_set_session_keys(&caller, pool, &old_keys, &old_proof)
			.expect("keys are set");
		let (keys, proof) = T::BenchmarkHelper::session_keys(&account);
		let keys: SessionKeysOf = keys.try_into().expect("keys within the bound");
		let proof: SessionKeysOf = proof.try_into().expect("proof within the bound");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool, keys, proof);

		assert!(T::Validation::has_keys(&account));
	}

	#[benchmark]
	fn validate() {
		let caller = funded_caller::<T>();
		let pool = staked_pool::<T>(&caller, Zero::zero());
		let account = Pallet::<T>::pool_account(pool);
		let (keys, proof) = T::BenchmarkHelper::session_keys(&account);
		Pallet::<T>::do_set_session_keys(&caller, pool, &keys, &proof).expect("keys are set");
		// The dearest path: the pool nominated before, the most targets (staking removes the
		// nominator).
		let targets: NominationsOf<T> = (0..T::MaxNominations::get())
			.map(|index| T::BenchmarkHelper::validator(index))
			.collect::<alloc::vec::Vec<_>>()
			.try_into()
			.expect("within MaxNominations");
		Pallet::<T>::do_nominate(&caller, pool, targets).expect("the pool nominates");
		// A deposit pending: bonded first.
		Pallet::<T>::do_deposit(&caller, pool, units::<T>(100)).expect("deposit");

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool, Perbill::from_percent(5), false);

		assert!(matches!(
			<T::Staking as sp_staking::StakingInterface>::status(&account),
			Ok(sp_staking::StakerStatus::Validator)
		));
	}

	#[benchmark]
	fn compound_rewards() {
		let curator = funded::<T>("curator", 0);
		let caller = funded_caller::<T>();
		let pool = staked_pool::<T>(&curator, units::<T>(10));
		let active = Pools::<T>::get(pool).map(|record| record.active).unwrap_or_default();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool);

		assert!(Pools::<T>::get(pool).is_some_and(|record| record.active > active));
	}

	/// The first claim of a staked pool's request: out of the queue, unbonded (a ghost of a
	/// service slash pending too, and a withdrawn chunk to drop).
	#[benchmark]
	fn start_unbonding() {
		let curator = funded::<T>("curator", 0);
		let caller = funded_caller::<T>();
		// The dearest unbond: the pool validates at about the minimum validator bond, so that
		// the request's unbond would leave less: the pool chills first.
		let (pool, lrt) = validating_pool::<T>(&curator, &caller);
		let (id, _) =
			Pallet::<T>::do_request_withdrawal(&caller, pool, lrt / 4u32.into() * 3u32.into())
				.expect("request");
		make_due::<T>(&caller, id);
		StakedPools::<T>::mutate(pool, |staked| {
			if let Some(staked) = staked {
				staked.ghost_pending = units::<T>(1);
			}
		});
		// Every era of the bonding duration has a ghost, unlocked by now: the withdrawal before
		// the unbond drops them all.
		let now = <T::Staking as sp_staking::StakingInterface>::current_era();
		let duration = <T::Staking as sp_staking::StakingInterface>::bonding_duration();
		fill_ghosts::<T>(pool, now.saturating_add(1));
		<T::Staking as sp_staking::StakingInterface>::set_era(now.saturating_add(duration));
		Pools::<T>::mutate(pool, |record| {
			if let Some(record) = record {
				record.active = record.active.saturating_sub(units::<T>(1));
			}
		});
		// A deposit pending: bonded before the unbond (small, so that the pool still chills).
		Pallet::<T>::do_deposit(&curator, pool, T::MinDeposit::get()).expect("deposit");

		#[extrinsic_call]
		claim_withdrawal(RawOrigin::Signed(caller.clone()), pool, id);

		assert!(UnbondingRequests::<T>::contains_key(&caller, id));
		assert!(!PendingBonds::<T>::contains_key(pool));
		let account = Pallet::<T>::pool_account(pool);
		assert!(matches!(
			<T::Staking as sp_staking::StakingInterface>::status(&account),
			Ok(sp_staking::StakerStatus::Idle)
		));
	}

	/// The second claim: the chunk withdrawn from the ledger, the request paid.
	#[benchmark]
	fn finish_unbonding() {
		let curator = funded::<T>("curator", 0);
		let caller = funded_caller::<T>();
		let pool = staked_pool::<T>(&curator, Zero::zero());
		let id = staked_request::<T>(&caller, pool);
		Pallet::<T>::do_claim_withdrawal(&caller, pool, id).expect("the first claim unbonds");
		let unlock = UnbondingRequests::<T>::get(&caller, id)
			.map(|position| position.unlock_era)
			.expect("unbonding");
		// The most ghosts, all unlocked by then: the withdrawal drops them.
		let duration = <T::Staking as sp_staking::StakingInterface>::bonding_duration();
		fill_ghosts::<T>(pool, unlock.saturating_sub(duration).saturating_add(1));
		<T::Staking as sp_staking::StakingInterface>::set_era(unlock);

		#[extrinsic_call]
		claim_withdrawal(RawOrigin::Signed(caller.clone()), pool, id);

		assert!(!WithdrawalRequests::<T>::contains_key(&caller, id));
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
