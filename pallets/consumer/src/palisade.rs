//! Palisade as a bridged chain, for the `pallet-bridge-grandpa` instance a consumer chain
//! configures to follow Palisade's finality (`type BridgedChain = Palisade;`).
//!
//! The types are Palisade runtime's: `u32` block numbers, `H256` BLAKE2-256 hashes, the generic
//! header, `AccountId32`, `u128` balances, `MultiSignature`, state version 1. The limits follow
//! Palisade's runtime: at most 100 GRANDPA authorities, 5 MiB blocks of which 75 % for normal
//! extrinsics, two seconds of compute per block.

use bp_header_chain::ChainWithGrandpa;
use bp_runtime::{Chain, ChainId};
use frame_support::weights::{constants::WEIGHT_REF_TIME_PER_SECOND, Weight};
use sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiSignature, StateVersion,
};

/// Palisade's block number.
pub type BlockNumber = u32;
/// Palisade's block hash.
pub type Hash = sp_core::H256;
/// Palisade's header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Palisade's account id.
pub type AccountId = <<MultiSignature as Verify>::Signer as IdentifyAccount>::AccountId;

/// Most GRANDPA authorities Palisade has (`MAX_VALIDATORS` of its runtime). A Palisade header
/// announcing a larger set would stop the light client: keep it in step with Palisade.
pub const MAX_AUTHORITIES_COUNT: u32 = 100;

/// Palisade's longest block.
const MAX_BLOCK_LENGTH: u32 = 5 * 1024 * 1024;

/// Palisade, seen from a consumer chain.
#[derive(Debug, Clone, Copy)]
pub struct Palisade;

impl Chain for Palisade {
	const ID: ChainId = *b"plsd";

	type BlockNumber = BlockNumber;
	type Hash = Hash;
	type Hasher = BlakeTwo256;
	type Header = Header;

	type AccountId = AccountId;
	type Balance = u128;
	type Nonce = u32;
	type Signature = MultiSignature;

	const STATE_VERSION: StateVersion = StateVersion::V1;

	fn max_extrinsic_size() -> u32 {
		// 75 % of the block for normal extrinsics.
		MAX_BLOCK_LENGTH / 4 * 3
	}

	fn max_extrinsic_weight() -> Weight {
		// 75 % of two seconds.
		Weight::from_parts(WEIGHT_REF_TIME_PER_SECOND.saturating_mul(3) / 2, u64::MAX)
	}
}

impl ChainWithGrandpa for Palisade {
	const WITH_CHAIN_GRANDPA_PALLET_NAME: &'static str = "BridgePalisadeGrandpa";
	const MAX_AUTHORITIES_COUNT: u32 = MAX_AUTHORITIES_COUNT;
	const REASONABLE_HEADERS_IN_JUSTIFICATION_ANCESTRY: u32 = 2;
	// A session change carries the next GRANDPA set (100 × 40 bytes) and Aura's (100 × 32).
	const MAX_MANDATORY_HEADER_SIZE: u32 = 16 * 1024;
	const AVERAGE_HEADER_SIZE: u32 = 512;
}
