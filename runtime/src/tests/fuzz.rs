//! A call-sequence fuzzer over the real runtime (issue 11).
//!
//! Every sequence starts from the same world: the `development` preset (demo consumer 0, demo
//! operators `//Bob//stash` and `//Charlie//stash`, pools 0 (native) and 1 (dDOT, issued by
//! Eve)) with a 3-block restaking epoch, plus what [`build_world`] adds with real calls: a poor
//! actor (`One`), a hostile asset issuer (`//Eve//stash`, asset 2, pool 2), a native pool 3, a
//! third operator (`Bob`), a hostile consumer 1 (`Charlie`) and allocations between them. The
//! world runs through ~1,190 blocks with every pallet's hooks (so that each sequence crosses the
//! first staking era boundary, where inflation is minted), and leaves work in flight: withdrawal
//! requests and an unbonding about to become claimable, two reported slashes about to fall
//! due.
//!
//! A sequence is 13–26 random steps (`PALISADE_FUZZ_STEPS`). A step is a block (every pallet's
//! `on_idle`/`on_finalize`, then `System::initialize` with an Aura pre-digest, `on_initialize`
//! and the timestamp inherent, as `frame-executive` does), a jump to the next restaking epoch,
//! or one call: a random actor dispatches a random call of the restaking pallets, `Assets`
//! (the issuer freezing, blocking, burning from or force-transferring out of pool accounts,
//! destroying the collateral...), `Balances`, `Staking` or `Utility` (batches), with random and
//! hostile arguments (zero, one, dust, `u128::MAX`, `Perbill::from_parts(1)`, unknown ids, other
//! people's ids, epochs around the report window, keyless accounts); now and then governance
//! (root) cancels or freezes slashes, changes the slashing parameters or valuations, or
//! force-deregisters a consumer. Errors are expected; invariant violations are not.
//!
//! Checked after every step:
//! - a failed call changed nothing: the storage root is the same before and after (for a
//!   sample of `PALISADE_FUZZ_ROOT_PERCENT`% of the calls, default 30, 100 in
//!   `scripts/fuzz.sh`: roots are costly in a debug build);
//! - PAL issuance changes exactly by the amounts of the `Balances` issuance events (`Minted`,
//!   `Issued`, `MintedCredit`, `Burned`, `BurnedHeld`, `Rescinded`, `BurnedDebt`); PAL is only
//!   minted in a step with a staking era payout or reward, and only burnt in a step with a slash
//!   or a `Balances::burn`;
//! - LRT: each pool's LRT supply equals what `pallet-lrt` records, and changes only by the LRT
//!   minted and burnt in the pools' `Deposited` / `WithdrawalRequested` events;
//! - (soft) a pool's rate (`LrtInterface::rate`, collateral per LRT, virtual offset included)
//!   does not go down in a step without a slash of that pool;
//!
//! and after every block: every pallet's `try_state` (`AllPalletsWithSystem`, one pallet at a
//! time so the failing one is named), PAL total issuance equals the sum of every account's free
//! and reserved balance, each asset's supply equals the sum of its accounts' balances, and
//! (soft) what all LRT holders of a pool could redeem (`LrtInterface::value_of`) does not exceed
//! the pool's active value ("fair rate"). A panic is a violation too (`defensive!` panics in
//! debug builds).
//!
//! A hard violation ends its sequence; a soft one (read-only rate observations) is recorded once
//! and the sequence goes on. For the first sequence showing each kind of violation the fuzzer
//! prints the seed and the calls, and a shrunk sequence (steps removed one by one while the same
//! violation still shows). The test fails if anything was found.
//!
//! Run (the runtime's `try-runtime` feature is needed for `try_state`):
//!
//! ```text
//! cargo test -p palisade-runtime --features try-runtime fuzz_short -- --nocapture
//! scripts/fuzz.sh [sequences] [seed]     # the long run, release build
//! ```
//!
//! Environment: `PALISADE_FUZZ_SEQUENCES` (default 1000), `PALISADE_FUZZ_SEED` (sequence `i`
//! uses seed `SEED + i`, default 0), `PALISADE_FUZZ_STEPS` (default 26), `PALISADE_FUZZ_THREADS`
//! (default 2), `PALISADE_FUZZ_SKIP` (comma-separated checks to skip: `failed-call`,
//! `pal-issuance`, `pal-accounts`, `asset-supply`, `lrt-supply`, `rate`, `fair-rate`,
//! `try-state`; and `issuer-drain`, which leaves the asset team's burns, forced transfers and
//! destruction aimed at pool accounts out of the generated calls: the call filter refuses them),
//! `PALISADE_FUZZ_ROOT_PERCENT`, `PALISADE_FUZZ_SHRINK=0`,
//! `PALISADE_FUZZ_VERBOSE=1` (print every sequence), `PALISADE_FUZZ_BOOST_FILE` and
//! `PALISADE_FUZZ_BOOST_THREADS` (default 1): once that file exists, that many more threads
//! join the run (`scripts/test.sh` starts the fuzzer on one core beside the end-to-end tests
//! and gives it the second once they are done). Threads take the next sequence from a shared
//! counter, so the sequences run (and their seeds) do not depend on the number of threads. Replay one sequence with
//! `PALISADE_FUZZ_SEED=<seed> PALISADE_FUZZ_SEQUENCES=1`.

use std::{
	cell::{Cell, RefCell},
	collections::{BTreeMap, BTreeSet},
	panic::{catch_unwind, AssertUnwindSafe},
	sync::atomic::{AtomicBool, AtomicU64, Ordering},
	time::Instant,
};

use codec::{Decode, Encode};
use frame_support::{
	traits::{GetCallMetadata, OnFinalize, OnIdle, OnInitialize, TryState, TryStateSelect},
	BoundedVec,
};
use palisade_primitives::{AssetId, Collateral, ConsumerId, ConsumerKey, LrtInterface, PoolId};
use pallet_consumers::ConsumerParams;
use pallet_restaking_pools::PoolState;
use pallet_service_slashing::{EquivocationProofOf, OffenceKind, SlashDestination};
use sp_core::{Get, H256};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{
	traits::{BlakeTwo256, Dispatchable},
	Digest, DigestItem, DispatchError, FixedU128, MultiAddress, Perbill, StateVersion,
};

use crate::{
	configs::{restaking::LRT_ASSET_ID_OFFSET, RuntimeBlockWeights},
	currency::{CENTS, UNITS},
	AccountId, AllPalletsWithSystem, Assets, Balance, Balances, BlockNumber, Consumers, Lrt,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin, System,
};

mod generate;
mod invariants;
mod world;

use generate::*;
use invariants::*;
use world::*;

// ------------------------------------------------------------------------------------------
// Configuration and PRNG.
// ------------------------------------------------------------------------------------------

/// The block the world is run to before the sequences start: the first staking era ends at
/// block 1200 (6 sessions of 200 blocks), inside almost every sequence.
const SNAPSHOT_BLOCK: BlockNumber = 1_190;
/// Restaking epoch length of the fuzz world, in blocks (the `development` preset has 10): short,
/// so that a short sequence sees reports, vetoes, executions, exits and claims.
const FUZZ_EPOCH_LENGTH: BlockNumber = 3;
/// Most replays spent shrinking one violating sequence.
const SHRINK_BUDGET: usize = 300;
/// Existential deposit of PAL.
const ED: Balance = CENTS;
/// `MinLrtBalance` of the runtime.
const MIN_LRT: Balance = UNITS / 1_000_000;

struct FuzzConfig {
	sequences: u64,
	seed: u64,
	max_steps: u64,
	skip: BTreeSet<String>,
	verbose: bool,
	threads: u64,
	shrink: bool,
	root_percent: u64,
	/// Once this file exists, `boost_threads` more threads join the run.
	boost_file: Option<String>,
	boost_threads: u64,
}

impl FuzzConfig {
	fn from_env() -> Self {
		let num = |name: &str, default: u64| {
			std::env::var(name)
				.ok()
				.map(|v| {
					v.trim().parse::<u64>().unwrap_or_else(|_| panic!("{name}={v}: not a number"))
				})
				.unwrap_or(default)
		};
		Self {
			sequences: num("PALISADE_FUZZ_SEQUENCES", 1_000),
			seed: num("PALISADE_FUZZ_SEED", 0),
			max_steps: num("PALISADE_FUZZ_STEPS", 26).max(2),
			skip: std::env::var("PALISADE_FUZZ_SKIP")
				.unwrap_or_default()
				.split(',')
				.map(|s| s.trim().to_string())
				.filter(|s| !s.is_empty())
				.collect(),
			verbose: std::env::var("PALISADE_FUZZ_VERBOSE").is_ok_and(|v| v == "1"),
			threads: num("PALISADE_FUZZ_THREADS", 2).max(1),
			shrink: num("PALISADE_FUZZ_SHRINK", 1) != 0,
			root_percent: num("PALISADE_FUZZ_ROOT_PERCENT", 30).min(100),
			boost_file: std::env::var("PALISADE_FUZZ_BOOST_FILE").ok().filter(|f| !f.is_empty()),
			boost_threads: num("PALISADE_FUZZ_BOOST_THREADS", 1),
		}
	}
}

/// SplitMix64: tiny, fast, and good enough to pick calls; the same seed replays the same
/// sequence.
struct Rng(u64);

impl Rng {
	fn new(seed: u64) -> Self {
		Self(seed ^ 0x5eed_f022_5a11_5ade)
	}

	fn next_u64(&mut self) -> u64 {
		self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
		let mut z = self.0;
		z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
		z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
		z ^ (z >> 31)
	}

	/// Uniform in `0..n` (0 if `n` is 0).
	fn below(&mut self, n: u64) -> u64 {
		if n == 0 {
			0
		} else {
			self.next_u64() % n
		}
	}

	fn below_u128(&mut self, n: u128) -> u128 {
		if n == 0 {
			0
		} else {
			(((self.next_u64() as u128) << 64) | self.next_u64() as u128) % n
		}
	}

	/// Uniform in `lo..=hi`.
	fn range(&mut self, lo: u64, hi: u64) -> u64 {
		lo + self.below(hi - lo + 1)
	}

	fn chance(&mut self, percent: u64) -> bool {
		self.below(100) < percent
	}

	fn pick<T: Clone>(&mut self, items: &[T]) -> T {
		items[self.below(items.len() as u64) as usize].clone()
	}
}

// ------------------------------------------------------------------------------------------
// Actions.
// ------------------------------------------------------------------------------------------

/// One step of a sequence.
#[derive(Clone)]
enum Action {
	/// `who` (root if `None`) dispatches `call`.
	Call { who: Option<AccountId>, call: RuntimeCall },
	/// End the block, start the next one.
	NextBlock,
	/// Blocks until the restaking epoch changes.
	NextEpoch,
}

impl Action {
	fn describe(&self, world: &World) -> String {
		compress(match self {
			Action::NextBlock => "-- next block".into(),
			Action::NextEpoch => "-- next epoch".into(),
			Action::Call { who, call } => {
				let who = who.as_ref().map_or("Root".to_string(), |w| format!("{w:?}"));
				world.named(format!("{who}: {call:?}"))
			}
		})
	}
}

/// Shortens what makes call lists unreadable: byte vectors and signatures.
fn compress(text: String) -> String {
	let mut out = String::with_capacity(text.len());
	let mut rest = text.as_str();
	while let Some(start) = rest.find("BoundedVec([") {
		out.push_str(&rest[..start]);
		let after = &rest[start + "BoundedVec([".len()..];
		match after.find(']') {
			Some(end) => {
				let items = after[..end].split(',').filter(|s| !s.trim().is_empty()).count();
				out.push_str(&format!("BoundedVec(<{items} bytes>"));
				rest = &after[end + 1..];
				// Drop the bound (", 256)" -> ")").
				if let Some(close) = rest.find(')') {
					rest = &rest[close..];
				}
			}
			None => {
				out.push_str(&rest[start..]);
				rest = "";
			}
		}
	}
	out.push_str(rest);
	let mut text = out;
	while let Some(start) = text.find("Signature(") {
		let Some(len) = text[start..].find(')') else { break };
		text.replace_range(start..start + len + 1, "Sig");
	}
	text
}

/// Whether `call` is (or batches) a `Balances::burn`.
fn burns(call: &RuntimeCall) -> bool {
	use pallet_utility::Call as U;
	match call {
		RuntimeCall::Balances(pallet_balances::Call::burn { .. }) => true,
		RuntimeCall::Utility(
			U::batch { calls } | U::batch_all { calls } | U::force_batch { calls },
		) => calls.iter().any(burns),
		_ => false,
	}
}

/// Successes and failures per pallet and per call, errors by name, events by name.
#[derive(Default)]
struct Stats {
	sequences: u64,
	steps: u64,
	blocks: u64,
	calls: BTreeMap<&'static str, (u64, u64)>,
	functions: BTreeMap<(&'static str, &'static str), (u64, u64)>,
	errors: BTreeMap<String, u64>,
	events: BTreeMap<String, u64>,
}

impl Stats {
	fn merge(&mut self, other: Stats) {
		self.sequences += other.sequences;
		self.steps += other.steps;
		self.blocks += other.blocks;
		for (k, (ok, err)) in other.calls {
			let e = self.calls.entry(k).or_default();
			e.0 += ok;
			e.1 += err;
		}
		for (k, (ok, err)) in other.functions {
			let e = self.functions.entry(k).or_default();
			e.0 += ok;
			e.1 += err;
		}
		for (k, n) in other.errors {
			*self.errors.entry(k).or_default() += n;
		}
		for (k, n) in other.events {
			*self.events.entry(k).or_default() += n;
		}
	}

	fn record_call(&mut self, call: &RuntimeCall, result: &Result<(), String>) {
		let meta = call.get_call_metadata();
		let (ok, err) = self.calls.entry(meta.pallet_name).or_default();
		let (fok, ferr) = self.functions.entry((meta.pallet_name, meta.function_name)).or_default();
		match result {
			Ok(()) => {
				*ok += 1;
				*fok += 1;
			}
			Err(e) => {
				*err += 1;
				*ferr += 1;
				*self.errors.entry(format!("{}::{}", meta.pallet_name, e)).or_default() += 1;
			}
		}
	}

	fn record_events(&mut self, events: &[RuntimeEvent]) {
		for event in events {
			*self.events.entry(event_name(event)).or_default() += 1;
		}
	}
}

/// `Pallet::Variant` of an event, from its `Debug` rendering.
fn event_name(event: &RuntimeEvent) -> String {
	let text = format!("{event:?}");
	let (pallet, rest) = text.split_once('(').unwrap_or((&text, ""));
	let rest = rest.strip_prefix("Event::").unwrap_or(rest);
	let variant: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
	format!("{pallet}::{variant}")
}

fn error_name(error: &DispatchError) -> String {
	match error {
		DispatchError::Module(m) => m.message.map(|s| s.to_string()).unwrap_or(format!("{m:?}")),
		other => format!("{other:?}"),
	}
}

/// An invariant that did not hold: its kind (to recognise it again while shrinking) and the
/// details.
#[derive(Clone, Debug)]
struct Violation {
	kind: String,
	detail: String,
}

fn violation(kind: impl Into<String>, detail: impl Into<String>) -> Violation {
	Violation { kind: kind.into(), detail: detail.into() }
}

/// Time spent per activity, to keep the short run short.
#[derive(Default, Clone, Copy)]
struct Timing {
	hooks: f64,
	try_state: f64,
	checks: f64,
	dispatch: f64,
	root: f64,
	generate: f64,
}

impl Timing {
	fn add(&mut self, o: Timing) {
		self.hooks += o.hooks;
		self.try_state += o.try_state;
		self.checks += o.checks;
		self.dispatch += o.dispatch;
		self.root += o.root;
		self.generate += o.generate;
	}
}

fn timed<R>(slot: fn(&mut Timing) -> &mut f64, f: impl FnOnce() -> R) -> R {
	let t = Instant::now();
	let r = f();
	TIMING.with(|timing| *slot(&mut timing.borrow_mut()) += t.elapsed().as_secs_f64());
	r
}

thread_local! {
	/// Decides which failed calls get the (costly) storage-root comparison; separate from
	/// the sequences' generator so sampling never changes what is generated.
	static ROOT_SAMPLER: RefCell<Rng> = RefCell::new(Rng::new(0x600d_5eed));
	static TRY_STATE_TIME: RefCell<BTreeMap<String, f64>> = RefCell::new(BTreeMap::new());
	static TIMING: RefCell<Timing> = RefCell::new(Timing::default());
	static FUZZING: Cell<bool> = const { Cell::new(false) };
	static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Panics of the fuzzing thread are recorded (and reported as violations) instead of printed;
/// other threads keep the default hook.
fn install_panic_hook() {
	static ONCE: std::sync::Once = std::sync::Once::new();
	ONCE.call_once(|| {
		let previous = std::panic::take_hook();
		std::panic::set_hook(Box::new(move |info| {
			if FUZZING.with(|f| f.get()) {
				let payload = info
					.payload()
					.downcast_ref::<&str>()
					.map(|s| s.to_string())
					.or_else(|| info.payload().downcast_ref::<String>().cloned())
					.unwrap_or_else(|| "<non-string panic>".into());
				let location = info
					.location()
					.map(|l| format!(" at {}:{}", l.file(), l.line()))
					.unwrap_or_default();
				LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{payload}{location}")));
			} else {
				previous(info)
			}
		}));
	});
}

// ------------------------------------------------------------------------------------------
// Running a sequence.
// ------------------------------------------------------------------------------------------

struct Runner<'a> {
	world: &'a World,
	checker: Checker<'a>,
	stats: &'a mut Stats,
	/// One line per step done: the action and its outcome.
	log: Vec<String>,
}

impl Runner<'_> {
	/// Does `action` and checks the invariants. `Err` is the first violation.
	fn apply(&mut self, action: &Action) -> Result<(), Violation> {
		let result = self.apply_inner(action);
		// The step's events have been checked; dropping them keeps storage roots and event
		// reads cheap (no pallet reads events). Only when there are some: an untouched state
		// keeps the cached storage root valid for the next call.
		if System::event_count() > 0 {
			System::reset_events();
		}
		result
	}

	fn apply_inner(&mut self, action: &Action) -> Result<(), Violation> {
		let before = before();
		let from = System::event_count() as usize;
		match action {
			Action::Call { who, call } => {
				let origin = who.clone().map_or(RuntimeOrigin::root(), RuntimeOrigin::signed);
				let check_root = self.checker.on("failed-call")
					&& (self.checker.root_percent >= 100
						|| ROOT_SAMPLER.with(|r| r.borrow_mut().chance(self.checker.root_percent)));
				let root_before = check_root
					.then(|| timed(|t| &mut t.root, || sp_io::storage::root(StateVersion::V1)));
				let result = timed(|t| &mut t.dispatch, || call.clone().dispatch(origin))
					.map(|_| ())
					.map_err(|e| e.error);
				let outcome = result.map_err(|e| error_name(&e));
				self.stats.record_call(call, &outcome);
				self.log.push(format!(
					"{}  => {}",
					action.describe(self.world),
					outcome.as_ref().map_or_else(|e| format!("Err({e})"), |_| "Ok".into())
				));
				let events = events_since(from);
				self.stats.record_events(&events);
				if let (Err(_), Some(root_before)) = (&outcome, root_before) {
					let root_after =
						timed(|t| &mut t.root, || sp_io::storage::root(StateVersion::V1));
					if root_after != root_before {
						return Err(violation(
							"a failed call changed the state",
							format!("{call:?}"),
						));
					}
				}
				let burn_call = outcome.is_ok() && burns(call);
				self.checker.step(&before, &events, burn_call)
			}
			Action::NextBlock => {
				self.log.push(format!("-- block {} ends", System::block_number()));
				let events = self.next_block(from)?;
				self.checker.step(&before, &events, false)
			}
			Action::NextEpoch => {
				let epoch = Consumers::current_epoch();
				self.log.push(format!(
					"-- epoch {epoch} (block {}) runs to its end",
					System::block_number()
				));
				let mut events = Vec::new();
				let length = pallet_consumers::EpochLength::<Runtime>::get();
				for _ in 0..(3 * length + 10) {
					let before = crate::tests::fuzz::before();
					let from = System::event_count() as usize;
					let block_events = self.next_block(from)?;
					self.checker.step(&before, &block_events, false)?;
					if System::event_count() > 0 {
						System::reset_events();
					}
					events.extend(block_events);
					if Consumers::current_epoch() != epoch {
						return Ok(());
					}
				}
				Err(violation("the epoch clock is stuck", format!("epoch {epoch}")))
			}
		}
	}

	/// Ends the current block (checking `try_state`) and starts the next one. Returns the
	/// events of both halves.
	fn next_block(&mut self, from: usize) -> Result<Vec<RuntimeEvent>, Violation> {
		let n = System::block_number();
		timed(|t| &mut t.hooks, || end_block(n));
		let mut events = events_since(from);
		self.checker.block(n)?;
		timed(|t| &mut t.hooks, || start_block(n + 1));
		events.extend(events_since(0));
		self.stats.blocks += 1;
		self.stats.record_events(&events);
		Ok(events)
	}

	/// `apply`, with panics turned into violations.
	fn apply_catching(&mut self, action: &Action) -> Result<(), Violation> {
		self.catching(|runner| runner.apply(action))
	}

	/// Runs `f`, with panics turned into violations.
	fn catching(
		&mut self,
		f: impl FnOnce(&mut Self) -> Result<(), Violation>,
	) -> Result<(), Violation> {
		FUZZING.with(|flag| flag.set(true));
		let result = catch_unwind(AssertUnwindSafe(|| f(self)));
		FUZZING.with(|flag| flag.set(false));
		match result {
			Ok(result) => result,
			Err(_) => {
				let message = LAST_PANIC
					.with(|p| p.borrow_mut().take())
					.unwrap_or_else(|| "<unknown panic>".into());
				let kind = message.split(" at ").next().unwrap_or(&message);
				let kind: String = kind.chars().filter(|c| !c.is_ascii_digit()).take(120).collect();
				Err(violation(format!("panic: {kind}"), message))
			}
		}
	}
}

/// The outcome of one sequence.
struct Outcome {
	actions: Vec<Action>,
	log: Vec<String>,
	/// The violations, in order, with the index of the step that showed them (the soft ones,
	/// then at most one hard one, which ended the sequence).
	violations: Vec<(usize, Violation)>,
}

/// Where a sequence's actions come from.
enum Source<'a> {
	/// Generated from a seed, `steps` of them.
	Seed(u64),
	/// Replayed.
	Actions(&'a [Action]),
}

/// Runs one sequence (inside the world's externalities): generated from a seed or replayed.
/// With `until`, stops at the first violation of that kind.
fn run_sequence(
	world: &World,
	cfg: &FuzzConfig,
	source: Source,
	stats: &mut Stats,
	until: Option<&str>,
) -> Outcome {
	let (mut rng, steps) = match &source {
		Source::Seed(seed) => {
			let mut rng = Rng::new(*seed);
			let steps = rng.range((cfg.max_steps / 2).max(1), cfg.max_steps);
			(rng, steps as usize)
		}
		Source::Actions(actions) => (Rng::new(0), actions.len()),
	};
	// Which failed calls get their storage root compared depends on the sequence alone, not
	// on which thread ran which sequences before it.
	let sampler_seed = match &source {
		Source::Seed(seed) => 0x600d_5eed ^ *seed,
		Source::Actions(_) => 0x600d_5eed,
	};
	ROOT_SAMPLER.with(|r| *r.borrow_mut() = Rng::new(sampler_seed));
	let mut runner = Runner { world, checker: Checker::new(cfg), stats, log: Vec::new() };
	let mut actions = Vec::new();
	let mut violations: Vec<(usize, Violation)> = Vec::new();
	let mut hard = None;
	for i in 0..=steps {
		let result = if i < steps {
			let action = match &source {
				Source::Actions(replayed) => replayed[i].clone(),
				Source::Seed(_) => {
					FUZZING.with(|f| f.set(true));
					let generated = catch_unwind(AssertUnwindSafe(|| {
						timed(|t| &mut t.generate, || Gen { rng: &mut rng, world }.action())
					}));
					FUZZING.with(|f| f.set(false));
					match generated {
						Ok(action) => action,
						Err(_) => {
							let message =
								LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_default();
							hard = Some((i, violation("panic in the generator", message)));
							break;
						}
					}
				}
			};
			runner.stats.steps += 1;
			actions.push(action.clone());
			runner.apply_catching(&action)
		} else {
			// Close the last block too.
			runner.log.push(format!("-- block {} ends (end of sequence)", System::block_number()));
			runner.catching(|runner| {
				let n = System::block_number();
				end_block(n);
				runner.checker.block(n)
			})
		};
		let soft: Vec<Violation> = runner.checker.soft.borrow()[violations.len()..].to_vec();
		for v in soft {
			runner.log.push(format!("   !! [{}] {}", v.kind, v.detail));
			violations.push((i, v));
		}
		if let Err(v) = result {
			runner.log.push(format!("   !! [{}] {}", v.kind, v.detail));
			hard = Some((i, v));
			break;
		}
		if until.is_some_and(|kind| violations.iter().any(|(_, v)| v.kind == kind)) {
			break;
		}
	}
	violations.extend(hard);
	let log = std::mem::take(&mut runner.log);
	Outcome { actions, log, violations }
}

// ------------------------------------------------------------------------------------------
// The test.
// ------------------------------------------------------------------------------------------

struct Found {
	seed: u64,
	step: usize,
	violation: Violation,
	log: Vec<String>,
	shrunk: Vec<String>,
	count: u64,
}

fn print_report(
	stats: &Stats,
	found: &[Found],
	cfg: &FuzzConfig,
	elapsed: f64,
	t: Timing,
	try_state_time: &BTreeMap<String, f64>,
) {
	println!();
	println!("==================== palisade fuzz report ====================");
	println!(
		"sequences {}  steps {}  blocks {}  time {:.1} s  (first seed {}, max steps {}, {} \
		 threads{}; times below are summed over threads)",
		stats.sequences,
		stats.steps,
		stats.blocks,
		elapsed,
		cfg.seed,
		cfg.max_steps,
		cfg.threads,
		if cfg.boost_file.is_some() {
			format!(" + {} once boosted", cfg.boost_threads)
		} else {
			String::new()
		}
	);
	if !cfg.skip.is_empty() {
		println!("invariants skipped: {:?}", cfg.skip);
	}
	println!(
		"time in: hooks {:.1} s, try_state {:.1} s, step checks {:.1} s, dispatch {:.1} s, \
		 storage roots {:.1} s, generation {:.1} s",
		t.hooks, t.try_state, t.checks, t.dispatch, t.root, t.generate
	);
	let mut slow: Vec<_> = try_state_time.iter().filter(|(_, t)| **t >= 0.05).collect();
	slow.sort_by(|a, b| b.1.total_cmp(a.1));
	println!("try_state time per pallet (s): {slow:.1?}");
	println!("calls per pallet (ok / failed):");
	for (pallet, (ok, err)) in &stats.calls {
		println!("  {pallet:<16} {ok:>8} / {err:>8}");
	}
	println!("calls per function (ok / failed):");
	for ((pallet, function), (ok, err)) in &stats.functions {
		println!("  {:<46} {ok:>8} / {err:>8}", format!("{pallet}::{function}"));
	}
	let mut errors: Vec<_> = stats.errors.iter().collect();
	errors.sort_by(|a, b| b.1.cmp(a.1));
	println!("most frequent errors:");
	for (error, count) in errors.iter().take(40) {
		println!("  {error:<60} {count:>8}");
	}
	println!("events of interest:");
	for (event, count) in &stats.events {
		if [
			"ServiceSlashing::",
			"RestakingPools::PoolSlashed",
			"Operators::",
			"Staking::EraPaid",
			"Staking::Rewarded",
			"Balances::Burned",
			"Balances::Issued",
			"Balances::Minted",
			"Consumers::",
			"RestakingPools::WithdrawalClaimed",
			"RestakingPools::WithdrawalQueue",
			"RestakingPools::PendingStakeBonded",
			"RestakingPools::NposSlashed",
			"RestakingPools::WithdrawalUnbonding",
		]
		.iter()
		.any(|p| event.starts_with(p))
		{
			println!("  {event:<60} {count:>8}");
		}
	}
	println!("invariant violations: {}", found.iter().map(|f| f.count).sum::<u64>());
	for f in found {
		println!();
		println!(
			"VIOLATION [{}] x{} — first at seed {} step {}: {}",
			f.violation.kind, f.count, f.seed, f.step, f.violation.detail
		);
		println!("  replay: PALISADE_FUZZ_SEED={} PALISADE_FUZZ_SEQUENCES=1", f.seed);
		println!("  sequence ({} steps):", f.log.len());
		for (i, line) in f.log.iter().enumerate() {
			println!("    {i:>3}  {line}");
		}
		println!("  shrunk ({} steps):", f.shrunk.len());
		for (i, line) in f.shrunk.iter().enumerate() {
			println!("    {i:>3}  {line}");
		}
	}
	println!("===============================================================");
}

/// What one worker thread did.
struct WorkerResult {
	stats: Stats,
	found: Vec<Found>,
	timing: Timing,
	try_state_time: BTreeMap<String, f64>,
}

/// The run's shared counters: the next sequence to take, how many are done, and whether the
/// first threads have all ended (then no more join: a worker that panicked took a sequence it
/// never finished, and the booster must not wait for the rest forever).
#[derive(Default)]
struct Progress {
	next: AtomicU64,
	done: AtomicU64,
	stop: AtomicBool,
}

/// Runs the next sequence not yet taken by any thread (from `progress`), on a world of its
/// own, until none is left.
fn worker(cfg: &FuzzConfig, thread: u64, started: Instant, progress: &Progress) -> WorkerResult {
	let world = World::new();
	let t0 = Instant::now();
	let mut ext = build_world(&world);
	if thread == 0 {
		println!("fuzz world built in {:.1} s", t0.elapsed().as_secs_f64());
	}
	let mut stats = Stats::default();
	let mut found: Vec<Found> = Vec::new();
	let progress_every = (cfg.sequences / 10).max(1);
	loop {
		let i = progress.next.fetch_add(1, Ordering::Relaxed);
		if i >= cfg.sequences {
			break;
		}
		let seed = cfg.seed.wrapping_add(i);
		let outcome =
			ext.execute_with(|| run_sequence(&world, cfg, Source::Seed(seed), &mut stats, None));
		ext.reset_overlay();
		stats.sequences += 1;
		if cfg.verbose {
			println!("sequence seed {seed}: {} steps", outcome.actions.len());
			for line in &outcome.log {
				println!("    {line}");
			}
		}
		for (step, violation) in &outcome.violations {
			if let Some(known) = found.iter_mut().find(|f| f.violation.kind == violation.kind) {
				known.count += 1;
				continue;
			}
			println!("seed {seed}: VIOLATION [{}] {}", violation.kind, violation.detail);
			let shrunk = if cfg.shrink {
				shrink(
					&mut ext,
					&world,
					cfg,
					&outcome.actions[..=*step.min(&(outcome.actions.len().saturating_sub(1)))],
					&violation.kind,
				)
			} else {
				Vec::new()
			};
			found.push(Found {
				seed,
				step: *step,
				violation: violation.clone(),
				log: outcome.log.clone(),
				shrunk,
				count: 1,
			});
		}
		let done = progress.done.fetch_add(1, Ordering::Relaxed).saturating_add(1);
		if done % progress_every == 0 {
			println!(
				"fuzz: {} / {} sequences, {:.1} s",
				done,
				cfg.sequences,
				started.elapsed().as_secs_f64()
			);
		}
	}
	WorkerResult {
		stats,
		found,
		timing: TIMING.with(|t| *t.borrow()),
		try_state_time: TRY_STATE_TIME.with(|m| m.borrow().clone()),
	}
}

/// Drops steps of `actions` one by one while a violation of the same `kind` still shows;
/// returns the log of the shrunk sequence.
fn shrink(
	ext: &mut sp_io::TestExternalities,
	world: &World,
	cfg: &FuzzConfig,
	actions: &[Action],
	kind: &str,
) -> Vec<String> {
	let mut actions: Vec<Action> = actions.to_vec();
	let mut replays = 0;
	let mut index = 0;
	let replay = |ext: &mut sp_io::TestExternalities, candidate: &[Action]| {
		let mut stats = Stats::default();
		let outcome = ext.execute_with(|| {
			run_sequence(world, cfg, Source::Actions(candidate), &mut stats, Some(kind))
		});
		ext.reset_overlay();
		outcome
	};
	while index < actions.len() && replays < SHRINK_BUDGET {
		let mut candidate = actions.clone();
		candidate.remove(index);
		replays += 1;
		let outcome = replay(ext, &candidate);
		match outcome.violations.iter().find(|(_, v)| v.kind == kind) {
			Some((at, _)) => {
				candidate.truncate(at + 1);
				actions = candidate;
			}
			None => index += 1,
		}
	}
	replay(ext, &actions).log
}

/// The short run (`PALISADE_FUZZ_SEQUENCES`, default 1,000); `scripts/fuzz.sh` runs the long
/// one in release mode.
#[test]
fn fuzz_short() {
	let cfg = FuzzConfig::from_env();
	install_panic_hook();
	let started = Instant::now();
	let progress = Progress::default();
	let (cfg_ref, progress_ref) = (&cfg, &progress);
	let results: Vec<WorkerResult> = std::thread::scope(|scope| {
		let spawn = move |thread: u64| {
			let (cfg, progress) = (cfg_ref, progress_ref);
			std::thread::Builder::new()
				.name(format!("fuzz-{thread}"))
				.stack_size(64 * 1024 * 1024)
				.spawn_scoped(scope, move || worker(cfg, thread, started, progress))
				.expect("spawn a fuzz worker")
		};
		let handles: Vec<_> = (0..cfg.threads).map(spawn).collect();
		// More threads once the boost file exists (while sequences are left to take).
		let boosted = cfg.boost_file.as_ref().map(|file| {
			let (cfg, progress) = (cfg_ref, progress_ref);
			std::thread::Builder::new()
				.name("fuzz-boost".into())
				.spawn_scoped(scope, move || {
					while !progress.stop.load(Ordering::Relaxed)
						&& progress.next.load(Ordering::Relaxed) < cfg.sequences
					{
						if std::path::Path::new(file).exists() {
							println!(
								"fuzz: {} more thread(s) at {:.1} s",
								cfg.boost_threads,
								started.elapsed().as_secs_f64()
							);
							let extra: Vec<_> = (0..cfg.boost_threads)
								.map(|i| spawn(cfg.threads.saturating_add(i)))
								.collect();
							return extra
								.into_iter()
								.map(|h| h.join().expect("a fuzz worker panicked"))
								.collect::<Vec<WorkerResult>>();
						}
						std::thread::sleep(std::time::Duration::from_millis(500));
					}
					Vec::new()
				})
				.expect("spawn the fuzz booster")
		});
		let joined: Vec<_> = handles.into_iter().map(|h| h.join()).collect();
		progress.stop.store(true, Ordering::Relaxed);
		let mut results: Vec<WorkerResult> =
			joined.into_iter().map(|r| r.expect("a fuzz worker panicked")).collect();
		if let Some(boosted) = boosted {
			results.extend(boosted.join().expect("the fuzz booster panicked"));
		}
		results
	});
	let mut stats = Stats::default();
	let mut timing = Timing::default();
	let mut try_state_time: BTreeMap<String, f64> = BTreeMap::new();
	let mut found: Vec<Found> = Vec::new();
	for result in results {
		stats.merge(result.stats);
		timing.add(result.timing);
		for (k, t) in result.try_state_time {
			*try_state_time.entry(k).or_default() += t;
		}
		for f in result.found {
			match found.iter_mut().find(|known| known.violation.kind == f.violation.kind) {
				Some(known) => {
					known.count += f.count;
					if f.seed < known.seed {
						let count = known.count;
						*known = Found { count, ..f };
					}
				}
				None => found.push(f),
			}
		}
	}
	found.sort_by_key(|f| f.seed);
	print_report(&stats, &found, &cfg, started.elapsed().as_secs_f64(), timing, &try_state_time);
	assert!(
		found.is_empty(),
		"{} kind(s) of invariant violation found (see the report above)",
		found.len()
	);
}
