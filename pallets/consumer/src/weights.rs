//! Weights for `pallet_palisade_consumer`.
//!
//! TODO regenerate: these are conservative hand-set placeholders until the benchmarks in
//! `benchmarking.rs` are run on the benchmark machine (`scripts/benchmark.sh` with Palisade's
//! pallet template, on a consumer runtime). Each is several times what a debug run of the
//! benchmark tests suggests: a storage proof of one `ValidatorSets` entry (about 8 trie nodes,
//! a few KiB) costs hashing every node once and decoding `n` members.

#![cfg_attr(rustfmt, rustfmt_skip)]
#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use frame_support::{traits::Get, weights::{Weight, constants::ParityDbWeight}};
use core::marker::PhantomData;

/// Weight functions needed for `pallet_palisade_consumer`.
pub trait WeightInfo {
	fn submit_validator_set(n: u32, ) -> Weight;
	fn apply_pending_set(n: u32, ) -> Weight;
	fn on_initialize_idle() -> Weight;
	fn report_equivocation() -> Weight;
}

/// Weights for `pallet_palisade_consumer` with the runtime's DB weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	// TODO regenerate.
	/// Storage: `BridgePalisadeGrandpa::ImportedHeaders` (r:1 w:0)
	/// Storage: `PalisadeConsumer::LastAccepted` (r:1 w:1)
	/// Storage: `PalisadeConsumer::PendingSet` (r:1 w:1)
	/// The range of component `n` is `[1, MaxAuthorities]`.
	fn submit_validator_set(n: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 12_000)
			.saturating_add(Weight::from_parts(25_000_000, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 96).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	// TODO regenerate.
	/// Storage: `PalisadeConsumer::PendingSet` (r:1 w:1)
	/// Storage: `Grandpa::PendingChange` (r:1 w:1)
	/// Storage: `Grandpa::CurrentSetId` (r:1 w:1)
	/// Storage: `Aura::Authorities` (r:0 w:1)
	/// Storage: `System::Digest` (r:1 w:1)
	/// Storage: `PalisadeConsumer::SetHistory` (r:1 w:1)
	/// Storage: `PalisadeConsumer::CurrentSet` (r:0 w:1)
	/// The range of component `n` is `[1, MaxAuthorities]`.
	fn apply_pending_set(n: u32, ) -> Weight {
		Weight::from_parts(200_000_000, 12_000)
			.saturating_add(Weight::from_parts(10_000_000, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 192).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			// + `SetKeys` insert and prune, and up to 32 (`MaxAuthorities`) pruned
			// `Equivocations` of the GRANDPA set leaving the history.
			.saturating_add(T::DbWeight::get().writes(41_u64))
	}
	// TODO regenerate.
	/// Storage: `PalisadeConsumer::PendingSet` (r:1 w:0)
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(10_000_000, 1_500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
	}
	// TODO regenerate: two ed25519 signature checks (as `report_equivocation` on Palisade).
	/// Storage: `PalisadeConsumer::SetHistory` (r:1 w:0)
	/// Storage: `PalisadeConsumer::SetKeys` (r:1 w:0)
	/// Storage: `PalisadeConsumer::Equivocations` (r:1 w:1)
	fn report_equivocation() -> Weight {
		Weight::from_parts(1_000_000_000, 8_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
}

// For tests, with ParityDB weights.
impl WeightInfo for () {
	fn submit_validator_set(n: u32, ) -> Weight {
		Weight::from_parts(300_000_000, 12_000)
			.saturating_add(Weight::from_parts(25_000_000, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 96).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(2_u64))
	}
	fn apply_pending_set(n: u32, ) -> Weight {
		Weight::from_parts(200_000_000, 12_000)
			.saturating_add(Weight::from_parts(10_000_000, 0).saturating_mul(n.into()))
			.saturating_add(Weight::from_parts(0, 192).saturating_mul(n.into()))
			.saturating_add(ParityDbWeight::get().reads(5_u64))
			// + `SetKeys` insert and prune, and up to 32 (`MaxAuthorities`) pruned
			// `Equivocations` of the GRANDPA set leaving the history.
			.saturating_add(ParityDbWeight::get().writes(41_u64))
	}
	fn on_initialize_idle() -> Weight {
		Weight::from_parts(10_000_000, 1_500)
			.saturating_add(ParityDbWeight::get().reads(1_u64))
	}
	// TODO regenerate: two ed25519 signature checks (as `report_equivocation` on Palisade).
	/// Storage: `PalisadeConsumer::SetHistory` (r:1 w:0)
	/// Storage: `PalisadeConsumer::SetKeys` (r:1 w:0)
	/// Storage: `PalisadeConsumer::Equivocations` (r:1 w:1)
	fn report_equivocation() -> Weight {
		Weight::from_parts(1_000_000_000, 8_000)
			.saturating_add(ParityDbWeight::get().reads(3_u64))
			.saturating_add(ParityDbWeight::get().writes(1_u64))
	}
}
