//! The pallets benchmarked by `palisade-node benchmark pallet` (see `scripts/benchmark.sh`).

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[frame_system_extensions, SystemExtensionsBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_transaction_payment, TransactionPayment]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_utility, Utility]
	[pallet_assets, Assets]
	[pallet_asset_conversion, AssetConversion]
	[pallet_collective, Council]
	[pallet_membership, CouncilMembership]
	[pallet_treasury, Treasury]
	[pallet_operators, Operators]
	[pallet_restaking_pools, RestakingPools]
	[pallet_basket, Basket]
	[pallet_consumers, Consumers]
	[pallet_service_slashing, ServiceSlashing]
);

/// The fee benchmark's set-up: the treasury that receives the fees exists, as on a live chain
/// (the first fee would otherwise create it, a cost no later transaction pays).
impl pallet_transaction_payment::BenchmarkConfig for crate::Runtime {
	fn setup_benchmark_environment() {
		use frame_support::traits::fungible::Mutate;
		let treasury = crate::configs::governance::TreasuryAccount::get();
		if crate::System::account_exists(&treasury) {
			return;
		}
		// Benchmark set-up only: a failed mint shows as a failed benchmark, not a wrong weight.
		let _ = crate::Balances::mint_into(&treasury, crate::currency::EXISTENTIAL_DEPOSIT);
	}
}
