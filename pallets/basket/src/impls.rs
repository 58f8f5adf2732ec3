//! The `do_*` functions the calls delegate to, and the basket's value.

use crate::*;
use alloc::{format, vec::Vec};
use frame_support::{
	defensive, ensure,
	pallet_prelude::{DispatchError, Weight},
	storage::with_storage_layer,
	traits::{
		fungible::{self, MutateHold},
		fungibles::{self, metadata::MetadataDeposit},
		tokens::{Fortitude, Precision, Preservation},
		Get,
	},
};
use palisade_primitives::{AssetId, PoolDeposits, PoolId, PoolRewardsSource};
use sp_arithmetic::{MultiplyRational, Rounding};
use sp_runtime::{
	traits::{AccountIdConversion, CheckedAdd, CheckedSub, One, Saturating, Zero},
	Perbill,
};

/// What a deposit did: the tokens minted, and for its weight the pools deposited into, the
/// other pools valued, and the weight their reward claims used.
pub(crate) struct DepositOutcome<Balance> {
	/// Basket tokens minted to the depositor (read by the tests and benchmarks).
	#[cfg_attr(not(feature = "runtime-benchmarks"), allow(dead_code))]
	pub tokens: Balance,
	/// Pools deposited into.
	pub deposited: u32,
	/// Pools only valued (retired or closed).
	pub valued: u32,
	/// The weight the reward claims of the pools only valued used.
	pub claims: Weight,
}

impl<T: Config> Pallet<T> {
	/// The account owning every basket token (and paying their metadata deposits).
	pub fn account_id() -> T::AccountId {
		T::PalletId::get().into_account_truncating()
	}

	/// The keyless account of `basket`, holding its pool LRT: this pallet's sub-account for
	/// `basket + 1` (the sub-account for 0 would be this pallet's own account, which owns the
	/// tokens and holds their metadata deposits).
	pub fn basket_account(basket: BasketId) -> T::AccountId {
		T::PalletId::get().into_sub_account_truncating(u64::from(basket).saturating_add(1))
	}

	/// The token asset id of `basket`, `None` if it overflows.
	pub fn token_asset_id(basket: BasketId) -> Option<AssetId> {
		T::BasketAssetIdOffset::get().checked_add(basket)
	}

	/// The basket's value in PAL: `Σ held_i × rate_i`, each term rounded down (what redeeming
	/// all of the basket's pool LRT would pay). Zero for an unknown basket.
	pub fn basket_value(basket: BasketId) -> BalanceOf<T> {
		BasketPools::<T>::get(basket).iter().fold(Zero::zero(), |sum: BalanceOf<T>, entry| {
			sum.saturating_add(T::Pools::lrt_value(entry.pool, entry.lrt))
		})
	}

	/// Check target weights: at least two pools, each once, each an open native pool unless
	/// `kept` says it may stay as it is (a pool the basket weights already), every weight
	/// non-zero, summing to exactly 100%.
	fn check_weights(
		weights: &WeightsOf<T>,
		kept: impl Fn(PoolId) -> bool,
	) -> Result<(), DispatchError> {
		ensure!(weights.len() >= 2, Error::<T>::TooFewPools);
		let mut total: u64 = 0;
		let mut seen: Vec<PoolId> = Vec::with_capacity(weights.len());
		for (pool, weight) in weights.iter() {
			ensure!(!weight.is_zero(), Error::<T>::ZeroWeight);
			ensure!(!seen.contains(pool), Error::<T>::DuplicatePool);
			seen.push(*pool);
			ensure!(
				kept(*pool) || T::Pools::is_open_native_pool(*pool),
				Error::<T>::PoolNotEligible
			);
			total = total.saturating_add(u64::from(weight.deconstruct()));
		}
		ensure!(total == u64::from(Perbill::one().deconstruct()), Error::<T>::WeightsNotWhole);
		Ok(())
	}

	/// Create a basket. See [`Pallet::create_basket`].
	pub(crate) fn do_create_basket(
		who: &T::AccountId,
		weights: WeightsOf<T>,
	) -> Result<BasketId, DispatchError> {
		Self::check_weights(&weights, |_| false)?;
		let basket = NextBasketId::<T>::get();
		let next = basket.checked_add(1).ok_or(Error::<T>::Overflow)?;
		let asset_id = Self::token_asset_id(basket).ok_or(Error::<T>::AssetIdOverflow)?;
		ensure!(
			!<T::Assets as fungibles::Inspect<_>>::asset_exists(asset_id),
			Error::<T>::AssetIdTaken
		);

		let deposit = T::BasketDeposit::get();
		T::Currency::hold(&HoldReason::BasketDeposit.into(), who, deposit)?;

		// The metadata deposit is reserved on this pallet's account, which must keep the
		// existential deposit free to stay alive; the basket's account needs the existential
		// deposit too (the pools take deposits from it keeping it alive). The curator pays.
		let pallet_account = Self::account_id();
		let name: Vec<u8> = format!("Palisade basket #{basket}").into_bytes();
		let symbol: Vec<u8> = format!("bLRT{basket}").into_bytes();
		let metadata_deposit = T::Assets::calc_metadata_deposit(&name, &symbol);
		let ed = <T::Currency as fungible::Inspect<_>>::minimum_balance();
		let top_up =
			ed.saturating_sub(<T::Currency as fungible::Inspect<_>>::balance(&pallet_account));
		let funding = metadata_deposit.checked_add(&top_up).ok_or(Error::<T>::Overflow)?;
		Self::pay(who, &pallet_account, funding)?;
		let account = Self::basket_account(basket);
		let account_top_up =
			ed.saturating_sub(<T::Currency as fungible::Inspect<_>>::balance(&account));
		Self::pay(who, &account, account_top_up)?;

		<T::Assets as fungibles::Create<_>>::create(
			asset_id,
			pallet_account.clone(),
			true,
			T::MinTokenBalance::get(),
		)?;
		<T::Assets as fungibles::metadata::Mutate<_>>::set(
			asset_id,
			&pallet_account,
			name,
			symbol,
			T::NativeDecimals::get(),
		)?;

		let pools: BasketPoolsOf<T> = weights
			.iter()
			.map(|(pool, weight)| BasketPool { pool: *pool, weight: *weight, lrt: Zero::zero() })
			.collect::<Vec<_>>()
			.try_into()
			.map_err(|_| Error::<T>::Overflow)?;
		Baskets::<T>::insert(
			basket,
			BasketRecord {
				curator: who.clone(),
				account: account.clone(),
				deposit,
				asset_id,
				supply: Zero::zero(),
				state: BasketState::Open,
			},
		);
		BasketPools::<T>::insert(basket, pools);
		NextBasketId::<T>::put(next);
		Self::deposit_event(Event::BasketCreated {
			basket,
			curator: who.clone(),
			asset_id,
			account,
			weights,
			deposit,
		});
		Ok(basket)
	}

	/// Set a basket's target weights. See [`Pallet::set_weights`].
	pub(crate) fn do_set_weights(
		who: &T::AccountId,
		basket: BasketId,
		weights: WeightsOf<T>,
	) -> Result<(), DispatchError> {
		let record = Baskets::<T>::get(basket).ok_or(Error::<T>::UnknownBasket)?;
		ensure!(&record.curator == who, Error::<T>::NotCurator);
		ensure!(record.state == BasketState::Open, Error::<T>::BasketClosing);
		let old = BasketPools::<T>::get(basket);
		// A pool the basket weights already is kept even if it closed since (deposits skip it
		// while it is closed); a new one, or a retired one weighted again, must be open.
		Self::check_weights(&weights, |pool| {
			old.iter().any(|entry| entry.pool == pool && !entry.weight.is_zero())
		})?;

		// The weighted pools in the curator's order, with what the basket holds of them...
		let mut pools: Vec<BasketPool<BalanceOf<T>>> = weights
			.iter()
			.map(|(pool, weight)| BasketPool {
				pool: *pool,
				weight: *weight,
				lrt: old
					.iter()
					.find(|entry| entry.pool == *pool)
					.map_or_else(Zero::zero, |entry| entry.lrt),
			})
			.collect();
		// ...then every other pool it holds LRT of, retired (a pool holding nothing is dropped).
		let mut retired: Vec<PoolId> = Vec::new();
		for entry in old.iter() {
			if !entry.lrt.is_zero() && !weights.iter().any(|(pool, _)| *pool == entry.pool) {
				retired.push(entry.pool);
				pools.push(BasketPool { weight: Perbill::zero(), ..*entry });
			}
		}
		let pools: BasketPoolsOf<T> = pools.try_into().map_err(|_| Error::<T>::TooManyHeldPools)?;
		let retired: RetiredOf<T> = retired.try_into().map_err(|_| Error::<T>::TooManyHeldPools)?;
		BasketPools::<T>::insert(basket, pools);
		Self::deposit_event(Event::WeightsSet { basket, weights, retired });
		Ok(())
	}

	/// Deposit into a basket. See [`Pallet::deposit`].
	pub(crate) fn do_deposit(
		who: &T::AccountId,
		basket: BasketId,
		amount: BalanceOf<T>,
	) -> Result<DepositOutcome<BalanceOf<T>>, DispatchError> {
		let mut record = Baskets::<T>::get(basket).ok_or(Error::<T>::UnknownBasket)?;
		ensure!(record.state == BasketState::Open, Error::<T>::BasketClosing);
		ensure!(amount >= T::MinDeposit::get(), Error::<T>::BelowMinDeposit);
		let mut pools = BasketPools::<T>::get(basket);
		let held_before: Vec<BalanceOf<T>> = pools.iter().map(|entry| entry.lrt).collect();

		// The pools taking a part: weighted and open. The closed ones' weights are shared
		// among them in proportion (`W` is the open pools' total weight).
		let open: Vec<bool> = pools
			.iter()
			.map(|entry| !entry.weight.is_zero() && T::Pools::is_open_native_pool(entry.pool))
			.collect();
		let mut open_weight: BalanceOf<T> = Zero::zero();
		for (entry, _) in pools.iter().zip(&open).filter(|(_, open)| **open) {
			open_weight = open_weight
				.checked_add(&entry.weight.deconstruct().into())
				.ok_or(Error::<T>::Overflow)?;
		}
		ensure!(!open_weight.is_zero(), Error::<T>::NoOpenPool);
		let last = open.iter().rposition(|open| *open).ok_or(Error::<T>::NoOpenPool)?;

		// The PAL goes through the basket's account: the pools take it from there.
		Self::pay(who, &record.account, amount)?;
		let mut remaining = amount;
		let mut spent: BalanceOf<T> = Zero::zero();
		let mut minted: Vec<BalanceOf<T>> = Vec::with_capacity(pools.len());
		let mut parts: Vec<(PoolId, BalanceOf<T>, BalanceOf<T>)> = Vec::with_capacity(pools.len());
		let mut claims = Weight::zero();
		for (i, (entry, open)) in pools.iter_mut().zip(&open).enumerate() {
			if !*open {
				// Not deposited into: its outside rewards enter its rate before the basket is
				// valued, as the deposits claim them for the others.
				if !entry.lrt.is_zero() {
					claims = claims.saturating_add(T::Rewards::claim_for_pool(entry.pool));
				}
				minted.push(Zero::zero());
				continue;
			}
			// `⌊amount × w_i / W⌋` for every open pool but the last, which takes the
			// remainder: the parts sum to `amount` exactly.
			let part = if i == last {
				remaining
			} else {
				amount
					.multiply_rational(
						entry.weight.deconstruct().into(),
						open_weight,
						Rounding::Down,
					)
					.ok_or(Error::<T>::Overflow)?
			};
			remaining = remaining.checked_sub(&part).ok_or(Error::<T>::Overflow)?;
			let conversion = T::Pools::deposit_as(&record.account, entry.pool, part)?;
			spent = spent.checked_add(&conversion.value).ok_or(Error::<T>::Overflow)?;
			entry.lrt = entry.lrt.checked_add(&conversion.lrt).ok_or(Error::<T>::Overflow)?;
			minted.push(conversion.lrt);
			parts.push((entry.pool, conversion.value, conversion.lrt));
		}

		// Valued after the deposits and claims, at the pools' rates with their rewards claimed:
		// the newcomer does not buy into rewards earned before. The basket's value before (every
		// pool it holds, retired and closed ones too) is rounded up and the value brought in
		// down.
		let mut value_before: BalanceOf<T> = Zero::zero();
		let mut value_in: BalanceOf<T> = Zero::zero();
		for ((entry, before), minted) in pools.iter().zip(&held_before).zip(&minted) {
			let down = T::Pools::lrt_value(entry.pool, *before);
			// `⌊x⌋ + 1 ≥ ⌈x⌉`; a worthless holding (a wiped-out pool) stays zero.
			if !down.is_zero() {
				let up = down.saturating_add(One::one());
				value_before = value_before.checked_add(&up).ok_or(Error::<T>::Overflow)?;
			}
			if !minted.is_zero() {
				value_in = value_in
					.checked_add(&T::Pools::lrt_value(entry.pool, *minted))
					.ok_or(Error::<T>::Overflow)?;
			}
		}
		let supply_before = record.supply;
		let tokens = if supply_before.is_zero() {
			value_in
		} else {
			ensure!(!value_before.is_zero(), Error::<T>::BasketWipedOut);
			value_in
				.multiply_rational(supply_before, value_before, Rounding::Down)
				.ok_or(Error::<T>::Overflow)?
		};
		ensure!(!tokens.is_zero(), Error::<T>::NothingMinted);

		// What the pools did not take goes back.
		let refund = amount.checked_sub(&spent).ok_or(Error::<T>::Overflow)?;
		Self::pay(&record.account, who, refund)?;

		record.supply = supply_before.checked_add(&tokens).ok_or(Error::<T>::Overflow)?;
		<T::Assets as fungibles::Mutate<_>>::mint_into(record.asset_id, who, tokens)?;
		let deposited = parts.len() as u32;
		let valued = (pools.len() as u32).saturating_sub(deposited);
		Baskets::<T>::insert(basket, record);
		BasketPools::<T>::insert(basket, pools);
		Self::deposit_event(Event::Deposited {
			who: who.clone(),
			basket,
			amount: spent,
			tokens,
			value_before,
			supply_before,
			parts: parts.try_into().map_err(|_| Error::<T>::Overflow)?,
		});
		Ok(DepositOutcome { tokens, deposited, valued, claims })
	}

	/// Redeem basket tokens for pool LRT. Returns the number of pools held before and whether
	/// the basket was closed (its last token redeemed while closing). See [`Pallet::redeem`].
	pub(crate) fn do_redeem(
		who: &T::AccountId,
		basket: BasketId,
		tokens: BalanceOf<T>,
	) -> Result<(u32, bool), DispatchError> {
		let mut record = Baskets::<T>::get(basket).ok_or(Error::<T>::UnknownBasket)?;
		ensure!(!tokens.is_zero(), Error::<T>::ZeroAmount);
		ensure!(
			<T::Assets as fungibles::Inspect<_>>::balance(record.asset_id, who) >= tokens,
			Error::<T>::InsufficientTokens
		);
		// `Expendable`: a remainder below the minimum balance is burnt too (and paid for).
		let burnt = <T::Assets as fungibles::Mutate<_>>::burn_from(
			record.asset_id,
			who,
			tokens,
			Preservation::Expendable,
			Precision::Exact,
			Fortitude::Polite,
		)?;
		let supply = record.supply;
		ensure!(burnt <= supply, Error::<T>::Overflow);

		let mut pools = BasketPools::<T>::get(basket);
		let count = pools.len() as u32;
		let mut paid: Vec<(PoolId, BalanceOf<T>)> = Vec::with_capacity(pools.len());
		for entry in pools.iter_mut() {
			let share = Self::share_of(entry, burnt, supply, who)?;
			if !share.is_zero() {
				<T::Assets as fungibles::Mutate<_>>::transfer(
					T::Pools::lrt_asset_id(entry.pool),
					&record.account,
					who,
					share,
					Preservation::Expendable,
				)?;
			}
			entry.lrt = entry.lrt.checked_sub(&share).ok_or(Error::<T>::Overflow)?;
			paid.push((entry.pool, share));
		}
		record.supply = supply.checked_sub(&burnt).ok_or(Error::<T>::Overflow)?;
		// The last token took every pool LRT: the retired pools hold nothing any more.
		if record.supply.is_zero() {
			pools.retain(|entry| !entry.weight.is_zero());
		}
		Self::deposit_event(Event::Redeemed {
			who: who.clone(),
			basket,
			tokens: burnt,
			paid: paid.try_into().map_err(|_| Error::<T>::Overflow)?,
		});
		if record.supply.is_zero() && record.state == BasketState::Closing {
			Self::finish_close(basket, record);
			return Ok((count, true));
		}
		Baskets::<T>::insert(basket, record);
		BasketPools::<T>::insert(basket, pools);
		Ok((count, false))
	}

	/// Close a basket. Returns whether it was removed at once (no token left). See
	/// [`Pallet::close_basket`].
	pub(crate) fn do_close_basket(
		who: &T::AccountId,
		basket: BasketId,
	) -> Result<bool, DispatchError> {
		let mut record = Baskets::<T>::get(basket).ok_or(Error::<T>::UnknownBasket)?;
		ensure!(&record.curator == who, Error::<T>::NotCurator);
		ensure!(record.state == BasketState::Open, Error::<T>::BasketClosing);
		record.state = BasketState::Closing;
		Self::deposit_event(Event::BasketClosing { basket, supply: record.supply });
		if record.supply.is_zero() {
			Self::finish_close(basket, record);
			return Ok(true);
		}
		Baskets::<T>::insert(basket, record);
		Ok(false)
	}

	/// Remove a closing basket whose last token was redeemed: release the creation deposit,
	/// destroy the token (best effort), send the curator the metadata deposit and the PAL the
	/// basket's account can spare, remove its storage. Never fails: it ends the last
	/// redemption, which must go through. The basket's record is removed, so it runs once.
	pub(crate) fn finish_close(basket: BasketId, record: BasketRecordOf<T>) {
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
		let metadata = with_storage_layer(|| Self::destroy_token(record.asset_id, curator)).ok();
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
		Baskets::<T>::remove(basket);
		BasketPools::<T>::remove(basket);
		Self::deposit_event(Event::BasketClosed {
			basket,
			curator: curator.clone(),
			deposit,
			refunded: metadata.unwrap_or_else(Zero::zero).saturating_add(spare),
			token_destroyed: metadata.is_some(),
		});
	}

	/// Destroy an empty basket token, if at most [`MAX_DESTROY_ITEMS`] approvals of it are
	/// left (no account is: its supply is zero, only this pallet touches it, and the runtime
	/// refuses `touch` on it), and send its metadata deposit (unreserved on this pallet's
	/// account) to `refund_to`. Returns the metadata deposit. Run it in a storage layer: it
	/// fails half-way when approvals remain.
	fn destroy_token(
		asset: AssetId,
		refund_to: &T::AccountId,
	) -> Result<BalanceOf<T>, DispatchError> {
		let account = Self::account_id();
		let free_before = <T::Currency as fungible::Inspect<_>>::balance(&account);
		<T::Assets as fungibles::Destroy<_>>::start_destroy(asset, None)?;
		<T::Assets as fungibles::Destroy<_>>::destroy_accounts(asset, MAX_DESTROY_ITEMS)?;
		<T::Assets as fungibles::Destroy<_>>::destroy_approvals(asset, MAX_DESTROY_ITEMS)?;
		<T::Assets as fungibles::Destroy<_>>::finish_destroy(asset)?;
		let refunded =
			<T::Currency as fungible::Inspect<_>>::balance(&account).saturating_sub(free_before);
		Self::pay(&account, refund_to, refunded)?;
		Ok(refunded)
	}

	/// The pool LRT of `entry` that burning `burnt` tokens out of `supply` pays `who`:
	/// `⌊held × burnt / supply⌋`, all of it for the whole supply; lowered so the basket keeps
	/// at least the LRT's minimum balance or nothing, and zero if `who` has no account of
	/// that LRT and the share is below its minimum balance (it could not be created).
	fn share_of(
		entry: &BasketPool<BalanceOf<T>>,
		burnt: BalanceOf<T>,
		supply: BalanceOf<T>,
		who: &T::AccountId,
	) -> Result<BalanceOf<T>, DispatchError> {
		if burnt == supply {
			return Ok(entry.lrt);
		}
		let mut share = entry
			.lrt
			.multiply_rational(burnt, supply, Rounding::Down)
			.ok_or(Error::<T>::Overflow)?;
		let asset = T::Pools::lrt_asset_id(entry.pool);
		let min = <T::Assets as fungibles::Inspect<_>>::minimum_balance(asset);
		if entry.lrt.saturating_sub(share) < min {
			share = entry.lrt.saturating_sub(min);
		}
		if share < min && <T::Assets as fungibles::Inspect<_>>::balance(asset, who).is_zero() {
			share = Zero::zero();
		}
		Ok(share)
	}

	/// Transfer native `amount` from `from` to `to`, keeping `from` alive.
	fn pay(
		from: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<(), DispatchError> {
		if !amount.is_zero() {
			<T::Currency as fungible::Mutate<_>>::transfer(
				from,
				to,
				amount,
				Preservation::Preserve,
			)?;
		}
		Ok(())
	}
}
