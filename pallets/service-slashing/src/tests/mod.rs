//! Unit tests, one file per topic. Every test built with `ExtBuilder::build_and_execute` ends
//! with `ServiceSlashing::do_try_state()`. The attacks of issue 11 are in `attacks.rs` (and
//! where their topic is), each named after the attack, stating the attacker's gain before and
//! after.

mod attacks;
mod cancels;
mod consumer_cancel;
mod equivocation;
mod execution;
mod governance;
mod invariants;
mod meter;
mod params;
mod pool_pending;
mod pruning;
mod queue;
mod report;
mod spans;
mod veto;

/// Every key and value of the externalities.
fn storage() -> std::collections::BTreeMap<Vec<u8>, Vec<u8>> {
	let mut all = std::collections::BTreeMap::new();
	let mut key = Vec::new();
	while let Some(next) = sp_io::storage::next_key(&key) {
		if let Some(value) = sp_io::storage::get(&next) {
			all.insert(next.clone(), value.to_vec());
		}
		key = next;
	}
	all
}

/// The keys whose value `f` added, changed or removed, and what `f` returned.
fn keys_changed_by<R>(f: impl FnOnce() -> R) -> (Vec<Vec<u8>>, R) {
	let before = storage();
	let result = f();
	let after = storage();
	let mut keys: Vec<_> = before.keys().chain(after.keys()).cloned().collect();
	keys.sort();
	keys.dedup();
	keys.retain(|key| before.get(key) != after.get(key));
	(keys, result)
}

/// Whether `key` is a [`crate::PoolPendingCount`] entry.
fn is_pool_count(key: &[u8]) -> bool {
	use frame_support::storage::StoragePrefixedMap;
	key.starts_with(&crate::PoolPendingCount::<crate::mock::Test>::final_prefix())
}
