// Built by scripts/benchmark.sh: palisade-node, cargo profile `release`, features `runtime-benchmarks`,
// rustc 1.95.0 (59807616e 2026-04-14), on 2 cores of `Intel(R) Xeon(R) Processor`,
// 23 GiB RAM; `benchmark overhead` (the CLI's warm-ups and repeats).

//! THIS FILE WAS AUTO-GENERATED USING THE SUBSTRATE BENCHMARK CLI VERSION 64.0.0
//! DATE: 2026-12-03 (Y/M/D)
//! HOSTNAME: `vm`, CPU: `Intel(R) Xeon(R) Processor`
//!
//! SHORT-NAME: `extrinsic`, LONG-NAME: `ExtrinsicBase`, RUNTIME: `palisade`
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
	/// Weight of executing a NO-OP extrinsic, for example `System::remark`.
	/// Calculated by multiplying the *Average* with `1.0` and adding `0`.
	///
	/// Stats nanoseconds:
	///   Min, Max: 233_897, 385_654
	///   Average:  310_613
	///   Median:   316_184
	///   Std-Dev:  26718.01
	///
	/// Percentiles nanoseconds:
	///   99th: 363_795
	///   95th: 340_827
	///   75th: 326_180
	pub const ExtrinsicBaseWeight: Weight =
		Weight::from_parts(WEIGHT_REF_TIME_PER_NANOS.saturating_mul(310_613), 0);
}

#[cfg(test)]
mod test_weights {
	use frame_support::weights::constants;

	/// Checks that the weight exists and is sane.
	// NOTE: If this test fails but you are sure that the generated values are fine,
	// you can delete it.
	#[test]
	fn sane() {
		let w = super::ExtrinsicBaseWeight::get();

		// At least 10 µs.
		assert!(
			w.ref_time() >= 10u64 * constants::WEIGHT_REF_TIME_PER_MICROS,
			"Weight should be at least 10 µs."
		);
		// At most 1 ms.
		assert!(
			w.ref_time() <= constants::WEIGHT_REF_TIME_PER_MILLIS,
			"Weight should be at most 1 ms."
		);
	}
}
