//! Review of the staked-pool changes (ghosts in the pool's NPoS record, one unbond after a
//! minimum-bond check, the two-call close): attacks tried, as a hostile curator, depositor,
//! consumer or anyone, around era changes, slashes of both kinds, withdrawals and the close.

use super::staking::{bond_all_pending, ghosts, ledger_of};
use crate::{
	mock::*,
	mock_staking::{ledger, npos_slash, set_era, BONDING_DURATION, MIN_NOMINATOR_BOND},
	*,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Mutate as _, Hooks},
};
use palisade_primitives::{Collateral, PoolId};
use sp_runtime::{DispatchError, Perbill};

fn era() -> u32 {
	crate::mock_staking::era()
}

/// A tiny deterministic generator for the randomised sequences.
struct Rng(u64);
impl Rng {
	fn next(&mut self) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0
	}
	fn below(&mut self, n: u64) -> u64 {
		self.next() % n
	}
}

fn check(step: &str) {
	if let Err(error) = RestakingPools::do_try_state() {
		panic!("try_state broke after {step}: {error:?}");
	}
}

/// Claim errors a claim may meet while it waits; any other one is a bug.
fn is_waiting(error: DispatchError) -> bool {
	[
		Error::<Test>::NotYetClaimable.into(),
		Error::<Test>::StillUnbonding.into(),
		Error::<Test>::SlashPending.into(),
	]
	.contains(&error)
}

#[test]
fn random_sequences_of_deposits_claims_slashes_and_eras_keep_the_books_with_the_ledger() {
	for seed in 1..=200u64 {
		ExtBuilder::default().build_and_execute(|| {
			let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
			let pool = create_pool(1, Collateral::NativeStaked);
			let holders = [2u128, 3, 4];
			let mut epoch = 0u32;
			let mut open: Vec<(AccountId, RequestId)> = Vec::new();
			let mut log: Vec<String> = Vec::new();
			for _ in 0..60 {
				let op = rng.below(14);
				let who = holders[rng.below(3) as usize];
				let step = match op {
					0 | 1 => {
						let amount = [20, 60, 1_000, 100_000][rng.below(4) as usize];
						let result =
							RestakingPools::deposit(RuntimeOrigin::signed(who), pool, amount);
						format!("deposit {who} {amount} {result:?}")
					}
					2 | 3 => {
						let held = lrt(pool, who);
						if held == 0 {
							continue;
						}
						let amount = match rng.below(3) {
							0 => held,
							1 => held / 2,
							_ => held.min(25),
						};
						let id = NextRequestId::<Test>::get();
						let result = RestakingPools::request_withdrawal(
							RuntimeOrigin::signed(who),
							pool,
							amount,
						);
						if result.is_ok() {
							open.push((who, id));
						}
						format!("request {who} {amount} {result:?}")
					}
					4 | 5 => {
						if open.is_empty() {
							continue;
						}
						let index = rng.below(open.len() as u64) as usize;
						let (who, id) = open[index];
						let result =
							RestakingPools::claim_withdrawal(RuntimeOrigin::signed(who), pool, id);
						match result {
							Ok(_) => {
								if WithdrawalRequests::<Test>::get(who, id).is_none() {
									open.remove(index);
								}
							}
							Err(error) => assert!(
								is_waiting(error.error),
								"seed {seed}: claim {who}/{id} failed: {error:?}\n{log:#?}"
							),
						}
						format!("claim {who} {id} {result:?}")
					}
					6 => {
						let amount = [1, 7, 500, 50_000][rng.below(4) as usize];
						let taken = RestakingPools::do_slash_for_epoch(
							pool,
							amount,
							0,
							Some(NPOS_TREASURY),
						);
						format!("service slash {amount} took {taken}")
					}
					7 => {
						let percent = [1, 10, 50, 99][rng.below(4) as usize];
						let taken = npos_slash(
							&RestakingPools::pool_account(pool),
							Perbill::from_percent(percent),
						);
						format!("npos slash {percent}% took {taken}")
					}
					8 | 9 => {
						set_era(era() + 1);
						format!("era {}", era())
					}
					10 => {
						epoch += 1;
						start_epoch(epoch);
						format!("epoch {epoch}")
					}
					12 | 13 => {
						// A new block: pending deposits are bonded.
						let next = System::block_number() + 1;
						System::set_block_number(next);
						RestakingPools::on_initialize(next);
						format!("block {next}")
					}
					_ => {
						let result = if rng.below(2) == 0 {
							RestakingPools::nominate(
								RuntimeOrigin::signed(1),
								pool,
								vec![50].try_into().unwrap(),
							)
							.map(|_| ())
						} else {
							RestakingPools::chill(RuntimeOrigin::signed(1), pool).map(|_| ())
						};
						format!("nominate/chill {result:?}")
					}
				};
				log.push(step.clone());
				if let Err(error) = RestakingPools::do_try_state() {
					panic!("seed {seed}: try_state broke: {error:?}\n{log:#?}");
				}
			}
			// Everybody leaves: every request is paid in the end, and the pool closes.
			for who in holders {
				let held = lrt(pool, who);
				if held > 0 {
					let id = NextRequestId::<Test>::get();
					if RestakingPools::request_withdrawal(RuntimeOrigin::signed(who), pool, held)
						.is_ok()
					{
						open.push((who, id));
					}
				}
			}
			for round in 0..3 {
				epoch += WITHDRAWAL_DELAY + 1;
				start_epoch(epoch);
				set_era(era() + BONDING_DURATION);
				for (who, id) in open.clone() {
					if WithdrawalRequests::<Test>::get(who, id).is_some() {
						let result =
							RestakingPools::claim_withdrawal(RuntimeOrigin::signed(who), pool, id);
						if let Err(error) = result {
							assert!(
								round < 2 && is_waiting(error.error),
								"seed {seed}: final claim {who}/{id} failed: {error:?}\n{log:#?}"
							);
						}
					}
				}
				check("final claims");
			}
			for (who, id) in open {
				assert!(
					WithdrawalRequests::<Test>::get(who, id).is_none(),
					"seed {seed}: request {who}/{id} never paid\n{log:#?}"
				);
			}
			if supply(pool) == 0 {
				assert_ok!(RestakingPools::unstake_pool(RuntimeOrigin::signed(1), pool));
				check("unstake");
				assert_ok!(RestakingPools::close_pool(RuntimeOrigin::signed(1), pool));
			}
		});
	}
}

/// A staked pool of curator 1 with alice (2) holding 1,000,000 LRT worth 1,000,000 PAL.
fn staked_pool_with_alice() -> PoolId {
	let pool = create_pool(1, Collateral::NativeStaked);
	assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
	bond_all_pending();
	pool
}

/// `who` withdraws all their LRT of `pool` through both claims (the request's delay and the
/// bonding duration pass). Returns what they were paid.
fn withdraw_everything(who: AccountId, pool: PoolId) -> Balance {
	let id = request(who, pool, lrt(pool, who));
	let epoch = current_epoch() + WITHDRAWAL_DELAY;
	start_epoch(epoch);
	claim(who, pool, id);
	let unlock = UnbondingRequests::<Test>::get(who, id).expect("unbonding").unlock_era;
	set_era(unlock.max(era()));
	let before = free(who);
	claim(who, pool, id);
	free(who) - before
}

/// Attack (anyone, or a late payout bot): staking pays an era's NPoS rewards to the pool's
/// reward account after the last LRT holder left. Nobody can compound them (no LRT), and
/// `unstake_pool` ends the ledger for good (the pool never takes a deposit again): they must
/// not stay stranded on a keyless reward account nobody can ever move. They go to the creator
/// with the seed, like any value no LRT owns.
#[test]
fn npos_rewards_paid_after_the_last_holder_left_are_not_stranded_by_unstake_pool() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		withdraw_everything(2, pool);
		// A late payout of an era alice was exposed in.
		let reward_account = RestakingPools::reward_account(pool);
		assert_ok!(Balances::mint_into(&reward_account, 7_000));
		assert_noop!(
			RestakingPools::compound_rewards(RuntimeOrigin::signed(9), pool),
			Error::<Test>::NothingToCompound
		);
		let creator_before = free(1);

		assert_ok!(RestakingPools::unstake_pool(RuntimeOrigin::signed(1), pool));
		assert_ok!(RestakingPools::close_pool(RuntimeOrigin::signed(1), pool));

		// Nothing is left on the reward account of a pool that no longer exists.
		assert_eq!(free(reward_account), 0);
		// The creator got the creation deposit, the pool account's ED, the seed and the
		// stranded rewards.
		assert_eq!(free(1), creator_before + POOL_DEPOSIT + 1 + 1 + 7_000);
	});
}

/// Attack tried (two holders, worst order): a consumer slash unbonds a ghost in the same era
/// as bob's request, an NPoS slash then hits that chunk, the era passes before anybody
/// withdraws, and alice's service slash lands right at the unlock era. The ghost never pays
/// anything, bob is paid exactly his chunk's value after the NPoS slash, and the ledger agrees
/// with the books at every step.
#[test]
fn a_ghost_sharing_a_chunk_with_a_request_takes_no_funds_across_slashes_and_eras() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		assert_eq!(deposit(3, pool, 1_000_000), 1_000_000);
		let id = request(3, pool, 400_000);
		start_epoch(WITHDRAWAL_DELAY);
		claim(3, pool, id);
		// The consumer's slash in the same era: its ghost unlocks with bob's chunk.
		RestakingPools::do_slash_for_epoch(pool, 200_000, WITHDRAWAL_DELAY, Some(9));
		assert_eq!(ghosts(pool), vec![(BONDING_DURATION, 200_000)]);
		let chunk = UnbondingChunks::<Test>::get(pool, BONDING_DURATION).unwrap();
		assert_eq!(chunk.queue.value, 400_000);
		let ledger = ledger(&RestakingPools::pool_account(pool)).unwrap();
		assert_eq!(ledger.unlocking, vec![(BONDING_DURATION, 600_000)]);
		check("ghost merged with a chunk");

		// The NPoS slash of 10%: bob's request bears 40,000, the ghost 20,000 (no funds).
		let treasury = free(NPOS_TREASURY);
		let active_before = ledger_of(pool).0;
		npos_slash(&RestakingPools::pool_account(pool), Perbill::from_percent(10));
		let from_active = active_before - ledger_of(pool).0;
		assert_eq!(free(NPOS_TREASURY), treasury + from_active + 40_000);
		assert_eq!(ghosts(pool), vec![(BONDING_DURATION, 180_000)]);
		check("npos slash of a shared chunk");

		// The era passes; a consumer slash lands at the unlock era before bob claims: its
		// unbond withdraws the unlocked chunk first and drops the old ghost.
		set_era(BONDING_DURATION);
		RestakingPools::do_slash_for_epoch(pool, 1_000, WITHDRAWAL_DELAY, Some(9));
		assert_eq!(ghosts(pool), vec![(2 * BONDING_DURATION, 1_000)]);
		check("ghost dropped at withdrawal");

		// Bob is paid exactly what the NPoS slash left of his request.
		let before = free(3);
		claim(3, pool, id);
		assert_eq!(free(3) - before, 360_000);
		assert!(UnbondingChunks::<Test>::iter_prefix(pool).next().is_none());
	});
}

/// Attack tried (a consumer slashing every era): however many eras hold a ghost, the
/// withdrawal before each unbond keeps them within the bonding duration, so no slash is ever
/// left pending for `TooManyGhostEras` and no claim fails for it.
#[test]
fn a_slash_every_era_never_overflows_the_ghost_list_nor_leaves_a_ghost_pending() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		for era in 0..40u32 {
			set_era(era);
			RestakingPools::do_slash_for_epoch(pool, 100, 0, Some(NPOS_TREASURY));
			RestakingPools::do_slash_for_epoch(pool, 100, 0, Some(NPOS_TREASURY));
			let staked = StakedPools::<Test>::get(pool).unwrap();
			assert_eq!(staked.ghost_pending, 0);
			assert!(staked.ghosts.len() as u32 <= BONDING_DURATION);
			assert_eq!(staked.ghosts.last(), Some(&(era + BONDING_DURATION, 200)));
			check("slash of an era");
		}
		// A withdrawal at the end still pays.
		let paid = withdraw_everything(2, pool);
		assert_eq!(paid, 1_000_000 - 40 * 200);
	});
}

/// Attack tried (hostile depositor sizing a withdrawal): the minimum-bond check chills a
/// nominating pool exactly when staking would refuse the unbond, at the unit: leaving exactly
/// the minimum bond keeps nominating, a unit less chills first, and both claims succeed.
#[test]
fn the_min_bond_check_chills_exactly_when_staking_would_refuse_the_unbond() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::NativeStaked);
		// Ledger active: 1 (seed) + 200.
		deposit(2, pool, 200);
		assert_ok!(RestakingPools::nominate(
			RuntimeOrigin::signed(1),
			pool,
			vec![50].try_into().unwrap()
		));
		// Leaves exactly the minimum nominator bond: still nominating.
		let keep = 201 - MIN_NOMINATOR_BOND;
		let first = request(2, pool, keep);
		start_epoch(WITHDRAWAL_DELAY);
		pool_events();
		claim(2, pool, first);
		assert!(!pool_events().contains(&Event::Chilled { pool }));
		assert_eq!(ledger_of(pool).0, MIN_NOMINATOR_BOND);
		assert!(ledger(&RestakingPools::pool_account(pool)).unwrap().nominations.is_some());
		// One unit more than that would leave less: the pool chills and the unbond goes on.
		let second = request(2, pool, 10);
		start_epoch(2 * WITHDRAWAL_DELAY);
		claim(2, pool, second);
		assert!(pool_events().contains(&Event::Chilled { pool }));
		assert!(ledger(&RestakingPools::pool_account(pool)).unwrap().nominations.is_none());
		assert_eq!(ledger_of(pool).0, MIN_NOMINATOR_BOND - 10);
	});
}

/// Attack tried (a consumer's pending slash, or a consumer's reward, reaching a pool between
/// `unstake_pool` and `close_pool`): the slash only takes value no LRT owns and unbonds
/// nothing (there is no ledger), a reward is refused (no holder), and the pool still closes.
#[test]
fn a_late_slash_or_reward_reaching_an_unstaked_pool_unbonds_nothing_and_it_still_closes() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		// A consumer reward vested into the rate leaves rounding dust nobody owns.
		assert_ok!(<RestakingPools as palisade_primitives::PoolsInterface<
			AccountId,
			Balance,
		>>::add_rewards(pool, &5, 333));
		start_epoch(WITHDRAWAL_DELAY);
		withdraw_everything(2, pool);
		assert_ok!(RestakingPools::unstake_pool(RuntimeOrigin::signed(1), pool));
		let dust = pool_record(pool).active;

		let taken = RestakingPools::do_slash_for_epoch(pool, 1_000, 0, Some(NPOS_TREASURY));
		assert_eq!(taken, dust);
		assert!(ledger(&RestakingPools::pool_account(pool)).is_none());
		let staked = StakedPools::<Test>::get(pool).unwrap();
		assert!(staked.ghosts.is_empty() && staked.ghost_pending == 0);
		assert_noop!(
			<RestakingPools as palisade_primitives::PoolsInterface<AccountId, Balance>>::add_rewards(
				pool, &5, 1_000
			),
			Error::<Test>::NoLrtHolders
		);
		check("late slash");
		assert_ok!(RestakingPools::close_pool(RuntimeOrigin::signed(1), pool));
	});
}
