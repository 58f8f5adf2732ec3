//! Records kept by the consumer pallet, the mirror of Palisade's published validator set, and
//! the storage key it is proven at.

use crate::Config;
use alloc::vec::Vec;
use codec::{Compact, Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	pallet_prelude::{BoundedVec, Get},
	CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound, StorageHasher, Twox64Concat,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::AccountId32;

/// Which consumer a chain is on Palisade (`palisade_primitives::ConsumerId`).
pub type ConsumerId = u32;

/// A Palisade restaking epoch (`palisade_primitives::EpochIndex`).
pub type EpochIndex = u32;

/// The 32-byte key an operator registered for a consumer (`palisade_primitives::ConsumerKey`).
/// On a consumer chain running this pallet it is an ed25519 public key, used both as the Aura
/// and as the GRANDPA authority id.
pub type ConsumerKey = [u8; 32];

/// Power (native-valued stake) in Palisade's balance type, `u128`.
pub type PalisadeBalance = u128;

/// Name of the consumer registry pallet in Palisade's runtime (`construct_runtime` name).
pub const PALISADE_CONSUMERS_PALLET: &[u8] = b"Consumers";

/// Name of the storage map of published validator sets in Palisade's consumer registry.
pub const PALISADE_VALIDATOR_SETS_STORAGE: &[u8] = b"ValidatorSets";

/// The key of `Consumers::ValidatorSets(consumer)` in Palisade's state:
/// `twox128("Consumers") ++ twox128("ValidatorSets") ++ twox64(id) ++ id` (a `Twox64Concat`
/// map keyed by the SCALE-encoded `u32` consumer id).
pub fn validator_set_storage_key(consumer: ConsumerId) -> Vec<u8> {
	let prefix = frame_support::storage::storage_prefix(
		PALISADE_CONSUMERS_PALLET,
		PALISADE_VALIDATOR_SETS_STORAGE,
	);
	let mut key = prefix.to_vec();
	key.extend(Twox64Concat::hash(&consumer.encode()));
	key
}

/// Name of the storage map of every set a consumer published within the retention, by set id,
/// in Palisade's consumer registry.
pub const PALISADE_PUBLISHED_SETS_STORAGE: &[u8] = b"PublishedSets";

/// The key of `Consumers::PublishedSets(consumer, set_id)` in Palisade's state:
/// `twox128("Consumers") ++ twox128("PublishedSets") ++ twox64(id) ++ id ++ twox64(set_id) ++
/// set_id` (a double map, both keys `Twox64Concat`, SCALE `u32` and `u64`). The value has the
/// layout of `ValidatorSets` ([`decode_palisade_set`]).
pub fn published_set_storage_key(consumer: ConsumerId, set_id: u64) -> Vec<u8> {
	let prefix = frame_support::storage::storage_prefix(
		PALISADE_CONSUMERS_PALLET,
		PALISADE_PUBLISHED_SETS_STORAGE,
	);
	let mut key = prefix.to_vec();
	key.extend(Twox64Concat::hash(&consumer.encode()));
	key.extend(Twox64Concat::hash(&set_id.encode()));
	key
}

/// Largest SCALE-encoded GRANDPA equivocation proof kept ([`EquivocationRecord`]): a proof is
/// about 250 bytes (set id, round, key, two votes with their signatures).
pub const MAX_EQUIVOCATION_PROOF_BYTES: u32 = 512;

/// A GRANDPA equivocation of one of this chain's authorities, proven here and kept for relays
/// to carry to Palisade's `ServiceSlashing::report_equivocation` (which checks it again).
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct EquivocationRecord<BlockNumber> {
	/// The round the two votes were cast in.
	pub round: u64,
	/// The Palisade set the GRANDPA set ran (`ChainAnchor + grandpa set id` on Palisade).
	pub set_id: u64,
	/// That set's Palisade epoch: the exposure the slash reads.
	pub epoch: EpochIndex,
	/// The block of this chain it was proven in.
	pub noted_at: BlockNumber,
	/// The SCALE-encoded `sp_consensus_grandpa::EquivocationProof`, as Palisade's
	/// `report_equivocation` takes it.
	pub proof: BoundedVec<u8, frame_support::traits::ConstU32<MAX_EQUIVOCATION_PROOF_BYTES>>,
}

/// One member of a set published by Palisade: `(operator, key, power)` in Palisade's
/// `pallet_consumers::MemberOf`. Encodes exactly like that tuple.
#[derive(
	Encode, Decode, DecodeWithMemTracking, Clone, PartialEq, Eq, Debug, TypeInfo, MaxEncodedLen,
)]
pub struct PalisadeMember {
	/// The operator's account on Palisade (`AccountId32`).
	pub operator: AccountId32,
	/// The key the operator registered for this consumer: this chain's Aura and GRANDPA id.
	pub key: ConsumerKey,
	/// The operator's power in the set (its stake, capped), in Palisade's balance.
	pub power: PalisadeBalance,
}

/// The members of a set, at most `MaxAuthorities`.
pub type MembersOf<T> = BoundedVec<PalisadeMember, <T as Config>::MaxAuthorities>;

/// A mirror of Palisade's `pallet_consumers::ValidatorSet`, the value of
/// `Consumers::ValidatorSets(consumer_id)`, with the same SCALE layout:
///
/// ```text
/// epoch: u32, set_id: u64, members: Vec<(AccountId32, [u8; 32], u128)>, set_hash: H256
/// ```
///
/// `set_hash` is `blake2_256` of the SCALE-encoded `members`. Palisade gives every epoch's set a
/// fresh `set_id`, increasing and never reused, even when the members stay the same.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[codec(mel_bound())]
#[scale_info(skip_type_params(T))]
pub struct PalisadeValidatorSet<T: Config> {
	/// The Palisade epoch the set was published for.
	pub epoch: EpochIndex,
	/// Its Palisade set id.
	pub set_id: u64,
	/// `(operator, key, power)`, by stake descending on Palisade.
	pub members: MembersOf<T>,
	/// `blake2_256` of the SCALE-encoded `members`.
	pub set_hash: H256,
}

impl<T: Config> PalisadeValidatorSet<T> {
	/// The authority keys, in the set's order.
	pub fn keys(&self) -> Vec<ConsumerKey> {
		self.members.iter().map(|m| m.key).collect()
	}

	/// `blake2_256` of the SCALE-encoded members, as Palisade computes `set_hash`.
	pub fn members_hash(members: &[PalisadeMember]) -> H256 {
		H256(sp_io::hashing::blake2_256(&members.encode()))
	}
}

/// Why raw bytes are not a [`PalisadeValidatorSet`] this chain can use.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum SetDecodeError {
	/// Not the mirror layout (or bytes left over).
	Undecodable,
	/// More members than `MaxAuthorities`.
	TooManyMembers,
	/// No member at all.
	Empty,
}

/// Decode the value of `Consumers::ValidatorSets(id)`, checking the member count against
/// `MaxAuthorities` before decoding (and allocating) the members.
pub fn decode_palisade_set<T: Config>(
	raw: &[u8],
) -> Result<PalisadeValidatorSet<T>, SetDecodeError> {
	let input = &mut &raw[..];
	let epoch = EpochIndex::decode(input).map_err(|_| SetDecodeError::Undecodable)?;
	let set_id = u64::decode(input).map_err(|_| SetDecodeError::Undecodable)?;
	let len = Compact::<u32>::decode(input).map_err(|_| SetDecodeError::Undecodable)?.0;
	if len == 0 {
		return Err(SetDecodeError::Empty);
	}
	if len > T::MaxAuthorities::get() {
		return Err(SetDecodeError::TooManyMembers);
	}
	let mut members = Vec::with_capacity(len as usize);
	for _ in 0..len {
		members.push(PalisadeMember::decode(input).map_err(|_| SetDecodeError::Undecodable)?);
	}
	let set_hash = H256::decode(input).map_err(|_| SetDecodeError::Undecodable)?;
	if !input.is_empty() {
		return Err(SetDecodeError::Undecodable);
	}
	let members = MembersOf::<T>::try_from(members).map_err(|_| SetDecodeError::TooManyMembers)?;
	Ok(PalisadeValidatorSet { epoch, set_id, members, set_hash })
}

/// The newest set this chain accepted (pending or applied): what a new set must be newer than.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct AcceptedSet<PalisadeNumber> {
	/// Its Palisade set id.
	pub set_id: u64,
	/// Its Palisade epoch.
	pub epoch: EpochIndex,
	/// The Palisade block whose state proved it; `None` for a set declared at genesis. A proof
	/// from this block or an older one cannot hold a newer set, so it is refused before the
	/// proof is checked.
	pub proven_at: Option<PalisadeNumber>,
}

/// [`AcceptedSet`] with the number type of Palisade's headers.
pub type AcceptedSetOf<T> = AcceptedSet<crate::PalisadeBlockNumber<T>>;

/// The set in force on this chain.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	CloneNoBound,
	PartialEqNoBound,
	EqNoBound,
	DebugNoBound,
	TypeInfo,
	MaxEncodedLen,
)]
#[codec(mel_bound())]
#[scale_info(skip_type_params(T))]
pub struct ActiveSet<T: Config> {
	/// The set, as Palisade published it.
	pub set: PalisadeValidatorSet<T>,
	/// The GRANDPA set id this chain runs it under: this chain's own counter, one more per
	/// applied set. Sets are applied one by one in Palisade's order, never skipped, so it is
	/// always `set.set_id - genesis set id` (Palisade's `ChainAnchors` entry).
	pub grandpa_set_id: u64,
	/// The block of this chain whose `on_initialize` handed it to Aura and GRANDPA (`0` for a
	/// genesis set).
	pub applied_at: BlockNumberFor<T>,
}

/// Which Palisade set one GRANDPA set of this chain ran: evidence of a GRANDPA equivocation
/// signed for `grandpa_set_id` belongs to Palisade set `set_id` of epoch `epoch`.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	TypeInfo,
	MaxEncodedLen,
)]
pub struct SetHistoryEntry {
	/// This chain's GRANDPA set id.
	pub grandpa_set_id: u64,
	/// The Palisade set id it ran.
	pub set_id: u64,
	/// The Palisade epoch of that set.
	pub epoch: EpochIndex,
}

/// The remembered GRANDPA sets, oldest first, at most `SetHistoryDepth`.
pub type SetHistoryOf<T> = BoundedVec<SetHistoryEntry, <T as Config>::SetHistoryDepth>;

/// A set declared in the genesis config: the one this chain's genesis Aura and GRANDPA
/// authorities come from.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize, serde::Deserialize)]
pub struct GenesisSet {
	/// Its Palisade epoch.
	pub epoch: EpochIndex,
	/// Its Palisade set id.
	pub set_id: u64,
	/// `(operator, key, power)`, as published (the `set_hash` is recomputed).
	pub members: Vec<(AccountId32, ConsumerKey, PalisadeBalance)>,
}
