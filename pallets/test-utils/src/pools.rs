//! The restaking pools, and where slashed funds go.

use crate::{
	epoch::{record_call, NeighbourCall},
	mutate, read, shared, MockAccount, MockBalance, World,
};
use codec::{Decode, Encode};
use core::marker::PhantomData;
use frame_support::{
	traits::{fungible::Mutate, tokens::Preservation, ConstU32, Get},
	weights::Weight,
};
use palisade_primitives::{ConsumerId, EpochIndex, PoolId, PoolsInterface};
use sp_runtime::{DispatchError, DispatchResult};

/// One call to `PoolsInterface::slash_for_epoch` of [`MockPools`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub struct PoolSlash<AccountId, Balance> {
	/// The pool.
	pub pool: PoolId,
	/// The amount asked for (and booked: never lost).
	pub amount: Balance,
	/// The offence epoch.
	pub epoch: EpochIndex,
	/// Where the funds go (`None`: burnt).
	pub beneficiary: Option<AccountId>,
	/// The amount paid now (the rest is owed, see [`MockPools::owed`]).
	pub taken: Balance,
}

/// How [`MockPools`] takes a reward in, after checking that the pool does not refuse it.
pub trait RewardPayer<AccountId, Balance> {
	/// Move `amount` from `payer` into `pool`.
	fn pay(payer: &AccountId, pool: PoolId, amount: Balance) -> DispatchResult;
}

/// Rewards are not mocked: every `add_rewards` fails.
impl<AccountId, Balance> RewardPayer<AccountId, Balance> for () {
	fn pay(_payer: &AccountId, _pool: PoolId, _amount: Balance) -> DispatchResult {
		Err(DispatchError::Other("not mocked"))
	}
}

/// Rewards move with the fungible `Currency` from the payer (kept alive) to
/// [`pool_account`]`(pool)`.
pub struct PayInto<Currency>(PhantomData<Currency>);

impl<A: Eq + From<u32>, B, Currency: Mutate<A, Balance = B>> RewardPayer<A, B>
	for PayInto<Currency>
{
	fn pay(payer: &A, pool: PoolId, amount: B) -> DispatchResult {
		Currency::transfer(payer, &pool_account(pool), amount, Preservation::Preserve).map(|_| ())
	}
}

/// The account a mock pool keeps its rewards in: `100_000 + pool`.
pub fn pool_account<A: From<u32>>(pool: PoolId) -> A {
	A::from(100_000 + pool)
}

/// Restaking pools ([`PoolsInterface`]) over the world's pools.
///
/// - A pool has a value ([`Self::set_value`]) and backs (operator, consumer) pairs
///   ([`Self::back`]); `backing` lists a pair's pools as set, in pool id order (a zero amount
///   included, as a careless pools pallet might). A pool exists once it has a value or backs a
///   pair.
/// - `add_rewards` fails for a pool made to refuse rewards ([`Self::fail`]), else moves the
///   funds with `Payer` (by default it fails: "not mocked"; [`PayInto`] transfers) and is
///   recorded ([`Self::reward_calls`]).
/// - `slash_for_epoch` takes at most the pool's value, pays the beneficiary (or burns, see
///   [`SlashedFunds`]), books the rest as owed ([`Self::owed`]), is recorded
///   ([`Self::pool_slashes`]) and returns the whole amount (booked). `slash` panics: a pallet
///   slashing for an offence must use `slash_for_epoch`.
/// - `on_new_epoch` is logged ([`NeighbourCall::PoolsNewEpoch`]) and reports the weight set
///   by [`Self::set_epoch_weight`]; the other weights are zero.
/// - `max_pools_per_operator` is `MaxPools` (8 by default).
/// - `back_for_benchmarks` creates the pool after the last one (1_000 if there is none) with
///   the amount as value and backing.
pub struct MockPools<AccountId, Balance, MaxPools = ConstU32<8>, Payer = ()>(
	PhantomData<(AccountId, Balance, MaxPools, Payer)>,
);

impl<A: MockAccount, B: MockBalance, M, P> MockPools<A, B, M, P> {
	/// Set `pool`'s value (creating it).
	pub fn set_value(pool: PoolId, value: B) {
		mutate(|world: &mut World<A, B>| world.pool_values.insert(pool, value));
	}

	/// `pool`'s value (zero if it has none).
	pub fn value(pool: PoolId) -> B {
		read(|world: &World<A, B>| world.pool_values.get(&pool).copied().unwrap_or_else(B::zero))
	}

	/// Let `pool` back `(operator, consumer)` with `amount`, replacing a previous amount.
	pub fn back(operator: A, consumer: ConsumerId, pool: PoolId, amount: B) {
		mutate(|world: &mut World<A, B>| {
			let list = world.backing.entry((operator, consumer)).or_default();
			list.retain(|(p, _)| *p != pool);
			list.push((pool, amount));
			list.sort_by_key(|(p, _)| *p);
		});
	}

	/// Make `pool` refuse rewards.
	pub fn fail(pool: PoolId) {
		mutate(|world: &mut World<A, B>| world.failing_pools.push(pool));
	}

	/// The `add_rewards` calls that succeeded: (pool, payer, amount), oldest first.
	pub fn reward_calls() -> Vec<(PoolId, A, B)> {
		read(|world: &World<A, B>| world.rewards.clone())
	}

	/// The calls to `slash_for_epoch`, oldest first.
	pub fn pool_slashes() -> Vec<PoolSlash<A, B>> {
		read(|world: &World<A, B>| world.pool_slashes.clone())
	}

	/// What `pool` owes: slashes booked that it could not pay.
	pub fn owed(pool: PoolId) -> B {
		read(|world: &World<A, B>| world.owed.get(&pool).copied().unwrap_or_else(B::zero))
	}

	/// The weight `on_new_epoch` reports (zero by default).
	pub fn set_epoch_weight(weight: Weight) {
		shared(|shared| shared.pools_epoch_weight = weight);
	}
}

impl<A: MockAccount, B: MockBalance, M: Get<u32>, P: RewardPayer<A, B>> PoolsInterface<A, B>
	for MockPools<A, B, M, P>
{
	fn pool_exists(pool: PoolId) -> bool {
		read(|world: &World<A, B>| {
			world.pool_values.contains_key(&pool)
				|| world.backing.values().any(|list| list.iter().any(|(p, _)| *p == pool))
		})
	}

	fn backing_of(pool: PoolId, operator: &A, consumer: ConsumerId, _epoch: EpochIndex) -> B {
		read(|world: &World<A, B>| {
			world
				.backing
				.get(&(operator.clone(), consumer))
				.and_then(|list| list.iter().find(|(p, _)| *p == pool).map(|(_, amount)| *amount))
				.unwrap_or_else(B::zero)
		})
	}

	fn backing(operator: &A, consumer: ConsumerId, _epoch: EpochIndex) -> Vec<(PoolId, B)> {
		read(|world: &World<A, B>| {
			world.backing.get(&(operator.clone(), consumer)).cloned().unwrap_or_default()
		})
	}

	fn max_pools_per_operator() -> u32 {
		M::get()
	}

	fn allocated_consumers(pool: PoolId) -> Vec<ConsumerId> {
		read(|world: &World<A, B>| {
			let mut consumers: Vec<ConsumerId> = world
				.backing
				.iter()
				.filter(|(_, list)| list.iter().any(|(p, _)| *p == pool))
				.map(|((_, consumer), _)| *consumer)
				.collect();
			consumers.dedup();
			consumers
		})
	}

	fn add_rewards(pool: PoolId, payer: &A, amount: B) -> Result<B, DispatchError> {
		if read(|world: &World<A, B>| world.failing_pools.contains(&pool)) {
			return Err(DispatchError::Other("pool refuses rewards"));
		}
		P::pay(payer, pool, amount)?;
		mutate(|world: &mut World<A, B>| world.rewards.push((pool, payer.clone(), amount)));
		Ok(amount)
	}

	fn slash(_pool: PoolId, _amount: B, _beneficiary: Option<A>) -> B {
		// The pallets slash pools with `slash_for_epoch` only; a test that reaches this fails
		// (`defensive!` asserts in debug builds), and it takes nothing.
		frame_support::defensive!("the mock pools are slashed with slash_for_epoch");
		B::zero()
	}

	fn slash_for_epoch(pool: PoolId, amount: B, epoch: EpochIndex, beneficiary: Option<A>) -> B {
		mutate(|world: &mut World<A, B>| {
			let taken = match world.pool_values.get_mut(&pool) {
				Some(value) => {
					let taken = amount.min(*value);
					*value -= taken;
					taken
				}
				None => B::zero(),
			};
			world.pay(beneficiary.clone(), taken);
			if taken < amount {
				let owed = world.owed.entry(pool).or_insert_with(B::zero);
				*owed = owed.saturating_add(amount - taken);
			}
			world.pool_slashes.push(PoolSlash { pool, amount, epoch, beneficiary, taken });
			amount
		})
	}

	fn on_new_epoch(epoch: EpochIndex) -> Weight {
		record_call(NeighbourCall::PoolsNewEpoch(epoch));
		shared(|shared| shared.pools_epoch_weight)
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

	#[cfg(feature = "runtime-benchmarks")]
	fn back_for_benchmarks(
		operator: &A,
		consumer: ConsumerId,
		amount: B,
	) -> Result<PoolId, DispatchError> {
		let pool = read(|world: &World<A, B>| {
			world.pool_values.keys().last().map_or(1_000, |last| last + 1)
		});
		Self::set_value(pool, amount);
		Self::back(operator.clone(), consumer, pool, amount);
		Ok(pool)
	}
}

/// Where the funds of the mocks' slashes went (bonds and pools alike).
pub struct SlashedFunds<AccountId, Balance>(PhantomData<(AccountId, Balance)>);

impl<A: MockAccount, B: MockBalance> SlashedFunds<A, B> {
	/// What `who` received from slashes.
	pub fn paid(who: &A) -> B {
		read(|world: &World<A, B>| world.paid.get(who).copied().unwrap_or_else(B::zero))
	}

	/// What slashes burnt.
	pub fn burnt() -> B {
		read(|world: &World<A, B>| world.burnt)
	}
}
