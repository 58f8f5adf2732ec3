//! Where the rewards a pool earns outside the pools pallet wait for it.

use frame_support::weights::Weight;
use palisade_primitives::{PoolId, PoolRewardsSource, PoolsInterface};
use std::{cell::RefCell, collections::BTreeMap};

/// A payment waiting for the next claim of a pool.
type Payment = Box<dyn FnOnce()>;

/// The thread-local state of [`MockRewards`].
#[derive(Default)]
struct State {
	/// Every `claim_for_pool`, oldest first.
	claims: Vec<PoolId>,
	/// Per pool, the payments its next claim makes, in the order they were owed.
	owed: BTreeMap<PoolId, Vec<Payment>>,
	/// What `claim_for_pool` reports and `claim_for_pool_weight` answers.
	weight: Weight,
	/// Whether `epoch_paid` answers `false` (payments of the epoch still being made).
	unpaid: bool,
}

thread_local! {
	static STATE: RefCell<State> = RefCell::new(State::default());
}

/// Outside rewards ([`PoolRewardsSource`]) that tests owe to pools by hand.
///
/// - `claim_for_pool(pool)` is recorded ([`Self::claims`]) and makes the payments owed to
///   `pool` ([`Self::owe`], [`Self::owe_with`]), once: a claim pays everything owed until then.
/// - Both weights are the one set by [`Self::set_weight`] (zero by default).
///
/// Thread-local, cleared by [`Self::reset`] (call it where the mock's `ExtBuilder` calls
/// [`crate::reset`]). A payment is taken out of the state before it runs, so it may call back
/// into the pallet under test (and that pallet into this mock) freely.
pub struct MockRewards;

impl MockRewards {
	/// Forget every claim and payment owed; weight zero.
	pub fn reset() {
		STATE.with(|state| *state.borrow_mut() = State::default());
	}

	/// At the next claim of `pool`, run `pay` (e.g. a call to the pools' `add_rewards`).
	pub fn owe_with(pool: PoolId, pay: impl FnOnce() + 'static) {
		STATE.with(|state| state.borrow_mut().owed.entry(pool).or_default().push(Box::new(pay)));
	}

	/// At the next claim of `pool`, pay it `amount` from `payer` through `Pools::add_rewards`
	/// (a failure, e.g. a pool without LRT holders, is ignored: the reward is lost, as the
	/// trait allows).
	pub fn owe<Pools, AccountId, Balance>(pool: PoolId, payer: AccountId, amount: Balance)
	where
		Pools: PoolsInterface<AccountId, Balance>,
		AccountId: 'static,
		Balance: 'static,
	{
		Self::owe_with(pool, move || {
			let _ = Pools::add_rewards(pool, &payer, amount);
		});
	}

	/// The pools claimed, oldest first.
	pub fn claims() -> Vec<PoolId> {
		STATE.with(|state| state.borrow().claims.clone())
	}

	/// Whether a payment is still owed to `pool` (it was not claimed since).
	pub fn is_owed(pool: PoolId) -> bool {
		STATE.with(|state| state.borrow().owed.get(&pool).is_some_and(|owed| !owed.is_empty()))
	}

	/// Make `epoch_paid` answer `!unpaid` (`true` by default): with `unpaid`, the epoch's
	/// payments are still being made and the pools must claim again at the next deposit.
	pub fn set_epoch_unpaid(unpaid: bool) {
		STATE.with(|state| state.borrow_mut().unpaid = unpaid);
	}

	/// Set the weight a claim reports (and the most it may use).
	pub fn set_weight(weight: Weight) {
		STATE.with(|state| state.borrow_mut().weight = weight);
	}
}

impl PoolRewardsSource for MockRewards {
	fn claim_for_pool(pool: PoolId) -> Weight {
		let (payments, weight) = STATE.with(|state| {
			let mut state = state.borrow_mut();
			state.claims.push(pool);
			(state.owed.remove(&pool).unwrap_or_default(), state.weight)
		});
		// Outside the borrow: a payment re-enters the pools pallet.
		for pay in payments {
			pay();
		}
		weight
	}

	fn claim_for_pool_weight() -> Weight {
		STATE.with(|state| state.borrow().weight)
	}

	fn epoch_paid() -> bool {
		STATE.with(|state| !state.borrow().unpaid)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_claim_pays_what_is_owed_once_and_is_recorded() {
		MockRewards::reset();
		let paid = std::rc::Rc::new(RefCell::new(0u32));
		let counter = paid.clone();
		MockRewards::owe_with(3, move || *counter.borrow_mut() += 1);
		MockRewards::set_weight(Weight::from_parts(7, 0));

		assert!(MockRewards::is_owed(3));
		assert_eq!(MockRewards::claim_for_pool(3), Weight::from_parts(7, 0));
		assert_eq!(MockRewards::claim_for_pool(3), Weight::from_parts(7, 0));
		assert_eq!(MockRewards::claim_for_pool(4), Weight::from_parts(7, 0));

		assert_eq!(*paid.borrow(), 1);
		assert!(!MockRewards::is_owed(3));
		assert_eq!(MockRewards::claims(), vec![3, 3, 4]);
		MockRewards::reset();
		assert!(MockRewards::claims().is_empty());
		assert_eq!(MockRewards::claim_for_pool_weight(), Weight::zero());
	}
}
