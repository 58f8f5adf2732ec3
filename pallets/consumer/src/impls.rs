//! What the call and the hook do: prove a set ([`Pallet::do_submit_validator_set`]) and hand
//! the pending set to the chain's authorities ([`Pallet::do_apply_pending_set`]).

use crate::{
	pallet::*, types::*, weights::WeightInfo, AuthoritySink, PalisadeBlockHash, LOG_TARGET,
};
use alloc::{collections::btree_set::BTreeSet, vec::Vec};
use bp_runtime::{RawStorageProof, StorageProofChecker, StorageProofError};
use frame_support::{
	dispatch::{DispatchErrorWithPostInfo, WithPostDispatchInfo},
	ensure,
	pallet_prelude::{BoundedVec, Get, Weight},
};
use frame_system::pallet_prelude::BlockNumberFor;

/// The hasher of Palisade's state trie, as the light client knows it.
type PalisadeHasher<T> =
	pallet_bridge_grandpa::BridgedBlockHasher<T, <T as Config>::BridgeGrandpaInstance>;

impl<T: Config> Pallet<T> {
	/// Check `storage_proof` of `Consumers::ValidatorSets(ConsumerId)` against the state root of
	/// the imported Palisade block `palisade_block_hash` and keep the proven set as the pending
	/// set. Returns its member count.
	///
	/// The cheap refusals come first (proof size, unknown block, block not later than the last
	/// one used: two reads); then the proof is checked, the value decoded and compared with the
	/// last accepted set.
	pub(crate) fn do_submit_validator_set(
		palisade_block_hash: PalisadeBlockHash<T>,
		storage_proof: RawStorageProof,
	) -> Result<u32, DispatchErrorWithPostInfo> {
		let cheap = T::DbWeight::get().reads(2);

		let proof_size = bp_runtime::raw_storage_proof_size(&storage_proof);
		ensure!(
			proof_size <= T::MaxProofSize::get() as usize,
			Error::<T>::ProofTooLarge.with_weight(cheap)
		);
		let header = pallet_bridge_grandpa::ImportedHeaders::<T, T::BridgeGrandpaInstance>::get(
			palisade_block_hash,
		)
		.ok_or(Error::<T>::UnknownPalisadeHeader.with_weight(cheap))?;
		let last = LastAccepted::<T>::get();
		if let Some(proven_at) = last.and_then(|l| l.proven_at) {
			ensure!(header.number > proven_at, Error::<T>::StaleHeader.with_weight(cheap));
		}

		let set = Self::read_proven_set(header.state_root, storage_proof)?;

		if let Some(last) = last {
			ensure!(set.set_id > last.set_id, Error::<T>::StaleSetId);
			ensure!(set.epoch > last.epoch, Error::<T>::EpochNotNewer);
		}
		Self::ensure_usable(&set)?;

		let members = set.members.len() as u32;
		let superseded = PendingSet::<T>::get().map(|p| p.set_id);
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
			superseded,
		});
		PendingSet::<T>::put(set);
		Ok(members)
	}

	/// Read and decode this consumer's set from a proof against `state_root`.
	fn read_proven_set(
		state_root: PalisadeBlockHash<T>,
		storage_proof: RawStorageProof,
	) -> Result<PalisadeValidatorSet<T>, Error<T>> {
		let mut checker = StorageProofChecker::<PalisadeHasher<T>>::new(state_root, storage_proof)
			.map_err(|_| Error::<T>::InvalidStorageProof)?;
		let raw = checker
			.read_value(&validator_set_storage_key(T::ConsumerId::get()))
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

	/// Record `set` as the set in force under `grandpa_set_id`.
	fn note_applied(set: PalisadeValidatorSet<T>, grandpa_set_id: u64, now: BlockNumberFor<T>) {
		let entry = SetHistoryEntry { grandpa_set_id, set_id: set.set_id, epoch: set.epoch };
		SetHistory::<T>::mutate(|history| {
			let mut entries: Vec<SetHistoryEntry> = core::mem::take(history).into_inner();
			entries.push(entry);
			let excess = entries.len().saturating_sub(T::SetHistoryDepth::get() as usize);
			entries.drain(..excess);
			*history = BoundedVec::truncate_from(entries);
		});
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
