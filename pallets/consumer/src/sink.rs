//! Where a proven set goes: the consumer chain's block production and finality.
//!
//! [`AuthoritySink`] is what the pallet needs from them; [`AuraGrandpa`] implements it for a
//! chain running `pallet-aura` with ed25519 keys and `pallet-grandpa`, so that one 32-byte key
//! registered on Palisade is both the Aura and the GRANDPA authority id.

use crate::{types::ConsumerKey, Config, Error};
use alloc::vec::Vec;
use core::marker::PhantomData;
use frame_support::{pallet_prelude::BoundedVec, traits::Get};
use sp_consensus_aura::ed25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::{crypto::ByteArray, ed25519};
use sp_runtime::{traits::Zero, DispatchError};

/// The consumer chain's authorities, as the pallet drives them.
pub trait AuthoritySink {
	/// The largest set the sink can take (the smaller of Aura's and GRANDPA's bounds).
	fn max_authorities() -> u32;

	/// Whether a new set can be handed over in this block (for GRANDPA: no change pending).
	/// When it cannot, the pending set waits for the next block and the current authorities
	/// keep producing and finalizing.
	fn can_apply() -> bool;

	/// Make `keys` (not empty, unique, at most [`Self::max_authorities`]) the authorities from
	/// the next block on. Either changes everything or nothing. Returns the GRANDPA set id the
	/// new authorities will vote under.
	fn apply(keys: &[ConsumerKey]) -> Result<u64, DispatchError>;

	/// The block-production authorities in force now, in order (checked by `try_state`).
	fn current() -> Vec<ConsumerKey>;
}

/// `pallet-aura` (ed25519 authority ids) and `pallet-grandpa` of the runtime `T`.
///
/// `apply` schedules a standard GRANDPA change with delay 0 (signalled in this block's digest by
/// `pallet_grandpa::on_finalize`, enacted by the GRANDPA voters when this block is finalized,
/// every voter weighing 1), counts the new GRANDPA set in `pallet_grandpa::CurrentSetId`, and
/// changes Aura's authorities (in storage now, so the next block's author is from the new set;
/// an `AuthoritiesChange` log goes in this block's digest).
pub struct AuraGrandpa<T>(PhantomData<T>);

impl<T> AuthoritySink for AuraGrandpa<T>
where
	T: Config + pallet_aura::Config<AuthorityId = AuraId> + pallet_grandpa::Config,
{
	fn max_authorities() -> u32 {
		<T as pallet_aura::Config>::MaxAuthorities::get()
			.min(<T as pallet_grandpa::Config>::MaxAuthorities::get())
	}

	fn can_apply() -> bool {
		!pallet_grandpa::PendingChange::<T>::exists()
	}

	fn apply(keys: &[ConsumerKey]) -> Result<u64, DispatchError> {
		frame_support::ensure!(!keys.is_empty(), Error::<T>::EmptySet);
		let aura: BoundedVec<AuraId, <T as pallet_aura::Config>::MaxAuthorities> = keys
			.iter()
			.map(|key| AuraId::from(ed25519::Public::from_raw(*key)))
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::<T>::TooManyMembers)?;
		frame_support::ensure!(
			keys.len() <= <T as pallet_grandpa::Config>::MaxAuthorities::get() as usize,
			Error::<T>::TooManyMembers
		);
		let grandpa = keys
			.iter()
			.map(|key| (GrandpaId::from(ed25519::Public::from_raw(*key)), 1u64))
			.collect::<Vec<_>>();

		// GRANDPA first: it is the only step that can fail (a change already pending).
		pallet_grandpa::Pallet::<T>::schedule_change(grandpa, Zero::zero(), None)
			.map_err(|_| Error::<T>::AuthorityChangePending)?;
		let set_id = pallet_grandpa::CurrentSetId::<T>::mutate(|id| {
			*id = id.saturating_add(1);
			*id
		});
		pallet_aura::Pallet::<T>::change_authorities(aura);
		Ok(set_id)
	}

	fn current() -> Vec<ConsumerKey> {
		pallet_aura::Authorities::<T>::get()
			.iter()
			.filter_map(|id| ConsumerKey::try_from(id.as_slice()).ok())
			.collect()
	}
}
