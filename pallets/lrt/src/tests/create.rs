//! Creating a pool's LRT: asset id, owner, sufficiency, metadata and who pays for it.

use crate::{mock::*, *};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect as _, fungibles::metadata::Inspect as _},
};
use palisade_primitives::LrtInterface;

#[test]
fn create_makes_a_sufficient_asset_owned_by_the_pallet() {
	ExtBuilder::default().build_and_execute(|| {
		// Given: account 1 creates pool 0's LRT, with 12 decimals.
		// When
		assert_ok!(<Lrt as LrtInterface<_, _>>::create(0, 12, &1), OFFSET);

		// Then: the asset exists with the pallet as owner, admin, issuer and freezer.
		let details = pallet_assets::Asset::<Test>::get(OFFSET).expect("asset created");
		let owner = Lrt::account_id();
		assert_eq!(
			(details.owner, details.admin, details.issuer, details.freezer),
			(owner, owner, owner, owner)
		);
		assert!(details.is_sufficient);
		// 10^-5 of a whole token at 12 decimals.
		assert_eq!(details.min_balance, MIN_LRT * 1_000_000);
		assert_eq!(details.supply, 0);
		// Its metadata is derived from the pool.
		assert_eq!(Assets::name(OFFSET), b"Palisade LRT pool #0".to_vec());
		assert_eq!(Assets::symbol(OFFSET), b"pLRT0".to_vec());
		assert_eq!(Assets::decimals(OFFSET), 12);
		assert_eq!(Lrts::<Test>::get(0), Some(LrtRecord { decimals: 12 }));
		// The payer paid the metadata deposit (1 + 25 bytes) plus the pallet account's ED.
		assert_eq!(Balances::balance(&1), 1_000 - 26 - ED);
		assert_eq!(Balances::reserved_balance(owner), 26);
		assert_eq!(Balances::balance(&owner), ED);
		assert_eq!(
			lrt_events(),
			vec![Event::LrtCreated {
				pool: 0,
				asset_id: OFFSET,
				decimals: 12,
				metadata_deposit: 26
			}]
		);

		// When: a second LRT is created, the pallet account is alive already.
		assert_ok!(<Lrt as LrtInterface<_, _>>::create(1, 6, &2), OFFSET + 1);
		// Then: the payer only pays the metadata deposit.
		assert_eq!(Balances::balance(&2), 1_000 - 26);
		assert_eq!(Balances::reserved_balance(owner), 52);
		assert_eq!(Assets::decimals(OFFSET + 1), 6);
		assert_eq!(Lrts::<Test>::iter().count(), 2);
	});
}

#[test]
fn create_fails_twice_or_on_a_taken_or_overflowing_id() {
	ExtBuilder::default().build_and_execute(|| {
		assert_ok!(<Lrt as LrtInterface<_, _>>::create(0, 12, &1));
		assert_noop!(<Lrt as LrtInterface<_, _>>::create(0, 12, &1), Error::<Test>::AlreadyCreated);

		// Someone created asset OFFSET + 1 before the runtime forbade it.
		assert_ok!(Assets::create(RuntimeOrigin::signed(3), OFFSET + 1, 3, 1));
		assert_noop!(<Lrt as LrtInterface<_, _>>::create(1, 12, &1), Error::<Test>::AssetIdTaken);

		assert_noop!(
			<Lrt as LrtInterface<_, _>>::create(u32::MAX - 10, 12, &1),
			Error::<Test>::AssetIdOverflow
		);
	});
}

#[test]
fn create_fails_if_the_payer_cannot_pay() {
	ExtBuilder::default().build_and_execute(|| {
		// Account 9 has nothing.
		assert!(<Lrt as LrtInterface<_, _>>::create(0, 12, &9).is_err());
		assert!(Lrts::<Test>::get(0).is_none());
	});
}
