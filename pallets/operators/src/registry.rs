//! What the other pallets see: the queries, jailing and slashing, and the
//! [`OperatorRegistry`] implementation.

use crate::*;
use alloc::vec::Vec;
use frame_support::{
	traits::{
		fungible::{Balanced, BalancedHold},
		Get, Imbalance, OnUnbalanced,
	},
	weights::Weight,
};
use palisade_primitives::{
	ConsumerId, ConsumerKey, EpochIndex, OperatorRegistry, OptInRemoval, OptedInOperator, PoolId,
};
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchResult, Perbill,
};

impl<T: Config> Pallet<T> {
	/// Whether `who` is registered, not leaving, and not jailed at the current epoch.
	pub fn is_active(who: &T::AccountId) -> bool {
		OperatorRecords::<T>::get(who).is_some_and(|record| record.status.is_active_at(Self::now()))
	}

	/// `who`'s opt-in to `consumer` as it stands, its deregistration applied: `leaving_at` is
	/// the epoch it ends, by its own opt-out or by the operator's deregistration
	/// ([`OptInRecord::with_operator_leaving`]). Read opt-ins through it, not from [`OptIns`].
	pub fn opt_in_of(who: &T::AccountId, consumer: ConsumerId) -> Option<OptInRecord> {
		let opt_in = OptIns::<T>::get(who, consumer)?;
		let operator_leaving_at = OperatorRecords::<T>::get(who).and_then(|r| r.leaving_at);
		Some(opt_in.with_operator_leaving(operator_leaving_at))
	}

	/// Whether `who` is opted in to `consumer` at `epoch` (leaving included).
	pub fn is_opted_in(who: &T::AccountId, consumer: ConsumerId, epoch: EpochIndex) -> bool {
		Self::opt_in_of(who, consumer).is_some_and(|opt_in| opt_in.is_opted_in_at(epoch))
	}

	/// Whether an operator with `record` and `opt_in` may validate its consumer at `epoch`.
	fn eligible(record: &OperatorRecord<T>, opt_in: &OptInRecord, epoch: EpochIndex) -> bool {
		let opt_in = opt_in.with_operator_leaving(record.leaving_at);
		record.status.is_active_at(epoch)
			&& record.bond >= T::MinOperatorBond::get()
			&& opt_in.is_opted_in_at(epoch)
			&& !opt_in.is_leaving()
	}

	/// Whether `who` may be put into `consumer`'s validator set at `epoch`: opted in and not
	/// leaving it, not jailed, not leaving the registry, bond at least `MinOperatorBond`.
	pub fn is_eligible(who: &T::AccountId, consumer: ConsumerId, epoch: EpochIndex) -> bool {
		let (Some(record), Some(opt_in)) =
			(OperatorRecords::<T>::get(who), OptIns::<T>::get(who, consumer))
		else {
			return false;
		};
		Self::eligible(&record, &opt_in, epoch)
	}

	/// `who`'s active bond (zero for a non-operator).
	pub fn bond_of(who: &T::AccountId) -> BalanceOf<T> {
		OperatorRecords::<T>::get(who).map(|record| record.bond).unwrap_or_default()
	}

	/// `who`'s active bond plus unbonding chunks (zero for a non-operator).
	pub fn slashable_balance_of(who: &T::AccountId) -> BalanceOf<T> {
		OperatorRecords::<T>::get(who).and_then(|record| record.total_held()).unwrap_or_default()
	}

	/// The commission `who` charges at `epoch`.
	pub fn commission_at(who: &T::AccountId, epoch: EpochIndex) -> Option<Perbill> {
		OperatorRecords::<T>::get(who).map(|record| record.commission_at(epoch))
	}

	/// The key `who` validates `consumer` with at `epoch`, if opted in then.
	pub fn consumer_key_at(
		who: &T::AccountId,
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> Option<ConsumerKey> {
		Self::opt_in_of(who, consumer)
			.filter(|opt_in| opt_in.is_opted_in_at(epoch))
			.map(|opt_in| opt_in.key_at(epoch))
	}

	/// The operators opted in to `consumer` at `epoch`, with their key then and eligibility.
	pub fn opted_in_operators_at(
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> Vec<OptedInOperator<T::AccountId>> {
		ConsumerOperators::<T>::get(consumer)
			.into_iter()
			.filter_map(|operator| {
				let record = OperatorRecords::<T>::get(&operator)?;
				let opt_in =
					OptIns::<T>::get(&operator, consumer)?.with_operator_leaving(record.leaving_at);
				if !opt_in.is_opted_in_at(epoch) {
					return None;
				}
				let eligible = Self::eligible(&record, &opt_in, epoch);
				Some(OptedInOperator { operator, key: opt_in.key_at(epoch), eligible })
			})
			.collect()
	}

	/// Whether `operator` accepts `pool` as a backer (see [`Pallet::accept_pool`]).
	pub fn accepts_pool(operator: &T::AccountId, pool: PoolId) -> bool {
		AcceptedPools::<T>::get(operator).contains(&pool)
	}

	/// Remove at most `limit` of the opt-ins to `consumer`, from the end of its index (the
	/// most recent first), because its record is being reaped (see
	/// [`OperatorRegistry::remove_consumer_opt_ins`]): each operator taken off the index loses
	/// the opt-in, its keys are released (they stay in [`UsedKeys`]) and its slot is freed,
	/// with an `OptedOut` event at the current epoch. The rest of the index is written back
	/// once (the key removed when nothing remains); nothing is written when nothing was
	/// removed.
	///
	/// Returns how many index entries were taken off (at most `limit`; each is one opt-in) and
	/// how many remain.
	pub(crate) fn do_remove_consumer_opt_ins(consumer: ConsumerId, limit: u32) -> OptInRemoval {
		let now = Self::now();
		let mut operators = ConsumerOperators::<T>::get(consumer);
		let mut removed: u32 = 0;
		while removed < limit {
			let Some(who) = operators.pop() else { break };
			removed = removed.saturating_add(1);
			let Some(mut record) = OperatorRecords::<T>::get(&who) else {
				frame_support::defensive!("consumer index entry without operator");
				continue;
			};
			if !Self::force_remove_opt_in(&who, consumer, now, &mut record.consumers) {
				frame_support::defensive!("consumer index entry without opt-in");
			}
			OperatorRecords::<T>::insert(&who, record);
		}
		let remaining = operators.len() as u32;
		if removed > 0 {
			if operators.is_empty() {
				ConsumerOperators::<T>::remove(consumer);
			} else {
				ConsumerOperators::<T>::insert(consumer, operators);
			}
		}
		OptInRemoval { removed, remaining }
	}

	/// Jail `who` until `until` (see [`OperatorRegistry::jail`]).
	///
	/// A jail ending at or before the current epoch, or shorter than the one already running,
	/// changes nothing. A leaving operator is not jailed (it is already ineligible everywhere
	/// and cannot come back before its record is removed).
	pub(crate) fn do_jail(who: &T::AccountId, until: EpochIndex) -> DispatchResult {
		Self::mutate_operator(who, |record, now| {
			if until <= now {
				return Ok(());
			}
			match record.status {
				OperatorStatus::Leaving => return Ok(()),
				OperatorStatus::Jailed { until: current } if current >= until => return Ok(()),
				OperatorStatus::Active | OperatorStatus::Jailed { .. } => {}
			}
			record.status = OperatorStatus::Jailed { until };
			Self::schedule(until, who, ScheduledChange::Unjail);
			Self::deposit_event(Event::Jailed { operator: who.clone(), until });
			Ok(())
		})
	}

	/// Slash up to `amount` of `who`'s held bond, active bond first, then unbonding chunks
	/// from the most recently unbonded (latest unlock) to the oldest. The funds are taken with
	/// [`BalancedHold::slash`] and the resulting credit goes to `target`: [`Config::OnSlash`],
	/// an account (if the account cannot receive it, e.g. a new account below the existential
	/// deposit, the credit is burnt: a slash never mints and never fails), or burnt.
	///
	/// Returns the amount taken.
	pub(crate) fn do_slash_bond(
		who: &T::AccountId,
		amount: BalanceOf<T>,
		target: SlashTarget<T::AccountId>,
	) -> BalanceOf<T> {
		let Some(mut record) = OperatorRecords::<T>::get(who) else { return Zero::zero() };
		let Some(slashable) = record.total_held() else {
			frame_support::defensive!("operator bond accounting overflows");
			return Zero::zero();
		};
		let wanted = amount.min(slashable);
		if wanted.is_zero() {
			return Zero::zero();
		}
		let (credit, missing) = T::Currency::slash(&Self::hold_reason(), who, wanted);
		if !missing.is_zero() {
			frame_support::defensive!("operator hold below its bond accounting", missing);
		}
		let taken = credit.peek();
		match target {
			SlashTarget::OnSlash => T::OnSlash::on_unbalanced(credit),
			SlashTarget::Account(beneficiary) => {
				if let Err(unpaid) = T::Currency::resolve(&beneficiary, credit) {
					log::warn!(
						target: LOG_TARGET,
						"slash of {who:?} could not be paid to {beneficiary:?}; burnt",
					);
					drop(unpaid);
				}
			}
			SlashTarget::Burn => drop(credit),
		}

		let from_bond = taken.min(record.bond);
		record.bond = record.bond.saturating_sub(from_bond);
		let from_unbonding = taken.saturating_sub(from_bond);
		let mut left = from_unbonding;
		for chunk in record.unbonding.iter_mut().rev() {
			if left.is_zero() {
				break;
			}
			let cut = left.min(chunk.amount);
			chunk.amount = chunk.amount.saturating_sub(cut);
			left = left.saturating_sub(cut);
		}
		record.unbonding.retain(|chunk| !chunk.amount.is_zero());
		let bond = record.bond;
		let scheduled = Self::scheduled_epochs(&record);
		OperatorRecords::<T>::insert(who, record);
		Self::note_operator(who, scheduled);
		Self::deposit_event(Event::BondSlashed {
			operator: who.clone(),
			requested: amount,
			from_bond,
			from_unbonding,
			bond,
		});
		taken
	}
}

impl<T: Config> OperatorRegistry<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn is_operator(who: &T::AccountId) -> bool {
		OperatorRecords::<T>::contains_key(who)
	}

	fn is_active(who: &T::AccountId) -> bool {
		Self::is_active(who)
	}

	fn is_opted_in(who: &T::AccountId, consumer: ConsumerId, epoch: EpochIndex) -> bool {
		Self::is_opted_in(who, consumer, epoch)
	}

	fn is_eligible(who: &T::AccountId, consumer: ConsumerId, epoch: EpochIndex) -> bool {
		Self::is_eligible(who, consumer, epoch)
	}

	fn bond(who: &T::AccountId) -> BalanceOf<T> {
		Self::bond_of(who)
	}

	fn slashable_balance(who: &T::AccountId) -> BalanceOf<T> {
		Self::slashable_balance_of(who)
	}

	fn commission_at(who: &T::AccountId, epoch: EpochIndex) -> Option<Perbill> {
		Self::commission_at(who, epoch)
	}

	fn consumer_key(
		who: &T::AccountId,
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> Option<ConsumerKey> {
		Self::consumer_key_at(who, consumer, epoch)
	}

	fn operator_of_key(consumer: ConsumerId, key: &ConsumerKey) -> Option<T::AccountId> {
		KeyOwners::<T>::get(consumer, key)
	}

	fn opted_in_operators(
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> Vec<OptedInOperator<T::AccountId>> {
		Self::opted_in_operators_at(consumer, epoch)
	}

	fn max_operators_per_consumer() -> u32 {
		T::MaxOperatorsPerConsumer::get()
	}

	fn opted_in_consumers(operator: &T::AccountId) -> Vec<ConsumerId> {
		OperatorRecords::<T>::get(operator)
			.map(|record| record.consumers.into_inner())
			.unwrap_or_default()
	}

	fn opted_in_count(consumer: ConsumerId) -> u32 {
		ConsumerOperators::<T>::decode_len(consumer).unwrap_or(0) as u32
	}

	fn jail(who: &T::AccountId, until: EpochIndex) -> DispatchResult {
		Self::do_jail(who, until)
	}

	fn slash_bond(who: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		Self::do_slash_bond(who, amount, SlashTarget::OnSlash)
	}

	/// Pays the slashed funds to `beneficiary`, or burns them for `None`.
	fn slash_bond_to(
		who: &T::AccountId,
		amount: BalanceOf<T>,
		beneficiary: Option<T::AccountId>,
	) -> BalanceOf<T> {
		let target = match beneficiary {
			Some(account) => SlashTarget::Account(account),
			None => SlashTarget::Burn,
		};
		Self::do_slash_bond(who, amount, target)
	}

	fn accepts_pool(operator: &T::AccountId, pool: PoolId) -> bool {
		Self::accepts_pool(operator, pool)
	}

	fn remove_consumer_opt_ins(consumer: ConsumerId, limit: u32) -> OptInRemoval {
		Self::do_remove_consumer_opt_ins(consumer, limit)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn accept_pool_for_benchmarks(operator: &T::AccountId, pool: PoolId) {
		AcceptedPools::<T>::mutate(operator, |pools| {
			if !pools.contains(&pool) {
				let _ = pools.try_push(pool);
			}
		});
	}

	fn on_new_epoch(epoch: EpochIndex) -> Weight {
		Self::on_epoch_start(epoch)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmarks(
		who: &T::AccountId,
		consumer: ConsumerId,
		key: ConsumerKey,
	) -> DispatchResult {
		use frame_support::traits::fungible::{Inspect, Mutate};
		use palisade_primitives::ConsumerRegistry;
		let bond = T::MinOperatorBond::get();
		let funds =
			bond.saturating_mul(10u32.into()).saturating_add(T::Currency::minimum_balance());
		if !OperatorRecords::<T>::contains_key(who) {
			T::Currency::set_balance(who, funds);
			Self::do_register(who, bond, Perbill::zero(), Default::default())?;
		}
		T::Consumers::register_consumer_for_benchmarks(consumer);
		Self::do_opt_in(who, consumer, key)
	}
}
