//! Storage invariants, checked by `try_state` and after every unit test (also from the pools
//! pallet's tests, hence compiled with `std`).

use crate::*;
use frame_support::{ensure, traits::fungibles};
use sp_runtime::TryRuntimeError;

impl<T: Config> Pallet<T> {
	/// Check the pallet's storage invariants:
	///
	/// 1. Every pool in [`Lrts`] has its LRT asset, whose owner, issuer and admin is this
	///    pallet's account, so nobody else can mint or burn LRT.
	pub fn do_try_state() -> Result<(), TryRuntimeError> {
		for (pool, record) in Lrts::<T>::iter() {
			let asset_id = Self::lrt_asset_id(pool).ok_or("LRT asset id overflows")?;
			ensure!(
				<T::Assets as fungibles::Inspect<_>>::asset_exists(asset_id),
				"LRT asset of a pool does not exist"
			);
			let us = Some(Self::account_id());
			ensure!(
				<T::Assets as fungibles::roles::Inspect<_>>::owner(asset_id) == us
					&& <T::Assets as fungibles::roles::Inspect<_>>::issuer(asset_id) == us
					&& <T::Assets as fungibles::roles::Inspect<_>>::admin(asset_id) == us,
				"LRT asset not owned, issued and administered by the LRT pallet"
			);
			ensure!(record.decimals <= 30, "LRT decimals out of range");
		}
		Ok(())
	}
}
