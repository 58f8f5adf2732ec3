//! A consumer's transition step in pages ([`crate::step`]): it stops and resumes inside a
//! consumer, ends exactly as a step run in one block, and nothing that lands between two of
//! its pages (opt-ins and opt-outs, bond and allocation changes, a deregistration, a reap, a
//! report, a claim, a parameter update) corrupts it, pays twice or frames anyone.

use crate::{
	mock::*, weights::WeightInfo, Changes, ConsumerStatus, ConsumerStep, CurrentEpoch, Error,
	Event, ExpandedEpoch, ExposureCheckpoints, ExposureIndex, KeyOwners, Members, PoolShares,
	StepPhase, Transition,
};
use frame_support::{assert_noop, assert_ok, traits::Hooks, weights::Weight};
use palisade_primitives::{ConsumerId, ConsumersInterface, EpochIndex};

/// The consumer the tests page through.
pub(super) const PAGED: ConsumerId = 0;

/// An epoch long enough for a transition paged one page per block to end well inside it.
const LONG_EPOCH: u64 = 100;

/// A budget that fits any block.
pub(super) fn unmetered() {
	TransitionBudget::set(Weight::from_parts(1 << 50, 1 << 40));
}

/// What the change notes of the open transition's epoch can cost to drain, if they are not
/// drained yet.
pub(super) fn expansion() -> Weight {
	let Some(transition) = Transition::<Test>::get() else { return Weight::zero() };
	if ExpandedEpoch::<Test>::get() >= transition.epoch {
		return Weight::zero();
	}
	let notes = Changes::<Test>::iter_prefix(transition.epoch).count() as u64;
	<() as WeightInfo>::expand_change(MAX_CONSUMERS).saturating_mul(notes)
		+ <() as WeightInfo>::expand_change(0)
}

/// The bound of the next page of the open transition (the kept step's, or the start of the
/// next consumer's), if any.
pub(super) fn next_page_bound() -> Option<Weight> {
	let transition = Transition::<Test>::get()?;
	let step = Consumers::load_step();
	let consumer_id = match &step {
		Some(step) => step.cursor.consumer_id,
		None => crate::ConsumerIds::<Test>::get()
			.into_iter()
			.find(|id| transition.last.is_none_or(|last| *id > last))?,
	};
	Some(Consumers::page_bound(consumer_id, transition.epoch, step.as_ref()))
}

/// Run the next block with room for the next page of the transition and no more (and for the
/// change notes, if they are not drained yet); returns whether a transition was open. The
/// invariants are checked after it.
pub(super) fn one_page_block() -> bool {
	let Some(bound) = next_page_bound() else { return false };
	let budget = <() as WeightInfo>::on_initialize_idle() + expansion() + bound;
	TransitionBudget::set(budget);
	let next = System::block_number() + 1;
	System::set_block_number(next);
	let weight = Consumers::on_initialize(next);
	assert!(weight.all_lte(budget), "block {next} used {weight:?} of {budget:?}");
	Consumers::do_try_state().expect("invariants hold between two pages");
	true
}

/// Start the next epoch in a block with room for the epoch start (and its change notes) but
/// for no page of any consumer.
pub(super) fn start_epoch_without_pages() {
	let start = Consumers::next_epoch_start();
	unmetered();
	run_to_block(start - 1);
	TransitionBudget::set(
		<() as WeightInfo>::on_initialize_idle() + <() as WeightInfo>::start_epoch(),
	);
	run_to_block(start);
	assert!(Transition::<Test>::get().is_some());
	assert!(ConsumerStep::<Test>::get().is_none());
}

/// The phase of the kept step of [`PAGED`], if a block stopped inside it.
pub(super) fn paged_phase() -> Option<StepPhase> {
	ConsumerStep::<Test>::get()
		.filter(|cursor| cursor.consumer_id == PAGED)
		.map(|cursor| cursor.phase)
}

/// Run one page per block until `stop` holds for the kept step of [`PAGED`]; panics if the
/// transition ends first. Returns the number of blocks run.
pub(super) fn pages_until(stop: impl Fn(StepPhase) -> bool) -> u32 {
	let mut blocks = 0;
	loop {
		if paged_phase().is_some_and(&stop) {
			return blocks;
		}
		assert!(one_page_block(), "the transition ended before the step got there");
		blocks += 1;
	}
}

/// Finish the open transition in one block, then run two more (the pruning catches up).
pub(super) fn finish_transition() {
	unmetered();
	run_to_block(System::block_number() + 1);
	assert!(Transition::<Test>::get().is_none());
	run_to_block(System::block_number() + 2);
}

/// Every key and value of this pallet's storage, in key order.
fn pallet_storage() -> Vec<(Vec<u8>, Vec<u8>)> {
	let prefix = sp_io::hashing::twox_128(b"Consumers").to_vec();
	let mut entries = Vec::new();
	let mut key = prefix.clone();
	while let Some(next) = sp_io::storage::next_key(&key) {
		if !next.starts_with(&prefix) {
			break;
		}
		let value = sp_io::storage::get(&next).expect("a key has a value").to_vec();
		entries.push((next.clone(), value));
		key = next;
	}
	entries
}

/// The balances of every account the tests touch: the endowed ones, the escrow accounts, the
/// rewards account and the pools' accounts.
fn balances() -> Vec<Balance> {
	let mut accounts: Vec<AccountId> = (1..=40).collect();
	accounts.extend((0..4).map(Consumers::escrow_account));
	accounts.push(Consumers::rewards_account());
	accounts.extend((1..=5).map(pool_account));
	accounts.into_iter().map(free).collect()
}

/// What two runs are compared on: the pallet's storage, the balances, and this pallet's
/// events since the scenario was set up.
#[derive(PartialEq, Debug)]
struct Outcome {
	storage: Vec<(Vec<u8>, Vec<u8>)>,
	balances: Vec<Balance>,
	events: Vec<Event<Test>>,
}

fn outcome() -> Outcome {
	Outcome { storage: pallet_storage(), balances: balances(), events: consumer_events() }
}

/// The published set of [`PAGED`] as (operator, power).
fn powers() -> Vec<(AccountId, Balance)> {
	members(PAGED).into_iter().map(|(who, _, power)| (who, power)).collect()
}

/// The exposure of `who` in [`PAGED`]'s set at `epoch`, as the slashing pallet reads it.
fn exposure(epoch: EpochIndex, who: AccountId) -> Option<Balance> {
	<Consumers as ConsumersInterface<_, _>>::exposure(epoch, PAGED, &who).map(|e| e.total)
}

/// The large scenario: consumer 0 (admin 1) with six operators opted in, some backed by
/// pools, active from epoch 1 with four members; then changes for epoch 2 (a bond rises,
/// one falls, one operator leaves and another joins, an allocation moves, `max_operators`
/// drops to 3). Consumer 1 (admin 2) shares operator 11. Events are cleared.
fn large_scenario() {
	let id = register_with(1, params(2, 4, 100, 40, 1_200));
	assert_eq!(id, PAGED);
	add_operator(PAGED, 11, 500, 0);
	add_operator(PAGED, 12, 450, 5);
	add_operator(PAGED, 13, 400, 10);
	add_operator(PAGED, 14, 350, 0);
	add_operator(PAGED, 15, 300, 20);
	add_operator(PAGED, 16, 50, 0);
	back(11, PAGED, 1, 200);
	back(11, PAGED, 2, 100);
	back(13, PAGED, 2, 300);
	back(14, PAGED, 1, 50);
	back(16, PAGED, 3, 120);
	fund(PAGED, 20_000);
	let other = register_with(2, params(1, 2, 0, 100, 700));
	opt_in_with_key(other, 11, [111; 32]);
	back(11, other, 1, 40);
	fund(other, 5_000);
	next_epoch();
	assert_eq!(status(PAGED), ConsumerStatus::Active);
	assert_eq!(members(PAGED).len(), 4);

	// Changes for epoch 2.
	set_bond(12, 900);
	set_bond(11, 200);
	opt_out(PAGED, 14);
	add_operator(PAGED, 17, 420, 3);
	back(17, PAGED, 3, 80);
	back(13, PAGED, 2, 0);
	back(15, PAGED, 2, 260);
	assert_ok!(Consumers::update_params(
		RuntimeOrigin::signed(1),
		PAGED,
		params(2, 3, 100, 40, 1_200)
	));
	consumer_events();
}

#[test]
fn a_consumer_paged_over_many_blocks_ends_byte_identical_to_one_block() {
	// One run: the transition into epoch 2 with room for one page per block.
	let (paged, kept, last_block) = {
		let mut ext = ExtBuilder::default().with_epoch_length(LONG_EPOCH).build();
		ext.execute_with(|| {
			large_scenario();
			start_epoch_without_pages();
			// The step of consumer 0 stops at the end of each page and goes on in the next
			// block; before its last page nothing of its epoch 2 shows.
			let mut kept = Vec::new();
			while one_page_block() {
				if let Some(phase) = paged_phase() {
					kept.push(phase);
					assert_eq!(members(PAGED).len(), 4, "the set of epoch 1 until the end");
					assert_eq!(exposure(2, 12), None, "epoch 2 not answered until the end");
				}
			}
			finish_transition();
			Consumers::do_try_state().expect("invariants hold");
			(outcome(), kept, System::block_number())
		})
	};
	// Listed 6 operators: 3 score pages; 3 members: 2 sync pages; 4 previous members: 2
	// retire pages; the publication. The step was kept in storage after 7 of its 8 pages.
	assert_eq!(
		kept,
		vec![
			StepPhase::Score { next: 0 },
			StepPhase::Score { next: 2 },
			StepPhase::Score { next: 4 },
			StepPhase::Sync { next: 0 },
			StepPhase::Sync { next: 2 },
			StepPhase::Retire { next: 0 },
			StepPhase::Retire { next: 2 },
			StepPhase::Publish,
		]
	);

	// The other: the same transition in one block.
	let whole = {
		let mut ext = ExtBuilder::default().with_epoch_length(LONG_EPOCH).build();
		ext.execute_with(|| {
			large_scenario();
			unmetered();
			next_epoch();
			run_to_block(last_block);
			Consumers::do_try_state().expect("invariants hold");
			outcome()
		})
	};

	// The same storage (sets, set ids and hashes, member and pool records, exposures, key
	// index, reward index, escrows), the same balances, the same events in the same order.
	assert_eq!(paged.events, whole.events);
	assert_eq!(paged.balances, whole.balances);
	assert_eq!(paged.storage.len(), whole.storage.len());
	assert_eq!(paged.storage, whole.storage);
	// And it is the set the parameters ask for: the three best by stake (12: 900, 15: 300 +
	// 260, 11: 200 + 200 + 100, ahead of 17's 420 + 80 by account), 12 capped at 40% of
	// 1_960.
	assert!(paged.events.iter().any(|event| matches!(
		event,
		Event::ValidatorSetUpdated { consumer_id: PAGED, epoch: 2, set_id: 1, members: 3, .. }
	)));
	let mut ext = ExtBuilder::default().build();
	ext.execute_with(|| {
		large_scenario();
		next_epoch();
		assert_eq!(powers(), vec![(12, 784), (15, 560), (11, 500)]);
	});
}

/// Consumer 0 (admin 1) with operators 11, 12, 13, 14 (bonds 400, 300, 200, 100, listed in
/// that order: pages {11, 12} and {13, 14}), paying 1_000, active from epoch 1. Events are
/// cleared.
fn four_operators() {
	register_with(1, params(1, 4, 0, 100, 1_000));
	add_operator(PAGED, 11, 400, 0);
	add_operator(PAGED, 12, 300, 0);
	add_operator(PAGED, 13, 200, 0);
	add_operator(PAGED, 14, 100, 0);
	fund(PAGED, 10_000);
	next_epoch();
	assert_eq!(powers(), vec![(11, 400), (12, 300), (13, 200), (14, 100)]);
	consumer_events();
}

/// Open the transition into epoch 2 of [`four_operators`] (noting `PAGED` changed, so it
/// selects) and run its start and first score page: 11 and 12 are scored, 13 and 14 not yet.
fn first_page_scored() {
	note(palisade_primitives::ChangeSubject::Consumer(PAGED));
	start_epoch_without_pages();
	pages_until(|phase| phase == StepPhase::Score { next: 2 });
}

#[test]
fn an_operator_opting_in_between_pages_joins_from_the_next_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		four_operators();
		note(palisade_primitives::ChangeSubject::Consumer(PAGED));
		start_epoch_without_pages();
		pages_until(|phase| matches!(phase, StepPhase::Score { .. }));

		// When operator 15, the largest by far, opts in after the step listed the operators.
		add_operator(PAGED, 15, 5_000, 0);
		finish_transition();

		// Then it is not in the set of epoch 2 (it was not listed), nor exposed for it; the
		// change was noted for epoch 3, whose set it tops.
		assert_eq!(powers(), vec![(11, 400), (12, 300), (13, 200), (14, 100)]);
		assert_eq!(exposure(2, 15), None);
		next_epoch();
		assert_eq!(powers()[0], (15, 5_000));
	});
}

#[test]
fn an_operator_opting_out_between_pages_stays_exposed_for_the_epoch_it_was_listed_for() {
	ExtBuilder::default().build_and_execute(|| {
		four_operators();
		first_page_scored();

		// When operator 14 opts out after being listed, before its page.
		opt_out(PAGED, 14);
		finish_transition();

		// Then it is in the set of epoch 2 (listed eligible, as for a consumer processed
		// before the opt-out) and exposed for it with what its page read; gone at epoch 3,
		// still slashable for epoch 2 then.
		assert_eq!(powers(), vec![(11, 400), (12, 300), (13, 200), (14, 100)]);
		assert_eq!(exposure(2, 14), Some(100));
		next_epoch();
		assert_eq!(powers(), vec![(11, 400), (12, 300), (13, 200)]);
		assert_eq!((exposure(2, 14), exposure(3, 14)), (Some(100), None));
	});
}

#[test]
fn a_key_rotation_between_pages_takes_effect_from_the_next_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		four_operators();
		first_page_scored();

		// When operator 13 (listed, not scored yet) rotates its key between two pages.
		let rotated = [99u8; 32];
		set_key(PAGED, 13, rotated);
		finish_transition();

		// Then epoch 2 runs with the key the step listed: evidence signed with it names 13 for
		// epoch 2, the new key names nobody for it (nobody is framed with a key not in the
		// set); from epoch 3 the new key is 13's, and the old one still answers epoch 2.
		let owner = |epoch, key| {
			<Consumers as ConsumersInterface<_, _>>::operator_of_key_at(epoch, PAGED, &key)
		};
		assert_eq!(members(PAGED)[2], (13, key_of(13), 200));
		assert_eq!((owner(2, key_of(13)), owner(2, rotated)), (Some(13), None));
		next_epoch();
		assert_eq!(members(PAGED)[2], (13, rotated, 200));
		assert_eq!((owner(3, rotated), owner(2, key_of(13))), (Some(13), Some(13)));
	});
}

#[test]
fn a_bond_change_between_pages_counts_for_the_operators_not_scored_yet() {
	ExtBuilder::default().build_and_execute(|| {
		four_operators();
		first_page_scored();

		// When operators 11 (scored) and 13 (not yet) both bond up to 1_000.
		set_bond(11, 1_000);
		set_bond(13, 1_000);
		finish_transition();

		// Then epoch 2 has 11 as its page read it and 13 as it is now; each exposure is what
		// its set says (nobody is exposed for stake it did not have when read).
		assert_eq!(powers(), vec![(13, 1_000), (11, 400), (12, 300), (14, 100)]);
		assert_eq!((exposure(2, 11), exposure(2, 13)), (Some(400), Some(1_000)));
		// The change was noted for epoch 3: both count then.
		next_epoch();
		assert_eq!(powers(), vec![(11, 1_000), (13, 1_000), (12, 300), (14, 100)]);
	});
}

#[test]
fn an_allocation_change_between_pages_counts_for_the_operators_not_scored_yet() {
	ExtBuilder::default().build_and_execute(|| {
		four_operators();
		first_page_scored();

		// When pool 5 starts backing 12 (scored) and 14 (not yet) with 500 each.
		back(12, PAGED, 5, 500);
		back(14, PAGED, 5, 500);
		finish_transition();

		// Then only 14's backing counts for epoch 2, and pool 5 is exposed (and earns) only
		// through 14; both count from epoch 3.
		assert_eq!(powers(), vec![(14, 600), (11, 400), (12, 300), (13, 200)]);
		assert_eq!((exposure(2, 12), exposure(2, 14)), (Some(300), Some(600)));
		assert!(PoolShares::<Test>::get(5, PAGED).is_some());
		assert!(Members::<Test>::get(12, PAGED).is_some_and(|member| member.pools.is_empty()));
		next_epoch();
		assert_eq!(powers(), vec![(12, 800), (14, 600), (11, 400), (13, 200)]);
	});
}

/// Where [`deregistration_run`] deregisters consumer 0 in the transition into epoch 2.
#[derive(Clone, Copy, Debug)]
enum Interrupt {
	/// Before its step starts (the reference: as today's consumer not processed yet).
	BeforeTheStep,
	/// After its first score page.
	Scoring,
	/// After its first sync page (two of its three members' records written).
	Syncing,
	/// After its first retire page.
	Retiring,
	/// Right before its publication.
	Publishing,
}

/// The large scenario, with consumer 0 deregistered by its admin at `interrupt` in the
/// transition into epoch 2, which then finishes. Returns the outcome two blocks later, at a
/// fixed block.
fn deregistration_run(interrupt: Interrupt) -> Outcome {
	let mut ext = ExtBuilder::default().with_epoch_length(LONG_EPOCH).build();
	ext.execute_with(|| {
		large_scenario();
		start_epoch_without_pages();
		let at = |phase: StepPhase| match interrupt {
			Interrupt::BeforeTheStep => true,
			Interrupt::Scoring => phase == StepPhase::Score { next: 2 },
			Interrupt::Syncing => phase == StepPhase::Sync { next: 2 },
			Interrupt::Retiring => phase == StepPhase::Retire { next: 2 },
			Interrupt::Publishing => phase == StepPhase::Publish,
		};
		if !matches!(interrupt, Interrupt::BeforeTheStep) {
			pages_until(at);
		}
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), PAGED));
		// A reap cannot reach into the step meanwhile (nor could it: the consumer had a set).
		assert!(Consumers::reap_consumer(RuntimeOrigin::signed(3), PAGED).is_err());
		while one_page_block() {}
		unmetered();
		run_to_block(2 * LONG_EPOCH + LONG_EPOCH / 2);
		assert_eq!(CurrentEpoch::<Test>::get(), 2);
		Consumers::do_try_state().expect("invariants hold");
		// No set for epoch 2: stopped, its members retired, nothing paid for the epoch.
		assert!(members(PAGED).is_empty());
		assert!(Members::<Test>::iter().all(|(_, consumer, _)| consumer != PAGED));
		assert_eq!(record(PAGED).escrow, 20_000 - 1_200);
		let events = consumer_events();
		assert!(events
			.iter()
			.any(|event| matches!(event, Event::ConsumerStopped { consumer_id: PAGED, epoch: 2 })));
		assert!(!events.iter().any(|event| matches!(
			event,
			Event::ValidatorSetUpdated { consumer_id: PAGED, .. }
				| Event::LeasePaid { consumer_id: PAGED, .. }
		)));
		// The slashing window of epoch 1 is intact: every member of its set still answered.
		for who in [11, 12, 13, 14] {
			assert!(exposure(1, who).is_some(), "{who} exposed for epoch 1");
		}
		Outcome { storage: pallet_storage(), balances: balances(), events: vec![] }
	})
}

#[test]
fn deregistering_between_pages_ends_the_epoch_as_if_the_step_had_not_started() {
	// The reference: deregistered before the transition reached the consumer.
	let reference = deregistration_run(Interrupt::BeforeTheStep);
	// Deregistered between any two pages of its step (records written or not), the consumer
	// ends the epoch byte for byte the same: the pages written are undone by the retirements
	// at the same reward index and epoch, nothing is paid, nobody stays exposed.
	for interrupt in
		[Interrupt::Scoring, Interrupt::Syncing, Interrupt::Retiring, Interrupt::Publishing]
	{
		assert_eq!(deregistration_run(interrupt), reference, "deregistered while {interrupt:?}");
	}
}

#[test]
fn a_first_activation_deregistered_between_pages_cannot_be_reaped_until_its_step_ends() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a registered consumer activating at epoch 1 with four operators, one of them
		// backed by pool 2, whose step has written some of its members' records.
		register_with(1, params(1, 4, 0, 100, 1_000));
		for (who, bond) in [(11, 400), (12, 300), (13, 200), (14, 100)] {
			add_operator(PAGED, who, bond, 0);
		}
		back(11, PAGED, 2, 50);
		fund(PAGED, 10_000);
		start_epoch_without_pages();
		pages_until(|phase| phase == StepPhase::Sync { next: 2 });
		assert!(Members::<Test>::contains_key(11, PAGED));
		assert!(ExposureIndex::<Test>::contains_key(PAGED, 11));

		// When the admin deregisters it (it never had a set: reapable at once) and anyone
		// tries to reap it between two pages.
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), PAGED));
		assert_noop!(
			Consumers::reap_consumer(RuntimeOrigin::signed(3), PAGED),
			Error::<Test>::InTransition
		);

		// Then the step ends without a set, undoing what it wrote; the consumer never had a
		// set, and is reaped from the next block on, leaving nothing behind.
		while one_page_block() {}
		assert_eq!(status(PAGED), ConsumerStatus::Deregistered { last_active_epoch: 1 });
		assert_eq!(record(PAGED).last_set, None);
		assert!(Members::<Test>::iter().next().is_none());
		assert!(PoolShares::<Test>::iter().next().is_none());
		assert!(ExposureIndex::<Test>::iter().next().is_none());
		assert!(ExposureCheckpoints::<Test>::iter().next().is_none());
		assert!(KeyOwners::<Test>::iter().next().is_none());
		while crate::ConsumerRecords::<Test>::contains_key(PAGED) {
			assert_ok!(Consumers::reap_consumer(RuntimeOrigin::signed(3), PAGED));
		}
		assert!(crate::PairPruning::<Test>::iter().next().is_none());
	});
}

#[test]
fn a_returning_operator_written_then_undone_between_pages_is_still_pruned() {
	ExtBuilder::default().build_and_execute(|| {
		// Given operator 12, out of consumer 0's set since epoch 2 (its history due for
		// pruning at epoch 2 + RETENTION), eligible again from that very epoch.
		register_with(1, params(1, 4, 0, 100, 0));
		add_operator(PAGED, 11, 500, 0);
		add_operator(PAGED, 12, 400, 0);
		next_epoch();
		set_eligible(PAGED, 12, false);
		next_epoch();
		run_to_epoch(2 + RETENTION - 1);
		set_eligible(PAGED, 12, true);
		let due = 2 + RETENTION;
		assert!(crate::PairPruning::<Test>::contains_key((due, PAGED, 12)));

		// When the step of that epoch writes 12 back (a checkpoint at `due`), the pruning runs
		// between two pages (it finds the pair back and drops its schedule), and the consumer
		// is then deregistered: the step undoes 12's return.
		start_epoch_without_pages();
		pages_until(|phase| matches!(phase, StepPhase::Retire { .. } | StepPhase::Publish));
		assert!(ExposureIndex::<Test>::get(PAGED, 12).last().is_some_and(|c| c.key.is_some()));
		let mut meter = frame_support::weights::WeightMeter::new();
		Consumers::prune(&mut meter, &mut Weight::zero());
		assert!(!crate::PairPruning::<Test>::contains_key((due, PAGED, 12)));
		assert_ok!(Consumers::deregister_consumer(RuntimeOrigin::signed(1), PAGED));
		while one_page_block() {}

		// Then 12's history ends as it was (it left at epoch 2), scheduled again for pruning
		// (not before the pruning's position), and is pruned: nothing stays behind.
		assert_eq!(
			ExposureIndex::<Test>::get(PAGED, 12).last().map(|c| (c.from, c.key)),
			Some((2, None))
		);
		assert!(crate::PairPruning::<Test>::contains_key((due + 1, PAGED, 12)));
		unmetered();
		next_epoch();
		assert!(ExposureIndex::<Test>::get(PAGED, 12).is_empty());
		assert!(!KeyOwners::<Test>::contains_key(PAGED, key_of(12)));
	});
}

#[test]
fn a_report_between_pages_reads_the_exposure_of_the_offence_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		// Given the large scenario, its step for epoch 2 past its sync pages: operator 12's
		// new exposure (900) is written at epoch 2, its old one (450) is that of epoch 1.
		large_scenario();
		let set_of_epoch_1 = crate::ValidatorSets::<Test>::get(PAGED).unwrap().set_id;
		start_epoch_without_pages();
		pages_until(|phase| phase == StepPhase::Retire { next: 0 });
		assert!(ExposureCheckpoints::<Test>::contains_key((PAGED, 12, 2)));

		// When a reporter brings evidence: an offence of epoch 1 (signed in the set running
		// now) is judged against epoch 1's exposure, exactly; epoch 2 is not answered at all
		// (nobody can be pinned on a set not published yet); the key and set id map as
		// before the step.
		let interface = |epoch, who| exposure(epoch, who);
		assert_eq!(interface(1, 12), Some(450));
		assert_eq!(interface(2, 12), None);
		assert_eq!(interface(2, 17), None);
		assert_eq!(
			<Consumers as ConsumersInterface<_, _>>::operator_of_key_at(1, PAGED, &key_of(12)),
			Some(12)
		);
		assert_eq!(
			<Consumers as ConsumersInterface<_, _>>::operator_of_key_at(2, PAGED, &key_of(17)),
			None
		);
		assert_eq!(
			<Consumers as ConsumersInterface<_, _>>::epoch_of_set(PAGED, set_of_epoch_1),
			Some(1)
		);
		assert_eq!(
			<Consumers as ConsumersInterface<_, _>>::epoch_of_set(PAGED, set_of_epoch_1 + 1),
			None
		);

		// Then once the step ends, epoch 2 is answered with what was published, and epoch 1
		// is unchanged.
		finish_transition();
		assert_eq!((exposure(1, 12), exposure(2, 12)), (Some(450), Some(900)));
		assert_eq!((exposure(2, 15), exposure(2, 17)), (Some(560), None));
		assert_eq!(
			<Consumers as ConsumersInterface<_, _>>::epoch_of_set(PAGED, set_of_epoch_1 + 1),
			Some(2)
		);
	});
}

/// When [`earnings`] has everyone claim.
#[derive(Clone, Copy)]
enum ClaimAt {
	/// Right before the transition into epoch 2 starts.
	BeforeTheStep,
	/// In the middle of consumer 0's step, after its sync pages and a retire page.
	BetweenPages,
}

/// What operators 11 to 17 and pools 1 to 3 received (claimed) plus what they are still owed,
/// in the large scenario, each claiming at `claim`, after the transition into epoch 2 and
/// one more epoch.
fn earnings(claim: ClaimAt) -> (Vec<Balance>, Vec<Balance>) {
	let mut ext = ExtBuilder::default().with_epoch_length(LONG_EPOCH).build();
	ext.execute_with(|| {
		large_scenario();
		let operators: Vec<AccountId> = (11..=17).collect();
		let pools = [1, 2, 3];
		let owed: Vec<Balance> =
			operators.iter().map(Consumers::pending_operator_rewards).collect();
		let pools_owed: Vec<Balance> =
			pools.iter().map(|pool| Consumers::pending_pool_rewards(*pool)).collect();
		assert!(owed.iter().filter(|owed| **owed > 0).count() >= 4);
		let claim_all = || {
			// Each claim pays exactly what was owed before the step (records rewritten and
			// retired by the step are settled at the unchanged reward index).
			for (who, owed) in operators.iter().zip(&owed) {
				assert_eq!(Consumers::pending_operator_rewards(who), *owed);
				let before = free(*who);
				let _ = claim_operator(*who);
				assert_eq!(free(*who), before + owed);
			}
			for (pool, owed) in pools.iter().zip(&pools_owed) {
				assert_eq!(Consumers::pending_pool_rewards(*pool), *owed);
				let before = free(pool_account(*pool));
				let _ = claim_pool(*pool);
				assert_eq!(free(pool_account(*pool)), before + owed);
			}
		};
		if matches!(claim, ClaimAt::BeforeTheStep) {
			claim_all();
		}
		start_epoch_without_pages();
		pages_until(|phase| phase == StepPhase::Retire { next: 2 });
		if matches!(claim, ClaimAt::BetweenPages) {
			claim_all();
		}
		finish_transition();
		next_epoch();
		Consumers::do_try_state().expect("invariants hold");
		let operators = operators
			.iter()
			.map(|who| free(*who) + Consumers::pending_operator_rewards(who))
			.collect();
		let pools = pools
			.iter()
			.map(|pool| free(pool_account(*pool)) + Consumers::pending_pool_rewards(*pool))
			.collect();
		(operators, pools)
	})
}

#[test]
fn a_claim_between_pages_pays_what_was_owed_before_the_step_and_nothing_twice() {
	// Claiming in the middle of the step pays what a claim before it pays, and changes
	// nobody's total afterwards (paid + owed, two epochs later).
	assert_eq!(earnings(ClaimAt::BetweenPages), earnings(ClaimAt::BeforeTheStep));
}

#[test]
fn a_parameter_update_between_pages_applies_from_the_next_epoch() {
	ExtBuilder::default().build_and_execute(|| {
		// Given consumer 0 with an update due at epoch 2 (at most 3 operators).
		four_operators();
		assert_ok!(Consumers::update_params(
			RuntimeOrigin::signed(1),
			PAGED,
			params(1, 3, 0, 100, 1_000)
		));
		start_epoch_without_pages();
		pages_until(|phase| phase == StepPhase::Score { next: 2 });

		// When the admin updates again (at most one operator) between two pages.
		assert_ok!(Consumers::update_params(
			RuntimeOrigin::signed(1),
			PAGED,
			params(1, 1, 0, 100, 1_000)
		));
		finish_transition();

		// Then epoch 2 runs with the parameters its step started with, recorded as in force;
		// the second update waits for epoch 3.
		assert_eq!(powers(), vec![(11, 400), (12, 300), (13, 200)]);
		assert_eq!(record(PAGED).params, params(1, 3, 0, 100, 1_000));
		assert_eq!(
			record(PAGED).pending_params.map(|p| (p.params, p.effective_epoch)),
			Some((params(1, 1, 0, 100, 1_000), 3))
		);
		next_epoch();
		assert_eq!(powers(), vec![(11, 400)]);
	});
}

#[test]
fn the_integrity_check_accepts_a_budget_that_fits_a_page_but_not_a_whole_consumer() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a budget with room for the largest page (and the epoch start, and one
		// exposure pruning), far below the whole step of the largest consumer.
		let budget = <() as WeightInfo>::on_initialize_idle()
			+ Consumers::largest_page_weight()
				.max(<() as WeightInfo>::start_epoch())
				.max(<() as WeightInfo>::prune_exposures(1));
		let whole = Consumers::worst_consumer_weight();
		assert!(!whole.all_lte(budget), "a whole consumer does not fit");
		TransitionBudget::set(budget);

		// Then the runtime passes the integrity check.
		<Consumers as Hooks<u64>>::integrity_test();

		// And a consumer as large as the bounds allow (six operators with three pools each)
		// goes through its transition under it, over several blocks, each within the budget.
		register_with(1, params(1, MAX_OPERATORS, 0, 100, 1_000));
		for who in 11..11 + MAX_OPERATORS as AccountId {
			add_operator(PAGED, who, 100 * who, 0);
			for pool in 1..=MAX_POOLS {
				back(who, PAGED, pool, 10 * u128::from(pool));
			}
		}
		fund(PAGED, 10_000);
		run_to_block(Consumers::next_epoch_start() - 1);
		let mut blocks = 0;
		loop {
			let next = System::block_number() + 1;
			System::set_block_number(next);
			let weight = Consumers::on_initialize(next);
			assert!(weight.all_lte(budget));
			Consumers::do_try_state().expect("invariants hold between blocks");
			blocks += 1;
			if CurrentEpoch::<Test>::get() == 1 && Transition::<Test>::get().is_none() {
				break;
			}
		}
		assert!(blocks > 2, "the step took {blocks} blocks");
		assert_eq!(members(PAGED).len(), MAX_OPERATORS as usize);
	});
}
