//! The pallets benchmarked by `palisade-node benchmark pallet` (see `scripts/benchmark.sh`).

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
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
