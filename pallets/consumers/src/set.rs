//! The per-consumer part of the epoch transition: validator set selection, lifecycle,
//! exposure snapshot, payment and publication.

use crate::*;
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{traits::Get, weights::Weight};
use palisade_primitives::{ConsumerId, ConsumerKey, EpochIndex, OperatorRegistry, PoolsInterface};
use sp_runtime::traits::{BlakeTwo256, Hash as HashT, Saturating, Zero};

/// An operator that qualified for a consumer's set, with its stake.
pub(crate) struct Candidate<T: Config> {
	/// The operator.
	pub operator: T::AccountId,
	/// Its key for the consumer at the epoch.
	pub key: ConsumerKey,
	/// Its whole active bond.
	pub own: BalanceOf<T>,
	/// The pools backing it for the consumer (non-zero, pool id order).
	pub pools: ExposurePoolsOf<T>,
	/// `own` plus the pools' backing.
	pub stake: BalanceOf<T>,
	/// Its power in the set.
	pub power: BalanceOf<T>,
}

impl<T: Config> Pallet<T> {
	/// The validator set candidates of `consumer_id` at `epoch` under `params`: eligible
	/// opted-in operators with a non-zero stake of at least `min_stake_per_operator`, by stake
	/// descending then operator account ascending, at most `max_operators`, with their power
	/// set (`min(stake, floor(power_cap × total stake))`, at least 1).
	///
	/// Also returns the weight components: the number of operators opted in, and the number
	/// of pool backings of the eligible ones in total.
	pub(crate) fn select(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
		params: &ParamsOf<T>,
	) -> (Vec<Candidate<T>>, u32, u32) {
		let opted_in = T::Operators::opted_in_operators(consumer_id, epoch);
		let operators = opted_in.len() as u32;
		let mut backings: u32 = 0;
		let mut candidates: Vec<Candidate<T>> = opted_in
			.into_iter()
			.filter(|entry| entry.eligible)
			.filter_map(|entry| {
				let own = T::Operators::bond(&entry.operator);
				let mut backing = T::Pools::backing(&entry.operator, consumer_id, epoch);
				backings = backings.saturating_add(backing.len() as u32);
				backing.retain(|(_, amount)| !amount.is_zero());
				if backing.len() > T::MaxPoolsPerOperator::get() as usize {
					frame_support::defensive!("more pools backing an operator than the bound");
				}
				let pools = ExposurePoolsOf::<T>::truncate_from(backing);
				let stake = pools.iter().fold(own, |acc, (_, amount)| acc.saturating_add(*amount));
				(!stake.is_zero() && stake >= params.min_stake_per_operator).then(|| Candidate {
					operator: entry.operator,
					key: entry.key,
					own,
					pools,
					stake,
					power: Zero::zero(),
				})
			})
			.collect();
		candidates.sort_by(|a, b| b.stake.cmp(&a.stake).then_with(|| a.operator.cmp(&b.operator)));
		candidates.truncate(params.max_operators.min(T::MaxOperatorsPerConsumer::get()) as usize);

		let total = candidates
			.iter()
			.fold(BalanceOf::<T>::zero(), |acc, candidate| acc.saturating_add(candidate.stake));
		let cap = params.power_cap.mul_floor(total);
		for candidate in candidates.iter_mut() {
			candidate.power = candidate.stake.min(cap).max(1u32.into());
		}
		(candidates, operators, backings)
	}

	/// Process `consumer_id` for the transition into `epoch`; returns the weight used.
	///
	/// Pending parameters due at `epoch` are applied. A deregistered consumer loses its set;
	/// an expired registration (`Registered` and `epoch >= registered_at + ActivationPeriod`)
	/// stays as it is, without a set, until it is reaped. Otherwise the set is selected
	/// ([`Self::select`]) and the lifecycle decided: `Registered`/`Paused` → `Active` with at
	/// least `min_operators` members and `escrow >= payment_per_epoch`, `Active` → `Paused`
	/// short of either (operators checked first). An active consumer then brings its members'
	/// reward records and exposure checkpoints in line ([`Self::sync_members`]), pays the epoch
	/// into the rewards account ([`Self::accrue`]) and publishes its set ([`Self::publish`]);
	/// any other loses its set (its members are retired: what they earned stays owed until
	/// claimed).
	///
	/// A consumer none of whose inputs changed ([`Self::is_unchanged`]: active, not in
	/// [`DirtyConsumers`], no parameters due, escrow for the payment) republishes its set as
	/// it is and pays ([`Self::republish`]), without selecting.
	pub fn process_consumer(consumer_id: ConsumerId, epoch: EpochIndex) -> Weight {
		let dirty = DirtyConsumers::<T>::take(consumer_id).is_some();
		let Some(mut record) = ConsumerRecords::<T>::get(consumer_id) else {
			return T::WeightInfo::process_stopped_consumer(0, 0);
		};
		if Self::is_unchanged(&record, epoch, dirty) {
			if let Some(set) = ValidatorSets::<T>::get(consumer_id) {
				return Self::republish(consumer_id, epoch, record, set);
			}
		}
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
		let previous: Vec<T::AccountId> = ValidatorSets::<T>::get(consumer_id)
			.map(|set| set.members.into_iter().map(|(operator, _, _)| operator).collect())
			.unwrap_or_default();

		// Neither may activate: an expired registration may be being reaped, and a reap in
		// progress must not meet a consumer that came back to life.
		if record.status.is_deregistered() || Self::registration_expired(&record, epoch) {
			let retired = Self::retire_members(consumer_id, epoch, &previous);
			if ValidatorSets::<T>::take(consumer_id).is_some() {
				Self::deposit_event(Event::ConsumerStopped { consumer_id, epoch });
			}
			ConsumerRecords::<T>::insert(consumer_id, record);
			return T::WeightInfo::process_stopped_consumer(previous.len() as u32, retired);
		}

		let (members, operators, pools) = Self::select(consumer_id, epoch, &record.params);
		let mut weight = T::WeightInfo::process_consumer(operators, pools);

		let shortfall = if (members.len() as u32) < record.params.min_operators {
			Some(PauseReason::NotEnoughOperators)
		} else if record.escrow < record.params.payment_per_epoch {
			Some(PauseReason::InsufficientEscrow)
		} else {
			None
		};
		match (record.status, shortfall) {
			(ConsumerStatus::Active, None) => {}
			(_, None) => {
				record.status = ConsumerStatus::Active;
				Self::deposit_event(Event::ConsumerActivated { consumer_id, epoch });
			}
			(ConsumerStatus::Active, Some(reason)) => {
				record.status = ConsumerStatus::Paused { reason };
				Self::deposit_event(Event::ConsumerPaused { consumer_id, epoch, reason });
			}
			(ConsumerStatus::Paused { .. }, Some(reason)) => {
				record.status = ConsumerStatus::Paused { reason };
			}
			(_, Some(_)) => {}
		}

		if record.status == ConsumerStatus::Active {
			let (_, retired) = Self::sync_members(consumer_id, epoch, &members, &previous);
			weight.saturating_accrue(T::WeightInfo::process_stopped_consumer(
				previous.len() as u32,
				retired,
			));
			let total_power = members
				.iter()
				.fold(BalanceOf::<T>::zero(), |acc, member| acc.saturating_add(member.power));
			Self::accrue(consumer_id, epoch, &mut record, total_power);
			Self::publish(consumer_id, epoch, &mut record, &members);
		} else {
			let retired = Self::retire_members(consumer_id, epoch, &previous);
			weight.saturating_accrue(T::WeightInfo::process_stopped_consumer(
				previous.len() as u32,
				retired,
			));
			ValidatorSets::<T>::remove(consumer_id);
		}
		ConsumerRecords::<T>::insert(consumer_id, record);
		weight
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
