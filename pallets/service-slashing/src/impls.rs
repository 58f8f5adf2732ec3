//! What the calls do: reports, evidence, veto, parameters, and the queries a runtime API
//! serves.

use crate::{evidence::EquivocationClaim, *};
use alloc::vec::Vec;
use frame_support::{ensure, traits::Get};
use palisade_primitives::{
	ConsumerId, ConsumersInterface, EpochIndex, EpochProvider, ExposureInfo,
};
use sp_runtime::{traits::Saturating, DispatchError, DispatchResult, Perbill};

impl<T: Config> Pallet<T> {
	/// The current restaking epoch.
	pub(crate) fn now() -> EpochIndex {
		T::EpochInfo::current_epoch()
	}

	/// File a subjective report by `who`, which must be `consumer`'s reporter. Returns the
	/// number of pools in the exposure (for the weight).
	pub(crate) fn do_report_offence(
		who: &T::AccountId,
		consumer: ConsumerId,
		operator: T::AccountId,
		kind: OffenceKind,
		epoch: EpochIndex,
		details: DetailsOf<T>,
	) -> Result<u32, DispatchError> {
		ensure!(T::Consumers::reporter(consumer).as_ref() == Some(who), Error::<T>::NotReporter);
		let now = Self::now();
		Self::ensure_reportable(epoch, now)?;
		ensure!(
			!Reported::<T>::contains_key(epoch, (consumer, &operator, kind)),
			Error::<T>::DuplicateReport
		);
		let exposure =
			T::Consumers::exposure(epoch, consumer, &operator).ok_or(Error::<T>::NoExposure)?;
		let pools = exposure.pools.len() as u32;
		Self::create_pending(
			consumer,
			operator,
			kind,
			epoch,
			now,
			None,
			Evidence::Reported(details),
			&exposure,
		)?;
		Ok(pools)
	}

	/// File GRANDPA equivocation evidence by `who`. Returns the number of pools in the
	/// exposure (for the weight).
	///
	/// The cheap checks (known set, window, duplicate, known offender, exposure) run before the
	/// signature checks; any failure fails the call.
	pub(crate) fn do_report_equivocation(
		who: &T::AccountId,
		consumer: ConsumerId,
		proof: EquivocationProofOf,
	) -> Result<u32, DispatchError> {
		let claim = EquivocationClaim::of(&proof);
		let epoch =
			T::Consumers::epoch_of_set(consumer, claim.set_id).ok_or(Error::<T>::UnknownSetId)?;
		let now = Self::now();
		Self::ensure_reportable(epoch, now)?;
		ensure!(
			!ReportedEquivocations::<T>::contains_key(
				epoch,
				(consumer, claim.offender, claim.set_id, claim.round)
			),
			Error::<T>::DuplicateReport
		);
		let operator = T::Consumers::operator_of_key_at(epoch, consumer, &claim.offender)
			.ok_or(Error::<T>::UnknownOffender)?;
		let exposure =
			T::Consumers::exposure(epoch, consumer, &operator).ok_or(Error::<T>::NoExposure)?;
		ensure!(evidence::verify(proof), Error::<T>::InvalidEquivocationProof);
		let pools = exposure.pools.len() as u32;
		Self::create_pending(
			consumer,
			operator,
			OffenceKind::Equivocation,
			epoch,
			now,
			Some(who.clone()),
			Evidence::GrandpaEquivocation {
				set_id: claim.set_id,
				round: claim.round,
				key: claim.offender,
			},
			&exposure,
		)?;
		Ok(pools)
	}

	/// An offence of `epoch` may be reported at `now`: not in the future, within the report
	/// window, and not older than the pruned records (which the window already implies).
	fn ensure_reportable(epoch: EpochIndex, now: EpochIndex) -> DispatchResult {
		ensure!(epoch <= now, Error::<T>::FutureEpoch);
		ensure!(now - epoch <= Params::<T>::get().report_window, Error::<T>::OutsideReportWindow);
		ensure!(epoch >= EpochCursors::<T>::get().prune_from, Error::<T>::OutsideReportWindow);
		Ok(())
	}

	/// Record a pending slash of `operator` for `kind` on `consumer` in `epoch`, reported at
	/// `now`, due `veto_delay` epochs later, with the duplicate-detection record of its
	/// `evidence`. Emits `OffenceReported` with the estimated amounts from `exposure`. Returns
	/// the slash id.
	#[allow(clippy::too_many_arguments)]
	pub(crate) fn create_pending(
		consumer: ConsumerId,
		operator: T::AccountId,
		kind: OffenceKind,
		epoch: EpochIndex,
		now: EpochIndex,
		reporter: Option<T::AccountId>,
		evidence: Evidence<DetailsOf<T>>,
		exposure: &ExposureInfo<T::Balance>,
	) -> Result<SlashId, DispatchError> {
		let params = Params::<T>::get();
		let fraction = params.fraction_of(kind);
		let due_epoch = now.checked_add(params.veto_delay).ok_or(Error::<T>::Overflow)?;
		let slash_id = NextSlashId::<T>::get();
		NextSlashId::<T>::put(slash_id.checked_add(1).ok_or(Error::<T>::Overflow)?);

		// Estimates, rounded up like the execution (slashes round against the slashed).
		let bond_amount = fraction.mul_ceil(exposure.own);
		let pool_amounts: Vec<_> = exposure
			.pools
			.iter()
			.map(|(pool, backing)| (*pool, fraction.mul_ceil(*backing)))
			.collect();
		let pools_total = pool_amounts
			.iter()
			.fold(T::Balance::default(), |total, (_, amount)| total.saturating_add(*amount));

		match &evidence {
			Evidence::Reported(_) => {
				Reported::<T>::insert(epoch, (consumer, operator.clone(), kind), slash_id)
			}
			Evidence::GrandpaEquivocation { set_id, round, key } => {
				ReportedEquivocations::<T>::insert(
					epoch,
					(consumer, *key, *set_id, *round),
					slash_id,
				)
			}
		}
		PendingSlashes::<T>::insert(
			slash_id,
			PendingSlash {
				consumer_id: consumer,
				operator: operator.clone(),
				kind,
				epoch,
				fraction,
				reporter: reporter.clone(),
				reported_at: now,
				due_epoch,
				bond_amount,
				pools_amount: pools_total,
				evidence,
			},
		);
		SlashesDue::<T>::insert(due_epoch, slash_id, ());

		Self::deposit_event(Event::OffenceReported {
			slash_id,
			consumer_id: consumer,
			operator,
			kind,
			epoch,
			fraction,
			due_epoch,
			reporter,
			bond_amount,
			pool_amounts,
			pools_total,
		});
		Ok(slash_id)
	}

	/// Cancel pending slash `slash_id` (the caller checked the origin).
	pub(crate) fn do_cancel_slash(slash_id: SlashId) -> DispatchResult {
		let slash = PendingSlashes::<T>::take(slash_id).ok_or(Error::<T>::UnknownSlash)?;
		SlashesDue::<T>::remove(slash.due_epoch, slash_id);
		Self::deposit_event(Event::SlashCancelled {
			slash_id,
			consumer_id: slash.consumer_id,
			operator: slash.operator,
			kind: slash.kind,
			epoch: slash.epoch,
		});
		Ok(())
	}

	/// Replace the parameters (the caller checked the origin).
	pub(crate) fn do_set_params(params: SlashingParams) -> DispatchResult {
		Self::check_params(&params)?;
		let old = Params::<T>::get();
		Params::<T>::put(params.clone());
		Self::deposit_event(Event::SlashingParamsSet { old, new: params });
		Ok(())
	}

	/// Whether `params` are within the hard bounds and nest with the other pallets' delays
	/// and the consumers' exposure retention (see the crate documentation).
	pub fn check_params(params: &SlashingParams) -> Result<(), Error<T>> {
		let max_fraction = T::MaxSlashFraction::get();
		ensure!(
			[
				params.downtime,
				params.equivocation,
				params.misbehaviour,
				params.max_fraction_per_epoch
			]
			.iter()
			.all(|fraction| *fraction <= max_fraction),
			Error::<T>::FractionTooHigh
		);
		ensure!(
			params.reporter_reward <= T::MaxReporterReward::get(),
			Error::<T>::ReporterRewardTooHigh
		);
		ensure!(params.jail_length <= T::MaxJailLength::get(), Error::<T>::JailTooLong);
		ensure!(params.veto_delay >= T::MinVetoDelay::get().max(1), Error::<T>::VetoDelayTooShort);
		let span = params.slashable_span().ok_or(Error::<T>::DelaysDoNotNest)?;
		ensure!(
			T::WithdrawalDelay::get() > span
				&& T::OptOutDelay::get() >= span
				&& T::DeallocationDelay::get() >= span
				&& T::UnbondingDelay::get() >= span
				&& T::Consumers::exposure_retention() >= span,
			Error::<T>::DelaysDoNotNest
		);
		Ok(())
	}

	/// Every pending slash, in id order, with its due epoch and estimated amounts (for a
	/// runtime API).
	pub fn pending_slashes() -> Vec<(SlashId, PendingSlashOf<T>)> {
		let mut slashes: Vec<_> = PendingSlashes::<T>::iter().collect();
		slashes.sort_by_key(|(id, _)| *id);
		slashes
	}

	/// The pending slashes for offences on `consumer`, in id order (for a runtime API).
	pub fn pending_slashes_of(consumer: ConsumerId) -> Vec<(SlashId, PendingSlashOf<T>)> {
		let mut slashes: Vec<_> = PendingSlashes::<T>::iter()
			.filter(|(_, slash)| slash.consumer_id == consumer)
			.collect();
		slashes.sort_by_key(|(id, _)| *id);
		slashes
	}

	/// The pending slashes of `operator`, in id order (for a runtime API).
	pub fn pending_slashes_of_operator(
		operator: &T::AccountId,
	) -> Vec<(SlashId, PendingSlashOf<T>)> {
		let mut slashes: Vec<_> =
			PendingSlashes::<T>::iter().filter(|(_, slash)| &slash.operator == operator).collect();
		slashes.sort_by_key(|(id, _)| *id);
		slashes
	}

	/// The slashing parameters in force (for a runtime API).
	pub fn params() -> SlashingParams {
		Params::<T>::get()
	}

	/// The fraction already applied to `operator`'s exposures of offence epoch `epoch`, and
	/// what the throttle still allows.
	pub fn throttle(epoch: EpochIndex, operator: &T::AccountId) -> (Perbill, Perbill) {
		let applied = AppliedFractions::<T>::get(epoch, operator).unwrap_or_default();
		let remaining = Params::<T>::get().max_fraction_per_epoch.saturating_sub(applied);
		(applied, remaining)
	}
}
