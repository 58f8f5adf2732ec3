//! Deposits into staked pools are bonded at the start of a following block (`PendingBonds`),
//! one `bond_extra` per pool, `MaxBondsPerBlock` pools a block in turn (two in the mock). The
//! attacks on the window between a deposit and its bond: starving a pool of its turn, a
//! withdrawal claimed before the bond, slashes of either kind while stake is pending. Every
//! test ends with `try_state`: ledger active + pending = the books' bonded value.

use super::staking::{bond_all_pending, ledger_of};
use crate::{
	mock::*,
	mock_staking::{npos_slash, set_era, BONDING_DURATION},
	*,
};
use frame_support::traits::Hooks;
use palisade_primitives::{Collateral, LrtInterface, PoolId};
use sp_runtime::Perbill;

/// The start of the next block.
fn next_block() {
	let next = System::block_number() + 1;
	System::set_block_number(next);
	RestakingPools::on_initialize(next);
}

/// A staked pool of curator 1 with alice (2) holding 1,000,000, bonded.
fn bonded_pool() -> PoolId {
	let pool = create_pool(1, Collateral::NativeStaked);
	deposit(2, pool, 1_000_000);
	bond_all_pending();
	pool
}

/// Attack tried: an attacker deposits into other staked pools every block, more pools than a
/// block bonds, hoping the victim's pending stake never gets its turn (and never earns). The
/// turns go on from where the last block stopped, so the victim is bonded within
/// `pools / MaxBondsPerBlock + 1` blocks.
#[test]
fn deposits_into_other_pools_every_block_cannot_keep_a_pools_stake_unbonded() {
	ExtBuilder::default().build_and_execute(|| {
		let pools: Vec<PoolId> = (0..6).map(|_| create_pool(1, Collateral::NativeStaked)).collect();
		for pool in &pools {
			deposit(2, *pool, 1_000);
		}
		// The victim: the pool iterated last (bonded last from the start every block).
		let victim = PendingBonds::<Test>::iter_keys().last().unwrap();
		let others: Vec<PoolId> = pools.iter().copied().filter(|pool| *pool != victim).collect();
		let mut blocks = 0;
		while PendingBonds::<Test>::contains_key(victim) {
			// Every block the attacker tops up every other pool before its turn.
			for pool in &others {
				deposit(3, *pool, 20);
			}
			next_block();
			blocks += 1;
			assert!(blocks <= 6 / 2 + 1, "the victim waited {blocks} blocks");
		}
		assert_eq!(ledger_of(victim), (1_001, 0));
	});
}

/// A block full of deposits into one staked pool makes one bond at the next block.
#[test]
fn a_block_of_deposits_into_a_staked_pool_is_bonded_with_one_bond() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = bonded_pool();
		for who in [3, 4, 5, 6] {
			deposit(who, pool, 10_000);
		}
		assert_eq!(PendingBonds::<Test>::get(pool), Some(40_000));
		assert_eq!(ledger_of(pool), (1_000_001, 0));
		pool_events();
		next_block();
		assert_eq!(ledger_of(pool), (1_040_001, 0));
		assert_eq!(pool_events(), vec![Event::PendingStakeBonded { pool, amount: 40_000 }]);
		// Nothing pending: the next block does nothing.
		next_block();
		assert!(pool_events().is_empty());
	});
}

/// Attack tried: deposit and withdraw before the next block, so that the first claim unbonds
/// more than the ledger holds (a failed unbond would strand the request). The claim bonds what
/// is pending first: the ledger unbonds exactly the request, the rest stays bonded.
#[test]
fn a_withdrawal_claimed_before_its_deposit_was_bonded_unbonds_exactly_it() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::NativeStaked);
		deposit(2, pool, 1_000_000);
		deposit(3, pool, 500_000);
		let id = request(2, pool, 1_000_000);
		start_epoch(WITHDRAWAL_DELAY);
		// No block started in between: everything is still pending.
		assert_eq!(ledger_of(pool), (1, 0));
		assert_eq!(PendingBonds::<Test>::get(pool), Some(1_500_000));

		claim(2, pool, id);
		assert_eq!(PendingBonds::<Test>::get(pool), None);
		assert_eq!(ledger_of(pool), (500_001, 1_000_000));

		// And alice is paid all of it once it unlocked.
		set_era(BONDING_DURATION);
		let before = free(2);
		claim(2, pool, id);
		assert_eq!(free(2) - before, 1_000_000);
	});
}

/// A consumer's slash of a staked pool with stake pending takes the pending PAL first: nothing
/// is unbonded for it (no ghost); only what pending cannot cover is unbonded.
#[test]
fn a_service_slash_takes_pending_stake_before_unbonding_a_ghost() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = bonded_pool();
		deposit(3, pool, 500_000);

		let taken = RestakingPools::do_slash_for_epoch(pool, 100_000, 0, Some(NPOS_TREASURY));
		assert_eq!(taken, 100_000);
		assert_eq!(PendingBonds::<Test>::get(pool), Some(400_000));
		assert_eq!(ledger_of(pool), (1_000_001, 0));
		assert!(StakedPools::<Test>::get(pool).unwrap().ghosts.is_empty());

		// A slash larger than what is pending unbonds the rest as a ghost.
		let taken = RestakingPools::do_slash_for_epoch(pool, 600_000, 0, Some(NPOS_TREASURY));
		assert_eq!(taken, 600_000);
		assert_eq!(PendingBonds::<Test>::get(pool), None);
		assert_eq!(ledger_of(pool), (800_001, 200_000));
		assert_eq!(pool_record(pool).active, 800_000);
	});
}

/// An NPoS slash while deposits are pending: staking takes from the ledger only, and the pool
/// pays exactly that, shared by every holder pro rata (the LRT is one asset, pending or not);
/// what is pending stays pending.
#[test]
fn an_npos_slash_while_stake_is_pending_takes_exactly_what_staking_took() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = bonded_pool();
		deposit(3, pool, 1_000_000);
		let treasury = free(NPOS_TREASURY);

		let total = npos_slash(&RestakingPools::pool_account(pool), Perbill::from_percent(10));

		assert_eq!(total, 100_001);
		assert_eq!(free(NPOS_TREASURY), treasury + 100_001);
		assert_eq!(PendingBonds::<Test>::get(pool), Some(1_000_000));
		let record = pool_record(pool);
		assert_eq!(record.active, 2_000_000 - 100_001);
		let value = |who| Lrt::value_of(pool, lrt(pool, who), record.active);
		assert_eq!(value(2), value(3));
		next_block();
		assert_eq!(ledger_of(pool), (record.active + 1, 0));
	});
}

/// Nominating right after a deposit: the curator's call bonds what is pending first, so
/// staking's minimum bond sees the pool's whole stake.
#[test]
fn nominating_right_after_the_first_deposit_bonds_it_first() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::NativeStaked);
		deposit(2, pool, 1_000_000);
		assert_eq!(ledger_of(pool), (1, 0));
		frame_support::assert_ok!(RestakingPools::nominate(
			RuntimeOrigin::signed(1),
			pool,
			vec![50].try_into().unwrap()
		));
		assert_eq!(ledger_of(pool), (1_000_001, 0));
		assert_eq!(PendingBonds::<Test>::get(pool), None);
	});
}

/// Found by the random sequences: an NPoS slash took the seed (ledger active 0, under an
/// existential deposit), a deposit is pending, and a consumer's slash comes. Pending PAL is not
/// taken then (what stayed pending might not be bondable), and staking would unbond at most
/// the ledger's active stake: the slash bonds what is pending first, then unbonds exactly it.
#[test]
fn a_service_slash_on_a_dust_ledger_bonds_pending_stake_before_unbonding() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::NativeStaked);
		npos_slash(&RestakingPools::pool_account(pool), Perbill::from_percent(99));
		assert_eq!(ledger_of(pool), (0, 0));
		deposit(2, pool, 1_000);

		let taken = RestakingPools::do_slash_for_epoch(pool, 500, 0, Some(NPOS_TREASURY));

		assert_eq!(taken, 500);
		assert_eq!(PendingBonds::<Test>::get(pool), None);
		assert_eq!(ledger_of(pool), (500, 500));
		assert_eq!(pool_record(pool).active, 500);
		assert_eq!(StakedPools::<Test>::get(pool).unwrap().ghost_pending, 0);
	});
}
