//! The operator registry, the pending slashes and the reserved keys.

use crate::{
	epoch::{record_call, NeighbourCall},
	mutate, read, shared, MockAccount, MockBalance, MockConsumers, World,
};
use codec::{Decode, Encode};
use core::marker::PhantomData;
use frame_support::{
	traits::{ConstU32, Contains, Get},
	weights::Weight,
};
use palisade_primitives::{
	ConsumerId, ConsumerKey, ConsumerRegistry, EpochIndex, OperatorRegistry, OptInRemoval,
	OptedInOperator, PendingSlashes, PoolId,
};
use sp_runtime::{DispatchError, DispatchResult, Perbill};
use std::collections::BTreeMap;

/// One call to `OperatorRegistry::slash_bond_to` (or `slash_bond`) of [`MockOperators`].
#[derive(Clone, PartialEq, Eq, Encode, Decode, Debug)]
pub struct BondSlash<AccountId, Balance> {
	/// The operator.
	pub who: AccountId,
	/// The amount asked for.
	pub amount: Balance,
	/// The amount taken (at most the bond).
	pub taken: Balance,
	/// Where the funds went (`None`: burnt).
	pub beneficiary: Option<AccountId>,
}

/// Operator registry ([`OperatorRegistry`]) over the world's operators.
///
/// - Operators are registered with a bond and a commission ([`Self::register`],
///   [`Self::set_bond`]); an operator is active whenever registered (never jailed out).
/// - Opt-ins are kept per consumer in opt-in order ([`Self::opt_in`]), each with its key and
///   eligibility; epochs are ignored (no scheduled change).
/// - `jail` fails for a non-operator and is otherwise recorded ([`Self::jails`]).
/// - `slash_bond_to` takes at most the bond, pays the beneficiary (or burns, see
///   [`SlashedFunds`](crate::SlashedFunds)) and is recorded ([`Self::bond_slashes`]);
///   `slash_bond` burns.
/// - Every pool is accepted unless [`Self::set_accept_all`] clears it.
/// - `on_new_epoch` and `opted_in_operators` are logged ([`NeighbourCall`]); `on_new_epoch`
///   reports the weight set by [`Self::set_epoch_weight`].
/// - `max_operators_per_consumer` is `MaxOperators` (16 by default).
/// - `remove_consumer_opt_ins` takes at most the limit off the end of the consumer's list.
/// - `register_for_benchmarks` sets the bond to [`Settings::benchmark_bond`](crate::Settings)
///   (commission 10% for a new operator), registers the consumer with `Registry` (by default
///   the world's [`MockConsumers`]; a consumers pallet's own tests pass the pallet) and opts
///   the operator in with the key.
pub struct MockOperators<
	AccountId,
	Balance,
	MaxOperators = ConstU32<16>,
	Registry = MockConsumers<AccountId, Balance>,
>(PhantomData<(AccountId, Balance, MaxOperators, Registry)>);

impl<A: MockAccount, B: MockBalance, M, R> MockOperators<A, B, M, R> {
	/// Register `who` (or replace its record) with `bond` and `commission`.
	pub fn register(who: A, bond: B, commission: Perbill) {
		mutate(|world: &mut World<A, B>| world.operators.insert(who, (bond, commission)));
	}

	/// Set `who`'s bond, registering it with a zero commission if needed.
	pub fn set_bond(who: A, bond: B) {
		mutate(|world: &mut World<A, B>| {
			world.operators.entry(who).or_insert((bond, Perbill::zero())).0 = bond
		});
	}

	/// Deregister `who` (its opt-ins stay, as a hostile registry's would).
	pub fn remove(who: &A) {
		mutate(|world: &mut World<A, B>| world.operators.remove(who));
	}

	/// Opt `who` in to `consumer` with `key`, eligible, after the operators already opted in.
	/// Does not register `who` nor check for a previous opt-in: a test may build a registry
	/// that lists an operator twice.
	pub fn opt_in(consumer: ConsumerId, who: A, key: ConsumerKey) {
		mutate(|world: &mut World<A, B>| {
			world.opt_ins.entry(consumer).or_default().push(OptedInOperator {
				operator: who,
				key,
				eligible: true,
			})
		});
	}

	/// Opt `who` out of `consumer`, at once.
	pub fn opt_out(consumer: ConsumerId, who: &A) {
		mutate(|world: &mut World<A, B>| {
			if let Some(list) = world.opt_ins.get_mut(&consumer) {
				list.retain(|entry| &entry.operator != who);
			}
		});
	}

	/// Set whether `who` is eligible for `consumer`.
	pub fn set_eligible(consumer: ConsumerId, who: &A, eligible: bool) {
		Self::update_opt_in(consumer, who, |entry| entry.eligible = eligible);
	}

	/// Change `who`'s key for `consumer`.
	pub fn set_key(consumer: ConsumerId, who: &A, key: ConsumerKey) {
		Self::update_opt_in(consumer, who, |entry| entry.key = key);
	}

	/// Forget every opt-in (operators stay registered).
	pub fn clear_opt_ins() {
		mutate(|world: &mut World<A, B>| world.opt_ins.clear());
	}

	/// The opt-ins, per consumer, in opt-in order.
	pub fn opt_ins() -> BTreeMap<ConsumerId, Vec<OptedInOperator<A>>> {
		read(|world: &World<A, B>| world.opt_ins.clone())
	}

	/// Whether every operator accepts every pool (the default); if not, only the pairs of
	/// [`Self::set_accepted`] are accepted.
	pub fn set_accept_all(accept_all: bool) {
		mutate(|world: &mut World<A, B>| world.accept_all = accept_all);
	}

	/// The (operator, pool) pairs accepted when [`Self::set_accept_all`] is cleared.
	pub fn set_accepted(accepted: Vec<(A, PoolId)>) {
		mutate(|world: &mut World<A, B>| world.accepted = accepted);
	}

	/// The calls to `jail` that succeeded: (operator, until), oldest first.
	pub fn jails() -> Vec<(A, EpochIndex)> {
		read(|world: &World<A, B>| world.jails.clone())
	}

	/// The calls to `slash_bond_to` (and `slash_bond`), oldest first.
	pub fn bond_slashes() -> Vec<BondSlash<A, B>> {
		read(|world: &World<A, B>| world.bond_slashes.clone())
	}

	/// The weight `on_new_epoch` reports (zero by default).
	pub fn set_epoch_weight(weight: Weight) {
		shared(|shared| shared.operators_epoch_weight = weight);
	}

	fn update_opt_in(consumer: ConsumerId, who: &A, f: impl Fn(&mut OptedInOperator<A>)) {
		mutate(|world: &mut World<A, B>| {
			for entry in world.opt_ins.entry(consumer).or_default().iter_mut() {
				if &entry.operator == who {
					f(entry);
				}
			}
		});
	}

	fn opt_in_entry(who: &A, consumer: ConsumerId) -> Option<OptedInOperator<A>> {
		read(|world: &World<A, B>| {
			world
				.opt_ins
				.get(&consumer)
				.and_then(|list| list.iter().find(|entry| &entry.operator == who).cloned())
		})
	}
}

impl<A: MockAccount, B: MockBalance, M: Get<u32>, R: ConsumerRegistry> OperatorRegistry<A, B>
	for MockOperators<A, B, M, R>
{
	fn is_operator(who: &A) -> bool {
		read(|world: &World<A, B>| world.operators.contains_key(who))
	}

	fn is_active(who: &A) -> bool {
		Self::is_operator(who)
	}

	fn is_opted_in(who: &A, consumer: ConsumerId, _epoch: EpochIndex) -> bool {
		Self::opt_in_entry(who, consumer).is_some()
	}

	fn is_eligible(who: &A, consumer: ConsumerId, _epoch: EpochIndex) -> bool {
		read(|world: &World<A, B>| {
			world.opt_ins.get(&consumer).is_some_and(|list| {
				list.iter().any(|entry| &entry.operator == who && entry.eligible)
			})
		})
	}

	fn bond(who: &A) -> B {
		read(|world: &World<A, B>| world.operators.get(who).map_or_else(B::zero, |(bond, _)| *bond))
	}

	fn slashable_balance(who: &A) -> B {
		Self::bond(who)
	}

	fn commission_at(who: &A, _epoch: EpochIndex) -> Option<Perbill> {
		read(|world: &World<A, B>| world.operators.get(who).map(|(_, commission)| *commission))
	}

	fn consumer_key(who: &A, consumer: ConsumerId, _epoch: EpochIndex) -> Option<ConsumerKey> {
		Self::opt_in_entry(who, consumer).map(|entry| entry.key)
	}

	fn operator_of_key(consumer: ConsumerId, key: &ConsumerKey) -> Option<A> {
		read(|world: &World<A, B>| {
			world.opt_ins.get(&consumer).and_then(|list| {
				list.iter().find(|entry| &entry.key == key).map(|entry| entry.operator.clone())
			})
		})
	}

	fn opted_in_operators(consumer: ConsumerId, epoch: EpochIndex) -> Vec<OptedInOperator<A>> {
		record_call(NeighbourCall::OptedInQuery(consumer, epoch));
		read(|world: &World<A, B>| world.opt_ins.get(&consumer).cloned().unwrap_or_default())
	}

	fn max_operators_per_consumer() -> u32 {
		M::get()
	}

	fn opted_in_consumers(operator: &A) -> Vec<ConsumerId> {
		read(|world: &World<A, B>| {
			world
				.opt_ins
				.iter()
				.filter(|(_, entries)| entries.iter().any(|entry| &entry.operator == operator))
				.map(|(consumer, _)| *consumer)
				.collect()
		})
	}

	fn opted_in_count(consumer: ConsumerId) -> u32 {
		read(|world: &World<A, B>| world.opt_ins.get(&consumer).map_or(0, |list| list.len() as u32))
	}

	fn jail(who: &A, until: EpochIndex) -> DispatchResult {
		mutate(|world: &mut World<A, B>| {
			if !world.operators.contains_key(who) {
				return Err(DispatchError::Other("not an operator"));
			}
			world.jails.push((who.clone(), until));
			Ok(())
		})
	}

	fn slash_bond(who: &A, amount: B) -> B {
		Self::slash_bond_to(who, amount, None)
	}

	fn slash_bond_to(who: &A, amount: B, beneficiary: Option<A>) -> B {
		mutate(|world: &mut World<A, B>| {
			let taken = match world.operators.get_mut(who) {
				Some((bond, _)) => {
					let taken = amount.min(*bond);
					*bond -= taken;
					taken
				}
				None => B::zero(),
			};
			world.pay(beneficiary.clone(), taken);
			world.bond_slashes.push(BondSlash { who: who.clone(), amount, taken, beneficiary });
			taken
		})
	}

	fn accepts_pool(operator: &A, pool: PoolId) -> bool {
		read(|world: &World<A, B>| {
			world.accept_all
				|| world.accepted.iter().any(|(who, accepted)| who == operator && *accepted == pool)
		})
	}

	/// Takes at most `limit` opt-ins off the end of the consumer's list (the latest first);
	/// the list goes with its last entry.
	fn remove_consumer_opt_ins(consumer: ConsumerId, limit: u32) -> OptInRemoval {
		mutate(|world: &mut World<A, B>| {
			let Some(list) = world.opt_ins.get_mut(&consumer) else {
				return OptInRemoval::default();
			};
			let keep = list.len().saturating_sub(limit as usize);
			let removed = list.len().saturating_sub(keep) as u32;
			list.truncate(keep);
			if list.is_empty() {
				world.opt_ins.remove(&consumer);
			}
			OptInRemoval { removed, remaining: keep as u32 }
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn accept_pool_for_benchmarks(operator: &A, pool: PoolId) {
		mutate(|world: &mut World<A, B>| {
			if !world.accepted.iter().any(|(who, accepted)| who == operator && *accepted == pool) {
				world.accepted.push((operator.clone(), pool));
			}
		});
	}

	fn on_new_epoch(epoch: EpochIndex) -> Weight {
		record_call(NeighbourCall::OperatorsNewEpoch(epoch));
		shared(|shared| shared.operators_epoch_weight)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn register_for_benchmarks(who: &A, consumer: ConsumerId, key: ConsumerKey) -> DispatchResult {
		let bond = B::from(crate::settings().benchmark_bond);
		mutate(|world: &mut World<A, B>| {
			world.operators.entry(who.clone()).or_insert((bond, Perbill::from_percent(10))).0 = bond
		});
		R::register_consumer_for_benchmarks(consumer);
		if Self::opt_in_entry(who, consumer).is_some() {
			Self::set_key(consumer, who, key);
		} else {
			Self::opt_in(consumer, who.clone(), key);
		}
		Ok(())
	}
}

/// Pending slashes ([`PendingSlashes`]) as the slashing pallet would report them: operators
/// with a pending slash ([`Self::set_operators`]), pools with one for an offence of any epoch
/// ([`Self::set_pools`]) and pools with one for an offence of a given epoch
/// ([`Self::set_pools_at`]). Nothing is pending by default.
pub struct MockPendingSlashes<AccountId, Balance>(PhantomData<(AccountId, Balance)>);

impl<A: MockAccount, B: MockBalance> MockPendingSlashes<A, B> {
	/// The operators with a pending slash against their bond.
	pub fn set_operators(operators: Vec<A>) {
		mutate(|world: &mut World<A, B>| world.pending_operators = operators);
	}

	/// The pools with a pending slash whatever the offence epoch.
	pub fn set_pools(pools: Vec<PoolId>) {
		mutate(|world: &mut World<A, B>| world.pending_pools = pools);
	}

	/// The pending slashes of pools by (pool, offence epoch).
	pub fn set_pools_at(pools: Vec<(PoolId, EpochIndex)>) {
		mutate(|world: &mut World<A, B>| world.pending_pools_at = pools);
	}
}

impl<A: MockAccount, B: MockBalance> PendingSlashes<A> for MockPendingSlashes<A, B> {
	fn operator_has_pending(operator: &A) -> bool {
		read(|world: &World<A, B>| world.pending_operators.contains(operator))
	}

	/// Pending for any epoch, or for an offence of `offence_epoch` or later.
	fn pool_has_pending(pool: PoolId, offence_epoch: Option<EpochIndex>) -> bool {
		read(|world: &World<A, B>| {
			world.pending_pools.contains(&pool)
				|| world
					.pending_pools_at
					.iter()
					.any(|(p, epoch)| *p == pool && offence_epoch.is_none_or(|from| *epoch >= from))
		})
	}

	/// Pending for any epoch, or for an offence of `last_epoch` or earlier.
	fn pool_has_pending_through(pool: PoolId, last_epoch: EpochIndex) -> bool {
		read(|world: &World<A, B>| {
			world.pending_pools.contains(&pool)
				|| world
					.pending_pools_at
					.iter()
					.any(|(p, epoch)| *p == pool && *epoch <= last_epoch)
		})
	}
}

/// The keys reserved as Palisade's own session keys (`Contains<ConsumerKey>`), set by
/// [`Self::set`]; none by default.
pub struct MockReservedKeys;

impl MockReservedKeys {
	/// Reserve exactly `keys`.
	pub fn set(keys: Vec<ConsumerKey>) {
		shared(|shared| shared.reserved_keys = keys);
	}
}

impl Contains<ConsumerKey> for MockReservedKeys {
	fn contains(key: &ConsumerKey) -> bool {
		shared(|shared| shared.reserved_keys.contains(key))
	}
}
