//! Custody against hostile users (issue 11, items 6 to 11): each test is named after the attack,
//! states the attacker's gain before and after the fix, and asserts it is not positive.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::GetDispatchInfo,
	traits::{
		fungible::Mutate as _,
		fungibles::{Inspect as _, Mutate as _},
		tokens::Preservation,
	},
};
use palisade_primitives::{Collateral, PoolsInterface};
use sp_runtime::{traits::AccountIdConversion, FixedU128, Perbill};

const ATTACKER: AccountId = 5;
const OPERATOR: AccountId = 20;
const CONSUMER: u32 = 1;

fn slash_for_epoch(pool: u32, amount: Balance, epoch: u32, to: Option<AccountId>) -> Balance {
	<RestakingPools as PoolsInterface<_, _>>::slash_for_epoch(pool, amount, epoch, to)
}

fn backing(pool: u32, epoch: u32) -> Balance {
	<RestakingPools as PoolsInterface<_, _>>::backing_of(pool, &OPERATOR, CONSUMER, epoch)
}

/// An asset pool with `amount` deposited by account 2, valued 2 PAL per unit, allocated 100% to
/// (OPERATOR, CONSUMER) from epoch 1 on (the clock is at epoch 1).
fn backing_asset_pool(amount: Balance) -> u32 {
	let pool = create_pool(1, Collateral::Asset(ASSET));
	assert_eq!(deposit(2, pool, amount), amount);
	set_valuation(FixedU128::from_u32(2));
	opt_in(OPERATOR, CONSUMER);
	assert_ok!(RestakingPools::set_allocation(
		RuntimeOrigin::signed(1),
		pool,
		OPERATOR,
		CONSUMER,
		Perbill::one()
	));
	start_epoch(1);
	assert_eq!(backing(pool, 1), 2 * amount);
	pool
}

// Item 6.
#[test]
fn pool_slots_need_operator_consent() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an operator opted in to a consumer, which accepts only the honest pool.
		MockOperators::set_accept_all(false);
		opt_in(OPERATOR, CONSUMER);
		let honest = create_pool(1, Collateral::Native);
		MockOperators::set_accepted(vec![(OPERATOR, honest)]);
		// The attacker creates MAX_POOLS (2) empty pools.
		let junk: Vec<u32> =
			(0..MAX_POOLS).map(|_| create_pool(ATTACKER, Collateral::Native)).collect();

		// When the attacker allocates them to the operator: before the fix,
		// `Perbill::from_parts(1)` from each filled the pair's slots (gain: MAX_POOLS = 2 of 2
		// slots, the honest pool locked out). Now a dust fraction is refused ...
		for pool in &junk {
			assert_noop!(
				RestakingPools::set_allocation(
					RuntimeOrigin::signed(ATTACKER),
					*pool,
					OPERATOR,
					CONSUMER,
					Perbill::from_parts(1)
				),
				Error::<Test>::AllocationTooSmall
			);
			// ... and a real one needs the operator's consent.
			assert_noop!(
				RestakingPools::set_allocation(
					RuntimeOrigin::signed(ATTACKER),
					*pool,
					OPERATOR,
					CONSUMER,
					Perbill::from_percent(50)
				),
				Error::<Test>::PoolNotAccepted
			);
		}

		// Then the slots are free for the pool the operator accepted.
		let taken_by_attacker = PairPools::<Test>::get(CONSUMER, OPERATOR)
			.iter()
			.filter(|pool| junk.contains(pool))
			.count();
		assert_eq!(taken_by_attacker, 0, "attacker's gain after the fix: 0 slots");
		assert_ok!(RestakingPools::set_allocation(
			RuntimeOrigin::signed(1),
			honest,
			OPERATOR,
			CONSUMER,
			Perbill::from_percent(1)
		));
		assert_eq!(PairPools::<Test>::get(CONSUMER, OPERATOR).into_inner(), vec![honest]);
		// Decreasing to zero is always possible, a dust decrease is not.
		assert_noop!(
			RestakingPools::set_allocation(
				RuntimeOrigin::signed(1),
				honest,
				OPERATOR,
				CONSUMER,
				Perbill::from_parts(999)
			),
			Error::<Test>::AllocationTooSmall
		);
	});
}

// Item 7.
#[test]
fn early_redeemer_cannot_take_other_holders_money_after_slash() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a 6-decimal asset pool with two holders of 50,000 tokens each.
		const TOKEN: Balance = 1_000_000;
		let half = 50_000 * TOKEN;
		assert_ok!(Assets::mint_into(ASSET, &ATTACKER, half));
		assert_ok!(Assets::mint_into(ASSET, &6, half));
		set_valuation(FixedU128::from_u32(1));
		let pool = create_pool(1, Collateral::Asset(ASSET));
		assert_eq!(deposit(ATTACKER, pool, half), half);
		assert_eq!(deposit(6, pool, half), half);

		// When a slash takes half the pool.
		assert_eq!(slash_for_epoch(pool, half, 0, None), half);
		assert_eq!(pool_record(pool).active, half);

		// Before the fix (offset 10^12 for every collateral, rate (V + o) / (S + o), redemption
		// capped at V) the first redeemer got 47,727 tokens and the second 2,273:
		let o: u128 = 1_000_000_000_000;
		let (v, s) = (u128::from(half), 2 * u128::from(half));
		let old_first = (u128::from(half) * (v + o) / (s + o)).min(v);
		let old_second = (u128::from(half) * (v - old_first + o) / (s - u128::from(half) + o))
			.min(v - old_first);
		assert_eq!((old_first / 1_000_000, old_second / 1_000_000), (47_727, 2_272));
		// (2,272.7 tokens: the issue rounds it to 2,273.) The attacker's gain was
		// 47,727 - 25,000 = 22,727 tokens.

		// Now the attacker redeems first ...
		let start = asset(ATTACKER);
		let id = request(ATTACKER, pool, half);
		set_epoch(WITHDRAWAL_DELAY);
		claim(ATTACKER, pool, id);
		let first = asset(ATTACKER) - start;
		// ... and the other holder after.
		let start = asset(6);
		let id = request(6, pool, half);
		set_epoch(2 * WITHDRAWAL_DELAY);
		claim(6, pool, id);
		let second = asset(6) - start;

		// Then both got 25,000 tokens: the attacker's gain is zero.
		assert_eq!((first, second), (25_000 * TOKEN, 25_000 * TOKEN));
		let gain = i128::from(first) - i128::from(second);
		assert!(gain <= 0, "attacker's gain after the fix: {gain}");
	});
}

// Item 8.
#[test]
fn issuer_freeze_does_not_cancel_slash() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an asset pool of 10_000 units (20_000 PAL) backing a pair.
		let pool = backing_asset_pool(10_000);
		let account = RestakingPools::pool_account(pool);

		// When the asset's issuer freezes the asset, then the pool is slashed 2_000 PAL for
		// an offence of epoch 1, to account 3.
		assert_ok!(Assets::freeze_asset(RuntimeOrigin::signed(ASSET_OWNER), ASSET));
		pool_events();
		// Before the fix the slash returned 0 and was lost: the issuer kept 1_000 units
		// (2_000 PAL) in a pool still counted as 20_000 PAL of security. Now it is booked ...
		assert_eq!(slash_for_epoch(pool, 2_000, 1, Some(3)), 2_000);
		let record = pool_record(pool);
		assert_eq!((record.active, record.owed), (9_000, 1_000));
		assert_eq!(OwedSlashes::<Test>::get(pool).unwrap().into_inner(), vec![(Some(3), 1_000)]);
		assert!(pool_events().contains(&Event::SlashOwed {
			pool,
			amount: 1_000,
			beneficiary: Some(3)
		}));
		// ... the pool no longer counts as security ...
		assert_eq!(backing(pool, 1), 0);
		assert!(
			<RestakingPools as PoolsInterface<_, _>>::backing(&OPERATOR, CONSUMER, 1).is_empty()
		);
		// ... takes no deposits ...
		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(4), pool, 100),
			Error::<Test>::PoolOwesSlash
		);
		// ... and the debt is retried: not payable while frozen.
		assert_noop!(
			RestakingPools::settle_slash(RuntimeOrigin::signed(ATTACKER), pool),
			Error::<Test>::NothingSettled
		);
		start_epoch(2);
		assert_eq!(pool_record(pool).owed, 1_000);

		// When the issuer thaws the asset but freezes the pool's account instead.
		assert_ok!(Assets::thaw_asset(RuntimeOrigin::signed(ASSET_OWNER), ASSET));
		assert_ok!(Assets::freeze(RuntimeOrigin::signed(ASSET_OWNER), ASSET, account));
		start_epoch(3);
		assert_eq!(pool_record(pool).owed, 1_000);
		assert_eq!(backing(pool, 3), 0);

		// Then once it is thawed anyone settles it, and the pool counts again.
		assert_ok!(Assets::thaw(RuntimeOrigin::signed(ASSET_OWNER), ASSET, account));
		let before = asset(3);
		assert_ok!(RestakingPools::settle_slash(RuntimeOrigin::signed(ATTACKER), pool));
		assert_eq!(asset(3), before + 1_000);
		assert_eq!(pool_record(pool).owed, 0);
		assert!(!OwedSlashes::<Test>::contains_key(pool));
		assert_eq!(backing(pool, 3), 18_000);
		assert_noop!(
			RestakingPools::settle_slash(RuntimeOrigin::signed(ATTACKER), pool),
			Error::<Test>::NothingSettled
		);
		// Attacker's (issuer's) gain after the fix: the pool kept nothing of the slash.
		let kept_by_pool = 10_000 - 9_000 - 1_000;
		assert_eq!(kept_by_pool, 0);
	});
}

#[test]
fn owed_slashes_are_retried_at_epoch_start() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = backing_asset_pool(10_000);
		assert_ok!(Assets::freeze_asset(RuntimeOrigin::signed(ASSET_OWNER), ASSET));
		// Burnt (no beneficiary) and to account 3: two entries.
		assert_eq!(slash_for_epoch(pool, 200, 1, None), 200);
		assert_eq!(slash_for_epoch(pool, 400, 1, Some(3)), 400);
		assert_eq!(slash_for_epoch(pool, 400, 1, Some(3)), 400);
		assert_eq!(
			OwedSlashes::<Test>::get(pool).unwrap().into_inner(),
			vec![(None, 100), (Some(3), 400)]
		);
		let issuance = Assets::total_issuance(ASSET);
		assert_ok!(Assets::thaw_asset(RuntimeOrigin::signed(ASSET_OWNER), ASSET));
		pool_events();
		start_epoch(2);
		assert_eq!(Assets::total_issuance(ASSET), issuance - 100);
		assert_eq!(
			pool_events(),
			vec![
				Event::OwedSlashSettled { pool, amount: 100, beneficiary: None },
				Event::OwedSlashSettled { pool, amount: 400, beneficiary: Some(3) },
			]
		);
		assert_eq!(pool_record(pool).owed, 0);
	});
}

#[test]
fn removed_valuation_does_not_cancel_slash() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an asset pool of 10_000 units valued 2 PAL each, backing a pair at epoch 1.
		let pool = backing_asset_pool(10_000);

		// When governance removes the valuation before the slash for epoch 1 executes.
		set_valuation(FixedU128::from_u32(0));
		assert_eq!(CollateralValuations::<Test>::get(ASSET), None);
		assert_eq!(LastValuations::<Test>::get(ASSET), Some(FixedU128::from_u32(2)));

		// Then the slash still takes 2_000 PAL's worth, at the last valuation: before the fix
		// it took nothing (the pool's holders kept 1_000 units, 2_000 PAL).
		let before = asset(3);
		assert_eq!(slash_for_epoch(pool, 2_000, 1, Some(3)), 2_000);
		assert_eq!(asset(3), before + 1_000);
		assert_eq!(pool_record(pool).active, 9_000);
		// An asset that never had a valuation never backed anything: nothing to take.
		let kept_by_holders = 10_000 - pool_record(pool).active - 1_000;
		assert_eq!(kept_by_holders, 0);
	});
}

// Item 9.
#[test]
fn old_withdrawal_request_bears_no_later_offence() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) and bob (3) hold 1_000_000 each; alice requests all at epoch 0.
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		assert_eq!(deposit(3, pool, 1_000_000), 1_000_000);
		let alice = request(2, pool, 1_000_000);
		// Carol (4) deposits and requests at epoch 2.
		set_epoch(2);
		assert_eq!(deposit(4, pool, 1_000_000), 1_000_000);
		let carol = request(4, pool, 1_000_000);

		// When the pool is slashed 1_000_000 for an offence of epoch 2 (alice's stake had left
		// by then, carol's had not).
		assert_eq!(slash_for_epoch(pool, 1_000_000, 2, None), 1_000_000);

		// Then bob's active stake and carol's request bear it, half each; alice's none.
		assert_eq!(pool_record(pool).active, 500_000);
		assert_eq!(bucket(pool, 0).value, 1_000_000);
		assert_eq!(bucket(pool, 2).value, 500_000);
		// A pending slash holds every claim back.
		set_epoch(5);
		MockPending::set_pools(vec![pool]);
		assert_noop!(
			RestakingPools::claim_withdrawal(RuntimeOrigin::signed(2), pool, alice),
			Error::<Test>::SlashPending
		);
		MockPending::set_pools(vec![]);
		// Before the fix alice's request bore a third of it (333_334): her loss, paid to
		// the others' benefit. Now she is paid in full.
		claim(2, pool, alice);
		assert_eq!(free(2), ENDOWMENT);
		set_epoch(2 + WITHDRAWAL_DELAY);
		claim(4, pool, carol);
		assert_eq!(free(4), ENDOWMENT - 500_000);
		// An offence of epoch 0 reaches every live bucket: nothing escapes it.
		let id = request(3, pool, 1_000_000);
		assert_eq!(slash_for_epoch(pool, 100_000, 0, None), 100_000);
		assert_eq!(RestakingPools::claimable(&3, id), Some((400_000, 0)));
	});
}

#[test]
fn hostile_report_for_later_epoch_does_not_block_older_claim() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) requests all her stake at epoch 0 (her bucket backed epoch 0 only)
		// and bob (3) half of his at epoch 1 (his bucket backed epochs up to 1).
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		assert_eq!(deposit(3, pool, 1_000_000), 1_000_000);
		let alice = request(2, pool, 1_000_000);
		set_epoch(1);
		let bob = request(3, pool, 500_000);

		// When a hostile reporter keeps a report for an offence of epoch 1 pending, and
		// alice's delay has passed.
		MockPending::set_pools_at(vec![(pool, 1)]);
		set_epoch(WITHDRAWAL_DELAY);
		// (A slash for an offence of epoch 0, which her stake backed, would hold her back.)
		MockPending::set_pools_at(vec![(pool, 0)]);
		assert_noop!(
			RestakingPools::claim_withdrawal(RuntimeOrigin::signed(2), pool, alice),
			Error::<Test>::SlashPending
		);
		MockPending::set_pools_at(vec![(pool, 1)]);

		// Then her bucket matures all the same when someone else requests (the slash could
		// not take from it), bob's stays live ...
		assert_eq!(deposit(4, pool, 1_000_000), 1_000_000);
		let carol = request(4, pool, 1_000_000);
		assert_eq!(LiveBuckets::<Test>::get(pool).into_inner(), vec![1, WITHDRAWAL_DELAY]);
		// ... and she is paid in full. Before the fix the report held every claim of the pool
		// back for as long as it stayed pending (the meter may keep it so for many epochs):
		// the reporter's gain was locking everybody's exit; now it locks nobody's it cannot
		// slash.
		claim(2, pool, alice);
		assert_eq!(free(2), ENDOWMENT);

		// But bob's stake backed epoch 1: his claim waits for that slash, which may take from
		// his bucket.
		set_epoch(1 + WITHDRAWAL_DELAY);
		assert_noop!(
			RestakingPools::claim_withdrawal(RuntimeOrigin::signed(3), pool, bob),
			Error::<Test>::SlashPending
		);
		assert_eq!(slash_for_epoch(pool, 300_000, 1, None), 300_000);
		MockPending::set_pools_at(vec![]);
		claim(3, pool, bob);
		// He bore his share of it, pro rata with the active stake (500_000) and carol's later
		// bucket (1_000_000): 75_000 of his 500_000.
		assert_eq!(free(3), ENDOWMENT - 1_000_000 + 425_000);
		set_epoch(WITHDRAWAL_DELAY * 2);
		claim(4, pool, carol);
		assert_eq!(free(4), ENDOWMENT - 150_000);
	});
}

#[test]
fn queue_buckets_stay_bounded_while_slashes_are_pending() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Native);
		for who in 2..=10 {
			assert_eq!(deposit(who, pool, 1_000), 1_000);
		}
		// A slash stays pending: no bucket matures. One request per epoch.
		MockPending::set_pools(vec![pool]);
		for epoch in 0..(MAX_BUCKETS + 3) {
			set_epoch(epoch);
			request(u128::from(epoch) + 2, pool, 10);
		}
		assert!(LiveBuckets::<Test>::get(pool).len() as u32 <= MAX_BUCKETS);
		// The newest bucket took the overflow and bears offences up to now.
		let newest = *LiveBuckets::<Test>::get(pool).last().unwrap();
		assert_eq!(QueueBuckets::<Test>::get(pool, newest).unwrap().last_epoch, MAX_BUCKETS + 2);
	});
}

// Item 10.
#[test]
fn withdrawal_requests_need_a_minimum_and_a_deposit() {
	ExtBuilder::default().build_and_execute(|| {
		RequestDeposit::set(7);
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000), 1_000);
		// Dust requests (below MinDeposit = 10) are refused while LRT remains ...
		assert_noop!(
			RestakingPools::request_withdrawal(RuntimeOrigin::signed(2), pool, 9),
			Error::<Test>::BelowMinWithdrawal
		);
		// ... each request holds a deposit ...
		let id = request(2, pool, 10);
		assert_eq!(WithdrawalRequests::<Test>::get(2, id).unwrap().deposit, 7);
		assert_eq!(free(2), ENDOWMENT - 1_000 - 7);
		// ... and the whole remainder may always leave, whatever its size.
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(2), OFFSET + pool, 3, 985));
		let all = request(2, pool, 5);
		assert_eq!(lrt(pool, 2), 0);
		// The claims give the deposits back.
		set_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, id);
		claim(2, pool, all);
		assert_eq!(free(2), ENDOWMENT - 985);
	});
}

#[test]
fn empty_pools_can_be_closed_and_refund_their_creator() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Asset(ASSET));
		let account = RestakingPools::pool_account(pool);
		let (native_before, asset_before) = (free(1), asset(1));
		assert_eq!(deposit(2, pool, 1_000), 1_000);
		opt_in(OPERATOR, CONSUMER);
		assert_ok!(RestakingPools::set_allocation(
			RuntimeOrigin::signed(1),
			pool,
			OPERATOR,
			CONSUMER,
			Perbill::from_percent(10)
		));
		// Not by anyone but the curator, not while it has LRT or allocations.
		assert_noop!(
			RestakingPools::close_pool(RuntimeOrigin::signed(2), pool),
			Error::<Test>::NotCurator
		);
		assert_noop!(
			RestakingPools::close_pool(RuntimeOrigin::signed(1), pool),
			Error::<Test>::PoolNotEmpty
		);
		let id = request(2, pool, 1_000);
		assert_noop!(
			RestakingPools::close_pool(RuntimeOrigin::signed(1), pool),
			Error::<Test>::PoolNotEmpty
		);
		set_epoch(WITHDRAWAL_DELAY);
		claim(2, pool, id);
		assert_ok!(RestakingPools::set_allocation(
			RuntimeOrigin::signed(1),
			pool,
			OPERATOR,
			CONSUMER,
			Perbill::zero()
		));
		assert_noop!(
			RestakingPools::close_pool(RuntimeOrigin::signed(1), pool),
			Error::<Test>::PoolNotEmpty
		);
		start_epoch(WITHDRAWAL_DELAY + DEALLOCATION_DELAY);
		pool_events();

		// When the curator closes it.
		assert_ok!(RestakingPools::close_pool(RuntimeOrigin::signed(1), pool));

		// Then the creator has everything back (the LRT pallet account's ED stays there), the
		// LRT asset and the storage are gone, and the pool account is reaped.
		assert_eq!(asset(1), asset_before + ASSET_MIN);
		assert_eq!(free(1), native_before + POOL_DEPOSIT + 1);
		assert!(!Assets::asset_exists(OFFSET + pool));
		assert!(Pools::<Test>::get(pool).is_none());
		assert!(!PoolMetadata::<Test>::contains_key(pool));
		assert!(!frame_system::Account::<Test>::contains_key(account));
		assert_eq!(
			pool_events(),
			vec![Event::PoolClosed {
				pool,
				depositor: 1,
				creation_deposit: POOL_DEPOSIT,
				collateral_returned: ASSET_MIN,
				lrt_destroyed: true,
			}]
		);
		assert_noop!(
			RestakingPools::close_pool(RuntimeOrigin::signed(1), pool),
			Error::<Test>::PoolNotFound
		);
		// Ids are not reused.
		assert_eq!(create_pool(1, Collateral::Native), pool + 1);
	});
}

#[test]
fn pre_poisoned_pool_account_does_not_block_creation() {
	ExtBuilder::default().build_and_execute(|| {
		// Given the attacker computes the account the next pool would get (before the fix
		// it was the pallet's sub-account for the pool id; now the first candidate of this
		// block) and fills its consumer references with junk non-sufficient assets.
		let pool = NextPoolId::<Test>::get();
		let legacy: AccountId = PoolsPalletId::get().into_sub_account_truncating(pool);
		let predicted = RestakingPools::candidate_account(pool, 0);
		let attacker_start = free(ATTACKER);
		for target in [legacy, predicted] {
			assert_ok!(Balances::transfer(&ATTACKER, &target, 10, Preservation::Preserve));
			let base = 500 + u32::from(target == predicted) * 100;
			for junk in base..base + 20 {
				assert_ok!(Assets::create(RuntimeOrigin::signed(ATTACKER), junk, ATTACKER, 1));
				if Assets::mint_into(junk, &target, 1).is_err() {
					break;
				}
			}
			// The poisoned account can take no further non-sufficient asset: before the fix,
			// creating the asset pool failed at its seed transfer.
			assert!(Assets::transfer(RuntimeOrigin::signed(2), ASSET, target, ASSET_MIN).is_err());
		}

		// When the curator creates the asset pool.
		assert_eq!(create_pool(1, Collateral::Asset(ASSET)), pool);

		// Then it got a fresh account and works.
		let account = pool_record(pool).account;
		assert_ne!(account, predicted);
		assert_ne!(account, legacy);
		assert_eq!(account, RestakingPools::candidate_account(pool, 1));
		assert_eq!(deposit(2, pool, 1_000), 1_000);
		// The attacker's gain: nothing blocked; it paid for the junk.
		assert!(free(ATTACKER) < attacker_start);
	});
}

// Item 11.
#[test]
fn set_allocation_charges_its_worst_case() {
	ExtBuilder::default().build_and_execute(|| {
		let call = crate::Call::<Test>::set_allocation {
			pool: 0,
			operator: OPERATOR,
			consumer: CONSUMER,
			fraction: Perbill::one(),
		};
		let charged = call.get_dispatch_info().call_weight;
		assert_eq!(charged, <() as WeightInfo>::set_allocation(MAX_OPERATORS));
		// Each entry costs decoding and scanning; the storage accesses do not grow with the
		// entries (at most `MAX_OTHERS_SETTLED` others are settled and dropped, see
		// `set_allocation_cost_does_not_grow_with_due_entries`).
		let one = <() as WeightInfo>::set_allocation(1);
		assert!(charged.ref_time() > one.ref_time());
		// The proof grows by the list's encoding only (bytes per entry), not by a storage
		// item per entry (a `PairPools` entry is 2,664 bytes of proof).
		let per_entry =
			(charged.proof_size() - one.proof_size()) / u64::from(MAX_OPERATORS.saturating_sub(1));
		assert!(per_entry < 100, "proof per entry {per_entry}");
		let _ = VIRTUAL;
	});
}

/// Found by the 100,000-sequence fuzz run: `fungibles::Mutate::transfer` (what the pools use
/// to take collateral) credits the receiver *best effort* in `pallet-assets`: a credit that
/// would take the asset's supply past `u128::MAX` is dropped while the debit stands. An issuer
/// mints itself just over half the balance range and deposits it: before, the pool booked a
/// deposit it never received and minted LRT for it, which then redeems the honest holders'
/// collateral (here all 1,000 units of holder 2). After: the pool checks what it received and
/// refuses (`CollateralNotReceived`); the runtime also caps every asset's supply at half the
/// range (`issuer_cannot_mint_past_half_the_balance_range`).
#[test]
fn issuer_overflowing_the_supply_cannot_deposit_without_paying() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an asset pool where holder 2 deposited 1,000 units.
		let pool = create_pool(1, Collateral::Asset(ASSET));
		assert_eq!(deposit(2, pool, 1_000), 1_000);
		assert_ok!(RestakingPools::set_deposit_cap(RuntimeOrigin::signed(1), pool, Balance::MAX));
		let account = Pools::<Test>::get(pool).unwrap().account;
		let held = asset(account);

		// When the issuer mints itself half the range (the supply is then past half) and
		// deposits all of it.
		let half = Balance::MAX / 2;
		assert_ok!(Assets::mint(
			RuntimeOrigin::signed(ASSET_OWNER),
			ASSET,
			ASSET_OWNER,
			half + ASSET_MIN
		));
		assert!(Assets::total_issuance(ASSET).checked_add(half).is_none());

		// Then the deposit is refused and nothing moved: no LRT, the pool holds what it held.
		assert_noop!(
			RestakingPools::deposit(RuntimeOrigin::signed(ASSET_OWNER), pool, half),
			Error::<Test>::CollateralNotReceived
		);
		assert_eq!(asset(account), held);
		assert_eq!(lrt(pool, ASSET_OWNER), 0);
		// (The issuer's own half stays with it; burning it keeps the mock's invariants simple.)
		assert_ok!(Assets::burn(
			RuntimeOrigin::signed(ASSET_OWNER),
			ASSET,
			ASSET_OWNER,
			half + ASSET_MIN
		));
	});
}
