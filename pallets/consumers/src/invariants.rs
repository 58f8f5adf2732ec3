//! Storage invariants, checked by `try_state` and after every unit test.

use crate::*;
use alloc::{
	collections::{btree_map::BTreeMap, btree_set::BTreeSet},
	vec::Vec,
};
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect, InspectHold},
		Get,
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use palisade_primitives::{ConsumerId, ConsumerKey, EpochIndex, PoolId};
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
	///    [`Pruning`] never runs ahead of the next epoch.
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
	///    transition has not reached it); each member has an exposure at the set's epoch with
	///    its key, its key indexed to it, and a total of at least its power.
	/// 7. Exposure checkpoints: each pair's index is non-empty, at most `ExposureRetention + 2`
	///    long, ascending, never in the future, never two "not a member" in a row; each member
	///    checkpoint has its exposure (`total == own + Σ pools`, same key) and its key indexed
	///    to the operator; no exposure or key index entry outside an index; a pair whose last
	///    checkpoint says it left is scheduled for pruning (when its history stops being
	///    needed, or later if a step undid its return after the pruning passed that epoch), not
	///    before the pruning position.
	/// 8. Set history: at most `ExposureRetention + 1` entries, set ids and epochs strictly
	///    ascending (one set id per epoch, never reused), no epoch in the future, only for
	///    existing consumers, ending with the last published set; [`PublishedSets`] holds
	///    exactly the sets of the history, each under its own set id with a consistent hash; a
	///    chain anchor is a set id the consumer published.
	/// 9. Reporters: `reporter_since` is at most the next epoch (`set_reporter` / `set_admin`
	///    set it to the epoch after the change).
	/// 10. Reward records: [`Members`] holds exactly the members of the published sets (for
	///     the consumer in the middle of its step, what its progress says: invariant 14),
	///     each with its set power, `stake == own + Σ backing`, pools in id order, settled no
	///     later than its consumer's [`RewardPerPower`], and reward weights exactly the split
	///     of its power (`split_power`, so `weight + Σ pool weights ≤ power`). Each
	///     [`PoolShares`] record `(p, c)` has a non-zero weight equal to the sum of `p`'s
	///     weights in `c`'s members, is settled no later than `c`'s index, and exists for
	///     every pool with a non-zero weight in one of `c`'s members; for every consumer, the
	///     weights of its pool records plus its operators' weights are at most the total
	///     power of its set.
	/// 11. Money: everything owed (settled, and accrued since the last settlement, of every
	///     member's operator and every [`PoolShares`] record, plus [`OperatorRewards`] and
	///     [`PoolRewards`]) is at most what the [`RewardsLedger`] says is left
	///     (`paid_in - paid_out`; the rest is rounding dust), and the rewards account holds
	///     at least that plus the existential deposit.
	/// 12. Change notes ([`crate::changes`]): none left for an epoch whose notes were
	///     drained, dirty marks only for registered consumers and only during a transition;
	///     and, between transitions, every consumer the next transition would republish as it
	///     is selects exactly its published set, with its members' reward records unchanged.
	/// 13. Claim pages: every [`OperatorClaimCursors`] and [`PoolClaimCursors`] entry names a
	///     consumer id that was registered (below [`NextConsumerId`]): the position of a
	///     membership the operator had, of a record the pool had. (A cursor may outlive that
	///     membership or record: the next page starts after its position all the same.)
	/// 14. The kept step (`step.rs`): a [`ConsumerStep`] exists only while a transition is
	///     open, for its next consumer (the first registered id above its `last`), with valid
	///     parameters and the size of the consumer's published set; without it
	///     [`StepOperators`] and [`StepCandidates`] are empty. Its ranking is in order (stake
	///     descending, ties by operator ascending), at most `max_operators` long, each
	///     candidate with `stake == own + Σ pools`, non-zero and at least the minimum stake,
	///     without powers while scoring and with exactly the powers of the complete ranking
	///     after; operators are listed only while scoring, and positions are within what they
	///     index. The reward records of the consumer are those of the step's progress
	///     (invariant 10): its previous set's members with their old power, the candidates
	///     written so far with their new one, none for an operator the step retired.
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
		// 14.
		Self::check_step()?;
		let pruning = Pruning::<T>::get();
		ensure!(pruning.epoch <= now.saturating_add(1), "pruning ahead of the current epoch");

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
		Self::check_checkpoints()?;

		Self::check_rewards()
	}

	/// Invariant 7: exposure checkpoints.
	fn check_checkpoints() -> Result<(), TryRuntimeError> {
		let now = Self::now();
		let bound = T::ExposureRetention::get().saturating_add(2) as usize;
		let mut exposures = 0usize;
		let mut keys = 0usize;
		let mut scheduled: BTreeMap<(ConsumerId, T::AccountId), Vec<EpochIndex>> = BTreeMap::new();
		for (epoch, consumer, operator) in PairPruning::<T>::iter_keys() {
			scheduled.entry((consumer, operator)).or_default().push(epoch);
		}
		for (consumer, operator, index) in ExposureIndex::<T>::iter() {
			ensure!(!index.is_empty(), "empty checkpoint index");
			ensure!(index.len() <= bound, "checkpoint index above its bound");
			ensure!(
				index.windows(2).all(|pair| pair[0].from < pair[1].from),
				"checkpoints not ascending"
			);
			ensure!(index.iter().all(|c| c.from <= now), "checkpoint of a future epoch");
			ensure!(
				index.windows(2).all(|pair| pair[0].key.is_some() || pair[1].key.is_some()),
				"two non-member checkpoints in a row"
			);
			let mut seen_keys: Vec<ConsumerKey> = Vec::new();
			for checkpoint in index.iter() {
				let Some(key) = checkpoint.key else { continue };
				exposures = exposures.saturating_add(1);
				let exposure =
					ExposureCheckpoints::<T>::get((consumer, &operator, checkpoint.from))
						.ok_or("member checkpoint without exposure")?;
				ensure!(exposure.key == key, "checkpoint key differs from its exposure");
				ensure!(exposure.total == exposure.recomputed_total(), "exposure total mismatch");
				ensure!(
					KeyOwners::<T>::get(consumer, key).as_ref() == Some(&operator),
					"checkpoint key not indexed to its operator"
				);
				if !seen_keys.contains(&key) {
					seen_keys.push(key);
				}
			}
			keys = keys.saturating_add(seen_keys.len());
			if index.last().is_some_and(|last| last.key.is_none()) {
				let due = index
					.last()
					.map(|last| last.from.saturating_add(T::ExposureRetention::get()))
					.unwrap_or_default();
				// At `due`, or later if a step that wrote the operator back and was then undone
				// (`step.rs`) rescheduled it after the pruning had passed `due`.
				ensure!(
					scheduled
						.get(&(consumer, operator.clone()))
						.is_some_and(|epochs| epochs.iter().any(|epoch| *epoch >= due)),
					"a pair that left is not scheduled for pruning"
				);
			}
		}
		ensure!(
			ExposureCheckpoints::<T>::iter_keys().count() == exposures,
			"exposure checkpoint outside any index"
		);
		ensure!(KeyOwners::<T>::iter_keys().count() == keys, "stale key index entries");
		ensure!(
			PairPruning::<T>::iter_keys().all(|(due, _, _)| due >= Pruning::<T>::get().epoch),
			"pair due before the pruning position"
		);

		// 12.
		let expanded = ExpandedEpoch::<T>::get();
		ensure!(expanded <= now, "change notes drained ahead of the current epoch");
		ensure!(
			Changes::<T>::iter_keys().all(|(epoch, _)| epoch > expanded),
			"a change note left behind by the transition of its epoch"
		);
		ensure!(
			DirtyConsumers::<T>::iter_keys().all(|id| ConsumerIds::<T>::get().contains(&id)),
			"an unknown consumer marked dirty"
		);
		Self::check_unchanged_sets()?;

		// 13.
		let next_id = NextConsumerId::<T>::get();
		ensure!(
			OperatorClaimCursors::<T>::iter_values().all(|consumer| consumer < next_id),
			"a claim cursor names a consumer never registered"
		);
		ensure!(
			PoolClaimCursors::<T>::iter_values().all(|consumer| consumer < next_id),
			"a pool claim cursor names a consumer never registered"
		);
		Ok(())
	}

	/// Invariants 10 and 11: reward records and the money behind them.
	fn check_rewards() -> Result<(), TryRuntimeError> {
		// 10.
		let mut members = 0usize;
		let mut owed = BalanceOf::<T>::zero();
		// (pool, consumer) → Σ of the pool's weights in the consumer's members.
		let mut pool_weights: BTreeMap<(PoolId, ConsumerId), BalanceOf<T>> = BTreeMap::new();
		// consumer → (Σ weights of its operators, Σ powers of its members).
		let mut consumer_weights: BTreeMap<ConsumerId, (BalanceOf<T>, BalanceOf<T>)> =
			BTreeMap::new();
		let expected = Self::expected_members()?;
		let mut seen: BTreeMap<ConsumerId, BTreeSet<T::AccountId>> = BTreeMap::new();
		for (operator, consumer, member) in Members::<T>::iter() {
			members = members.saturating_add(1);
			let (powers, _) = expected.get(&consumer).ok_or("member of a consumer without set")?;
			let power =
				powers.get(&operator).ok_or("member record of an operator outside the set")?;
			ensure!(*power == member.power, "member record with another power than its set");
			seen.entry(consumer).or_default().insert(operator.clone());
			ensure!(member.power <= member.stake, "member power above its stake");
			let stake =
				member.pools.iter().fold(member.own, |acc, pool| acc.saturating_add(pool.backing));
			ensure!(stake == member.stake, "member stake differs from own plus backing");
			ensure!(
				member.pools.windows(2).all(|pair| pair[0].pool < pair[1].pool),
				"member pools not in pool id order"
			);
			let index = RewardPerPower::<T>::get(consumer);
			ensure!(member.reward_per_power <= index, "member settled ahead of its consumer");
			let (weight, weights) = Self::reward_weights(
				member.power,
				member.commission,
				member.stake,
				member.pools.iter().map(|pool| pool.backing),
			);
			ensure!(
				weight == member.weight
					&& weights.iter().zip(member.pools.iter()).all(|(w, pool)| *w == pool.weight),
				"member reward weights are not the split of its power"
			);
			let split = member
				.pools
				.iter()
				.try_fold(member.weight, |acc, pool| acc.checked_add(&pool.weight))
				.ok_or("member weights overflow")?;
			ensure!(split <= member.power, "member weights above its power");
			let entry = consumer_weights.entry(consumer).or_default();
			entry.0 = entry.0.checked_add(&member.weight).ok_or("weights overflow")?;
			entry.1 = entry.1.checked_add(&member.power).ok_or("powers overflow")?;
			for pool in member.pools.iter() {
				let sum = pool_weights.entry((pool.pool, consumer)).or_default();
				*sum = sum.checked_add(&pool.weight).ok_or("pool weights overflow")?;
			}
			owed = owed.saturating_add(Self::preview(&member, index).owed);
		}
		for (consumer, (_, required)) in expected.iter() {
			let present = seen.get(consumer);
			ensure!(
				required.iter().all(|operator| present.is_some_and(|seen| seen.contains(operator))),
				"set members without reward records"
			);
		}
		let mut shares = 0usize;
		for (pool, consumer, share) in PoolShares::<T>::iter() {
			shares = shares.saturating_add(1);
			ensure!(!share.weight.is_zero(), "pool share without weight");
			ensure!(
				pool_weights.get(&(pool, consumer)) == Some(&share.weight),
				"pool share weight differs from its members' weights"
			);
			let index = RewardPerPower::<T>::get(consumer);
			ensure!(share.reward_per_power <= index, "pool share settled ahead of its consumer");
			let entry = consumer_weights.entry(consumer).or_default();
			entry.0 = entry.0.checked_add(&share.weight).ok_or("weights overflow")?;
			owed = owed.saturating_add(Self::share_owed(&share, index));
		}
		ensure!(
			pool_weights.values().filter(|weight| !weight.is_zero()).count() == shares,
			"pool weight without its pool share"
		);
		for (weights, powers) in consumer_weights.values() {
			ensure!(weights <= powers, "a consumer's reward weights exceed its set's power");
		}

		// 11.
		owed = OperatorRewards::<T>::iter_values().fold(owed, |acc, x| acc.saturating_add(x));
		owed = PoolRewards::<T>::iter_values().fold(owed, |acc, x| acc.saturating_add(x));
		let ledger = RewardsLedger::<T>::get();
		let held = ledger
			.paid_in
			.checked_sub(&ledger.paid_out)
			.ok_or("more rewards claimed than paid in")?;
		ensure!(owed <= held, "rewards owed exceed what consumers paid in");
		let needed = held.checked_add(&T::Currency::minimum_balance()).ok_or("overflow")?;
		ensure!(
			T::Currency::balance(&Self::rewards_account()) >= needed,
			"rewards account holds less than the rewards ledger"
		);
		Ok(())
	}

	/// The reward records each consumer must or may have: (operator → the power of its
	/// record, the operators that must have one). The members of its published set, except for
	/// the consumer in the middle of its step, whose records follow the step's progress
	/// (invariant 14): its previous set's members with their old power, overridden by the
	/// candidates written so far with their new one, without the operators it retired. Every
	/// listed operator must have a record, except, once the step turned into `Clear`, the
	/// previous set's members that are not candidates (an interrupted `Retire` page may have
	/// retired them).
	#[allow(clippy::type_complexity)]
	fn expected_members() -> Result<
		BTreeMap<ConsumerId, (BTreeMap<T::AccountId, BalanceOf<T>>, BTreeSet<T::AccountId>)>,
		TryRuntimeError,
	> {
		let mut expected = BTreeMap::new();
		for (consumer, set) in ValidatorSets::<T>::iter() {
			let powers: BTreeMap<_, _> =
				set.members.iter().map(|(who, _, power)| (who.clone(), *power)).collect();
			let required = powers.keys().cloned().collect();
			expected.insert(consumer, (powers, required));
		}
		let Some(cursor) = ConsumerStep::<T>::get() else { return Ok(expected) };
		let candidates = StepCandidates::<T>::get();
		let previous: Vec<(T::AccountId, BalanceOf<T>)> =
			ValidatorSets::<T>::get(cursor.consumer_id)
				.map(|set| set.members.into_iter().map(|(who, _, power)| (who, power)).collect())
				.unwrap_or_default();
		let ranked = |who: &T::AccountId| candidates.iter().any(|c| c.operator == *who);
		let mut powers: BTreeMap<T::AccountId, BalanceOf<T>> = previous.iter().cloned().collect();
		let write = |powers: &mut BTreeMap<_, _>, count: usize| {
			for candidate in candidates.iter().take(count) {
				powers.insert(candidate.operator.clone(), candidate.power);
			}
		};
		let mut optional: BTreeSet<T::AccountId> = BTreeSet::new();
		match cursor.phase {
			StepPhase::Score { .. } => {}
			StepPhase::Sync { next } => write(&mut powers, next as usize),
			StepPhase::Retire { next } => {
				for (who, _) in previous.iter().take(next as usize) {
					if !ranked(who) {
						powers.remove(who);
					}
				}
				write(&mut powers, candidates.len());
			}
			StepPhase::Publish => {
				powers.clear();
				write(&mut powers, candidates.len());
			}
			StepPhase::Clear { next, synced, .. } => {
				write(&mut powers, synced as usize);
				let list = previous
					.iter()
					.map(|(who, _)| who.clone())
					.chain(candidates.iter().map(|candidate| candidate.operator.clone()));
				for who in list.take(next as usize) {
					powers.remove(&who);
				}
				optional = previous
					.iter()
					.filter(|(who, _)| !ranked(who))
					.map(|(who, _)| who.clone())
					.collect();
			}
		}
		let required = powers.keys().filter(|who| !optional.contains(*who)).cloned().collect();
		expected.insert(cursor.consumer_id, (powers, required));
		Ok(expected)
	}

	/// Invariant 14: the kept step.
	fn check_step() -> Result<(), TryRuntimeError> {
		let operators = StepOperators::<T>::get();
		let candidates = StepCandidates::<T>::get();
		let Some(cursor) = ConsumerStep::<T>::get() else {
			ensure!(
				operators.is_empty() && candidates.is_empty(),
				"step operators or candidates without a step"
			);
			return Ok(());
		};
		let transition = Transition::<T>::get().ok_or("a consumer step outside a transition")?;
		let next = ConsumerIds::<T>::get()
			.into_iter()
			.find(|id| transition.last.is_none_or(|last| *id > last));
		ensure!(next == Some(cursor.consumer_id), "a step of another consumer than the next");
		let params = cursor.params;
		Self::validate_params(&params).map_err(|_| "invalid step parameters")?;
		let previous =
			ValidatorSets::<T>::get(cursor.consumer_id).map_or(0, |set| set.members.len() as u32);
		ensure!(cursor.previous == previous, "step's previous set size differs from the set");
		ensure!(candidates.len() <= Self::max_members(&params), "step ranking above max_operators");
		ensure!(
			candidates.windows(2).all(|pair| {
				pair[0].stake > pair[1].stake
					|| (pair[0].stake == pair[1].stake && pair[0].operator <= pair[1].operator)
			}),
			"step ranking out of order"
		);
		for candidate in candidates.iter() {
			let stake = candidate
				.pools
				.iter()
				.fold(candidate.own, |acc, (_, amount)| acc.saturating_add(*amount));
			ensure!(stake == candidate.stake, "candidate stake differs from own plus backing");
			ensure!(
				!stake.is_zero() && stake >= params.min_stake_per_operator,
				"candidate below the minimum stake"
			);
		}
		let mut powered = candidates.clone().into_inner();
		Self::assign_powers(&mut powered, params.power_cap);
		let powers_set = powered.iter().zip(candidates.iter()).all(|(a, b)| a.power == b.power);
		if !matches!(cursor.phase, StepPhase::Score { .. }) {
			ensure!(operators.is_empty(), "operators listed after scoring");
		}
		match cursor.phase {
			StepPhase::Score { next } => {
				ensure!(next as usize <= operators.len(), "score position past the list");
				ensure!(
					candidates.iter().all(|candidate| candidate.power.is_zero()),
					"powers set before the ranking is complete"
				);
			}
			StepPhase::Sync { next } => {
				ensure!((next as usize) < candidates.len(), "sync position past the ranking");
				ensure!(powers_set, "ranking without its powers");
				ensure!(
					candidates.len() as u32 >= params.min_operators,
					"a step publishing fewer than min_operators"
				);
			}
			StepPhase::Retire { next } => {
				ensure!(next < previous, "retire position past the previous set");
				ensure!(powers_set, "ranking without its powers");
			}
			StepPhase::Publish => {
				ensure!(powers_set, "ranking without its powers");
				ensure!(
					candidates.len() as u32 >= params.min_operators,
					"a step publishing fewer than min_operators"
				);
			}
			StepPhase::Clear { next, synced, shortfall } => {
				ensure!(synced as usize == candidates.len(), "clear with unwritten candidates");
				ensure!(next <= previous.saturating_add(synced), "clear position past its list");
				// (The candidates kept are the first `synced` of a complete ranking, with the
				// powers their records were written with: invariant 10 checks them.)
				ensure!(shortfall.is_none() || synced == 0, "a shortfall after records written");
			}
		}
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
		for (operator, key, power) in set.members.iter() {
			let exposure = Self::exposure_at(set.epoch, id, operator)
				.ok_or("member of the published set without exposure")?;
			ensure!(*key == exposure.key, "member key differs from its exposure");
			ensure!(*power <= exposure.total, "member power above its stake");
			ensure!(
				Self::member_of_key_at(set.epoch, id, key).as_ref() == Some(operator),
				"member key not indexed"
			);
		}
		Ok(())
	}
}
