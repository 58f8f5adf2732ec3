//! # Palisade primitives
//!
//! The ids, the epoch type and the small traits through which Palisade's pallets talk to
//! each other. Pallets never read each other's storage: each one asks for what it needs
//! through a trait declared here and wired in the runtime (`Config` associated types), so
//! every pallet can be tested against a mock of its neighbours.
//!
//! Direction of knowledge: operators ← pools ← consumers ← slashing.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]

/// Index of a restaking epoch. Epoch `0` starts at genesis; an epoch is a fixed number of
/// blocks (a runtime constant). Every restaking delay is counted in epochs.
pub type EpochIndex = u32;

/// Identifier of a consumer chain registered with Palisade.
pub type ConsumerId = u32;

/// Identifier of a restaking pool.
pub type PoolId = u32;

/// The 32-byte public key an operator uses to validate one consumer chain
/// (e.g. an ed25519 GRANDPA key). Unique across every consumer, never one of Palisade's own
/// session keys, and never reused once registered (GRANDPA votes carry no chain id).
pub type ConsumerKey = [u8; 32];

extern crate alloc;

pub mod consumers;
pub mod lrt;
pub mod operators;
pub mod pools;
pub use consumers::*;
pub use lrt::*;
pub use operators::*;
pub use pools::*;
