//! Creating a basket and setting its weights.

use super::*;
use frame_support::{
	assert_noop,
	traits::{
		fungible::InspectHold, fungibles::metadata::Inspect as _, fungibles::roles::Inspect as _,
	},
};

#[test]
fn create_basket_makes_its_token_and_holds_the_deposit() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		// When account 4 creates a 60/40 basket over pools 0 and 1.
		let id = basket(&[(0, 60), (1, 40)]);

		// Then the token exists, owned by the pallet, named like the pool LRTs.
		let asset = BASKET_OFFSET + id;
		assert_eq!(Assets::owner(asset), Some(Basket::account_id()));
		assert_eq!(Assets::admin(asset), Some(Basket::account_id()));
		assert_eq!(Assets::symbol(asset), b"bLRT0".to_vec());
		assert_eq!(Assets::name(asset), b"Palisade basket #0".to_vec());
		assert_eq!(Assets::decimals(asset), 12);
		// The deposit is held on the curator.
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::BasketDeposit.into(), &4),
			BASKET_DEPOSIT
		);
		let record = Baskets::<Test>::get(id).unwrap();
		assert_eq!(record.curator, 4);
		assert_eq!(record.pending, 0);
		assert_eq!(supply(id), 0);
		assert_eq!(Basket::pools_of(id), vec![0, 1]);
		assert_eq!(
			basket_events(),
			vec![Event::BasketCreated {
				basket: 0,
				curator: 4,
				asset_id: asset,
				account: Basket::basket_account(0),
				weights: weights(&[(0, 60), (1, 40)]),
				deposit: BASKET_DEPOSIT,
			}]
		);
		// The next basket gets the next id.
		assert_eq!(basket(&[(1, 50), (2, 50)]), 1);
	});
}

#[test]
fn create_basket_refuses_bad_pool_lists() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let create = |pairs: &[(PoolId, u32)]| {
			Basket::create_basket(RuntimeOrigin::signed(4), weights(pairs))
		};
		assert_noop!(create(&[(0, 100)]), Error::<Test>::TooFewPools);
		assert_noop!(create(&[(0, 50), (0, 50)]), Error::<Test>::DuplicatePool);
		assert_noop!(create(&[(0, 0), (1, 100)]), Error::<Test>::ZeroWeight);
		// Pool 3 takes an asset, pool 9 does not exist, a closed pool takes no deposit.
		assert_noop!(create(&[(0, 50), (3, 50)]), Error::<Test>::PoolNotEligible);
		assert_noop!(create(&[(0, 50), (9, 50)]), Error::<Test>::PoolNotEligible);
		MockPools::set_open(2, false);
		assert_noop!(create(&[(0, 50), (2, 50)]), Error::<Test>::PoolNotEligible);
	});
}

#[test]
fn only_the_curator_sets_weights_and_they_apply_to_later_deposits() {
	ExtBuilder::default().with_pools().build_and_execute(|| {
		let id = basket(&[(0, 50), (1, 50)]);
		assert_ok!(Basket::deposit(RuntimeOrigin::signed(1), id, 1_000 * U));
		assert_eq!(held(id), vec![1_000 * U, 0]);
		basket_events();

		assert_noop!(
			Basket::set_weights(RuntimeOrigin::signed(1), id, weights(&[(0, 80), (1, 20)])),
			Error::<Test>::NotCurator
		);
		assert_noop!(
			Basket::set_weights(RuntimeOrigin::signed(4), 7, weights(&[(0, 80), (1, 20)])),
			Error::<Test>::UnknownBasket
		);
		assert_noop!(
			Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(0, 80), (1, 20), (2, 0)])),
			Error::<Test>::ZeroWeight
		);
		assert_noop!(
			Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(0, 80), (1, 10)])),
			Error::<Test>::WeightsNotWhole
		);
		assert_noop!(
			Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(0, 100)])),
			Error::<Test>::TooFewPools
		);

		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(0, 80), (1, 20)])));
		assert_eq!(
			basket_events(),
			vec![Event::WeightsSet {
				basket: id,
				weights: weights(&[(0, 80), (1, 20)]),
				retired: Default::default(),
			}]
		);
		// What the basket holds did not move; the next deposit goes where the basket is
		// furthest below the new weights: pool 1 (200 U short of its 20%).
		assert_eq!(held(id), vec![1_000 * U, 0]);
		deposit_into(id, 2, 1, 100 * U);
		assert_eq!(held(id), vec![1_000 * U, 100 * U]);
		// The order is the curator's.
		assert_ok!(Basket::set_weights(RuntimeOrigin::signed(4), id, weights(&[(1, 50), (0, 50)])));
		assert_eq!(Basket::pools_of(id), vec![1, 0]);
		assert_eq!(held(id), vec![100 * U, 1_000 * U]);
	});
}
