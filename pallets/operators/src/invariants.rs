//! Storage invariants, checked by `try_state` and after every unit test.

use crate::*;
use alloc::{collections::btree_set::BTreeSet, vec::Vec};
use frame_support::{
	ensure,
	traits::{fungible::InspectHold, Contains, Get},
};
use palisade_primitives::{ConsumerId, ConsumerRegistry};
use sp_runtime::{traits::Zero, TryRuntimeError};

impl<T: Config> Pallet<T> {
	/// Check the pallet's storage invariants:
	///
	/// 1. For every operator, the balance held for [`HoldReason::OperatorBond`] equals its
	///    active bond plus the sum of its unbonding chunks (recomputed from scratch).
	/// 2. Unbonding chunks are non-empty, sorted by unlock epoch, one per unlock epoch.
	/// 3. Commission is at most `MaxCommission`; a pending commission is higher than the current
	///    one and at most `MaxCommission`.
	/// 4. An operator's `consumers` list has no duplicate and is exactly the set of consumers
	///    it has an [`OptIns`] entry for. An operator is leaving ([`OperatorStatus::Leaving`])
	///    exactly when its record has a `leaving_at`, and then, while it has opt-ins, its
	///    [`ScheduledChange::Deregistration`] is scheduled at or after that epoch (so every
	///    opt-in, which it ends, will be removed).
	/// 5. Every opt-in belongs to a registered operator and a consumer that exists, is listed in
	///    that consumer's [`ConsumerOperators`] index, and its key (and pending key, different
	///    from it) map back to the operator in [`KeyOwners`].
	/// 6. Every [`ConsumerOperators`] index is non-empty, has no duplicate, and each entry has
	///    an opt-in to that consumer.
	/// 7. Every [`KeyOwners`] entry is the current or pending key of its operator's opt-in to
	///    that consumer, and is recorded in [`UsedKeys`] for that operator and consumer. With 5
	///    this makes the reverse index exact and keys unique across every consumer (a key is
	///    in [`UsedKeys`] once), and no reserved (Palisade session) key is in force.
	/// 8. [`ScheduledCount`] matches the number of [`Schedule`] entries of each epoch (never
	///    zero), and no entry is left for an epoch before [`FinaliseCursor`].
	/// 9. [`AcceptedPools`] entries belong to registered operators, are non-empty, have no
	///    duplicate and are at most `MaxAcceptedPools` long.
	///
	/// A bond below `MinOperatorBond` is not an invariant violation: slashing can cause it
	/// (the operator is then not eligible until it bonds more).
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let max_commission = T::MaxCommission::get();
		for (who, record) in OperatorRecords::<T>::iter() {
			// 1.
			let expected = record.total_held().ok_or("bond accounting overflows")?;
			ensure!(
				T::Currency::balance_on_hold(&Self::hold_reason(), &who) == expected,
				"held balance differs from bond + unbonding"
			);
			// 2.
			ensure!(
				record.unbonding.iter().all(|chunk| !chunk.amount.is_zero()),
				"empty unbonding chunk"
			);
			ensure!(
				record.unbonding.windows(2).all(|pair| match pair {
					[a, b] => a.unlock_epoch < b.unlock_epoch,
					_ => true,
				}),
				"unbonding chunks not strictly sorted by unlock epoch"
			);
			// 3.
			ensure!(record.commission <= max_commission, "commission above maximum");
			if let Some(pending) = record.pending_commission {
				ensure!(
					pending.commission > record.commission && pending.commission <= max_commission,
					"pending commission not an increase within the maximum"
				);
			}
			// 4.
			let listed: BTreeSet<ConsumerId> = record.consumers.iter().copied().collect();
			ensure!(listed.len() == record.consumers.len(), "duplicate consumer in opt-in list");
			let stored: BTreeSet<ConsumerId> =
				OptIns::<T>::iter_prefix(&who).map(|(consumer, _)| consumer).collect();
			ensure!(listed == stored, "opt-in list differs from stored opt-ins");
			ensure!(
				(record.status == OperatorStatus::Leaving) == record.leaving_at.is_some(),
				"leaving status and leaving epoch disagree"
			);
			if let Some(leaving_at) = record.leaving_at {
				if !record.consumers.is_empty() {
					let key = (who.clone(), ScheduledChange::Deregistration);
					ensure!(
						Schedule::<T>::iter_keys()
							.any(|(epoch, entry)| entry == key && epoch >= leaving_at),
						"leaving operator's opt-outs not scheduled"
					);
				}
			}
		}

		// 5.
		for (who, consumer, opt_in) in OptIns::<T>::iter() {
			ensure!(OperatorRecords::<T>::contains_key(&who), "opt-in of an unknown operator");
			ensure!(T::Consumers::consumer_exists(consumer), "opt-in for an unknown consumer");
			ensure!(
				ConsumerOperators::<T>::get(consumer).contains(&who),
				"opt-in missing from the consumer index"
			);
			ensure!(
				KeyOwners::<T>::get(consumer, opt_in.key).as_ref() == Some(&who),
				"consumer key not reserved for its operator"
			);
			if let Some(pending) = opt_in.pending_key {
				ensure!(pending.key != opt_in.key, "pending key equals current key");
				ensure!(
					KeyOwners::<T>::get(consumer, pending.key).as_ref() == Some(&who),
					"pending consumer key not reserved for its operator"
				);
			}
		}

		// 6.
		for (consumer, operators) in ConsumerOperators::<T>::iter() {
			ensure!(!operators.is_empty(), "empty consumer index stored");
			let unique: BTreeSet<&T::AccountId> = operators.iter().collect();
			ensure!(unique.len() == operators.len(), "duplicate operator in consumer index");
			ensure!(
				operators.iter().all(|who| OptIns::<T>::contains_key(who, consumer)),
				"consumer index entry without opt-in"
			);
		}

		// 7.
		for (consumer, key, who) in KeyOwners::<T>::iter() {
			let opt_in = OptIns::<T>::get(&who, consumer).ok_or("key owner not opted in")?;
			ensure!(
				opt_in.key == key || opt_in.pending_key.map(|pending| pending.key) == Some(key),
				"reserved key is neither current nor pending key of its owner"
			);
			ensure!(
				UsedKeys::<T>::get(key) == Some((who.clone(), consumer)),
				"consumer key in force not recorded as used by its operator and consumer"
			);
			ensure!(!T::ReservedKeys::contains(&key), "a Palisade session key is a consumer key");
		}

		// 8.
		let mut counted: Vec<(u32, u32)> = Vec::new();
		for (epoch, _) in Schedule::<T>::iter_keys() {
			match counted.iter_mut().find(|(e, _)| *e == epoch) {
				Some((_, n)) => *n = n.saturating_add(1),
				None => counted.push((epoch, 1)),
			}
		}
		for (epoch, n) in &counted {
			ensure!(ScheduledCount::<T>::get(epoch) == *n, "scheduled count mismatch");
		}
		let cursor = FinaliseCursor::<T>::get();
		for (epoch, n) in ScheduledCount::<T>::iter() {
			ensure!(n > 0, "zero scheduled count stored");
			ensure!(counted.iter().any(|(e, _)| *e == epoch), "count for an empty schedule");
			ensure!(epoch >= cursor, "scheduled change left behind the finalisation cursor");
		}

		// 9.
		for (who, pools) in AcceptedPools::<T>::iter() {
			ensure!(OperatorRecords::<T>::contains_key(&who), "accepted pools of a non-operator");
			ensure!(!pools.is_empty(), "empty accepted pools stored");
			let unique: BTreeSet<_> = pools.iter().collect();
			ensure!(unique.len() == pools.len(), "pool accepted twice");
		}
		Ok(())
	}
}
