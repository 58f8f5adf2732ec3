// Built by scripts/benchmark.sh: palisade-node, cargo profile `release`, features `runtime-benchmarks`,
// rustc 1.95.0 (59807616e 2026-04-14), on 2 cores of `Intel(R) Xeon(R) Processor`,
// 23 GiB RAM; `benchmark overhead` (the CLI's warm-ups and repeats).

//! THIS FILE WAS AUTO-GENERATED USING THE SUBSTRATE BENCHMARK CLI VERSION 64.0.0
//! DATE: 2026-12-03 (Y/M/D)
//! HOSTNAME: `vm`, CPU: `Intel(R) Xeon(R) Processor`
//!
//! SHORT-NAME: `block`, LONG-NAME: `BlockExecution`, RUNTIME: `palisade`
//! WARMUPS: `10`, REPEAT: `100`
//! WEIGHT-PATH: `/tmp/tmp.wZ3iDAIcga`
//! WEIGHT-METRIC: `Average`, WEIGHT-MUL: `1.0`, WEIGHT-ADD: `0`

// Executed Command:
//   /root/.cache/palisade/target/palisade-node-bench-release
//   benchmark
//   overhead
//   --chain
//   dev
//   --weight-path
//   /tmp/tmp.wZ3iDAIcga
//   --header
//   /tmp/tmp.TpsjtP8hHf

use frame_support::parameter_types;
use frame_support::weights::{constants::WEIGHT_REF_TIME_PER_NANOS, Weight};

parameter_types! {
	/// Weight of executing an empty block.
	/// Calculated by multiplying the *Average* with `1.0` and adding `0`.
	///
	/// Stats nanoseconds:
	///   Min, Max: 446_358, 1_466_354
	///   Average:  710_393
	///   Median:   680_312
	///   Std-Dev:  169132.06
	///
	/// Percentiles nanoseconds:
	///   99th: 1_319_449
	///   95th: 1_154_481
	///   75th: 733_023
	pub const BlockExecutionWeight: Weight =
		Weight::from_parts(WEIGHT_REF_TIME_PER_NANOS.saturating_mul(710_393), 0);
}

#[cfg(test)]
mod test_weights {
	use frame_support::weights::constants;

	/// Checks that the weight exists and is sane.
	// NOTE: If this test fails but you are sure that the generated values are fine,
	// you can delete it.
	#[test]
	fn sane() {
		let w = super::BlockExecutionWeight::get();

		// At least 100 µs.
		assert!(
			w.ref_time() >= 100u64 * constants::WEIGHT_REF_TIME_PER_MICROS,
			"Weight should be at least 100 µs."
		);
		// At most 50 ms.
		assert!(
			w.ref_time() <= 50u64 * constants::WEIGHT_REF_TIME_PER_MILLIS,
			"Weight should be at most 50 ms."
		);
	}
}
