//! Block production, finality, and the link to Palisade.
//!
//! Aura (ed25519 authority ids) produces blocks and GRANDPA finalizes them; neither has a
//! session pallet behind it. `pallet-bridge-grandpa` (instance 1, [`BridgePalisadeInstance`])
//! follows Palisade's finality, and `pallet-palisade-consumer` proves the validator set
//! Palisade publishes for consumer [`CONSUMER_ID`] and hands it to Aura and GRANDPA
//! ([`AuraGrandpa`]): the only way the authorities ever change.

use frame_support::{
	parameter_types,
	traits::{ConstBool, ConstU32, ConstU64},
};
use pallet_palisade_consumer::{palisade::Palisade, AuraGrandpa, ConsumerId};

use crate::{AuraId, BridgePalisadeInstance, Runtime, RuntimeEvent};

/// Most Aura and GRANDPA authorities, and most members of a Palisade set this chain accepts.
pub const MAX_AUTHORITIES: u32 = 32;

/// Which consumer this chain is on Palisade: the demo world's consumer 0.
pub const CONSUMER_ID: ConsumerId = 0;

parameter_types! {
	/// At most this many Aura / GRANDPA authorities.
	pub const MaxAuthorities: u32 = MAX_AUTHORITIES;
}

impl pallet_aura::Config for Runtime {
	/// ed25519, so that the one key an operator registered on Palisade is both its Aura and
	/// its GRANDPA key.
	type AuthorityId = AuraId;
	/// No session pallet, hence no disabling: the set changes only through Palisade.
	type DisabledValidators = ();
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

/// GRANDPA without equivocation reporting here: equivocations are reported on Palisade (where
/// the operators' stake is), with the evidence of this chain's GRANDPA set ids
/// (`PalisadeConsumer::palisade_set_of`).
impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

parameter_types! {
	/// Palisade headers (number and state root) the light client keeps.
	pub const HeadersToKeep: u32 = 1024;
	/// A non-mandatory Palisade header that improves the best finalized one by at least this
	/// many blocks may be imported for free (refunded), within `MaxFreeHeadersPerBlock`.
	pub const FreeHeadersInterval: Option<u32> = Some(5);
}

/// The light client of Palisade. Mandatory headers (authority set changes) and headers at
/// least [`FreeHeadersInterval`] blocks ahead are refunded, at most 4 per block.
impl pallet_bridge_grandpa::Config<BridgePalisadeInstance> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type BridgedChain = Palisade;
	type MaxFreeHeadersPerBlock = ConstU32<4>;
	type FreeHeadersInterval = FreeHeadersInterval;
	type HeadersToKeep = HeadersToKeep;
	type WeightInfo = pallet_bridge_grandpa::weights::BridgeWeight<Runtime>;
}

impl pallet_palisade_consumer::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type BridgeGrandpaInstance = BridgePalisadeInstance;
	type ConsumerId = ConstU32<CONSUMER_ID>;
	type MaxAuthorities = MaxAuthorities;
	/// 64 KiB: a set of 32 members and the trie nodes above it fit with room to spare.
	type MaxProofSize = ConstU32<{ 64 * 1024 }>;
	type SetHistoryDepth = ConstU32<64>;
	type AuthoritySink = AuraGrandpa<Runtime>;
	type WeightInfo = pallet_palisade_consumer::weights::SubstrateWeight<Runtime>;
}
