//! Lazy rewards (F1 style): a consumer's epoch payment is one transfer into the rewards
//! account and one write of its cumulative reward per unit of power; members of its set are
//! settled only when they change, leave the set, or someone claims; operators and pools claim
//! what they are owed. A pool keeps one record per consumer it backs, however many of the
//! consumer's operators it backs, so its claim costs O(consumers), not O(memberships).
//!
//! ## The accounting
//!
//! - Consumer `c` keeps `RewardPerPower[c]` (`I`, scaled by [`REWARD_SCALE`]). Paying `P` to a
//!   set of total power `S` adds `floor(P × SCALE / S)` to it and moves `P` from the escrow
//!   into [`Pallet::rewards_account`].
//! - When member `(operator, c)` is written (it joins, or its power, stake composition or
//!   commission `k` changed), its power `w` is split into **reward weights** ([`split_power`]):
//!   each backing pool `p` gets `w_p = floor(w × (1 − k) × backing_p / stake)` and the
//!   operator `w_op = floor(w × (k + (1 − k) × own / stake))`, computed exactly (no
//!   intermediate rounding). The exact values sum to `w`, so the rounded ones sum to at most
//!   `w`: `Σ weights ≤ S` for every payment.
//! - The operator's part is settled on the member record: at `I`, it is owed
//!   `floor(w_op × (I − I₀) / SCALE)` more and `I₀ := I`.
//! - A pool's parts are summed per consumer in [`crate::PoolShares`]`(p, c)`: `weight = Σ w_p`
//!   over the consumer's members `p` backs, settled the same way
//!   (`floor(weight × (I − I₀) / SCALE)`). Whenever a member's pool weights change, the
//!   pool's record is settled at the current `I` first, then its weight adjusted; a record
//!   whose weight drops to zero hands what it is owed to [`crate::PoolRewards`] and goes, so a
//!   pool has at most one record per consumer it backs ([`Config::MaxConsumersPerPool`]).
//! - Members are settled (at the `I` *before* the epoch's payment) whenever the transition
//!   rewrites them and when they leave the set, so between two settlements every weight is
//!   constant; every amount owed is a weight times an index difference rounded down, and
//!   the weights earning from a payment sum to at most the power it was divided by: the
//!   rewards account never owes more than it was paid. What rounding leaves (the index, the
//!   weights, each settlement, at most a unit each) is dust, kept in the account
//!   ([`crate::RewardTotals`]).
//! - Claims (anyone may call them; the money goes to the operator or into the pool):
//!   `claim_operator_rewards` settles a page of the operator's memberships (the next
//!   [`OPERATOR_CLAIM_PAGE`], resuming where the previous page stopped) and pays its part;
//!   `claim_pool_rewards` settles a page of the pool's (pool, consumer) records (the next
//!   [`POOL_CLAIM_PAGE`], resuming where the previous page stopped) and pays its part into
//!   the pool (`PoolsInterface::add_rewards`), where they vest into the LRT rate over the
//!   epochs since the pool's previous addition (the pools pallet's `RewardVesting`), so
//!   deposits and withdrawal requests need no claim first. [`PoolRewardsSource`] settles all
//!   of a pool's records at once (kept for callers that need it; no pallet of the runtime
//!   calls it any more). What a member that left owed stays in [`crate::OperatorRewards`] /
//!   [`crate::PoolRewards`] until claimed.

use crate::*;
use alloc::vec::Vec;
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
	PerThing, Perbill,
};

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

/// `(floor(a × b / c), a × b mod c)`, exactly: the quotient through the 256-bit product, the
/// remainder in wrapping 128-bit arithmetic (exact, as the true remainder is below `c`).
/// `None` if `c` is zero or the quotient does not fit in 128 bits.
fn mul_div_rem(a: u128, b: u128, c: u128) -> Option<(u128, u128)> {
	if c == 0 {
		return None;
	}
	let quotient = multiply_by_rational_with_rounding(a, b, c, Rounding::Down)?;
	Some((quotient, a.wrapping_mul(b).wrapping_sub(quotient.wrapping_mul(c))))
}

/// `power × (rest / 10^9) × part / stake` for `part <= stake`, `rest <= 10^9`: the value
/// rounded down and whether it is exact (an integer). Exact whatever the operands: with
/// `power × part = q₁ × stake + r₁` and `q₁ × rest = q₂ × 10^9 + r₂`, the value is
/// `q₂ + (r₂ × stake + r₁ × rest) / (10^9 × stake)`, whose fraction is in `[0, 2)` and at
/// least 1 iff `floor(r₁ × rest / stake) ≥ 10^9 − r₂`. Zero (exact) if `stake` is zero.
fn scaled_part(power: u128, rest: u128, part: u128, stake: u128) -> (u128, bool) {
	const ONE: u128 = Perbill::ACCURACY as u128;
	if stake == 0 || power == 0 || rest == 0 || part == 0 {
		return (0, true);
	}
	let exact = || -> Option<(u128, bool)> {
		let (q1, r1) = mul_div_rem(power, part, stake)?;
		let (q2, r2) = mul_div_rem(q1, rest, ONE)?;
		let (t, r3) = mul_div_rem(r1, rest, stake)?;
		let needed = ONE.saturating_sub(r2);
		Some(if t >= needed {
			(q2.saturating_add(1), t == needed && r3 == 0)
		} else {
			(q2, r2 == 0 && r1 == 0)
		})
	};
	exact().unwrap_or_else(|| {
		frame_support::defensive!("reward weight out of range");
		(0, true)
	})
}

/// Split a member's `power` into reward weights: `(w_op, [w_p])` with, for commission `k`,
/// `w_p = floor(power × (1 − k) × backing_p / stake)` for each of `backings` and
/// `w_op = floor(power × (k + (1 − k) × own / stake)) = power − ceil(power × (1 − k) × Σ
/// backing / stake)` (`own = stake − Σ backing`). The exact values sum to `power`, so
/// `w_op + Σ w_p ≤ power`: each weight is rounded down, the operator's and each pool's
/// separately.
pub(crate) fn split_power(
	power: u128,
	commission: Perbill,
	stake: u128,
	backings: impl Iterator<Item = u128> + Clone,
) -> (u128, Vec<u128>) {
	let rest = u128::from(Perbill::ACCURACY.saturating_sub(commission.deconstruct()));
	let pools: Vec<u128> =
		backings.clone().map(|backing| scaled_part(power, rest, backing, stake).0).collect();
	let backed = backings.fold(0u128, |sum, backing| sum.saturating_add(backing));
	let (floor, exact) = scaled_part(power, rest, backed, stake);
	let ceil = if exact { floor } else { floor.saturating_add(1) };
	(power.saturating_sub(ceil), pools)
}

impl<T: Config> Pallet<T> {
	/// The account consumer payments wait in until claimed: a sub-account of
	/// [`Config::PalletId`] distinct from every escrow account. Kept alive by the existential
	/// deposit minted into it at genesis.
	pub fn rewards_account() -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(b"rewards")
	}

	/// What `weight` earned while the index moved by `delta`: `floor(weight × delta / SCALE)`.
	fn earned(weight: BalanceOf<T>, delta: u128) -> BalanceOf<T> {
		if delta == 0 || weight.is_zero() {
			return Zero::zero();
		}
		BalanceOf::<T>::unique_saturated_from(mul_div_u128(
			weight.unique_saturated_into(),
			delta,
			REWARD_SCALE,
		))
	}

	/// Add what the operator of `member` earned since its last settlement, at the consumer's
	/// reward per power `index`, to what it is owed (see the module doc).
	pub(crate) fn settle(member: &mut MemberRecord<T>, index: u128) {
		let delta = index.saturating_sub(member.reward_per_power);
		member.reward_per_power = index;
		member.owed = member.owed.saturating_add(Self::earned(member.weight, delta));
	}

	/// What `member` (its operator) would be owed if settled at `index`, without changing it.
	pub(crate) fn preview(member: &MemberRecord<T>, index: u128) -> MemberRecord<T> {
		let mut preview = member.clone();
		Self::settle(&mut preview, index);
		preview
	}

	/// Add what `share` earned since its last settlement, at the consumer's reward per power
	/// `index`, to what it is owed.
	pub(crate) fn settle_share(share: &mut PoolShare<BalanceOf<T>>, index: u128) {
		let delta = index.saturating_sub(share.reward_per_power);
		share.reward_per_power = index;
		share.owed = share.owed.saturating_add(Self::earned(share.weight, delta));
	}

	/// What `share` would be owed in total if settled at `index`.
	pub(crate) fn share_owed(share: &PoolShare<BalanceOf<T>>, index: u128) -> BalanceOf<T> {
		let mut preview = *share;
		Self::settle_share(&mut preview, index);
		preview.owed
	}

	/// The reward weights of a member of power `power`, commission `commission`, stake `stake`
	/// and pools `backings` ([`split_power`]).
	pub(crate) fn reward_weights(
		power: BalanceOf<T>,
		commission: Perbill,
		stake: BalanceOf<T>,
		backings: impl Iterator<Item = BalanceOf<T>> + Clone,
	) -> (BalanceOf<T>, Vec<BalanceOf<T>>) {
		let (operator, pools) = split_power(
			power.unique_saturated_into(),
			commission,
			stake.unique_saturated_into(),
			backings.map(UniqueSaturatedInto::<u128>::unique_saturated_into),
		);
		(
			BalanceOf::<T>::unique_saturated_from(operator),
			pools.into_iter().map(BalanceOf::<T>::unique_saturated_from).collect(),
		)
	}

	/// The member record `candidate` would have, commission `commission`, its power split
	/// into reward weights, nothing owed, settled at `index`.
	pub(crate) fn fresh_member(
		candidate: &Candidate<T>,
		commission: Perbill,
		index: u128,
	) -> MemberRecord<T> {
		let (weight, pool_weights) = Self::reward_weights(
			candidate.power,
			commission,
			candidate.stake,
			candidate.pools.iter().map(|(_, backing)| *backing),
		);
		MemberRecord {
			key: candidate.key,
			power: candidate.power,
			own: candidate.own,
			stake: candidate.stake,
			commission,
			reward_per_power: index,
			weight,
			owed: Zero::zero(),
			pools: MemberPoolsOf::<T>::truncate_from(
				candidate
					.pools
					.iter()
					.zip(pool_weights)
					.map(|((pool, backing), weight)| MemberPool {
						pool: *pool,
						backing: *backing,
						weight,
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

	/// Whether `member` earns and is exposed exactly as `fresh` (also same power, commission
	/// and reward weights).
	pub(crate) fn unchanged(member: &MemberRecord<T>, fresh: &MemberRecord<T>) -> bool {
		Self::same_exposure(member, fresh)
			&& member.power == fresh.power
			&& member.commission == fresh.commission
			&& member.weight == fresh.weight
			&& member
				.pools
				.iter()
				.zip(fresh.pools.iter())
				.all(|(old, new)| old.weight == new.weight)
	}

	/// Bring the reward record and exposure checkpoints of `candidate`, a member of
	/// `consumer_id`'s new set for `epoch`, in line, at the consumer's reward per power
	/// `index` *before* this epoch's payment: a member whose power, composition or commission
	/// changed is settled and rewritten with its new reward weights (what its operator is owed
	/// kept), the pools' records settled and their weights moved ([`Self::move_pool_weights`]),
	/// with a new exposure checkpoint if its key, own bond or backing changed; a new member
	/// gets its record and a checkpoint; an unchanged member is not written. (A member of the
	/// previous set that is not in the new one is retired: [`Self::retire_member`].)
	///
	/// Returns the number of pools of the member's previous record whose (pool, consumer)
	/// records it moved weight out of (zero for a new or unchanged member): on top of the
	/// candidate's own pools, what the page writes.
	pub(crate) fn sync_member(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
		candidate: &Candidate<T>,
		index: u128,
	) -> u32 {
		let commission =
			T::Operators::commission_at(&candidate.operator, epoch).unwrap_or_else(Perbill::zero);
		let mut fresh = Self::fresh_member(candidate, commission, index);
		let exposure = || Exposure::<T> {
			key: candidate.key,
			own: candidate.own,
			pools: candidate.pools.clone(),
			total: candidate.stake,
		};
		let old_pools = match Members::<T>::get(&candidate.operator, consumer_id) {
			Some(old) if Self::unchanged(&old, &fresh) => return 0,
			Some(mut old) => {
				if !Self::same_exposure(&old, &fresh) {
					Self::checkpoint(consumer_id, &candidate.operator, epoch, Some(exposure()));
				}
				Self::settle(&mut old, index);
				fresh.owed = old.owed;
				Self::move_pool_weights(consumer_id, index, &old.pools, &fresh.pools);
				old.pools.len() as u32
			}
			None => {
				Self::checkpoint(consumer_id, &candidate.operator, epoch, Some(exposure()));
				Self::move_pool_weights(consumer_id, index, &[], &fresh.pools);
				0
			}
		};
		Members::<T>::insert(&candidate.operator, consumer_id, fresh);
		old_pools
	}

	/// Settle `(operator, consumer_id)` at `index` and remove it; what its operator is owed
	/// moves to [`OperatorRewards`], its pools' weights leave their records (settled first);
	/// its exposure history records that it is not a member from `epoch` on. Returns the
	/// number of its pools (zero, and nothing written, if it has no record: already retired).
	pub(crate) fn retire_member(
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
		Self::move_pool_weights(consumer_id, index, &member.pools, &[]);
		member.pools.len() as u32
	}

	/// A member's pools go from `old` to `new` (both in pool id order): each pool whose weight
	/// in the member changes has its (pool, `consumer_id`) record settled at `index` and its
	/// weight adjusted ([`Self::adjust_share`]).
	fn move_pool_weights(
		consumer_id: ConsumerId,
		index: u128,
		old: &[MemberPool<BalanceOf<T>>],
		new: &[MemberPool<BalanceOf<T>>],
	) {
		let weight_in = |pools: &[MemberPool<BalanceOf<T>>], pool: PoolId| {
			pools.iter().find(|entry| entry.pool == pool).map(|entry| entry.weight)
		};
		for entry in old {
			let now = weight_in(new, entry.pool).unwrap_or_else(Zero::zero);
			Self::adjust_share(entry.pool, consumer_id, index, entry.weight, now);
		}
		for entry in new.iter().filter(|entry| weight_in(old, entry.pool).is_none()) {
			Self::adjust_share(entry.pool, consumer_id, index, Zero::zero(), entry.weight);
		}
	}

	/// Replace `removed` of the weight of `pool`'s record for `consumer_id` by `added`,
	/// settling the record at `index` first (a new record starts at `index`). A record left
	/// with no weight hands what it is owed to [`PoolRewards`] and is removed. Nothing is
	/// written if the weight does not change.
	fn adjust_share(
		pool: PoolId,
		consumer_id: ConsumerId,
		index: u128,
		removed: BalanceOf<T>,
		added: BalanceOf<T>,
	) {
		if removed == added {
			return;
		}
		PoolShares::<T>::mutate_exists(pool, consumer_id, |entry| {
			let mut share = entry.take().unwrap_or(PoolShare {
				weight: Zero::zero(),
				reward_per_power: index,
				owed: Zero::zero(),
			});
			Self::settle_share(&mut share, index);
			if share.weight < removed {
				frame_support::defensive!("a pool's share is below a member's weight in it");
			}
			share.weight = share.weight.saturating_sub(removed).saturating_add(added);
			if share.weight.is_zero() {
				Self::owe_pool(pool, share.owed);
			} else {
				*entry = Some(share);
			}
		});
	}

	/// Add `amount` to what `pool` is owed outside any (pool, consumer) record.
	fn owe_pool(pool: PoolId, amount: BalanceOf<T>) {
		if !amount.is_zero() {
			PoolRewards::<T>::mutate(pool, |owed| *owed = owed.saturating_add(amount));
		}
	}

	/// Move `consumer_id`'s epoch payment from its escrow into the rewards account and raise
	/// its reward per power by `payment × SCALE / total power` (rounded down), with a
	/// `LeasePaid` event for `epoch`. Returns what left the escrow (zero if nothing was paid).
	pub(crate) fn accrue(
		consumer_id: ConsumerId,
		epoch: EpochIndex,
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
		Self::deposit_event(Event::LeasePaid {
			consumer_id,
			epoch,
			paid: payment,
			escrow: record.escrow,
			reward_per_power: RewardPerPower::<T>::get(consumer_id),
		});
		payment
	}

	/// One `claim_operator_rewards` call: settle the next page of at most
	/// [`OPERATOR_CLAIM_PAGE`] memberships of `operator` (after its [`OperatorClaimCursors`]
	/// entry, or from the first if there is none or none follows it) and pay what they and
	/// [`OperatorRewards`] owe. Moves the cursor to the page's last membership if more follow
	/// it, else removes it. Returns (amount, memberships visited).
	///
	/// Fails with `NothingToClaim` if nothing is owed and the cursor does not move (no cursor
	/// before nor after: the page was the whole list); otherwise a page owing nothing succeeds,
	/// paying nothing, so that a sweep never sticks on a page with nothing owed. The caller
	/// rolls back on error.
	pub(crate) fn do_claim_operator_page(
		operator: &T::AccountId,
	) -> Result<(BalanceOf<T>, u32), DispatchError> {
		let page = OPERATOR_CLAIM_PAGE as usize;
		let cursor = OperatorClaimCursors::<T>::get(operator);
		let after = |consumer: ConsumerId| {
			Members::<T>::iter_prefix_from(
				operator,
				Members::<T>::hashed_key_for(operator, consumer),
			)
		};
		let mut memberships: Vec<(ConsumerId, MemberRecord<T>)> = match cursor {
			Some(consumer) => after(consumer).take(page).collect(),
			None => Vec::new(),
		};
		if memberships.is_empty() {
			// No cursor, or nothing after it any more: from the first membership.
			memberships = Members::<T>::iter_prefix(operator).take(page).collect();
		}
		let more = match memberships.last() {
			Some((last, _)) if memberships.len() == page => Members::<T>::iter_key_prefix_from(
				operator,
				Members::<T>::hashed_key_for(operator, *last),
			)
			.next()
			.is_some(),
			_ => false,
		};
		let next = if more { memberships.last().map(|(last, _)| *last) } else { None };
		let visited = memberships.len() as u32;
		let total = Self::settle_memberships(operator, memberships);
		ensure!(!total.is_zero() || next != cursor, Error::<T>::NothingToClaim);
		match next {
			Some(last) => OperatorClaimCursors::<T>::insert(operator, last),
			None if cursor.is_some() => OperatorClaimCursors::<T>::remove(operator),
			None => {}
		}
		Self::pay_operator(operator, total, visited, more)?;
		Ok((total, visited))
	}

	/// One `claim_operator_rewards_of` call: settle `operator`'s membership of `consumer_id`
	/// (if any) and pay what it and [`OperatorRewards`] owe. The page cursor is left alone.
	/// Returns (amount, memberships visited). Fails with `NothingToClaim` if nothing is owed
	/// (the caller rolls back).
	pub(crate) fn do_claim_operator_of(
		operator: &T::AccountId,
		consumer_id: ConsumerId,
	) -> Result<(BalanceOf<T>, u32), DispatchError> {
		let memberships: Vec<(ConsumerId, MemberRecord<T>)> =
			Members::<T>::get(operator, consumer_id)
				.map(|member| (consumer_id, member))
				.into_iter()
				.collect();
		let visited = memberships.len() as u32;
		let total = Self::settle_memberships(operator, memberships);
		ensure!(!total.is_zero(), Error::<T>::NothingToClaim);
		Self::pay_operator(operator, total, visited, false)?;
		Ok((total, visited))
	}

	/// Settle `memberships` of `operator` at their consumers' current reward per power, take
	/// what they owe out of them (each record written back only if it owed something), and
	/// add what [`OperatorRewards`] holds (taken). Returns the total owed.
	fn settle_memberships(
		operator: &T::AccountId,
		memberships: Vec<(ConsumerId, MemberRecord<T>)>,
	) -> BalanceOf<T> {
		let mut total = OperatorRewards::<T>::take(operator);
		for (consumer_id, mut member) in memberships {
			Self::settle(&mut member, RewardPerPower::<T>::get(consumer_id));
			if member.owed.is_zero() {
				continue;
			}
			total = total.saturating_add(member.owed);
			member.owed = Zero::zero();
			Members::<T>::insert(operator, consumer_id, member);
		}
		total
	}

	/// Pay `operator` `total` out of the rewards account (nothing to move if zero) and emit
	/// `OperatorRewardsClaimed` with the `settled` memberships and whether `more` follow.
	fn pay_operator(
		operator: &T::AccountId,
		total: BalanceOf<T>,
		settled: u32,
		more: bool,
	) -> DispatchResult {
		if !total.is_zero() {
			T::Currency::transfer(
				&Self::rewards_account(),
				operator,
				total,
				Preservation::Preserve,
			)?;
			RewardsLedger::<T>::mutate(|totals| {
				totals.paid_out = totals.paid_out.saturating_add(total)
			});
		}
		Self::deposit_event(Event::OperatorRewardsClaimed {
			operator: operator.clone(),
			amount: total,
			memberships_settled: settled,
			more_to_settle: more,
		});
		Ok(())
	}

	/// Settle `shares`, records of `pool`, at their consumers' current reward per power, take
	/// what they owe out of them (each record written back only if it owed something), and
	/// add what [`PoolRewards`] holds (taken). Returns the total owed.
	fn settle_shares(
		pool: PoolId,
		shares: Vec<(ConsumerId, PoolShare<BalanceOf<T>>)>,
	) -> BalanceOf<T> {
		let mut total = PoolRewards::<T>::take(pool);
		for (consumer_id, mut share) in shares {
			Self::settle_share(&mut share, RewardPerPower::<T>::get(consumer_id));
			if share.owed.is_zero() {
				continue;
			}
			total = total.saturating_add(share.owed);
			share.owed = Zero::zero();
			PoolShares::<T>::insert(pool, consumer_id, share);
		}
		total
	}

	/// Pay `pool` `total` (nothing to move if zero) into the pool, through
	/// `PoolsInterface::add_rewards`, and emit `PoolRewardsClaimed` with the `settled` records
	/// and whether `more` follow. Returns what the pool took; fails (the caller must roll back)
	/// if the pool cannot take it.
	fn pay_pool(
		pool: PoolId,
		total: BalanceOf<T>,
		settled: u32,
		more: bool,
	) -> Result<BalanceOf<T>, DispatchError> {
		let added = if total.is_zero() {
			Zero::zero()
		} else {
			let added = T::Pools::add_rewards(pool, &Self::rewards_account(), total)?;
			if added != total {
				frame_support::defensive!("pool reward added differs from the amount claimed");
			}
			RewardsLedger::<T>::mutate(|totals| {
				totals.paid_out = totals.paid_out.saturating_add(added)
			});
			added
		};
		Self::deposit_event(Event::PoolRewardsClaimed {
			pool,
			amount: added,
			records_settled: settled,
			more_to_settle: more,
		});
		Ok(added)
	}

	/// The pools pallet's claim for `pool` ([`PoolRewardsSource::claim_for_pool`]): settle its
	/// record of every consumer it backs (at most [`Config::MaxConsumersPerPool`]) and pay what
	/// they and [`PoolRewards`] owe into the pool. The page cursor is left alone. Returns
	/// (amount, records visited); fails (the caller must roll back) with nothing owed or if
	/// the pool cannot take it.
	pub(crate) fn do_claim_pool(pool: PoolId) -> Result<(BalanceOf<T>, u32), (DispatchError, u32)> {
		let shares: Vec<(ConsumerId, PoolShare<BalanceOf<T>>)> = PoolShares::<T>::iter_prefix(pool)
			.take(T::MaxConsumersPerPool::get() as usize)
			.collect();
		let visited = shares.len() as u32;
		let total = Self::settle_shares(pool, shares);
		if total.is_zero() {
			return Err((Error::<T>::NothingToClaim.into(), visited));
		}
		let added =
			Self::pay_pool(pool, total, visited, false).map_err(|error| (error, visited))?;
		Ok((added, visited))
	}

	/// One `claim_pool_rewards` call: settle the next page of at most [`POOL_CLAIM_PAGE`]
	/// (pool, consumer) records of `pool` (after its [`PoolClaimCursors`] entry, or from the
	/// first if there is none or none follows it) and pay what they and [`PoolRewards`] owe
	/// into the pool. Moves the cursor to the page's last record if more follow it, else
	/// removes it. Returns (amount, records visited).
	///
	/// Fails with `NothingToClaim` if nothing is owed and the cursor does not move (no cursor
	/// before nor after: the page was the whole list); otherwise a page owing nothing
	/// succeeds, paying nothing, so that a sweep never sticks on a page with nothing owed.
	/// Fails if the pool cannot take the rewards. The caller rolls back on error (the records
	/// visited are returned with the error, for the weight).
	pub(crate) fn do_claim_pool_page(
		pool: PoolId,
	) -> Result<(BalanceOf<T>, u32), (DispatchError, u32)> {
		let page = POOL_CLAIM_PAGE as usize;
		let cursor = PoolClaimCursors::<T>::get(pool);
		let mut shares: Vec<(ConsumerId, PoolShare<BalanceOf<T>>)> = match cursor {
			Some(consumer) => PoolShares::<T>::iter_prefix_from(
				pool,
				PoolShares::<T>::hashed_key_for(pool, consumer),
			)
			.take(page)
			.collect(),
			None => Vec::new(),
		};
		if shares.is_empty() {
			// No cursor, or nothing after it any more: from the first record.
			shares = PoolShares::<T>::iter_prefix(pool).take(page).collect();
		}
		let more = match shares.last() {
			Some((last, _)) if shares.len() == page => PoolShares::<T>::iter_key_prefix_from(
				pool,
				PoolShares::<T>::hashed_key_for(pool, *last),
			)
			.next()
			.is_some(),
			_ => false,
		};
		let next = if more { shares.last().map(|(last, _)| *last) } else { None };
		let visited = shares.len() as u32;
		let total = Self::settle_shares(pool, shares);
		if total.is_zero() && next == cursor {
			return Err((Error::<T>::NothingToClaim.into(), visited));
		}
		match next {
			Some(last) => PoolClaimCursors::<T>::insert(pool, last),
			None if cursor.is_some() => PoolClaimCursors::<T>::remove(pool),
			None => {}
		}
		let added = Self::pay_pool(pool, total, visited, more).map_err(|error| (error, visited))?;
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

	/// What `pool` could claim now (settled and accrued), without changing anything: what its
	/// records and [`PoolRewards`] owe (what the pools pallet's claim, or a sweep of
	/// `claim_pool_rewards` pages, pays).
	pub fn pending_pool_rewards(pool: PoolId) -> BalanceOf<T> {
		PoolShares::<T>::iter_prefix(pool).take(T::MaxConsumersPerPool::get() as usize).fold(
			PoolRewards::<T>::get(pool),
			|total, (consumer_id, share)| {
				total
					.saturating_add(Self::share_owed(&share, RewardPerPower::<T>::get(consumer_id)))
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

	/// Every record of the pool: `claim_pool_rewards(MaxConsumersPerPool)` (the benchmark
	/// measures pages of up to [`POOL_CLAIM_PAGE`] records; the weight is linear in them).
	fn claim_for_pool_weight() -> Weight {
		T::WeightInfo::claim_pool_rewards(T::MaxConsumersPerPool::get())
	}

	/// Every consumer has paid for the current epoch once its transition is finished.
	fn epoch_paid() -> bool {
		!Transition::<T>::exists()
	}
}
