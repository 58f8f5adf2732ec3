//! The runtime's call filter keeps governance's `force_*` asset calls away from LRT ids (issue
//! 11, item 11): LRT is restakers' property, accounted by `pallet-lrt`.

use frame_support::traits::Contains;
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use sp_runtime::traits::StaticLookup;

use super::{account, council_motion, ext_from_preset};
use crate::{
	configs::{assets::PalisadeCallFilter, restaking::LRT_ASSET_ID_OFFSET},
	Assets, Runtime, RuntimeCall,
};

fn force_transfer(id: u32) -> RuntimeCall {
	RuntimeCall::Assets(pallet_assets::Call::force_transfer {
		id: id.into(),
		source: <Runtime as frame_system::Config>::Lookup::unlookup(account(Alice)),
		dest: <Runtime as frame_system::Config>::Lookup::unlookup(account(Bob)),
		amount: 1,
	})
}

#[test]
fn governance_cannot_force_transfer_or_restatus_lrt() {
	let lrt = LRT_ASSET_ID_OFFSET;
	let lookup = |a| <Runtime as frame_system::Config>::Lookup::unlookup(a);
	let calls = [
		force_transfer(lrt),
		RuntimeCall::Assets(pallet_assets::Call::force_asset_status {
			id: lrt.into(),
			owner: lookup(account(Alice)),
			issuer: lookup(account(Alice)),
			admin: lookup(account(Alice)),
			freezer: lookup(account(Alice)),
			min_balance: 1,
			is_sufficient: false,
			is_frozen: true,
		}),
		RuntimeCall::Assets(pallet_assets::Call::force_set_metadata {
			id: lrt.into(),
			name: b"x".to_vec(),
			symbol: b"x".to_vec(),
			decimals: 0,
			is_frozen: false,
		}),
		RuntimeCall::Assets(pallet_assets::Call::force_clear_metadata { id: lrt.into() }),
	];
	for call in &calls {
		assert!(!PalisadeCallFilter::contains(call), "{call:?} must be filtered");
	}
	// The same calls on an ordinary asset id stay available to governance.
	assert!(PalisadeCallFilter::contains(&force_transfer(lrt - 1)));

	// Through a 2/3 council motion the filtered call fails with `CallFiltered` and nothing moves.
	ext_from_preset("development").execute_with(|| {
		let supply_before = pallet_assets::Asset::<Runtime>::iter().count();
		let result = council_motion(force_transfer(lrt), 2).expect("motion executed");
		assert_eq!(result, Err(frame_system::Error::<Runtime>::CallFiltered.into()));
		assert_eq!(pallet_assets::Asset::<Runtime>::iter().count(), supply_before);
		let _ = Assets::balance(lrt, account(Bob));
	});
}
