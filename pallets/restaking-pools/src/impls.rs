//! The `do_*` functions the pool calls delegate to: creation, curation, deposits and
//! withdrawals.

use crate::*;
use frame_support::{
	ensure,
	pallet_prelude::{DispatchResult, Weight},
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect as _, Mutate as _, MutateHold},
		fungibles,
		tokens::{Precision, Preservation},
		Get,
	},
};
use palisade_primitives::{
	AssetId, ChangeNotes, ChangeSubject, Collateral, EpochProvider, LrtConversion, LrtInterface,
	PendingSlashes, PoolId,
};
use sp_arithmetic::{
	helpers_128bit::multiply_by_rational_with_rounding, MultiplyRational, Rounding,
};
use sp_runtime::{
	traits::{CheckedAdd, CheckedSub, Saturating, Zero},
	DispatchError, FixedU128, SaturatedConversion,
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
			Collateral::Native | Collateral::NativeStaked => T::NativeDecimals::get(),
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

		let account = Self::fresh_pool_account(pool)?;
		let creation_deposit = T::PoolDeposit::get();
		T::Currency::hold(&HoldReason::PoolDeposit.into(), who, creation_deposit)?;
		Self::fund_pool_account(&account, who)?;
		let seed = match collateral {
			Collateral::Native => Zero::zero(),
			// A staked pool bonds an existential deposit of its creator's, owned by nobody, so
			// that staking never finds its active ledger below its dust limit and unbonds more
			// than asked (see `staking.rs`).
			Collateral::NativeStaked => {
				let seed = Self::native_ed();
				Self::move_native_to_pool(&account, who, seed)?;
				seed
			}
			Collateral::Asset(asset) => {
				let seed = <T::Assets as fungibles::Inspect<_>>::minimum_balance(asset);
				Self::take_collateral(&account, collateral, who, seed)?;
				seed
			}
		};
		let lrt_asset = T::Lrt::create(pool, decimals, who)?;

		if collateral == Collateral::NativeStaked {
			Self::open_staked_pool(pool, &account, seed)?;
		}
		Self::index_pool(pool, &account, collateral);
		Pools::<T>::insert(
			pool,
			PoolRecord {
				account,
				curator: who.clone(),
				depositor: who.clone(),
				creation_deposit,
				collateral,
				lrt_asset,
				state: PoolState::Open,
				deposit_cap,
				active: Zero::zero(),
				queued: Zero::zero(),
				requests: 0,
				owed: Zero::zero(),
				reward_pot: Zero::zero(),
				queued_rewards: Zero::zero(),
				seed,
				// Nothing earned before the pool existed.
				vesting: RewardVesting::starting_at(T::EpochInfo::current_epoch()),
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
		if state == PoolState::Open && record.collateral == Collateral::NativeStaked {
			ensure!(!Self::is_unstaked(pool), Error::<T>::PoolUnstaked);
		}
		record.state = state;
		Pools::<T>::insert(pool, record);
		Self::deposit_event(Event::PoolStateSet { pool, state });
		Ok(())
	}

	/// Deposit into a pool. Returns the LRT minted and the weight used. See
	/// [`Pallet::deposit`].
	pub(crate) fn do_deposit(
		who: &T::AccountId,
		pool: PoolId,
		amount: BalanceOf<T>,
	) -> Result<(BalanceOf<T>, Weight), DispatchError> {
		let (conversion, weight) = Self::do_deposit_for(who, who, pool, amount)?;
		Ok((conversion.lrt, weight))
	}

	/// Deposit `payer`'s collateral into a pool, the LRT minted to `beneficiary`. Returns the
	/// LRT minted with the collateral taken, and the weight used.
	pub(crate) fn do_deposit_for(
		payer: &T::AccountId,
		beneficiary: &T::AccountId,
		pool: PoolId,
		amount: BalanceOf<T>,
	) -> Result<(LrtConversion<BalanceOf<T>>, Weight), DispatchError> {
		let record = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
		ensure!(record.state == PoolState::Open, Error::<T>::PoolClosed);
		ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
		ensure!(amount >= Self::min_amount(record.collateral), Error::<T>::BelowMinDeposit);
		ensure!(record.owed.is_zero(), Error::<T>::PoolOwesSlash);
		let mut record = record;
		// Rewards still vesting are not in the rate: the newcomer shares them only as they
		// vest (see `RewardVesting`).
		let now = T::EpochInfo::current_epoch();
		let value = record.rate_value(now);
		let pot = record.released_pot(now);
		// The supply before the mint is only needed for an empty pool value or a reward pot.
		let supply_before =
			if value.is_zero() || !pot.is_zero() { T::Lrt::supply(pool) } else { Zero::zero() };
		// A pool slashed to zero while LRT remains would mint at an absurd rate.
		ensure!(!value.is_zero() || supply_before.is_zero(), Error::<T>::PoolWipedOut);
		let cap_after = record.active.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		ensure!(cap_after <= record.deposit_cap, Error::<T>::DepositCapExceeded);

		let rate = T::Lrt::rate(pool, value);
		let minted = T::Lrt::mint(pool, beneficiary, amount, value)?;
		Self::take_collateral(&record.account, record.collateral, payer, minted.value)?;
		record.active = record.active.checked_add(&minted.value).ok_or(Error::<T>::Overflow)?;
		// A staked pool bonds it at the start of a following block (see `PendingBonds`).
		Self::defer_bond(pool, &record, minted.value)?;

		// Keep the released reward pot per LRT unchanged: the newcomer buys its share of it.
		let reward_buy_in = if pot.is_zero() || supply_before.is_zero() {
			Zero::zero()
		} else {
			pot.multiply_rational(minted.lrt, supply_before, Rounding::Up)
				.ok_or(Error::<T>::Overflow)?
		};
		Self::move_native_to_pool(&record.account, payer, reward_buy_in)?;
		record.reward_pot =
			record.reward_pot.checked_add(&reward_buy_in).ok_or(Error::<T>::Overflow)?;

		// What the call was charged for this kind of pool (see `Pallet::deposit_weight`).
		let weight = match record.collateral {
			Collateral::Native => T::WeightInfo::deposit_native(),
			Collateral::NativeStaked => T::WeightInfo::deposit_staked(),
			Collateral::Asset(_) => T::WeightInfo::deposit(),
		}
		.saturating_add(T::DbWeight::get().reads(1));
		Self::put_pool(pool, record);
		Self::deposit_event(Event::Deposited {
			who: beneficiary.clone(),
			pool,
			amount: minted.value,
			lrt_minted: minted.lrt,
			rate,
			reward_buy_in,
		});
		Ok((LrtConversion { lrt: minted.lrt, value: minted.value }, weight))
	}

	/// The weight of a deposit into `pool`, by its kind of collateral (which never changes),
	/// plus the read that finds it: the dearest kind for an unknown pool (the call then fails
	/// at once, charged that).
	pub fn deposit_weight(pool: PoolId) -> Weight {
		let kind = Pools::<T>::get(pool).map(|record| record.collateral);
		let weight = match kind {
			Some(Collateral::Native) => T::WeightInfo::deposit_native(),
			Some(Collateral::NativeStaked) => T::WeightInfo::deposit_staked(),
			Some(Collateral::Asset(_)) => T::WeightInfo::deposit(),
			None => T::WeightInfo::deposit()
				.max(T::WeightInfo::deposit_native())
				.max(T::WeightInfo::deposit_staked()),
		};
		weight.saturating_add(T::DbWeight::get().reads(1))
	}

	/// The weight of a withdrawal claim from `pool`: a staked pool's dearer step (unbonding or
	/// paying), any other pool's claim, the dearest for an unknown pool; plus the read that
	/// finds its kind (which never changes).
	pub fn claim_withdrawal_weight(pool: PoolId) -> Weight {
		let staked = T::WeightInfo::start_unbonding().max(T::WeightInfo::finish_unbonding());
		let weight = match Pools::<T>::get(pool).map(|record| record.collateral) {
			Some(Collateral::NativeStaked) => staked,
			Some(Collateral::Native | Collateral::Asset(_)) => T::WeightInfo::claim_withdrawal(),
			None => staked.max(T::WeightInfo::claim_withdrawal()),
		};
		weight.saturating_add(T::DbWeight::get().reads(1))
	}

	/// The weight of closing `pool`: a staked pool's close is dearer (its staking ledger and
	/// session keys end too); plus the read that finds its kind.
	pub fn close_pool_weight(pool: PoolId) -> Weight {
		let weight = match Pools::<T>::get(pool).map(|record| record.collateral) {
			Some(Collateral::Native | Collateral::Asset(_)) => T::WeightInfo::close_pool(),
			Some(Collateral::NativeStaked) | None => {
				T::WeightInfo::close_staked_pool().max(T::WeightInfo::close_pool())
			}
		};
		weight.saturating_add(T::DbWeight::get().reads(1))
	}

	/// Burn LRT and queue a withdrawal. Returns the request id and the weight used. See
	/// [`Pallet::request_withdrawal`].
	pub(crate) fn do_request_withdrawal(
		who: &T::AccountId,
		pool: PoolId,
		lrt: BalanceOf<T>,
	) -> Result<(RequestId, Weight), DispatchError> {
		with_storage_layer(|| Self::request_withdrawal_inner(who, pool, lrt))
	}

	fn request_withdrawal_inner(
		who: &T::AccountId,
		pool: PoolId,
		lrt: BalanceOf<T>,
	) -> Result<(RequestId, Weight), DispatchError> {
		let record = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
		ensure!(!lrt.is_zero(), Error::<T>::ZeroAmount);
		let open = OpenRequests::<T>::get(who);
		ensure!(open < T::MaxWithdrawalRequests::get(), Error::<T>::TooManyWithdrawalRequests);
		let request_id = NextRequestId::<T>::get();
		let next_request_id = request_id.checked_add(1).ok_or(Error::<T>::Overflow)?;
		// The leaver's LRT is valued without the rewards still vesting: they stay with the
		// holders who remain (see `RewardVesting`).
		let mut record = record;
		let requested_at = T::EpochInfo::current_epoch();
		let supply_before = T::Lrt::supply(pool);
		// The only holder owns everything, what still vests included: nobody else is there
		// to leave it to (and no pool is left with rewards but no LRT).
		if T::Lrt::balance(pool, who) >= supply_before {
			record.vesting.amount = Zero::zero();
		}
		let value = record.rate_value(requested_at);
		let pot = record.released_pot(requested_at);

		let burnt = T::Lrt::burn(pool, who, lrt, value)?;
		let reward = if pot.is_zero() || supply_before.is_zero() {
			Zero::zero()
		} else {
			pot.multiply_rational(burnt.lrt, supply_before, Rounding::Down)
				.ok_or(Error::<T>::Overflow)?
				.min(pot)
		};
		ensure!(!burnt.value.is_zero() || !reward.is_zero(), Error::<T>::NothingToWithdraw);
		// Dust requests would cost every slash and the storage nothing: a request is worth at
		// least the minimum deposit, unless it takes all the caller's LRT (so that a small or
		// slashed position can always leave).
		ensure!(
			burnt.value >= Self::min_amount(record.collateral)
				|| T::Lrt::balance(pool, who).is_zero(),
			Error::<T>::BelowMinWithdrawal
		);
		let deposit = T::WithdrawalRequestDeposit::get();
		if !deposit.is_zero() {
			T::Currency::hold(&HoldReason::WithdrawalRequest.into(), who, deposit)?;
		}

		record.active = record.active.checked_sub(&burnt.value).ok_or(Error::<T>::Overflow)?;
		record.reward_pot = record.reward_pot.checked_sub(&reward).ok_or(Error::<T>::Overflow)?;
		record.queued_rewards =
			record.queued_rewards.checked_add(&reward).ok_or(Error::<T>::Overflow)?;
		let (bucket, points, queue_era) = Self::join_queue(pool, burnt.value, requested_at)?;
		record.queued = record.queued.checked_add(&burnt.value).ok_or(Error::<T>::Overflow)?;
		record.requests = record.requests.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let claimable_at = requested_at.saturating_add(T::WithdrawalDelay::get());

		WithdrawalRequests::<T>::insert(
			who,
			request_id,
			WithdrawalRequest {
				pool,
				lrt_burnt: burnt.lrt,
				value_at_request: burnt.value,
				bucket,
				points,
				queue_era,
				deposit,
				reward,
				requested_at,
				claimable_at,
			},
		);
		OpenRequests::<T>::insert(who, open.saturating_add(1));
		NextRequestId::<T>::put(next_request_id);
		Self::put_pool(pool, record);
		Self::deposit_event(Event::WithdrawalRequested {
			who: who.clone(),
			pool,
			request_id,
			lrt_burnt: burnt.lrt,
			value: burnt.value,
			reward,
			claimable_at,
		});
		Ok((request_id, T::WeightInfo::request_withdrawal()))
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
		let mut record = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
		let paid = if let Some(position) = UnbondingRequests::<T>::get(who, request_id) {
			// A staked pool's request whose PAL was unbonding: paid once it unlocked.
			Self::finish_unbonding(who, pool, request_id, &position, &record.account)?
		} else {
			ensure!(
				T::EpochInfo::current_epoch() >= request.claimable_at,
				Error::<T>::NotYetClaimable
			);
			ensure!(!Self::claim_must_wait(pool, &request), Error::<T>::SlashPending);
			if record.collateral == Collateral::NativeStaked {
				// A staked pool's request leaves the queue and unbonds: a second claim pays.
				let amount = Self::start_unbonding(who, pool, request_id, &request, record)?;
				return Ok((amount, Zero::zero()));
			}
			let (paid, leftover) = Self::leave_queue(pool, &request);
			record.queued = record
				.queued
				.checked_sub(&paid.saturating_add(leftover))
				.ok_or(Error::<T>::Overflow)?;
			record.active = record.active.checked_add(&leftover).ok_or(Error::<T>::Overflow)?;
			record.requests = record.requests.saturating_sub(1);
			paid
		};
		record.queued_rewards =
			record.queued_rewards.checked_sub(&request.reward).ok_or(Error::<T>::Overflow)?;
		// The native reward first: it may be what keeps `who` alive to receive a
		// non-sufficient collateral asset.
		Self::pay_native_from_pool(&record.account, who, request.reward)?;
		Self::pay_collateral(&record.account, record.collateral, who, paid)?;
		if !request.deposit.is_zero() {
			T::Currency::release(
				&HoldReason::WithdrawalRequest.into(),
				who,
				request.deposit,
				Precision::BestEffort,
			)?;
		}

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

	/// Whether a pending slash may still take from `request` of `pool`, so that its claim must
	/// wait rather than outrun it: a slash for an offence of an epoch up to its bucket's last
	/// epoch (every epoch the request's stake backed; the slash meter may delay such a slash
	/// well past the request), while the bucket is live. A slash for a later offence never
	/// takes from the bucket, nor does any slash from a matured bucket (see
	/// [`Self::slashable_buckets`]), so a hostile report for a later epoch holds no claim back.
	pub(crate) fn claim_must_wait(pool: PoolId, request: &WithdrawalRequestOf<T>) -> bool {
		if !LiveBuckets::<T>::get(pool).contains(&request.bucket) {
			return false;
		}
		match QueueBuckets::<T>::get(pool, request.bucket) {
			Some(bucket) => T::PendingSlashes::pool_has_pending_through(pool, bucket.last_epoch),
			// A live bucket always exists (`try_state`); if not, wait for any slash.
			None => T::PendingSlashes::pool_has_pending(pool, None),
		}
	}

	/// Whether `pool` is empty enough to close (or, staked, to leave staking): no LRT, no
	/// request, no queue, no owed slash, no reward and no allocation.
	pub(crate) fn ensure_pool_empty(pool: PoolId, record: &PoolRecordOf<T>) -> DispatchResult {
		// No request means no queue bucket, hence no live bucket either (`try_state`): the
		// live bucket list is not read.
		ensure!(
			T::Lrt::supply(pool).is_zero()
				&& record.requests == 0
				&& record.queued.is_zero()
				&& record.owed.is_zero()
				&& record.reward_pot.is_zero()
				&& record.queued_rewards.is_zero()
				&& !OwedSlashes::<T>::contains_key(pool)
				&& PoolConsumers::<T>::get(pool).is_empty()
				&& Self::staked_pool_is_empty(pool, record),
			Error::<T>::PoolNotEmpty
		);
		Ok(())
	}

	/// Close an empty pool. Returns the weight of the close it made (a staked pool's is
	/// dearer). See [`Pallet::close_pool`].
	pub(crate) fn do_close_pool(who: &T::AccountId, pool: PoolId) -> Result<Weight, DispatchError> {
		let record = Self::curated_pool(who, pool)?;
		Self::ensure_pool_empty(pool, &record)?;
		let weight = if record.collateral == Collateral::NativeStaked {
			Self::close_staked_pool(pool)?;
			T::WeightInfo::close_staked_pool()
		} else {
			T::WeightInfo::close_pool()
		};
		let account = &record.account;
		let depositor = &record.depositor;
		// What no LRT owns (rounding dust, the virtual position's share) and the seed go back
		// to the creator, who paid the seed; then whatever else the account holds (for a native
		// pool the same transfer: the active value is in the account's free balance).
		let collateral_returned = record.active.saturating_add(record.seed);
		if let Collateral::Asset(asset) = record.collateral {
			let balance = <T::Assets as fungibles::Inspect<_>>::balance(asset, account);
			if !balance.is_zero() {
				<T::Assets as fungibles::Mutate<_>>::transfer(
					asset,
					account,
					depositor,
					balance,
					Preservation::Expendable,
				)?;
			}
		}
		let free = T::Currency::reducible_balance(
			account,
			Preservation::Expendable,
			frame_support::traits::tokens::Fortitude::Polite,
		);
		if !free.is_zero() {
			T::Currency::transfer(account, depositor, free, Preservation::Expendable)?;
		}
		T::Currency::release(
			&HoldReason::PoolDeposit.into(),
			depositor,
			record.creation_deposit,
			Precision::Exact,
		)?;
		let lrt_destroyed = with_storage_layer(|| T::Lrt::destroy(pool, depositor)).is_ok();

		Pools::<T>::remove(pool);
		PoolMetadata::<T>::remove(pool);
		Self::unindex_pool(account, record.collateral);
		Self::deposit_event(Event::PoolClosed {
			pool,
			depositor: depositor.clone(),
			creation_deposit: record.creation_deposit,
			collateral_returned,
			lrt_destroyed,
		});
		Ok(weight)
	}

	/// The smallest deposit or withdrawal request into `collateral`: `MinDeposit` for the
	/// native token; for an asset, `MinDeposit` scaled to the asset's decimals (the same
	/// number of whole tokens), and at least the asset's minimum balance.
	pub fn min_amount(collateral: Collateral) -> BalanceOf<T> {
		match collateral {
			Collateral::Native | Collateral::NativeStaked => T::MinDeposit::get(),
			Collateral::Asset(asset) => {
				let decimals = <T::Assets as fungibles::metadata::Inspect<_>>::decimals(asset);
				let scaled = multiply_by_rational_with_rounding(
					T::MinDeposit::get().saturated_into::<u128>(),
					10u128.saturating_pow(u32::from(decimals)),
					10u128.saturating_pow(u32::from(T::NativeDecimals::get())),
					Rounding::Down,
				)
				.unwrap_or(u128::MAX)
				.saturated_into::<BalanceOf<T>>();
				<T::Assets as fungibles::Inspect<_>>::minimum_balance(asset).max(scaled)
			}
		}
	}

	/// Set or remove an asset's valuation. See [`Pallet::set_collateral_valuation`].
	pub(crate) fn do_set_collateral_valuation(
		asset: AssetId,
		valuation: FixedU128,
	) -> DispatchResult {
		ensure!(!T::Lrt::is_lrt_asset(asset), Error::<T>::InvalidCollateral);
		let valuation = if valuation.is_zero() {
			// The last valuation stays in `LastValuations`: slashes for past offences still
			// convert with it.
			CollateralValuations::<T>::remove(asset);
			None
		} else {
			CollateralValuations::<T>::insert(asset, valuation);
			LastValuations::<T>::insert(asset, valuation);
			Some(valuation)
		};
		// Every pool of that collateral backs a different amount from the next selection on.
		T::Changes::note_change(ChangeSubject::Everything, 0);
		Self::deposit_event(Event::CollateralValuationSet { asset, valuation });
		Ok(())
	}

	/// Store `record` as `pool`'s after a change of its value or owed slash, and note the
	/// change for the consumers' selection (what it backs changes from the next selection on).
	pub(crate) fn put_pool(pool: PoolId, record: PoolRecordOf<T>) {
		Pools::<T>::insert(pool, record);
		T::Changes::note_change(ChangeSubject::Pool(pool), 0);
	}

	/// The exchange rate of `pool` (collateral units per LRT unit), one for an unknown pool.
	pub fn rate(pool: PoolId) -> FixedU128 {
		Pools::<T>::get(pool)
			.map(|record| T::Lrt::rate(pool, record.rate_value(T::EpochInfo::current_epoch())))
			.unwrap_or_else(|| FixedU128::from_u32(1))
	}

	/// What `who`'s request `request_id` would pay now (collateral units, reward), `None` if
	/// there is no such request.
	pub fn claimable(
		who: &T::AccountId,
		request_id: RequestId,
	) -> Option<(BalanceOf<T>, BalanceOf<T>)> {
		let request = WithdrawalRequests::<T>::get(who, request_id)?;
		let bucket = QueueBuckets::<T>::get(request.pool, request.bucket)?;
		let value = if request.queue_era == bucket.queue.era {
			bucket.queue.value_of(request.points).min(request.value_at_request)
		} else {
			Zero::zero()
		};
		Some((value, request.reward))
	}
}
