//! The restaking runtime API's pending-slash view against what execution really takes.

use crate::{
	restaking_api::pending_slashes,
	tests::{account, ext_from_preset},
	AccountId, Balance, Consumers, Operators, RestakingPools, Runtime, RuntimeOrigin,
	ServiceSlashing, System,
};
use frame_support::{assert_ok, traits::OnInitialize};
use palisade_primitives::PendingSlashes as _;
use palisade_primitives::PoolId;
use palisade_runtime_api::PendingSlashView;
use sp_keyring::Sr25519Keyring::{CharlieStash, Ferdie};

/// The restaking pallets' block hooks, up to the first block of the next epoch.
fn next_epoch() {
	let epoch = Consumers::current_epoch();
	while Consumers::current_epoch() == epoch {
		let next = System::block_number() + 1;
		assert!(next < 10_000, "epoch clock stuck");
		System::set_block_number(next);
		<(Consumers, ServiceSlashing, Operators, RestakingPools) as OnInitialize<u32>>::on_initialize(
			next,
		);
	}
}

#[test]
fn pending_slash_view_predicts_what_execution_takes_from_each_pool() {
	ext_from_preset("development").execute_with(|| {
		// Given a report against CharlieStash for an offence of epoch 1 on consumer 0.
		next_epoch();
		next_epoch();
		let offence_epoch = Consumers::current_epoch() - 1;
		assert_ok!(ServiceSlashing::report_offence(
			RuntimeOrigin::signed(account(Ferdie)),
			0,
			account(CharlieStash),
			pallet_service_slashing::OffenceKind::Downtime,
			offence_epoch,
			b"offline".to_vec().try_into().unwrap(),
		));
		let slashes = ServiceSlashing::pending_slashes();
		let [(slash_id, record)] = slashes.as_slice() else { panic!("one pending slash") };
		let (slash_id, record) = (*slash_id, record.clone());
		let expected: Vec<(PoolId, Balance)> = record
			.exposure
			.pools
			.iter()
			.map(|(pool, backing)| (*pool, record.fraction.mul_ceil(*backing)))
			.collect();
		assert_eq!(expected.len(), 2);
		let view = |slashes: Vec<PendingSlashView<AccountId, Balance>>| {
			let [slash] = slashes.as_slice() else { panic!("one pending slash") };
			slash.clone()
		};
		let slash = view(pending_slashes(None).unwrap());
		assert_eq!(slash.slash_id, slash_id);
		assert_eq!(slash.pool_amounts, expected);
		assert_eq!(slash.pools_amount, expected.iter().map(|(_, amount)| amount).sum());
		// The pools' claims wait on it only where their stake backed the offence epoch.
		for (pool, _) in &expected {
			assert!(ServiceSlashing::pool_has_pending_through(*pool, offence_epoch));
			assert!(!ServiceSlashing::pool_has_pending_through(*pool, offence_epoch - 1));
		}

		// When the live exposure of the offence epoch is gone (pruned) and the pools'
		// backing changed since (a deposit), the view still shows the record's amounts.
		let _ = pallet_consumers::ExposureCheckpoints::<Runtime>::clear_prefix(
			(0, account(CharlieStash)),
			u32::MAX,
			None,
		);
		assert_ok!(RestakingPools::deposit(
			RuntimeOrigin::signed(account(Ferdie)),
			0,
			1_000 * crate::currency::UNITS
		));
		let slash = view(pending_slashes(Some(0)).unwrap());
		assert_eq!(slash.pool_amounts, expected);

		// Then execution takes exactly those amounts from the pools.
		System::reset_events();
		let mut executed = None;
		for _ in 0..20 {
			next_epoch();
			executed = System::events().into_iter().find_map(|record| match record.event {
				crate::RuntimeEvent::ServiceSlashing(
					pallet_service_slashing::Event::SlashExecuted { slash_id: id, pools, .. },
				) if id == slash_id => Some(pools),
				_ => None,
			});
			if executed.is_some() {
				break;
			}
		}
		assert_eq!(executed.expect("the slash executes"), expected);
	});
}
