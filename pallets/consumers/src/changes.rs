//! Epochs where nothing changed: the pallets whose state the validator-set selection reads
//! note their changes ([`ChangeNotes`]) for the epoch whose selection they first affect; the
//! transition into an epoch first drains that epoch's notes into [`DirtyConsumers`], selects
//! again only those consumers, and republishes every other active consumer's set as it is
//! (a fresh set id, the epoch's payment; no selection reads, no member writes).
//!
//! What is noted, and by whom:
//! - the operators pallet: an operator's bond, status, commission or leaving (the operator,
//!   from the next selection and at each epoch its record schedules: a jail's end, its
//!   leaving, a commission change); an opt-out or key rotation (the consumer, at the epoch it
//!   takes effect);
//! - the pools pallet: a pool's value or owed slash (the pool), an allocation change (the
//!   consumer, at the epoch it takes effect), a collateral valuation (everything);
//! - this pallet's own inputs (parameters, escrow, status) are read by the fast-path test
//!   itself ([`Pallet::is_unchanged`]).
//!
//! `try_state` recomputes, for every consumer the next transition would republish, the
//! selection it skips, and fails if it differs from the published set or would rewrite a
//! member's reward record: a change path that forgets its note fails the fuzzer.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	traits::Get,
	weights::{Weight, WeightMeter},
};
use palisade_primitives::{
	ChangeNotes, ChangeSubject, ConsumerId, EpochIndex, OperatorRegistry, PoolsInterface,
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> ChangeNotes<T::AccountId> for Pallet<T> {
	/// Notes `subject` for the selection of `effective`, or of the first epoch whose notes are
	/// not drained yet if that is later: the current epoch while its transition has not
	/// drained them (a slash executed at the epoch start counts for that epoch's sets), the
	/// next one otherwise.
	fn note_change(subject: ChangeSubject<T::AccountId>, effective: EpochIndex) {
		let first_open = ExpandedEpoch::<T>::get().saturating_add(1);
		Changes::<T>::insert(effective.max(first_open), subject, ());
	}
}

impl<T: Config> Pallet<T> {
	/// The consumers a change of `subject` may affect: an operator's opt-ins and memberships,
	/// the consumers a pool allocates to, the consumer itself, or every consumer.
	pub(crate) fn affected_consumers(subject: &ChangeSubject<T::AccountId>) -> Vec<ConsumerId> {
		let mut consumers = match subject {
			ChangeSubject::Operator(operator) => {
				let mut consumers = T::Operators::opted_in_consumers(operator);
				consumers.extend(
					Members::<T>::iter_key_prefix(operator)
						.take(T::MaxOperatorMemberships::get() as usize),
				);
				consumers
			}
			ChangeSubject::Pool(pool) => T::Pools::allocated_consumers(*pool),
			ChangeSubject::Consumer(consumer) => alloc::vec![*consumer],
			ChangeSubject::Everything => ConsumerIds::<T>::get().into_inner(),
		};
		consumers.sort_unstable();
		consumers.dedup();
		consumers
	}

	/// Drain the notes of `epoch` into [`DirtyConsumers`], one subject at a time while the
	/// next one fits in `meter`. Returns whether every note was drained (then
	/// [`ExpandedEpoch`] is `epoch`).
	pub(crate) fn expand_changes(epoch: EpochIndex, meter: &mut WeightMeter) -> bool {
		loop {
			if !meter.can_consume(T::WeightInfo::expand_change(0)) {
				return false;
			}
			let Some(subject) = Changes::<T>::iter_key_prefix(epoch).next() else {
				meter.consume(T::WeightInfo::expand_change(0));
				ExpandedEpoch::<T>::put(epoch);
				return true;
			};
			let consumers = Self::affected_consumers(&subject);
			let weight = T::WeightInfo::expand_change(consumers.len() as u32);
			if !meter.can_consume(weight) {
				// Read again in the next block, with a fresh budget.
				meter.consume(T::WeightInfo::expand_change(0));
				return false;
			}
			Changes::<T>::remove(epoch, &subject);
			for consumer in consumers {
				if ConsumerRecords::<T>::contains_key(consumer) {
					DirtyConsumers::<T>::insert(consumer, ());
				}
			}
			meter.consume(weight);
		}
	}

	/// Whether `record` may keep its published set for `epoch` as it is: active, none of its
	/// inputs noted as changed (`dirty`), no parameters due, escrow for the payment.
	pub(crate) fn is_unchanged(record: &ConsumerRecord<T>, epoch: EpochIndex, dirty: bool) -> bool {
		!dirty
			&& record.status == ConsumerStatus::Active
			&& record.pending_params.is_none_or(|pending| pending.effective_epoch > epoch)
			&& record.escrow >= record.params.payment_per_epoch
	}

	/// Republish `set` for `epoch` unchanged but for a fresh set id, and pay the epoch.
	/// Returns the weight used.
	pub(crate) fn republish(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
		mut record: ConsumerRecord<T>,
		set: ValidatorSet<T>,
	) -> Weight {
		let count = set.members.len() as u32;
		let total_power = set
			.members
			.iter()
			.fold(BalanceOf::<T>::zero(), |acc, (_, _, power)| acc.saturating_add(*power));
		Self::accrue(consumer_id, epoch, &mut record, total_power);
		Self::publish_members(consumer_id, epoch, &mut record, set.members);
		ConsumerRecords::<T>::insert(consumer_id, record);
		T::WeightInfo::process_unchanged_consumer(count)
	}

	/// The safety net behind the fast path (run by `try_state` between transitions): every
	/// consumer the next transition would republish as it is must select exactly its
	/// published set, and its members' reward records must stay as they are.
	#[cfg(any(feature = "try-runtime", test))]
	pub(crate) fn check_unchanged_sets() -> Result<(), sp_runtime::TryRuntimeError> {
		use alloc::collections::btree_set::BTreeSet;
		use sp_runtime::Perbill;
		if Transition::<T>::exists() {
			return Ok(());
		}
		frame_support::ensure!(
			DirtyConsumers::<T>::iter_keys().next().is_none(),
			"consumers marked dirty outside a transition"
		);
		let next = Self::now().saturating_add(1);
		let mut dirty = BTreeSet::new();
		for subject in Changes::<T>::iter_key_prefix(next) {
			dirty.extend(Self::affected_consumers(&subject));
		}
		for consumer_id in ConsumerIds::<T>::get() {
			let Some(record) = ConsumerRecords::<T>::get(consumer_id) else { continue };
			if !Self::is_unchanged(&record, next, dirty.contains(&consumer_id)) {
				continue;
			}
			let Some(set) = ValidatorSets::<T>::get(consumer_id) else { continue };
			let (candidates, _, _) = Self::select(consumer_id, next, &record.params);
			let selected: Vec<_> = candidates
				.iter()
				.map(|candidate| (candidate.operator.clone(), candidate.key, candidate.power))
				.collect();
			if selected != set.members.clone().into_inner() {
				log::error!(
					target: LOG_TARGET,
					"consumer {consumer_id}: republished set {:?}, selection gives {:?}",
					set.members,
					selected,
				);
				return Err("a consumer would republish a set its selection no longer gives".into());
			}
			let index = RewardPerPower::<T>::get(consumer_id);
			for candidate in candidates.iter() {
				let commission = T::Operators::commission_at(&candidate.operator, next)
					.unwrap_or_else(Perbill::zero);
				let fresh = Self::fresh_member(candidate, commission, index);
				let kept = Members::<T>::get(&candidate.operator, consumer_id)
					.is_some_and(|member| Self::unchanged(&member, &fresh));
				frame_support::ensure!(
					kept,
					"a republished member's reward record is not what its selection gives"
				);
			}
		}
		Ok(())
	}
}
