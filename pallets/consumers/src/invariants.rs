//! Storage invariants, checked by `try_state` and after every unit test.

use crate::*;
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect, InspectHold},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use palisade_primitives::{ConsumerId, EpochIndex};
use sp_runtime::{
	traits::{CheckedAdd, CheckedSub, Saturating, Zero},
	TryRuntimeError,
};

impl<T: Config> Pallet<T> {
	/// Check the pallet's storage invariants:
	///
	/// 1. Epoch clock: `EpochLength >= 1`; `EpochStart <= current block`;
	///    `EpochStart >= CurrentEpoch × EpochLength` (epochs only start late, never early); an
	///    open [`Transition`] is for the current epoch and its cursor is a known or past id;
	///    [`Pruning`] never runs ahead of the retention window.
	/// 2. [`ConsumerIds`] is strictly ascending, below [`NextConsumerId`], and lists exactly
	///    the ids of [`ConsumerRecords`].
	/// 3. Escrow, recomputed from the ledger: for every consumer
	///    `escrow == funded - paid - refunded`; a retired consumer's escrow is zero; the escrow
	///    account holds at least the recorded escrow plus the existential deposit (donations
	///    may add to it).
	/// 4. Deposits: for every depositor, the balance held for [`HoldReason::Registration`]
	///    equals the sum of the deposits of its consumers.
	/// 5. Parameters are valid; a pending change is effective after the current epoch.
	/// 6. Published sets: a consumer has a [`ValidatorSets`] entry iff it is `Active`, or
	///    deregistered and not processed by a transition since. Each set is non-empty, at most
	///    `MaxOperatorsPerConsumer`, its hash is the hash of its members and matches the
	///    consumer's `last_set`, its epoch is the current one (or the previous one while the
	///    transition has not reached it); its members are exactly the operators with an
	///    exposure for (set epoch, consumer), each with its key, key index entry and a total
	///    of at least its power.
	/// 7. Exposures: `total == own + Σ pools`; no exposure of a future epoch or of an epoch
	///    already pruned; the key index and the exposures match one to one.
	/// 8. Set history: at most `ExposureRetention + 1` entries, set ids and epochs strictly
	///    ascending (one set id per epoch, never reused), no epoch in the future, only for
	///    existing consumers, ending with the last published set; [`PublishedSets`] holds
	///    exactly the sets of the history, each under its own set id with a consistent hash; a
	///    chain anchor is a set id the consumer published.
	/// 9. Reporters: `reporter_since` is at most the next epoch (`set_reporter` / `set_admin`
	///    set it to the epoch after the change).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let now = Self::now();

		// 1.
		let length = EpochLength::<T>::get();
		let start = EpochStart::<T>::get();
		ensure!(length >= 1u32.into(), "epoch length is zero");
		ensure!(start <= frame_system::Pallet::<T>::block_number(), "epoch starts in the future");
		let min_start = length.saturating_mul(BlockNumberFor::<T>::from(now));
		ensure!(start >= min_start, "epoch started early");
		if let Some(cursor) = Transition::<T>::get() {
			ensure!(cursor.epoch == now, "open transition of another epoch");
		}
		let pruning = Pruning::<T>::get();
		ensure!(
			pruning.epoch <= Self::oldest_retained_epoch(),
			"pruning ahead of the retention window"
		);

		// 2.
		let ids = ConsumerIds::<T>::get();
		ensure!(ids.windows(2).all(|pair| pair[0] < pair[1]), "consumer ids not ascending");
		let next_id = NextConsumerId::<T>::get();
		ensure!(ids.iter().all(|id| *id < next_id), "consumer id at or above the next id");
		ensure!(
			ids.iter().all(ConsumerRecords::<T>::contains_key),
			"listed consumer without record"
		);
		ensure!(ConsumerRecords::<T>::iter_keys().count() == ids.len(), "unlisted consumer record");

		let ed = T::Currency::minimum_balance();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (id, record) in ConsumerRecords::<T>::iter() {
			// 3.
			let expected = record
				.ledger
				.funded
				.checked_sub(&record.ledger.paid)
				.and_then(|left| left.checked_sub(&record.ledger.refunded))
				.ok_or("escrow ledger pays out more than was funded")?;
			ensure!(record.escrow == expected, "escrow differs from its ledger");
			if matches!(record.status, ConsumerStatus::Retired { .. }) {
				ensure!(record.escrow.is_zero(), "retired consumer with escrow");
			}
			let needed = record.escrow.checked_add(&ed).ok_or("escrow overflows")?;
			ensure!(
				T::Currency::balance(&Self::escrow_account(id)) >= needed,
				"escrow account holds less than the recorded escrow"
			);

			// 4.
			let entry = deposits.entry(record.depositor.clone()).or_default();
			*entry = entry.checked_add(&record.deposit).ok_or("deposits overflow")?;

			// 5.
			Self::validate_params(&record.params).map_err(|_| "invalid parameters in force")?;
			if let Some(pending) = record.pending_params {
				Self::validate_params(&pending.params).map_err(|_| "invalid pending parameters")?;
				ensure!(
					pending.effective_epoch > now || Self::pending_in_transition(id),
					"stale pending parameters"
				);
			}

			// 6.
			let set = ValidatorSets::<T>::get(id);
			let unprocessed = Self::pending_in_transition(id);
			match record.status {
				ConsumerStatus::Active => ensure!(set.is_some(), "active consumer without a set"),
				ConsumerStatus::Deregistered { .. } => ensure!(
					set.is_none() || unprocessed || set.as_ref().is_some_and(|s| s.epoch == now),
					"deregistered consumer kept its set past a transition"
				),
				_ => ensure!(set.is_none(), "inactive consumer with a set"),
			}
			if let Some(set) = set {
				Self::check_set(id, &record, &set, unprocessed)?;
			}

			// 8.
			let history = SetHistory::<T>::get(id);
			ensure!(
				history.len() as u32 <= T::ExposureRetention::get().saturating_add(1),
				"set history above its bound"
			);
			ensure!(
				history.windows(2).all(|pair| pair[0].set_id < pair[1].set_id),
				"set history not ascending"
			);
			ensure!(
				history.windows(2).all(|pair| pair[0].epoch < pair[1].epoch),
				"two set ids for one epoch in the set history"
			);
			ensure!(history.iter().all(|entry| entry.epoch <= now), "set of a future epoch");
			let published: Vec<(u64, EpochIndex)> = PublishedSets::<T>::iter_prefix(id)
				.map(|(set_id, set)| {
					ensure!(set.set_id == set_id, "published set under another set id");
					ensure!(
						Self::set_hash(&set.members) == set.set_hash,
						"published set with a wrong hash"
					);
					Ok((set_id, set.epoch))
				})
				.collect::<Result<_, &'static str>>()?;
			let mut published = published;
			published.sort();
			ensure!(
				published
					== history.iter().map(|entry| (entry.set_id, entry.epoch)).collect::<Vec<_>>(),
				"published sets differ from the set history"
			);
			if let Some(set) = ValidatorSets::<T>::get(id) {
				ensure!(
					history.last().map(|entry| (entry.set_id, entry.epoch))
						== Some((set.set_id, set.epoch)),
					"published set is not the last remembered one"
				);
			}

			// 9.
			ensure!(
				record.reporter_since <= now.saturating_add(1),
				"reporter in office from a later epoch than the next"
			);
			ensure!(
				history.last().map(|entry| entry.set_id) == record.last_set.map(|last| last.set_id),
				"set history does not end with the last set"
			);
		}
		// 4.
		for (depositor, total) in &deposits {
			ensure!(
				T::Currency::balance_on_hold(&Self::hold_reason(), depositor) == *total,
				"held deposits differ from the registered consumers' deposits"
			);
		}
		ensure!(
			SetHistory::<T>::iter_keys().all(ConsumerRecords::<T>::contains_key),
			"set history of an unknown consumer"
		);
		ensure!(
			ValidatorSets::<T>::iter_keys().all(ConsumerRecords::<T>::contains_key),
			"validator set of an unknown consumer"
		);
		ensure!(
			PublishedSets::<T>::iter_keys().all(|(id, _)| ConsumerRecords::<T>::contains_key(id)),
			"published set of an unknown consumer"
		);
		for (id, anchor) in ChainAnchors::<T>::iter() {
			let last = ConsumerRecords::<T>::get(id)
				.and_then(|record| record.last_set)
				.ok_or("anchor of a consumer without sets")?;
			ensure!(anchor <= last.set_id, "anchor above the last published set");
		}

		// 7.
		let mut exposures = 0usize;
		for ((epoch, consumer, operator), exposure) in Exposures::<T>::iter() {
			exposures = exposures.saturating_add(1);
			ensure!(epoch <= now, "exposure of a future epoch");
			ensure!(epoch >= pruning.epoch, "exposure of a pruned epoch");
			ensure!(exposure.total == exposure.recomputed_total(), "exposure total mismatch");
			ensure!(
				ExposureKeys::<T>::get((epoch, consumer, exposure.key)).as_ref() == Some(&operator),
				"exposure without its key index entry"
			);
		}
		let mut keys = 0usize;
		for ((epoch, consumer, key), operator) in ExposureKeys::<T>::iter() {
			keys = keys.saturating_add(1);
			let exposure = Exposures::<T>::get((epoch, consumer, &operator))
				.ok_or("key index entry without exposure")?;
			ensure!(exposure.key == key, "key index entry for another key");
		}
		ensure!(exposures == keys, "exposures and key index differ in size");
		Ok(())
	}

	/// Whether the open transition has not processed `id` yet.
	fn pending_in_transition(id: ConsumerId) -> bool {
		Transition::<T>::get().is_some_and(|cursor| cursor.last.is_none_or(|last| id > last))
	}

	/// Invariant 6 for the published `set` of consumer `id`.
	fn check_set(
		id: ConsumerId,
		record: &ConsumerRecord<T>,
		set: &ValidatorSetOf<T>,
		unprocessed: bool,
	) -> Result<(), TryRuntimeError> {
		let now = Self::now();
		ensure!(!set.members.is_empty(), "empty published set");
		ensure!(set.set_hash == Self::set_hash(&set.members), "set hash mismatch");
		ensure!(
			record.last_set == Some(LastSet { set_id: set.set_id, set_hash: set.set_hash }),
			"published set differs from the consumer's last set"
		);
		ensure!(
			set.epoch == now || (unprocessed && set.epoch.saturating_add(1) == now),
			"published set of a stale epoch"
		);
		let mut exposed: Vec<T::AccountId> = Vec::new();
		for (operator, exposure) in Exposures::<T>::iter_prefix((set.epoch, id)) {
			let member = set
				.members
				.iter()
				.find(|(who, _, _)| *who == operator)
				.ok_or("exposure of an operator outside the published set")?;
			ensure!(member.1 == exposure.key, "member key differs from its exposure");
			ensure!(member.2 <= exposure.total, "member power above its stake");
			exposed.push(operator);
		}
		ensure!(exposed.len() == set.members.len(), "member of the published set without exposure");
		Ok(())
	}
}
