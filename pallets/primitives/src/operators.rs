//! What the operators pallet asks of its neighbours (the epoch clock, the consumer registry)
//! and what the other pallets may ask of, and do to, the operator registry.

use crate::{ConsumerId, ConsumerKey, EpochIndex};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::weights::Weight;
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;
use sp_runtime::{DispatchError, DispatchResult};
/// Where the current restaking epoch comes from.
///
/// The operators pallet does not run the epoch clock: it asks this trait (wired in the runtime
/// to whichever pallet runs the clock, normally the consumers pallet) and counts every delay
/// from the answer.
pub trait EpochProvider {
	/// The epoch the chain is in now.
	fn current_epoch() -> EpochIndex;
}

/// An epoch clock that never moves: always epoch `0`. Only useful in tests and mocks.
impl EpochProvider for () {
	fn current_epoch() -> EpochIndex {
		0
	}
}

/// What the other pallets may ask about registered consumer chains.
pub trait ConsumerRegistry {
	/// Whether a consumer chain with this id is registered.
	///
	/// Operators may only opt in to consumers for which this is `true`. A consumer should keep
	/// answering `true` for as long as operators may be opted in to it (mark consumers as
	/// deregistered instead of deleting them while opt-ins remain), otherwise the operators
	/// pallet's `try_state` reports an opt-in for an unknown consumer.
	fn consumer_exists(id: ConsumerId) -> bool;

	/// Whether operators may opt in to `id` now: it exists and is not deregistered (nor being
	/// wound up). The default answers [`Self::consumer_exists`].
	fn accepts_opt_ins(id: ConsumerId) -> bool {
		Self::consumer_exists(id)
	}

	/// Make `id` a registered consumer, for benchmarks of pallets that need one.
	///
	/// The default does nothing; a runtime whose benchmarks opt operators in to consumers must
	/// override it.
	#[cfg(feature = "runtime-benchmarks")]
	fn register_consumer_for_benchmarks(_id: ConsumerId) {}
}

/// No consumer chain exists.
impl ConsumerRegistry for () {
	fn consumer_exists(_id: ConsumerId) -> bool {
		false
	}
}

/// One operator opted in to a consumer chain, as seen at a given epoch.
#[derive(
	Clone, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo, MaxEncodedLen, Debug,
)]
pub struct OptedInOperator<AccountId> {
	/// The operator's account.
	pub operator: AccountId,
	/// The key the operator validates this consumer with at that epoch.
	pub key: ConsumerKey,
	/// Whether the operator may be put into the consumer's validator set at that epoch: it is
	/// not jailed, not leaving (neither this consumer nor the registry) and its bond is at least
	/// the registry's minimum. An operator that is opted in but not eligible is still slashable
	/// for this consumer.
	pub eligible: bool,
}

/// What one page of [`OperatorRegistry::remove_consumer_opt_ins`] did.
#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
pub struct OptInRemoval {
	/// Opt-ins to the consumer removed by this call (at most the limit asked for).
	pub removed: u32,
	/// Opt-ins to the consumer still in place after it.
	pub remaining: u32,
}

/// What the other pallets (pools, consumers, slashing) may ask of, and do to, the operator
/// registry.
///
/// Queries taking an `epoch` answer for the current epoch or a later one: scheduled changes
/// (commission increases, key rotations, opt-outs, jail ends) are applied by comparing their
/// effective epoch with `epoch`. History is not kept, so for a past epoch the answer is the
/// current state; callers that need the past (e.g. slashing) snapshot what they need at the
/// epoch transition.
pub trait OperatorRegistry<AccountId, Balance> {
	/// Whether `who` is a registered operator, whatever its status.
	fn is_operator(who: &AccountId) -> bool;

	/// Whether `who` is a registered operator that is neither jailed (at the current epoch) nor
	/// leaving the registry.
	fn is_active(who: &AccountId) -> bool;

	/// Whether `who` is opted in to `consumer` at `epoch`. `true` from the opt-in until the
	/// opt-out (or deregistration) takes effect: a leaving operator is still opted in, and still
	/// slashable for that consumer.
	fn is_opted_in(who: &AccountId, consumer: ConsumerId, epoch: EpochIndex) -> bool;

	/// Whether `who` may be put into the validator set of `consumer` at `epoch`: opted in and
	/// not leaving it, not jailed, not leaving the registry, bond at least the minimum.
	fn is_eligible(who: &AccountId, consumer: ConsumerId, epoch: EpochIndex) -> bool;

	/// The active bond of `who` (zero for a non-operator). Unbonding funds are not counted.
	fn bond(who: &AccountId) -> Balance;

	/// Everything of `who`'s that a slash can still take: active bond plus unbonding chunks not
	/// yet withdrawn.
	fn slashable_balance(who: &AccountId) -> Balance;

	/// The commission `who` charges at `epoch`, `None` for a non-operator.
	fn commission_at(who: &AccountId, epoch: EpochIndex) -> Option<Perbill>;

	/// The key `who` validates `consumer` with at `epoch`, `None` if not opted in at `epoch`.
	fn consumer_key(
		who: &AccountId,
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> Option<ConsumerKey>;

	/// The operator holding `key` for `consumer`, as its current key or as the key it rotates
	/// to. Used to attribute evidence signed with a consumer key.
	fn operator_of_key(consumer: ConsumerId, key: &ConsumerKey) -> Option<AccountId>;

	/// Every operator opted in to `consumer` at `epoch`, with the key in force at `epoch` and
	/// whether it is eligible (see [`Self::is_eligible`]). At most
	/// [`Self::max_operators_per_consumer`] entries, in opt-in order.
	fn opted_in_operators(
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> Vec<OptedInOperator<AccountId>>;

	/// The most operators that may be opted in to one consumer (bounds
	/// [`Self::opted_in_operators`]).
	fn max_operators_per_consumer() -> u32;

	/// The consumers `operator` is opted in to, those it is leaving included (at most the
	/// registry's opt-in bound). Used to find the consumers an operator's change affects.
	fn opted_in_consumers(_operator: &AccountId) -> Vec<ConsumerId> {
		Vec::new()
	}

	/// How many operators are opted in to `consumer`, those leaving included: a bound on the
	/// entries of [`Self::opted_in_operators`] that costs one read.
	fn opted_in_count(_consumer: ConsumerId) -> u32 {
		Self::max_operators_per_consumer()
	}

	/// Jail `who` until epoch `until` (exclusive): it is not eligible for any consumer before
	/// `until`, and active again from `until` on. Jailing an already jailed operator keeps the
	/// later end. Fails only if `who` is not an operator.
	fn jail(who: &AccountId, until: EpochIndex) -> DispatchResult;

	/// Slash up to `amount` of `who`'s bond: first the active bond, then the unbonding chunks.
	/// Returns the amount actually taken (less than `amount` if the operator has less).
	fn slash_bond(who: &AccountId, amount: Balance) -> Balance;

	/// Slash up to `amount` of `who`'s bond like [`Self::slash_bond`], but pay the funds to
	/// `beneficiary` (e.g. the reporter's share of the offender's own loss, or the treasury), or
	/// burn them when `beneficiary` is `None`. Returns the amount actually taken. The default
	/// ignores `beneficiary` and behaves as [`Self::slash_bond`].
	fn slash_bond_to(who: &AccountId, amount: Balance, beneficiary: Option<AccountId>) -> Balance {
		let _ = beneficiary;
		Self::slash_bond(who, amount)
	}

	/// Whether `operator` has accepted `pool` as a backer (operator-side consent, as Symbiotic's
	/// operator opt-in to vaults): a pool may only allocate stake to operators that accepted it.
	/// The default accepts every pool.
	fn accepts_pool(operator: &AccountId, pool: crate::PoolId) -> bool {
		let _ = (operator, pool);
		true
	}

	/// Remove at most `limit` of the opt-ins to `consumer`, the most recent first, because the
	/// consumer's record is going away (`reap_consumer`, long after its last epoch with a
	/// validator set and its exposures' retention, so no slash can reach those opt-ins any
	/// more). The caller pages: it calls again until [`OptInRemoval::remaining`] is `0`, and
	/// must keep new opt-ins out meanwhile ([`ConsumerRegistry::accepts_opt_ins`]).
	///
	/// Returns how many opt-ins this call removed (at most `limit`, for the caller's weight)
	/// and how many remain. The default removes nothing and reports none remaining.
	fn remove_consumer_opt_ins(consumer: ConsumerId, limit: u32) -> OptInRemoval {
		let _ = (consumer, limit);
		OptInRemoval::default()
	}

	/// Make `operator` accept `pool` (see [`Self::accepts_pool`]), for benchmarks of pallets
	/// that allocate pool stake to operators. The default does nothing.
	#[cfg(feature = "runtime-benchmarks")]
	fn accept_pool_for_benchmarks(_operator: &AccountId, _pool: crate::PoolId) {}

	/// Finalise the changes scheduled for `epoch` (commission increases, key rotations,
	/// opt-outs, jail ends). Must be called once at the start of each epoch by the pallet that
	/// runs the epoch clock. Returns the weight used.
	fn on_new_epoch(epoch: EpochIndex) -> Weight;

	/// Register `who` as an operator (funding it as needed) opted in to `consumer` with `key`,
	/// for benchmarks of pallets that need one. The default fails.
	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmarks(
		_who: &AccountId,
		_consumer: ConsumerId,
		_key: ConsumerKey,
	) -> DispatchResult {
		Err(DispatchError::Other("operator registry does not support benchmarks"))
	}
}

/// An empty registry: nobody is an operator, nothing can be jailed or slashed.
impl<AccountId, Balance: Default> OperatorRegistry<AccountId, Balance> for () {
	fn is_operator(_who: &AccountId) -> bool {
		false
	}
	fn is_active(_who: &AccountId) -> bool {
		false
	}
	fn is_opted_in(_who: &AccountId, _consumer: ConsumerId, _epoch: EpochIndex) -> bool {
		false
	}
	fn is_eligible(_who: &AccountId, _consumer: ConsumerId, _epoch: EpochIndex) -> bool {
		false
	}
	fn bond(_who: &AccountId) -> Balance {
		Balance::default()
	}
	fn slashable_balance(_who: &AccountId) -> Balance {
		Balance::default()
	}
	fn commission_at(_who: &AccountId, _epoch: EpochIndex) -> Option<Perbill> {
		None
	}
	fn consumer_key(
		_who: &AccountId,
		_consumer: ConsumerId,
		_epoch: EpochIndex,
	) -> Option<ConsumerKey> {
		None
	}
	fn operator_of_key(_consumer: ConsumerId, _key: &ConsumerKey) -> Option<AccountId> {
		None
	}
	fn opted_in_operators(
		_consumer: ConsumerId,
		_epoch: EpochIndex,
	) -> Vec<OptedInOperator<AccountId>> {
		Vec::new()
	}
	fn max_operators_per_consumer() -> u32 {
		0
	}
	fn jail(_who: &AccountId, _until: EpochIndex) -> DispatchResult {
		Err(DispatchError::Other("no operator registry"))
	}
	fn slash_bond(_who: &AccountId, _amount: Balance) -> Balance {
		Balance::default()
	}
	fn on_new_epoch(_epoch: EpochIndex) -> Weight {
		Weight::zero()
	}
}

/// What the slashing pallet tells the custody pallets about slashes not yet executed, so that
/// stake a pending slash may still take cannot leave before it lands (a slash is never
/// outrun by an exit, whatever delays the slash meter or a queue adds).
pub trait PendingSlashes<AccountId> {
	/// Whether a slash against `operator`'s bond is reported and not yet executed or cancelled.
	fn operator_has_pending(operator: &AccountId) -> bool;
	/// Whether a slash that may take from `pool` (for an offence of epoch `offence_epoch` or
	/// later) is reported and not yet executed or cancelled. `None` asks about any epoch.
	fn pool_has_pending(pool: crate::PoolId, offence_epoch: Option<EpochIndex>) -> bool;
	/// Whether a slash that may take from `pool` for an offence of epoch `last_epoch` or
	/// **earlier** is reported and not yet executed or cancelled: what a queued withdrawal
	/// whose stake backed the epochs up to `last_epoch` (and no later one) must wait for.
	///
	/// The default asks about any epoch (`pool_has_pending(pool, None)`): never less than it
	/// should.
	fn pool_has_pending_through(pool: crate::PoolId, last_epoch: EpochIndex) -> bool {
		let _ = last_epoch;
		Self::pool_has_pending(pool, None)
	}
}

/// Nothing is ever pending.
impl<AccountId> PendingSlashes<AccountId> for () {
	fn operator_has_pending(_operator: &AccountId) -> bool {
		false
	}
	fn pool_has_pending(_pool: crate::PoolId, _offence_epoch: Option<EpochIndex>) -> bool {
		false
	}
}
