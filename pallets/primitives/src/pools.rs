//! Restaking pools: what the consumers and slashing pallets may ask of, and do to, the pools.
//!
//! A pool holds one kind of collateral ([`Collateral`]) and allocates fractions of its active
//! stake to (operator, consumer) pairs. Amounts crossing this interface are **native-valued**
//! (PAL Planck): a pool with non-native collateral is valued at the governance-set valuation of
//! its asset, and counts as zero if it has none.

use crate::{AssetId, ConsumerId, EpochIndex, PoolId};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::weights::Weight;
use scale_info::TypeInfo;
use sp_runtime::DispatchError;

/// What a pool's stake is made of.
#[derive(
	Clone,
	Copy,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	Debug,
)]
pub enum Collateral {
	/// The native token, PAL.
	Native,
	/// A `pallet-assets` asset (not an LRT), counted towards security at its governance-set
	/// valuation.
	Asset(AssetId),
	/// The native token, bonded in the chain's NPoS staking (`pallet-staking`, as a virtual
	/// staker the pools pallet manages) and nominating the validators the curator chooses:
	/// it earns NPoS rewards and can be slashed by NPoS as well as by consumers (native
	/// restaking).
	NativeStaked,
}

impl Collateral {
	/// Whether the collateral is PAL (staked or not): valued one to one, paid in the native
	/// currency.
	pub fn is_native(&self) -> bool {
		matches!(self, Collateral::Native | Collateral::NativeStaked)
	}
}

/// What the other pallets (consumers, slashing) may ask of, and do to, the restaking pools.
///
/// Queries taking an `epoch` answer for the current epoch or a later one: scheduled allocation
/// changes are applied by comparing their effective epoch with `epoch`. History is not kept;
/// callers that need the past (slashing) snapshot exposures at the epoch transition.
pub trait PoolsInterface<AccountId, Balance> {
	/// Whether a pool with this id exists.
	fn pool_exists(pool: PoolId) -> bool;

	/// The native-valued stake `pool` backs `(operator, consumer)` with at `epoch`: the pool's
	/// active value (valued in native units, rounded down) times the allocation fraction in
	/// force at `epoch` (rounded down). Zero without an allocation. Opt-in status is not checked
	/// here: the caller decides whether the operator may validate.
	fn backing_of(
		pool: PoolId,
		operator: &AccountId,
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> Balance;

	/// Every pool backing `(operator, consumer)` at `epoch` with a non-zero stake, with that
	/// stake (see [`Self::backing_of`]), in pool id order. At most
	/// [`Self::max_pools_per_operator`] entries.
	fn backing(
		operator: &AccountId,
		consumer: ConsumerId,
		epoch: EpochIndex,
	) -> Vec<(PoolId, Balance)>;

	/// The most pools that may allocate to one (operator, consumer) pair (bounds
	/// [`Self::backing`]).
	fn max_pools_per_operator() -> u32;

	/// The consumers `pool` allocates to, allocations being withdrawn included. Used to find
	/// the consumers a pool's change affects.
	fn allocated_consumers(_pool: PoolId) -> Vec<ConsumerId> {
		Vec::new()
	}

	/// Move `amount` native PAL from `payer` into `pool` as a reward (`payer` is kept alive).
	///
	/// - Native pools: the pool value grows by `amount`; every LRT is worth more at once.
	/// - Asset pools: `amount` goes into the pool's native reward pot; a holder withdrawing `lrt`
	///   out of a supply `S` also receives `pot × lrt / S` PAL (rounded down).
	///
	/// Fails if the pool does not exist, has no LRT holder, or `payer` cannot pay. Returns the
	/// amount added.
	fn add_rewards(
		pool: PoolId,
		payer: &AccountId,
		amount: Balance,
	) -> Result<Balance, DispatchError>;

	/// Slash `pool` by the native-valued `amount`: converted to collateral units at the
	/// valuation (rounded up), capped by what the pool holds, taken pro rata from the active
	/// stake and the withdrawal queue (O(1), whatever the number of restakers). The funds go to
	/// `beneficiary`, or are burnt if `None` (or if they cannot be paid to it). Returns the
	/// native value actually taken (zero for an unknown pool or an asset without valuation).
	fn slash(pool: PoolId, amount: Balance, beneficiary: Option<AccountId>) -> Balance;

	/// Slash `pool` by the native-valued `amount` for an offence of `offence_epoch`: like
	/// [`Self::slash`], but only the stake that backed the pool in `offence_epoch` bears it
	/// (withdrawal requests queued before that epoch are exempt), and the slash is never lost:
	/// what the pool cannot pay now (frozen asset, missing valuation) stays owed by the pool,
	/// which stops counting as security until it is paid. Returns the native value booked
	/// against the pool (taken now or owed). The default calls [`Self::slash`].
	fn slash_for_epoch(
		pool: PoolId,
		amount: Balance,
		offence_epoch: EpochIndex,
		beneficiary: Option<AccountId>,
	) -> Balance {
		let _ = offence_epoch;
		Self::slash(pool, amount, beneficiary)
	}

	/// Finalise the allocation changes scheduled for `epoch`. Must be called once at the start
	/// of each epoch by the pallet that runs the epoch clock. Returns the weight used.
	fn on_new_epoch(epoch: EpochIndex) -> Weight;

	/// The weight of one [`Self::add_rewards`].
	fn add_rewards_weight() -> Weight;

	/// The weight of one [`Self::slash`].
	fn slash_weight() -> Weight;

	/// The weight of one [`Self::backing`] query.
	fn backing_weight() -> Weight;

	/// Create a native pool holding `amount`, allocated 100% to `(operator, consumer)` from the
	/// current epoch on, for benchmarks of pallets that need backing. The operator must already
	/// be opted in. The default fails.
	#[cfg(feature = "runtime-benchmarks")]
	fn back_for_benchmarks(
		_operator: &AccountId,
		_consumer: ConsumerId,
		_amount: Balance,
	) -> Result<PoolId, DispatchError> {
		Err(DispatchError::Other("pools do not support benchmarks"))
	}
}

/// No pools: nothing backs anything, nothing can be rewarded or slashed.
impl<AccountId, Balance: Default> PoolsInterface<AccountId, Balance> for () {
	fn pool_exists(_pool: PoolId) -> bool {
		false
	}
	fn backing_of(
		_pool: PoolId,
		_operator: &AccountId,
		_consumer: ConsumerId,
		_epoch: EpochIndex,
	) -> Balance {
		Balance::default()
	}
	fn backing(
		_operator: &AccountId,
		_consumer: ConsumerId,
		_epoch: EpochIndex,
	) -> Vec<(PoolId, Balance)> {
		Vec::new()
	}
	fn max_pools_per_operator() -> u32 {
		0
	}
	fn add_rewards(
		_pool: PoolId,
		_payer: &AccountId,
		_amount: Balance,
	) -> Result<Balance, DispatchError> {
		Err(DispatchError::Other("no restaking pools"))
	}
	fn slash(_pool: PoolId, _amount: Balance, _beneficiary: Option<AccountId>) -> Balance {
		Balance::default()
	}
	fn on_new_epoch(_epoch: EpochIndex) -> Weight {
		Weight::zero()
	}
	fn add_rewards_weight() -> Weight {
		Weight::zero()
	}
	fn slash_weight() -> Weight {
		Weight::zero()
	}
	fn backing_weight() -> Weight {
		Weight::zero()
	}
}

/// Where the rewards a pool earns outside the pool pallet wait for it (the consumers pallet:
/// consumer payments accrue lazily, per consumer, and a pool's part is only computed when it is
/// claimed).
///
/// No pallet of the runtime calls it any more: the pools pallet's deposits and withdrawal
/// requests claim nothing, since claimed rewards vest into the LRT rate (its
/// `RewardVesting`). It stays as the consumers pallet's whole-pool claim.
pub trait PoolRewardsSource {
	/// Pay `pool` every reward it is owed (through [`PoolsInterface::add_rewards`]). Returns
	/// the weight used.
	fn claim_for_pool(pool: PoolId) -> Weight;

	/// The most weight one [`Self::claim_for_pool`] may use.
	fn claim_for_pool_weight() -> Weight;

	/// Whether every payment for the current epoch has been made: a claim after it leaves
	/// nothing for later in the epoch. The default: always.
	fn epoch_paid() -> bool {
		true
	}
}

/// No outside rewards.
impl PoolRewardsSource for () {
	fn claim_for_pool(_pool: PoolId) -> Weight {
		Weight::zero()
	}
	fn claim_for_pool_weight() -> Weight {
		Weight::zero()
	}
}

/// What a pallet holding pool LRT on behalf of others (the basket pallet) may ask of the
/// restaking pools: deposit into a native pool as one of its own accounts, and value the pool
/// LRT it holds.
///
/// Values are in the pool's collateral (PAL for the native pools this trait deposits into),
/// read from the pools' books, never from an account balance.
pub trait PoolDeposits<AccountId, Balance> {
	/// Whether `pool` exists, accepts deposits and takes native PAL as collateral.
	fn is_open_native_pool(pool: PoolId) -> bool;

	/// Deposit up to `amount` PAL of `payer` into the native pool `pool`, exactly like the
	/// pool's own `deposit` call signed by `payer` (same checks, same rate), except that the
	/// pool's LRT is minted to `beneficiary`. Returns the LRT minted and the PAL the pool took
	/// from `payer` (at most `amount`; the rest stays with `payer`). Fails, changing nothing,
	/// for an asset or staked pool.
	fn deposit_for(
		payer: &AccountId,
		beneficiary: &AccountId,
		pool: PoolId,
		amount: Balance,
	) -> Result<crate::LrtConversion<Balance>, DispatchError>;

	/// [`Self::deposit_for`] with `who` as both payer and beneficiary.
	fn deposit_as(
		who: &AccountId,
		pool: PoolId,
		amount: Balance,
	) -> Result<crate::LrtConversion<Balance>, DispatchError> {
		Self::deposit_for(who, who, pool, amount)
	}

	/// The asset id of `pool`'s LRT in `pallet-assets`.
	fn lrt_asset_id(pool: PoolId) -> AssetId;

	/// What `lrt` of `pool`'s LRT is worth now at the pool's rate, rounded down (what
	/// redeeming it would pay); zero for an unknown pool.
	fn lrt_value(pool: PoolId, lrt: Balance) -> Balance;

	/// [`Self::lrt_value`] of `lrt` and [`Self::is_open_native_pool`] of `pool` at once, from
	/// one read of the pool's books where the implementation can.
	fn held_pool_view(pool: PoolId, lrt: Balance) -> (Balance, bool) {
		(Self::lrt_value(pool, lrt), Self::is_open_native_pool(pool))
	}

	/// The most weight one [`Self::deposit_for`] uses.
	fn deposit_as_weight() -> Weight;

	/// Create an open native pool (with no deposit in it), for benchmarks. The default fails.
	#[cfg(feature = "runtime-benchmarks")]
	fn native_pool_for_benchmarks() -> Result<PoolId, DispatchError> {
		Err(DispatchError::Other("pools do not support benchmarks"))
	}
}
