//! Storage invariants, checked by `try_state` and after every unit test (also from the pools
//! pallet's tests, hence compiled with `std`).

use crate::*;
use frame_support::{ensure, traits::fungibles};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Check the pallet's storage invariants:
	///
	/// 1. Every pool in [`Lrts`] has its LRT asset, and the asset's total issuance equals the
	///    recorded supply (nobody but this pallet mints or burns LRT).
	/// 2. The counter of [`Lrts`] matches its entries.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		let mut count = 0u32;
		for (pool, record) in Lrts::<T>::iter() {
			count = count.saturating_add(1);
			let asset_id = Self::lrt_asset_id(pool).ok_or("LRT asset id overflows")?;
			ensure!(
				<T::Assets as fungibles::Inspect<_>>::asset_exists(asset_id),
				"LRT asset of a pool does not exist"
			);
			ensure!(
				<T::Assets as fungibles::Inspect<_>>::total_issuance(asset_id) == record.supply,
				"LRT total issuance differs from the recorded supply"
			);
		}
		ensure!(count == Lrts::<T>::count(), "Lrts counter differs from its entries");
		Ok(())
	}
}
