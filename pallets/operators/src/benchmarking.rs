//! Benchmarks of the operators pallet: one per call and one for the epoch-start hook, each in
//! its worst case (full opt-in lists, full consumer indexes, full unbonding chunks).
//!
//! The benchmarks do not move the epoch clock ([`Config::EpochInfo`] belongs to another
//! pallet): where a change must be due, its effective epoch is set to the current epoch in
//! storage, or the hook is called for the epoch the changes are due at.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::BoundedVec,
	traits::{
		fungible::{Inspect, Mutate},
		Get,
	},
};
use frame_system::RawOrigin;
use palisade_primitives::{ConsumerId, ConsumerKey, ConsumerRegistry};
use sp_runtime::{
	traits::{Saturating, Zero},
	Perbill,
};

const SEED: u32 = 0;
/// Consumer ids used by the benchmarks start here, away from any genesis consumer.
const FIRST_CONSUMER: ConsumerId = 1_000;

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as Config>::RuntimeEvent::from(event).into());
}

/// An account with plenty of free balance.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount = T::MinOperatorBond::get()
		.saturating_mul(1_000u32.into())
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&who, amount);
	who
}

/// The signer, with plenty of free balance. Whitelisted: the transaction fee already reads and
/// writes its account, so a call that holds or releases its funds adds no database access to
/// it (as `transfer_keep_alive`'s benchmark counts its caller).
fn funded_caller<T: Config>() -> T::AccountId {
	let who: T::AccountId = whitelisted_caller();
	let amount = T::MinOperatorBond::get()
		.saturating_mul(1_000u32.into())
		.saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(&who, amount);
	who
}

/// The longest metadata.
fn max_metadata<T: Config>() -> MetadataOf<T> {
	BoundedVec::truncate_from(vec![7u8; T::MaxMetadataLen::get() as usize])
}

/// A key unique for `(a, b)`.
fn bench_key(a: u32, b: u32) -> ConsumerKey {
	let mut key = [0xAB; 32];
	for (byte, value) in key.iter_mut().zip(a.to_le_bytes().into_iter().chain(b.to_le_bytes())) {
		*byte = value;
	}
	key
}

/// `count` registered consumers.
fn consumers<T: Config>(count: u32) -> Vec<ConsumerId> {
	(0..count)
		.map(|i| {
			let id = FIRST_CONSUMER.saturating_add(i);
			T::Consumers::register_consumer_for_benchmarks(id);
			id
		})
		.collect()
}

/// Register `who` (funded) with `bond` and the longest metadata.
fn register<T: Config>(who: &T::AccountId, bond: BalanceOf<T>) -> Result<(), BenchmarkError> {
	Pallet::<T>::do_register(who, bond, Perbill::zero(), max_metadata::<T>())?;
	Ok(())
}

/// Register `count` other operators, each opted in to every consumer of `to`, so that each of
/// those consumers' index holds `count` operators.
fn other_operators<T: Config>(count: u32, to: &[ConsumerId]) -> Result<(), BenchmarkError> {
	for i in 0..count {
		let who = funded::<T>("other", i);
		register::<T>(&who, T::MinOperatorBond::get())?;
		for consumer in to {
			Pallet::<T>::do_opt_in(&who, *consumer, bench_key(i, *consumer))?;
		}
	}
	Ok(())
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_operator() {
		let caller = funded_caller::<T>();
		let bond = T::MinOperatorBond::get();
		let commission = T::MaxCommission::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), bond, commission, max_metadata::<T>());

		assert_last_event::<T>(Event::OperatorRegistered {
			operator: caller,
			bond,
			commission,
			epoch: Pallet::<T>::now(),
		});
	}

	#[benchmark]
	fn update_metadata() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller", 0);
		Pallet::<T>::do_register(
			&caller,
			T::MinOperatorBond::get(),
			Perbill::zero(),
			Default::default(),
		)?;
		let metadata = max_metadata::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), metadata.clone());

		assert_last_event::<T>(Event::MetadataUpdated { operator: caller, metadata });
		Ok(())
	}

	#[benchmark]
	fn set_commission() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller", 0);
		register::<T>(&caller, T::MinOperatorBond::get())?;
		// An increase: the scheduling path.
		let commission = T::MaxCommission::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), commission);

		let now = Pallet::<T>::now();
		let effective_epoch = now.saturating_add(T::CommissionChangeDelay::get());
		if commission > Perbill::zero() {
			assert_last_event::<T>(Event::CommissionIncreaseScheduled {
				operator: caller,
				commission,
				effective_epoch,
			});
		}
		Ok(())
	}

	#[benchmark]
	fn bond_extra() -> Result<(), BenchmarkError> {
		let caller = funded_caller::<T>();
		let min = T::MinOperatorBond::get();
		register::<T>(&caller, min)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), min);

		assert_last_event::<T>(Event::Bonded {
			operator: caller,
			amount: min,
			bond: min.saturating_add(min),
		});
		Ok(())
	}

	#[benchmark]
	fn unbond() -> Result<(), BenchmarkError> {
		let caller = funded::<T>("caller", 0);
		let min = T::MinOperatorBond::get();
		let max_chunks = T::MaxUnbondingChunks::get();
		register::<T>(&caller, min.saturating_mul(max_chunks.saturating_add(2).into()))?;
		// All but one chunk taken, at later unlock epochs than the one about to be created.
		let now = Pallet::<T>::now();
		OperatorRecords::<T>::try_mutate(&caller, |maybe| -> Result<(), BenchmarkError> {
			let record = maybe.as_mut().ok_or(BenchmarkError::Weightless)?;
			for i in 1..max_chunks {
				let unlock_epoch = now.saturating_add(T::UnbondingDelay::get()).saturating_add(i);
				record
					.unbonding
					.try_push(UnbondingChunk { amount: min, unlock_epoch })
					.map_err(|_| BenchmarkError::Weightless)?;
				record.bond = record.bond.saturating_sub(min);
			}
			Ok(())
		})?;
		let bond_before = OperatorRecords::<T>::get(&caller).map(|r| r.bond).unwrap_or_default();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), min);

		assert_last_event::<T>(Event::Unbonded {
			operator: caller,
			amount: min,
			bond: bond_before.saturating_sub(min),
			unlock_epoch: now.saturating_add(T::UnbondingDelay::get()),
		});
		Ok(())
	}

	#[benchmark]
	fn withdraw_unbonded() -> Result<(), BenchmarkError> {
		// A leaving operator whose opt-outs were finalised (by the epoch-start finalisation:
		// this call does not touch opt-ins), with every unbonding chunk unlocked and the most
		// accepted pools: the call releases everything and removes the record and its
		// accepted pools, the most it can do.
		let max_chunks = T::MaxUnbondingChunks::get();
		let min = T::MinOperatorBond::get();
		let caller = funded_caller::<T>();
		let bond = min.saturating_mul(max_chunks.into());
		register::<T>(&caller, bond)?;
		for pool in 0..T::MaxAcceptedPools::get() {
			Pallet::<T>::do_accept_pool(&caller, pool)?;
		}
		Pallet::<T>::do_deregister(&caller)?;
		let now = Pallet::<T>::now();
		OperatorRecords::<T>::try_mutate(&caller, |maybe| -> Result<(), BenchmarkError> {
			let record = maybe.as_mut().ok_or(BenchmarkError::Weightless)?;
			record.bond = Zero::zero();
			// The most chunks, all unlocked (at the current epoch: the clock cannot move here).
			for _ in 0..max_chunks {
				record
					.unbonding
					.try_push(UnbondingChunk { amount: min, unlock_epoch: now })
					.map_err(|_| BenchmarkError::Weightless)?;
			}
			Ok(())
		})?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert!(!OperatorRecords::<T>::contains_key(&caller));
		assert!(AcceptedPools::<T>::get(&caller).is_empty());
		assert_last_event::<T>(Event::OperatorRemoved { operator: caller });
		Ok(())
	}

	#[benchmark]
	fn opt_in() -> Result<(), BenchmarkError> {
		// The caller has all but one opt-in; the consumer has all but one operator.
		let consumers = consumers::<T>(T::MaxOptIns::get());
		let (target, rest) = consumers.split_first().ok_or(BenchmarkError::Weightless)?;
		other_operators::<T>(
			T::MaxOperatorsPerConsumer::get().saturating_sub(1),
			core::slice::from_ref(target),
		)?;
		let caller = funded::<T>("caller", 0);
		register::<T>(&caller, T::MinOperatorBond::get())?;
		for consumer in rest {
			Pallet::<T>::do_opt_in(&caller, *consumer, bench_key(u32::MAX, *consumer))?;
		}
		let key = bench_key(u32::MAX, *target);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), *target, key);

		assert_last_event::<T>(Event::OptedIn {
			operator: caller,
			consumer: *target,
			key,
			epoch: Pallet::<T>::now(),
		});
		Ok(())
	}

	#[benchmark]
	fn set_consumer_key() -> Result<(), BenchmarkError> {
		// A pending rotation is replaced (its key released).
		let consumer = *consumers::<T>(1).first().ok_or(BenchmarkError::Weightless)?;
		let caller = funded::<T>("caller", 0);
		register::<T>(&caller, T::MinOperatorBond::get())?;
		Pallet::<T>::do_opt_in(&caller, consumer, bench_key(0, consumer))?;
		Pallet::<T>::do_set_consumer_key(&caller, consumer, bench_key(1, consumer))?;
		let key = bench_key(2, consumer);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), consumer, key);

		assert_last_event::<T>(Event::KeyRotationScheduled {
			operator: caller,
			consumer,
			key,
			effective_epoch: Pallet::<T>::now().saturating_add(1),
		});
		Ok(())
	}

	#[benchmark]
	fn opt_out() -> Result<(), BenchmarkError> {
		let consumer = *consumers::<T>(1).first().ok_or(BenchmarkError::Weightless)?;
		let caller = funded::<T>("caller", 0);
		register::<T>(&caller, T::MinOperatorBond::get())?;
		Pallet::<T>::do_opt_in(&caller, consumer, bench_key(0, consumer))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), consumer);

		assert_last_event::<T>(Event::OptOutScheduled {
			operator: caller,
			consumer,
			effective_epoch: Pallet::<T>::now().saturating_add(T::OptOutDelay::get()),
		});
		Ok(())
	}

	#[benchmark]
	fn deregister() -> Result<(), BenchmarkError> {
		// Opted in to `MaxOptIns` consumers (the longest record; the opt-ins themselves are not
		// touched: one deregistration is scheduled for all of them).
		let consumers = consumers::<T>(T::MaxOptIns::get());
		let caller = funded::<T>("caller", 0);
		register::<T>(&caller, T::MinOperatorBond::get())?;
		for consumer in &consumers {
			Pallet::<T>::do_opt_in(&caller, *consumer, bench_key(0, *consumer))?;
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		let epoch = Pallet::<T>::now();
		let effective_epoch = epoch.saturating_add(T::OptOutDelay::get());
		assert_last_event::<T>(Event::Deregistered { operator: caller, epoch, effective_epoch });
		Ok(())
	}

	#[benchmark]
	fn on_new_epoch(
		n: Linear<0, { T::MaxFinalisedPerBlock::get() }>,
	) -> Result<(), BenchmarkError> {
		// `n` opt-outs come due, spread over consumers with full indexes.
		let per_consumer = T::MaxOperatorsPerConsumer::get().max(1);
		let consumers = consumers::<T>(n.div_ceil(per_consumer));
		let now = Pallet::<T>::now();
		// Every earlier epoch is finalised: only the due one is looked at.
		FinaliseCursor::<T>::put(now.saturating_add(T::OptOutDelay::get()));
		for i in 0..n {
			let consumer =
				*consumers.get((i / per_consumer) as usize).ok_or(BenchmarkError::Weightless)?;
			let who = funded::<T>("operator", i);
			register::<T>(&who, T::MinOperatorBond::get())?;
			Pallet::<T>::do_opt_in(&who, consumer, bench_key(i, consumer))?;
			Pallet::<T>::do_opt_out(&who, consumer)?;
		}
		let epoch = now.saturating_add(T::OptOutDelay::get());
		assert_eq!(ScheduledCount::<T>::get(epoch), n);

		#[block]
		{
			Pallet::<T>::on_epoch_start(epoch);
		}

		assert_eq!(ScheduledCount::<T>::get(epoch), 0);
		assert_eq!(OptIns::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn accept_pool() -> Result<(), BenchmarkError> {
		// All but one slot taken: the duplicate check reads the longest list.
		let caller = funded::<T>("caller", 0);
		register::<T>(&caller, T::MinOperatorBond::get())?;
		let max = T::MaxAcceptedPools::get();
		for pool in 1..max {
			Pallet::<T>::do_accept_pool(&caller, pool)?;
		}

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), 0);

		assert_last_event::<T>(Event::PoolAccepted { operator: caller, pool: 0 });
		Ok(())
	}

	#[benchmark]
	fn reject_pool() -> Result<(), BenchmarkError> {
		// A full list, the last pool rejected.
		let caller = funded::<T>("caller", 0);
		register::<T>(&caller, T::MinOperatorBond::get())?;
		let max = T::MaxAcceptedPools::get();
		for pool in 0..max {
			Pallet::<T>::do_accept_pool(&caller, pool)?;
		}
		let pool = max.saturating_sub(1);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), pool);

		assert_last_event::<T>(Event::PoolRejected { operator: caller, pool });
		Ok(())
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
