//! The selection of a consumer's validator set (scored operator by operator into a running
//! ranking: `step.rs` runs it in pages) and its publication.

use crate::*;
use alloc::vec::Vec;
use codec::Encode;
use frame_support::traits::Get;
use palisade_primitives::{ConsumerId, ConsumerKey, EpochIndex, OperatorRegistry, PoolsInterface};
use sp_runtime::{
	traits::{BlakeTwo256, Hash as HashT, Saturating, Zero},
	Perbill,
};

impl<T: Config> Pallet<T> {
	/// The most members `params` allow (`max_operators`, within the pallet's bound).
	pub(crate) fn max_members(params: &ParamsOf<T>) -> usize {
		params.max_operators.min(T::MaxOperatorsPerConsumer::get()) as usize
	}

	/// Score `operator`, opted in to `consumer_id` with `key`, for `epoch` under `params`: its
	/// whole active bond plus the pools' non-zero backing for the consumer. `None` if that
	/// stake is zero or below `min_stake_per_operator`. Adds the number of backings read to
	/// `backings` (a weight component).
	pub(crate) fn score(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
		params: &ParamsOf<T>,
		operator: T::AccountId,
		key: ConsumerKey,
		backings: &mut u32,
	) -> Option<Candidate<T>> {
		let own = T::Operators::bond(&operator);
		let mut backing = T::Pools::backing(&operator, consumer_id, epoch);
		*backings = backings.saturating_add(backing.len() as u32);
		backing.retain(|(_, amount)| !amount.is_zero());
		if backing.len() > T::MaxPoolsPerOperator::get() as usize {
			frame_support::defensive!("more pools backing an operator than the bound");
		}
		let pools = ExposurePoolsOf::<T>::truncate_from(backing);
		let stake = pools.iter().fold(own, |acc, (_, amount)| acc.saturating_add(*amount));
		(!stake.is_zero() && stake >= params.min_stake_per_operator).then(|| Candidate {
			operator,
			key,
			own,
			pools,
			stake,
			power: Zero::zero(),
		})
	}

	/// Keep `candidate` in `ranking` (by stake descending, ties by operator account ascending,
	/// a candidate equal to one already kept after it) if it is among the best `max`: a
	/// running top-`max`, which ends as sorting every candidate and keeping the first `max`.
	pub(crate) fn rank(ranking: &mut Vec<Candidate<T>>, candidate: Candidate<T>, max: usize) {
		let at = ranking.partition_point(|kept| {
			kept.stake > candidate.stake
				|| (kept.stake == candidate.stake && kept.operator <= candidate.operator)
		});
		if at < max {
			ranking.insert(at, candidate);
			ranking.truncate(max);
		}
	}

	/// Set the powers of the complete ranking `members`: `min(stake, floor(power_cap × total
	/// stake))`, at least 1 (what the cap removes is not redistributed).
	pub(crate) fn assign_powers(members: &mut [Candidate<T>], power_cap: Perbill) {
		let total = members
			.iter()
			.fold(BalanceOf::<T>::zero(), |acc, candidate| acc.saturating_add(candidate.stake));
		let cap = power_cap.mul_floor(total);
		for candidate in members.iter_mut() {
			candidate.power = candidate.stake.min(cap).max(1u32.into());
		}
	}

	/// The validator set candidates of `consumer_id` at `epoch` under `params`, all at once:
	/// eligible opted-in operators with a non-zero stake of at least `min_stake_per_operator`,
	/// by stake descending then operator account ascending, at most `max_operators`, with their
	/// power set. What the pages of a step select (`step.rs`), for `try_state`'s check of the
	/// sets republished unchanged.
	///
	/// Also returns the weight components: the number of operators opted in, and the number
	/// of pool backings of the eligible ones in total.
	#[cfg(any(feature = "try-runtime", test))]
	pub(crate) fn select(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
		params: &ParamsOf<T>,
	) -> (Vec<Candidate<T>>, u32, u32) {
		let opted_in = T::Operators::opted_in_operators(consumer_id, epoch);
		let operators = opted_in.len() as u32;
		let max = Self::max_members(params);
		let mut backings: u32 = 0;
		let mut ranking = Vec::new();
		for entry in opted_in.into_iter().filter(|entry| entry.eligible) {
			if let Some(candidate) =
				Self::score(consumer_id, epoch, params, entry.operator, entry.key, &mut backings)
			{
				Self::rank(&mut ranking, candidate, max);
			}
		}
		Self::assign_powers(&mut ranking, params.power_cap);
		(ranking, operators, backings)
	}

	/// Publish `members` as `consumer_id`'s validator set for `epoch`, with a fresh set id:
	/// one more than the consumer's last set id (`0` for its first set), whether or not the
	/// members changed, so that each set id names exactly one epoch. `last_set` survives a
	/// pause, so a reactivated consumer never reuses an id (an old equivocation proof cannot
	/// be replayed against stake that joined later).
	pub(crate) fn publish(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
		record: &mut ConsumerRecord<T>,
		members: &[Candidate<T>],
	) {
		let members = MembersOf::<T>::truncate_from(
			members
				.iter()
				.map(|member| (member.operator.clone(), member.key, member.power))
				.collect(),
		);
		Self::publish_members(consumer_id, epoch, record, members);
	}

	/// Publish `members` as `consumer_id`'s set for `epoch` (see [`Self::publish`]).
	pub(crate) fn publish_members(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
		record: &mut ConsumerRecord<T>,
		members: MembersOf<T>,
	) {
		let set_hash = Self::set_hash(&members);
		let set_id = match record.last_set {
			Some(last) => last.set_id.saturating_add(1),
			None => 0,
		};
		record.last_set = Some(LastSet { set_id, set_hash });
		let count = members.len() as u32;
		let set = ValidatorSet::<T> { epoch, set_id, members, set_hash };
		PublishedSets::<T>::insert(consumer_id, set_id, &set);
		ValidatorSets::<T>::insert(consumer_id, set);
		Self::remember_set(consumer_id, set_id, epoch);
		Self::deposit_event(Event::ValidatorSetUpdated {
			consumer_id,
			epoch,
			set_id,
			set_hash,
			members: count,
		});
	}

	/// `blake2_256` of the SCALE-encoded members.
	pub fn set_hash(members: &MembersOf<T>) -> H256 {
		BlakeTwo256::hash(&members.encode())
	}

	/// Note that set `set_id` of `consumer_id` is the one of `epoch`, and forget the sets of
	/// epochs more than `ExposureRetention` before `epoch`.
	fn remember_set(consumer_id: ConsumerId, set_id: u64, epoch: EpochIndex) {
		let retention = T::ExposureRetention::get();
		SetHistory::<T>::mutate(consumer_id, |history| {
			history.retain(|entry| {
				let keep = entry.epoch.saturating_add(retention) >= epoch;
				if !keep {
					PublishedSets::<T>::remove(consumer_id, entry.set_id);
				}
				keep
			});
			// One entry per epoch within the retention remains, so there is room; if not, the
			// oldest goes.
			let entry = SetHistoryEntry { set_id, epoch };
			if history.try_push(entry).is_err() {
				frame_support::defensive!("set history above its bound");
				let oldest = history.remove(0);
				PublishedSets::<T>::remove(consumer_id, oldest.set_id);
				let _ = history.try_push(entry);
			}
		});
	}
}
