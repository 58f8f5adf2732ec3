//! Lazy rewards (F1 style): a consumer's epoch payment is one transfer into the rewards
//! account and one write of its cumulative reward per unit of power; members of its set are
//! settled only when they change, leave the set, or someone claims; operators and pools claim
//! what they are owed.
//!
//! ## The accounting
//!
//! - Consumer `c` keeps `RewardPerPower[c]` (`I`, scaled by [`REWARD_SCALE`]). Paying `P` to a
//!   set of total power `S` adds `floor(P × SCALE / S)` to it and moves `P` from the escrow
//!   into [`Pallet::rewards_account`].
//! - Member `(operator, c)` keeps its power `w`, stake composition (own bond, pools' backing),
//!   commission and the `I` of its last settlement `I₀`. Settling it at `I` computes its share
//!   `A = floor(w × (I − I₀) / SCALE)` and splits it exactly as an eager payment would: the
//!   commission `floor(commission × A)` and `floor(rest × own / stake)` to the operator,
//!   `floor(rest × backing / stake)` to each pool; `I₀ := I`.
//! - A member is settled (at the `I` *before* the epoch's payment) whenever the transition
//!   changes its power, composition or commission, and when it leaves the set; so between two
//!   settlements its power is constant and `Σ A ≤ P` for every payment: the rewards account
//!   never owes more than it holds. What rounding leaves is dust, kept in the account
//!   ([`crate::RewardTotals`]).
//! - Claims (anyone may call them; the money goes to the operator or into the pool):
//!   `claim_operator_rewards` settles the operator's memberships and pays its part;
//!   `claim_pool_rewards` settles the pool's memberships ([`crate::PoolMembers`]) and pays its
//!   part into the pool (`PoolsInterface::add_rewards`). What a member that left owed stays in
//!   [`crate::OperatorRewards`] / [`crate::PoolRewards`] until claimed.
//! - The pools pallet claims a pool's rewards before the pool's first deposit or withdrawal
//!   request of each epoch ([`PoolRewardsSource`]), so the LRT rate a restaker enters or leaves
//!   at includes what the pool earned before.

use crate::*;
use alloc::{collections::btree_set::BTreeSet, vec::Vec};
use frame_support::{
	pallet_prelude::*,
	storage::with_storage_layer,
	traits::{fungible::Mutate, tokens::Preservation},
	weights::Weight,
};
use palisade_primitives::{
	ConsumerId, EpochIndex, OperatorRegistry, PoolId, PoolRewardsSource, PoolsInterface,
};
use sp_arithmetic::{helpers_128bit::multiply_by_rational_with_rounding, Rounding};
use sp_runtime::{
	traits::{AccountIdConversion, Saturating, UniqueSaturatedFrom, UniqueSaturatedInto, Zero},
	Perbill,
};

use crate::set::{mul_div_floor, Candidate};

/// `a × b / c` in 128 bits, rounded down; zero if `c` is zero or the result does not fit.
fn mul_div_u128(a: u128, b: u128, c: u128) -> u128 {
	if c == 0 {
		return 0;
	}
	multiply_by_rational_with_rounding(a, b, c, Rounding::Down).unwrap_or_else(|| {
		frame_support::defensive!("reward arithmetic out of range");
		0
	})
}

impl<T: Config> Pallet<T> {
	/// The account consumer payments wait in until claimed: a sub-account of
	/// [`Config::PalletId`] distinct from every escrow account. Kept alive by the existential
	/// deposit minted into it at genesis.
	pub fn rewards_account() -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(b"rewards")
	}

	/// Split what `member` earned since its last settlement, at the consumer's reward per
	/// power `index`, into its owed amounts (see the module doc).
	pub(crate) fn settle(member: &mut MemberRecord<T>, index: u128) {
		let delta = index.saturating_sub(member.reward_per_power);
		member.reward_per_power = index;
		if delta == 0 || member.power.is_zero() {
			return;
		}
		let share: BalanceOf<T> = BalanceOf::<T>::unique_saturated_from(mul_div_u128(
			member.power.unique_saturated_into(),
			delta,
			REWARD_SCALE,
		));
		let commission = member.commission.mul_floor(share);
		let rest = share.saturating_sub(commission);
		let own_part = mul_div_floor(rest, member.own, member.stake);
		member.owed = member.owed.saturating_add(commission).saturating_add(own_part);
		for pool in member.pools.iter_mut() {
			pool.owed = pool.owed.saturating_add(mul_div_floor(rest, pool.backing, member.stake));
		}
	}

	/// What `member` would be owed in total (operator and pools) if settled at `index`, without
	/// changing it.
	pub(crate) fn preview(member: &MemberRecord<T>, index: u128) -> MemberRecord<T> {
		let mut preview = member.clone();
		Self::settle(&mut preview, index);
		preview
	}

	/// The member record `candidate` would have, commission `commission`, everything owed
	/// zero, settled at `index`.
	fn fresh_member(candidate: &Candidate<T>, commission: Perbill, index: u128) -> MemberRecord<T> {
		MemberRecord {
			key: candidate.key,
			power: candidate.power,
			own: candidate.own,
			stake: candidate.stake,
			commission,
			reward_per_power: index,
			owed: Zero::zero(),
			pools: MemberPoolsOf::<T>::truncate_from(
				candidate
					.pools
					.iter()
					.map(|(pool, backing)| MemberPool {
						pool: *pool,
						backing: *backing,
						owed: Zero::zero(),
					})
					.collect(),
			),
		}
	}

	/// Whether `member` is exposed exactly as `fresh` (same key, own bond and pool backing).
	fn same_exposure(member: &MemberRecord<T>, fresh: &MemberRecord<T>) -> bool {
		member.key == fresh.key
			&& member.own == fresh.own
			&& member.stake == fresh.stake
			&& member.pools.len() == fresh.pools.len()
			&& member
				.pools
				.iter()
				.zip(fresh.pools.iter())
				.all(|(old, new)| old.pool == new.pool && old.backing == new.backing)
	}

	/// Whether `member` earns and is exposed exactly as `fresh` (also same power and
	/// commission).
	fn unchanged(member: &MemberRecord<T>, fresh: &MemberRecord<T>) -> bool {
		Self::same_exposure(member, fresh)
			&& member.power == fresh.power
			&& member.commission == fresh.commission
	}

	/// Bring the reward records and exposure checkpoints of `consumer_id` in line with its new
	/// set `members` for `epoch`, at the consumer's reward per power *before* this epoch's
	/// payment: a member whose power, composition or commission changed is settled and
	/// rewritten (its owed amounts kept; a pool that no longer backs it takes its owed amount
	/// to [`PoolRewards`]), with a new exposure checkpoint if its key, own bond or backing
	/// changed; an unchanged member is not written; a member of the previous set `previous`
	/// that is not in `members` is retired ([`Self::retire_member`]).
	///
	/// Returns (members written, pools of the members retired).
	pub(crate) fn sync_members(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
		members: &[Candidate<T>],
		previous: &[T::AccountId],
	) -> (u32, u32) {
		let index = RewardPerPower::<T>::get(consumer_id);
		let mut written: u32 = 0;
		let mut staying = BTreeSet::new();
		for candidate in members {
			staying.insert(candidate.operator.clone());
			let commission = T::Operators::commission_at(&candidate.operator, epoch)
				.unwrap_or_else(Perbill::zero);
			let mut fresh = Self::fresh_member(candidate, commission, index);
			let exposure = || Exposure::<T> {
				key: candidate.key,
				own: candidate.own,
				pools: candidate.pools.clone(),
				total: candidate.stake,
			};
			match Members::<T>::get(&candidate.operator, consumer_id) {
				Some(old) if Self::unchanged(&old, &fresh) => continue,
				Some(mut old) => {
					if !Self::same_exposure(&old, &fresh) {
						Self::checkpoint(consumer_id, &candidate.operator, epoch, Some(exposure()));
					}
					Self::settle(&mut old, index);
					fresh.owed = old.owed;
					for pool in fresh.pools.iter_mut() {
						if let Some(kept) = old.pools.iter().find(|kept| kept.pool == pool.pool) {
							pool.owed = kept.owed;
						} else {
							PoolMembers::<T>::insert(
								pool.pool,
								(consumer_id, &candidate.operator),
								(),
							);
						}
					}
					for gone in old.pools.iter() {
						if !fresh.pools.iter().any(|pool| pool.pool == gone.pool) {
							Self::owe_pool(gone.pool, gone.owed);
							PoolMembers::<T>::remove(gone.pool, (consumer_id, &candidate.operator));
						}
					}
				}
				None => {
					Self::checkpoint(consumer_id, &candidate.operator, epoch, Some(exposure()));
					for pool in fresh.pools.iter() {
						PoolMembers::<T>::insert(pool.pool, (consumer_id, &candidate.operator), ());
					}
				}
			}
			Members::<T>::insert(&candidate.operator, consumer_id, fresh);
			written = written.saturating_add(1);
		}
		let mut retired_pools: u32 = 0;
		for operator in previous.iter().filter(|operator| !staying.contains(*operator)) {
			retired_pools = retired_pools.saturating_add(Self::retire_member(
				consumer_id,
				epoch,
				operator,
				index,
			));
		}
		(written, retired_pools)
	}

	/// Retire every member of `consumer_id`'s set `previous` (the consumer has no set from
	/// `epoch` on). Returns the number of pools of the members retired.
	pub(crate) fn retire_members(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
		previous: &[T::AccountId],
	) -> u32 {
		let index = RewardPerPower::<T>::get(consumer_id);
		previous.iter().fold(0u32, |pools, operator| {
			pools.saturating_add(Self::retire_member(consumer_id, epoch, operator, index))
		})
	}

	/// Settle `(operator, consumer_id)` at `index` and remove it; what it owed moves to
	/// [`OperatorRewards`] and [`PoolRewards`]; its exposure history records that it is not a
	/// member from `epoch` on. Returns the number of its pools.
	fn retire_member(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
		operator: &T::AccountId,
		index: u128,
	) -> u32 {
		let Some(mut member) = Members::<T>::take(operator, consumer_id) else { return 0 };
		Self::checkpoint(consumer_id, operator, epoch, None);
		Self::settle(&mut member, index);
		if !member.owed.is_zero() {
			OperatorRewards::<T>::mutate(operator, |owed| *owed = owed.saturating_add(member.owed));
		}
		for pool in member.pools.iter() {
			Self::owe_pool(pool.pool, pool.owed);
			PoolMembers::<T>::remove(pool.pool, (consumer_id, operator));
		}
		member.pools.len() as u32
	}

	/// Add `amount` to what `pool` is owed outside any membership.
	fn owe_pool(pool: PoolId, amount: BalanceOf<T>) {
		if !amount.is_zero() {
			PoolRewards::<T>::mutate(pool, |owed| *owed = owed.saturating_add(amount));
		}
	}

	/// Move `consumer_id`'s epoch payment from its escrow into the rewards account and raise
	/// its reward per power by `payment × SCALE / total power` (rounded down). Returns what
	/// left the escrow (zero if nothing was paid).
	pub(crate) fn accrue(
		consumer_id: ConsumerId,
		record: &mut ConsumerRecord<T>,
		total_power: BalanceOf<T>,
	) -> BalanceOf<T> {
		let payment = record.params.payment_per_epoch;
		if payment.is_zero() || total_power.is_zero() {
			return Zero::zero();
		}
		let increment = mul_div_u128(
			payment.unique_saturated_into(),
			REWARD_SCALE,
			total_power.unique_saturated_into(),
		);
		if increment == 0 {
			// A payment too small to move the index would only become dust: it stays in the
			// escrow.
			return Zero::zero();
		}
		if let Err(error) = T::Currency::transfer(
			&Self::escrow_account(consumer_id),
			&Self::rewards_account(),
			payment,
			Preservation::Preserve,
		) {
			log::warn!(target: LOG_TARGET, "payment of consumer {consumer_id} not made: {error:?}");
			return Zero::zero();
		}
		Self::book_payment(record, payment);
		RewardPerPower::<T>::mutate(consumer_id, |index| *index = index.saturating_add(increment));
		RewardsLedger::<T>::mutate(|totals| {
			totals.paid_in = totals.paid_in.saturating_add(payment)
		});
		payment
	}

	/// Settle every membership of `operator` (at most [`Config::MaxOperatorMemberships`]) and
	/// pay it what it is owed. Returns (amount, memberships visited).
	pub(crate) fn do_claim_operator(
		operator: &T::AccountId,
	) -> Result<(BalanceOf<T>, u32), DispatchError> {
		let mut total = OperatorRewards::<T>::take(operator);
		let memberships: Vec<(ConsumerId, MemberRecord<T>)> = Members::<T>::iter_prefix(operator)
			.take(T::MaxOperatorMemberships::get() as usize)
			.collect();
		let visited = memberships.len() as u32;
		for (consumer_id, mut member) in memberships {
			Self::settle(&mut member, RewardPerPower::<T>::get(consumer_id));
			if member.owed.is_zero() {
				continue;
			}
			total = total.saturating_add(member.owed);
			member.owed = Zero::zero();
			Members::<T>::insert(operator, consumer_id, member);
		}
		ensure!(!total.is_zero(), Error::<T>::NothingToClaim);
		T::Currency::transfer(&Self::rewards_account(), operator, total, Preservation::Preserve)?;
		RewardsLedger::<T>::mutate(|totals| {
			totals.paid_out = totals.paid_out.saturating_add(total)
		});
		Self::deposit_event(Event::OperatorRewardsClaimed {
			operator: operator.clone(),
			amount: total,
		});
		Ok((total, visited))
	}

	/// Settle every membership `pool` backs (at most [`Config::MaxPoolMemberships`]) and take
	/// what the pool is owed out of the records. Returns (amount, memberships visited).
	fn collect_pool(pool: PoolId) -> (BalanceOf<T>, u32) {
		let mut total = PoolRewards::<T>::take(pool);
		let memberships: Vec<(ConsumerId, T::AccountId)> = PoolMembers::<T>::iter_key_prefix(pool)
			.take(T::MaxPoolMemberships::get() as usize)
			.collect();
		let visited = memberships.len() as u32;
		for (consumer_id, operator) in memberships {
			let Some(mut member) = Members::<T>::get(&operator, consumer_id) else {
				frame_support::defensive!("pool membership without a member record");
				continue;
			};
			Self::settle(&mut member, RewardPerPower::<T>::get(consumer_id));
			let Some(entry) = member.pools.iter_mut().find(|entry| entry.pool == pool) else {
				frame_support::defensive!("pool membership the member does not list");
				continue;
			};
			total = total.saturating_add(entry.owed);
			entry.owed = Zero::zero();
			Members::<T>::insert(&operator, consumer_id, member);
		}
		(total, visited)
	}

	/// Pay `pool` what [`Self::collect_pool`] finds (into the pool, through
	/// `PoolsInterface::add_rewards`). Returns (amount, memberships visited); fails (the
	/// caller must roll back) with nothing owed or if the pool cannot take it.
	pub(crate) fn do_claim_pool(pool: PoolId) -> Result<(BalanceOf<T>, u32), (DispatchError, u32)> {
		let (total, visited) = Self::collect_pool(pool);
		if total.is_zero() {
			return Err((Error::<T>::NothingToClaim.into(), visited));
		}
		let added = T::Pools::add_rewards(pool, &Self::rewards_account(), total)
			.map_err(|error| (error, visited))?;
		if added != total {
			frame_support::defensive!("pool reward added differs from the amount claimed");
		}
		RewardsLedger::<T>::mutate(|totals| {
			totals.paid_out = totals.paid_out.saturating_add(added)
		});
		Self::deposit_event(Event::PoolRewardsClaimed { pool, amount: added });
		Ok((added, visited))
	}

	/// What `operator` could claim now (settled and accrued), without changing anything.
	pub fn pending_operator_rewards(operator: &T::AccountId) -> BalanceOf<T> {
		Members::<T>::iter_prefix(operator).take(T::MaxOperatorMemberships::get() as usize).fold(
			OperatorRewards::<T>::get(operator),
			|total, (consumer_id, member)| {
				total.saturating_add(
					Self::preview(&member, RewardPerPower::<T>::get(consumer_id)).owed,
				)
			},
		)
	}

	/// What `pool` could claim now (settled and accrued), without changing anything.
	pub fn pending_pool_rewards(pool: PoolId) -> BalanceOf<T> {
		PoolMembers::<T>::iter_key_prefix(pool).take(T::MaxPoolMemberships::get() as usize).fold(
			PoolRewards::<T>::get(pool),
			|total, (consumer_id, operator)| {
				let owed = Members::<T>::get(&operator, consumer_id)
					.map(|member| {
						Self::preview(&member, RewardPerPower::<T>::get(consumer_id))
							.pools
							.iter()
							.find(|entry| entry.pool == pool)
							.map(|entry| entry.owed)
							.unwrap_or_else(Zero::zero)
					})
					.unwrap_or_else(Zero::zero);
				total.saturating_add(owed)
			},
		)
	}
}

impl<T: Config> PoolRewardsSource for Pallet<T> {
	fn claim_for_pool(pool: PoolId) -> Weight {
		// A failed claim (nothing owed, a pool without holders) changes nothing.
		let mut visited = 0;
		let _ = with_storage_layer(|| {
			Self::do_claim_pool(pool).map(|(_, seen)| visited = seen).map_err(|(error, seen)| {
				visited = seen;
				error
			})
		});
		T::WeightInfo::claim_pool_rewards(visited)
	}

	fn claim_for_pool_weight() -> Weight {
		T::WeightInfo::claim_pool_rewards(T::MaxPoolMemberships::get())
	}

	/// Every consumer has paid for the current epoch once its transition is finished.
	fn epoch_paid() -> bool {
		!Transition::<T>::exists()
	}
}
