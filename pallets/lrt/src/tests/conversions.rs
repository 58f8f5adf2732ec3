//! Minting and burning at the pool's rate, with the virtual offset and pool-favouring rounding.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok, traits::fungibles::Inspect as _};
use palisade_primitives::{LrtConversion, LrtInterface};
use sp_arithmetic::FixedU128;
use sp_runtime::TokenError;

type LrtOf = Lrt;

fn create_pool_0() {
	// 6 decimals: virtual offset 10^3, minimum balance 10.
	assert_ok!(<LrtOf as LrtInterface<_, _>>::create(0, 6, &5));
}

fn mint(who: AccountId, value: Balance, pool_value: Balance) -> LrtConversion<Balance> {
	<LrtOf as LrtInterface<_, _>>::mint(0, &who, value, pool_value).expect("mint works")
}

fn burn(who: AccountId, lrt: Balance, pool_value: Balance) -> LrtConversion<Balance> {
	<LrtOf as LrtInterface<_, _>>::burn(0, &who, lrt, pool_value).expect("burn works")
}

fn supply() -> Balance {
	<LrtOf as LrtInterface<_, _>>::supply(0)
}

fn lrt_of(who: AccountId) -> Balance {
	Assets::balance(OFFSET, who)
}

#[test]
fn mint_and_burn_round_trip_at_the_rate() {
	ExtBuilder::default().build_and_execute(|| {
		create_pool_0();
		// Given an empty pool: rate = (0 + 1_000) / (0 + 1_000) = 1.
		assert_eq!(<LrtOf as LrtInterface<_, _>>::rate(0, 0), FixedU128::from_u32(1));
		// When alice deposits 1_000, she gets 1_000 LRT for exactly 1_000.
		assert_eq!(mint(1, 1_000, 0), LrtConversion { lrt: 1_000, value: 1_000 });
		assert_eq!((lrt_of(1), supply()), (1_000, 1_000));

		// Given the pool earned 500: V = 1_500, rate = 2_500 / 2_000 = 1.25.
		assert_eq!(<LrtOf as LrtInterface<_, _>>::rate(0, 1_500), FixedU128::from_rational(5, 4));
		// When bob offers 99: ⌊99 × 2_000 / 2_500⌋ = 79 LRT, costing ⌈79 × 1.25⌉ = 99.
		assert_eq!(mint(2, 99, 1_500), LrtConversion { lrt: 79, value: 99 });
		assert_eq!((lrt_of(2), supply()), (79, 1_079));

		// When bob burns his 79 LRT with V = 1_599: ⌊79 × 2_599 / 2_079⌋ = 98.
		assert_eq!(<LrtOf as LrtInterface<_, _>>::value_of(0, 79, 1_599), 98);
		assert_eq!(burn(2, 79, 1_599), LrtConversion { lrt: 79, value: 98 });
		// Then he lost 1 unit to rounding, which stays in the pool (for alice).
		assert_eq!((lrt_of(2), supply()), (0, 1_000));
		assert_eq!(Assets::total_issuance(OFFSET), 1_000);
	});
}

#[test]
fn value_of_known_decimals_is_value_of_without_reading_the_lrt_record() {
	ExtBuilder::default().build_and_execute(|| {
		create_pool_0();
		mint(1, 1_000, 0);
		mint(2, 99, 1_500);
		// Given pool 0's LRT (6 decimals) with holders: valuing with its decimals known gives
		// exactly `value_of` at every pool value, rounded the same way.
		for (lrt, pool_value) in [(79, 1_599), (1_079, 1_599), (1, 7), (0, 1_000), (500, 0)] {
			assert_eq!(
				<LrtOf as LrtInterface<_, _>>::value_of_known(0, 6, lrt, pool_value),
				<LrtOf as LrtInterface<_, _>>::value_of(0, lrt, pool_value)
			);
		}
		assert_eq!(<LrtOf as LrtInterface<_, _>>::value_of_known(0, 6, 79, 1_599), 98);
		// And without reading the LRT record: with the record gone `value_of` no longer finds
		// the supply, while the known decimals and the asset's supply still value it.
		let record = Lrts::<Test>::take(0).expect("pool 0 has an LRT");
		assert_ne!(<LrtOf as LrtInterface<_, _>>::value_of(0, 79, 1_599), 98);
		assert_eq!(<LrtOf as LrtInterface<_, _>>::value_of_known(0, 6, 79, 1_599), 98);
		Lrts::<Test>::insert(0, record);
	});
}

#[test]
fn mint_takes_only_what_the_lrt_is_worth() {
	ExtBuilder::default().build_and_execute(|| {
		create_pool_0();
		assert_eq!(mint(1, 1_000, 0).lrt, 1_000);
		// Given V = 99_000, S = 1_000: rate = 100_000 / 2_000 = 50.
		// When alice offers 120: ⌊120 / 50⌋ = 2 LRT, costing exactly 100; she keeps 20.
		assert_eq!(mint(1, 120, 99_000), LrtConversion { lrt: 2, value: 100 });
		assert_eq!(<LrtOf as LrtInterface<_, _>>::lrt_for(0, 120, 99_000), 2);
		// An offer worth less than one LRT mints nothing and fails.
		assert_noop!(
			<LrtOf as LrtInterface<_, _>>::mint(0, &1, 49, 99_100),
			Error::<Test>::NothingMinted
		);
		// A fresh account must receive at least the LRT's minimum balance (10).
		assert_noop!(
			<LrtOf as LrtInterface<_, _>>::mint(0, &2, 120, 99_100),
			TokenError::BelowMinimum
		);
	});
}

#[test]
fn redeeming_never_pays_more_than_the_pool_value() {
	ExtBuilder::default().build_and_execute(|| {
		create_pool_0();
		assert_eq!(mint(1, 1_000, 0).lrt, 1_000);
		// Given the pool was slashed to V = 100: the formula gives ⌊1_000 × 1_100 / 2_000⌋ = 550,
		// but only 100 is there.
		assert_eq!(<LrtOf as LrtInterface<_, _>>::value_of(0, 1_000, 100), 100);
		// Given it was wiped out: nothing.
		assert_eq!(<LrtOf as LrtInterface<_, _>>::value_of(0, 1_000, 0), 0);
		assert_eq!(burn(1, 1_000, 0), LrtConversion { lrt: 1_000, value: 0 });
		assert_eq!(supply(), 0);
	});
}

#[test]
fn burning_all_but_dust_burns_the_dust_too() {
	ExtBuilder::default().build_and_execute(|| {
		create_pool_0();
		assert_eq!(mint(1, 1_000, 0).lrt, 1_000);
		// When alice burns 995 of 1_000, the remainder 5 is below the minimum balance (10): it
		// is burnt and paid for as well.
		assert_eq!(burn(1, 995, 1_000), LrtConversion { lrt: 1_000, value: 1_000 });
		assert_eq!((lrt_of(1), supply()), (0, 0));
		// Burning nothing does nothing.
		assert_eq!(burn(1, 0, 0), LrtConversion { lrt: 0, value: 0 });
	});
}

#[test]
fn transferred_lrt_can_be_burnt_by_its_new_holder_without_native_balance() {
	ExtBuilder::default().build_and_execute(|| {
		create_pool_0();
		assert_eq!(mint(1, 1_000, 0).lrt, 1_000);
		// Account 42 has no native balance; the LRT is sufficient, so it can receive it.
		assert_ok!(Assets::transfer(RuntimeOrigin::signed(1), OFFSET, 42, 400));
		assert_eq!((lrt_of(1), lrt_of(42), supply()), (600, 400, 1_000));
		assert_eq!(burn(42, 400, 1_000), LrtConversion { lrt: 400, value: 400 });
		assert_eq!((lrt_of(42), supply()), (0, 600));
	});
}

#[test]
fn errors() {
	ExtBuilder::default().build_and_execute(|| {
		// No LRT for pool 0 yet.
		assert_noop!(
			<LrtOf as LrtInterface<_, _>>::mint(0, &1, 100, 0),
			Error::<Test>::UnknownPool
		);
		assert_noop!(
			<LrtOf as LrtInterface<_, _>>::burn(0, &1, 100, 0),
			Error::<Test>::UnknownPool
		);
		create_pool_0();
		assert_eq!(mint(1, 1_000, 0).lrt, 1_000);
		assert_noop!(
			<LrtOf as LrtInterface<_, _>>::burn(0, &1, 1_001, 1_000),
			Error::<Test>::InsufficientLrt
		);
		// u64::MAX × 2_000 / 1_000 does not fit.
		assert_noop!(
			<LrtOf as LrtInterface<_, _>>::mint(0, &1, u64::MAX, 0),
			Error::<Test>::Overflow
		);
		assert_eq!(<LrtOf as LrtInterface<_, _>>::lrt_for(0, u64::MAX, 0), u64::MAX);
		assert!(<LrtOf as LrtInterface<_, _>>::is_lrt_asset(OFFSET));
		assert!(!<LrtOf as LrtInterface<_, _>>::is_lrt_asset(OFFSET - 1));
		assert_eq!(<LrtOf as LrtInterface<_, _>>::asset_id(3), OFFSET + 3);
		assert_eq!(<LrtOf as LrtInterface<_, _>>::balance(0, &1), 1_000);
	});
}
