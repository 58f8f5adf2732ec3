//! What a block is charged for a signed transaction, as the runtime computes it: the call's
//! declared weight, the extrinsic base weight and the weights of the transaction extensions
//! (`TxExtension`). The extensions' weights are measured in the same release run as every
//! call's (`runtime/src/weights/`), so the ratios below are how many transfers a block holds
//! per call of each kind, from the committed weight files (issue 12's measure).

use super::*;
use crate::{weights as measured, TxExtension};
use frame_support::dispatch::GetDispatchInfo;
use frame_system::ExtensionsWeightInfo as _;
use palisade_primitives::Collateral;
use pallet_transaction_payment::WeightInfo as _;
use sp_runtime::{generic::Era, traits::TransactionExtension};

/// The extensions a wallet signs with (Polkadot.js: a mortal era, no tip).
fn signed_extensions() -> TxExtension {
	(
		frame_system::CheckNonZeroSender::<Runtime>::new(),
		frame_system::CheckSpecVersion::<Runtime>::new(),
		frame_system::CheckTxVersion::<Runtime>::new(),
		frame_system::CheckGenesis::<Runtime>::new(),
		frame_system::CheckEra::<Runtime>::from(Era::mortal(256, 0)),
		frame_system::CheckNonce::<Runtime>::from(0),
		frame_system::CheckWeight::<Runtime>::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
	)
}

/// The ref time a block is charged for `call` signed by a wallet, before any refund.
fn in_a_block(call: &RuntimeCall) -> u64 {
	let info = call.get_dispatch_info();
	let base =
		<Runtime as frame_system::Config>::BlockWeights::get().get(info.class).base_extrinsic;
	info.call_weight
		.saturating_add(signed_extensions().weight(call))
		.saturating_add(base)
		.ref_time()
}

fn transfer() -> RuntimeCall {
	RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: account(Sr25519Keyring::Bob).into(),
		value: UNITS,
	})
}

/// `call`'s charge in a block as a multiple of a `transfer_keep_alive`'s.
fn times_a_transfer(call: RuntimeCall) -> f64 {
	in_a_block(&call) as f64 / in_a_block(&transfer()) as f64
}

#[test]
fn every_signed_transaction_is_charged_the_measured_extension_weights() {
	sp_io::TestExternalities::default().execute_with(|| {
		type System = measured::frame_system_extensions::WeightInfo<Runtime>;
		type Payment = measured::pallet_transaction_payment::WeightInfo<Runtime>;
		let expected = System::check_non_zero_sender().ref_time()
			+ System::check_spec_version().ref_time()
			+ System::check_tx_version().ref_time()
			+ System::check_genesis().ref_time()
			+ System::check_mortality_mortal_transaction().ref_time()
			+ System::check_nonce().ref_time()
			+ System::check_weight().ref_time()
			+ Payment::charge_transaction_payment().ref_time();
		assert_eq!(signed_extensions().weight(&transfer()).ref_time(), expected);
		// Not frame-system's placeholder weights (RocksDB-based, another machine).
		let upstream = <() as frame_system::ExtensionsWeightInfo>::check_nonce().ref_time()
			+ <() as frame_system::ExtensionsWeightInfo>::check_weight().ref_time();
		assert_ne!(System::check_nonce().ref_time() + System::check_weight().ref_time(), upstream);
		// The nonce's read and write and the fee's two accounts are in the charge.
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		assert!(expected > (db.reads(3) + db.writes(3)).ref_time());
	});
}

#[test]
fn every_block_and_extrinsic_is_charged_the_measured_base_weights() {
	use frame_support::dispatch::DispatchClass;
	let limits = <Runtime as frame_system::Config>::BlockWeights::get();
	let block = measured::block_weights::BlockExecutionWeight::get();
	let extrinsic = measured::extrinsic_weights::ExtrinsicBaseWeight::get();
	assert_eq!(limits.base_block, block);
	for class in [DispatchClass::Normal, DispatchClass::Operational, DispatchClass::Mandatory] {
		assert_eq!(limits.get(class).base_extrinsic, extrinsic);
	}
	// This machine's numbers, not frame-support's constants from a reference machine.
	assert_ne!(extrinsic, frame_support::weights::constants::ExtrinsicBaseWeight::get());
	assert_ne!(block, frame_support::weights::constants::BlockExecutionWeight::get());
	// A transfer in a block is its call, the base and the extensions; the fixed part (base and
	// extensions) is most of a transfer's charge.
	let fixed = extrinsic.ref_time() + signed_extensions().weight(&transfer()).ref_time();
	assert!(fixed > transfer().get_dispatch_info().call_weight.ref_time());
	assert_eq!(
		in_a_block(&transfer()),
		fixed + transfer().get_dispatch_info().call_weight.ref_time()
	);
}

#[test]
fn a_deposit_of_any_kind_fills_a_block_at_most_3x_a_transfer() {
	sp_io::TestExternalities::default().execute_with(|| {
		// An unknown pool is charged the dearest kind's deposit (native, staked or asset).
		let pool_deposit =
			times_a_transfer(RuntimeCall::RestakingPools(pallet_restaking_pools::Call::deposit {
				pool: 7,
				amount: UNITS,
			}));
		// A basket's deposit is charged for a basket holding the most pools it may hold, its
		// part plus the pool's native deposit.
		let basket_deposit = times_a_transfer(RuntimeCall::Basket(pallet_basket::Call::deposit {
			basket: 7,
			amount: UNITS,
		}));
		assert!(pool_deposit <= 3.0, "pool deposit {pool_deposit:.2}x a transfer");
		assert!(basket_deposit <= 3.0, "basket deposit {basket_deposit:.2}x a transfer");
		// The ratio is of real charges: a deposit costs more than a transfer.
		assert!(pool_deposit > 1.2 && basket_deposit > pool_deposit);
	});
}

#[test]
fn a_pools_dearest_calls_fill_a_block_at_most_6x_a_transfer() {
	sp_io::TestExternalities::default().execute_with(|| {
		let metadata = vec![b'm'; crate::configs::restaking::MaxPoolMetadataLen::get() as usize];
		let calls = [
			pallet_restaking_pools::Call::create_pool {
				collateral: Collateral::Asset(1),
				metadata: metadata.try_into().expect("within the bound"),
				deposit_cap: UNITS,
			},
			pallet_restaking_pools::Call::close_pool { pool: 7 },
			pallet_restaking_pools::Call::claim_withdrawal { pool: 7, request_id: 0 },
			pallet_restaking_pools::Call::request_withdrawal { pool: 7, lrt_amount: UNITS },
		];
		for call in calls {
			let name = format!("{call:?}");
			let ratio = times_a_transfer(RuntimeCall::RestakingPools(call));
			assert!(ratio <= 6.0, "{name}: {ratio:.2}x a transfer");
		}
	});
}
