//! Native restaking: pools of `NativeStaked` collateral bond their PAL in (fake) NPoS staking,
//! earn its rewards, bear its slashes and the consumers' ones, each once, and withdraw after
//! both delays. Every test ends with `try_state`, which checks the staking ledger against the
//! pool's books.

use crate::{
	mock::*,
	mock_staking::{
		keys_of, ledger, npos_slash, session_keys, set_era, BONDING_DURATION, MIN_NOMINATOR_BOND,
	},
	*,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Mutate as _, Hooks},
};
use palisade_primitives::{Collateral, PoolId, PoolsInterface};
use sp_runtime::{DispatchError, FixedPointNumber, FixedU128, Perbill};

/// The staking ledger of `pool`'s account: (active, unlocking total).
pub(super) fn ledger_of(pool: PoolId) -> (Balance, Balance) {
	let ledger = ledger(&RestakingPools::pool_account(pool)).expect("the pool is bonded");
	(ledger.active, ledger.unlocking.iter().map(|(_, value)| value).sum())
}

/// Staking pays `amount` of NPoS rewards to `pool`'s reward account.
fn pay_npos_rewards(pool: PoolId, amount: Balance) {
	assert_ok!(Balances::mint_into(&RestakingPools::reward_account(pool), amount));
}

/// The ghosts of `pool` still in the ledger: (unlock era, PAL).
pub(super) fn ghosts(pool: PoolId) -> Vec<(u32, Balance)> {
	StakedPools::<Test>::get(pool).unwrap().ghosts.to_vec()
}

/// The start of the next blocks, until every staked pool's pending deposits are bonded (the
/// mock bonds two pools a block).
pub(super) fn bond_all_pending() {
	for _ in 0..100 {
		if PendingBonds::<Test>::iter().next().is_none() {
			return;
		}
		let next = System::block_number() + 1;
		System::set_block_number(next);
		RestakingPools::on_initialize(next);
	}
	panic!("pending bonds never drained");
}

/// A staked pool of curator 1 with alice (2) holding 1,000,000 LRT worth 1,000,000 PAL, bonded.
fn staked_pool_with_alice() -> PoolId {
	let pool = create_pool(1, Collateral::NativeStaked);
	assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
	bond_all_pending();
	pool
}

#[test]
fn a_staked_pool_bonds_its_seed_and_every_deposit_as_a_virtual_staker() {
	ExtBuilder::default().build_and_execute(|| {
		// When curator 1 creates a staked pool.
		let before = free(1);
		let pool = create_pool(1, Collateral::NativeStaked);

		// Then its account is a virtual staker with the seed (one existential deposit) bonded,
		// paying rewards to a separate account, and the creator paid the seed on top of a
		// first native pool's costs (two existential deposits).
		let account = RestakingPools::pool_account(pool);
		let staked = ledger(&account).unwrap();
		assert!(staked.is_virtual);
		assert_eq!(staked.payee, RestakingPools::reward_account(pool));
		assert_ne!(staked.payee, account);
		assert_eq!(ledger_of(pool), (1, 0));
		assert_eq!(pool_record(pool).seed, 1);
		assert_eq!(before - free(1) - held_deposit(1), 2 + 1);

		// When alice deposits, the LRT is minted at rate 1 and her PAL counts in the pool at
		// once, but waits for the next block to be bonded.
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		assert_eq!(pool_record(pool).active, 1_000_000);
		assert_eq!(ledger_of(pool), (1, 0));
		assert_eq!(PendingBonds::<Test>::get(pool), Some(1_000_000));

		// Then the next block bonds it, with one bond however many deposits came.
		assert_eq!(deposit(3, pool, 500_000), 500_000);
		pool_events();
		bond_all_pending();
		assert_eq!(ledger_of(pool), (1_500_001, 0));
		assert_eq!(PendingBonds::<Test>::get(pool), None);
		assert_eq!(pool_events(), vec![Event::PendingStakeBonded { pool, amount: 1_500_000 }]);
	});
}

#[test]
fn a_deposit_cannot_buy_into_npos_rewards_paid_before_it() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice has held the whole pool since epoch 0, and by epoch 10 staking paid it
		// 100,000 PAL of rewards, not compounded yet.
		let pool = staked_pool_with_alice();
		set_epoch(10);
		pay_npos_rewards(pool, 100_000);

		// When bob (3) deposits 1,000,000 and compounds the rewards right away.
		let minted = deposit(3, pool, 1_000_000);
		assert_ok!(RestakingPools::compound_rewards(RuntimeOrigin::signed(3), pool));

		// Then he bought in at rate 1 (the rewards were not in the rate), and they vest over
		// the ten epochs they were earned in: one epoch later a tenth is in the rate, of which
		// bob, holding half the pool, owns half (5,000, not 50,000).
		assert_eq!(minted, 1_000_000);
		let record = pool_record(pool);
		assert_eq!(record.active, 2_100_000);
		assert_eq!(record.vesting, RewardVesting { amount: 100_000, from: 10, until: 20 });
		// The rewards were bonded at once, bob's deposit waits for the next block.
		assert_eq!(ledger_of(pool), (record.active + 1 - 1_000_000, 0));
		bond_all_pending();
		assert_eq!(ledger_of(pool), (record.active + 1, 0));
		assert_eq!(free(RestakingPools::reward_account(pool)), 0);
		set_epoch(11);
		assert_eq!(record.rate_value(11), 2_010_000);
		let bob_value = <Lrt as palisade_primitives::LrtInterface<AccountId, Balance>>::value_of(
			pool,
			1_000_000,
			record.rate_value(11),
		);
		assert_eq!(bob_value, 1_000_000u64 * (2_010_000 + VIRTUAL) / (2_000_000 + VIRTUAL));
	});
}

#[test]
fn compound_rewards_raises_the_rate_and_refuses_when_there_is_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		let native = create_pool(1, Collateral::Native);

		// Nothing paid yet; a native pool does not stake.
		assert_noop!(
			RestakingPools::compound_rewards(RuntimeOrigin::signed(9), pool),
			Error::<Test>::NothingToCompound
		);
		assert_noop!(
			RestakingPools::compound_rewards(RuntimeOrigin::signed(9), native),
			Error::<Test>::NotStakedPool
		);

		// When staking pays 50,000 and anybody compounds it.
		pay_npos_rewards(pool, 50_000);
		let rate_before = rate(pool);
		assert_ok!(RestakingPools::compound_rewards(RuntimeOrigin::signed(9), pool));

		// Then the active value and the ledger grew by it and the rate rose by 5% (the virtual
		// position takes its tiny share).
		assert_eq!(pool_record(pool).active, 1_050_000);
		assert_eq!(ledger_of(pool), (1_050_001, 0));
		// The rate rises as they vest: in one epoch (the pool was created in this one).
		assert_eq!(rate(pool), rate_before);
		set_epoch(1);
		assert!(rate(pool) > rate_before);
		assert_eq!(
			rate(pool),
			FixedU128::checked_from_rational(1_050_000 + VIRTUAL, 1_000_000 + VIRTUAL).unwrap()
		);
	});
}

#[test]
fn a_withdrawal_waits_for_the_delay_then_for_staking_to_unbond_and_pays_exactly() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice requests the withdrawal of half her LRT at epoch 0, era 0.
		let pool = staked_pool_with_alice();
		let id = request(2, pool, 500_000);
		// The queue stays bonded (NPoS may still slash it).
		assert_eq!(ledger_of(pool), (1_000_001, 0));

		// Not before the withdrawal delay.
		set_epoch(WITHDRAWAL_DELAY - 1);
		assert_noop!(
			RestakingPools::claim_withdrawal(RuntimeOrigin::signed(2), pool, id),
			Error::<Test>::NotYetClaimable
		);

		// The first claim after it unbonds the value: chunk at era 0 + bonding duration.
		set_epoch(WITHDRAWAL_DELAY);
		pool_events();
		let before = free(2);
		claim(2, pool, id);
		assert_eq!(free(2), before, "the first claim pays nothing yet");
		assert_eq!(
			pool_events(),
			vec![Event::WithdrawalUnbonding {
				who: 2,
				pool,
				request_id: id,
				amount: 500_000,
				unlock_era: BONDING_DURATION,
			}]
		);
		assert_eq!(ledger_of(pool), (500_001, 500_000));
		assert_eq!(pool_record(pool).queued, 0);
		assert_eq!(StakedPools::<Test>::get(pool).unwrap().unbonding, 500_000);

		// The second claim waits for the unlock era.
		set_era(BONDING_DURATION - 1);
		assert_noop!(
			RestakingPools::claim_withdrawal(RuntimeOrigin::signed(2), pool, id),
			Error::<Test>::StillUnbonding
		);

		// From it on, the chunk is withdrawn and alice paid exactly her value.
		set_era(BONDING_DURATION);
		claim(2, pool, id);
		assert_eq!(free(2), before + 500_000);
		assert_eq!(ledger_of(pool), (500_001, 0));
		assert!(WithdrawalRequests::<Test>::get(2, id).is_none());
		assert!(UnbondingRequests::<Test>::get(2, id).is_none());
		assert_eq!(UnbondingChunks::<Test>::iter_prefix(pool).count(), 0);
		assert_eq!(
			pool_events(),
			vec![Event::WithdrawalClaimed {
				who: 2,
				pool,
				request_id: id,
				value_at_request: 500_000,
				paid: 500_000,
				reward: 0,
			}]
		);
		// A paid request cannot be claimed again.
		assert_noop!(
			RestakingPools::claim_withdrawal(RuntimeOrigin::signed(2), pool, id),
			Error::<Test>::RequestNotFound
		);
	});
}

#[test]
fn a_service_slash_takes_the_pal_at_once_and_unbonds_a_ghost() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		let beneficiary_before = free(NPOS_TREASURY);

		// When a consumer's slash takes 100,000 PAL of the pool.
		let taken = RestakingPools::do_slash_for_epoch(pool, 100_000, 0, Some(NPOS_TREASURY));

		// Then the PAL left at once and the ledger's active stake matches the books: the same
		// amount unbonds with nothing behind it (a ghost), which goes when it unlocks.
		assert_eq!(taken, 100_000);
		assert_eq!(free(NPOS_TREASURY), beneficiary_before + 100_000);
		assert_eq!(pool_record(pool).active, 900_000);
		assert_eq!(ledger_of(pool), (900_001, 100_000));
		let staked = StakedPools::<Test>::get(pool).unwrap();
		assert_eq!(staked.ghosts.to_vec(), vec![(BONDING_DURATION, 100_000)]);
		// No chunk: a chunk is only kept for requests.
		assert!(UnbondingChunks::<Test>::get(pool, BONDING_DURATION).is_none());

		// When the era passes and the pool next unbonds (here: a withdrawal's first claim).
		set_era(BONDING_DURATION);
		let id = request(2, pool, 100_000);
		start_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, id);
		// Then the ghost was withdrawn and only the new request unbonds.
		assert!(StakedPools::<Test>::get(pool).unwrap().ghosts.is_empty());
		assert_eq!(ledger_of(pool), (810_001, 90_000));
	});
}

#[test]
fn an_npos_slash_lowers_the_rate_by_exactly_what_staking_took() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice holds 1,000,000 in a staked pool (ledger 1,000,001 with the seed).
		let pool = staked_pool_with_alice();
		let treasury = free(NPOS_TREASURY);
		pool_events();

		// When NPoS slashes the pool's stash by 10%.
		let total = npos_slash(&RestakingPools::pool_account(pool), Perbill::from_percent(10));

		// Then staking took 100,001 from the ledger, the pool paid exactly that out of its
		// account, and the holders bear all of it: the seed stays an existential deposit (so
		// staking's dust rule never unbonds more than asked).
		assert_eq!(total, 100_001);
		assert_eq!(free(NPOS_TREASURY), treasury + 100_001);
		assert_eq!(pool_record(pool).active, 1_000_000 - 100_001);
		assert_eq!(pool_record(pool).seed, 1);
		assert_eq!(ledger_of(pool), (900_000, 0));
		let events = pool_events();
		assert!(events.iter().any(|event| matches!(
			event,
			Event::NposSlashed { from_bonded: 100_001, from_unbonding: 0, from_ghost: 0, .. }
		)));
		assert_eq!(rate(pool), FixedU128::checked_from_rational(899_999u64, 1_000_000u64).unwrap());
	});
}

#[test]
fn withdrawing_right_before_an_npos_slash_does_not_escape_it() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice and bob each hold 1,000,000; alice requested all of hers (queued, still
		// bonded) and bob's stays.
		let pool = staked_pool_with_alice();
		deposit(3, pool, 1_000_000);
		bond_all_pending();
		let id = request(2, pool, 1_000_000);

		// When NPoS slashes 10% of the stash.
		npos_slash(&RestakingPools::pool_account(pool), Perbill::from_percent(10));

		// Then the queued request lost 10% like bob's LRT.
		let (queued_value, _) = RestakingPools::claimable(&2, id).unwrap();
		assert_eq!(queued_value, 900_000 - 1);
		let bob = <Lrt as palisade_primitives::LrtInterface<AccountId, Balance>>::value_of(
			pool,
			lrt(pool, 3),
			pool_record(pool).active,
		);
		assert!((899_990..=900_000).contains(&bob), "bob's LRT is worth {bob}");

		// And it is paid exactly that after both delays.
		start_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, id);
		set_era(BONDING_DURATION);
		let before = free(2);
		claim(2, pool, id);
		assert_eq!(free(2), before + queued_value);
	});
}

#[test]
fn an_npos_slash_of_unbonding_stake_falls_on_the_unbonding_requests_and_not_on_ghosts() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice's 500,000 unbond at era 2, in the same chunk as a 100,000 ghost of a
		// consumer's slash taken in era 0.
		let pool = staked_pool_with_alice();
		deposit(3, pool, 1_000_000);
		let id = request(2, pool, 500_000);
		start_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, id);
		RestakingPools::do_slash_for_epoch(pool, 100_000, WITHDRAWAL_DELAY, Some(9));
		let chunk = UnbondingChunks::<Test>::get(pool, BONDING_DURATION).unwrap();
		assert_eq!(chunk.queue.value, 500_000);
		assert_eq!(ghosts(pool), vec![(BONDING_DURATION, 100_000)]);
		let treasury = free(NPOS_TREASURY);

		// When NPoS slashes 10% of the stash: 60,000 of that chunk.
		npos_slash(&RestakingPools::pool_account(pool), Perbill::from_percent(10));

		// Then alice's unbonding request bears its share (50,000) and the ghost the rest
		// (10,000, no funds behind it): the pool pays out only what there is.
		let chunk = UnbondingChunks::<Test>::get(pool, BONDING_DURATION).unwrap();
		assert_eq!(chunk.queue.value, 450_000);
		assert_eq!(ghosts(pool), vec![(BONDING_DURATION, 90_000)]);
		let bonded_slash = (1_500_000 - 100_000 + 1) - (ledger_of(pool).0);
		assert_eq!(free(NPOS_TREASURY), treasury + bonded_slash + 50_000);

		set_era(BONDING_DURATION);
		let before = free(2);
		claim(2, pool, id);
		assert_eq!(free(2), before + 450_000);
	});
}

#[test]
fn nominate_and_chill_are_the_curators_and_only_for_staked_pools() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::NativeStaked);
		let native = create_pool(1, Collateral::Native);
		let targets: NominationsOf<Test> = vec![50, 51].try_into().unwrap();

		assert_noop!(
			RestakingPools::nominate(RuntimeOrigin::signed(2), pool, targets.clone()),
			Error::<Test>::NotCurator
		);
		assert_noop!(
			RestakingPools::nominate(RuntimeOrigin::signed(1), native, targets.clone()),
			Error::<Test>::NotStakedPool
		);
		// Staking's own rules apply: the seed alone is below the minimum nominator bond.
		assert!(RestakingPools::nominate(RuntimeOrigin::signed(1), pool, targets.clone()).is_err());

		deposit(2, pool, 1_000_000);
		pool_events();
		assert_ok!(RestakingPools::nominate(RuntimeOrigin::signed(1), pool, targets.clone()));
		assert_eq!(
			ledger(&RestakingPools::pool_account(pool)).unwrap().nominations,
			Some(vec![50, 51])
		);
		assert_ok!(RestakingPools::chill(RuntimeOrigin::signed(1), pool));
		assert_eq!(ledger(&RestakingPools::pool_account(pool)).unwrap().nominations, None);
		assert_eq!(
			pool_events(),
			vec![
				Event::PendingStakeBonded { pool, amount: 1_000_000 },
				Event::Nominated { pool, targets },
				Event::Chilled { pool }
			]
		);
		assert_noop!(
			RestakingPools::chill(RuntimeOrigin::signed(1), native),
			Error::<Test>::NotStakedPool
		);
	});
}

#[test]
fn a_withdrawal_below_the_minimum_nominator_bond_chills_the_pool_rather_than_failing() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a nominating staked pool holding just above the minimum nominator bond.
		let pool = create_pool(1, Collateral::NativeStaked);
		deposit(2, pool, MIN_NOMINATOR_BOND + 20);
		assert_ok!(RestakingPools::nominate(
			RuntimeOrigin::signed(1),
			pool,
			vec![50].try_into().unwrap()
		));

		// When alice withdraws everything.
		let id = request(2, pool, lrt(pool, 2));
		start_epoch(WITHDRAWAL_DELAY);
		pool_events();
		claim(2, pool, id);

		// Then the pool stopped nominating and the withdrawal went on.
		let events = pool_events();
		assert!(events.contains(&Event::Chilled { pool }));
		assert_eq!(ledger(&RestakingPools::pool_account(pool)).unwrap().nominations, None);
		set_era(BONDING_DURATION);
		claim(2, pool, id);
	});
}

#[test]
fn consumer_rewards_of_a_staked_pool_are_bonded_as_well() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		assert_ok!(<RestakingPools as PoolsInterface<AccountId, Balance>>::add_rewards(
			pool, &5, 30_000
		));
		assert_eq!(pool_record(pool).active, 1_030_000);
		assert_eq!(ledger_of(pool), (1_030_001, 0));
	});
}

#[test]
fn closing_an_empty_staked_pool_removes_its_ledger_and_returns_the_seed() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		let id = request(2, pool, 1_000_000);
		start_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, id);
		// Not while a request is unbonding.
		assert_noop!(
			RestakingPools::close_pool(RuntimeOrigin::signed(1), pool),
			Error::<Test>::PoolNotEmpty
		);
		set_era(BONDING_DURATION);
		claim(2, pool, id);

		let account = RestakingPools::pool_account(pool);
		let before = free(1);
		// It leaves staking first: closing it before fails and changes nothing.
		assert_noop!(
			RestakingPools::close_pool(RuntimeOrigin::signed(1), pool),
			Error::<Test>::PoolStillStaked
		);
		assert_ok!(RestakingPools::unstake_pool(RuntimeOrigin::signed(1), pool));
		assert!(ledger(&account).is_none());
		assert_eq!(pool_record(pool).state, PoolState::Closed);
		assert_ok!(RestakingPools::close_pool(RuntimeOrigin::signed(1), pool));
		assert!(StakedPools::<Test>::get(pool).is_none());
		// The creation deposit, the account's existential deposit and the seed come back.
		assert_eq!(free(1), before + POOL_DEPOSIT + 1 + 1);
	});
}

#[test]
fn a_claim_is_refunded_to_the_step_it_made() {
	ExtBuilder::default().build_and_execute(|| {
		type Weights = <Test as Config>::WeightInfo;
		let used = |result: frame_support::dispatch::DispatchResultWithPostInfo| {
			result.expect("the claim succeeds").actual_weight.expect("a refund")
		};
		// A native pool's claim pays in one step.
		let native = create_pool(1, Collateral::Native);
		deposit(3, native, 1_000_000);
		let native_id = request(3, native, 1_000_000);
		// A staked pool's claim unbonds, then pays.
		let pool = staked_pool_with_alice();
		let id = request(2, pool, 1_000_000);
		start_epoch(WITHDRAWAL_DELAY);

		assert_eq!(
			used(RestakingPools::claim_withdrawal(RuntimeOrigin::signed(3), native, native_id)),
			Weights::claim_withdrawal()
		);
		assert_eq!(
			used(RestakingPools::claim_withdrawal(RuntimeOrigin::signed(2), pool, id)),
			Weights::start_unbonding()
		);
		set_era(BONDING_DURATION);
		assert_eq!(
			used(RestakingPools::claim_withdrawal(RuntimeOrigin::signed(2), pool, id)),
			Weights::finish_unbonding()
		);
	});
}

#[test]
fn staking_calls_of_an_unknown_pool_or_a_stranger_change_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		let unknown = pool + 1;
		let targets: NominationsOf<Test> = vec![50].try_into().unwrap();
		assert_noop!(
			RestakingPools::nominate(RuntimeOrigin::signed(1), unknown, targets),
			Error::<Test>::PoolNotFound
		);
		assert_noop!(
			RestakingPools::chill(RuntimeOrigin::signed(1), unknown),
			Error::<Test>::PoolNotFound
		);
		assert_noop!(
			RestakingPools::compound_rewards(RuntimeOrigin::signed(1), unknown),
			Error::<Test>::PoolNotFound
		);
		// Only the curator chills.
		assert_noop!(
			RestakingPools::chill(RuntimeOrigin::signed(2), pool),
			Error::<Test>::NotCurator
		);
		// Unsigned origins are refused.
		assert_noop!(
			RestakingPools::compound_rewards(RuntimeOrigin::root(), pool),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

/// `pool`'s session keys, set by its curator 1.
fn set_keys(pool: PoolId) {
	let (keys, proof) = session_keys(&RestakingPools::pool_account(pool));
	assert_ok!(RestakingPools::set_session_keys(
		RuntimeOrigin::signed(1),
		pool,
		keys.try_into().unwrap(),
		proof.try_into().unwrap()
	));
}

#[test]
fn a_staked_pool_validates_with_its_curators_session_keys_and_its_stake_as_its_own() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a staked pool holding alice's 1,000,000 PAL, nominating first.
		let pool = staked_pool_with_alice();
		let account = RestakingPools::pool_account(pool);
		assert_ok!(RestakingPools::nominate(
			RuntimeOrigin::signed(1),
			pool,
			vec![50].try_into().unwrap()
		));
		// It cannot validate before its keys are set.
		assert_noop!(
			RestakingPools::validate(
				RuntimeOrigin::signed(1),
				pool,
				Perbill::from_percent(5),
				false
			),
			Error::<Test>::NoSessionKeys
		);
		pool_events();

		// When its curator sets the keys and validates.
		set_keys(pool);
		assert_ok!(RestakingPools::validate(
			RuntimeOrigin::signed(1),
			pool,
			Perbill::from_percent(5),
			true
		));

		// Then the stash is a validator (no longer a nominator) whose own stake is the pool's
		// whole bonded stake, with the keys on it.
		let staked = ledger(&account).unwrap();
		assert_eq!(staked.validator, Some((Perbill::from_percent(5), true)));
		assert_eq!(staked.nominations, None);
		assert_eq!(ledger_of(pool), (1_000_001, 0));
		assert_eq!(keys_of(&account), Some(session_keys(&account).0));
		assert_eq!(
			pool_events(),
			vec![
				Event::SessionKeysSet { pool },
				Event::Validating { pool, commission: Perbill::from_percent(5), blocked: true }
			]
		);

		// When it chills, it stops validating; its stake stays bonded.
		assert_ok!(RestakingPools::chill(RuntimeOrigin::signed(1), pool));
		assert_eq!(ledger(&account).unwrap().validator, None);
		assert_eq!(ledger_of(pool), (1_000_001, 0));
	});
}

#[test]
fn validate_and_session_keys_are_the_curators_and_only_for_staked_pools() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::NativeStaked);
		let native = create_pool(1, Collateral::Native);
		let (keys, proof) = session_keys(&RestakingPools::pool_account(pool));
		let five = Perbill::from_percent(5);
		let set = |origin: RuntimeOrigin, pool: PoolId, keys: &[u8], proof: &[u8]| {
			RestakingPools::set_session_keys(
				origin,
				pool,
				keys.to_vec().try_into().unwrap(),
				proof.to_vec().try_into().unwrap(),
			)
		};
		let curator = || RuntimeOrigin::signed(1);

		assert_noop!(set(RuntimeOrigin::signed(2), pool, &keys, &proof), Error::<Test>::NotCurator);
		assert_noop!(set(curator(), native, &keys, &proof), Error::<Test>::NotStakedPool);
		assert_noop!(set(curator(), 99, &keys, &proof), Error::<Test>::PoolNotFound);
		// Keys that are not the runtime's, or a proof made for another account.
		assert_noop!(set(curator(), pool, &[1, 2, 3], &proof), Error::<Test>::InvalidSessionKeys);
		let (_, others) = session_keys(&RestakingPools::pool_account(native));
		assert_noop!(set(curator(), pool, &keys, &others), DispatchError::Other("InvalidProof"));
		assert_noop!(set(RuntimeOrigin::none(), pool, &keys, &proof), DispatchError::BadOrigin);

		set_keys(pool);
		assert_noop!(
			RestakingPools::validate(RuntimeOrigin::signed(2), pool, five, false),
			Error::<Test>::NotCurator
		);
		assert_noop!(
			RestakingPools::validate(RuntimeOrigin::signed(1), native, five, false),
			Error::<Test>::NotStakedPool
		);
		assert_noop!(
			RestakingPools::validate(RuntimeOrigin::signed(1), 99, five, false),
			Error::<Test>::PoolNotFound
		);
		// Staking's own rules apply: the seed alone is below the minimum validator bond.
		assert_noop!(
			RestakingPools::validate(RuntimeOrigin::signed(1), pool, five, false),
			DispatchError::Other("InsufficientBond")
		);
	});
}

#[test]
fn an_npos_slash_of_a_validating_pool_falls_on_its_holders_once() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a validating pool of alice's 1,000,000 PAL.
		let pool = staked_pool_with_alice();
		set_keys(pool);
		assert_ok!(RestakingPools::validate(
			RuntimeOrigin::signed(1),
			pool,
			Perbill::zero(),
			false
		));
		let treasury = free(NPOS_TREASURY);

		// When staking slashes the validator 10% (its own stake is the pool's).
		let taken = npos_slash(&RestakingPools::pool_account(pool), Perbill::from_percent(10));

		// Then the holders bear exactly what the ledger lost (the seed is kept), once, and it
		// went to the NPoS slash beneficiary.
		assert_eq!(taken, 100_001);
		assert_eq!(ledger_of(pool), (900_000, 0));
		assert_eq!(pool_record(pool).active + pool_record(pool).seed, 900_000);
		assert_eq!(free(NPOS_TREASURY) - treasury, 100_001);
	});
}

#[test]
fn a_withdrawal_below_the_minimum_bond_chills_a_validating_pool_rather_than_failing() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::NativeStaked);
		deposit(2, pool, MIN_NOMINATOR_BOND + 20);
		set_keys(pool);
		assert_ok!(RestakingPools::validate(
			RuntimeOrigin::signed(1),
			pool,
			Perbill::zero(),
			false
		));

		let id = request(2, pool, lrt(pool, 2));
		start_epoch(WITHDRAWAL_DELAY);
		pool_events();
		claim(2, pool, id);

		assert!(pool_events().contains(&Event::Chilled { pool }));
		assert_eq!(ledger(&RestakingPools::pool_account(pool)).unwrap().validator, None);
		set_era(BONDING_DURATION);
		claim(2, pool, id);
	});
}

#[test]
fn closing_a_validating_pool_removes_its_session_keys_with_its_ledger() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		let account = RestakingPools::pool_account(pool);
		set_keys(pool);
		assert_ok!(RestakingPools::validate(
			RuntimeOrigin::signed(1),
			pool,
			Perbill::zero(),
			false
		));
		let id = request(2, pool, 1_000_000);
		start_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, id);
		set_era(BONDING_DURATION);
		claim(2, pool, id);

		assert_ok!(RestakingPools::unstake_pool(RuntimeOrigin::signed(1), pool));
		assert!(keys_of(&account).is_none());
		assert!(ledger(&account).is_none());
		assert_ok!(RestakingPools::close_pool(RuntimeOrigin::signed(1), pool));
	});
}

#[test]
fn closing_and_claiming_are_charged_by_the_kind_of_pool() {
	ExtBuilder::default().build_and_execute(|| {
		use frame_support::dispatch::GetDispatchInfo;
		let staked = create_pool(1, Collateral::NativeStaked);
		let native = create_pool(1, Collateral::Native);
		let close = |pool| Call::<Test>::close_pool { pool }.get_dispatch_info().call_weight;
		let dearer = <() as WeightInfo>::close_pool().max(<() as WeightInfo>::close_staked_pool());
		assert_eq!(close(native), <() as WeightInfo>::close_pool());
		assert_eq!(close(staked), dearer);
		assert_eq!(close(99), dearer);
		let claim = |pool| {
			Call::<Test>::claim_withdrawal { pool, request_id: 0 }.get_dispatch_info().call_weight
		};
		let staked_claim =
			<() as WeightInfo>::start_unbonding().max(<() as WeightInfo>::finish_unbonding());
		assert_eq!(claim(native), <() as WeightInfo>::claim_withdrawal());
		assert_eq!(claim(staked), staked_claim);
		assert_eq!(claim(99), staked_claim.max(<() as WeightInfo>::claim_withdrawal()));

		let info = RestakingPools::close_pool(RuntimeOrigin::signed(1), native).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::close_pool()));
		assert_ok!(RestakingPools::unstake_pool(RuntimeOrigin::signed(1), staked));
		let info = RestakingPools::close_pool(RuntimeOrigin::signed(1), staked).unwrap();
		assert_eq!(info.actual_weight, Some(<() as WeightInfo>::close_staked_pool()));
	});
}

#[test]
fn a_ghost_per_era_of_the_bonding_duration_is_kept_and_dropped_when_withdrawn() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a consumer's slash of 1,000 in each era of the bonding duration: one ghost per
		// era, each unlocking a bonding duration later.
		let pool = staked_pool_with_alice();
		for era in 0..BONDING_DURATION {
			set_era(era);
			RestakingPools::do_slash_for_epoch(pool, 1_000, 0, Some(NPOS_TREASURY));
		}
		let expected: Vec<_> =
			(0..BONDING_DURATION).map(|era| (era + BONDING_DURATION, 1_000)).collect();
		assert_eq!(ghosts(pool), expected);
		assert_eq!(ledger_of(pool).1, 1_000 * Balance::from(BONDING_DURATION));
		assert_eq!(UnbondingChunks::<Test>::iter_prefix(pool).count(), 0);

		// When half of them unlocked and the pool next unbonds (a withdrawal's first claim).
		let half = BONDING_DURATION + BONDING_DURATION / 2;
		set_era(half);
		let id = request(2, pool, 100_000);
		start_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, id);

		// Then the unlocked ghosts are gone with their eras, the others are still unlocking,
		// and only the request has a chunk.
		let left: Vec<_> = expected.into_iter().filter(|(era, _)| *era > half).collect();
		assert_eq!(ghosts(pool), left.clone());
		let left_total: Balance = left.iter().map(|(_, ghost)| ghost).sum();
		let chunks: Vec<_> = UnbondingChunks::<Test>::iter_prefix(pool).collect();
		assert_eq!(chunks.len(), 1);
		let request_value = chunks[0].1.queue.value;
		assert!(request_value > 90_000, "the request unbonds {request_value}");
		assert_eq!(ledger_of(pool).1, left_total + request_value);
	});
}

#[test]
fn a_staked_pool_leaves_staking_before_it_closes_and_cannot_come_back() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		let native = create_pool(1, Collateral::Native);
		// Not while it has holders, not by a stranger, not for another kind of pool.
		assert_noop!(
			RestakingPools::unstake_pool(RuntimeOrigin::signed(1), pool),
			Error::<Test>::PoolNotEmpty
		);
		assert_noop!(
			RestakingPools::unstake_pool(RuntimeOrigin::signed(2), pool),
			Error::<Test>::NotCurator
		);
		assert_noop!(
			RestakingPools::unstake_pool(RuntimeOrigin::signed(1), native),
			Error::<Test>::NotStakedPool
		);
		let id = request(2, pool, 1_000_000);
		start_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, id);
		// Not while a request unbonds.
		assert_noop!(
			RestakingPools::unstake_pool(RuntimeOrigin::signed(1), pool),
			Error::<Test>::PoolNotEmpty
		);
		set_era(BONDING_DURATION);
		claim(2, pool, id);
		pool_events();

		assert_ok!(RestakingPools::unstake_pool(RuntimeOrigin::signed(1), pool));
		assert_eq!(
			pool_events(),
			vec![
				Event::PoolStateSet { pool, state: PoolState::Closed },
				Event::PoolUnstaked { pool }
			]
		);
		assert!(ledger(&RestakingPools::pool_account(pool)).is_none());

		// Then it takes no deposit, cannot be reopened, takes no staking call, and is not
		// unstaked twice.
		assert_noop!(
			RestakingPools::set_pool_state(RuntimeOrigin::signed(1), pool, PoolState::Open),
			Error::<Test>::PoolUnstaked
		);
		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(2), pool, 1_000_000),
			Error::<Test>::PoolClosed
		);
		let targets: NominationsOf<Test> = vec![50].try_into().unwrap();
		assert_noop!(
			RestakingPools::nominate(RuntimeOrigin::signed(1), pool, targets),
			Error::<Test>::PoolUnstaked
		);
		let (keys, proof) = session_keys(&RestakingPools::pool_account(pool));
		assert_noop!(
			RestakingPools::set_session_keys(
				RuntimeOrigin::signed(1),
				pool,
				keys.try_into().unwrap(),
				proof.try_into().unwrap()
			),
			Error::<Test>::PoolUnstaked
		);
		assert_noop!(
			RestakingPools::unstake_pool(RuntimeOrigin::signed(1), pool),
			Error::<Test>::PoolUnstaked
		);

		// Consumer rewards reaching it now bond nothing again (the ledger stays gone).
		assert_ok!(Balances::mint_into(&RestakingPools::pool_account(pool), 10));
		let record = pool_record(pool);
		assert_ok!(RestakingPools::bond_more(pool, &record, 10));
		assert!(ledger(&RestakingPools::pool_account(pool)).is_none());
	});
}

#[test]
fn a_slash_on_a_pool_out_of_staking_unbonds_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		let id = request(2, pool, 1_000_000);
		start_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, id);
		set_era(BONDING_DURATION);
		claim(2, pool, id);
		assert_ok!(RestakingPools::unstake_pool(RuntimeOrigin::signed(1), pool));

		// When a late consumer slash takes from it (it has nothing but the seed).
		let record = pool_record(pool);
		RestakingPools::unbond_slashed(pool, &record, 1);

		// Then nothing is pending or unbonding, and the pool still closes.
		let staked = StakedPools::<Test>::get(pool).unwrap();
		assert!(staked.ghost_pending == 0 && staked.ghosts.is_empty());
		assert_ok!(RestakingPools::close_pool(RuntimeOrigin::signed(1), pool));
	});
}

#[test]
fn unstaking_an_unknown_pool_or_from_an_unsigned_origin_changes_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = staked_pool_with_alice();
		assert_noop!(
			RestakingPools::unstake_pool(RuntimeOrigin::signed(1), pool + 1),
			Error::<Test>::PoolNotFound
		);
		assert_noop!(
			RestakingPools::unstake_pool(RuntimeOrigin::root(), pool),
			DispatchError::BadOrigin
		);
		assert_noop!(
			RestakingPools::close_pool(RuntimeOrigin::signed(1), pool + 1),
			Error::<Test>::PoolNotFound
		);
	});
}
