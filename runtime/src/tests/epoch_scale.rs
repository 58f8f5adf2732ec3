//! Epoch-transition scale report (`scripts/epoch-scale.sh`): worlds of consumers × operators ×
//! pools built in the real runtime, and the weight and blocks the epoch transition takes in
//! them, for an epoch where nothing changed and one where every stake changed.
//!
//! A world starts from the `staging` preset (no demo world) with a 10-block restaking epoch
//! (the epoch length does not change what a transition costs; the report scales the blocks it
//! occupies to the staging epoch length). Then, with real calls:
//!
//! - every consumer registers (params: 1 to the most operators, 1,000 PAL minimum stake, 50%
//!   power cap, 10 PAL per epoch) and funds its lease;
//! - every operator bonds (a little more than `MinOperatorBond`, different for each) and opts in
//!   to `min(MaxOptIns, consumers)` consumers, round-robin over the consumers (one cursor for
//!   all operators), skipping consumers that already have the most operators: the bounds, not
//!   the world, then decide how many operators each consumer has;
//! - every pool is native, created and deposited into by its own curator, and allocates to
//!   `min(MaxConsumersPerPool, consumers)` consecutive consumers (pool `p` from consumer
//!   `p × that mod consumers`, so each consumer gets the same number of pools); for each such
//!   consumer it backs as many of the consumer's operators as fill the operators' pool slots
//!   evenly (`MaxPoolsPerOperator` per pair), round-robin over them, within the operators'
//!   `MaxAcceptedPools` (each operator accepts the pools that back it); the pool's stake is
//!   split evenly between the operators it backs there.
//!
//! Then four transitions run, every restaking hook of every block (`Operators`,
//! `RestakingPools`, `Consumers`, `ServiceSlashing`, in the runtime's order):
//!
//! 1. *activation*: every set is new (reported, for reference);
//! 2. a warm-up transition (not reported);
//! 3. *unchanged*: nothing changed since the previous one;
//! 4. *all changed*: before it, every operator bonds extra and every pool gets a deposit.
//!
//! A transition is measured from the block in which the epoch starts until
//! `pallet_consumers::Transition` no longer exists: its weight is the sum of what
//! `Consumers::on_initialize` reports in those blocks (`on_initialize_with_limit` under
//! `MaxEpochTransitionWeight`). It is printed as milliseconds of `ref_time`, as a fraction of
//! one block's `max_block`, and as the blocks it occupies, also as a fraction of a staging
//! epoch. The same lands in `target-bench/epoch-scale.json`.
//!
//! `PALISADE_SCALE_WORLDS` selects the worlds (`CxOxP`, comma-separated; default
//! `10x100x100,100x200x1000,1000x200x1000`). Report only: the test asserts nothing about the
//! numbers, except that every transition finishes.

use std::{
	collections::{BTreeMap, BTreeSet},
	time::{Duration, Instant},
};

use frame_support::{
	assert_ok,
	traits::{fungible::Mutate, Get, OnInitialize},
	weights::{constants::WEIGHT_REF_TIME_PER_MILLIS, Weight},
};
use palisade_primitives::{Collateral, ConsumerId, ConsumerKey, PoolId};
use pallet_consumers::{ConsumerParams, ConsumerStatus};
use sp_core::H256;
use sp_runtime::Perbill;

use super::preset_config;
use crate::{
	configs::RuntimeBlockWeights, currency::UNITS, genesis_config_presets::STAGING_PRESET,
	AccountId, Balance, Balances, BlockNumber, Consumers, Operators, RestakingPools, Runtime,
	RuntimeOrigin, ServiceSlashing, System,
};

/// The worlds measured when `PALISADE_SCALE_WORLDS` is not set.
const DEFAULT_WORLDS: &str = "10x100x100,100x200x1000,1000x200x1000";
/// Epoch length of the measured worlds (blocks).
const EPOCH_LENGTH: BlockNumber = 10;
/// No transition in these worlds may take more blocks than this.
const MAX_TRANSITION_BLOCKS: u32 = 100_000;
/// What every account of the world is given.
const ENDOWMENT: Balance = 1_000_000 * UNITS;
/// Paid by each consumer per epoch.
const PAYMENT: Balance = 10 * UNITS;

/// A world's size.
#[derive(Clone, Copy, Debug)]
struct Size {
	consumers: u32,
	operators: u32,
	pools: u32,
}

impl Size {
	fn name(&self) -> String {
		format!("{}×{}×{}", self.consumers, self.operators, self.pools)
	}
}

/// `PALISADE_SCALE_WORLDS`, or the default worlds.
fn worlds() -> Vec<Size> {
	worlds_from(&std::env::var("PALISADE_SCALE_WORLDS").unwrap_or_else(|_| DEFAULT_WORLDS.into()))
}

/// The worlds of `spec` (`CxOxP`, comma-separated).
fn worlds_from(spec: &str) -> Vec<Size> {
	spec.split(',')
		.map(str::trim)
		.filter(|s| !s.is_empty())
		.map(|world| {
			let n: Vec<u32> = world
				.split(['x', 'X', '×'])
				.map(|n| n.trim().replace('_', "").parse().ok())
				.collect::<Option<_>>()
				.filter(|n: &Vec<u32>| n.len() == 3 && n.iter().all(|n| *n > 0))
				.unwrap_or_else(|| {
					panic!("PALISADE_SCALE_WORLDS: '{world}' is not CONSUMERSxOPERATORSxPOOLS")
				});
			Size { consumers: n[0], operators: n[1], pools: n[2] }
		})
		.collect()
}

/// The runtime's bounds that shape a world (read from the pallets' configs, so the report
/// follows them when they change).
#[derive(Clone, Copy, Debug)]
struct Bounds {
	/// Consumers one operator may opt in to.
	opt_ins: u32,
	/// Operators opted in to one consumer.
	operators_per_consumer: u32,
	/// Pools backing one (operator, consumer) pair.
	pools_per_pair: u32,
	/// Consumers one pool may allocate to.
	consumers_per_pool: u32,
	/// Pools one operator may accept.
	accepted_pools: u32,
	/// Registered consumers.
	consumers: u32,
	/// Operators one pool may back for one consumer, so that each gets `MinAllocation`.
	operators_per_allocation: u32,
}

/// `G::get()` (the runtime's `ConstU32`s are also `Get<Option<u32>>`).
fn get<G: Get<u32>>() -> u32 {
	G::get()
}

fn bounds() -> Bounds {
	type O = Runtime;
	let min_allocation: Perbill =
		<<O as pallet_restaking_pools::Config>::MinAllocation as Get<Perbill>>::get();
	Bounds {
		opt_ins: get::<<O as pallet_operators::Config>::MaxOptIns>(),
		operators_per_consumer: get::<<O as pallet_operators::Config>::MaxOperatorsPerConsumer>()
			.min(get::<<O as pallet_restaking_pools::Config>::MaxOperatorsPerConsumer>())
			.min(get::<<O as pallet_consumers::Config>::MaxOperatorsPerConsumer>()),
		pools_per_pair: get::<<O as pallet_restaking_pools::Config>::MaxPoolsPerOperator>()
			.min(get::<<O as pallet_consumers::Config>::MaxPoolsPerOperator>()),
		consumers_per_pool: get::<<O as pallet_restaking_pools::Config>::MaxConsumersPerPool>(),
		accepted_pools: get::<<O as pallet_operators::Config>::MaxAcceptedPools>(),
		consumers: get::<<O as pallet_consumers::Config>::MaxConsumers>(),
		operators_per_allocation: (Perbill::one().deconstruct()
			/ min_allocation.deconstruct().max(1))
		.max(1),
	}
}

// ------------------------------------------------------------------------------------------
// The plan: who opts in where and which pool backs whom, computed before any call.
// ------------------------------------------------------------------------------------------

/// The world, as indices (consumer `c`, operator `o`, pool `p` are the `c`-th consumer etc.).
struct Plan {
	/// Per operator: the consumers it opts in to.
	opt_ins: Vec<Vec<u32>>,
	/// Per consumer: the operators opted in to it, in opt-in order.
	operators_of: Vec<Vec<u32>>,
	/// Per pool: the consumers it allocates to, each with the operators it backs there.
	allocations: Vec<Vec<(u32, Vec<u32>)>>,
	/// Per operator: the pools it accepts.
	accepted: Vec<BTreeSet<u32>>,
}

fn plan(size: Size, b: &Bounds) -> Plan {
	let (c_n, o_n, p_n) = (size.consumers, size.operators, size.pools);
	// Opt-ins: `min(MaxOptIns, consumers)` per operator, one round-robin cursor over the
	// consumers, skipping full ones (at most one pass per operator, so no consumer twice).
	let per_operator = b.opt_ins.min(c_n) as usize;
	let mut operators_of: Vec<Vec<u32>> = vec![Vec::new(); c_n as usize];
	let mut opt_ins: Vec<Vec<u32>> = vec![Vec::new(); o_n as usize];
	let mut cursor = 0u32;
	for (o, mine) in opt_ins.iter_mut().enumerate() {
		let mut tried = 0;
		while mine.len() < per_operator && tried < c_n {
			let c = cursor % c_n;
			cursor = cursor.wrapping_add(1);
			tried += 1;
			let operators = &mut operators_of[c as usize];
			if (operators.len() as u32) < b.operators_per_consumer {
				operators.push(o as u32);
				mine.push(c);
			}
		}
	}

	// Allocations: pool `p` takes `m` consecutive consumers from `p × m mod consumers`; in each
	// it backs `target` operators (round-robin per consumer) so that the consumer's pools fill
	// its operators' pool slots evenly.
	let m = b.consumers_per_pool.min(c_n);
	let pools_per_consumer = (p_n as u64 * m as u64).div_ceil(c_n as u64).max(1);
	let mut pair_pools: BTreeMap<(u32, u32), u32> = BTreeMap::new();
	let mut accepted: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); o_n as usize];
	let mut next_operator = vec![0usize; c_n as usize];
	let mut allocations: Vec<Vec<(u32, Vec<u32>)>> = vec![Vec::new(); p_n as usize];
	for (p, pool_allocations) in allocations.iter_mut().enumerate() {
		let p = p as u32;
		let start = (p as u64 * m as u64 % c_n as u64) as u32;
		for j in 0..m {
			let c = (start + j) % c_n;
			let operators = &operators_of[c as usize];
			if operators.is_empty() {
				continue;
			}
			let slots = operators.len() as u64 * b.pools_per_pair as u64;
			let target = (slots.div_ceil(pools_per_consumer) as usize)
				.clamp(1, operators.len())
				.min(b.operators_per_consumer as usize)
				.min(b.operators_per_allocation as usize);
			let mut picked = Vec::new();
			let first = next_operator[c as usize];
			for t in 0..operators.len() {
				if picked.len() == target {
					break;
				}
				let o = operators[(first + t) % operators.len()];
				let used = pair_pools.entry((c, o)).or_default();
				let mine = &mut accepted[o as usize];
				if *used >= b.pools_per_pair
					|| (!mine.contains(&p) && mine.len() as u32 >= b.accepted_pools)
				{
					continue;
				}
				*used += 1;
				mine.insert(p);
				picked.push(o);
				next_operator[c as usize] = (first + t + 1) % operators.len();
			}
			if !picked.is_empty() {
				pool_allocations.push((c, picked));
			}
		}
	}
	Plan { opt_ins, operators_of, allocations, accepted }
}

/// `min / mean / max` of `values`.
fn spread(values: impl IntoIterator<Item = usize>) -> (usize, f64, usize) {
	let values: Vec<usize> = values.into_iter().collect();
	if values.is_empty() {
		return (0, 0.0, 0);
	}
	let sum: usize = values.iter().sum();
	(
		*values.iter().min().expect("not empty"),
		sum as f64 / values.len() as f64,
		*values.iter().max().expect("not empty"),
	)
}

fn show((min, mean, max): (usize, f64, usize)) -> String {
	if min == max {
		format!("{min}")
	} else {
		format!("{mean:.1} ({min}–{max})")
	}
}

/// The shape the bounds gave the world.
struct Shape {
	/// Operators per consumer.
	operators_per_consumer: (usize, f64, usize),
	/// Opt-ins per operator that opted in anywhere, and how many did.
	opt_ins_per_operator: (usize, f64, usize),
	active_operators: usize,
	/// Pools per backed (operator, consumer) pair.
	pools_per_pair: (usize, f64, usize),
	/// Backed pairs, of all opt-ins.
	backed_pairs: usize,
	opted_in_pairs: usize,
	/// (pool, consumer, operator) backings in all.
	backings: usize,
	/// Pool backings per operator (all its consumers together).
	backings_per_operator: (usize, f64, usize),
	/// Consumers per pool.
	consumers_per_pool: (usize, f64, usize),
	/// Accepted pools per operator.
	accepted_per_operator: (usize, f64, usize),
}

fn shape(plan: &Plan) -> Shape {
	let mut pairs: BTreeMap<(u32, u32), usize> = BTreeMap::new();
	let mut per_operator: BTreeMap<u32, usize> = BTreeMap::new();
	for pool in &plan.allocations {
		for (c, operators) in pool {
			for o in operators {
				*pairs.entry((*c, *o)).or_default() += 1;
				*per_operator.entry(*o).or_default() += 1;
			}
		}
	}
	let active: Vec<usize> = plan.opt_ins.iter().map(Vec::len).filter(|n| *n > 0).collect();
	Shape {
		operators_per_consumer: spread(plan.operators_of.iter().map(Vec::len)),
		active_operators: active.len(),
		opt_ins_per_operator: spread(active),
		pools_per_pair: spread(pairs.values().copied()),
		backed_pairs: pairs.len(),
		opted_in_pairs: plan.opt_ins.iter().map(Vec::len).sum(),
		backings: pairs.values().sum(),
		backings_per_operator: spread(
			(0..plan.opt_ins.len() as u32)
				.filter(|o| !plan.opt_ins[*o as usize].is_empty())
				.map(|o| per_operator.get(&o).copied().unwrap_or(0)),
		),
		consumers_per_pool: spread(plan.allocations.iter().map(Vec::len)),
		accepted_per_operator: spread(plan.accepted.iter().map(BTreeSet::len).filter(|n| *n > 0)),
	}
}

// ------------------------------------------------------------------------------------------
// Building the world with calls.
// ------------------------------------------------------------------------------------------

fn account(tag: u8, index: u32) -> AccountId {
	let mut bytes = [tag; 32];
	bytes[..4].copy_from_slice(&index.to_le_bytes());
	AccountId::new(bytes)
}

fn consumer_admin(c: u32) -> AccountId {
	account(0xc0, c)
}

fn operator(o: u32) -> AccountId {
	account(0x0b, o)
}

fn curator(p: u32) -> AccountId {
	account(0xb0, p)
}

/// Operator `o`'s key for consumer `c` (unique, as the registry requires).
fn consumer_key(o: u32, c: u32) -> ConsumerKey {
	let mut key = [0x4b; 32];
	key[..4].copy_from_slice(&o.to_le_bytes());
	key[4..8].copy_from_slice(&c.to_le_bytes());
	key
}

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

/// Externalities with the staging preset and [`EPOCH_LENGTH`], at block 1.
fn staging_ext() -> sp_io::TestExternalities {
	let mut config = preset_config(STAGING_PRESET);
	config.consumers.epoch_length = EPOCH_LENGTH;
	let storage = sp_runtime::BuildStorage::build_storage(&config).expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Every call of the world (ids are assigned in order: consumer `c` gets id `ids.0[c]`, pool
/// `p` id `ids.1[p]`).
fn build(size: Size, b: &Bounds, plan: &Plan) -> (Vec<ConsumerId>, Vec<PoolId>) {
	let min_bond: Balance = <Runtime as pallet_operators::Config>::MinOperatorBond::get();
	let accounts = (0..size.consumers)
		.map(consumer_admin)
		.chain((0..size.operators).map(operator))
		.chain((0..size.pools).map(curator));
	for who in accounts {
		assert_ok!(<Balances as Mutate<AccountId>>::mint_into(&who, ENDOWMENT));
	}

	let params = ConsumerParams {
		min_operators: 1,
		max_operators: b.operators_per_consumer,
		min_stake_per_operator: 1_000 * UNITS,
		power_cap: Perbill::from_percent(50),
		payment_per_epoch: PAYMENT,
	};
	let mut consumers = Vec::new();
	for c in 0..size.consumers {
		let admin = consumer_admin(c);
		let id = pallet_consumers::NextConsumerId::<Runtime>::get();
		assert_ok!(Consumers::register_consumer(
			signed(&admin),
			b"scale".to_vec().try_into().expect("fits"),
			H256::from_low_u64_be(c as u64 + 1),
			params,
		));
		assert_ok!(Consumers::fund_lease(signed(&admin), id, 1_000 * PAYMENT));
		consumers.push(id);
	}
	System::reset_events();

	for (o, mine) in plan.opt_ins.iter().enumerate() {
		let o = o as u32;
		let who = operator(o);
		assert_ok!(Operators::register_operator(
			signed(&who),
			min_bond + (o as Balance + 1) * UNITS,
			Perbill::from_percent(5),
			b"scale".to_vec().try_into().expect("fits"),
		));
		for c in mine {
			assert_ok!(Operators::opt_in(
				signed(&who),
				consumers[*c as usize],
				consumer_key(o, *c)
			));
		}
	}
	System::reset_events();

	let mut pools = Vec::new();
	for p in 0..size.pools {
		let who = curator(p);
		let id = pallet_restaking_pools::NextPoolId::<Runtime>::get();
		assert_ok!(RestakingPools::create_pool(
			signed(&who),
			Collateral::Native,
			b"scale".to_vec().try_into().expect("fits"),
			ENDOWMENT,
		));
		assert_ok!(RestakingPools::deposit(
			signed(&who),
			id,
			10_000 * UNITS + p as Balance * UNITS
		));
		pools.push(id);
		if p % 100 == 99 {
			System::reset_events();
		}
	}
	System::reset_events();

	for (o, mine) in plan.accepted.iter().enumerate() {
		for p in mine {
			assert_ok!(Operators::accept_pool(signed(&operator(o as u32)), pools[*p as usize]));
		}
	}
	System::reset_events();
	for (p, allocations) in plan.allocations.iter().enumerate() {
		let who = curator(p as u32);
		for (c, operators) in allocations {
			let fraction =
				Perbill::from_parts(Perbill::one().deconstruct() / operators.len() as u32);
			for o in operators {
				assert_ok!(RestakingPools::set_allocation(
					signed(&who),
					pools[p],
					operator(*o),
					consumers[*c as usize],
					fraction,
				));
			}
		}
		if p % 20 == 19 {
			System::reset_events();
		}
	}
	System::reset_events();
	(consumers, pools)
}

// ------------------------------------------------------------------------------------------
// Blocks and transitions.
// ------------------------------------------------------------------------------------------

/// Block `n`: `System::initialize`, then the restaking pallets' `on_initialize` in the
/// runtime's order. Returns what `Consumers::on_initialize` reported and how long it ran.
fn block(n: BlockNumber) -> (Weight, Duration) {
	System::reset_events();
	System::initialize(&n, &H256::from_low_u64_be(n as u64), &Default::default());
	<(Operators, RestakingPools) as OnInitialize<BlockNumber>>::on_initialize(n);
	let start = Instant::now();
	let weight = <Consumers as OnInitialize<BlockNumber>>::on_initialize(n);
	let elapsed = start.elapsed();
	<ServiceSlashing as OnInitialize<BlockNumber>>::on_initialize(n);
	(weight, elapsed)
}

/// One epoch transition.
#[derive(Clone, Copy, Debug)]
struct Measured {
	/// The epoch entered.
	epoch: u32,
	/// Sum of what `Consumers::on_initialize` reported over the transition's blocks.
	weight: Weight,
	/// Blocks from the epoch's first block to the one that closed the transition.
	blocks: u32,
	/// Native wall time of `Consumers::on_initialize` over those blocks (in-memory storage:
	/// no database, so far below what the weight charges).
	wall: Duration,
}

/// Runs idle blocks to the next epoch start, then the blocks of its transition.
fn transition() -> Measured {
	let epoch = Consumers::current_epoch();
	assert!(!pallet_consumers::Transition::<Runtime>::exists(), "a transition is still open");
	let first = System::block_number();
	let mut n = first;
	let (mut weight, mut wall) = loop {
		n += 1;
		let used = block(n);
		if Consumers::current_epoch() > epoch {
			break used;
		}
		assert!(n < first + 10 * EPOCH_LENGTH, "epoch clock stuck");
	};
	let mut blocks = 1;
	while pallet_consumers::Transition::<Runtime>::exists() {
		assert!(
			blocks < MAX_TRANSITION_BLOCKS,
			"the transition into epoch {} did not finish in {blocks} blocks",
			epoch + 1
		);
		n += 1;
		let (w, t) = block(n);
		weight.saturating_accrue(w);
		wall += t;
		blocks += 1;
	}
	Measured { epoch: Consumers::current_epoch(), weight, blocks, wall }
}

// ------------------------------------------------------------------------------------------
// The report.
// ------------------------------------------------------------------------------------------

struct Row {
	world: Size,
	shape: String,
	case: &'static str,
	measured: Measured,
}

/// Everything measured in one world.
struct WorldReport {
	size: Size,
	shape: Shape,
	/// Consumers active after the activation transition, and their set members in all.
	active_consumers: usize,
	members: usize,
	build_time: Duration,
	rows: Vec<Row>,
}

fn measure(size: Size, b: &Bounds) -> WorldReport {
	let plan = plan(size, b);
	let shape = shape(&plan);
	let short = format!(
		"{} op/consumer, {} pools/pair",
		show(shape.operators_per_consumer),
		show(shape.pools_per_pair)
	);
	let mut ext = staging_ext();
	ext.execute_with(|| {
		let started = Instant::now();
		let (consumers, pools) = build(size, b, &plan);
		let build_time = started.elapsed();
		println!("{}: world built in {:.1} s", size.name(), build_time.as_secs_f64());

		let row = |case, measured| Row { world: size, shape: short.clone(), case, measured };
		let activation = transition();
		let (mut active_consumers, mut members) = (0, 0);
		for id in &consumers {
			let record = pallet_consumers::ConsumerRecords::<Runtime>::get(id).expect("exists");
			if matches!(record.status, ConsumerStatus::Active) {
				active_consumers += 1;
			}
			members += pallet_consumers::ValidatorSets::<Runtime>::get(id)
				.map_or(0, |set| set.members.len());
		}
		let _warm_up = transition();
		let unchanged = transition();

		// Every stake changes: every operator bonds extra, every pool gets a deposit.
		for o in 0..size.operators {
			assert_ok!(Operators::bond_extra(signed(&operator(o)), (o as Balance + 1) * UNITS));
		}
		for (p, id) in pools.iter().enumerate() {
			assert_ok!(RestakingPools::deposit(
				signed(&curator(p as u32)),
				*id,
				1_000 * UNITS + p as Balance
			));
			if p % 100 == 99 {
				System::reset_events();
			}
		}
		System::reset_events();
		let changed = transition();
		println!(
			"{}: transitions measured in {:.1} s",
			size.name(),
			started.elapsed().as_secs_f64()
		);

		WorldReport {
			size,
			shape,
			active_consumers,
			members,
			build_time,
			rows: vec![
				row("unchanged", unchanged),
				row("all changed", changed),
				row("activation (all new)", activation),
			],
		}
	})
}

fn ms(weight: Weight) -> f64 {
	weight.ref_time() as f64 / WEIGHT_REF_TIME_PER_MILLIS as f64
}

#[test]
#[ignore = "slow: builds worlds of up to 1,000 consumers; run scripts/epoch-scale.sh"]
fn epoch_scale_report() {
	let b = bounds();
	let max_block = RuntimeBlockWeights::get().max_block;
	let budget: Weight = <Runtime as pallet_consumers::Config>::MaxEpochTransitionWeight::get();
	let worst = pallet_consumers::Pallet::<Runtime>::worst_consumer_weight();
	let page = pallet_consumers::Pallet::<Runtime>::largest_page_weight();
	let staging_epoch = preset_config(STAGING_PRESET).consumers.epoch_length;

	let mut reports = Vec::new();
	let mut skipped = Vec::new();
	for size in worlds() {
		if size.consumers > b.consumers {
			println!(
				"{}: skipped, more consumers than MaxConsumers ({})",
				size.name(),
				b.consumers
			);
			skipped.push(size.name());
			continue;
		}
		reports.push(measure(size, &b));
	}

	let mut out = String::new();
	out += "\n## Epoch transition at scale\n\n";
	out += &format!(
		"Bounds: MaxOptIns {}, MaxOperatorsPerConsumer {}, MaxPoolsPerOperator {} (per pair), \
		 MaxConsumersPerPool {}, MaxAcceptedPools {}, MaxConsumers {}.\n",
		b.opt_ins,
		b.operators_per_consumer,
		b.pools_per_pair,
		b.consumers_per_pool,
		b.accepted_pools,
		b.consumers
	);
	out += &format!(
		"Block max {:.0} ms ref_time; transition budget per block (MaxEpochTransitionWeight) \
		 {:.0} ms; worst-case consumer {:.1} ms over the pages of its step, the largest page \
		 (what must fit in a block) {:.1} ms; staging epoch {staging_epoch} blocks.\n\n",
		ms(max_block),
		ms(budget),
		ms(worst),
		ms(page)
	);
	out += "| world (C×O×P) | shape | case | transition weight (ms ref_time) | fraction of a \
	        block | blocks | fraction of a staging epoch |\n";
	out += "|---|---|---|---:|---:|---:|---:|\n";
	let mut json_worlds = Vec::new();
	for report in &reports {
		let mut cases = Vec::new();
		for row in &report.rows {
			let m = row.measured;
			let block_fraction = m.weight.ref_time() as f64 / max_block.ref_time() as f64;
			let epoch_fraction = m.blocks as f64 / staging_epoch as f64;
			out += &format!(
				"| {} | {} | {} | {:.1} | {:.3} | {} | {:.2e} |\n",
				row.world.name(),
				row.shape,
				row.case,
				ms(m.weight),
				block_fraction,
				m.blocks,
				epoch_fraction
			);
			cases.push(serde_json::json!({
				"case": row.case,
				"epoch": m.epoch,
				"ref_time_ps": m.weight.ref_time(),
				"proof_size": m.weight.proof_size(),
				"ms": ms(m.weight),
				"fraction_of_block": block_fraction,
				"blocks": m.blocks,
				"fraction_of_staging_epoch": epoch_fraction,
				"native_wall_ms": m.wall.as_secs_f64() * 1_000.0,
			}));
		}
		let s = &report.shape;
		let triple = |(min, mean, max): (usize, f64, usize)| serde_json::json!({ "min": min, "mean": mean, "max": max });
		json_worlds.push(serde_json::json!({
			"world": report.size.name(),
			"consumers": report.size.consumers,
			"operators": report.size.operators,
			"pools": report.size.pools,
			"shape": {
				"operators_per_consumer": triple(s.operators_per_consumer),
				"operators_opted_in": s.active_operators,
				"opt_ins_per_operator": triple(s.opt_ins_per_operator),
				"opted_in_pairs": s.opted_in_pairs,
				"backed_pairs": s.backed_pairs,
				"pools_per_backed_pair": triple(s.pools_per_pair),
				"backings": s.backings,
				"backings_per_operator": triple(s.backings_per_operator),
				"consumers_per_pool": triple(s.consumers_per_pool),
				"accepted_pools_per_operator": triple(s.accepted_per_operator),
				"active_consumers": report.active_consumers,
				"set_members": report.members,
			},
			"build_seconds": report.build_time.as_secs_f64(),
			"cases": cases,
		}));
	}
	out += "\nShapes (mean (min–max); pairs are (operator, consumer) opt-ins):\n\n";
	for report in &reports {
		let s = &report.shape;
		out += &format!(
			"- {}: {} operators per consumer; {} of {} operators opted in, {} consumers each; \
			 {} of {} pairs backed, {} pools per backed pair, {} backings in all ({} per \
			 operator); {} consumers per pool; {} accepted pools per operator; after \
			 activation {} of {} consumers active with {} set members.\n",
			report.size.name(),
			show(s.operators_per_consumer),
			s.active_operators,
			report.size.operators,
			show(s.opt_ins_per_operator),
			s.backed_pairs,
			s.opted_in_pairs,
			show(s.pools_per_pair),
			s.backings,
			show(s.backings_per_operator),
			show(s.consumers_per_pool),
			show(s.accepted_per_operator),
			report.active_consumers,
			report.size.consumers,
			report.members,
		);
	}
	for name in &skipped {
		out += &format!("- {name}: skipped (more consumers than MaxConsumers).\n");
	}
	println!("{out}");

	let json = serde_json::json!({
		"build": if cfg!(debug_assertions) { "debug" } else { "release" },
		"bounds": {
			"max_opt_ins": b.opt_ins,
			"max_operators_per_consumer": b.operators_per_consumer,
			"max_pools_per_operator": b.pools_per_pair,
			"max_consumers_per_pool": b.consumers_per_pool,
			"max_accepted_pools": b.accepted_pools,
			"max_consumers": b.consumers,
		},
		"max_block_ref_time_ps": max_block.ref_time(),
		"max_epoch_transition_ref_time_ps": budget.ref_time(),
		"worst_consumer_ref_time_ps": worst.ref_time(),
		"largest_transition_page_ref_time_ps": page.ref_time(),
		"staging_epoch_blocks": staging_epoch,
		"worlds": json_worlds,
		"skipped": skipped,
	});
	let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target-bench");
	std::fs::create_dir_all(&dir).expect("target-bench is writable");
	let path = dir.join("epoch-scale.json");
	std::fs::write(&path, serde_json::to_string_pretty(&json).expect("JSON") + "\n")
		.expect("epoch-scale.json is writable");
	println!("written to {}", path.canonicalize().unwrap_or(path).display());
}

/// The planned worlds stay within the bounds they are planned for: today's, and the raised ones
/// (64 opt-ins, 200 operators per consumer, 32 pools per pair).
#[test]
fn scale_worlds_stay_within_the_bounds() {
	let today = bounds();
	let raised = Bounds {
		opt_ins: 64,
		operators_per_consumer: 200,
		pools_per_pair: 32,
		consumers_per_pool: 16,
		accepted_pools: 64 * 32,
		..today
	};
	for b in [today, raised] {
		for size in worlds_from(DEFAULT_WORLDS) {
			let plan = plan(size, &b);
			for mine in &plan.opt_ins {
				assert!(mine.len() as u32 <= b.opt_ins.min(size.consumers));
				assert_eq!(mine.iter().collect::<BTreeSet<_>>().len(), mine.len());
			}
			for operators in &plan.operators_of {
				assert!(operators.len() as u32 <= b.operators_per_consumer);
			}
			for accepted in &plan.accepted {
				assert!(accepted.len() as u32 <= b.accepted_pools);
			}
			let mut pairs: BTreeMap<(u32, u32), u32> = BTreeMap::new();
			for (p, allocations) in plan.allocations.iter().enumerate() {
				assert!(allocations.len() as u32 <= b.consumers_per_pool);
				for (c, operators) in allocations {
					assert!(operators.len() as u32 <= b.operators_per_allocation);
					for o in operators {
						assert!(plan.opt_ins[*o as usize].contains(c), "{o} not opted in to {c}");
						assert!(plan.accepted[*o as usize].contains(&(p as u32)));
						*pairs.entry((*c, *o)).or_default() += 1;
					}
				}
			}
			assert!(pairs.values().all(|n| *n <= b.pools_per_pair));
		}
	}
}
