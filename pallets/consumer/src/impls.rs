//! What the call and the hook do: prove a set ([`Pallet::do_submit_validator_set`]) and hand
//! the pending set to the chain's authorities ([`Pallet::do_apply_pending_set`]).

use crate::{
	pallet::*, types::*, weights::WeightInfo, AuthoritySink, PalisadeBlockHash, LOG_TARGET,
};
use alloc::{collections::btree_set::BTreeSet, vec::Vec};
use bp_runtime::{RawStorageProof, StorageProofChecker, StorageProofError};
use codec::Encode;
use frame_support::{
	dispatch::{DispatchErrorWithPostInfo, WithPostDispatchInfo},
	ensure,
	pallet_prelude::{BoundedVec, Get, Weight},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::crypto::ByteArray;

/// The hasher of Palisade's state trie, as the light client knows it.
type PalisadeHasher<T> =
	pallet_bridge_grandpa::BridgedBlockHasher<T, <T as Config>::BridgeGrandpaInstance>;

impl<T: Config> Pallet<T> {
	/// Check `storage_proof` of `Consumers::PublishedSets(ConsumerId, set_id)` against the
	/// state root of the imported Palisade block `palisade_block_hash` and keep the proven set
	/// as the pending set. Returns its member count.
	///
	/// The cheap refusals come first (proof size, a set still pending, a set id other than the
	/// next one, unknown block: at most three reads), so duplicates and replays cost little;
	/// then the proof is checked, the value decoded and compared with the last accepted set.
	pub(crate) fn do_submit_validator_set(
		palisade_block_hash: PalisadeBlockHash<T>,
		set_id: u64,
		storage_proof: RawStorageProof,
	) -> Result<u32, DispatchErrorWithPostInfo> {
		let cheap = T::DbWeight::get().reads(3);

		let proof_size = bp_runtime::raw_storage_proof_size(&storage_proof);
		ensure!(
			proof_size <= T::MaxProofSize::get() as usize,
			Error::<T>::ProofTooLarge.with_weight(cheap)
		);
		ensure!(!PendingSet::<T>::exists(), Error::<T>::SetPending.with_weight(cheap));
		let last = LastAccepted::<T>::get();
		if let Some(last) = last {
			ensure!(set_id > last.set_id, Error::<T>::StaleSetId.with_weight(cheap));
			ensure!(
				Some(set_id) == last.set_id.checked_add(1),
				Error::<T>::SetIdGap.with_weight(cheap)
			);
		}
		let header = pallet_bridge_grandpa::ImportedHeaders::<T, T::BridgeGrandpaInstance>::get(
			palisade_block_hash,
		)
		.ok_or(Error::<T>::UnknownPalisadeHeader.with_weight(cheap))?;

		let set = Self::read_proven_set(header.state_root, set_id, storage_proof)?;

		ensure!(set.set_id == set_id, Error::<T>::SetIdMismatch);
		if let Some(last) = last {
			ensure!(set.epoch > last.epoch, Error::<T>::EpochNotNewer);
		}
		Self::ensure_usable(&set)?;

		let members = set.members.len() as u32;
		LastAccepted::<T>::put(AcceptedSet {
			set_id: set.set_id,
			epoch: set.epoch,
			proven_at: Some(header.number),
		});
		Self::deposit_event(Event::ValidatorSetAccepted {
			set_id: set.set_id,
			epoch: set.epoch,
			members,
			palisade_block_hash,
			palisade_block_number: header.number,
		});
		PendingSet::<T>::put(set);
		Ok(members)
	}

	/// Read and decode this consumer's set `set_id` from a proof against `state_root`.
	fn read_proven_set(
		state_root: PalisadeBlockHash<T>,
		set_id: u64,
		storage_proof: RawStorageProof,
	) -> Result<PalisadeValidatorSet<T>, Error<T>> {
		let mut checker = StorageProofChecker::<PalisadeHasher<T>>::new(state_root, storage_proof)
			.map_err(|_| Error::<T>::InvalidStorageProof)?;
		let raw = checker
			.read_value(&published_set_storage_key(T::ConsumerId::get(), set_id))
			.map_err(|e| match e {
				StorageProofError::StorageValueUnavailable => Error::<T>::ValidatorSetNotInProof,
				_ => Error::<T>::InvalidStorageProof,
			})?
			.ok_or(Error::<T>::NoValidatorSet)?;
		checker.ensure_no_unused_nodes().map_err(|_| Error::<T>::InvalidStorageProof)?;

		let set = decode_palisade_set::<T>(&raw).map_err(|e| match e {
			SetDecodeError::Undecodable => Error::<T>::UndecodableValidatorSet,
			SetDecodeError::TooManyMembers => Error::<T>::TooManyMembers,
			SetDecodeError::Empty => Error::<T>::EmptySet,
		})?;
		ensure!(
			PalisadeValidatorSet::<T>::members_hash(&set.members) == set.set_hash,
			Error::<T>::SetHashMismatch
		);
		Ok(set)
	}

	/// A set the chain can run: not empty, keys unique, hash consistent.
	pub(crate) fn ensure_usable(set: &PalisadeValidatorSet<T>) -> Result<(), Error<T>> {
		ensure!(!set.members.is_empty(), Error::<T>::EmptySet);
		let keys: BTreeSet<ConsumerKey> = set.members.iter().map(|m| m.key).collect();
		ensure!(keys.len() == set.members.len(), Error::<T>::DuplicateKey);
		ensure!(
			PalisadeValidatorSet::<T>::members_hash(&set.members) == set.set_hash,
			Error::<T>::SetHashMismatch
		);
		Ok(())
	}

	/// Hand the pending set, if any, to the authority sink. Runs in `on_initialize`; when the
	/// sink cannot take it in this block, the set stays pending and the current authorities
	/// keep producing.
	pub(crate) fn do_apply_pending_set(now: BlockNumberFor<T>) -> Weight {
		let Some(set) = PendingSet::<T>::get() else {
			return <T as Config>::WeightInfo::on_initialize_idle();
		};
		let weight = <T as Config>::WeightInfo::apply_pending_set(set.members.len() as u32);
		if !T::AuthoritySink::can_apply() {
			log::info!(
				target: LOG_TARGET,
				"set {} waits: an authority change is pending",
				set.set_id
			);
			return weight;
		}
		match T::AuthoritySink::apply(&set.keys()) {
			Ok(grandpa_set_id) => {
				Self::note_applied(set, grandpa_set_id, now);
				PendingSet::<T>::kill();
			}
			Err(e) => {
				log::warn!(target: LOG_TARGET, "set {} not applied: {:?}", set.set_id, e);
			}
		}
		weight
	}

	/// Record `set` as the set in force under `grandpa_set_id`, and forget the GRANDPA sets
	/// that fall out of the history (their keys and equivocation records).
	fn note_applied(set: PalisadeValidatorSet<T>, grandpa_set_id: u64, now: BlockNumberFor<T>) {
		let entry = SetHistoryEntry { grandpa_set_id, set_id: set.set_id, epoch: set.epoch };
		SetHistory::<T>::mutate(|history| {
			let mut entries: Vec<SetHistoryEntry> = core::mem::take(history).into_inner();
			entries.push(entry);
			let excess = entries.len().saturating_sub(T::SetHistoryDepth::get() as usize);
			for old in entries.drain(..excess) {
				SetKeys::<T>::remove(old.grandpa_set_id);
				let _ = Equivocations::<T>::clear_prefix(
					old.grandpa_set_id,
					T::MaxAuthorities::get(),
					None,
				);
			}
			*history = BoundedVec::truncate_from(entries);
		});
		SetKeys::<T>::insert(grandpa_set_id, BoundedVec::truncate_from(set.keys()));
		Self::deposit_event(Event::AuthoritiesRotated {
			set_id: set.set_id,
			epoch: set.epoch,
			grandpa_set_id,
			authorities: set.members.len() as u32,
		});
		CurrentSet::<T>::put(ActiveSet { set, grandpa_set_id, applied_at: now });
	}

	/// Record the set the genesis authorities come from (GRANDPA set id 0).
	pub(crate) fn init_genesis_set(genesis: &GenesisSet) -> Result<(), Error<T>> {
		let members: Vec<PalisadeMember> = genesis
			.members
			.iter()
			.map(|(operator, key, power)| PalisadeMember {
				operator: operator.clone(),
				key: *key,
				power: *power,
			})
			.collect();
		let set_hash = PalisadeValidatorSet::<T>::members_hash(&members);
		let members = MembersOf::<T>::try_from(members).map_err(|_| Error::<T>::TooManyMembers)?;
		let set = PalisadeValidatorSet {
			epoch: genesis.epoch,
			set_id: genesis.set_id,
			members,
			set_hash,
		};
		Self::ensure_usable(&set)?;
		LastAccepted::<T>::put(AcceptedSet {
			set_id: set.set_id,
			epoch: set.epoch,
			proven_at: None,
		});
		Self::note_applied(set, 0, 0u32.into());
		Ok(())
	}

	/// Check and keep a GRANDPA equivocation proof: see [`Pallet::report_equivocation`].
	/// The cheap refusals (unknown set, not an authority, duplicate: three reads) come before
	/// the two signature checks.
	pub(crate) fn do_report_equivocation(
		proof: sp_consensus_grandpa::EquivocationProof<T::Hash, BlockNumberFor<T>>,
	) -> Result<(), Error<T>> {
		let grandpa_set_id = proof.set_id();
		let round = proof.round();
		let offender = ConsumerKey::try_from(proof.offender().as_slice())
			.map_err(|_| Error::<T>::InvalidEquivocationProof)?;
		let entry = Self::palisade_set_of(grandpa_set_id).ok_or(Error::<T>::UnknownGrandpaSet)?;
		ensure!(
			SetKeys::<T>::get(grandpa_set_id).is_some_and(|keys| keys.contains(&offender)),
			Error::<T>::NotAnAuthority
		);
		ensure!(
			!Equivocations::<T>::contains_key(grandpa_set_id, offender),
			Error::<T>::DuplicateEquivocation
		);
		let encoded = BoundedVec::try_from(proof.encode())
			.map_err(|_| Error::<T>::InvalidEquivocationProof)?;
		ensure!(
			sp_consensus_grandpa::check_equivocation_proof(proof),
			Error::<T>::InvalidEquivocationProof
		);
		Equivocations::<T>::insert(
			grandpa_set_id,
			offender,
			EquivocationRecord {
				round,
				set_id: entry.set_id,
				epoch: entry.epoch,
				noted_at: frame_system::Pallet::<T>::block_number(),
				proof: encoded,
			},
		);
		Self::deposit_event(Event::EquivocationNoted {
			grandpa_set_id,
			round,
			offender,
			set_id: entry.set_id,
			epoch: entry.epoch,
		});
		Ok(())
	}

	/// Configuration checks run by `integrity_test`.
	pub(crate) fn check_integrity() {
		assert!(T::MaxAuthorities::get() >= 1, "MaxAuthorities must be at least 1");
		assert!(
			T::MaxAuthorities::get() <= T::AuthoritySink::max_authorities(),
			"MaxAuthorities must not exceed the authority sink's bound (Aura's and GRANDPA's)"
		);
		assert!(T::SetHistoryDepth::get() >= 1, "SetHistoryDepth must be at least 1");
		assert!(T::MaxProofSize::get() >= 1, "MaxProofSize must be at least 1");
	}
}
