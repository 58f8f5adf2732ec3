//! What the other pallets and the runtime API see: [`EpochProvider`], [`ConsumerRegistry`],
//! [`ConsumersInterface`], and the query functions behind the `RestakingApi`.

use crate::*;
use alloc::vec::Vec;
use frame_support::traits::Get;
use frame_system::pallet_prelude::BlockNumberFor;
use palisade_primitives::{
	ConsumerId, ConsumerKey, ConsumerRegistry, ConsumersInterface, EpochIndex, EpochProvider,
	ExposureInfo,
};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// The current epoch.
	pub fn current_epoch() -> EpochIndex {
		Self::now()
	}

	/// The block at which the next epoch is due to start (`EpochStart + EpochLength`); it
	/// starts later only if the current transition is not finished by then.
	pub fn next_epoch_start() -> BlockNumberFor<T> {
		EpochStart::<T>::get().saturating_add(EpochLength::<T>::get())
	}

	/// Every consumer id, ascending.
	pub fn consumer_ids() -> Vec<ConsumerId> {
		ConsumerIds::<T>::get().into_inner()
	}

	/// What the runtime API shows about `consumer_id`.
	pub fn consumer_info(
		consumer_id: ConsumerId,
	) -> Option<ConsumerInfo<T::AccountId, BalanceOf<T>>> {
		ConsumerRecords::<T>::get(consumer_id).map(|record| ConsumerInfo {
			admin: record.admin,
			reporter: record.reporter,
			status: record.status,
			escrow: record.escrow,
			escrow_account: Self::escrow_account(consumer_id),
			params: record.params,
			pending_params: record.pending_params,
			genesis_hash: record.genesis_hash,
			metadata: record.metadata.into_inner(),
			registered_at: record.registered_at,
		})
	}

	/// The validator set `consumer_id` has now, if it is active (or deregistered and not yet
	/// stopped by a transition).
	pub fn validator_set(
		consumer_id: ConsumerId,
	) -> Option<ValidatorSetInfo<T::AccountId, BalanceOf<T>>> {
		ValidatorSets::<T>::get(consumer_id).map(|set| ValidatorSetInfo {
			epoch: set.epoch,
			set_id: set.set_id,
			members: set.members.into_inner(),
			set_hash: set.set_hash,
		})
	}

	/// Whether exposures of `epoch` are still kept (`current - ExposureRetention <= epoch <=
	/// current`), whether or not pruning has caught up.
	pub(crate) fn is_retained(epoch: EpochIndex) -> bool {
		epoch >= Self::oldest_retained_epoch() && epoch <= Self::now()
	}
}

impl<T: Config> EpochProvider for Pallet<T> {
	fn current_epoch() -> EpochIndex {
		Self::now()
	}
}

impl<T: Config> ConsumerRegistry for Pallet<T> {
	/// `true` while the consumer's record exists: from registration until the final
	/// `reap_consumer` call removes it (the calls before it removed every remaining opt-in).
	fn consumer_exists(id: ConsumerId) -> bool {
		ConsumerRecords::<T>::contains_key(id)
	}

	/// `true` while the consumer exists, is not deregistered and is not an expired
	/// registration ([`Config::ActivationPeriod`] passed without activating). Neither of those
	/// can get a validator set any more, and both may be reaped: an opt-in arriving while
	/// `reap_consumer` pages through the remaining ones would only stall the reap.
	fn accepts_opt_ins(id: ConsumerId) -> bool {
		ConsumerRecords::<T>::get(id).is_some_and(|record| {
			!record.status.is_deregistered() && !Self::registration_expired(&record, Self::now())
		})
	}

	/// Create a bare consumer record with id `id` (no deposit, admin and reporter a fixed
	/// benchmark account), if there is none.
	#[cfg(feature = "runtime-benchmarks")]
	fn register_consumer_for_benchmarks(id: ConsumerId) {
		let who: T::AccountId = frame_benchmarking::account("consumer-admin", id, 0);
		Self::insert_bare_consumer(id, &who);
	}
}

impl<T: Config> ConsumersInterface<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn reporter(consumer: ConsumerId) -> Option<T::AccountId> {
		ConsumerRecords::<T>::get(consumer).map(|record| record.reporter)
	}

	fn admin(consumer: ConsumerId) -> Option<T::AccountId> {
		ConsumerRecords::<T>::get(consumer).map(|record| record.admin)
	}

	/// The reporter, if it was appointed (and its admin in office) before `epoch`: `epoch >=
	/// reporter_since`.
	fn reporter_at(consumer: ConsumerId, epoch: EpochIndex) -> Option<T::AccountId> {
		ConsumerRecords::<T>::get(consumer)
			.filter(|record| epoch >= record.reporter_since)
			.map(|record| record.reporter)
	}

	/// `Some` iff `operator` was in `consumer`'s set published for `epoch` and `epoch` is
	/// within the last `ExposureRetention` epochs (the checkpoint in force at `epoch`).
	fn exposure(
		epoch: EpochIndex,
		consumer: ConsumerId,
		operator: &T::AccountId,
	) -> Option<ExposureInfo<BalanceOf<T>>> {
		Self::exposure_at(epoch, consumer, operator).map(|exposure| exposure.to_info())
	}

	/// The one epoch set `set_id` was published for, if that epoch is within the last
	/// `ExposureRetention` epochs. Every epoch an active consumer has gets a fresh set id
	/// (never reused, also across a pause), so a set id maps to exactly one epoch, however
	/// long the members stay unchanged: evidence of the latest epoch maps to the latest epoch.
	///
	/// `set_id` is the consumer chain's GRANDPA set id, as signed in its votes: it runs
	/// Palisade set `ChainAnchors(consumer) + set_id` (anchor 0 when not declared).
	fn epoch_of_set(consumer: ConsumerId, set_id: u64) -> Option<EpochIndex> {
		let set_id = ChainAnchors::<T>::get(consumer).unwrap_or(0).checked_add(set_id)?;
		let oldest = Self::oldest_retained_epoch();
		SetHistory::<T>::get(consumer)
			.into_iter()
			.find(|entry| entry.set_id == set_id && entry.epoch >= oldest)
			.map(|entry| entry.epoch)
	}

	fn operator_of_key_at(
		epoch: EpochIndex,
		consumer: ConsumerId,
		key: &ConsumerKey,
	) -> Option<T::AccountId> {
		Self::member_of_key_at(epoch, consumer, key)
	}

	fn exposure_retention() -> EpochIndex {
		T::ExposureRetention::get()
	}

	/// Creates the consumer as a bare record if needed, makes `reporter` its reporter, and
	/// stores the exposure (pools beyond `MaxPoolsPerOperator` are dropped) with its key index
	/// entry.
	#[cfg(feature = "runtime-benchmarks")]
	fn set_exposure_for_benchmarks(
		epoch: EpochIndex,
		consumer: ConsumerId,
		operator: &T::AccountId,
		reporter: &T::AccountId,
		exposure: ExposureInfo<BalanceOf<T>>,
	) {
		Self::insert_bare_consumer(consumer, reporter);
		ConsumerRecords::<T>::mutate(consumer, |maybe_record| {
			if let Some(record) = maybe_record {
				record.reporter = reporter.clone();
			}
		});
		Self::checkpoint(
			consumer,
			operator,
			epoch,
			Some(Exposure::<T> {
				key: exposure.key,
				own: exposure.own,
				pools: ExposurePoolsOf::<T>::truncate_from(exposure.pools),
				total: exposure.total,
			}),
		);
		// Publish set id 0 as the set in force at `epoch`, so evidence benchmarks (GRANDPA
		// proofs signed for a fixed set id) map to this exposure's epoch.
		SetHistory::<T>::mutate(consumer, |history| {
			history.retain(|entry| entry.set_id != 0);
			let _ = history.try_push(SetHistoryEntry { set_id: 0, epoch });
		});
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> Pallet<T> {
	/// Insert a consumer record `id` with `who` as admin, reporter and depositor, no deposit,
	/// permissive parameters and status `Registered`, unless it exists. Keeps the id index
	/// sorted and `NextConsumerId` above every id.
	pub(crate) fn insert_bare_consumer(id: ConsumerId, who: &T::AccountId) {
		use sp_runtime::{traits::Zero, Perbill};
		if ConsumerRecords::<T>::contains_key(id) {
			return;
		}
		let inserted = ConsumerIds::<T>::mutate(|ids| {
			let at = ids.partition_point(|existing| *existing < id);
			ids.try_insert(at, id).is_ok()
		});
		if !inserted {
			log::warn!(target: LOG_TARGET, "no room for benchmark consumer {id}");
			return;
		}
		ConsumerRecords::<T>::insert(
			id,
			ConsumerRecord::<T> {
				admin: who.clone(),
				reporter: who.clone(),
				reporter_since: 0,
				depositor: who.clone(),
				deposit: Zero::zero(),
				metadata: Default::default(),
				genesis_hash: Default::default(),
				params: ConsumerParams {
					min_operators: 1,
					max_operators: T::MaxOperatorsPerConsumer::get(),
					min_stake_per_operator: Zero::zero(),
					power_cap: Perbill::one(),
					payment_per_epoch: Zero::zero(),
				},
				pending_params: None,
				status: ConsumerStatus::Registered,
				escrow: Zero::zero(),
				ledger: Default::default(),
				registered_at: Self::now(),
				last_set: None,
			},
		);
		NextConsumerId::<T>::mutate(|next| *next = (*next).max(id.saturating_add(1)));
	}
}
