//! Benchmarks of the slashing pallet: one per call (components for the exposure's pools and
//! the consumer's pending slashes), one for executing `n` due slashes of `p` exposed pools
//! each, one for pruning `n` records, and three for `on_initialize`: counting the `p` pools of
//! the slashes reported in the previous block, counting down the `p` pools of the slashes
//! `cancel_slash` cancelled in it, and sweeping a page of `n` slashes (of `p` pools each) that
//! `cancel_consumer_slashes` cancelled.
//!
//! Pending slashes set up for the execution and governance benchmarks are counted
//! ([`Pallet::count_reported_pools`], as the next block would) so that removing them
//! decrements every pool's counter (or, for `cancel_slash`, lists them in
//! [`UncountedCancels`]), the dearer path; the reports run with
//! [`MAX_UNCOUNTED_SLASHES`]` - 1` other reports of the block already listed, and
//! `cancel_slash` with a full [`UncountedSlashes`] to search and [`MAX_UNCOUNTED_CANCELS`]` - 1`
//! other cancels of the block already listed.
//!
//! Operators, pools and exposures are created through the `runtime-benchmarks` helpers of the
//! primitives traits (`OperatorRegistry::register_for_benchmarks`,
//! `PoolsInterface::back_for_benchmarks`, `ConsumersInterface::set_exposure_for_benchmarks`).
//! The GRANDPA equivocation proof is a real one, precomputed (the runtime cannot sign):
//! [`evidence::testing::bench_equivocation`] has one per set id below
//! [`evidence::testing::BENCH_SETS`]. So `set_exposure_for_benchmarks` must publish, for the
//! exposure's epoch, a GRANDPA set of the consumer with such an id (found with
//! `ConsumersInterface::epoch_of_set`) in which the exposure's key maps to the operator
//! (`ConsumersInterface::operator_of_key_at`).
//!
//! The epoch clock belongs to another pallet: reports are made for the current epoch, and the
//! execution benchmark calls the epoch work for the due epoch directly.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use crate::evidence::testing::{bench_equivocation, BENCH_KEY, BENCH_SETS};
use alloc::{boxed::Box, vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::BoundedVec,
	traits::{EnsureOrigin, Get},
	weights::Weight,
};
use frame_system::RawOrigin;
use palisade_primitives::{
	ConsumerId, ConsumerKey, ConsumersInterface, EpochIndex, ExposureInfo, OperatorRegistry,
	PoolId, PoolsInterface,
};
use sp_runtime::traits::Saturating;

const SEED: u32 = 0;
/// Consumer ids used by the benchmarks, away from any genesis consumer.
const CONSUMER: ConsumerId = 2_000;

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as Config>::RuntimeEvent::from(event).into());
}

/// The stake each benchmark pool backs an operator with: 10^15 (1,000 units of a
/// 12-decimal token), above any sensible minimum deposit of the pools.
fn backing<T: Config>() -> T::Balance {
	T::Balance::from(1_000_000_000u32).saturating_mul(1_000_000u32.into())
}

/// A consumer key unique for `i`.
fn bench_key(i: u32) -> ConsumerKey {
	let mut key = [0xCD; 32];
	for (byte, value) in key.iter_mut().zip(i.to_le_bytes()) {
		*byte = value;
	}
	key
}

/// The longest details.
fn max_details<T: Config>() -> DetailsOf<T> {
	BoundedVec::truncate_from(vec![7u8; T::MaxDetailsLen::get() as usize])
}

/// The defaults, with every fraction, the reward and the jail at their bounds and the funds
/// going to the treasury: every slash takes from the bond and from every pool twice (the
/// treasury's share and the reporter's), and jails.
fn worst_case_params<T: Config>() -> SlashingParams {
	let max = T::MaxSlashFraction::get();
	SlashingParams {
		downtime: max,
		equivocation: max,
		misbehaviour: max,
		max_subjective_fraction: max,
		jail_length: T::MaxJailLength::get(),
		destination: SlashDestination::Treasury,
		reporter_reward: T::MaxReporterReward::get(),
		// The meter never holds the benchmarked slashes back.
		max_slashed_per_period: NativeValue::MAX,
		max_jails_per_period: u32::MAX,
		..T::DefaultParams::get()
	}
}

/// Register `operator` opted in to `consumer` with `key`, back it with `pools` new pools, and
/// record its exposure for the current epoch, with `reporter` as the consumer's reporter.
fn exposed_operator<T: Config>(
	operator: &T::AccountId,
	key: ConsumerKey,
	pools: u32,
	reporter: &T::AccountId,
) -> Result<ExposureInfo<T::Balance>, BenchmarkError> {
	T::Operators::register_for_benchmarks(operator, CONSUMER, key)?;
	let mut backed = Vec::new();
	for _ in 0..pools {
		let pool = T::Pools::back_for_benchmarks(operator, CONSUMER, backing::<T>())?;
		backed.push((pool, backing::<T>()));
	}
	let own = T::Operators::bond(operator);
	let total = backed.iter().fold(own, |total, (_, amount)| total.saturating_add(*amount));
	let exposure = ExposureInfo { key, own, pools: backed, total };
	T::Consumers::set_exposure_for_benchmarks(
		Pallet::<T>::now(),
		CONSUMER,
		operator,
		reporter,
		exposure.clone(),
	);
	Ok(exposure)
}

/// An exposure of `own` [`backing`] with the pools `pools`, each backing [`backing`].
fn exposure_of<T: Config>(pools: impl Iterator<Item = PoolId>) -> ExposureInfo<T::Balance> {
	let own = backing::<T>();
	let pools: Vec<_> = pools.map(|pool| (pool, backing::<T>())).collect();
	ExposureInfo { key: bench_key(0), own, pools, total: own }
}

/// A pending subjective slash of `operator` on `consumer` for the current epoch, exposed as
/// `exposure`.
fn pending<T: Config>(
	consumer: ConsumerId,
	operator: T::AccountId,
	exposure: &ExposureInfo<T::Balance>,
) -> Result<SlashId, BenchmarkError> {
	let now = Pallet::<T>::now();
	let fraction = Params::<T>::get().subjective_fraction_of(OffenceKind::Misbehaviour);
	Pallet::<T>::create_pending(
		consumer,
		operator,
		OffenceKind::Misbehaviour,
		now,
		now,
		fraction,
		None,
		Evidence::Reported(max_details::<T>()),
		exposure,
	)
	.map_err(Into::into)
}

/// `n` pending subjective slashes of `CONSUMER`, of `n` different operators, each exposed with
/// `MaxExposedPools` pools of its own (the most indexes to update: no two slashes share a
/// (pool, offence epoch) counter, so the DB-access tracker, which counts a key once per
/// extrinsic, sees every counter a consumer with distinct pools per operator writes), counted
/// as in a later block. Returns their ids.
fn pending_of_consumer<T: Config>(n: u32) -> Result<Vec<SlashId>, BenchmarkError> {
	pending_of_consumer_from::<T>(0, n)
}

/// As [`pending_of_consumer`], for operators (and pools) numbered from `from`.
fn pending_of_consumer_from<T: Config>(from: u32, n: u32) -> Result<Vec<SlashId>, BenchmarkError> {
	pending_of_consumer_with::<T>(from, n, T::MaxExposedPools::get())
}

/// `n` pending subjective slashes of `CONSUMER` by operators numbered from `from`, each exposed
/// with `pools` pools of its own, counted as in a later block. Returns their ids.
fn pending_of_consumer_with<T: Config>(
	from: u32,
	n: u32,
	pools: u32,
) -> Result<Vec<SlashId>, BenchmarkError> {
	let per_slash = T::MaxExposedPools::get();
	(from..from.saturating_add(n))
		.map(|i| {
			let first = i.saturating_mul(per_slash);
			let exposure = exposure_of::<T>(first..first.saturating_add(pools));
			let id = pending::<T>(CONSUMER, account("operator", i, SEED), &exposure)?;
			Pallet::<T>::count_reported_pools();
			Ok(id)
		})
		.collect()
}

/// List `n` entries in [`UncountedSlashes`] with slashes of another consumer, each exposed with
/// the most pools: the block's other reports, before the benchmarked call.
fn other_reports_of_the_block<T: Config>(n: u32) -> Result<(), BenchmarkError> {
	let exposure = exposure_of::<T>(0..T::MaxExposedPools::get());
	for i in 0..n {
		pending::<T>(CONSUMER.saturating_add(1), account("other", i, SEED), &exposure)?;
	}
	Ok(())
}

/// List `n` entries in [`UncountedCancels`]: slashes of a third consumer, each exposed with
/// the most pools, counted and then cancelled with `cancel_slash`'s logic (the block's other
/// vetoes, before the benchmarked call).
fn other_cancels_of_the_block<T: Config>(n: u32) -> Result<(), BenchmarkError> {
	let exposure = exposure_of::<T>(0..T::MaxExposedPools::get());
	let ids = (0..n)
		.map(|i| pending::<T>(CONSUMER.saturating_add(2), account("vetoed", i, SEED), &exposure))
		.collect::<Result<Vec<_>, _>>()?;
	Pallet::<T>::count_reported_pools();
	for id in ids {
		Pallet::<T>::do_cancel_slash(id)?;
	}
	Ok(())
}

/// The GRANDPA set id of `CONSUMER` first in force in `epoch`, among those with a benchmark
/// proof.
fn set_id_of<T: Config>(epoch: EpochIndex) -> Result<SetId, BenchmarkError> {
	(0..BENCH_SETS)
		.find(|set_id| T::Consumers::epoch_of_set(CONSUMER, *set_id) == Some(epoch))
		.ok_or(BenchmarkError::Stop(
			"set_exposure_for_benchmarks must publish a GRANDPA set with an id below BENCH_SETS \
			 for the exposure's epoch",
		))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn report_offence(p: Linear<0, { T::MaxExposedPools::get() }>) -> Result<(), BenchmarkError> {
		let reporter: T::AccountId = account("reporter", 0, SEED);
		let operator: T::AccountId = account("operator", 0, SEED);
		exposed_operator::<T>(&operator, bench_key(0), p, &reporter)?;
		other_reports_of_the_block::<T>(MAX_UNCOUNTED_SLASHES.saturating_sub(1))?;
		let epoch = Pallet::<T>::now();
		let id = NextSlashId::<T>::get();

		#[extrinsic_call]
		_(
			RawOrigin::Signed(reporter),
			CONSUMER,
			operator.clone(),
			OffenceKind::Misbehaviour,
			epoch,
			max_details::<T>(),
		);

		assert!(PendingSlashes::<T>::get(id).is_some_and(|slash| slash.operator == operator));
		// Its pools are listed for the next block, not counted one by one.
		assert_eq!(
			UncountedSlashes::<T>::decode_len().unwrap_or(0) as u32,
			MAX_UNCOUNTED_SLASHES.saturating_sub(u32::from(p == 0))
		);
		Ok(())
	}

	#[benchmark]
	fn report_equivocation(
		p: Linear<0, { T::MaxExposedPools::get() }>,
	) -> Result<(), BenchmarkError> {
		let reporter: T::AccountId = account("reporter", 0, SEED);
		let operator: T::AccountId = account("operator", 0, SEED);
		exposed_operator::<T>(&operator, BENCH_KEY, p, &reporter)?;
		other_reports_of_the_block::<T>(MAX_UNCOUNTED_SLASHES.saturating_sub(1))?;
		let set_id = set_id_of::<T>(Pallet::<T>::now())?;
		let proof = bench_equivocation(set_id).ok_or(BenchmarkError::Weightless)?;
		let caller: T::AccountId = whitelisted_caller();
		let id = NextSlashId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), CONSUMER, Box::new(proof));

		assert!(PendingSlashes::<T>::get(id).is_some_and(|slash| slash.reporter == Some(caller)));
		Ok(())
	}

	/// Cancelling a slash reported in an earlier block, with the most pools: it is not in the
	/// block's [`UncountedSlashes`] (full, searched whole) and is listed in
	/// [`UncountedCancels`] (the block's last place) for the next block to count its pools
	/// down. The other path, a slash reported in the same block, rewrites
	/// [`UncountedSlashes`] instead of appending: one read less.
	#[benchmark]
	fn cancel_slash() -> Result<(), BenchmarkError> {
		let operator: T::AccountId = account("operator", 0, SEED);
		let now = Pallet::<T>::now();
		let exposure = exposure_of::<T>(0..T::MaxExposedPools::get());
		let id = pending::<T>(CONSUMER, operator.clone(), &exposure)?;
		other_cancels_of_the_block::<T>(MAX_UNCOUNTED_CANCELS.saturating_sub(1))?;
		other_reports_of_the_block::<T>(MAX_UNCOUNTED_SLASHES)?;
		let mut counted_before: Vec<_> = PoolPendingCount::<T>::iter().collect();
		counted_before.sort();
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert!(!PendingSlashes::<T>::contains_key(id));
		// No pool counter written: the cancel is listed for the next block.
		let mut counted_after: Vec<_> = PoolPendingCount::<T>::iter().collect();
		counted_after.sort();
		assert_eq!(counted_after, counted_before);
		let cancels = UncountedCancels::<T>::get();
		assert_eq!(cancels.len() as u32, MAX_UNCOUNTED_CANCELS);
		assert!(cancels.last().is_some_and(|entry| entry.slash_id == id));
		assert_last_event::<T>(Event::SlashCancelled {
			slash_id: id,
			consumer_id: CONSUMER,
			operator,
			kind: OffenceKind::Misbehaviour,
			epoch: now,
		});
		Ok(())
	}

	#[benchmark]
	fn set_slashing_params() -> Result<(), BenchmarkError> {
		let old = Params::<T>::get();
		let new = worst_case_params::<T>();
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, new.clone());

		assert_last_event::<T>(Event::SlashingParamsSet { old, new });
		Ok(())
	}

	/// `n` due slashes of `n` different operators, each exposed with `p` pools, executed by
	/// the epoch work of their due epoch (reward paid, funds to the treasury, operator jailed).
	#[benchmark]
	fn execute_slashes(
		n: Linear<0, { T::MaxSlashesPerBlock::get() }>,
		p: Linear<0, { T::MaxExposedPools::get() }>,
	) -> Result<(), BenchmarkError> {
		let params = worst_case_params::<T>();
		Params::<T>::put(params.clone());
		let reporter: T::AccountId = account("reporter", 0, SEED);
		let now = Pallet::<T>::now();
		for i in 0..n {
			let operator: T::AccountId = account("operator", i, SEED);
			let key = bench_key(i);
			let exposure = exposed_operator::<T>(&operator, key, p, &reporter)?;
			Pallet::<T>::create_pending(
				CONSUMER,
				operator,
				OffenceKind::Equivocation,
				now,
				now,
				params.equivocation,
				Some(reporter.clone()),
				Evidence::GrandpaEquivocation { set_id: 0, round: u64::from(i), key },
				&exposure,
			)?;
			// Reported in earlier blocks: counted, so executing decrements every counter.
			Pallet::<T>::count_reported_pools();
		}
		let due = now.saturating_add(params.veto_delay);
		// The queue cursor is at the due epoch; nothing to prune; a fresh meter period.
		EpochCursors::<T>::put(Cursors { next_due: due, prune_from: now });
		Meter::<T>::put(Pallet::<T>::fresh_meter(&params, due));

		#[block]
		{
			Pallet::<T>::epoch_work(due, Weight::MAX);
		}

		assert_eq!(PendingSlashes::<T>::iter().count(), 0);
		assert_eq!(SlashesDue::<T>::iter().count(), 0);
		Ok(())
	}

	/// Cancelling all pending slashes of a consumer: constant whatever their number (only the
	/// horizon is recorded). The worst case: a previous cancel not swept yet, whose horizon
	/// moves up and whose sweep starts over.
	#[benchmark]
	fn cancel_consumer_slashes() -> Result<(), BenchmarkError> {
		let ids = pending_of_consumer::<T>(1)?;
		Pallet::<T>::do_cancel_consumer_slashes(CONSUMER)?;
		let first = pending_of_consumer_from::<T>(1, 1)?;
		let below = NextSlashId::<T>::get();
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, CONSUMER);

		assert!(ids.iter().chain(first.iter()).all(PendingSlashes::<T>::contains_key));
		assert_eq!(
			CancelledConsumers::<T>::get(CONSUMER),
			Some(ConsumerSweep { below, after: None, swept: 0 })
		);
		assert_last_event::<T>(Event::ConsumerSlashesCancelled {
			consumer_id: CONSUMER,
			below,
			cancelled: 2,
		});
		Ok(())
	}

	#[benchmark]
	fn freeze_consumer_slashes() -> Result<(), BenchmarkError> {
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, CONSUMER);

		assert!(FrozenConsumers::<T>::contains_key(CONSUMER));
		Ok(())
	}

	/// Unfreezing a consumer whose `n` pending slashes all left the queue while frozen.
	#[benchmark]
	fn unfreeze_consumer_slashes(
		n: Linear<1, { T::MaxPendingPerConsumer::get() }>,
	) -> Result<(), BenchmarkError> {
		let ids = pending_of_consumer::<T>(n)?;
		Pallet::<T>::do_freeze(CONSUMER)?;
		for id in ids.iter() {
			let mut slash = PendingSlashes::<T>::get(id).ok_or(BenchmarkError::Weightless)?;
			if let Some(position) = slash.queued.take() {
				SlashesDue::<T>::remove(position.epoch, position.index);
			}
			PendingSlashes::<T>::insert(id, slash);
		}
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, CONSUMER);

		assert!(ids
			.iter()
			.all(|id| PendingSlashes::<T>::get(id).is_some_and(|slash| slash.queued.is_some())));
		Ok(())
	}

	/// Pruning `n` records of one old offence epoch.
	#[benchmark]
	fn prune_records(n: Linear<0, { epoch::PRUNE_BATCH }>) {
		let epoch: EpochIndex = 0;
		for i in 0..n {
			let operator: T::AccountId = account("operator", i, SEED);
			Reported::<T>::insert(epoch, (CONSUMER, operator, OffenceKind::Misbehaviour), i);
		}

		#[block]
		{
			Pallet::<T>::prune_epoch(epoch, epoch::PRUNE_BATCH);
		}

		assert_eq!(Reported::<T>::iter_prefix(epoch).count(), 0);
	}

	/// `on_initialize` counting the `p` pools of the slashes reported in the previous block
	/// (as many slashes with the most pools as `p` needs, every pool a fresh counter).
	#[benchmark]
	fn count_reported_pools(
		p: Linear<0, { MAX_UNCOUNTED_SLASHES.saturating_mul(T::MaxExposedPools::get()) }>,
	) -> Result<(), BenchmarkError> {
		let per_slash = T::MaxExposedPools::get().max(1);
		let mut left = p;
		let mut i = 0u32;
		while left > 0 {
			let pools = left.min(per_slash);
			let first = i.saturating_mul(per_slash);
			let exposure = exposure_of::<T>(first..first.saturating_add(pools));
			pending::<T>(CONSUMER, account("operator", i, SEED), &exposure)?;
			left = left.saturating_sub(pools);
			i.saturating_inc();
		}

		#[block]
		{
			Pallet::<T>::count_reported_pools();
		}

		assert!(UncountedSlashes::<T>::get().is_empty());
		assert_eq!(PoolPendingCount::<T>::iter().count() as u32, p);
		Ok(())
	}

	/// `on_initialize` counting down the `p` pools of the slashes `cancel_slash` cancelled in
	/// the previous block (as many slashes with the most pools as `p` needs, every pool a
	/// counter of its own).
	#[benchmark]
	fn uncount_cancelled_pools(
		p: Linear<0, { MAX_UNCOUNTED_CANCELS.saturating_mul(T::MaxExposedPools::get()) }>,
	) -> Result<(), BenchmarkError> {
		let per_slash = T::MaxExposedPools::get().max(1);
		let mut left = p;
		let mut i = 0u32;
		let mut ids = Vec::new();
		while left > 0 {
			let pools = left.min(per_slash);
			let first = i.saturating_mul(per_slash);
			let exposure = exposure_of::<T>(first..first.saturating_add(pools));
			ids.push(pending::<T>(CONSUMER, account("operator", i, SEED), &exposure)?);
			left = left.saturating_sub(pools);
			i.saturating_inc();
		}
		// Counted in an earlier block, then cancelled.
		Pallet::<T>::count_reported_pools();
		for id in ids {
			Pallet::<T>::do_cancel_slash(id)?;
		}
		assert_eq!(PoolPendingCount::<T>::iter().count() as u32, p);

		#[block]
		{
			Pallet::<T>::uncount_cancelled_pools();
		}

		assert!(UncountedCancels::<T>::get().is_empty());
		assert_eq!(PoolPendingCount::<T>::iter().count(), 0);
		Ok(())
	}

	/// `on_initialize` sweeping a page of a consumer's cancelled slashes: `n` visited, each a
	/// cancelled slash with `p` pools of its own (counted in an earlier block, so every pool
	/// counter is written). A newer slash stepped over costs less than a cancelled one, and is
	/// charged as one; whether the sweep ends (its entry removed) or goes on (rewritten) costs
	/// the same.
	#[benchmark]
	fn sweep_cancelled(
		n: Linear<0, MAX_SWEPT_PER_BLOCK>,
		p: Linear<0, { T::MaxExposedPools::get() }>,
	) -> Result<(), BenchmarkError> {
		// A consumer with no slash left to sweep, and `CONSUMER`'s `n` (all in one page).
		if n == 0 {
			CancelledConsumers::<T>::insert(
				CONSUMER,
				ConsumerSweep { below: 0, after: None, swept: 0 },
			);
		}
		let ids = pending_of_consumer_with::<T>(0, n, p)?;
		if n > 0 {
			Pallet::<T>::do_cancel_consumer_slashes(CONSUMER)?;
		}
		assert_eq!(PoolPendingCount::<T>::iter().count() as u32, n * p);

		#[block]
		{
			Pallet::<T>::sweep_cancelled();
		}

		assert!(ids.iter().all(|id| !PendingSlashes::<T>::contains_key(id)));
		assert_eq!(PoolPendingCount::<T>::iter().count(), 0);
		assert!(!CancelledConsumers::<T>::contains_key(CONSUMER));
		Ok(())
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
