//! Closing a basket: the curator closes it (no more deposits), holders redeem at their pace,
//! then it is removed once empty (creation deposit released, spare PAL back) and its token
//! destroyed a few items per call (metadata deposit back). Every step is its own call, each a
//! bounded amount of work.

use crate::*;
use frame_support::{
	defensive, ensure,
	pallet_prelude::DispatchError,
	storage::with_storage_layer,
	traits::{
		fungible::{self, MutateHold},
		fungibles,
		tokens::{Fortitude, Precision, Preservation},
	},
};
use sp_runtime::traits::{Saturating, Zero};

impl<T: Config> Pallet<T> {
	/// Close a basket. Returns whether it was removed at once (no token or pending
	/// redemption left). See [`Pallet::close_basket`].
	pub(crate) fn do_close_basket(
		who: &T::AccountId,
		basket: BasketId,
	) -> Result<bool, DispatchError> {
		let mut record = Baskets::<T>::get(basket).ok_or(Error::<T>::UnknownBasket)?;
		ensure!(&record.curator == who, Error::<T>::NotCurator);
		ensure!(record.state == BasketState::Open, Error::<T>::BasketClosing);
		record.state = BasketState::Closing;
		let supply = Self::supply_of(record.asset_id);
		Self::deposit_event(Event::BasketClosing { basket, supply, pending: record.pending });
		if supply.is_zero() && record.pending == 0 {
			Self::remove(basket, record);
			return Ok(true);
		}
		Baskets::<T>::insert(basket, record);
		Ok(false)
	}

	/// Remove a closing basket left empty. See [`Pallet::remove_basket`].
	pub(crate) fn do_remove_basket(basket: BasketId) -> Result<(), DispatchError> {
		let record = Baskets::<T>::get(basket).ok_or(Error::<T>::UnknownBasket)?;
		ensure!(record.state == BasketState::Closing, Error::<T>::BasketNotClosing);
		ensure!(
			Self::supply_of(record.asset_id).is_zero() && record.pending == 0,
			Error::<T>::BasketNotEmpty
		);
		Self::remove(basket, record);
		Ok(())
	}

	/// Remove a closing basket without tokens or pending redemptions: release the creation
	/// deposit, send the curator the PAL the basket's account can spare, start destroying the
	/// token, remove its storage. Never fails: the basket's record is removed, so it runs once.
	fn remove(basket: BasketId, record: BasketRecordOf<T>) {
		let curator = &record.curator;
		let deposit = T::Currency::release(
			&HoldReason::BasketDeposit.into(),
			curator,
			record.deposit,
			Precision::BestEffort,
		)
		.unwrap_or_else(|error| {
			defensive!("a basket's deposit is held on its curator", error);
			Zero::zero()
		});
		// The existential deposit the curator paid, and any PAL donated to the account. (Pool
		// LRT donated to it stays there, owned by nobody.)
		let account = &record.account;
		let spare = <T::Currency as fungible::Inspect<_>>::reducible_balance(
			account,
			Preservation::Expendable,
			Fortitude::Polite,
		);
		let spare = if spare.is_zero() {
			spare
		} else {
			with_storage_layer(|| {
				<T::Currency as fungible::Mutate<_>>::transfer(
					account,
					curator,
					spare,
					Preservation::Expendable,
				)
			})
			.unwrap_or_else(|_| Zero::zero())
		};
		// No account holds the token (its supply is zero, only this pallet touches it, the
		// runtime refuses `touch` on it) and nothing can freeze or hold it: the destruction
		// starts. Should it not, the token stays, empty and unmintable (no basket mints it and
		// its id is never reused).
		match with_storage_layer(|| {
			<T::Assets as fungibles::Destroy<_>>::start_destroy(record.asset_id, None)
		}) {
			Ok(()) => TokensToDestroy::<T>::insert(basket, curator),
			Err(error) => {
				defensive!("an empty basket token can be destroyed", error);
			}
		}
		Baskets::<T>::remove(basket);
		BasketPools::<T>::remove(basket);
		Self::deposit_event(Event::BasketClosed {
			basket,
			curator: curator.clone(),
			deposit,
			refunded: spare,
		});
	}

	/// Go on destroying a removed basket's token. Returns how many accounts and approvals were
	/// removed. See [`Pallet::destroy_basket_token`].
	pub(crate) fn do_destroy_basket_token(basket: BasketId) -> Result<u32, DispatchError> {
		let curator = TokensToDestroy::<T>::get(basket).ok_or(Error::<T>::NoTokenToDestroy)?;
		let asset = Self::token_asset_id(basket).ok_or(Error::<T>::AssetIdOverflow)?;
		let mut removed =
			<T::Assets as fungibles::Destroy<_>>::destroy_accounts(asset, DESTROY_ITEMS_PER_CALL)?;
		if removed < DESTROY_ITEMS_PER_CALL {
			removed =
				removed.saturating_add(<T::Assets as fungibles::Destroy<_>>::destroy_approvals(
					asset,
					DESTROY_ITEMS_PER_CALL.saturating_sub(removed),
				)?);
		}
		// `finish_destroy` refuses while accounts or approvals are left: then the next call
		// goes on.
		let pallet_account = Self::account_id();
		let free_before = <T::Currency as fungible::Inspect<_>>::balance(&pallet_account);
		if with_storage_layer(|| <T::Assets as fungibles::Destroy<_>>::finish_destroy(asset))
			.is_err()
		{
			Self::deposit_event(Event::BasketTokenDestroying { basket, removed });
			return Ok(removed);
		}
		// The metadata deposit, unreserved on this pallet's account, goes to the curator who
		// paid it.
		let refunded = <T::Currency as fungible::Inspect<_>>::balance(&pallet_account)
			.saturating_sub(free_before);
		Self::pay(&pallet_account, &curator, refunded)?;
		TokensToDestroy::<T>::remove(basket);
		Self::deposit_event(Event::BasketTokenDestroyed {
			basket,
			asset_id: asset,
			curator,
			refunded,
		});
		Ok(removed)
	}
}
