//! Records kept by the restaking pools, and the aliases used to name them.

use crate::Config;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::BoundedVec, traits::fungible::Inspect};
use palisade_primitives::{AssetId, Collateral, ConsumerId, EpochIndex, PoolId};
use scale_info::TypeInfo;
use sp_arithmetic::{
	traits::{AtLeast32BitUnsigned, Zero},
	Perbill, Rounding,
};

/// The native balance type (also the balance type of every asset).
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// Free-form pool metadata (name, website, strategy), at most [`Config::MaxMetadataLen`] bytes.
pub type MetadataOf<T> = BoundedVec<u8, <T as Config>::MaxMetadataLen>;

/// Identifier of a withdrawal request (global, never reused).
pub type RequestId = u32;

/// A pool as stored.
pub type PoolRecordOf<T> = PoolRecord<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// A withdrawal request as stored.
pub type WithdrawalRequestOf<T> = WithdrawalRequest<BalanceOf<T>>;

/// A bucket of the withdrawal queue as stored.
pub type QueueBucketOf<T> = QueueBucket<BalanceOf<T>>;

/// The keys (opening epochs) of a pool's live queue buckets, ascending, at most
/// [`Config::MaxQueueBuckets`].
pub type LiveBucketsOf<T> = BoundedVec<EpochIndex, <T as Config>::MaxQueueBuckets>;

/// Most distinct beneficiaries one pool may owe slashes to; beyond it the excess is owed to
/// `None` (burnt), so nobody profits from the overflow.
pub const MAX_OWED_ENTRIES: u32 = 8;

/// Most owed slashes of a pool one `settle_slash` (or epoch-start retry) pays out: each is a
/// transfer, maybe to a fresh account. The others wait for the next one.
pub const MAX_SETTLED_PER_CALL: u32 = 4;

/// Most entries of a (pool, consumer) `set_allocation` settles besides the operator it sets:
/// those whose change came due without being finalised (only when every schedule it could go
/// in was full, see [`MAX_SCHEDULE_SPILL`]), each maybe dropped with its `PairPools` entry (a
/// read and a write). Settling them all made the call's weight grow by a `PairPools` read and
/// write per entry (55× a transfer at 200 entries); a small constant keeps the call's storage
/// accesses constant while every call (of any curator of the pool) still makes progress
/// towards freeing the pair slots such leftovers hold. Reads never depend on it: they compare
/// epochs (`AllocationEntry::fraction_at`, `AllocationEntry::peak_at`).
pub const MAX_OTHERS_SETTLED: u32 = 2;

/// How many epochs after its effective epoch the finalisation of an allocation change may be
/// put when the schedules are full: the [`crate::AllocationSchedule`] of the effective epoch
/// is tried first, then those of the next `MAX_SCHEDULE_SPILL` epochs, and the change is
/// finalised at the first with room (the change itself still takes effect at its effective
/// epoch: reads compare epochs). The schedules of `MAX_SCHEDULE_SPILL + 1` epochs (1,280
/// changes in the runtime) thus take the changes due at one epoch before the lazy fallback
/// (finalisation by `set_allocation`, [`MAX_OTHERS_SETTLED`] at a time) is needed, and a
/// decrease to zero frees its pair slot at most `MAX_SCHEDULE_SPILL` epochs late (less than
/// the runtime's `DeallocationDelay` of 5). Each epoch tried costs `set_allocation` a read of
/// a full schedule in the worst case, which it is charged for.
pub const MAX_SCHEDULE_SPILL: EpochIndex = 4;

/// What a pool owes to slashes it could not pay: (beneficiary, collateral units), at most
/// [`MAX_OWED_ENTRIES`] entries, one per beneficiary (`None`: to be burnt).
pub type OwedSlashOf<T> = BoundedVec<
	(Option<<T as frame_system::Config>::AccountId>, BalanceOf<T>),
	frame_support::traits::ConstU32<MAX_OWED_ENTRIES>,
>;

/// The allocations of one pool to the operators of one consumer, at most
/// [`Config::MaxOperatorsPerConsumer`].
pub type AllocationsOf<T> = BoundedVec<
	AllocationEntry<<T as frame_system::Config>::AccountId>,
	<T as Config>::MaxOperatorsPerConsumer,
>;

/// The consumers one pool allocates to, at most [`Config::MaxConsumersPerPool`].
pub type PoolConsumersOf<T> = BoundedVec<ConsumerId, <T as Config>::MaxConsumersPerPool>;

/// The pools allocating to one (consumer, operator) pair, sorted, at most
/// [`Config::MaxPoolsPerOperator`].
pub type PairPoolsOf<T> = BoundedVec<PoolId, <T as Config>::MaxPoolsPerOperator>;

/// The allocation changes to finalise at one epoch, at most [`Config::MaxScheduledPerEpoch`].
pub type ScheduledOf<T> = BoundedVec<
	(PoolId, ConsumerId, <T as frame_system::Config>::AccountId),
	<T as Config>::MaxScheduledPerEpoch,
>;

/// Whether a pool accepts deposits.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum PoolState {
	/// Deposits are accepted.
	Open,
	/// Deposits are refused; withdrawals, rewards, slashes and allocations go on.
	Closed,
}

/// The withdrawal queue of a pool: the value still owed to open requests, shared out by points
/// so that a slash hitting the queue costs O(1).
///
/// A request joining with value `v` gets `v × points / value` points (`v` if the queue is
/// empty); a request leaving is paid `min(value at request, its points × value / points)`. A
/// slash only lowers `value`. If slashes take the whole value while points remain, the queue
/// starts a new **era**: the old points are worthless and dropped, requests of older eras are
/// paid nothing (but still get their reward share).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Default,
)]
pub struct WithdrawalQueue<Balance> {
	/// Value (collateral units) still owed to the open requests of the current era.
	pub value: Balance,
	/// Points of the open requests of the current era. Zero exactly when `value` is zero.
	pub points: Balance,
	/// Current era; bumped when slashes wipe the queue out.
	pub era: u32,
}

impl<Balance: AtLeast32BitUnsigned + Copy> WithdrawalQueue<Balance> {
	/// Add a request worth `value` to the queue and return its points (rounded down). `None` on
	/// overflow (the queue was slashed to a tiny fraction of its points; it clears as the old
	/// requests are claimed).
	pub fn join(&mut self, value: Balance) -> Option<Balance> {
		let points = if self.points.is_zero() {
			value
		} else {
			value.multiply_rational(self.points, self.value, Rounding::Down)?
		};
		let new_value = self.value.checked_add(&value)?;
		let new_points = self.points.checked_add(&points)?;
		self.value = new_value;
		self.points = new_points;
		Some(points)
	}

	/// What `points` of the current era are worth now, rounded down, at most `value`.
	pub fn value_of(&self, points: Balance) -> Balance {
		if self.points.is_zero() {
			return Zero::zero();
		}
		points
			.multiply_rational(self.value, self.points, Rounding::Down)
			.map_or(self.value, |value| value.min(self.value))
	}

	/// Remove a request of the current era with `points`, paying at most `cap` (its value at
	/// request). Returns `(paid, leftover)`: `leftover` is value nobody in the queue owns any
	/// more (rounding dust, when the last points leave), to be given back to the active stake.
	pub fn leave(&mut self, points: Balance, cap: Balance) -> (Balance, Balance) {
		let paid = self.value_of(points).min(cap);
		self.value = self.value.saturating_sub(paid);
		self.points = self.points.saturating_sub(points);
		let leftover = self.normalise();
		(paid, leftover)
	}

	/// Take `amount` (at most `value`) from the queue. Returns whether the queue was wiped out
	/// (and a new era started).
	pub fn slash(&mut self, amount: Balance) -> bool {
		self.value = self.value.saturating_sub(amount);
		let era = self.era;
		let _leftover = self.normalise();
		era != self.era
	}

	/// Restore "`points` is zero exactly when `value` is": value without points is returned as
	/// leftover; points without value start a new era.
	fn normalise(&mut self) -> Balance {
		if self.points.is_zero() {
			core::mem::replace(&mut self.value, Zero::zero())
		} else {
			if self.value.is_zero() {
				self.points = Zero::zero();
				self.era = self.era.saturating_add(1);
			}
			Zero::zero()
		}
	}
}

/// One bucket of a pool's withdrawal queue: the requests made from epoch `key` (its storage
/// key) to `last_epoch`. A slash for an offence of epoch `e` takes from the buckets with
/// `last_epoch ≥ e` only: a request made in epoch `r` backed epochs `≤ r` and nothing later.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Default,
)]
pub struct QueueBucket<Balance> {
	/// Value and points of the bucket's requests.
	pub queue: WithdrawalQueue<Balance>,
	/// The latest epoch a request joined the bucket.
	pub last_epoch: EpochIndex,
	/// Open requests in the bucket; it is removed when the last one is claimed.
	pub requests: u32,
}

/// A restaking pool.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct PoolRecord<AccountId, Balance> {
	/// The keyless account holding the pool's funds (see [`crate::Pallet::candidate_account`]).
	pub account: AccountId,
	/// Who manages the pool: sets allocations, the cap and the state.
	pub curator: AccountId,
	/// Who created the pool and has the creation deposit held.
	pub depositor: AccountId,
	/// The creation deposit held on `depositor` (native).
	pub creation_deposit: Balance,
	/// What the pool's stake is made of.
	pub collateral: Collateral,
	/// The asset id of the pool's LRT.
	pub lrt_asset: AssetId,
	/// Whether deposits are accepted.
	pub state: PoolState,
	/// Deposits may not raise `active` above this (collateral units).
	pub deposit_cap: Balance,
	/// Active stake (collateral units): what LRT holders own, what backs allocations.
	pub active: Balance,
	/// Value of the withdrawal queue (collateral units), the sum over its buckets
	/// ([`crate::QueueBuckets`]): owed to open requests, no longer backing, still slashable
	/// for the offences of the epochs the requests backed.
	pub queued: Balance,
	/// Open withdrawal requests of the pool.
	pub requests: u32,
	/// Collateral units booked against slashes but not yet paid out (frozen or blocked asset,
	/// see [`crate::OwedSlashes`]): owned by nobody in the pool; while it is not zero the pool
	/// backs nothing.
	pub owed: Balance,
	/// Native rewards not yet claimed by LRT holders (asset pools only; always zero for native
	/// pools, whose rewards raise `active`).
	pub reward_pot: Balance,
	/// Native rewards already shared out to open withdrawal requests.
	pub queued_rewards: Balance,
	/// Collateral units the creator seeded the pool account with so that it never falls below
	/// the asset's minimum balance (asset pools only). Owned by nobody, never paid out.
	pub seed: Balance,
	/// Rewards added to the pool but not yet in its LRT rate: they enter it linearly over the
	/// epochs they were earned in (see [`RewardVesting`]). Part of `active` (native and staked
	/// pools) or of `reward_pot` (asset pools).
	pub vesting: RewardVesting<Balance>,
}

/// Rewards entering a pool's LRT rate over time.
///
/// A pool's outside rewards are claimed lazily (by anyone, whenever), and a staked pool's NPoS
/// rewards are paid out per era by anyone: a claim may bring several epochs of rewards at
/// once. Put into the rate at once, they would go to whoever holds the LRT at that moment, so
/// a newcomer could deposit, claim and take a share of what was earned before it came. Instead
/// they vest: an amount added at epoch `e` enters the rate linearly, one slice per epoch, over
/// as many epochs as passed since the previous addition (at least one, and never faster than
/// what was still vesting). A newcomer shares them only at the pace they were earned, as a
/// holder who held all along would have; deposits and withdrawals need no claim first, so
/// they cost the same whenever they come. (Yearn's "locked profit" with the period set by the
/// claim cadence.)
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Default,
)]
pub struct RewardVesting<Balance> {
	/// What was still out of the rate at epoch `from`.
	pub amount: Balance,
	/// The epoch of the last addition (the pool's creation epoch at first).
	pub from: EpochIndex,
	/// The epoch from which all of `amount` is in the rate (`from` when nothing vests).
	pub until: EpochIndex,
}

impl<Balance: AtLeast32BitUnsigned + Copy> RewardVesting<Balance> {
	/// Nothing vesting, last addition at `epoch`.
	pub fn starting_at(epoch: EpochIndex) -> Self {
		Self { amount: Zero::zero(), from: epoch, until: epoch }
	}

	/// What is still out of the rate at epoch `now`: `amount × (until − now) / (until − from)`,
	/// rounded up (the rate never runs ahead of the vesting).
	pub fn locked(&self, now: EpochIndex) -> Balance {
		if now >= self.until || self.amount.is_zero() {
			return Zero::zero();
		}
		let left = self.until.saturating_sub(now.max(self.from));
		let period = self.until.saturating_sub(self.from);
		if period == 0 {
			return Zero::zero();
		}
		self.amount
			.multiply_rational(Balance::from(left), Balance::from(period), Rounding::Up)
			.unwrap_or(self.amount)
			.min(self.amount)
	}

	/// Add `amount` at epoch `now`: what is still locked and `amount` vest together from `now`
	/// over the epochs since the previous addition, at least one and at least what was left.
	pub fn add(&mut self, amount: Balance, now: EpochIndex) -> Option<()> {
		let locked = self.locked(now);
		let earned_over = now.saturating_sub(self.from);
		let left = self.until.saturating_sub(now);
		let period = earned_over.max(left).max(1);
		self.amount = locked.checked_add(&amount)?;
		self.from = now;
		self.until = now.saturating_add(period);
		Some(())
	}

	/// The vesting pool value went from `before` to `after` (a slash): what vests shrinks in
	/// the same proportion, rounded down, so holders bear the slash pro rata on both parts.
	pub fn scale(&mut self, before: Balance, after: Balance) {
		if after >= before || self.amount.is_zero() {
			return;
		}
		self.amount = if before.is_zero() {
			Zero::zero()
		} else {
			self.amount.multiply_rational(after, before, Rounding::Down).unwrap_or_else(Zero::zero)
		};
	}
}

impl<AccountId, Balance: AtLeast32BitUnsigned + Copy> PoolRecord<AccountId, Balance> {
	/// The rewards still vesting at epoch `now`.
	pub fn locked_rewards(&self, now: EpochIndex) -> Balance {
		self.vesting.locked(now)
	}

	/// Whether the pool takes deposits of native PAL (open, native collateral): what a basket
	/// may deposit into.
	pub fn is_open_native(&self) -> bool {
		self.state == PoolState::Open && self.collateral == Collateral::Native
	}

	/// The collateral value the LRT rate is computed from at epoch `now`: the active stake less
	/// what still vests in it (native and staked pools; an asset pool's rewards vest in its
	/// pot, and its active stake is all in the rate).
	pub fn rate_value(&self, now: EpochIndex) -> Balance {
		match self.collateral {
			Collateral::Asset(_) => self.active,
			Collateral::Native | Collateral::NativeStaked => {
				self.active.saturating_sub(self.locked_rewards(now))
			}
		}
	}

	/// The part of an asset pool's reward pot LRT holders own pro rata at epoch `now` (the
	/// rest still vests); zero for other pools.
	pub fn released_pot(&self, now: EpochIndex) -> Balance {
		match self.collateral {
			Collateral::Asset(_) => self.reward_pot.saturating_sub(self.locked_rewards(now)),
			Collateral::Native | Collateral::NativeStaked => Zero::zero(),
		}
	}
}

/// A queued withdrawal.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct WithdrawalRequest<Balance> {
	/// The pool withdrawn from.
	pub pool: PoolId,
	/// LRT burnt by the request.
	pub lrt_burnt: Balance,
	/// What the LRT was worth when burnt (collateral units): the most the claim pays.
	pub value_at_request: Balance,
	/// The queue bucket the request joined (the epoch the bucket was opened).
	pub bucket: EpochIndex,
	/// The request's share of its queue bucket.
	pub points: Balance,
	/// The bucket era the points belong to.
	pub queue_era: u32,
	/// Native storage deposit held on the requester until the claim.
	pub deposit: Balance,
	/// Native reward share paid with the claim (asset pools).
	pub reward: Balance,
	/// Epoch of the request.
	pub requested_at: EpochIndex,
	/// First epoch at which it can be claimed.
	pub claimable_at: EpochIndex,
}

/// A scheduled change of an allocation.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct PendingAllocation {
	/// The fraction from `effective` on.
	pub fraction: Perbill,
	/// The epoch from which `fraction` is in force.
	pub effective: EpochIndex,
}

/// The allocation of a pool's stake to one operator for one consumer.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct AllocationEntry<AccountId> {
	/// The operator.
	pub operator: AccountId,
	/// The fraction in force until `pending` takes effect.
	pub current: Perbill,
	/// A scheduled change, if any.
	pub pending: Option<PendingAllocation>,
}

impl<AccountId> AllocationEntry<AccountId> {
	/// The fraction in force at `epoch` (the current one or later).
	pub fn fraction_at(&self, epoch: EpochIndex) -> Perbill {
		match self.pending {
			Some(pending) if pending.effective <= epoch => pending.fraction,
			_ => self.current,
		}
	}

	/// The most this entry may back before its pending change settles: the larger of the
	/// current and the pending fraction.
	pub fn peak(&self) -> Perbill {
		self.pending.map_or(self.current, |pending| pending.fraction.max(self.current))
	}

	/// The most this entry may back at `epoch` (the current one) or later: [`Self::peak`], but
	/// only the pending fraction once that is due (in force, even if not finalised yet). Sums
	/// of these are kept at most 100%.
	pub fn peak_at(&self, epoch: EpochIndex) -> Perbill {
		match self.pending {
			Some(pending) if self.is_due(epoch) => pending.fraction,
			_ => self.peak(),
		}
	}

	/// Whether the pending change is due at `epoch` (in force but not finalised).
	pub fn is_due(&self, epoch: EpochIndex) -> bool {
		self.pending.is_some_and(|pending| pending.effective <= epoch)
	}

	/// Apply the pending change if it is due at `epoch`. Returns the change if it was applied
	/// (its `effective` epoch may be earlier than `epoch`: finalisation can come late).
	pub fn settle(&mut self, epoch: EpochIndex) -> Option<PendingAllocation> {
		match self.pending {
			Some(pending) if self.is_due(epoch) => {
				self.current = pending.fraction;
				self.pending = None;
				Some(pending)
			}
			_ => None,
		}
	}

	/// Whether the entry no longer allocates anything, now or later.
	pub fn is_void(&self) -> bool {
		self.current.is_zero() && self.pending.is_none()
	}
}

/// Sum of fractions in parts per billion, without overflow.
pub fn sum_parts(fractions: impl Iterator<Item = Perbill>) -> u64 {
	fractions.fold(0u64, |sum, fraction| sum.saturating_add(u64::from(fraction.deconstruct())))
}

/// One hundred percent, in parts per billion.
pub const FULL_PARTS: u64 = 1_000_000_000;

/// An NPoS era index (of `pallet-staking`).
pub type EraIndex = u32;

/// The NPoS side of a staked pool as stored.
pub type StakedPoolOf<T> = StakedPool<<T as frame_system::Config>::AccountId, BalanceOf<T>>;

/// An unbonding chunk of a staked pool as stored.
pub type UnbondingChunkOf<T> = UnbondingChunk<BalanceOf<T>>;

/// A request's unbonding position as stored.
pub type UnbondingPositionOf<T> = UnbondingPosition<BalanceOf<T>>;

/// A staked pool's session keys (the runtime's SCALE-encoded `SessionKeys`) or their
/// ownership proof, at most [`crate::MAX_SESSION_KEYS_LEN`] bytes.
pub type SessionKeysOf =
	BoundedVec<u8, frame_support::traits::ConstU32<{ crate::MAX_SESSION_KEYS_LEN }>>;

/// The validators a staked pool nominates, at most [`Config::MaxNominations`].
pub type NominationsOf<T> =
	BoundedVec<<T as frame_system::Config>::AccountId, <T as Config>::MaxNominations>;

/// The NPoS side of a pool of [`Collateral::NativeStaked`]: its PAL is bonded in staking as a
/// virtual staker (the pool account is the stash; the funds stay in its free balance, under
/// this pallet's control), and the pallet's books must agree with staking's ledger:
///
/// - ledger active = the pool's `active + queued + seed` + `ghost_pending`;
/// - ledger unlocking at era `e` (not yet withdrawn) = the value still owed to the requests
///   unbonding there (the [`UnbondingChunk`] of `e`) plus the ghost of `e` in `ghosts`.
///
/// Once `unstaked` (the first step of closing the pool, see `Pallet::unstake_pool`) there is
/// no ledger any more and none of this applies.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct StakedPool<AccountId, Balance> {
	/// Where staking pays the pool's NPoS rewards (a keyless account other than the stash, as
	/// staking requires of virtual stakers); compounded into the pool by `compound_rewards`
	/// and by the pool's next deposit or withdrawal request.
	pub reward_account: AccountId,
	/// PAL a service slash took while it was bonded, not yet unbonded in the ledger (its
	/// unbonding failed; retried by the pool's next staking operation).
	pub ghost_pending: Balance,
	/// The last era up to which the ledger's unlocked chunks were withdrawn.
	pub withdrawn_through: EraIndex,
	/// Value owed to the requests in their unbonding phase (the sum of the chunks' queues).
	pub unbonding: Balance,
	/// Requests in their unbonding phase.
	pub unbonding_requests: u32,
	/// The *ghosts* still in the ledger, by the era they unlock (ascending, one entry per
	/// era): PAL service slashes took while it was bonded, unbonded so that the ledger's
	/// active stake matches the books, with no funds behind it. Kept here rather than in the
	/// era's [`UnbondingChunk`] so that withdrawing unlocked eras touches no other storage: an
	/// entry is dropped once its era is withdrawn. Every ghost unlocks within the bonding
	/// duration of the last withdrawal, so at most [`MAX_GHOST_ERAS`] (checked against
	/// staking's bonding duration by `integrity_test`).
	pub ghosts: BoundedVec<(EraIndex, Balance), frame_support::traits::ConstU32<MAX_GHOST_ERAS>>,
	/// The pool left staking (`Pallet::unstake_pool`): its ledger and session keys are gone,
	/// it refuses deposits and can only be closed.
	pub unstaked: bool,
}

/// The most eras with a ghost a staked pool keeps ([`StakedPool::ghosts`]): at least
/// staking's bonding duration (24 eras in the runtime), since ghosts unlock within it.
pub const MAX_GHOST_ERAS: u32 = 32;

/// What the requests of a staked pool have unbonding in the ledger chunk of one era: the
/// requests that entered their unbonding phase then (a queue shared out by points, so an NPoS
/// slash of the chunk costs O(1)). It exists while one of them is not paid; the era's ghost
/// is kept apart ([`StakedPool::ghosts`]).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
	Default,
)]
pub struct UnbondingChunk<Balance> {
	/// Value and points of the requests unbonding in this chunk.
	pub queue: WithdrawalQueue<Balance>,
	/// Requests in the chunk; the chunk goes when the last one is paid.
	pub requests: u32,
}

/// A withdrawal request of a staked pool in its unbonding phase: it left its queue bucket
/// (no service slash can reach it any more) and waits for staking's unbonding.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct UnbondingPosition<Balance> {
	/// The era its chunk unlocks (the claim pays from then on).
	pub unlock_era: EraIndex,
	/// Value unbonded for it: the most the claim pays.
	pub amount: Balance,
	/// Its share of the chunk's queue.
	pub points: Balance,
	/// The chunk queue's era the points belong to.
	pub queue_era: u32,
}
