//! Slashes: pro rata over active stake and withdrawal queue, to a beneficiary or burnt.

use crate::{mock::*, *};
use frame_support::traits::fungibles::Inspect as _;
use palisade_primitives::{Collateral, LrtInterface, PoolsInterface};
use sp_runtime::{FixedPointNumber, FixedU128};

fn slash(pool: u32, amount: Balance, beneficiary: Option<AccountId>) -> Balance {
	<RestakingPools as PoolsInterface<_, _>>::slash(pool, amount, beneficiary)
}

#[test]
fn a_slash_lowers_the_rate_and_pays_the_beneficiary() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) holds all 1_000_000 LRT of a native pool.
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		pool_events();

		// When the pool is slashed 100_000 for account 50.
		assert_eq!(slash(pool, 100_000, Some(50)), 100_000);

		// Then 50 has it, the pool value and the rate fell: below par the rate is the plain
		// 900_000 / 1_000_000 (the virtual 901_000 / 1_001_000 is above it).
		let expected_rate = FixedU128::checked_from_rational(900_000, 1_000_000).unwrap();
		assert_eq!(free(50), 100_000);
		assert_eq!(pool_record(pool).active, 900_000);
		assert_eq!(in_pool(pool), 900_000);
		assert_eq!(rate(pool), expected_rate);
		assert_eq!(
			pool_events(),
			vec![Event::PoolSlashed {
				pool,
				requested: 100_000,
				taken: 100_000,
				from_active: 100_000,
				from_queue: 0,
				taken_native: 100_000,
				beneficiary: Some(50),
				rate: expected_rate,
			}]
		);
		// Alice's LRT is worth exactly the pool value.
		assert_eq!(<Lrt as LrtInterface<_, _>>::value_of(pool, 1_000_000, 900_000), 900_000);
	});
}

#[test]
fn a_slash_without_beneficiary_burns_and_is_capped_by_what_is_there() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000), 1_000);
		let issuance = Balances::total_issuance();

		// Asked for 5_000, only 1_000 is there.
		assert_eq!(slash(pool, 5_000, None), 1_000);
		assert_eq!(Balances::total_issuance(), issuance - 1_000);
		assert_eq!((pool_record(pool).active, in_pool(pool)), (0, 0));
		// Nothing left to take.
		assert_eq!(slash(pool, 5_000, None), 0);
		// Unknown pools and zero amounts take nothing.
		assert_eq!(slash(9, 5_000, None), 0);
		assert_eq!(slash(pool, 0, None), 0);
	});
}

#[test]
fn withdrawing_right_before_a_slash_does_not_escape_it() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) and bob (3) hold 1_000_000 LRT each.
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		assert_eq!(deposit(3, pool, 1_000_000), 1_000_000);
		// Alice sees it coming and requests her withdrawal.
		let id = request(2, pool, 1_000_000);
		pool_events();

		// When the pool is slashed 500_000 (a quarter of everything slashable).
		assert_eq!(slash(pool, 500_000, None), 500_000);

		// Then the queue bore its share: ⌈500_000 × 1_000_000 / 2_000_000⌉ = 250_000.
		let record = pool_record(pool);
		assert_eq!(record.active, 750_000);
		assert_eq!(bucket(pool, 0), WithdrawalQueue { value: 750_000, points: 1_000_000, era: 0 });
		assert_eq!(record.queued, 750_000);
		assert_eq!(
			pool_events(),
			vec![Event::PoolSlashed {
				pool,
				requested: 500_000,
				taken: 500_000,
				from_active: 250_000,
				from_queue: 250_000,
				taken_native: 500_000,
				beneficiary: None,
				rate: FixedU128::checked_from_rational(750_000, 1_000_000).unwrap(),
			}]
		);
		assert_eq!(RestakingPools::claimable(&2, id), Some((750_000, 0)));

		// And alice's claim pays 750_000, like bob's LRT is worth.
		set_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, id);
		assert_eq!(free(2), ENDOWMENT - 250_000);
		assert_eq!(
			pool_events(),
			vec![Event::WithdrawalClaimed {
				who: 2,
				pool,
				request_id: id,
				value_at_request: 1_000_000,
				paid: 750_000,
				reward: 0,
			}]
		);
		assert_eq!(<Lrt as LrtInterface<_, _>>::value_of(pool, 1_000_000, 750_000), 750_000);
	});
}

#[test]
fn a_slash_taking_the_whole_queue_starts_a_new_era() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000), 1_000);
		let old = request(2, pool, 1_000);
		pool_events();

		// Everything slashable is in the queue: it is wiped out.
		assert_eq!(slash(pool, 1_000, Some(50)), 1_000);
		assert_eq!(bucket(pool, 0), WithdrawalQueue { value: 0, points: 0, era: 1 });
		assert_eq!(pool_events().last(), Some(&Event::WithdrawalQueueWipedOut { pool, era: 1 }));

		// A new depositor's request lives in the new era and is paid in full.
		assert_eq!(deposit(3, pool, 500), 500);
		let new = request(3, pool, 500);
		set_epoch(WITHDRAWAL_DELAY);
		claim(3, pool, new);
		assert_eq!(free(3), ENDOWMENT);
		// The old request pays nothing.
		assert_eq!(RestakingPools::claimable(&2, old), Some((0, 0)));
		claim(2, pool, old);
		assert_eq!(free(2), ENDOWMENT - 1_000);
	});
}

#[test]
fn asset_pools_are_slashed_at_their_valuation_rounding_up() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Asset(ASSET));
		assert_eq!(deposit(2, pool, 10_000), 10_000);

		// Without a valuation the pool backs nothing and is not slashed.
		assert_eq!(slash(pool, 1_001, Some(3)), 0);
		assert_eq!(pool_record(pool).active, 10_000);

		// At 2 native per asset unit, 1_001 native is ⌈500.5⌉ = 501 asset units.
		set_valuation(FixedU128::from_u32(2));
		assert_eq!(slash(pool, 1_001, Some(3)), 1_001);
		assert_eq!(asset(3), ENDOWMENT + 501);
		assert_eq!(pool_record(pool).active, 9_499);

		// A beneficiary that cannot receive the asset (account 50 has no PAL to exist with a
		// non-sufficient asset): the slash is burnt instead.
		let supply = Assets::total_issuance(ASSET);
		pool_events();
		assert_eq!(slash(pool, 1_000, Some(50)), 1_000);
		assert_eq!(asset(50), 0);
		assert_eq!(Assets::total_issuance(ASSET), supply - 500);
		assert!(matches!(
			pool_events().last(),
			Some(Event::PoolSlashed { taken: 500, beneficiary: None, .. })
		));
		// The seed is never slashed.
		assert_eq!(slash(pool, u64::MAX, None), 2 * 8_999);
		assert_eq!(asset(RestakingPools::pool_account(pool)), ASSET_MIN);
	});
}
