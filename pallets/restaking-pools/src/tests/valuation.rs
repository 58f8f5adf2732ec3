//! Governance-set valuation of non-native collateral.

use crate::{mock::*, *};
use frame_support::{assert_noop, assert_ok};
use palisade_primitives::{Collateral, PoolsInterface};
use sp_runtime::{DispatchError, FixedPointNumber, FixedU128, Perbill};

#[test]
fn governance_sets_and_removes_a_valuation() {
	ExtBuilder::default().build_and_execute(|| {
		let valuation = FixedU128::checked_from_rational(3, 2).unwrap();
		assert_ok!(RestakingPools::set_collateral_valuation(
			RuntimeOrigin::root(),
			ASSET,
			valuation
		));
		assert_eq!(CollateralValuations::<Test>::get(ASSET), Some(valuation));
		assert_eq!(RestakingPools::to_native(Collateral::Asset(ASSET), 1_001), 1_501);
		assert_eq!(
			RestakingPools::from_native_rounding_up(Collateral::Asset(ASSET), 1_501),
			Some(1_001)
		);

		// Zero removes it.
		assert_ok!(RestakingPools::set_collateral_valuation(
			RuntimeOrigin::root(),
			ASSET,
			FixedU128::from_u32(0)
		));
		assert_eq!(CollateralValuations::<Test>::get(ASSET), None);
		assert_eq!(RestakingPools::to_native(Collateral::Asset(ASSET), 1_001), 0);
		assert_eq!(RestakingPools::from_native_rounding_up(Collateral::Asset(ASSET), 1), None);
		assert_eq!(
			pool_events(),
			vec![
				Event::CollateralValuationSet { asset: ASSET, valuation: Some(valuation) },
				Event::CollateralValuationSet { asset: ASSET, valuation: None },
			]
		);
	});
}

#[test]
fn set_collateral_valuation_errors() {
	ExtBuilder::default().build_and_execute(|| {
		assert_noop!(
			RestakingPools::set_collateral_valuation(
				RuntimeOrigin::signed(1),
				ASSET,
				FixedU128::from_u32(1)
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			RestakingPools::set_collateral_valuation(
				RuntimeOrigin::root(),
				OFFSET + 3,
				FixedU128::from_u32(1)
			),
			Error::<Test>::InvalidCollateral
		);
	});
}

#[test]
fn asset_collateral_backs_at_its_valuation_and_zero_without_one() {
	ExtBuilder::default().build_and_execute(|| {
		// Given an asset pool holding 10_000 units, fully allocated to operator 20 for consumer 1.
		opt_in(20, 1);
		let pool = create_pool(1, Collateral::Asset(ASSET));
		assert_eq!(deposit(2, pool, 10_000), 10_000);
		assert_ok!(RestakingPools::set_allocation(
			RuntimeOrigin::signed(1),
			pool,
			20,
			1,
			Perbill::one()
		));
		let backing =
			|epoch| <RestakingPools as PoolsInterface<_, _>>::backing_of(pool, &20, 1, epoch);

		// Without a valuation: zero security.
		assert_eq!(backing(1), 0);
		assert_eq!(<RestakingPools as PoolsInterface<_, _>>::backing(&20, 1, 1), vec![]);

		// At 0.25 native per unit: 2_500.
		set_valuation(FixedU128::checked_from_rational(1, 4).unwrap());
		assert_eq!(backing(1), 2_500);
		assert_eq!(
			<RestakingPools as PoolsInterface<_, _>>::backing(&20, 1, 1),
			vec![(pool, 2_500)]
		);
		// Native pools are valued one for one.
		let native = create_pool(3, Collateral::Native);
		assert_eq!(deposit(2, native, 700), 700);
		assert_ok!(RestakingPools::set_allocation(
			RuntimeOrigin::signed(3),
			native,
			20,
			1,
			Perbill::from_percent(50)
		));
		assert_eq!(
			<RestakingPools as PoolsInterface<_, _>>::backing(&20, 1, 1),
			vec![(pool, 2_500), (native, 350)]
		);
	});
}
