//! Attempts to steal from other depositors through the exchange rate.

use crate::mock::*;
use frame_support::traits::fungible::Mutate as _;
use frame_support::{assert_ok, traits::tokens::Preservation};
use palisade_primitives::{Collateral, LrtInterface, PoolsInterface};

const ATTACKER: AccountId = 5;
const VICTIM: AccountId = 6;

/// Withdraw all of `who`'s LRT of `pool` and claim it; returns what was paid.
fn exit(who: AccountId, pool: u32) -> Balance {
	let before = free(who);
	let id = request(who, pool, lrt(pool, who));
	set_epoch(current_epoch() + WITHDRAWAL_DELAY);
	claim(who, pool, id);
	free(who) - before
}

#[test]
fn inflating_the_rate_by_donating_to_the_pool_account_does_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		MinDeposit::set(1);
		let pool = create_pool(1, Collateral::Native);

		// Given the attacker is the first depositor, with 1 unit, and then sends 100_000_000
		// straight to the pool account.
		assert_eq!(deposit(ATTACKER, pool, 1), 1);
		assert_ok!(Balances::transfer(
			&ATTACKER,
			&RestakingPools::pool_account(pool),
			100_000_000,
			Preservation::Preserve
		));

		// When the victim deposits 1_000_000.
		let minted = deposit(VICTIM, pool, 1_000_000);

		// Then the donation was ignored: the victim got 1 LRT per unit and withdraws all of it.
		assert_eq!(minted, 1_000_000);
		assert_eq!(exit(VICTIM, pool), 1_000_000);
		assert_eq!(free(VICTIM), ENDOWMENT);
		println!(
			"donation attack: victim deposited 1_000_000, minted {minted} LRT, withdrew 1_000_000 \
			 (loss 0); attacker lost the 100_000_000 donated"
		);
	});
}

#[test]
fn inflating_the_rate_with_rewards_costs_the_victim_at_most_one_unit() {
	ExtBuilder::default().build_and_execute(|| {
		MinDeposit::set(1);
		let pool = create_pool(1, Collateral::Native);
		let attacker_start = free(ATTACKER);

		// Given the attacker deposits 1 unit and pays 100_000_000 of "rewards" into the pool:
		// one LRT is now worth (100_000_001 + 1_000) / (1 + 1_000) ≈ 99_901 units.
		assert_eq!(deposit(ATTACKER, pool, 1), 1);
		assert_ok!(<RestakingPools as PoolsInterface<_, _>>::add_rewards(
			pool,
			&ATTACKER,
			100_000_000
		));
		// (They vest over one epoch: the attacker waits.)
		set_epoch(1);

		// When the victim offers 1_000_000: ⌊1_000_000 × 1_001 / 100_001_001⌋ = 10 LRT, which
		// cost ⌈10 × 100_001_001 / 1_001⌉ = 999_011; the other 989 are not taken.
		let minted = deposit(VICTIM, pool, 1_000_000);
		assert_eq!(minted, 10);
		assert_eq!(free(VICTIM), ENDOWMENT - 999_011);

		// Then withdrawing pays 999_010: the victim lost 1 unit in total.
		let paid = exit(VICTIM, pool);
		assert_eq!(paid, 999_010);
		assert_eq!(ENDOWMENT - free(VICTIM), 1);

		// And the attacker, withdrawing too, gets one LRT's worth back: it lost ~99.9% of the
		// "rewards" to the virtual position.
		let attacker_paid = exit(ATTACKER, pool);
		assert_eq!(attacker_paid, 99_901);
		let attacker_loss = attacker_start - free(ATTACKER);
		println!(
			"reward inflation attack: victim offered 1_000_000, paid 999_011 for {minted} LRT, \
			 withdrew {paid} (loss 1 unit); attacker paid 100_000_001, withdrew {attacker_paid} \
			 (loss {attacker_loss})"
		);
		// The donation is stuck in the pool, owned by no LRT.
		assert_eq!(supply(pool), 0);
		assert_eq!(pool_record(pool).active, 100_000_001 + 999_011 - 999_010 - 99_901);
	});
}

#[test]
fn a_thousand_dust_deposit_withdraw_cycles_extract_nothing() {
	ExtBuilder::default().build_and_execute(|| {
		MinDeposit::set(1);
		let pool = create_pool(1, Collateral::Native);
		// Given an honest holder and a non-integer rate (≈ 1.333).
		assert_eq!(deposit(2, pool, 1_000_003), 1_000_003);
		assert_ok!(<RestakingPools as PoolsInterface<_, _>>::add_rewards(pool, &3, 333_337));
		let rate_before = rate(pool);
		let honest_value_before =
			<Lrt as LrtInterface<_, _>>::value_of(pool, 1_000_003, pool_record(pool).active);
		// The attacker has exactly 1_000_000 to play with.
		assert_ok!(Balances::mint_into(&42, 1_000_000));
		let start = free(42);

		// When the attacker deposits and withdraws dust 1_000 times (2..=12 units).
		for cycle in 0..1_000u64 {
			let amount = 2 + cycle % 11;
			let minted = deposit(42, pool, amount);
			assert!(minted > 0);
			let id = request(42, pool, minted);
			set_epoch(current_epoch() + WITHDRAWAL_DELAY);
			claim(42, pool, id);
			assert_eq!(lrt(pool, 42), 0);
		}

		// Then the attacker ends with no more than it started with, and the honest holder lost
		// nothing.
		let end = free(42);
		let rate_after = rate(pool);
		let honest_value_after =
			<Lrt as LrtInterface<_, _>>::value_of(pool, 1_000_003, pool_record(pool).active);
		println!(
			"1_000 dust cycles: attacker started with {start}, ended with {end} (lost {}); \
			 rate {rate_before:?} -> {rate_after:?}; honest holder's value {honest_value_before} \
			 -> {honest_value_after}",
			start - end
		);
		assert!(end <= start);
		assert!(rate_after >= rate_before);
		assert!(honest_value_after >= honest_value_before);
	});
}

#[test]
fn donating_to_the_pool_account_cannot_take_the_restakers_funds() {
	ExtBuilder::default().build_and_execute(|| {
		use frame_support::traits::{LockableCurrency, WithdrawReasons};
		// The pool's native funds sit in the pool account's free balance (no hold). Nobody can
		// sign for the account, so the attacker's only handle on it is to send it funds, and
		// (where a runtime has vesting, whose `vested_transfer` anyone may call) have exactly
		// what it sent locked there: the most any lock on the account can cover.
		let pool = create_pool(1, Collateral::Native);
		let account = RestakingPools::pool_account(pool);
		assert_eq!(deposit(VICTIM, pool, 1_000_000), 1_000_000);
		let attacker_start = free(ATTACKER);

		// When the attacker sends 5_000_000 to the pool account and has all of it locked.
		assert_ok!(Balances::transfer(&ATTACKER, &account, 5_000_000, Preservation::Preserve));
		Balances::set_lock(*b"vesting ", &account, 5_000_000, WithdrawReasons::all());

		// Then the pool's books do not move, and a slash still takes from the pool...
		assert_eq!((pool_record(pool).active, in_pool(pool)), (1_000_000, 6_000_000));
		assert_eq!(
			<RestakingPools as PoolsInterface<_, _>>::slash(pool, 100_000, Some(7)),
			100_000
		);
		assert_eq!(free(7), ENDOWMENT + 100_000);
		RestakingPools::do_try_state().expect("everything owed can still be paid out");
		// ... and the victim withdraws all it still owns: 900_000 of 1_000_000, the slash's
		// share, nothing to the attacker.
		assert_eq!(exit(VICTIM, pool), 900_000);
		// The pool account kept its existential deposit and the attacker's locked donation:
		// it was never reaped, and the donation goes to the creator when the pool closes.
		assert_eq!(in_pool(pool), 5_000_000);
		let attacker_gain = free(ATTACKER) as i128 - attacker_start as i128;
		println!(
			"lock-a-donation attack: victim deposited 1_000_000, lost only the 100_000 slash; \
			 attacker gained {attacker_gain}"
		);
		assert!(attacker_gain <= 0);
		Balances::remove_lock(*b"vesting ", &account);
		assert_ok!(RestakingPools::close_pool(RuntimeOrigin::signed(1), pool));
		assert!(!frame_system::Pallet::<Test>::account_exists(&account));
	});
}
