//! The logic behind the calls: one `do_*` function per call, plus the helpers they share.

use crate::*;
use frame_support::{
	ensure,
	traits::{
		fungible::{Inspect, Mutate, MutateHold},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use palisade_primitives::{ConsumerId, EpochIndex, OperatorRegistry};
use sp_runtime::{
	traits::{AccountIdConversion, CheckedAdd, CheckedSub, Saturating, Zero},
	DispatchError, DispatchResult,
};

impl<T: Config> Pallet<T> {
	/// The current epoch.
	pub(crate) fn now() -> EpochIndex {
		CurrentEpoch::<T>::get()
	}

	/// The hold reason of registration deposits, in the runtime's type.
	pub(crate) fn hold_reason() -> T::RuntimeHoldReason {
		HoldReason::Registration.into()
	}

	/// The account holding the escrow of `consumer_id`: a sub-account of
	/// [`Config::PalletId`].
	pub fn escrow_account(consumer_id: ConsumerId) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(consumer_id)
	}

	/// Check `params` against the bounds: `1 <= min_operators <= max_operators <=
	/// MaxOperatorsPerConsumer`, `power_cap > 0`.
	pub(crate) fn validate_params(params: &ParamsOf<T>) -> DispatchResult {
		ensure!(params.min_operators >= 1, Error::<T>::ZeroMinOperators);
		ensure!(params.min_operators <= params.max_operators, Error::<T>::MinAboveMax);
		ensure!(
			params.max_operators <= T::MaxOperatorsPerConsumer::get(),
			Error::<T>::TooManyOperators
		);
		ensure!(!params.power_cap.is_zero(), Error::<T>::ZeroPowerCap);
		Ok(())
	}

	/// Run `f` on the record of `consumer_id` if `who` is its admin, and write it back if `f`
	/// succeeds.
	pub(crate) fn mutate_as_admin<R>(
		who: &T::AccountId,
		consumer_id: ConsumerId,
		f: impl FnOnce(&mut ConsumerRecord<T>) -> Result<R, DispatchError>,
	) -> Result<R, DispatchError> {
		ConsumerRecords::<T>::try_mutate(consumer_id, |maybe_record| {
			let record = maybe_record.as_mut().ok_or(Error::<T>::UnknownConsumer)?;
			ensure!(&record.admin == who, Error::<T>::NotAdmin);
			f(record)
		})
	}

	/// Register a consumer for `who`: see [`Pallet::register_consumer`]. Returns its id.
	pub(crate) fn do_register(
		who: &T::AccountId,
		metadata: MetadataOf<T>,
		genesis_hash: H256,
		params: ParamsOf<T>,
	) -> Result<ConsumerId, DispatchError> {
		Self::validate_params(&params)?;
		let consumer_id = NextConsumerId::<T>::get();
		let next = consumer_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		// Ids only grow, so pushing keeps the index sorted.
		ConsumerIds::<T>::try_mutate(|ids| ids.try_push(consumer_id))
			.map_err(|_| Error::<T>::TooManyConsumers)?;

		let deposit = T::RegistrationDeposit::get();
		if !deposit.is_zero() {
			T::Currency::hold(&Self::hold_reason(), who, deposit)?;
		}
		let escrow_account = Self::escrow_account(consumer_id);
		let endowment = T::Currency::minimum_balance();
		if !endowment.is_zero() {
			// The escrow account must stay alive while paying out the whole escrow (pools keep
			// the payer alive), so it holds the existential deposit on top of the escrow.
			T::Currency::transfer(who, &escrow_account, endowment, Preservation::Preserve)?;
		}

		let record = ConsumerRecord::<T> {
			admin: who.clone(),
			reporter: who.clone(),
			reporter_since: Self::now(),
			depositor: who.clone(),
			deposit,
			metadata,
			genesis_hash,
			params,
			pending_params: None,
			status: ConsumerStatus::Registered,
			escrow: Zero::zero(),
			ledger: Default::default(),
			registered_at: Self::now(),
			last_set: None,
		};
		ConsumerRecords::<T>::insert(consumer_id, record);
		NextConsumerId::<T>::put(next);
		Self::deposit_event(Event::ConsumerRegistered {
			consumer_id,
			admin: who.clone(),
			deposit,
			escrow_account,
			params,
		});
		Ok(consumer_id)
	}

	/// Schedule new parameters: see [`Pallet::update_params`].
	pub(crate) fn do_update_params(
		who: &T::AccountId,
		consumer_id: ConsumerId,
		params: ParamsOf<T>,
	) -> DispatchResult {
		Self::validate_params(&params)?;
		let effective_epoch = Self::now().saturating_add(1);
		Self::mutate_as_admin(who, consumer_id, |record| {
			ensure!(!record.status.is_deregistered(), Error::<T>::AlreadyDeregistered);
			record.pending_params = Some(PendingParams { params, effective_epoch });
			Ok(())
		})?;
		Self::deposit_event(Event::ParamsUpdateScheduled { consumer_id, params, effective_epoch });
		Ok(())
	}

	/// Change the reporter: see [`Pallet::set_reporter`].
	pub(crate) fn do_set_reporter(
		who: &T::AccountId,
		consumer_id: ConsumerId,
		reporter: T::AccountId,
	) -> DispatchResult {
		let reports_from = Self::now().saturating_add(1);
		Self::mutate_as_admin(who, consumer_id, |record| {
			record.reporter = reporter.clone();
			record.reporter_since = reports_from;
			Ok(())
		})?;
		Self::deposit_event(Event::ReporterSet { consumer_id, reporter, reports_from });
		Ok(())
	}

	/// Change the admin: see [`Pallet::set_admin`].
	pub(crate) fn do_set_admin(
		who: &T::AccountId,
		consumer_id: ConsumerId,
		admin: T::AccountId,
	) -> DispatchResult {
		// The reporter in force was appointed under the old admin: under the new one it only
		// reaches offences from the next epoch on, as a newly appointed reporter would.
		let reports_from = Self::now().saturating_add(1);
		Self::mutate_as_admin(who, consumer_id, |record| {
			record.admin = admin.clone();
			record.reporter_since = record.reporter_since.max(reports_from);
			Ok(())
		})?;
		Self::deposit_event(Event::AdminSet { consumer_id, admin, reports_from });
		Ok(())
	}

	/// Top up an escrow: see [`Pallet::fund_lease`].
	pub(crate) fn do_fund_lease(
		who: &T::AccountId,
		consumer_id: ConsumerId,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let escrow = ConsumerRecords::<T>::try_mutate(consumer_id, |maybe_record| {
			let record = maybe_record.as_mut().ok_or(Error::<T>::UnknownConsumer)?;
			ensure!(!record.status.is_deregistered(), Error::<T>::AlreadyDeregistered);
			record.escrow = record.escrow.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			record.ledger.funded =
				record.ledger.funded.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			T::Currency::transfer(
				who,
				&Self::escrow_account(consumer_id),
				amount,
				Preservation::Preserve,
			)?;
			Ok::<_, DispatchError>(record.escrow)
		})?;
		Self::deposit_event(Event::LeaseFunded { consumer_id, who: who.clone(), amount, escrow });
		Ok(())
	}

	/// Deregister: see [`Pallet::deregister_consumer`].
	pub(crate) fn do_deregister(who: &T::AccountId, consumer_id: ConsumerId) -> DispatchResult {
		Self::mutate_as_admin(who, consumer_id, |record| Self::mark_deregistered(record))?;
		Self::deposit_deregistered(consumer_id);
		Ok(())
	}

	/// Deregister as governance: see [`Pallet::force_deregister`].
	pub(crate) fn do_force_deregister(consumer_id: ConsumerId) -> DispatchResult {
		ConsumerRecords::<T>::try_mutate(consumer_id, |maybe_record| {
			let record = maybe_record.as_mut().ok_or(Error::<T>::UnknownConsumer)?;
			Self::mark_deregistered(record)
		})?;
		Self::deposit_event(Event::ConsumerForceDeregistered { consumer_id });
		Self::deposit_deregistered(consumer_id);
		Ok(())
	}

	/// Declare the chain's anchor: see [`Pallet::set_chain_anchor`]. `admin` is `None` for
	/// governance.
	pub(crate) fn do_set_chain_anchor(
		admin: Option<&T::AccountId>,
		consumer_id: ConsumerId,
		set_id: u64,
	) -> DispatchResult {
		let record = ConsumerRecords::<T>::get(consumer_id).ok_or(Error::<T>::UnknownConsumer)?;
		if let Some(who) = admin {
			ensure!(&record.admin == who, Error::<T>::NotAdmin);
			ensure!(!ChainAnchors::<T>::contains_key(consumer_id), Error::<T>::AnchorAlreadySet);
		}
		ensure!(
			record.last_set.is_some_and(|last| set_id <= last.set_id),
			Error::<T>::UnknownSetId
		);
		ChainAnchors::<T>::insert(consumer_id, set_id);
		Self::deposit_event(Event::ChainAnchorSet {
			consumer_id,
			set_id,
			by_governance: admin.is_none(),
		});
		Ok(())
	}

	/// Mark `record` deregistered at the current epoch and drop its pending parameters.
	fn mark_deregistered(record: &mut ConsumerRecord<T>) -> DispatchResult {
		ensure!(!record.status.is_deregistered(), Error::<T>::AlreadyDeregistered);
		record.status = ConsumerStatus::Deregistered { last_active_epoch: Self::now() };
		record.pending_params = None;
		Ok(())
	}

	/// Emit `ConsumerDeregistered` for a consumer deregistered now.
	fn deposit_deregistered(consumer_id: ConsumerId) {
		let last_active_epoch = Self::now();
		Self::deposit_event(Event::ConsumerDeregistered {
			consumer_id,
			last_active_epoch,
			refundable_from: Self::refundable_from(last_active_epoch),
		});
	}

	/// The first epoch at which a consumer deregistered with `last_active_epoch` may be
	/// reaped: when the exposures of `last_active_epoch` are no longer kept.
	pub(crate) fn refundable_from(last_active_epoch: EpochIndex) -> EpochIndex {
		last_active_epoch.saturating_add(T::ExposureRetention::get()).saturating_add(1)
	}

	/// Whether `record` is a registration that can no longer activate at `epoch`: `Registered`
	/// and `epoch >= registered_at + ActivationPeriod`. Such a registration is reapable,
	/// accepts no opt-in ([`palisade_primitives::ConsumerRegistry::accepts_opt_ins`]) and is
	/// not activated by the transition into `epoch` ([`Pallet::process_consumer`]): one rule,
	/// so that nothing can be added to a reap under way.
	pub(crate) fn registration_expired(record: &ConsumerRecord<T>, epoch: EpochIndex) -> bool {
		record.status == ConsumerStatus::Registered
			&& epoch >= record.registered_at.saturating_add(T::ActivationPeriod::get())
	}

	/// One call of the reap of a deregistered or expired consumer: see
	/// [`Pallet::reap_consumer`]. Removes at most `limit` (at least 1) of the remaining
	/// opt-ins to it and returns [`ReapStep::Page`]; if none is left but more than one
	/// remembered set, forgets at most `limit` of the oldest and returns [`ReapStep::Sets`];
	/// otherwise refunds, releases, sweeps and removes the record (with its last set) and
	/// returns [`ReapStep::Removed`]. Only that last step moves funds, so the refund happens
	/// once.
	pub(crate) fn do_reap(consumer_id: ConsumerId, limit: u32) -> Result<ReapStep, DispatchError> {
		let mut record =
			ConsumerRecords::<T>::get(consumer_id).ok_or(Error::<T>::UnknownConsumer)?;
		let now = Self::now();
		let escrow_account = Self::escrow_account(consumer_id);
		// Never had a validator set: no exposure to wait for, and the deposit pays the penalty.
		let never_active = record.last_set.is_none();

		let expired = match record.status {
			ConsumerStatus::Deregistered { last_active_epoch } => {
				ensure!(
					never_active || now >= Self::refundable_from(last_active_epoch),
					Error::<T>::TooEarly
				);
				false
			}
			ConsumerStatus::Registered => {
				ensure!(Self::registration_expired(&record, now), Error::<T>::TooEarly);
				true
			}
			ConsumerStatus::Retired { .. } => false,
			ConsumerStatus::Active | ConsumerStatus::Paused { .. } => {
				return Err(Error::<T>::NotReapable.into())
			}
		};

		// A consumer in the middle of its transition step (deregistered while its pages run, or
		// an expired registration being stopped) waits for the step's last page: the step may
		// have written member records that only its remaining pages retire.
		ensure!(
			ConsumerStep::<T>::get().is_none_or(|step| step.consumer_id != consumer_id),
			Error::<T>::InTransition
		);

		// No slash can reach the opt-ins any more (the consumer's last exposures are past
		// their retention, or it never had any): remove them, whoever holds them, a page per
		// call. None can be added meanwhile: a reapable consumer accepts no opt-in.
		let page = T::Operators::remove_consumer_opt_ins(consumer_id, limit.max(1));
		if page.removed > 0 || page.remaining > 0 {
			if page.removed == 0 {
				frame_support::defensive!("the operator registry removed no opt-in of a page");
			}
			Self::deposit_event(Event::ConsumerReapProgress {
				consumer_id,
				opt_ins_removed: page.removed,
				opt_ins_remaining: page.remaining,
			});
			return Ok(ReapStep::Page { removed: page.removed, remaining: page.remaining });
		}

		// Then the remembered sets, oldest first, a page per call, the newest kept (the set
		// history keeps ending with the record's last set until the record goes). All are
		// outside the retention by now: no evidence maps to them any more.
		if let Some(step) = Self::forget_old_sets(consumer_id, limit.max(1)) {
			return Ok(step);
		}

		// The final step: nothing points at the consumer in the operator registry any more,
		// and at most its newest set is remembered.
		if expired {
			Self::deposit_event(Event::ConsumerExpired { consumer_id });
		}
		let amount = record.escrow;
		if !amount.is_zero() {
			// The account keeps its existential deposit: `Preserve` cannot fail for lack of
			// funds while the escrow is covered.
			T::Currency::transfer(&escrow_account, &record.admin, amount, Preservation::Preserve)?;
		}
		if !matches!(record.status, ConsumerStatus::Retired { .. }) {
			record.ledger.refunded =
				record.ledger.refunded.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			record.escrow = Zero::zero();
			Self::deposit_event(Event::EscrowRefunded {
				consumer_id,
				admin: record.admin.clone(),
				amount,
			});
		}

		let penalty = if never_active {
			T::UnactivatedPenalty::get().mul_ceil(record.deposit)
		} else {
			Zero::zero()
		};
		let penalty = if penalty.is_zero() {
			Zero::zero()
		} else {
			T::Currency::burn_held(
				&Self::hold_reason(),
				&record.depositor,
				penalty,
				Precision::BestEffort,
				Fortitude::Force,
			)?
		};
		let rest = record.deposit.saturating_sub(penalty);
		let deposit = if rest.is_zero() {
			Zero::zero()
		} else {
			T::Currency::release(
				&Self::hold_reason(),
				&record.depositor,
				rest,
				Precision::BestEffort,
			)?
		};
		let left = T::Currency::reducible_balance(
			&escrow_account,
			Preservation::Expendable,
			Fortitude::Polite,
		);
		let swept = if left.is_zero() {
			Zero::zero()
		} else {
			T::Currency::transfer(
				&escrow_account,
				&record.depositor,
				left,
				Preservation::Expendable,
			)
			.unwrap_or_else(|error| {
				log::warn!(
					target: LOG_TARGET,
					"could not sweep the escrow account of consumer {consumer_id}: {error:?}",
				);
				Zero::zero()
			})
		};
		ConsumerRecords::<T>::remove(consumer_id);
		ConsumerIds::<T>::mutate(|ids| ids.retain(|id| *id != consumer_id));
		DirtyConsumers::<T>::remove(consumer_id);
		ValidatorSets::<T>::remove(consumer_id);
		// At most one entry left (the newest): the pages forgot the others.
		for entry in SetHistory::<T>::take(consumer_id) {
			PublishedSets::<T>::remove(consumer_id, entry.set_id);
		}
		ChainAnchors::<T>::remove(consumer_id);
		Self::deposit_event(Event::ConsumerRemoved {
			consumer_id,
			depositor: record.depositor,
			deposit,
			penalty,
			swept,
		});
		Ok(ReapStep::Removed)
	}

	/// A page of a reap's set clearing: if `consumer_id` remembers more than one validator
	/// set, forget at most `limit` of the oldest (their [`PublishedSets`] entries and
	/// [`SetHistory`] entries), keeping at least the newest, emit `ConsumerReapSetsProgress`
	/// and return [`ReapStep::Sets`]. `None` (nothing written) if at most one is left.
	fn forget_old_sets(consumer_id: ConsumerId, limit: u32) -> Option<ReapStep> {
		let history = SetHistory::<T>::get(consumer_id);
		let removable = history.len().saturating_sub(1);
		if removable == 0 {
			return None;
		}
		let count = removable.min(limit as usize);
		let (old, kept) = history.split_at_checked(count)?;
		for entry in old {
			PublishedSets::<T>::remove(consumer_id, entry.set_id);
		}
		let remaining = kept.len() as u32;
		SetHistory::<T>::insert(consumer_id, SetHistoryOf::<T>::truncate_from(kept.to_vec()));
		let removed = count as u32;
		Self::deposit_event(Event::ConsumerReapSetsProgress {
			consumer_id,
			sets_removed: removed,
			sets_remaining: remaining,
		});
		Some(ReapStep::Sets { removed, remaining })
	}

	/// Take `amount` out of `record`'s escrow and ledger as paid. `amount` never exceeds the
	/// escrow (the payment is checked against it first); a violation is reported and the
	/// escrow saturates at zero.
	pub(crate) fn book_payment(record: &mut ConsumerRecord<T>, amount: BalanceOf<T>) {
		match record.escrow.checked_sub(&amount) {
			Some(escrow) => record.escrow = escrow,
			None => {
				frame_support::defensive!("lease payment above the escrow");
				record.escrow = Zero::zero();
			}
		}
		record.ledger.paid = record.ledger.paid.saturating_add(amount);
	}
}
