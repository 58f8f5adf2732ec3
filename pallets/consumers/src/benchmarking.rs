//! Benchmarks of the consumers pallet: one per call (three for the paged `reap_consumer`: a
//! page removing `n` opt-ins, a page forgetting `n` remembered sets, and the final call; a
//! page of `m` memberships for the paged `claim_operator_rewards`, a page of `c` records for
//! the paged `claim_pool_rewards`), and the pieces of the epoch transition: idle block, epoch
//! start, the pages of a consumer's step (its start listing `o` operators; a page scoring,
//! one writing, one retiring `o` operators with `p` pool backings; the publication of `m`
//! members), pruning `n` exposures, plus, for reports, one whole consumer with `o` operators
//! and `p` pool backings, one whole stopped consumer, and a whole transition of `c`
//! consumers.
//!
//! Operators and pools come from the runtime's neighbours through their benchmark helpers
//! ([`OperatorRegistry::register_for_benchmarks`], [`PoolsInterface::back_for_benchmarks`]).
//! The clock is moved by writing [`CurrentEpoch`] / [`EpochStart`] directly.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::BoundedVec,
	traits::{
		fungible::{Inspect, Mutate},
		EnsureOrigin, Get,
	},
	weights::{Weight, WeightMeter},
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use palisade_primitives::{ConsumerId, ConsumerKey, OperatorRegistry, PoolId, PoolsInterface};
use sp_runtime::{
	traits::{Saturating, StaticLookup},
	Perbill,
};

const SEED: u32 = 0;

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as Config>::RuntimeEvent::from(event).into());
}

/// A large amount: a million existential deposits.
fn large<T: Config>() -> BalanceOf<T> {
	T::Currency::minimum_balance().max(1u32.into()).saturating_mul(1_000_000u32.into())
}

/// An account with plenty of free balance.
fn funded<T: Config>(name: &'static str, index: u32) -> T::AccountId {
	let who: T::AccountId = account(name, index, SEED);
	let amount = large::<T>()
		.saturating_mul(1_000u32.into())
		.saturating_add(T::RegistrationDeposit::get().saturating_mul(10u32.into()));
	T::Currency::set_balance(&who, amount);
	who
}

/// The longest metadata.
fn max_metadata<T: Config>() -> MetadataOf<T> {
	BoundedVec::truncate_from(vec![7u8; T::MaxMetadataLen::get() as usize])
}

/// A key unique for `(a, b)`.
fn bench_key(a: u32, b: u32) -> ConsumerKey {
	let mut key = [0xCD; 32];
	for (byte, value) in key.iter_mut().zip(a.to_le_bytes().into_iter().chain(b.to_le_bytes())) {
		*byte = value;
	}
	key
}

/// Parameters taking up to `max` operators (at least 1), capped at 50% power, paying
/// [`large`] per epoch.
fn bench_params<T: Config>(max: u32) -> ParamsOf<T> {
	ConsumerParams {
		min_operators: 1,
		max_operators: max.clamp(1, T::MaxOperatorsPerConsumer::get()),
		min_stake_per_operator: 0u32.into(),
		power_cap: Perbill::from_percent(50),
		payment_per_epoch: large::<T>(),
	}
}

/// A registered consumer of a fresh admin, with `o` operators opted in, backed by `p` pools
/// in total (spread evenly, in operator order), its escrow funded for ten epochs. Status
/// `Registered`.
fn populated_consumer<T: Config>(index: u32, o: u32, p: u32) -> Result<ConsumerId, BenchmarkError> {
	let admin = funded::<T>("admin", index);
	let id = Pallet::<T>::do_register(
		&admin,
		max_metadata::<T>(),
		H256::repeat_byte(1),
		bench_params::<T>(o),
	)?;
	for i in 0..o {
		let operator: T::AccountId = account("operator", index.saturating_mul(10_000) + i, SEED);
		T::Operators::register_for_benchmarks(&operator, id, bench_key(index, i))?;
		let pools = p.checked_div(o).unwrap_or(0) + u32::from(i < p.checked_rem(o).unwrap_or(0));
		for _ in 0..pools {
			let _pool: PoolId = T::Pools::back_for_benchmarks(&operator, id, large::<T>())?;
		}
	}
	Pallet::<T>::do_fund_lease(&admin, id, large::<T>().saturating_mul(10u32.into()))?;
	Ok(id)
}

/// The selection benchmarks (`process_consumer`, `process_stopped_consumer`, and the pages of a
/// step: `transition_score_page`, `transition_sync_page`, `transition_retire_page`) build at
/// most this many operators and pool backings: building the runtime's 200 operators × 32 pools
/// (6,400 pools) per step would take hours, and the weights are linear in the two components
/// (one loop iteration per operator and per backing), so the measured slopes extrapolate to
/// the bounds (a page of 16 operators with 32 pools each has 512 backings).
const SELECTION_BENCH_OPERATORS: u32 = 40;
/// See [`SELECTION_BENCH_OPERATORS`].
const SELECTION_BENCH_BACKINGS: u32 = 320;

/// A member record of `operator` in `consumer`'s set with the most pools (`pool` among them,
/// with its (pool, consumer) record), its power split into reward weights, settled at index 0
/// while the consumer's index stands at `10^18`: it has about [`large`] to settle.
fn insert_member<T: Config>(operator: &T::AccountId, consumer: ConsumerId, pool: Option<PoolId>) {
	let slots = T::MaxPoolsPerOperator::get();
	let stake = large::<T>();
	let backing = stake / slots.saturating_add(1).into();
	let own = stake.saturating_sub(backing.saturating_mul(slots.into()));
	let commission = Perbill::from_percent(10);
	let (weight, weights) = Pallet::<T>::reward_weights(
		stake,
		commission,
		stake,
		(0..slots).map(|_| backing).collect::<alloc::vec::Vec<_>>().into_iter(),
	);
	let pools = (0..slots)
		.zip(weights)
		.map(|(slot, weight)| MemberPool {
			pool: match (pool, slot) {
				(Some(pool), 0) => pool,
				_ => u32::MAX.saturating_sub(slots).saturating_add(slot),
			},
			backing,
			weight,
		})
		.collect::<alloc::vec::Vec<_>>();
	if let (Some(pool), Some(first)) = (pool, pools.first()) {
		PoolShares::<T>::mutate(pool, consumer, |share| {
			let share = share.get_or_insert_with(Default::default);
			share.weight = share.weight.saturating_add(first.weight);
		});
	}
	Members::<T>::insert(
		operator,
		consumer,
		MemberRecord::<T> {
			key: bench_key(consumer, u32::MAX),
			power: stake,
			own,
			stake,
			commission,
			reward_per_power: 0,
			weight,
			owed: 0u32.into(),
			pools: MemberPoolsOf::<T>::truncate_from(pools),
		},
	);
	RewardPerPower::<T>::insert(consumer, REWARD_SCALE);
}

/// Let `consumer` take up to the most operators ([`Config::MaxOperatorsPerConsumer`]), so its
/// step's ranking may be as long as the bound.
fn widen<T: Config>(consumer: ConsumerId) {
	ConsumerRecords::<T>::mutate(consumer, |record| {
		if let Some(record) = record {
			record.params.max_operators = T::MaxOperatorsPerConsumer::get();
		}
	});
}

/// `count` ranked candidates of made-up operators (not registered anywhere), each with the
/// most pools and a stake of `stake` plus its pools' backing, in ranking order: they fill a
/// step's ranking to its largest size.
fn filler_candidates<T: Config>(count: u32, stake: BalanceOf<T>) -> alloc::vec::Vec<Candidate<T>> {
	let slots = T::MaxPoolsPerOperator::get();
	let pools = ExposurePoolsOf::<T>::truncate_from(
		(0..slots)
			.map(|slot| (u32::MAX.saturating_sub(slots).saturating_add(slot), 1u32.into()))
			.collect(),
	);
	let mut candidates: alloc::vec::Vec<Candidate<T>> = (0..count)
		.map(|i| Candidate {
			operator: account("filler-candidate", i, SEED),
			key: bench_key(u32::MAX.saturating_sub(1), i),
			own: stake,
			pools: pools.clone(),
			stake: stake.saturating_add(slots.into()),
			power: 0u32.into(),
		})
		.collect();
	candidates.sort_by(|a, b| a.operator.cmp(&b.operator));
	candidates
}

/// Keep `step` as a block that stopped before its next page would.
fn keep_step<T: Config>(
	cursor: StepCursor<T>,
	operators: alloc::vec::Vec<(T::AccountId, ConsumerKey)>,
	candidates: alloc::vec::Vec<Candidate<T>>,
) {
	Pallet::<T>::store_step(Some(&crate::step::Step { cursor, operators, candidates }), false);
}

/// The phase of the kept step, if any.
fn kept_phase<T: Config>() -> Option<StepPhase> {
	ConsumerStep::<T>::get().map(|cursor| cursor.phase)
}

/// Move the clock to `epoch`.
fn set_epoch<T: Config>(epoch: palisade_primitives::EpochIndex) {
	CurrentEpoch::<T>::put(epoch);
}

/// The first block of the next epoch, with the block number set to it.
fn epoch_start_block<T: Config>() -> BlockNumberFor<T> {
	let n = Pallet::<T>::next_epoch_start();
	frame_system::Pallet::<T>::set_block_number(n);
	n
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_consumer() -> Result<(), BenchmarkError> {
		// All but one consumer slot taken.
		let filler: T::AccountId = account("filler", 0, SEED);
		for id in 0..<T as Config>::MaxConsumers::get().saturating_sub(1) {
			Pallet::<T>::insert_bare_consumer(id, &filler);
		}
		let caller = funded::<T>("caller", 0);
		let params = bench_params::<T>(T::MaxOperatorsPerConsumer::get());
		let id = NextConsumerId::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()), max_metadata::<T>(), H256::repeat_byte(1), params);

		assert_last_event::<T>(Event::ConsumerRegistered {
			consumer_id: id,
			admin: caller,
			deposit: T::RegistrationDeposit::get(),
			escrow_account: Pallet::<T>::escrow_account(id),
			params,
		});
		Ok(())
	}

	#[benchmark]
	fn update_params() -> Result<(), BenchmarkError> {
		let admin = funded::<T>("admin", 0);
		let id = Pallet::<T>::do_register(
			&admin,
			max_metadata::<T>(),
			H256::zero(),
			bench_params::<T>(1),
		)?;
		let params = bench_params::<T>(T::MaxOperatorsPerConsumer::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, params);

		assert_last_event::<T>(Event::ParamsUpdateScheduled {
			consumer_id: id,
			params,
			effective_epoch: Pallet::<T>::now().saturating_add(1),
		});
		Ok(())
	}

	#[benchmark]
	fn set_reporter() -> Result<(), BenchmarkError> {
		let admin = funded::<T>("admin", 0);
		let id = Pallet::<T>::do_register(
			&admin,
			max_metadata::<T>(),
			H256::zero(),
			bench_params::<T>(1),
		)?;
		let reporter: T::AccountId = account("reporter", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, T::Lookup::unlookup(reporter.clone()));

		assert_last_event::<T>(Event::ReporterSet {
			consumer_id: id,
			reporter,
			reports_from: Pallet::<T>::now().saturating_add(1),
		});
		Ok(())
	}

	#[benchmark]
	fn set_admin() -> Result<(), BenchmarkError> {
		let admin = funded::<T>("admin", 0);
		let id = Pallet::<T>::do_register(
			&admin,
			max_metadata::<T>(),
			H256::zero(),
			bench_params::<T>(1),
		)?;
		let new_admin: T::AccountId = account("new-admin", 0, SEED);

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, T::Lookup::unlookup(new_admin.clone()));

		assert_last_event::<T>(Event::AdminSet {
			consumer_id: id,
			admin: new_admin,
			reports_from: Pallet::<T>::now().saturating_add(1),
		});
		Ok(())
	}

	#[benchmark]
	fn fund_lease() -> Result<(), BenchmarkError> {
		let admin = funded::<T>("admin", 0);
		let id = Pallet::<T>::do_register(
			&admin,
			max_metadata::<T>(),
			H256::zero(),
			bench_params::<T>(1),
		)?;
		let funder = funded::<T>("funder", 0);
		let amount = large::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(funder.clone()), id, amount);

		assert_last_event::<T>(Event::LeaseFunded {
			consumer_id: id,
			who: funder,
			amount,
			escrow: amount,
		});
		Ok(())
	}

	#[benchmark]
	fn deregister_consumer() -> Result<(), BenchmarkError> {
		let admin = funded::<T>("admin", 0);
		let id = Pallet::<T>::do_register(
			&admin,
			max_metadata::<T>(),
			H256::zero(),
			bench_params::<T>(1),
		)?;
		Pallet::<T>::do_update_params(&admin, id, bench_params::<T>(2))?;
		let now = Pallet::<T>::now();

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id);

		assert_last_event::<T>(Event::ConsumerDeregistered {
			consumer_id: id,
			last_active_epoch: now,
			refundable_from: Pallet::<T>::refundable_from(now),
		});
		Ok(())
	}

	#[benchmark]
	fn reap_consumer_page(
		n: Linear<1, { T::MaxOptInsReapedPerCall::get() }>,
	) -> Result<(), BenchmarkError> {
		// A page of a reap: a deregistered consumer that never had a set, with the most
		// operators opted in (the largest index to read and write back); the call removes `n`
		// of them and returns. (`do_reap` with the page size `n`: the call passes
		// `MaxOptInsReapedPerCall`.)
		let total = T::Operators::max_operators_per_consumer().max(n);
		let id = populated_consumer::<T>(0, total, 0)?;
		let admin = ConsumerRecords::<T>::get(id).ok_or(BenchmarkError::Weightless)?.admin;
		Pallet::<T>::do_deregister(&admin, id)?;
		let step;

		#[block]
		{
			step = Pallet::<T>::do_reap(id, n)?;
		}

		assert_eq!(step, ReapStep::Page { removed: n, remaining: total.saturating_sub(n) });
		assert!(ConsumerRecords::<T>::contains_key(id));
		assert_last_event::<T>(Event::ConsumerReapProgress {
			consumer_id: id,
			opt_ins_removed: n,
			opt_ins_remaining: total.saturating_sub(n),
		});
		Ok(())
	}

	#[benchmark]
	fn reap_consumer() -> Result<(), BenchmarkError> {
		// The final call of a reap, no opt-in and one remembered set left (the pages forgot the
		// others), doing everything it can at once: a deregistered consumer that never had a
		// set (penalty burnt, rest of the deposit released) with an escrow (refunded) and its
		// account swept, that also has its newest remembered set, a current set, an anchor and
		// a dirty mark to clear. A consumer that had sets pays no penalty, so this bounds both
		// paths.
		let id = populated_consumer::<T>(0, 0, 0)?;
		let admin = ConsumerRecords::<T>::get(id).ok_or(BenchmarkError::Weightless)?.admin;
		Pallet::<T>::do_deregister(&admin, id)?;
		let set = |set_id: u64| ValidatorSet::<T> {
			epoch: 0,
			set_id,
			members: Default::default(),
			set_hash: H256::zero(),
		};
		let sets = 1u64;
		for set_id in 0..sets {
			PublishedSets::<T>::insert(id, set_id, set(set_id));
			SetHistory::<T>::mutate(id, |history| {
				let _ = history.try_push(SetHistoryEntry { set_id, epoch: 0 });
			});
		}
		ValidatorSets::<T>::insert(id, set(sets.saturating_sub(1)));
		ChainAnchors::<T>::insert(id, 0);
		DirtyConsumers::<T>::insert(id, ());
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id);

		assert!(!ConsumerRecords::<T>::contains_key(id));
		assert!(PublishedSets::<T>::iter_prefix(id).next().is_none());
		assert!(T::Operators::opted_in_operators(id, Pallet::<T>::now()).is_empty());
		Ok(())
	}

	#[benchmark]
	fn reap_consumer_sets_page(
		n: Linear<1, { T::MaxOptInsReapedPerCall::get() }>,
	) -> Result<(), BenchmarkError> {
		// A page of a reap once no opt-in is left: a deregistered consumer remembering the
		// most sets (`ExposureRetention + 1`, each with the most members); the call forgets
		// the `n` oldest and returns. (`do_reap` with the page size `n`: the call passes
		// `MaxOptInsReapedPerCall`.)
		let id = populated_consumer::<T>(0, 0, 0)?;
		let admin = ConsumerRecords::<T>::get(id).ok_or(BenchmarkError::Weightless)?.admin;
		Pallet::<T>::do_deregister(&admin, id)?;
		let members: MembersOf<T> = BoundedVec::truncate_from(
			(0..T::MaxOperatorsPerConsumer::get())
				.map(|i| {
					let operator: T::AccountId = account("member", i, SEED);
					(operator, bench_key(i, 0), large::<T>())
				})
				.collect(),
		);
		let sets = T::ExposureRetention::get().saturating_add(1);
		for set_id in 0..u64::from(sets) {
			let set = ValidatorSet::<T> {
				epoch: 0,
				set_id,
				members: members.clone(),
				set_hash: H256::zero(),
			};
			PublishedSets::<T>::insert(id, set_id, set);
			SetHistory::<T>::mutate(id, |history| {
				let _ = history.try_push(SetHistoryEntry { set_id, epoch: 0 });
			});
		}
		let removed = n.min(sets.saturating_sub(1));
		let step;

		#[block]
		{
			step = Pallet::<T>::do_reap(id, n)?;
		}

		let remaining = sets.saturating_sub(removed);
		assert_eq!(step, ReapStep::Sets { removed, remaining });
		assert_eq!(SetHistory::<T>::get(id).len() as u32, remaining);
		assert_eq!(PublishedSets::<T>::iter_prefix(id).count() as u32, remaining);
		assert_last_event::<T>(Event::ConsumerReapSetsProgress {
			consumer_id: id,
			sets_removed: removed,
			sets_remaining: remaining,
		});
		Ok(())
	}

	#[benchmark]
	fn force_deregister() -> Result<(), BenchmarkError> {
		let admin = funded::<T>("admin", 0);
		let id = Pallet::<T>::do_register(
			&admin,
			max_metadata::<T>(),
			H256::zero(),
			bench_params::<T>(1),
		)?;
		let origin =
			T::GovernanceOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id);

		assert!(ConsumerRecords::<T>::get(id).is_some_and(|r| r.status.is_deregistered()));
		Ok(())
	}

	#[benchmark]
	fn set_chain_anchor() -> Result<(), BenchmarkError> {
		// The admin's path: reads the record and the anchor, writes the anchor.
		let admin = funded::<T>("admin", 0);
		let id = Pallet::<T>::do_register(
			&admin,
			max_metadata::<T>(),
			H256::zero(),
			bench_params::<T>(1),
		)?;
		ConsumerRecords::<T>::mutate(id, |record| {
			if let Some(record) = record {
				record.last_set = Some(LastSet { set_id: 5, set_hash: H256::zero() });
			}
		});

		#[extrinsic_call]
		_(RawOrigin::Signed(admin), id, 3);

		assert_eq!(ChainAnchors::<T>::get(id), Some(3));
		Ok(())
	}

	#[benchmark]
	fn on_initialize_idle() {
		// A block in the middle of an epoch, nothing to do but the epoch hooks' idle work.
		let n: BlockNumberFor<T> = 1u32.into();
		frame_system::Pallet::<T>::set_block_number(n);

		#[block]
		{
			Pallet::<T>::on_initialize_with_limit(n, Weight::MAX);
		}

		assert_eq!(Pallet::<T>::now(), 0);
	}

	#[benchmark]
	fn start_epoch() {
		let n = epoch_start_block::<T>();
		let mut meter = WeightMeter::new();
		let mut excess = Weight::zero();

		#[block]
		{
			Pallet::<T>::start_epoch(n, &mut meter, &mut excess);
		}

		assert_eq!(Pallet::<T>::now(), 1);
	}

	#[benchmark]
	fn process_consumer(
		o: Linear<1, { T::MaxOperatorsPerConsumer::get().min(SELECTION_BENCH_OPERATORS) }>,
		p: Linear<
			0,
			{
				T::MaxOperatorsPerConsumer::get()
					.saturating_mul(T::MaxPoolsPerOperator::get())
					.min(SELECTION_BENCH_BACKINGS)
			},
		>,
	) -> Result<(), BenchmarkError> {
		// The worst path: a registered consumer is activated, every operator is selected,
		// exposures are written, every operator and pool is paid, a new set is published.
		// `p` pool backings in total, spread evenly over the `o` operators.
		let o = o.min(T::Operators::max_operators_per_consumer()).max(1);
		let p = p.min(o.saturating_mul(T::Pools::max_pools_per_operator()));
		let id = populated_consumer::<T>(0, o, p)?;
		let epoch = Pallet::<T>::now();

		#[block]
		{
			Pallet::<T>::process_consumer(id, epoch);
		}

		assert_eq!(ConsumerRecords::<T>::get(id).map(|r| r.status), Some(ConsumerStatus::Active));
		assert_eq!(ValidatorSets::<T>::get(id).map(|set| set.members.len() as u32), Some(o));
		Ok(())
	}

	#[benchmark]
	fn process_stopped_consumer(
		o: Linear<0, { T::MaxOperatorsPerConsumer::get().min(SELECTION_BENCH_OPERATORS) }>,
		p: Linear<
			0,
			{
				T::MaxOperatorsPerConsumer::get()
					.saturating_mul(T::MaxPoolsPerOperator::get())
					.min(SELECTION_BENCH_BACKINGS)
			},
		>,
	) -> Result<(), BenchmarkError> {
		// A deregistered consumer loses its set of `o` members backed by `p` pools in total:
		// every member is settled and retired, its rewards moved to the owed maps.
		let o = o.min(T::Operators::max_operators_per_consumer());
		let p = p.min(o.saturating_mul(T::Pools::max_pools_per_operator()));
		let id = populated_consumer::<T>(0, o, p)?;
		let epoch = Pallet::<T>::now();
		Pallet::<T>::process_consumer(id, epoch);
		let admin = ConsumerRecords::<T>::get(id).map(|r| r.admin).ok_or("no consumer")?;
		Pallet::<T>::do_deregister(&admin, id)?;

		#[block]
		{
			Pallet::<T>::process_consumer(id, epoch.saturating_add(1));
		}

		assert!(!ValidatorSets::<T>::contains_key(id));
		assert_eq!(Members::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn transition_start(
		o: Linear<0, { T::MaxOperatorsPerConsumer::get() }>,
	) -> Result<(), BenchmarkError> {
		// The first page of a consumer whose inputs changed, with `o` operators opted in: it
		// reads the record and the set, lists them with their keys and keeps the step.
		let o = o.min(T::Operators::max_operators_per_consumer());
		let id = populated_consumer::<T>(0, o, 0)?;
		DirtyConsumers::<T>::insert(id, ());
		let epoch = Pallet::<T>::now();

		#[block]
		{
			Pallet::<T>::run_stored_page(id, epoch);
		}

		assert_eq!(kept_phase::<T>(), Some(StepPhase::Score { next: 0 }));
		assert_eq!(StepOperators::<T>::get().len() as u32, o);
		Ok(())
	}

	#[benchmark]
	fn transition_score_page(
		o: Linear<0, { T::OperatorsPerTransitionPage::get().max(1) }>,
		p: Linear<
			0,
			{
				T::OperatorsPerTransitionPage::get()
					.max(1)
					.saturating_mul(T::MaxPoolsPerOperator::get())
					.min(SELECTION_BENCH_BACKINGS)
			},
		>,
	) -> Result<(), BenchmarkError> {
		// The last score page of a consumer: `o` operators backed by `p` pools in total are
		// scored into a ranking already as long as the bound (candidates with the most pools,
		// which each of them pushes out), then the powers are set and the step decides to
		// publish.
		let o = o.min(T::Operators::max_operators_per_consumer());
		let p = p.min(o.saturating_mul(T::Pools::max_pools_per_operator()));
		let id = populated_consumer::<T>(0, o, p)?;
		widen::<T>(id);
		let epoch = Pallet::<T>::now();
		Pallet::<T>::run_stored_page(id, epoch);
		assert_eq!(kept_phase::<T>(), Some(StepPhase::Score { next: 0 }));
		let fillers = filler_candidates::<T>(T::MaxOperatorsPerConsumer::get(), 1u32.into());
		StepCandidates::<T>::put(StepCandidatesOf::<T>::truncate_from(fillers));

		#[block]
		{
			Pallet::<T>::run_stored_page(id, epoch);
		}

		assert_eq!(kept_phase::<T>(), Some(StepPhase::Sync { next: 0 }));
		assert_eq!(StepCandidates::<T>::get().len() as u32, T::MaxOperatorsPerConsumer::get());
		Ok(())
	}

	#[benchmark]
	fn transition_sync_page(
		o: Linear<0, { T::OperatorsPerTransitionPage::get().max(1) }>,
		p: Linear<
			0,
			{
				T::OperatorsPerTransitionPage::get()
					.max(1)
					.saturating_mul(T::MaxPoolsPerOperator::get())
					.min(SELECTION_BENCH_BACKINGS)
			},
		>,
	) -> Result<(), BenchmarkError> {
		// A page writing the records of `o` new members backed by `p` pools in total (each a
		// reward record, an exposure checkpoint, its key index entry and its pools' records),
		// the last of a ranking as long as the bound.
		let o = o.min(T::Operators::max_operators_per_consumer());
		let p = p.min(o.saturating_mul(T::Pools::max_pools_per_operator()));
		let id = populated_consumer::<T>(0, o, p)?;
		widen::<T>(id);
		let epoch = Pallet::<T>::now();
		let mut backings = 0;
		let params = ConsumerRecords::<T>::get(id).ok_or("no consumer")?.params;
		let mut ranking = filler_candidates::<T>(
			T::MaxOperatorsPerConsumer::get().saturating_sub(o),
			large::<T>().saturating_mul(1_000u32.into()),
		);
		let fillers = ranking.len() as u32;
		for entry in T::Operators::opted_in_operators(id, epoch) {
			let candidate =
				Pallet::<T>::score(id, epoch, &params, entry.operator, entry.key, &mut backings)
					.ok_or("an operator without stake")?;
			ranking.push(candidate);
		}
		Pallet::<T>::assign_powers(&mut ranking, params.power_cap);
		let cursor = StepCursor::<T> {
			consumer_id: id,
			params,
			params_due: false,
			previous: 0,
			phase: StepPhase::Sync { next: fillers },
		};
		keep_step::<T>(cursor, vec![], ranking);

		#[block]
		{
			Pallet::<T>::run_stored_page(id, epoch);
		}

		assert_eq!(kept_phase::<T>(), Some(StepPhase::Publish));
		assert_eq!(
			Members::<T>::iter().filter(|(_, consumer, _)| *consumer == id).count() as u32,
			o
		);
		Ok(())
	}

	#[benchmark]
	fn transition_retire_page(
		o: Linear<0, { T::OperatorsPerTransitionPage::get().max(1) }>,
		p: Linear<
			0,
			{
				T::OperatorsPerTransitionPage::get()
					.max(1)
					.saturating_mul(T::MaxPoolsPerOperator::get())
					.min(SELECTION_BENCH_BACKINGS)
			},
		>,
	) -> Result<(), BenchmarkError> {
		// A page retiring `o` members of the previous set backed by `p` pools in total (none
		// in the new ranking, as long as the bound): each settled and removed, its rewards
		// moved to the owed maps, its exposure history closed.
		let o = o.min(T::Operators::max_operators_per_consumer());
		let p = p.min(o.saturating_mul(T::Pools::max_pools_per_operator()));
		let id = populated_consumer::<T>(0, o, p)?;
		let epoch = Pallet::<T>::now();
		Pallet::<T>::process_consumer(id, epoch);
		let next = epoch.saturating_add(1);
		set_epoch::<T>(next);
		let params = ConsumerRecords::<T>::get(id).ok_or("no consumer")?.params;
		let mut ranking = filler_candidates::<T>(T::MaxOperatorsPerConsumer::get(), 1u32.into());
		Pallet::<T>::assign_powers(&mut ranking, params.power_cap);
		let cursor = StepCursor::<T> {
			consumer_id: id,
			params,
			params_due: false,
			previous: o,
			phase: StepPhase::Retire { next: 0 },
		};
		keep_step::<T>(cursor, vec![], ranking);

		#[block]
		{
			Pallet::<T>::run_stored_page(id, next);
		}

		assert_eq!(kept_phase::<T>(), Some(StepPhase::Publish));
		assert_eq!(Members::<T>::iter().filter(|(_, consumer, _)| *consumer == id).count(), 0);
		Ok(())
	}

	#[benchmark]
	fn transition_publish(
		m: Linear<1, { T::MaxOperatorsPerConsumer::get() }>,
	) -> Result<(), BenchmarkError> {
		// The last page of a step: pending parameters recorded, a registered consumer
		// activated, the epoch paid into the rewards account, a set of `m` members published
		// (its history full, so the oldest remembered set is forgotten), the step removed.
		let id = populated_consumer::<T>(0, 0, 0)?;
		let admin = ConsumerRecords::<T>::get(id).ok_or("no consumer")?.admin;
		Pallet::<T>::do_update_params(&admin, id, bench_params::<T>(m))?;
		// One remembered set per epoch up to the last one, the oldest beyond the retention of
		// the epoch entered.
		let sets = T::ExposureRetention::get().saturating_add(1);
		let epoch = sets;
		set_epoch::<T>(epoch);
		let params = bench_params::<T>(m);
		for set_id in 0..u64::from(sets) {
			let set = ValidatorSet::<T> {
				epoch: set_id as u32,
				set_id,
				members: Default::default(),
				set_hash: H256::zero(),
			};
			PublishedSets::<T>::insert(id, set_id, set);
			SetHistory::<T>::mutate(id, |history| {
				let _ = history.try_push(SetHistoryEntry { set_id, epoch: set_id as u32 });
			});
		}
		ConsumerRecords::<T>::mutate(id, |record| {
			if let Some(record) = record {
				let set_id = u64::from(sets).saturating_sub(1);
				record.last_set = Some(LastSet { set_id, set_hash: H256::zero() });
			}
		});
		let mut ranking = filler_candidates::<T>(m, large::<T>());
		Pallet::<T>::assign_powers(&mut ranking, params.power_cap);
		let cursor = StepCursor::<T> {
			consumer_id: id,
			params,
			params_due: true,
			previous: 0,
			phase: StepPhase::Publish,
		};
		keep_step::<T>(cursor, vec![], ranking);

		#[block]
		{
			Pallet::<T>::run_stored_page(id, epoch);
		}

		assert!(ConsumerStep::<T>::get().is_none());
		assert_eq!(ConsumerRecords::<T>::get(id).map(|r| r.status), Some(ConsumerStatus::Active));
		assert_eq!(ValidatorSets::<T>::get(id).map(|set| set.members.len() as u32), Some(m));
		Ok(())
	}

	#[benchmark]
	fn claim_operator_rewards(m: Linear<1, OPERATOR_CLAIM_PAGE>) -> Result<(), BenchmarkError> {
		// A page of `m` memberships of an operator that has the most (and at least two more
		// than a page), each with the most pools and rewards accrued since its last
		// settlement, resuming after a stored cursor. A full page stops before the last
		// membership (the peek finds more, the cursor moves); a shorter one reaches the last
		// (the cursor goes).
		let operator: T::AccountId = account("operator", 0, SEED);
		T::Currency::set_balance(&operator, T::Currency::minimum_balance());
		let funds = large::<T>().saturating_mul(1_000u32.into());
		T::Currency::set_balance(
			&Pallet::<T>::rewards_account(),
			funds.saturating_add(T::Currency::minimum_balance()),
		);
		RewardsLedger::<T>::put(RewardTotals { paid_in: funds, paid_out: 0u32.into() });
		let total = T::MaxOperatorMemberships::get().max(OPERATOR_CLAIM_PAGE.saturating_add(2));
		for consumer in 0..total {
			insert_member::<T>(&operator, consumer, None);
		}
		// The memberships in the order a claim visits them.
		let order: alloc::vec::Vec<ConsumerId> = Members::<T>::iter_key_prefix(&operator).collect();
		let start = if m == OPERATOR_CLAIM_PAGE { 0 } else { total.saturating_sub(m + 1) };
		let cursor = *order.get(start as usize).ok_or(BenchmarkError::Weightless)?;
		OperatorClaimCursors::<T>::insert(&operator, cursor);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), T::Lookup::unlookup(operator.clone()));

		assert!(T::Currency::balance(&operator) > T::Currency::minimum_balance());
		let more = m == OPERATOR_CLAIM_PAGE;
		assert_eq!(OperatorClaimCursors::<T>::contains_key(&operator), more);
		Ok(())
	}

	#[benchmark]
	fn claim_pool_rewards(c: Linear<1, POOL_CLAIM_PAGE>) -> Result<(), BenchmarkError> {
		// A page of `c` records of a real pool (with LRT holders) that has the most (and at
		// least two more than a page), one per consumer, each with rewards accrued since its
		// last settlement, and rewards owed outside any record; resuming after a stored
		// cursor. A full page stops before the last record (the peek finds more, the cursor
		// moves); a shorter one reaches the last (the cursor goes).
		let backed: T::AccountId = account("backed", 0, SEED);
		T::Operators::register_for_benchmarks(&backed, 0, bench_key(u32::MAX, 0))?;
		let pool = T::Pools::back_for_benchmarks(&backed, 0, large::<T>())?;
		let funds = large::<T>().saturating_mul(1_000u32.into());
		T::Currency::set_balance(
			&Pallet::<T>::rewards_account(),
			funds.saturating_add(T::Currency::minimum_balance()),
		);
		RewardsLedger::<T>::put(RewardTotals { paid_in: funds, paid_out: 0u32.into() });
		let outside: BalanceOf<T> = 1u32.into();
		PoolRewards::<T>::insert(pool, outside);
		let total = T::MaxConsumersPerPool::get().max(POOL_CLAIM_PAGE.saturating_add(2));
		for consumer in 0..total {
			PoolShares::<T>::insert(
				pool,
				consumer,
				PoolShare { weight: large::<T>(), reward_per_power: 0, owed: 0u32.into() },
			);
			RewardPerPower::<T>::insert(consumer, REWARD_SCALE);
		}
		// The records in the order a claim visits them.
		let order: alloc::vec::Vec<ConsumerId> = PoolShares::<T>::iter_key_prefix(pool).collect();
		let start = if c == POOL_CLAIM_PAGE { 0 } else { total.saturating_sub(c + 1) };
		let cursor = *order.get(start as usize).ok_or(BenchmarkError::Weightless)?;
		PoolClaimCursors::<T>::insert(pool, cursor);
		let caller: T::AccountId = whitelisted_caller();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), pool);

		let more = c == POOL_CLAIM_PAGE;
		assert_last_event::<T>(Event::PoolRewardsClaimed {
			pool,
			amount: large::<T>().saturating_mul(c.into()).saturating_add(outside),
			records_settled: c,
			more_to_settle: more,
		});
		assert_eq!(PoolClaimCursors::<T>::contains_key(pool), more);
		assert_eq!(PoolShares::<T>::iter_prefix(pool).count() as u32, total);
		Ok(())
	}

	#[benchmark]
	fn prune_exposures(n: Linear<0, 1_000>) {
		// `n` pairs due for pruning, each with the most checkpoints (each with its own key and
		// an exposure with the most pools) and a last one saying the operator left.
		let retention = T::ExposureRetention::get();
		let slots = T::ExposureRetention::get().saturating_add(2);
		let left = slots.saturating_sub(1);
		let due = left.saturating_add(retention);
		let pools = ExposurePoolsOf::<T>::truncate_from(
			(0..T::MaxPoolsPerOperator::get()).map(|pool| (pool, large::<T>())).collect(),
		);
		for i in 0..n {
			let operator: T::AccountId = account("exposed", i, SEED);
			let mut index = CheckpointsOf::<T>::default();
			for from in 0..left {
				let key = bench_key(i, from);
				ExposureCheckpoints::<T>::insert(
					(0, &operator, from),
					Exposure::<T> {
						key,
						own: large::<T>(),
						pools: pools.clone(),
						total: large::<T>(),
					},
				);
				KeyOwners::<T>::insert(0, key, &operator);
				let _ = index.try_push(Checkpoint { from, key: Some(key) });
			}
			let _ = index.try_push(Checkpoint { from: left, key: None });
			ExposureIndex::<T>::insert(0, &operator, index);
			PairPruning::<T>::insert((due, 0, &operator), ());
		}
		set_epoch::<T>(due);
		Pruning::<T>::put(PruneState { epoch: due });
		let mut meter = WeightMeter::new();
		let mut excess = Weight::zero();

		#[block]
		{
			Pallet::<T>::prune(&mut meter, &mut excess);
		}

		assert_eq!(ExposureIndex::<T>::iter().count(), 0);
		assert_eq!(ExposureCheckpoints::<T>::iter().count(), 0);
		assert_eq!(PairPruning::<T>::iter().count(), 0);
	}

	#[benchmark]
	fn transition(
		c: Linear<1, { <T as Config>::MaxConsumers::get() }>,
	) -> Result<(), BenchmarkError> {
		// A whole epoch start with `c` consumers of one operator backed by one pool each.
		let ids = (0..c)
			.map(|index| populated_consumer::<T>(index, 1, 1))
			.collect::<Result<alloc::vec::Vec<_>, _>>()?;
		let n = epoch_start_block::<T>();

		#[block]
		{
			Pallet::<T>::on_initialize_with_limit(n, Weight::MAX);
		}

		assert!(Transition::<T>::get().is_none());
		for id in ids {
			assert!(ValidatorSets::<T>::contains_key(id));
		}
		Ok(())
	}

	#[benchmark]
	fn claim_operator_rewards_of() -> Result<(), BenchmarkError> {
		// One membership of an operator that has the most, with rewards to settle.
		let operator: T::AccountId = account("operator", 0, SEED);
		T::Currency::set_balance(&operator, T::Currency::minimum_balance());
		let funds = large::<T>().saturating_mul(1_000u32.into());
		T::Currency::set_balance(
			&Pallet::<T>::rewards_account(),
			funds.saturating_add(T::Currency::minimum_balance()),
		);
		RewardsLedger::<T>::put(RewardTotals { paid_in: funds, paid_out: 0u32.into() });
		for consumer in 0..T::MaxOperatorMemberships::get() {
			insert_member::<T>(&operator, consumer, None);
		}
		let caller: T::AccountId = whitelisted_caller();
		let lookup = T::Lookup::unlookup(operator.clone());

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), lookup, 0);

		assert!(T::Currency::balance(&operator) > T::Currency::minimum_balance());
		Ok(())
	}

	#[benchmark]
	fn process_unchanged_consumer(
		o: Linear<1, { T::MaxOperatorsPerConsumer::get() }>,
	) -> Result<(), BenchmarkError> {
		// An active consumer with a set of `o` members (one pool each), none of whose inputs
		// changed: the set is republished with a fresh set id and the epoch is paid.
		let o = o.min(T::Operators::max_operators_per_consumer()).max(1);
		let id = populated_consumer::<T>(0, o, o)?;
		let epoch = Pallet::<T>::now();
		Pallet::<T>::process_consumer(id, epoch);
		let before = ValidatorSets::<T>::get(id).ok_or("no set")?;
		DirtyConsumers::<T>::remove(id);

		#[block]
		{
			Pallet::<T>::process_consumer(id, epoch.saturating_add(1));
		}

		let after = ValidatorSets::<T>::get(id).ok_or("no set")?;
		assert_eq!(after.members, before.members);
		assert_eq!(after.set_id, before.set_id.saturating_add(1));
		Ok(())
	}

	#[benchmark]
	fn expand_change(
		n: Linear<0, { T::MaxOperatorMemberships::get() }>,
	) -> Result<(), BenchmarkError> {
		// An operator's change note, the operator a member of `n` consumers: each is marked.
		let operator: T::AccountId = account("operator", 0, SEED);
		let filler: T::AccountId = account("filler", 0, SEED);
		for id in 0..n {
			Pallet::<T>::insert_bare_consumer(id, &filler);
			insert_member::<T>(&operator, id, None);
		}
		let epoch = Pallet::<T>::now().saturating_add(1);
		Changes::<T>::insert(epoch, palisade_primitives::ChangeSubject::Operator(operator), ());
		let mut meter = frame_support::weights::WeightMeter::new();
		let drained;

		#[block]
		{
			drained = Pallet::<T>::expand_changes(epoch, &mut meter);
		}

		assert!(drained);
		assert_eq!(DirtyConsumers::<T>::iter_keys().count() as u32, n);
		Ok(())
	}

	impl_benchmark_test_suite!(
		Pallet,
		crate::mock::ExtBuilder::default().build(),
		crate::mock::Test
	);
}
