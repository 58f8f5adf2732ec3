//! The pallet's invariants, checked by `try_state` and after every test.

use crate::{pallet::*, AuthoritySink};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Check the invariants:
	///
	/// 1. [`CurrentSet`] and [`PendingSet`] are usable sets: not empty, at most `MaxAuthorities`,
	///    keys unique, `set_hash` the hash of the members.
	/// 2. The authority sink's current authorities are exactly [`CurrentSet`]'s keys, in order.
	/// 3. [`LastAccepted`] is the pending set if there is one, else the current set; it exists
	///    iff one of them does.
	/// 4. A pending set is strictly newer (set id and epoch) than the current set.
	/// 5. [`SetHistory`] is not empty iff there is a current set, its GRANDPA set ids and
	///    Palisade set ids strictly increase **in step** (`set id - GRANDPA set id` is the same
	///    for every entry: no set was skipped), and its last entry is the current set.
	/// 6. [`SetKeys`] has exactly the GRANDPA sets of the history, the current one with the
	///    current keys; every [`Equivocations`] record is of a remembered GRANDPA set and of a
	///    key of that set, with that set's Palisade set and epoch.
	pub(crate) fn do_try_state() -> Result<(), TryRuntimeError> {
		let current = CurrentSet::<T>::get();
		let pending = PendingSet::<T>::get();
		let last = LastAccepted::<T>::get();

		// 1.
		if let Some(c) = &current {
			Self::ensure_usable(&c.set).map_err(|_| "the current set is not usable")?;
		}
		if let Some(p) = &pending {
			Self::ensure_usable(p).map_err(|_| "the pending set is not usable")?;
		}

		// 2.
		if let Some(c) = &current {
			ensure_that(
				T::AuthoritySink::current() == c.set.keys(),
				"the authorities in force are not the current set's keys",
			)?;
		}

		// 3.
		let newest = pending.as_ref().or(current.as_ref().map(|c| &c.set));
		match (last, newest) {
			(None, None) => {}
			(Some(l), Some(s)) => ensure_that(
				l.set_id == s.set_id && l.epoch == s.epoch,
				"LastAccepted is not the newest set",
			)?,
			_ => return Err("LastAccepted and the sets disagree".into()),
		}

		// 4.
		if let (Some(c), Some(p)) = (&current, &pending) {
			ensure_that(
				p.set_id > c.set.set_id && p.epoch > c.set.epoch,
				"the pending set is not newer than the current one",
			)?;
		}

		// 5.
		let history = SetHistory::<T>::get();
		let increasing = history.windows(2).all(|w| match w {
			[a, b] => a.grandpa_set_id < b.grandpa_set_id && a.set_id < b.set_id,
			_ => true,
		});
		ensure_that(increasing, "SetHistory is not strictly increasing")?;
		let offset = |e: &crate::SetHistoryEntry| e.set_id.wrapping_sub(e.grandpa_set_id);
		ensure_that(
			history.windows(2).all(|w| match w {
				[a, b] => offset(a) == offset(b),
				_ => true,
			}),
			"a Palisade set was skipped: GRANDPA set ids do not follow Palisade's",
		)?;
		match (history.last(), &current) {
			(None, None) => {}
			(Some(e), Some(c)) => ensure_that(
				e.grandpa_set_id == c.grandpa_set_id
					&& e.set_id == c.set.set_id
					&& e.epoch == c.set.epoch,
				"the last SetHistory entry is not the current set",
			)?,
			_ => return Err("SetHistory and CurrentSet disagree".into()),
		}

		// 6.
		let mut remembered: alloc::vec::Vec<u64> = SetKeys::<T>::iter_keys().collect();
		remembered.sort();
		ensure_that(
			remembered == history.iter().map(|e| e.grandpa_set_id).collect::<alloc::vec::Vec<_>>(),
			"SetKeys are not the remembered GRANDPA sets",
		)?;
		if let Some(c) = &current {
			ensure_that(
				SetKeys::<T>::get(c.grandpa_set_id).map(|k| k.to_vec()) == Some(c.set.keys()),
				"the current GRANDPA set's keys are not the current set's",
			)?;
		}
		for (grandpa_set_id, key, record) in Equivocations::<T>::iter() {
			let entry = history
				.iter()
				.find(|e| e.grandpa_set_id == grandpa_set_id)
				.ok_or("an equivocation of a forgotten GRANDPA set")?;
			ensure_that(
				SetKeys::<T>::get(grandpa_set_id).is_some_and(|keys| keys.contains(&key)),
				"an equivocation of a key outside its set",
			)?;
			ensure_that(
				record.set_id == entry.set_id && record.epoch == entry.epoch,
				"an equivocation recorded with another Palisade set",
			)?;
		}
		Ok(())
	}
}

fn ensure_that(condition: bool, message: &'static str) -> Result<(), TryRuntimeError> {
	if condition {
		Ok(())
	} else {
		Err(message.into())
	}
}
