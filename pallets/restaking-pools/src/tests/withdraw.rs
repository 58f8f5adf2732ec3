//! Withdrawals: request (burn and queue), delay, claim; LRT moved between holders.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use palisade_primitives::{Collateral, PoolsInterface};

#[test]
fn deposit_then_withdraw_returns_exactly_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) deposited 1_000_000 into a native pool.
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		pool_events();

		// When she requests the withdrawal of all her LRT at epoch 0.
		assert_ok!(RestakingPools::request_withdrawal(RuntimeOrigin::signed(2), pool, 1_000_000));

		// Then her LRT is burnt and the value queued, claimable at epoch 3.
		assert_eq!((lrt(pool, 2), supply(pool)), (0, 0));
		let record = pool_record(pool);
		assert_eq!(record.active, 0);
		assert_eq!(
			bucket(pool, 0),
			WithdrawalQueue { value: 1_000_000, points: 1_000_000, era: 0 }
		);
		assert_eq!((record.queued, record.requests), (1_000_000, 1));
		assert_eq!(in_pool(pool), 1_000_000);
		assert_eq!(
			WithdrawalRequests::<Test>::get(2, 0),
			Some(WithdrawalRequest {
				pool,
				lrt_burnt: 1_000_000,
				value_at_request: 1_000_000,
				bucket: 0,
				points: 1_000_000,
				queue_era: 0,
				deposit: 0,
				reward: 0,
				requested_at: 0,
				claimable_at: WITHDRAWAL_DELAY,
			})
		);
		assert_eq!(OpenRequests::<Test>::get(2), 1);
		assert_eq!(
			pool_events(),
			vec![Event::WithdrawalRequested {
				who: 2,
				pool,
				request_id: 0,
				lrt_burnt: 1_000_000,
				value: 1_000_000,
				reward: 0,
				claimable_at: WITHDRAWAL_DELAY,
			}]
		);

		// Not before the delay.
		set_epoch(WITHDRAWAL_DELAY - 1);
		assert_noop!(
			RestakingPools::claim_withdrawal(RuntimeOrigin::signed(2), pool, 0),
			Error::<Test>::NotYetClaimable
		);
		assert_eq!(RestakingPools::claimable(&2, 0), Some((1_000_000, 0)));

		// When the delay has passed, the claim pays everything back.
		set_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, 0);
		assert_eq!(free(2), ENDOWMENT);
		assert_eq!(in_pool(pool), 0);
		assert_eq!(bucket(pool, 0), WithdrawalQueue { value: 0, points: 0, era: 0 });
		assert_eq!(pool_record(pool).queued, 0);
		assert!(WithdrawalRequests::<Test>::get(2, 0).is_none());
		assert!(!OpenRequests::<Test>::contains_key(2));
		assert_eq!(
			pool_events(),
			vec![Event::WithdrawalClaimed {
				who: 2,
				pool,
				request_id: 0,
				value_at_request: 1_000_000,
				paid: 1_000_000,
				reward: 0,
			}]
		);
	});
}

#[test]
fn asset_deposit_then_withdraw_returns_exactly_the_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Asset(ASSET));
		assert_eq!(deposit(2, pool, 300_000), 300_000);
		// Two requests, one partial.
		let first = request(2, pool, 100_000);
		let second = request(2, pool, 200_000);
		assert_eq!((first, second), (0, 1));
		assert_eq!(bucket(pool, 0), WithdrawalQueue { value: 300_000, points: 300_000, era: 0 });

		set_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, second);
		assert_eq!(asset(2), ENDOWMENT - 100_000);
		claim(2, pool, first);
		assert_eq!(asset(2), ENDOWMENT);
		// The seed stays in the pool account.
		assert_eq!(asset(RestakingPools::pool_account(pool)), ASSET_MIN);
	});
}

#[test]
fn lrt_transferred_with_pallet_assets_is_withdrawn_by_its_new_holder() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) deposited 1_000_000.
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);

		// When she sends 300_000 LRT to account 42, which holds no PAL at all (the LRT is a
		// sufficient asset).
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(2), OFFSET, 42, 300_000));
		assert_eq!((lrt(pool, 2), lrt(pool, 42)), (700_000, 300_000));
		assert_eq!(free(42), 0);

		// Then 42 can withdraw it and is paid in PAL.
		let id = request(42, pool, 300_000);
		set_epoch(WITHDRAWAL_DELAY);
		claim(42, pool, id);
		assert_eq!(free(42), 300_000);
		// And alice still owns the rest.
		assert_eq!(pool_record(pool).active, 700_000);
		assert!(<RestakingPools as PoolsInterface<_, _>>::pool_exists(pool));
	});
}

#[test]
fn request_and_claim_errors() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Native);
		let other = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000), 1_000);
		assert_eq!(deposit(3, pool, 100), 100);

		assert_noop!(
			RestakingPools::request_withdrawal(RuntimeOrigin::signed(2), 9, 10),
			Error::<Test>::PoolNotFound
		);
		assert_noop!(
			RestakingPools::request_withdrawal(RuntimeOrigin::signed(2), pool, 0),
			Error::<Test>::ZeroAmount
		);
		assert_noop!(
			RestakingPools::request_withdrawal(RuntimeOrigin::signed(2), pool, 1_001),
			pallet_lrt::Error::<Test>::InsufficientLrt
		);

		// At most MAX_REQUESTS (3) open requests per account.
		for _ in 0..MAX_REQUESTS {
			request(2, pool, 10);
		}
		assert_noop!(
			RestakingPools::request_withdrawal(RuntimeOrigin::signed(2), pool, 10),
			Error::<Test>::TooManyWithdrawalRequests
		);

		// Claims: unknown id, someone else's request, the wrong pool, too early.
		assert_noop!(
			RestakingPools::claim_withdrawal(RuntimeOrigin::signed(2), pool, 7),
			Error::<Test>::RequestNotFound
		);
		assert_noop!(
			RestakingPools::claim_withdrawal(RuntimeOrigin::signed(3), pool, 0),
			Error::<Test>::RequestNotFound
		);
		assert_noop!(
			RestakingPools::claim_withdrawal(RuntimeOrigin::signed(2), other, 0),
			Error::<Test>::RequestNotFound
		);
		assert_noop!(
			RestakingPools::claim_withdrawal(RuntimeOrigin::signed(2), pool, 0),
			Error::<Test>::NotYetClaimable
		);
		// After claiming one, a new request fits again.
		set_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, 0);
		assert_eq!(OpenRequests::<Test>::get(2), 2);
		assert_ok!(RestakingPools::request_withdrawal(RuntimeOrigin::signed(2), pool, 10));

		// Worthless LRT (the pool was wiped out) cannot be withdrawn.
		// 1_060 active and the 10 queued at epoch 3: the two requests of epoch 0 are claimable
		// and no slash was pending, so their bucket matured (no offence they backed can still
		// be reported) and slashes no longer reach it.
		assert_eq!(<RestakingPools as PoolsInterface<_, _>>::slash(pool, 10_000, None), 1_070);
		assert_noop!(
			RestakingPools::request_withdrawal(RuntimeOrigin::signed(3), pool, 10),
			Error::<Test>::NothingToWithdraw
		);
	});
}
