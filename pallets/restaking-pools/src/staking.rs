//! Native restaking: pools of [`Collateral::NativeStaked`] bond their PAL in NPoS staking.
//!
//! The pool account is a **virtual staker** (`sp_staking::StakingUnchecked::virtual_bond`):
//! staking keeps its ledger (it is elected, exposed, rewarded and slashed like any nominator),
//! while the PAL stays on the pool account under this pallet's control, so that a consumer's
//! (service) slash can take it at once, as from any pool. The books agree with the ledger
//! (`try_state`):
//!
//! - **ledger active** + **pending** ([`PendingBonds`], deposits not yet bonded) = `active +
//!   queued + seed + ghost_pending`. LRT holders' stake and the
//!   withdrawal queue stay bonded (and slashable by NPoS) until a request is claimed; the seed
//!   (the existential deposit the creator bonds) keeps the ledger above staking's dust limit;
//!   `ghost_pending` is stake a service slash took whose unbonding failed (retried).
//! - **ledger unlocking** at era `e`, until withdrawn = [`UnbondingChunk`] `e`: the requests
//!   in their unbonding phase there plus its *ghost* (stake service slashes took and unbonded
//!   so that the active ledger matches the books; no funds behind it).
//!
//! Flows:
//!
//! - **Deposit**: mint, and note the PAL as pending ([`PendingBonds`]): it counts in the
//!   pool's value at once and is bonded at the start of a following block, with one
//!   `bond_extra` per pool however many deposits came (at most `MaxBondsPerBlock` pools a
//!   block, in turn). So a deposit into a staked pool costs about what a native pool's does.
//!   Anything that unbonds (a withdrawal's first claim) or needs the whole bond (the curator's
//!   `nominate`, `validate`) bonds what is pending first; a service slash takes from what is
//!   pending before it unbonds anything; an NPoS slash only ever takes what staking took from
//!   the ledger. Pending PAL earns no NPoS reward until bonded (a block or a few: staking's
//!   exposures are taken at elections anyway) and staking cannot take it, but the loss of an
//!   NPoS slash falls on the pool's whole value pro rata as before (the LRT is one asset, so
//!   its holders share it, pending or not). **Rewards** of consumers (`add_rewards`)
//!   and compounded NPoS rewards are bonded at once.
//!
//!   The books then read: **ledger active + pending** = `active + queued + seed +
//!   ghost_pending`.
//! - **Withdrawal** in two claims: the request waits in the queue as for any pool
//!   (`WithdrawalDelay`, pending service slashes); the first claim then takes it out of the
//!   queue and `unbond`s its value (chunk at `current_era + BondingDuration`); the second,
//!   from that era on, withdraws the chunk and pays. So a withdrawal waits for both delays and
//!   stays slashable by consumers until it leaves the queue and by NPoS until it is paid.
//! - **Service slash**: takes the PAL as for a native pool, then `unbond`s the same amount so
//!   the ledger's active stake matches (the chunk's ghost).
//! - **NPoS slash**: staking only changes the ledger and reports it (`on_slash`, wired by the
//!   runtime); the pool takes the PAL: the bonded part pro rata from the active value and the
//!   queue (as a service slash of every epoch would), the unbonding part per chunk pro rata
//!   between its requests and its ghost (the ghost's part was already taken). Each loss is
//!   accounted once: staking touches the ledger, this pallet the funds.
//! - **NPoS rewards** are paid by staking to the pool's reward account (staking does not let a
//!   virtual staker compound) and compounded by `compound_rewards` (anyone).
//! - **Validating** (`validate`, `set_session_keys`): instead of nominating, a staked pool's
//!   stash may itself be a validator, run by its curator's node. That is how a validator that
//!   is also an operator restakes the stake it bonds: its self-stake is the pool, which backs
//!   it (or any operator) for consumers like any pool, and every slash, NPoS or service, falls
//!   on the pool's books the same way. The stash is keyless, so only this pallet speaks for
//!   it in staking and session ([`PoolValidation`]).

use crate::*;
use alloc::{collections::btree_map::BTreeMap, vec::Vec};
use frame_support::{
	ensure,
	pallet_prelude::{DispatchResult, Weight},
	storage::with_storage_layer,
	traits::{
		fungible::{Inspect as _, Mutate as _},
		tokens::{Fortitude, Preservation},
		Get,
	},
};
use palisade_primitives::{Collateral, EpochProvider, LrtInterface, PoolId};
use sp_arithmetic::{MultiplyRational, Rounding};
use sp_runtime::{
	traits::{AccountIdConversion, CheckedAdd, CheckedSub, Hash, Saturating, Zero},
	DispatchError, Perbill,
};
use sp_staking::{StakerStatus, StakingInterface, StakingUnchecked};

/// What a staked pool that validates needs of the runtime's staking and session pallets,
/// beyond `sp_staking::StakingInterface` (which cannot declare a validator or set keys). The
/// runtime acts for the pool's keyless stash, as if it had signed.
pub trait PoolValidation<AccountId> {
	/// Declare `stash` a validator from the next election, with `commission` on its
	/// nominators' rewards and, if `blocked`, no new nominations from others.
	fn validate(stash: &AccountId, commission: Perbill, blocked: bool) -> DispatchResult;
	/// Set `stash`'s session keys: `keys` are the runtime's SCALE-encoded session keys and
	/// `proof` the proof that their owner holds them for `stash` (as `session.setKeys`).
	fn set_keys(stash: &AccountId, keys: &[u8], proof: &[u8]) -> DispatchResult;
	/// Remove `stash`'s session keys.
	fn purge_keys(stash: &AccountId) -> DispatchResult;
	/// Whether `stash` has session keys.
	fn has_keys(stash: &AccountId) -> bool;
}

/// No validating pools: every call fails.
impl<AccountId> PoolValidation<AccountId> for () {
	fn validate(_: &AccountId, _: Perbill, _: bool) -> DispatchResult {
		Err(DispatchError::Other("validating pools are not supported"))
	}
	fn set_keys(_: &AccountId, _: &[u8], _: &[u8]) -> DispatchResult {
		Err(DispatchError::Other("validating pools are not supported"))
	}
	fn purge_keys(_: &AccountId) -> DispatchResult {
		Ok(())
	}
	fn has_keys(_: &AccountId) -> bool {
		false
	}
}

impl<T: Config> Pallet<T> {
	/// The account staking pays `pool`'s NPoS rewards to: keyless, derived from the pallet id
	/// and the pool id, never the pool account (staking refuses that for virtual stakers).
	pub fn reward_account(pool: PoolId) -> T::AccountId {
		let hash = T::Hashing::hash_of(&(b"palisade/npos-rewards", pool));
		let mut salt = [0u8; 16];
		for (byte, source) in salt.iter_mut().zip(hash.as_ref().iter()) {
			*byte = *source;
		}
		T::PalletId::get().into_sub_account_truncating((salt, pool))
	}

	/// Start the NPoS side of the new staked pool `pool`: bond its seed (already on `account`)
	/// as a virtual staker paying rewards to its reward account.
	pub(crate) fn open_staked_pool(
		pool: PoolId,
		account: &T::AccountId,
		seed: BalanceOf<T>,
	) -> DispatchResult {
		let reward_account = Self::reward_account(pool);
		T::Staking::virtual_bond(account, seed, &reward_account)?;
		StakedPools::<T>::insert(
			pool,
			StakedPool {
				reward_account,
				ghost_pending: Zero::zero(),
				withdrawn_through: T::Staking::current_era(),
				unbonding: Zero::zero(),
				unbonding_requests: 0,
				ghosts: Default::default(),
				unstaked: false,
			},
		);
		Ok(())
	}

	/// The staked pool `pool`'s NPoS record, if `record` is of a staked pool.
	fn staked_of(pool: PoolId, record: &PoolRecordOf<T>) -> Option<StakedPoolOf<T>> {
		(record.collateral == Collateral::NativeStaked)
			.then(|| StakedPools::<T>::get(pool))
			.flatten()
	}

	/// Bond `amount` more of `pool`'s PAL (already on its account and in its books). A ledger
	/// staking removed (every stake slashed away and withdrawn) is bonded afresh, with the
	/// books' whole bonded value; a pool out of staking bonds nothing again (it only waits to
	/// be closed). The NPoS record is read only when there is no ledger. Used by consumer
	/// rewards, compounded NPoS rewards and the bond of pending deposits.
	pub(crate) fn bond_more(
		pool: PoolId,
		record: &PoolRecordOf<T>,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if record.collateral != Collateral::NativeStaked || amount.is_zero() {
			return Ok(());
		}
		if T::Staking::stake(&record.account).is_ok() {
			return T::Staking::bond_extra(&record.account, amount);
		}
		Self::bond_afresh(pool, record)
	}

	/// Bond a staked pool that has no ledger (staking removed it once every stake was slashed
	/// away and withdrawn) afresh, with the books' whole bonded value: what was pending is
	/// bonded with it. Nothing for a pool out of staking.
	fn bond_afresh(pool: PoolId, record: &PoolRecordOf<T>) -> DispatchResult {
		let Some(staked) = StakedPools::<T>::get(pool) else { return Ok(()) };
		if staked.unstaked {
			return Ok(());
		}
		let bonded = Self::books_bonded(record, &staked).ok_or(Error::<T>::Overflow)?;
		T::Staking::virtual_bond(&record.account, bonded, &staked.reward_account)?;
		if let Some(amount) = PendingBonds::<T>::take(pool) {
			Self::deposit_event(Event::PendingStakeBonded { pool, amount });
		}
		Ok(())
	}

	/// Note `amount` of a deposit into `pool` (already on its account and in its books) as
	/// pending: bonded at the start of a following block ([`PendingBonds`]). Nothing for a
	/// pool that does not stake.
	pub(crate) fn defer_bond(
		pool: PoolId,
		record: &PoolRecordOf<T>,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if record.collateral != Collateral::NativeStaked || amount.is_zero() {
			return Ok(());
		}
		PendingBonds::<T>::try_mutate(pool, |pending| {
			let sum = pending.unwrap_or_default().checked_add(&amount);
			*pending = Some(sum.ok_or(Error::<T>::Overflow)?);
			Ok(())
		})
	}

	/// Bond what is pending of `pool` now (see [`PendingBonds`]). Returns the PAL bonded.
	pub(crate) fn bond_pending_of(
		pool: PoolId,
		record: &PoolRecordOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		let Some(amount) = PendingBonds::<T>::get(pool) else { return Ok(Zero::zero()) };
		Self::bond_more(pool, record, amount)?;
		// A pool bonded afresh took (and announced) what was pending with its whole books.
		if PendingBonds::<T>::take(pool).is_some() {
			Self::deposit_event(Event::PendingStakeBonded { pool, amount });
		}
		Ok(amount)
	}

	/// The block's turn of pending bonds: bond the pending deposits of at most `limit` staked
	/// pools, from the pool after [`BondCursor`] in [`PendingBonds`]' order (from the first
	/// when the end was reached). A pool whose bond fails keeps it pending (retried in its
	/// next turn). Returns the weight used: the benchmark's, plus the read of the first key
	/// and the cursor's write when the turn wraps round to the first pool.
	pub(crate) fn bond_pending(limit: u32) -> Weight {
		let cursor = BondCursor::<T>::get();
		let take = usize::try_from(limit).unwrap_or(usize::MAX);
		let mut batch: Vec<PoolId> = match cursor {
			Some(last) => {
				PendingBonds::<T>::iter_keys_from(PendingBonds::<T>::hashed_key_for(last))
					.take(take)
					.collect()
			}
			None => Vec::new(),
		};
		if batch.is_empty() {
			batch = PendingBonds::<T>::iter_keys().take(take).collect();
		}
		let done = u32::try_from(batch.len()).unwrap_or(u32::MAX);
		// A full batch may have more after it; a short one reached the end.
		let next = if done >= limit { batch.last().copied() } else { None };
		if next != cursor {
			match next {
				Some(pool) => BondCursor::<T>::put(pool),
				None => BondCursor::<T>::kill(),
			}
		}
		for pool in batch {
			let bonded = with_storage_layer(|| {
				let record = Pools::<T>::get(pool).ok_or(Error::<T>::PoolNotFound)?;
				Self::bond_pending_of(pool, &record)
			});
			if let Err(error) = bonded {
				log::warn!(
					target: LOG_TARGET,
					"pool {pool}: bonding its pending deposits failed ({error:?}); kept pending",
				);
			}
		}
		T::WeightInfo::bond_pending(done).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}

	/// What the books say is bonded in the ledger's active stake.
	pub(crate) fn books_bonded(
		record: &PoolRecordOf<T>,
		staked: &StakedPoolOf<T>,
	) -> Option<BalanceOf<T>> {
		record
			.active
			.checked_add(&record.queued)?
			.checked_add(&record.seed)?
			.checked_add(&staked.ghost_pending)
	}

	/// Unbond `amount` of `pool`'s bonded stake. Returns the era its chunk unlocks. Withdraws
	/// unlocked chunks first (so staking never withdraws behind the books' back) and chills
	/// the pool if its nominations would otherwise keep the stake bonded.
	fn unbond(
		pool: PoolId,
		account: &T::AccountId,
		staked: &mut StakedPoolOf<T>,
		amount: BalanceOf<T>,
	) -> Result<EraIndex, DispatchError> {
		Self::withdraw_unlocked(account, staked)?;
		let era = T::Staking::current_era().saturating_add(T::Staking::bonding_duration());
		if amount.is_zero() {
			return Ok(era);
		}
		// Staking refuses an unbond that leaves less than the minimum bond of the stash's role
		// (what is left under the existential deposit is unbonded too): then stop nominating
		// (validating) first; the curator may start again once the pool is large enough.
		// Checked before, so that the unbond is made once.
		let min_bond = match T::Staking::status(account) {
			Ok(StakerStatus::Validator) => T::Staking::minimum_validator_bond(),
			Ok(StakerStatus::Nominator(_)) => T::Staking::minimum_nominator_bond(),
			Ok(StakerStatus::Idle) | Err(_) => Zero::zero(),
		};
		if !min_bond.is_zero() {
			let left = T::Staking::stake(account)
				.map(|stake| stake.active.saturating_sub(amount))
				.unwrap_or_default();
			let left = if left < T::Currency::minimum_balance() { Zero::zero() } else { left };
			if left < min_bond {
				T::Staking::chill(account)?;
				Self::deposit_event(Event::Chilled { pool });
			}
		}
		T::Staking::unbond(account, amount)?;
		Ok(era)
	}

	/// Withdraw `pool`'s chunks staking has unlocked: they no longer count in the ledger; their
	/// requests are paid from the pool account as they claim, their ghost is dropped.
	fn withdraw_unlocked(account: &T::AccountId, staked: &mut StakedPoolOf<T>) -> DispatchResult {
		let now = T::Staking::current_era();
		if staked.withdrawn_through >= now {
			return Ok(());
		}
		if T::Staking::stake(account).is_ok() {
			T::Staking::withdraw_unbonded(account.clone(), u32::MAX)?;
		}
		// The ghosts of the withdrawn eras are gone with them (no funds were behind them); the
		// requests' chunks stay until their requests are paid.
		staked.ghosts.retain(|(era, _)| *era > now);
		staked.withdrawn_through = now;
		Ok(())
	}

	/// After a service slash took `taken` of `pool`'s bonded stake: unbond it so the ledger's
	/// active stake matches the books (a ghost of the era it unlocks), or keep it pending if
	/// staking refuses now (retried by the next staking operation of the pool). Nothing to do
	/// for a pool that left staking: nothing is bonded.
	pub(crate) fn unbond_slashed(pool: PoolId, record: &PoolRecordOf<T>, taken: BalanceOf<T>) {
		let Some(mut staked) = Self::staked_of(pool, record) else { return };
		let mut amount = staked.ghost_pending.saturating_add(taken);
		if amount.is_zero() || staked.unstaked {
			return;
		}
		// What is pending was never bonded: it goes first, with nothing to unbond for it; no
		// ghost is made for it, so a later NPoS slash takes its whole share from the funds.
		// Only while the ledger holds at least an existential deposit: staking refuses a
		// `bond_extra` that leaves less, and what is left pending must stay bondable.
		// The ledger's active stake (`None` without a ledger): nothing below changes it before
		// the unbond.
		let ledger_active = T::Staking::stake(&record.account).ok().map(|stake| stake.active);
		let ledger_alive =
			ledger_active.is_some_and(|active| active >= T::Currency::minimum_balance());
		if let Some(pending) = PendingBonds::<T>::get(pool).filter(|_| ledger_alive) {
			let used = pending.min(amount);
			amount = amount.saturating_sub(used);
			match pending.saturating_sub(used) {
				left if left.is_zero() => PendingBonds::<T>::remove(pool),
				left => PendingBonds::<T>::insert(pool, left),
			}
			if amount.is_zero() {
				staked.ghost_pending = Zero::zero();
				StakedPools::<T>::insert(pool, staked);
				return;
			}
		}
		// On a copy: a failed unbond rolls its withdrawal back, so nothing it noted may stay.
		let mut attempt = staked.clone();
		let unbonded = with_storage_layer(|| {
			// Staking unbonds at most the ledger's active stake: if it holds less than this
			// (what was pending was kept, the ledger being under an existential deposit), bond
			// what is pending first. With no ledger the unbond fails and stays pending.
			if ledger_active.is_some_and(|active| active < amount) {
				Self::bond_pending_of(pool, record)?;
			}
			let era = Self::unbond(pool, &record.account, &mut attempt, amount)?;
			Self::add_ghost(&mut attempt, era, amount)
		});
		match unbonded {
			Ok(()) => {
				staked = attempt;
				staked.ghost_pending = Zero::zero();
			}
			Err(error) => {
				log::warn!(
					target: LOG_TARGET,
					"pool {pool}: unbonding {amount:?} a slash took failed ({error:?}); kept pending",
				);
				staked.ghost_pending = amount;
			}
		}
		StakedPools::<T>::insert(pool, staked);
	}

	/// Note `amount` more ghost unlocking at `era` (merged with the era's ghost if it has one).
	/// Fails only if [`MAX_GHOST_ERAS`] eras already hold one, which cannot happen while the
	/// bonding duration is within it (`integrity_test`): ghosts are added only after a
	/// withdrawal, at the current era plus the bonding duration.
	fn add_ghost(
		staked: &mut StakedPoolOf<T>,
		era: EraIndex,
		amount: BalanceOf<T>,
	) -> DispatchResult {
		if amount.is_zero() {
			return Ok(());
		}
		match staked.ghosts.binary_search_by_key(&era, |(ghost_era, _)| *ghost_era) {
			Ok(index) => {
				let ghost = staked.ghosts.get_mut(index).ok_or(Error::<T>::Overflow)?;
				ghost.1 = ghost.1.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
			}
			Err(index) => staked
				.ghosts
				.try_insert(index, (era, amount))
				.map_err(|_| Error::<T>::TooManyGhostEras)?,
		}
		Ok(())
	}

	/// The ghost unlocking at `era` (zero if none).
	pub(crate) fn ghost_of(staked: &StakedPoolOf<T>, era: EraIndex) -> BalanceOf<T> {
		staked
			.ghosts
			.iter()
			.find(|(ghost_era, _)| *ghost_era == era)
			.map(|(_, amount)| *amount)
			.unwrap_or_default()
	}

	/// Move `pool`'s NPoS rewards from its reward account into its bonded stake. Returns the
	/// PAL compounded (zero if there was nothing, or no LRT holder to give it to).
	pub(crate) fn compound(pool: PoolId) -> Result<BalanceOf<T>, DispatchError> {
		let Some(mut record) = Pools::<T>::get(pool) else { return Ok(Zero::zero()) };
		let Some(staked) = Self::staked_of(pool, &record) else { return Ok(Zero::zero()) };
		let amount = T::Currency::reducible_balance(
			&staked.reward_account,
			Preservation::Expendable,
			Fortitude::Polite,
		);
		if amount.is_zero() || T::Lrt::supply(pool).is_zero() {
			return Ok(Zero::zero());
		}
		T::Currency::transfer(
			&staked.reward_account,
			&record.account,
			amount,
			Preservation::Expendable,
		)?;
		record.active = record.active.checked_add(&amount).ok_or(Error::<T>::Overflow)?;
		Self::bond_more(pool, &record, amount)?;
		// Era payouts can be made late and several at once: they vest like outside rewards.
		let now = T::EpochInfo::current_epoch();
		record.vesting.add(amount, now).ok_or(Error::<T>::Overflow)?;
		let rate = T::Lrt::rate(pool, record.rate_value(now));
		Self::put_pool(pool, record);
		Self::deposit_event(Event::StakingRewardsCompounded { pool, amount, rate });
		Ok(amount)
	}

	/// The first claim of a staked pool's request whose delay passed: take it out of the
	/// queue and unbond what it is paid. Returns the PAL unbonded.
	pub(crate) fn start_unbonding(
		who: &T::AccountId,
		pool: PoolId,
		request_id: RequestId,
		request: &WithdrawalRequestOf<T>,
		mut record: PoolRecordOf<T>,
	) -> Result<BalanceOf<T>, DispatchError> {
		// The ledger must hold what is unbonded: bond what is pending first.
		Self::bond_pending_of(pool, &record)?;
		let mut staked = StakedPools::<T>::get(pool).ok_or(Error::<T>::NotStakedPool)?;
		let (paid, leftover) = Self::leave_queue(pool, request);
		record.queued = record
			.queued
			.checked_sub(&paid.saturating_add(leftover))
			.ok_or(Error::<T>::Overflow)?;
		// Rounding dust nobody in the queue owns goes back to the (still bonded) active stake.
		record.active = record.active.checked_add(&leftover).ok_or(Error::<T>::Overflow)?;
		record.requests = record.requests.saturating_sub(1);
		// A pending ghost is unbonded with it.
		let ghost = core::mem::take(&mut staked.ghost_pending);
		let unlock_era = Self::unbond(
			pool,
			&record.account,
			&mut staked,
			paid.checked_add(&ghost).ok_or(Error::<T>::Overflow)?,
		)?;
		Self::add_ghost(&mut staked, unlock_era, ghost)?;
		let mut chunk = UnbondingChunks::<T>::get(pool, unlock_era).unwrap_or_default();
		let points = chunk.queue.join(paid).ok_or(Error::<T>::Overflow)?;
		chunk.requests = chunk.requests.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let queue_era = chunk.queue.era;
		UnbondingChunks::<T>::insert(pool, unlock_era, chunk);
		UnbondingRequests::<T>::insert(
			who,
			request_id,
			UnbondingPosition { unlock_era, amount: paid, points, queue_era },
		);
		staked.unbonding = staked.unbonding.checked_add(&paid).ok_or(Error::<T>::Overflow)?;
		staked.unbonding_requests = staked.unbonding_requests.saturating_add(1);
		StakedPools::<T>::insert(pool, staked);
		Self::put_pool(pool, record);
		Self::deposit_event(Event::WithdrawalUnbonding {
			who: who.clone(),
			pool,
			request_id,
			amount: paid,
			unlock_era,
		});
		Ok(paid)
	}

	/// The second claim of a staked pool's request: once its chunk unlocked, withdraw it and
	/// take the request out of it. Returns what the request is paid (the caller pays it and
	/// closes the request).
	pub(crate) fn finish_unbonding(
		who: &T::AccountId,
		pool: PoolId,
		request_id: RequestId,
		position: &UnbondingPositionOf<T>,
		account: &T::AccountId,
	) -> Result<BalanceOf<T>, DispatchError> {
		ensure!(T::Staking::current_era() >= position.unlock_era, Error::<T>::StillUnbonding);
		let mut staked = StakedPools::<T>::get(pool).ok_or(Error::<T>::NotStakedPool)?;
		Self::withdraw_unlocked(account, &mut staked)?;
		let mut chunk = UnbondingChunks::<T>::get(pool, position.unlock_era).unwrap_or_default();
		let (paid, leftover) = if chunk.queue.era == position.queue_era {
			chunk.queue.leave(position.points, position.amount)
		} else {
			(Zero::zero(), Zero::zero())
		};
		chunk.requests = chunk.requests.saturating_sub(1);
		// What no request owns any more (rounding dust) is unbonded and unowned: it stays on
		// the pool account.
		let mut released = paid.saturating_add(leftover);
		if chunk.requests == 0 {
			released = released.saturating_add(chunk.queue.value);
			UnbondingChunks::<T>::remove(pool, position.unlock_era);
		} else {
			UnbondingChunks::<T>::insert(pool, position.unlock_era, chunk);
		}
		staked.unbonding = staked.unbonding.saturating_sub(released);
		staked.unbonding_requests = staked.unbonding_requests.saturating_sub(1);
		StakedPools::<T>::insert(pool, staked);
		UnbondingRequests::<T>::remove(who, request_id);
		Ok(paid)
	}

	/// Nominate with a staked pool. See [`Pallet::nominate`].
	pub(crate) fn do_nominate(
		who: &T::AccountId,
		pool: PoolId,
		targets: NominationsOf<T>,
	) -> DispatchResult {
		// Staking's minimum bond checks must see the pool's whole stake: bond what is pending.
		let record = Self::curated_staked_pool(who, pool)?;
		Self::bond_pending_of(pool, &record)?;
		T::Staking::nominate(&record.account, targets.to_vec())?;
		Self::deposit_event(Event::Nominated { pool, targets });
		Ok(())
	}

	/// The account of `pool` if `who` curates it and it is a staked pool still in staking:
	/// what every curator's staking call acts for.
	fn curated_staked_account(
		who: &T::AccountId,
		pool: PoolId,
	) -> Result<T::AccountId, DispatchError> {
		Self::curated_staked_pool(who, pool).map(|record| record.account)
	}

	/// The books of `pool` if `who` curates it and it is a staked pool still in staking.
	fn curated_staked_pool(
		who: &T::AccountId,
		pool: PoolId,
	) -> Result<PoolRecordOf<T>, DispatchError> {
		let record = Self::curated_pool(who, pool)?;
		ensure!(record.collateral == Collateral::NativeStaked, Error::<T>::NotStakedPool);
		let staked = StakedPools::<T>::get(pool).ok_or(Error::<T>::NotStakedPool)?;
		ensure!(!staked.unstaked, Error::<T>::PoolUnstaked);
		Ok(record)
	}

	/// Make a staked pool's stash a validator. See [`Pallet::validate`].
	pub(crate) fn do_validate(
		who: &T::AccountId,
		pool: PoolId,
		commission: Perbill,
		blocked: bool,
	) -> DispatchResult {
		let record = Self::curated_staked_pool(who, pool)?;
		ensure!(T::Validation::has_keys(&record.account), Error::<T>::NoSessionKeys);
		// Staking's minimum bond checks must see the pool's whole stake: bond what is pending.
		Self::bond_pending_of(pool, &record)?;
		T::Validation::validate(&record.account, commission, blocked)?;
		Self::deposit_event(Event::Validating { pool, commission, blocked });
		Ok(())
	}

	/// Set the session keys of a staked pool's stash. See [`Pallet::set_session_keys`].
	pub(crate) fn do_set_session_keys(
		who: &T::AccountId,
		pool: PoolId,
		keys: &[u8],
		proof: &[u8],
	) -> DispatchResult {
		let account = Self::curated_staked_account(who, pool)?;
		T::Validation::set_keys(&account, keys, proof)?;
		Self::deposit_event(Event::SessionKeysSet { pool });
		Ok(())
	}

	/// Stop a staked pool's nominations. See [`Pallet::chill`].
	pub(crate) fn do_chill(who: &T::AccountId, pool: PoolId) -> DispatchResult {
		let account = Self::curated_staked_account(who, pool)?;
		T::Staking::chill(&account)?;
		Self::deposit_event(Event::Chilled { pool });
		Ok(())
	}

	/// Take an empty staked pool out of staking. See [`Pallet::unstake_pool`].
	pub(crate) fn do_unstake_pool(who: &T::AccountId, pool: PoolId) -> DispatchResult {
		let mut record = Self::curated_pool(who, pool)?;
		ensure!(record.collateral == Collateral::NativeStaked, Error::<T>::NotStakedPool);
		let mut staked = StakedPools::<T>::get(pool).ok_or(Error::<T>::NotStakedPool)?;
		ensure!(!staked.unstaked, Error::<T>::PoolUnstaked);
		Self::ensure_pool_empty(pool, &record)?;
		let account = &record.account;
		// The keys go first, releasing the consumer reference session keeps on the account.
		if T::Validation::has_keys(account) {
			T::Validation::purge_keys(account)?;
		}
		// What is left bonded is the seed and ghosts: no funds of anybody's. The PAL never left
		// the pool account (a virtual staker's funds stay with this pallet).
		if T::Staking::stake(account).is_ok() {
			T::Staking::force_unstake(account.clone())?;
		}
		// Staking pays no reward once the ledger is gone, and with no LRT left nobody can
		// compound what it paid after the last holder left: that goes to the creator with the
		// seed (value no LRT owns) rather than stay on a keyless account nobody can move. Best
		// effort: a transfer that cannot be made leaves it where it is.
		Self::sweep_reward_account(&staked.reward_account, &record.depositor);
		// Nothing is bonded any more: nothing is pending either.
		PendingBonds::<T>::remove(pool);
		staked.unstaked = true;
		staked.ghost_pending = Zero::zero();
		staked.ghosts = Default::default();
		StakedPools::<T>::insert(pool, staked);
		if record.state != PoolState::Closed {
			record.state = PoolState::Closed;
			Pools::<T>::insert(pool, record);
			Self::deposit_event(Event::PoolStateSet { pool, state: PoolState::Closed });
		}
		Self::deposit_event(Event::PoolUnstaked { pool });
		Ok(())
	}

	/// Move what `reward_account` holds to `to` (kept as is if the transfer fails).
	fn sweep_reward_account(reward_account: &T::AccountId, to: &T::AccountId) {
		let stranded = T::Currency::reducible_balance(
			reward_account,
			Preservation::Expendable,
			Fortitude::Polite,
		);
		if stranded.is_zero() {
			return;
		}
		let swept = with_storage_layer(|| {
			T::Currency::transfer(reward_account, to, stranded, Preservation::Expendable)
		});
		if let Err(error) = swept {
			log::warn!(
				target: LOG_TARGET,
				"NPoS rewards {stranded:?} left on {reward_account:?} ({error:?})",
			);
		}
	}

	/// Whether `pool` (a staked pool) left staking and may close; its NPoS record goes then.
	/// Requests cannot be unbonding (the pool is empty), so no chunk is left either.
	pub(crate) fn close_staked_pool(pool: PoolId) -> DispatchResult {
		let staked = StakedPools::<T>::get(pool);
		ensure!(staked.as_ref().is_none_or(|staked| staked.unstaked), Error::<T>::PoolStillStaked);
		StakedPools::<T>::remove(pool);
		Ok(())
	}

	/// Whether a staked pool is still in staking: it may not be opened to deposits again.
	pub(crate) fn is_unstaked(pool: PoolId) -> bool {
		StakedPools::<T>::get(pool).is_some_and(|staked| staked.unstaked)
	}

	/// Whether a staked pool may close: no request is in its unbonding phase. The NPoS record
	/// is read for a staked pool only (`record` is `pool`'s books).
	pub(crate) fn staked_pool_is_empty(pool: PoolId, record: &PoolRecordOf<T>) -> bool {
		Self::staked_of(pool, record).is_none_or(|staked| staked.unbonding_requests == 0)
	}

	/// NPoS slashed `stash`: if it is a staked pool, take what staking took from its ledger.
	/// `active_after` and `chunks_after` (era → value) are the ledger's values after the
	/// slash (what `OnStakingUpdate::on_slash` reports).
	pub fn on_npos_slash(
		stash: &T::AccountId,
		active_after: BalanceOf<T>,
		chunks_after: &BTreeMap<EraIndex, BalanceOf<T>>,
	) {
		let Some(pool) = PoolOfAccount::<T>::get(stash) else { return };
		let Some(mut record) = Pools::<T>::get(pool) else { return };
		let Some(mut staked) = Self::staked_of(pool, &record) else { return };
		let beneficiary = T::NposSlashBeneficiary::get();

		// The bonded part: the pending ghost bears its share (no funds behind it), the rest
		// falls on the LRT holders and the queue as a service slash of every epoch would. The
		// seed is touched only by what they cannot cover: kept at an existential deposit, it
		// keeps staking's dust rule from ever unbonding more than asked.
		let Some(books) = Self::books_bonded(&record, &staked) else {
			frame_support::defensive!("a staked pool's books overflow");
			return;
		};
		// The ledger's active stake before the slash: the books less what is still pending
		// (never bonded, so staking could not take it).
		let bonded = books.saturating_sub(PendingBonds::<T>::get(pool).unwrap_or_default());
		let slashed = bonded.saturating_sub(active_after);
		let mut from_bonded = Zero::zero();
		let mut from_ghost = BalanceOf::<T>::zero();
		if !slashed.is_zero() {
			let mut ghost_part = slashed
				.multiply_rational(staked.ghost_pending, bonded, Rounding::Down)
				.unwrap_or_default()
				.min(staked.ghost_pending);
			let rest = slashed.saturating_sub(ghost_part);
			let books_part = rest.min(record.active.saturating_add(record.queued));
			let seed_part = rest.saturating_sub(books_part).min(record.seed);
			// Rounding left over once the books and seed are exhausted falls on the ghost, so
			// the books take exactly what staking took.
			ghost_part = ghost_part
				.saturating_add(rest.saturating_sub(books_part).saturating_sub(seed_part))
				.min(staked.ghost_pending);
			staked.ghost_pending = staked.ghost_pending.saturating_sub(ghost_part);
			from_ghost = from_ghost.saturating_add(ghost_part);
			StakedPools::<T>::insert(pool, staked.clone());
			if !seed_part.is_zero() {
				record.seed = record.seed.saturating_sub(seed_part);
				Pools::<T>::insert(pool, record.clone());
				Self::seize_or_owe(pool, seed_part, beneficiary.clone());
			}
			if !books_part.is_zero() {
				from_bonded = Self::slash_books(pool, books_part, 0, beneficiary.clone(), false);
			}
		}

		// The unbonding part, chunk by chunk.
		let mut from_unbonding = BalanceOf::<T>::zero();
		let Some(mut staked) = StakedPools::<T>::get(pool) else { return };
		for (era, after) in chunks_after.iter() {
			let mut chunk = UnbondingChunks::<T>::get(pool, era);
			let queued = chunk.as_ref().map(|chunk| chunk.queue.value).unwrap_or_default();
			let ghost = Self::ghost_of(&staked, *era);
			let before = queued.saturating_add(ghost);
			let slashed = before.saturating_sub(*after);
			if slashed.is_zero() {
				continue;
			}
			let real = slashed
				.multiply_rational(queued, before, Rounding::Up)
				.unwrap_or(queued)
				.min(queued);
			let ghost_part = slashed.saturating_sub(real).min(ghost);
			if !ghost_part.is_zero() {
				for entry in staked.ghosts.iter_mut().filter(|(ghost_era, _)| ghost_era == era) {
					entry.1 = entry.1.saturating_sub(ghost_part);
				}
				staked.ghosts.retain(|(_, amount)| !amount.is_zero());
				from_ghost = from_ghost.saturating_add(ghost_part);
			}
			if let Some(chunk) = chunk.as_mut().filter(|_| !real.is_zero()) {
				let _wiped = chunk.queue.slash(real);
				staked.unbonding = staked.unbonding.saturating_sub(real);
				from_unbonding = from_unbonding.saturating_add(real);
				UnbondingChunks::<T>::insert(pool, era, *chunk);
			}
		}
		StakedPools::<T>::insert(pool, staked);
		Self::seize_or_owe(pool, from_unbonding, beneficiary);
		let now = T::EpochInfo::current_epoch();
		let active = Pools::<T>::get(pool).map(|record| record.rate_value(now)).unwrap_or_default();
		Self::deposit_event(Event::NposSlashed {
			pool,
			from_bonded,
			from_unbonding,
			from_ghost,
			rate: T::Lrt::rate(pool, active),
		});
	}
}

impl<T: Config> Pallet<T> {
	/// Pay `amount` of `pool`'s PAL, taken by an NPoS slash, to `beneficiary` (or burn it). If
	/// it cannot move now the pool owes it, like any slash it could not pay: it is retried at
	/// epoch starts and by `settle_slash`, never dropped.
	fn seize_or_owe(pool: PoolId, amount: BalanceOf<T>, beneficiary: Option<T::AccountId>) {
		let Some(mut record) = Pools::<T>::get(pool) else { return };
		if amount.is_zero() {
			return;
		}
		let seized = with_storage_layer(|| {
			Self::seize_collateral(
				pool,
				&record.account,
				Collateral::Native,
				amount,
				beneficiary.as_ref(),
			)
		});
		if let Err(error) = seized {
			log::warn!(
				target: LOG_TARGET,
				"pool {pool}: an NPoS slash of {amount:?} could not be paid out ({error:?}); owed",
			);
			record.owed = record.owed.saturating_add(amount);
			Self::owe(pool, amount, beneficiary.clone());
			Pools::<T>::insert(pool, record);
			Self::deposit_event(Event::SlashOwed { pool, amount, beneficiary });
		}
	}
}

/// Staking's reports of its slashes reach the staked pools through this (the runtime lists the
/// pallet among staking's `EventListeners`).
impl<T: Config> sp_staking::OnStakingUpdate<T::AccountId, BalanceOf<T>> for Pallet<T> {
	fn on_slash(
		stash: &T::AccountId,
		slashed_active: BalanceOf<T>,
		slashed_unlocking: &BTreeMap<EraIndex, BalanceOf<T>>,
		_slashed_total: BalanceOf<T>,
	) {
		Self::on_npos_slash(stash, slashed_active, slashed_unlocking);
	}
}
