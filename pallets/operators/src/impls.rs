//! The logic behind the calls: one `do_*` function per call, plus the helpers they share.

use crate::*;
use frame_support::{
	ensure,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::Precision,
		Contains, Get,
	},
};
use palisade_primitives::{
	ChangeNotes, ChangeSubject, ConsumerId, ConsumerKey, ConsumerRegistry, EpochIndex,
	EpochProvider, PendingSlashes, PoolId,
};
use sp_runtime::{
	traits::{CheckedAdd, CheckedSub, Zero},
	DispatchError, DispatchResult, Perbill,
};

impl<T: Config> Pallet<T> {
	/// The current epoch, from [`Config::EpochInfo`].
	pub(crate) fn now() -> EpochIndex {
		T::EpochInfo::current_epoch()
	}

	/// The hold reason of operator bonds, in the runtime's type.
	pub(crate) fn hold_reason() -> T::RuntimeHoldReason {
		HoldReason::OperatorBond.into()
	}

	/// Read `who`'s record, apply what is due at the current epoch ([`Self::refresh_record`]),
	/// run `f` on it and write it back if `f` succeeds.
	pub(crate) fn mutate_operator<R>(
		who: &T::AccountId,
		f: impl FnOnce(&mut OperatorRecord<T>, EpochIndex) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		let (result, scheduled) = OperatorRecords::<T>::try_mutate(who, |maybe_record| {
			let record = maybe_record.as_mut().ok_or(Error::<T>::NotOperator)?;
			let now = Self::now();
			Self::refresh_record(who, record, now);
			let result = f(record, now)?;
			Ok::<_, DispatchError>((result, Self::scheduled_epochs(record)))
		})?;
		Self::note_operator(who, scheduled);
		Ok(result)
	}

	/// The epochs at which `record` changes by itself: a jail's end, the leaving, a pending
	/// commission.
	pub(crate) fn scheduled_epochs(record: &OperatorRecord<T>) -> [Option<EpochIndex>; 3] {
		let until = match record.status {
			OperatorStatus::Jailed { until } => Some(until),
			OperatorStatus::Active | OperatorStatus::Leaving => None,
		};
		[until, record.leaving_at, record.pending_commission.map(|pending| pending.effective)]
	}

	/// Note, for the consumers' selection, that `who` changed from the next selection on and
	/// that it changes again at each of `scheduled`.
	pub(crate) fn note_operator(who: &T::AccountId, scheduled: [Option<EpochIndex>; 3]) {
		T::Changes::note_change(ChangeSubject::Operator(who.clone()), 0);
		for epoch in scheduled.into_iter().flatten() {
			T::Changes::note_change(ChangeSubject::Operator(who.clone()), epoch);
		}
	}

	/// Register `who`: see [`Pallet::register_operator`].
	pub(crate) fn do_register(
		who: &T::AccountId,
		bond: BalanceOf<T>,
		commission: Perbill,
		metadata: MetadataOf<T>,
	) -> DispatchResult {
		ensure!(!OperatorRecords::<T>::contains_key(who), Error::<T>::AlreadyRegistered);
		ensure!(bond >= T::MinOperatorBond::get(), Error::<T>::BondBelowMinimum);
		ensure!(commission <= T::MaxCommission::get(), Error::<T>::CommissionTooHigh);
		T::Currency::hold(&Self::hold_reason(), who, bond)?;
		let epoch = Self::now();
		let record = OperatorRecord::<T> {
			status: OperatorStatus::Active,
			bond,
			unbonding: Default::default(),
			commission,
			pending_commission: None,
			consumers: Default::default(),
			metadata,
			registered_at: epoch,
			leaving_at: None,
		};
		OperatorRecords::<T>::insert(who, record);
		Self::deposit_event(Event::OperatorRegistered {
			operator: who.clone(),
			bond,
			commission,
			epoch,
		});
		Ok(())
	}

	/// Replace `who`'s metadata: see [`Pallet::update_metadata`].
	pub(crate) fn do_update_metadata(
		who: &T::AccountId,
		metadata: MetadataOf<T>,
	) -> DispatchResult {
		Self::mutate_operator(who, |record, _now| {
			record.metadata = metadata.clone();
			Ok(())
		})?;
		Self::deposit_event(Event::MetadataUpdated { operator: who.clone(), metadata });
		Ok(())
	}

	/// Change `who`'s commission: see [`Pallet::set_commission`].
	pub(crate) fn do_set_commission(who: &T::AccountId, commission: Perbill) -> DispatchResult {
		ensure!(commission <= T::MaxCommission::get(), Error::<T>::CommissionTooHigh);
		Self::mutate_operator(who, |record, now| {
			ensure!(record.status != OperatorStatus::Leaving, Error::<T>::OperatorLeaving);
			// Any due increase was applied by `refresh_record`: `record.commission` is the
			// commission in force now.
			if commission <= record.commission {
				record.commission = commission;
				record.pending_commission = None;
				Self::deposit_event(Event::CommissionChanged {
					operator: who.clone(),
					commission,
					epoch: now,
				});
			} else {
				let effective = now.saturating_add(T::CommissionChangeDelay::get());
				record.pending_commission = Some(PendingCommission { commission, effective });
				Self::schedule(effective, who, ScheduledChange::Commission);
				Self::deposit_event(Event::CommissionIncreaseScheduled {
					operator: who.clone(),
					commission,
					effective_epoch: effective,
				});
			}
			Ok(())
		})
	}

	/// Add to `who`'s bond: see [`Pallet::bond_extra`].
	pub(crate) fn do_bond_extra(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		Self::mutate_operator(who, |record, _now| {
			ensure!(record.status != OperatorStatus::Leaving, Error::<T>::OperatorLeaving);
			let bond = record.bond.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			T::Currency::hold(&Self::hold_reason(), who, amount)?;
			record.bond = bond;
			Self::deposit_event(Event::Bonded { operator: who.clone(), amount, bond });
			Ok(())
		})
	}

	/// Move part of `who`'s bond to unbonding: see [`Pallet::unbond`].
	pub(crate) fn do_unbond(who: &T::AccountId, amount: BalanceOf<T>) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		Self::mutate_operator(who, |record, now| {
			let bond = record.bond.checked_sub(&amount).ok_or(Error::<T>::InsufficientBond)?;
			let leaving = record.status == OperatorStatus::Leaving;
			ensure!(
				bond >= T::MinOperatorBond::get() || (leaving && bond.is_zero()),
				Error::<T>::BondBelowMinimum
			);
			let unlock_epoch = now.saturating_add(T::UnbondingDelay::get());
			if let Some(chunk) =
				record.unbonding.iter_mut().find(|chunk| chunk.unlock_epoch == unlock_epoch)
			{
				chunk.amount = chunk.amount.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			} else {
				record
					.unbonding
					.try_push(UnbondingChunk { amount, unlock_epoch })
					.map_err(|_| Error::<T>::TooManyUnbondingChunks)?;
				// Keep the chunks sorted by unlock epoch even if `UnbondingDelay` was lowered.
				record.unbonding.sort_by_key(|chunk| chunk.unlock_epoch);
			}
			record.bond = bond;
			Self::deposit_event(Event::Unbonded {
				operator: who.clone(),
				amount,
				bond,
				unlock_epoch,
			});
			Ok(())
		})
	}

	/// Release `who`'s unlocked chunks and maybe remove its record: see
	/// [`Pallet::withdraw_unbonded`].
	///
	/// O(1): the opt-outs of a leaving operator are finalised by the epoch-start finalisation
	/// (each was scheduled: [`ScheduledChange::OptOut`] or [`ScheduledChange::Deregistration`]),
	/// not here, so the record goes once that finalisation emptied its `consumers` (at the
	/// start of the epoch the last opt-out takes effect, or a few blocks later under a backlog;
	/// `UnbondingDelay >= OptOutDelay` makes that no later than the unlock of a bond unbonded
	/// after deregistering).
	pub(crate) fn do_withdraw_unbonded(who: &T::AccountId) -> DispatchResult {
		let mut record = OperatorRecords::<T>::get(who).ok_or(Error::<T>::NotOperator)?;
		// A pending slash must find the funds it was computed on, however late it executes.
		ensure!(!T::PendingSlashes::operator_has_pending(who), Error::<T>::SlashPending);
		let now = Self::now();
		Self::refresh_record(who, &mut record, now);

		let mut withdrawn = BalanceOf::<T>::zero();
		for chunk in record.unbonding.iter().filter(|chunk| chunk.unlock_epoch <= now) {
			withdrawn = withdrawn.checked_add(&chunk.amount).ok_or(Error::<T>::Overflow)?;
		}
		record.unbonding.retain(|chunk| chunk.unlock_epoch > now);
		if !withdrawn.is_zero() {
			T::Currency::release(&Self::hold_reason(), who, withdrawn, Precision::Exact)?;
			let unbonding = record.unbonding_total().ok_or(Error::<T>::Overflow)?;
			Self::deposit_event(Event::Withdrawn {
				operator: who.clone(),
				amount: withdrawn,
				unbonding,
			});
		}

		let removable = record.status == OperatorStatus::Leaving
			&& record.bond.is_zero()
			&& record.unbonding.is_empty()
			&& record.consumers.is_empty();
		if removable {
			OperatorRecords::<T>::remove(who);
			AcceptedPools::<T>::remove(who);
			let left = T::Currency::balance_on_hold(&Self::hold_reason(), who);
			if !left.is_zero() {
				frame_support::defensive!("operator hold above its bond accounting", left);
				T::Currency::release(&Self::hold_reason(), who, left, Precision::BestEffort)?;
			}
			Self::deposit_event(Event::OperatorRemoved { operator: who.clone() });
		} else {
			ensure!(!withdrawn.is_zero(), Error::<T>::NothingToWithdraw);
			OperatorRecords::<T>::insert(who, record);
		}
		Ok(())
	}

	/// Opt `who` in to `consumer`: see [`Pallet::opt_in`].
	pub(crate) fn do_opt_in(
		who: &T::AccountId,
		consumer: ConsumerId,
		key: ConsumerKey,
	) -> DispatchResult {
		ensure!(T::Consumers::consumer_exists(consumer), Error::<T>::UnknownConsumer);
		ensure!(T::Consumers::accepts_opt_ins(consumer), Error::<T>::ConsumerNotAccepting);
		Self::mutate_operator(who, |record, now| {
			ensure!(record.status != OperatorStatus::Leaving, Error::<T>::OperatorLeaving);
			// A previous opt-out that came due is finalised first; one still pending blocks.
			ensure!(
				Self::refresh_opt_in(who, consumer, now, record).is_none(),
				Error::<T>::AlreadyOptedIn
			);
			Self::ensure_fresh_key(&key)?;
			record.consumers.try_push(consumer).map_err(|_| Error::<T>::TooManyOptIns)?;
			ConsumerOperators::<T>::try_mutate(consumer, |operators| {
				operators.try_push(who.clone()).map_err(|_| Error::<T>::TooManyOperators)
			})?;
			KeyOwners::<T>::insert(consumer, key, who);
			UsedKeys::<T>::insert(key, (who.clone(), consumer));
			OptIns::<T>::insert(
				who,
				consumer,
				OptInRecord { key, pending_key: None, since: now, leaving_at: None },
			);
			Self::deposit_event(Event::OptedIn {
				operator: who.clone(),
				consumer,
				key,
				epoch: now,
			});
			Ok(())
		})
	}

	/// Rotate `who`'s key for `consumer`: see [`Pallet::set_consumer_key`].
	pub(crate) fn do_set_consumer_key(
		who: &T::AccountId,
		consumer: ConsumerId,
		key: ConsumerKey,
	) -> DispatchResult {
		Self::mutate_operator(who, |record, now| {
			let mut opt_in =
				Self::refresh_opt_in(who, consumer, now, record).ok_or(Error::<T>::NotOptedIn)?;
			ensure!(!opt_in.is_leaving(), Error::<T>::OptOutPending);
			Self::ensure_fresh_key(&key)?;
			if let Some(replaced) = opt_in.pending_key {
				KeyOwners::<T>::remove(consumer, replaced.key);
			}
			let effective = now.saturating_add(1);
			opt_in.pending_key = Some(PendingKey { key, effective });
			KeyOwners::<T>::insert(consumer, key, who);
			UsedKeys::<T>::insert(key, (who.clone(), consumer));
			OptIns::<T>::insert(who, consumer, opt_in);
			T::Changes::note_change(ChangeSubject::Consumer(consumer), effective);
			Self::schedule(effective, who, ScheduledChange::KeyRotation(consumer));
			Self::deposit_event(Event::KeyRotationScheduled {
				operator: who.clone(),
				consumer,
				key,
				effective_epoch: effective,
			});
			Ok(())
		})
	}

	/// Opt `who` out of `consumer`: see [`Pallet::opt_out`].
	pub(crate) fn do_opt_out(who: &T::AccountId, consumer: ConsumerId) -> DispatchResult {
		Self::mutate_operator(who, |record, now| {
			let opt_in =
				Self::refresh_opt_in(who, consumer, now, record).ok_or(Error::<T>::NotOptedIn)?;
			ensure!(!opt_in.is_leaving(), Error::<T>::OptOutPending);
			Self::start_opt_out(who, consumer, opt_in, now);
			Ok(())
		})
	}

	/// Mark `opt_in` (of `who` to `consumer`) as leaving from `now + OptOutDelay` and schedule
	/// its removal.
	fn start_opt_out(
		who: &T::AccountId,
		consumer: ConsumerId,
		mut opt_in: OptInRecord,
		now: EpochIndex,
	) {
		let effective = now.saturating_add(T::OptOutDelay::get());
		opt_in.leaving_at = Some(effective);
		OptIns::<T>::insert(who, consumer, opt_in);
		T::Changes::note_change(ChangeSubject::Consumer(consumer), effective);
		Self::schedule(effective, who, ScheduledChange::OptOut(consumer));
		Self::deposit_event(Event::OptOutScheduled {
			operator: who.clone(),
			consumer,
			effective_epoch: effective,
		});
	}

	/// Make `who` leave the registry: see [`Pallet::deregister`].
	///
	/// O(1) in the number of opt-ins: the record's `leaving_at` ends every opt-in from
	/// `now + OptOutDelay` (an earlier opt-out of its own still ends first), which every query
	/// applies ([`OptInRecord::with_operator_leaving`]), and one
	/// [`ScheduledChange::Deregistration`] finalises them all then, instead of one opt-in write
	/// and one schedule entry per consumer.
	pub(crate) fn do_deregister(who: &T::AccountId) -> DispatchResult {
		ensure!(!T::PendingSlashes::operator_has_pending(who), Error::<T>::SlashPending);
		Self::mutate_operator(who, |record, now| {
			match record.status {
				OperatorStatus::Active => {}
				OperatorStatus::Jailed { .. } => return Err(Error::<T>::OperatorJailed.into()),
				OperatorStatus::Leaving => return Err(Error::<T>::OperatorLeaving.into()),
			}
			let effective = now.saturating_add(T::OptOutDelay::get());
			record.status = OperatorStatus::Leaving;
			record.leaving_at = Some(effective);
			if !record.consumers.is_empty() {
				Self::schedule(effective, who, ScheduledChange::Deregistration);
			}
			Self::deposit_event(Event::Deregistered {
				operator: who.clone(),
				epoch: now,
				effective_epoch: effective,
			});
			Ok(())
		})
	}

	/// `key` may become a consumer key: never registered before by anyone (for any consumer)
	/// and not one of Palisade's own session keys.
	pub(crate) fn ensure_fresh_key(key: &ConsumerKey) -> DispatchResult {
		ensure!(!T::ReservedKeys::contains(key), Error::<T>::ReservedKey);
		ensure!(!UsedKeys::<T>::contains_key(key), Error::<T>::KeyAlreadyUsed);
		Ok(())
	}

	/// Accept `pool` as a backer of `who`: see [`Pallet::accept_pool`].
	pub(crate) fn do_accept_pool(who: &T::AccountId, pool: PoolId) -> DispatchResult {
		let record = OperatorRecords::<T>::get(who).ok_or(Error::<T>::NotOperator)?;
		ensure!(record.status != OperatorStatus::Leaving, Error::<T>::OperatorLeaving);
		AcceptedPools::<T>::try_mutate(who, |pools| {
			ensure!(!pools.contains(&pool), Error::<T>::PoolAlreadyAccepted);
			pools.try_push(pool).map_err(|_| Error::<T>::TooManyAcceptedPools)
		})?;
		Self::deposit_event(Event::PoolAccepted { operator: who.clone(), pool });
		Ok(())
	}

	/// Withdraw `who`'s consent to `pool`: see [`Pallet::reject_pool`].
	pub(crate) fn do_reject_pool(who: &T::AccountId, pool: PoolId) -> DispatchResult {
		ensure!(OperatorRecords::<T>::contains_key(who), Error::<T>::NotOperator);
		AcceptedPools::<T>::try_mutate_exists(who, |maybe_pools| {
			let pools = maybe_pools.as_mut().ok_or(Error::<T>::PoolNotAccepted)?;
			let before = pools.len();
			pools.retain(|accepted| *accepted != pool);
			ensure!(pools.len() < before, Error::<T>::PoolNotAccepted);
			if pools.is_empty() {
				*maybe_pools = None;
			}
			Ok::<_, DispatchError>(())
		})?;
		Self::deposit_event(Event::PoolRejected { operator: who.clone(), pool });
		Ok(())
	}
}
