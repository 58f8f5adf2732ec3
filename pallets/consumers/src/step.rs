//! One consumer's transition step, in pages of at most [`Config::OperatorsPerTransitionPage`]
//! operators, so that the step of a consumer can stop at the end of one block and go on in the
//! next (no bound on a consumer's size comes from the size of a block).
//!
//! ## The pages
//!
//! A consumer whose inputs did not change republishes its set in one step (the fast path of
//! `changes.rs`). Any other goes through these pages ([`StepPhase`]):
//!
//! 1. **Start**: takes its dirty mark, reads its record, the parameters of the epoch (the
//!    pending ones if due) and the size of its previous set, and lists its eligible opted-in
//!    operators with their keys at the epoch ([`StepOperators`]). A deregistered consumer or an
//!    expired registration lists nothing and goes to `Clear`.
//! 2. **Score** pages: each reads the bond and the pools' backing of the next operators of the
//!    list and keeps the best `max_operators` in a ranking ([`StepCandidates`], by stake
//!    descending then operator ascending: a running top-k, the same outcome as sorting all
//!    candidates and cutting). The last one sets the powers (the cap needs the kept set's total)
//!    and decides: enough candidates and escrow → `Sync`, otherwise `Clear` with the shortfall.
//!    Score pages write nothing but the step's own scratch state.
//! 3. **Sync** pages: each brings the reward records, pool records and exposure checkpoints of
//!    the next ranked candidates in line, at the consumer's reward per power *before* the
//!    epoch's payment ([`Pallet::sync_member`]).
//! 4. **Retire** pages: each retires the next members of the previous set that are not ranked.
//! 5. **Publish**: the epoch's parameters are recorded, the consumer becomes (or stays)
//!    active, pays the epoch ([`Pallet::accrue`]) and publishes the ranked set with a fresh set
//!    id. The step is over: the transition moves to the next consumer.
//!
//! `Clear` pages retire every member of the previous set (and the candidates a `Sync` page
//! already wrote, see below); the last one removes the set and sets the status (paused, still
//! registered, or stopped), with the events of today's whole-consumer step.
//!
//! ## Nothing shows before the step ends
//!
//! Until its last page, the consumer is "not processed yet" for every reader: the transition's
//! cursor ([`Transition`]) only moves past it at the last page, so its exposures at the new
//! epoch are not answered ([`Pallet::exposure_at`]) and those of earlier epochs are exactly what
//! they were (a checkpoint written at the new epoch does not change the one in force before; one
//! dropped is outside the retention); its set, set id, set history and reward index
//! ([`RewardPerPower`]) change only at the last page. Sync and Retire pages settle every record
//! they touch at that unchanged index, so a claim between two pages pays exactly what it would
//! have paid before the step, and nothing twice.
//!
//! ## What the pages read, and what happens in between
//!
//! Each operator is read once, by the page that scores it: its key and eligibility when the
//! start lists it, its bond and backing when its score page runs, its commission when its
//! record is written. A change of the operator registry or the pools after the start of the
//! epoch's transition is noted for the *next* epoch ([`crate::changes`]), which selects the
//! consumer again: nothing that lands between two pages leaks into a half-processed step other
//! than as the value its own page reads (as it would for a consumer processed in a later block
//! today). In particular:
//! - an operator that opts in after the start is not listed: it can join from the next epoch;
//!   one that opts out or is jailed after the start was listed eligible and may be in the set of
//!   this epoch (it is still opted in and slashable for it);
//! - a bond or allocation change counts for this epoch only if its operator's page has not run
//!   yet; the exposure recorded is the one its page read;
//! - the consumer's admin may deregister it between two pages: the next page sees it and the
//!   step turns into `Clear`, retiring the previous set and the candidates already written (a
//!   retirement at the same index and epoch undoes their write exactly): the consumer ends the
//!   epoch without a set, exactly as one deregistered before the transition reached it.
//!   `reap_consumer` refuses a consumer in the middle of its step ([`Error::InTransition`]);
//! - a parameter update during the step applies from the next epoch; the parameters the step
//!   started with are recorded as those of this epoch;
//! - escrow only grows during the step (a payment is the step's own last page; a refund needs a
//!   reap), so the escrow checked at the end of scoring still covers the payment.
//!
//! Between blocks the step is kept in [`ConsumerStep`], [`StepOperators`] and
//! [`StepCandidates`]; within a block the pages run on a copy in memory, written back only if
//! the block stops inside the consumer.

use crate::*;
use alloc::vec::Vec;
use frame_support::{traits::Get, weights::Weight};
use palisade_primitives::{ConsumerId, ConsumerKey, EpochIndex, OperatorRegistry, PoolsInterface};
use sp_runtime::traits::{Saturating, Zero};

/// A consumer's step as the pages of one block work on it (see the module doc).
#[derive(Clone)]
pub(crate) struct Step<T: Config> {
	/// The consumer, the parameters of the epoch and what the next page does.
	pub cursor: StepCursor<T>,
	/// The eligible operators listed by the start, until they are all scored.
	pub operators: Vec<(T::AccountId, ConsumerKey)>,
	/// The ranking: the best candidates scored so far (the new set once scoring is complete).
	pub candidates: Vec<Candidate<T>>,
}

impl<T: Config> Pallet<T> {
	/// Most operators one page scores, writes or retires (at least 1).
	pub(crate) fn page_size() -> u32 {
		T::OperatorsPerTransitionPage::get().max(1)
	}

	/// The step a previous block stopped inside, if any.
	pub(crate) fn load_step() -> Option<Step<T>> {
		ConsumerStep::<T>::get().map(|cursor| Step {
			cursor,
			operators: StepOperators::<T>::get().into_inner(),
			candidates: StepCandidates::<T>::get().into_inner(),
		})
	}

	/// Keep `step` for the next block, or (`None`) remove the step `stored` says was kept.
	pub(crate) fn store_step(step: Option<&Step<T>>, stored: bool) {
		let Some(step) = step else {
			if stored {
				ConsumerStep::<T>::kill();
				StepOperators::<T>::kill();
				StepCandidates::<T>::kill();
			}
			return;
		};
		ConsumerStep::<T>::put(&step.cursor);
		if step.operators.is_empty() {
			StepOperators::<T>::kill();
		} else {
			if step.operators.len() > T::MaxOperatorsPerConsumer::get() as usize {
				frame_support::defensive!("step operators above their bound");
			}
			StepOperators::<T>::put(StepOperatorsOf::<T>::truncate_from(step.operators.clone()));
		}
		if step.candidates.is_empty() {
			StepCandidates::<T>::kill();
		} else {
			if step.candidates.len() > T::MaxOperatorsPerConsumer::get() as usize {
				frame_support::defensive!("step candidates above their bound");
			}
			StepCandidates::<T>::put(StepCandidatesOf::<T>::truncate_from(step.candidates.clone()));
		}
	}

	/// Run one page of `consumer_id`'s step into `epoch` with the state kept in storage, and
	/// keep what remains: what a block that runs exactly one page does. Returns the weight
	/// used.
	#[cfg(feature = "runtime-benchmarks")]
	pub(crate) fn run_stored_page(consumer_id: ConsumerId, epoch: EpochIndex) -> Weight {
		let step = Self::load_step();
		let stored = step.is_some();
		let (weight, step) = Self::run_page(consumer_id, epoch, step);
		Self::store_step(step.as_ref(), stored);
		weight
	}

	/// Process `consumer_id` for the transition into `epoch` at once, every page of its step
	/// in a row (see the module doc); returns the weight used. The metered transition runs
	/// the same pages, as many per block as fit.
	pub fn process_consumer(consumer_id: ConsumerId, epoch: EpochIndex) -> Weight {
		let mut weight = Weight::zero();
		let mut step = None;
		loop {
			let (used, next) = Self::run_page(consumer_id, epoch, step);
			weight.saturating_accrue(used);
			match next {
				Some(next) => step = Some(next),
				None => return weight,
			}
		}
	}

	/// The most the next page of `consumer_id`'s step may use: the start (`step` is `None`)
	/// or the page `step` says is next, each with the most pools per operator.
	pub(crate) fn page_bound(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
		step: Option<&Step<T>>,
	) -> Weight {
		let Some(step) = step else { return Self::start_bound(consumer_id, epoch) };
		let size = Self::page_size();
		let pools = T::Pools::max_pools_per_operator();
		let page = |total: usize, next: u32| {
			let left = (total as u32).saturating_sub(next).min(size);
			(left, left.saturating_mul(pools))
		};
		match step.cursor.phase {
			StepPhase::Score { next } => {
				let (o, p) = page(step.operators.len(), next);
				T::WeightInfo::transition_score_page(o, p)
			}
			StepPhase::Sync { next } => {
				// A member's new pools and the old ones it leaves: twice the most pools.
				let (o, p) = page(step.candidates.len(), next);
				T::WeightInfo::transition_sync_page(o, p.saturating_mul(2))
			}
			StepPhase::Retire { next } => {
				let (o, p) = page(step.cursor.previous as usize, next);
				T::WeightInfo::transition_retire_page(o, p)
			}
			StepPhase::Publish => T::WeightInfo::transition_publish(step.candidates.len() as u32),
			StepPhase::Clear { next, .. } => {
				let total = (step.cursor.previous as usize).saturating_add(step.candidates.len());
				let (o, p) = page(total, next);
				T::WeightInfo::transition_retire_page(o, p)
					.saturating_add(T::WeightInfo::process_stopped_consumer(0, 0))
			}
		}
	}

	/// The most the start of `consumer_id`'s step into `epoch` may use: the republication of
	/// its set if its inputs did not change, else the listing of the operators opted in to it
	/// (none for a consumer that gets no set whatever they are).
	fn start_bound(consumer_id: ConsumerId, epoch: EpochIndex) -> Weight {
		let reads = T::DbWeight::get().reads(4);
		let dirty = DirtyConsumers::<T>::contains_key(consumer_id);
		let Some(record) = ConsumerRecords::<T>::get(consumer_id) else {
			return reads.saturating_add(T::WeightInfo::transition_start(0));
		};
		let previous =
			ValidatorSets::<T>::get(consumer_id).map_or(0, |set| set.members.len() as u32);
		if Self::is_unchanged(&record, epoch, dirty) && previous > 0 {
			return reads.saturating_add(T::WeightInfo::process_unchanged_consumer(previous));
		}
		if record.status.is_deregistered() || Self::registration_expired(&record, epoch) {
			let weight = if previous == 0 {
				T::WeightInfo::process_stopped_consumer(0, 0)
			} else {
				T::WeightInfo::transition_start(0)
			};
			return reads.saturating_add(weight);
		}
		let operators = T::Operators::opted_in_count(consumer_id)
			.min(T::Operators::max_operators_per_consumer());
		reads.saturating_add(T::WeightInfo::transition_start(operators))
	}

	/// Run the next page of `consumer_id`'s step into `epoch`: its start if `step` is `None`,
	/// else the page `step` says is next. Returns the weight used and what remains of the
	/// step (`None` once the consumer is processed).
	pub(crate) fn run_page(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
		step: Option<Step<T>>,
	) -> (Weight, Option<Step<T>>) {
		let Some(mut step) = step else { return Self::start_step(consumer_id, epoch) };
		if step.cursor.consumer_id != consumer_id {
			frame_support::defensive!("a step page for another consumer");
		}
		let weight = match step.cursor.phase {
			StepPhase::Score { next } => Self::score_page(&mut step, epoch, next),
			StepPhase::Sync { next } => Self::sync_page(&mut step, epoch, next),
			StepPhase::Retire { next } => Self::retire_page(&mut step, epoch, next),
			StepPhase::Publish => return Self::publish_page(step, epoch),
			StepPhase::Clear { next, shortfall, .. } => {
				return Self::clear_page(step, epoch, next, shortfall)
			}
		};
		(weight, Some(step))
	}

	/// The first page: see the module doc. A consumer none of whose inputs changed is
	/// republished at once ([`Self::republish`]); one without record has nothing to do.
	fn start_step(consumer_id: ConsumerId, epoch: EpochIndex) -> (Weight, Option<Step<T>>) {
		let dirty = DirtyConsumers::<T>::take(consumer_id).is_some();
		let Some(record) = ConsumerRecords::<T>::get(consumer_id) else {
			return (T::WeightInfo::transition_start(0), None);
		};
		let set = ValidatorSets::<T>::get(consumer_id);
		if Self::is_unchanged(&record, epoch, dirty) {
			if let Some(set) = set {
				return (Self::republish(consumer_id, epoch, record, set), None);
			}
		}
		let (params, params_due) = match record.pending_params {
			Some(pending) if pending.effective_epoch <= epoch => (pending.params, true),
			_ => (record.params, false),
		};
		let mut step = Step {
			cursor: StepCursor {
				consumer_id,
				params,
				params_due,
				previous: set.map_or(0, |set| set.members.len() as u32),
				phase: StepPhase::Score { next: 0 },
			},
			operators: Vec::new(),
			candidates: Vec::new(),
		};
		// Neither may activate: an expired registration may be being reaped, and a reap in
		// progress must not meet a consumer that came back to life.
		if record.status.is_deregistered() || Self::registration_expired(&record, epoch) {
			if step.cursor.previous == 0 {
				// Nothing to retire: closed at once, as a whole stopped step.
				let (_, rest) = Self::clear_page(step, epoch, 0, None);
				return (T::WeightInfo::process_stopped_consumer(0, 0), rest);
			}
			step.cursor.phase = StepPhase::Clear { next: 0, synced: 0, shortfall: None };
			return (T::WeightInfo::transition_start(0), Some(step));
		}
		let listed = T::Operators::opted_in_operators(consumer_id, epoch);
		let count = listed.len() as u32;
		step.operators = listed
			.into_iter()
			.filter(|entry| entry.eligible)
			.map(|entry| (entry.operator, entry.key))
			.collect();
		let bound = T::MaxOperatorsPerConsumer::get() as usize;
		if step.operators.len() > bound {
			frame_support::defensive!("more operators opted in than MaxOperatorsPerConsumer");
			step.operators.truncate(bound);
		}
		(T::WeightInfo::transition_start(count), Some(step))
	}

	/// The consumer's record, unless it was deregistered (or removed) since its step started:
	/// then the step turns into `Clear` (no set for the epoch, as if the transition had not
	/// reached the consumer yet), with the first `synced` candidates to retire after the
	/// previous set, and `None` is returned.
	fn record_unless_stopped(step: &mut Step<T>, synced: u32) -> Option<ConsumerRecord<T>> {
		let record = ConsumerRecords::<T>::get(step.cursor.consumer_id)
			.filter(|record| !record.status.is_deregistered());
		if record.is_none() {
			step.operators.clear();
			step.candidates.truncate(synced as usize);
			step.cursor.phase =
				StepPhase::Clear { next: 0, synced: step.candidates.len() as u32, shortfall: None };
		}
		record
	}

	/// A Score page: score the next operators of the list from position `next` and keep the
	/// best in the ranking; the last one sets the powers and decides between `Sync` and
	/// `Clear`.
	fn score_page(step: &mut Step<T>, epoch: EpochIndex, next: u32) -> Weight {
		let Some(record) = Self::record_unless_stopped(step, 0) else {
			return T::WeightInfo::transition_score_page(0, 0);
		};
		let Step { cursor, operators, candidates } = step;
		let params = cursor.params;
		let max = Self::max_members(&params);
		let from = (next as usize).min(operators.len());
		let to = from.saturating_add(Self::page_size() as usize).min(operators.len());
		let mut backings: u32 = 0;
		for (operator, key) in operators.get(from..to).unwrap_or_default() {
			let candidate = Self::score(
				cursor.consumer_id,
				epoch,
				&params,
				operator.clone(),
				*key,
				&mut backings,
			);
			if let Some(candidate) = candidate {
				Self::rank(candidates, candidate, max);
			}
		}
		let weight = T::WeightInfo::transition_score_page(to.saturating_sub(from) as u32, backings);
		if to < operators.len() {
			cursor.phase = StepPhase::Score { next: to as u32 };
			return weight;
		}
		operators.clear();
		Self::assign_powers(candidates, params.power_cap);
		let shortfall = if (candidates.len() as u32) < params.min_operators {
			Some(PauseReason::NotEnoughOperators)
		} else if record.escrow < params.payment_per_epoch {
			Some(PauseReason::InsufficientEscrow)
		} else {
			None
		};
		cursor.phase = match shortfall {
			None => StepPhase::Sync { next: 0 },
			Some(reason) => {
				candidates.clear();
				StepPhase::Clear { next: 0, synced: 0, shortfall: Some(reason) }
			}
		};
		weight
	}

	/// A Sync page: write the records of the next ranked candidates from position `next`.
	fn sync_page(step: &mut Step<T>, epoch: EpochIndex, next: u32) -> Weight {
		if Self::record_unless_stopped(step, next).is_none() {
			return T::WeightInfo::transition_sync_page(0, 0);
		}
		let consumer_id = step.cursor.consumer_id;
		let index = RewardPerPower::<T>::get(consumer_id);
		let from = (next as usize).min(step.candidates.len());
		let to = from.saturating_add(Self::page_size() as usize).min(step.candidates.len());
		let mut pools: u32 = 0;
		for candidate in step.candidates.get(from..to).unwrap_or_default() {
			// Its pools, and those of its previous record it leaves (a member whose backing
			// moved to other pools writes both).
			let left = Self::sync_member(consumer_id, epoch, candidate, index);
			pools = pools.saturating_add(candidate.pools.len() as u32).saturating_add(left);
		}
		step.cursor.phase = if to < step.candidates.len() {
			StepPhase::Sync { next: to as u32 }
		} else if step.cursor.previous > 0 {
			StepPhase::Retire { next: 0 }
		} else {
			StepPhase::Publish
		};
		T::WeightInfo::transition_sync_page(to.saturating_sub(from) as u32, pools)
	}

	/// The operators of `consumer_id`'s previous set (its published set, unchanged while its
	/// step runs).
	fn previous_members(consumer_id: ConsumerId) -> Vec<T::AccountId> {
		ValidatorSets::<T>::get(consumer_id)
			.map(|set| set.members.into_iter().map(|(operator, _, _)| operator).collect())
			.unwrap_or_default()
	}

	/// A Retire page: retire the next members of the previous set from position `next` that
	/// are not ranked.
	fn retire_page(step: &mut Step<T>, epoch: EpochIndex, next: u32) -> Weight {
		let synced = step.candidates.len() as u32;
		if Self::record_unless_stopped(step, synced).is_none() {
			return T::WeightInfo::transition_retire_page(0, 0);
		}
		let consumer_id = step.cursor.consumer_id;
		let previous = Self::previous_members(consumer_id);
		let index = RewardPerPower::<T>::get(consumer_id);
		let from = (next as usize).min(previous.len());
		let to = from.saturating_add(Self::page_size() as usize).min(previous.len());
		let mut pools: u32 = 0;
		for operator in previous.get(from..to).unwrap_or_default() {
			if !step.candidates.iter().any(|candidate| candidate.operator == *operator) {
				pools =
					pools.saturating_add(Self::retire_member(consumer_id, epoch, operator, index));
			}
		}
		step.cursor.phase = if to < previous.len() {
			StepPhase::Retire { next: to as u32 }
		} else {
			StepPhase::Publish
		};
		T::WeightInfo::transition_retire_page(to.saturating_sub(from) as u32, pools)
	}

	/// The last page of a step that publishes: record the epoch's parameters, activate, pay
	/// the epoch and publish the ranked set.
	fn publish_page(mut step: Step<T>, epoch: EpochIndex) -> (Weight, Option<Step<T>>) {
		let synced = step.candidates.len() as u32;
		let Some(mut record) = Self::record_unless_stopped(&mut step, synced) else {
			return (T::WeightInfo::transition_publish(0), Some(step));
		};
		let consumer_id = step.cursor.consumer_id;
		if record.escrow < step.cursor.params.payment_per_epoch {
			frame_support::defensive!("the escrow shrank while the consumer's step ran");
		}
		Self::record_params(&mut record, &step.cursor, epoch);
		if record.status != ConsumerStatus::Active {
			record.status = ConsumerStatus::Active;
			Self::deposit_event(Event::ConsumerActivated { consumer_id, epoch });
		}
		let total_power = step
			.candidates
			.iter()
			.fold(BalanceOf::<T>::zero(), |acc, member| acc.saturating_add(member.power));
		Self::accrue(consumer_id, epoch, &mut record, total_power);
		Self::publish(consumer_id, epoch, &mut record, &step.candidates);
		ConsumerRecords::<T>::insert(consumer_id, record);
		(T::WeightInfo::transition_publish(synced), None)
	}

	/// A Clear page: retire the next operators from position `next` of the previous set
	/// followed by the candidates already written; the page that retires the last one closes
	/// the step: the set goes, and the status changes (stopped if the consumer is
	/// deregistered or expired, else paused or still registered for `shortfall`).
	fn clear_page(
		mut step: Step<T>,
		epoch: EpochIndex,
		next: u32,
		shortfall: Option<PauseReason>,
	) -> (Weight, Option<Step<T>>) {
		let consumer_id = step.cursor.consumer_id;
		let previous = Self::previous_members(consumer_id);
		let total = previous.len().saturating_add(step.candidates.len());
		let from = (next as usize).min(total);
		let to = from.saturating_add(Self::page_size() as usize).min(total);
		let index = RewardPerPower::<T>::get(consumer_id);
		let mut pools: u32 = 0;
		for position in from..to {
			let operator = match previous.get(position) {
				Some(operator) => operator,
				None => match step.candidates.get(position.saturating_sub(previous.len())) {
					Some(candidate) => &candidate.operator,
					None => continue,
				},
			};
			pools = pools.saturating_add(Self::retire_member(consumer_id, epoch, operator, index));
		}
		let weight = T::WeightInfo::transition_retire_page(to.saturating_sub(from) as u32, pools);
		if to < total {
			step.cursor.phase = StepPhase::Clear {
				next: to as u32,
				synced: step.candidates.len() as u32,
				shortfall,
			};
			return (weight, Some(step));
		}
		// The close costs what the whole step of a stopped consumer with nothing to retire
		// does.
		let weight = weight.saturating_add(T::WeightInfo::process_stopped_consumer(0, 0));
		let Some(mut record) = ConsumerRecords::<T>::get(consumer_id) else {
			frame_support::defensive!("a consumer removed in the middle of its step");
			ValidatorSets::<T>::remove(consumer_id);
			return (weight, None);
		};
		match shortfall {
			Some(reason)
				if !record.status.is_deregistered()
					&& !Self::registration_expired(&record, epoch) =>
			{
				Self::record_params(&mut record, &step.cursor, epoch);
				match record.status {
					ConsumerStatus::Active => {
						record.status = ConsumerStatus::Paused { reason };
						Self::deposit_event(Event::ConsumerPaused { consumer_id, epoch, reason });
					}
					ConsumerStatus::Paused { .. } => {
						record.status = ConsumerStatus::Paused { reason }
					}
					_ => {}
				}
				ValidatorSets::<T>::remove(consumer_id);
			}
			_ => {
				// Stopped: deregistered (before the step, or while it ran: then as if the
				// transition had not reached it), or an expired registration. Parameters due are
				// applied as the record has them now.
				Self::apply_due_params(&mut record, consumer_id, epoch);
				if ValidatorSets::<T>::take(consumer_id).is_some() {
					Self::deposit_event(Event::ConsumerStopped { consumer_id, epoch });
				}
			}
		}
		ConsumerRecords::<T>::insert(consumer_id, record);
		(weight, None)
	}

	/// Record the parameters the step used as those in force from `epoch` if they were the
	/// pending ones due (`ParamsApplied`); a pending change still due is cleared, one that an
	/// update during the step scheduled for a later epoch is kept.
	fn record_params(record: &mut ConsumerRecord<T>, cursor: &StepCursor<T>, epoch: EpochIndex) {
		if !cursor.params_due {
			return;
		}
		record.params = cursor.params;
		if record.pending_params.is_some_and(|pending| pending.effective_epoch <= epoch) {
			record.pending_params = None;
		}
		Self::deposit_event(Event::ParamsApplied {
			consumer_id: cursor.consumer_id,
			epoch,
			params: cursor.params,
		});
	}

	/// Apply `record`'s pending parameters if they are due at `epoch` (`ParamsApplied`).
	fn apply_due_params(
		record: &mut ConsumerRecord<T>,
		consumer_id: ConsumerId,
		epoch: EpochIndex,
	) {
		if let Some(pending) = record.pending_params {
			if pending.effective_epoch <= epoch {
				record.params = pending.params;
				record.pending_params = None;
				Self::deposit_event(Event::ParamsApplied {
					consumer_id,
					epoch,
					params: pending.params,
				});
			}
		}
	}

	/// The weight of the whole step of a consumer with `operators` opted in (all eligible and
	/// ranked, each with the most pools) whose previous set of `previous` members all leave:
	/// every page, each at its bound. For reports (`scripts/epoch-transition-cost.py`, the
	/// runtime's epoch-scale test); the transition charges page by page.
	pub fn consumer_step_weight(operators: u32, previous: u32) -> Weight {
		let size = Self::page_size();
		let pools = T::Pools::max_pools_per_operator();
		let pages = |count: u32| {
			let full = count / size;
			let rest = count % size;
			(full, rest)
		};
		let paged = |count: u32, weight: fn(u32, u32) -> Weight| {
			let (full, rest) = pages(count);
			let mut total = weight(size, size.saturating_mul(pools)).saturating_mul(full.into());
			if rest > 0 {
				total.saturating_accrue(weight(rest, rest.saturating_mul(pools)));
			}
			total
		};
		T::DbWeight::get()
			.reads(4)
			.saturating_add(T::WeightInfo::transition_start(operators))
			.saturating_add(paged(operators, T::WeightInfo::transition_score_page))
			.saturating_add(paged(operators, T::WeightInfo::transition_sync_page))
			.saturating_add(paged(previous, T::WeightInfo::transition_retire_page))
			.saturating_add(T::WeightInfo::transition_publish(operators))
	}
}
