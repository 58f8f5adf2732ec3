//! The pallets a benchmarking tool (e.g. `frame-omni-bencher`) can benchmark on this runtime.

frame_benchmarking::define_benchmarks!(
	[frame_benchmarking, BaselineBench::<Runtime>]
	[frame_system, SystemBench::<Runtime>]
	[pallet_balances, Balances]
	[pallet_timestamp, Timestamp]
	[pallet_sudo, Sudo]
	[pallet_bridge_grandpa, BridgePalisadeGrandpa]
	[pallet_palisade_consumer, PalisadeConsumer]
);
