//! The `do_*` functions the pool calls delegate to: creation, curation, deposits and
//! withdrawals.

use crate::*;
use frame_support::{
	ensure,
	pallet_prelude::DispatchResult,
	traits::{fungible::MutateHold, fungibles, Get},
};
use palisade_primitives::{AssetId, Collateral, EpochProvider, LrtInterface, PoolId};
use sp_arithmetic::{MultiplyRational, Rounding};
use sp_runtime::{
	traits::{CheckedAdd, CheckedSub, Zero},
	DispatchError, FixedU128,
};

impl<T: Config> Pallet<T> {
	/// The pool `pool`, if `who` is its curator.
	pub(crate) fn curated_pool(
		who: &T::AccountId,
		pool: PoolId,
	) -> Result<PoolRecordOf<T>, DispatchError> {
		let record = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
		ensure!(&record.curator == who, Error::<T>::NotCurator);
		Ok(record)
	}

	/// Create a pool. Returns its id. See [`Pallet::create_pool`].
	pub(crate) fn do_create_pool(
		who: &T::AccountId,
		collateral: Collateral,
		metadata: MetadataOf<T>,
		deposit_cap: BalanceOf<T>,
	) -> Result<PoolId, DispatchError> {
		let decimals = match collateral {
			Collateral::Native => T::NativeDecimals::get(),
			Collateral::Asset(asset) => {
				ensure!(!T::Lrt::is_lrt_asset(asset), Error::<T>::InvalidCollateral);
				ensure!(
					<T::Assets as fungibles::Inspect<_>>::asset_exists(asset),
					Error::<T>::UnknownAsset
				);
				<T::Assets as fungibles::metadata::Inspect<_>>::decimals(asset)
			}
		};
		let pool = NextPoolId::<T>::get();
		let next = pool.checked_add(1).ok_or(Error::<T>::Overflow)?;

		let creation_deposit = T::PoolDeposit::get();
		T::Currency::hold(&HoldReason::PoolDeposit.into(), who, creation_deposit)?;
		Self::fund_pool_account(pool, who)?;
		let seed = match collateral {
			Collateral::Native => Zero::zero(),
			Collateral::Asset(asset) => {
				let seed = <T::Assets as fungibles::Inspect<_>>::minimum_balance(asset);
				Self::take_collateral(pool, collateral, who, seed)?;
				seed
			}
		};
		let lrt_asset = T::Lrt::create(pool, decimals, who)?;

		Pools::<T>::insert(
			pool,
			PoolRecord {
				curator: who.clone(),
				depositor: who.clone(),
				creation_deposit,
				collateral,
				lrt_asset,
				state: PoolState::Open,
				deposit_cap,
				active: Zero::zero(),
				queue: Default::default(),
				reward_pot: Zero::zero(),
				queued_rewards: Zero::zero(),
				seed,
			},
		);
		PoolMetadata::<T>::insert(pool, metadata);
		NextPoolId::<T>::put(next);
		Self::deposit_event(Event::PoolCreated {
			pool,
			curator: who.clone(),
			collateral,
			lrt_asset,
			deposit_cap,
			creation_deposit,
		});
		Ok(pool)
	}

	/// Hand a pool over. See [`Pallet::set_curator`].
	pub(crate) fn do_set_curator(
		who: &T::AccountId,
		pool: PoolId,
		new: T::AccountId,
	) -> DispatchResult {
		let mut record = Self::curated_pool(who, pool)?;
		let old = core::mem::replace(&mut record.curator, new.clone());
		Pools::<T>::insert(pool, record);
		Self::deposit_event(Event::CuratorChanged { pool, old, new });
		Ok(())
	}

	/// Set a pool's deposit cap. See [`Pallet::set_deposit_cap`].
	pub(crate) fn do_set_deposit_cap(
		who: &T::AccountId,
		pool: PoolId,
		deposit_cap: BalanceOf<T>,
	) -> DispatchResult {
		let mut record = Self::curated_pool(who, pool)?;
		record.deposit_cap = deposit_cap;
		Pools::<T>::insert(pool, record);
		Self::deposit_event(Event::DepositCapSet { pool, deposit_cap });
		Ok(())
	}

	/// Open or close a pool. See [`Pallet::set_pool_state`].
	pub(crate) fn do_set_pool_state(
		who: &T::AccountId,
		pool: PoolId,
		state: PoolState,
	) -> DispatchResult {
		let mut record = Self::curated_pool(who, pool)?;
		record.state = state;
		Pools::<T>::insert(pool, record);
		Self::deposit_event(Event::PoolStateSet { pool, state });
		Ok(())
	}

	/// Deposit into a pool. Returns the LRT minted. See [`Pallet::deposit`].
	pub(crate) fn do_deposit(
		who: &T::AccountId,
		pool: PoolId,
		amount: BalanceOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let mut record = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
		ensure!(record.state == PoolState::Open, Error::<T>::PoolClosed);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		let min_deposit = match record.collateral {
			Collateral::Native => T::MinDeposit::get(),
			Collateral::Asset(asset) => {
				<T::Assets as fungibles::Inspect<_>>::minimum_balance(asset)
			}
		};
		ensure!(amount >= min_deposit, Error::<T>::BelowMinDeposit);
		let supply_before = T::Lrt::supply(pool);
		// A pool slashed to zero while LRT remains would mint at an absurd rate.
		ensure!(!record.active.is_zero() || supply_before.is_zero(), Error::<T>::PoolWipedOut);
		let cap_after = record.active.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		ensure!(cap_after <= record.deposit_cap, Error::<T>::DepositCapExceeded);

		let rate = T::Lrt::rate(pool, record.active);
		let minted = T::Lrt::mint(pool, who, amount, record.active)?;
		Self::take_collateral(pool, record.collateral, who, minted.value)?;
		record.active = record.active.checked_add(&minted.value).ok_or(Error::<T>::Overflow)?;

		// Keep the reward pot per LRT unchanged: the newcomer buys its share of the pot.
		let reward_buy_in = if record.reward_pot.is_zero() || supply_before.is_zero() {
			Zero::zero()
		} else {
			record
				.reward_pot
				.multiply_rational(minted.lrt, supply_before, Rounding::Up)
				.ok_or(Error::<T>::Overflow)?
		};
		Self::hold_native_in_pool(pool, who, reward_buy_in)?;
		record.reward_pot =
			record.reward_pot.checked_add(&reward_buy_in).ok_or(Error::<T>::Overflow)?;

		Pools::<T>::insert(pool, record);
		Self::deposit_event(Event::Deposited {
			who: who.clone(),
			pool,
			amount: minted.value,
			lrt_minted: minted.lrt,
			rate,
			reward_buy_in,
		});
		Ok(minted.lrt)
	}

	/// Burn LRT and queue a withdrawal. Returns the request id. See
	/// [`Pallet::request_withdrawal`].
	pub(crate) fn do_request_withdrawal(
		who: &T::AccountId,
		pool: PoolId,
		lrt: BalanceOf<T>,
	) -> Result<RequestId, DispatchError> {
		let mut record = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
		ensure!(!lrt.is_zero(), Error::<T>::ZeroAmount);
		let open = OpenRequests::<T>::get(who);
		ensure!(open < T::MaxWithdrawalRequests::get(), Error::<T>::TooManyWithdrawalRequests);
		let request_id = NextRequestId::<T>::get();
		let next_request_id = request_id.checked_add(1).ok_or(Error::<T>::Overflow)?;

		let supply_before = T::Lrt::supply(pool);
		let burnt = T::Lrt::burn(pool, who, lrt, record.active)?;
		let reward = if record.reward_pot.is_zero() || supply_before.is_zero() {
			Zero::zero()
		} else {
			record
				.reward_pot
				.multiply_rational(burnt.lrt, supply_before, Rounding::Down)
				.ok_or(Error::<T>::Overflow)?
				.min(record.reward_pot)
		};
		ensure!(!burnt.value.is_zero() || !reward.is_zero(), Error::<T>::NothingToWithdraw);

		record.active = record.active.checked_sub(&burnt.value).ok_or(Error::<T>::Overflow)?;
		record.reward_pot = record.reward_pot.checked_sub(&reward).ok_or(Error::<T>::Overflow)?;
		record.queued_rewards =
			record.queued_rewards.checked_add(&reward).ok_or(Error::<T>::Overflow)?;
		let points = record.queue.join(burnt.value).ok_or(Error::<T>::Overflow)?;
		let requested_at = T::EpochInfo::current_epoch();
		let claimable_at = requested_at.saturating_add(T::WithdrawalDelay::get());

		WithdrawalRequests::<T>::insert(
			who,
			request_id,
			WithdrawalRequest {
				pool,
				lrt_burnt: burnt.lrt,
				value_at_request: burnt.value,
				points,
				queue_era: record.queue.era,
				reward,
				requested_at,
				claimable_at,
			},
		);
		OpenRequests::<T>::insert(who, open.saturating_add(1));
		NextRequestId::<T>::put(next_request_id);
		Pools::<T>::insert(pool, record);
		Self::deposit_event(Event::WithdrawalRequested {
			who: who.clone(),
			pool,
			request_id,
			lrt_burnt: burnt.lrt,
			value: burnt.value,
			reward,
			claimable_at,
		});
		Ok(request_id)
	}

	/// Pay a withdrawal request whose delay has passed. Returns `(collateral paid, reward
	/// paid)`. See [`Pallet::claim_withdrawal`].
	pub(crate) fn do_claim_withdrawal(
		who: &T::AccountId,
		pool: PoolId,
		request_id: RequestId,
	) -> Result<(BalanceOf<T>, BalanceOf<T>), DispatchError> {
		let request = WithdrawalRequests::<T>::get(who, request_id)
			.filter(|request| request.pool == pool)
			.ok_or(Error::<T>::RequestNotFound)?;
		ensure!(T::EpochInfo::current_epoch() >= request.claimable_at, Error::<T>::NotYetClaimable);
		let mut record = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;

		let paid = if request.queue_era == record.queue.era {
			let (paid, leftover) = record.queue.leave(request.points, request.value_at_request);
			record.active = record.active.checked_add(&leftover).ok_or(Error::<T>::Overflow)?;
			paid
		} else {
			// Slashes wiped the queue out since the request: its points are worth nothing.
			Zero::zero()
		};
		record.queued_rewards =
			record.queued_rewards.checked_sub(&request.reward).ok_or(Error::<T>::Overflow)?;
		// The native reward first: it may be what keeps `who` alive to receive a
		// non-sufficient collateral asset.
		Self::pay_native_from_pool(pool, who, request.reward)?;
		Self::pay_collateral(pool, record.collateral, who, paid)?;

		WithdrawalRequests::<T>::remove(who, request_id);
		let open = OpenRequests::<T>::get(who).saturating_sub(1);
		if open == 0 {
			OpenRequests::<T>::remove(who);
		} else {
			OpenRequests::<T>::insert(who, open);
		}
		Pools::<T>::insert(pool, record);
		Self::deposit_event(Event::WithdrawalClaimed {
			who: who.clone(),
			pool,
			request_id,
			value_at_request: request.value_at_request,
			paid,
			reward: request.reward,
		});
		Ok((paid, request.reward))
	}

	/// Set or remove an asset's valuation. See [`Pallet::set_collateral_valuation`].
	pub(crate) fn do_set_collateral_valuation(
		asset: AssetId,
		valuation: FixedU128,
	) -> DispatchResult {
		ensure!(!T::Lrt::is_lrt_asset(asset), Error::<T>::InvalidCollateral);
		let valuation = if valuation.is_zero() {
			CollateralValuations::<T>::remove(asset);
			None
		} else {
			CollateralValuations::<T>::insert(asset, valuation);
			Some(valuation)
		};
		Self::deposit_event(Event::CollateralValuationSet { asset, valuation });
		Ok(())
	}

	/// The exchange rate of `pool` (collateral units per LRT unit), one for an unknown pool.
	pub fn rate(pool: PoolId) -> FixedU128 {
		Pools::<T>::get(pool)
			.map(|record| T::Lrt::rate(pool, record.active))
			.unwrap_or_else(|| FixedU128::from_u32(1))
	}

	/// What `who`'s request `request_id` would pay now (collateral units, reward), `None` if
	/// there is no such request.
	pub fn claimable(
		who: &T::AccountId,
		request_id: RequestId,
	) -> Option<(BalanceOf<T>, BalanceOf<T>)> {
		let request = WithdrawalRequests::<T>::get(who, request_id)?;
		let record = Pools::<T>::get(request.pool)?;
		let value = if request.queue_era == record.queue.era {
			record.queue.value_of(request.points).min(request.value_at_request)
		} else {
			Zero::zero()
		};
		Some((value, request.reward))
	}
}
