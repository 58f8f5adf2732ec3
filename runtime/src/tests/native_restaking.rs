//! Native restaking against the real `pallet-staking`: a staked pool's PAL is bonded as a
//! virtual staker, nominates a validator, is elected into its exposure, earns its share of the
//! era payout (compounded into the LRT rate) and bears an NPoS slash of that validator, each
//! amount exactly what staking says; the pools' books agree with staking's ledger throughout.

use frame_support::{assert_noop, assert_ok, traits::RewardsReporter};
use palisade_primitives::{Collateral, PoolId};
use sp_keyring::Sr25519Keyring::{Eve, Ferdie};
use sp_runtime::Perbill;
use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

use super::{account, ext_from_preset, run_to_block};
use crate::{
	currency::UNITS, AccountId, Balances, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
	Session, SessionKeys, Staking, System,
};
use codec::Encode;
use frame_support::traits::fungible::Inspect;

type Pools = crate::RestakingPools;

fn signed(who: &AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who.clone())
}

fn record(pool: PoolId) -> pallet_restaking_pools::PoolRecordOf<Runtime> {
	pallet_restaking_pools::Pools::<Runtime>::get(pool).expect("the pool exists")
}

fn ledger_active(pool: PoolId) -> u128 {
	pallet_staking::Ledger::<Runtime>::get(record(pool).account).expect("bonded").active
}

fn active_era() -> u32 {
	pallet_staking::ActiveEra::<Runtime>::get().expect("an active era").index
}

/// Runs blocks until era `era` is active, the clock moving one slot per block (an era's
/// payout depends on its duration).
fn run_to_era(era: u32) {
	while active_era() < era {
		let next = System::block_number() + 1;
		run_to_block(next);
		pallet_timestamp::Now::<Runtime>::put(u64::from(next) * crate::time::SLOT_DURATION);
	}
}

/// A staked pool of `curator` holding `amount` of its PAL (nothing if 0).
fn staked_pool(curator: &AccountId, amount: u128) -> PoolId {
	let pool = pallet_restaking_pools::NextPoolId::<Runtime>::get();
	assert_ok!(Pools::create_pool(
		signed(curator),
		Collateral::NativeStaked,
		b"staked".to_vec().try_into().unwrap(),
		u128::MAX,
	));
	if amount > 0 {
		assert_ok!(Pools::deposit(signed(curator), pool, amount));
	}
	pool
}

/// `curator` sets session keys made for `pool`'s account, as its node would make them.
fn set_pool_keys(curator: &AccountId, pool: PoolId) {
	let keys = SessionKeys::generate(&record(pool).account.encode(), None);
	assert_ok!(Pools::set_session_keys(
		signed(curator),
		pool,
		keys.keys.encode().try_into().unwrap(),
		keys.proof.encode().try_into().unwrap()
	));
}

#[cfg(feature = "try-runtime")]
fn check_books() {
	Pools::do_try_state().expect("the pools' books agree with staking's ledger");
}
#[cfg(not(feature = "try-runtime"))]
fn check_books() {}

#[test]
fn a_staked_pool_earns_npos_rewards_and_bears_npos_slashes_exactly_once() {
	ext_from_preset("local_testnet").execute_with(|| {
		let eve = account(Eve);
		let ferdie = account(Ferdie);

		// Given Eve validates (not invulnerable, unlike the genesis validators) and Ferdie
		// curates a staked pool holding 10,000 PAL of his that nominates her.
		assert_ok!(Staking::bond(
			signed(&eve),
			200_000 * UNITS,
			pallet_staking::RewardDestination::Stash
		));
		let keys = SessionKeys::generate(&eve.encode(), None);
		assert_ok!(Session::set_keys(signed(&eve), keys.keys, keys.proof.encode()));
		assert_ok!(Staking::validate(signed(&eve), Default::default()));
		assert_ok!(Staking::set_validator_count(RuntimeOrigin::root(), 5));

		let pool = staked_pool(&ferdie, 10_000 * UNITS);
		assert_ok!(Pools::nominate(signed(&ferdie), pool, vec![eve.clone()].try_into().unwrap()));
		let stash = record(pool).account;
		let seed = record(pool).seed;
		assert!(pallet_staking::VirtualStakers::<Runtime>::contains_key(&stash));
		assert_eq!(ledger_active(pool), 10_000 * UNITS + seed);
		check_books();

		// When an era passes, the pool is in Eve's exposure.
		run_to_era(1);
		let exposed = pallet_staking::ErasStakersPaged::<Runtime>::get((1, &eve, 0))
			.expect("eve's exposure page");
		assert!(exposed.others.iter().any(|i| i.who == stash && i.value == 10_000 * UNITS + seed));

		// And when Eve earns every era point of era 1 and the era is paid out...
		<Staking as RewardsReporter<AccountId>>::reward_by_ids(vec![(eve.clone(), 1_000)]);
		run_to_era(2);
		System::reset_events();
		assert_ok!(Staking::payout_stakers(signed(&ferdie), eve.clone(), 1));
		let reward_account = Pools::reward_account(pool);
		let paid: u128 = System::events()
			.into_iter()
			.filter_map(|r| match r.event {
				RuntimeEvent::Staking(pallet_staking::Event::Rewarded { stash: s, amount, .. })
					if s == stash =>
				{
					Some(amount)
				}
				_ => None,
			})
			.sum();
		assert!(paid > 0, "the pool earned its share of the payout");
		assert_eq!(Balances::balance(&reward_account), paid);

		// ...then compounding raises the pool by exactly the reward, bonded too.
		let active = record(pool).active;
		assert_ok!(Pools::compound_rewards(signed(&eve), pool));
		assert_eq!(record(pool).active, active + paid);
		assert_eq!(ledger_active(pool), active + paid + seed);
		assert_eq!(Balances::balance(&reward_account), 0);
		check_books();
		println!(
			"native restaking: NPoS reward of era 1 {} PAL on {} PAL ({:.4}% for the era)",
			paid as f64 / UNITS as f64,
			active as f64 / UNITS as f64,
			paid as f64 * 100.0 / active as f64
		);

		// When Eve equivocates in era 2 and is slashed 10%, applied after the deferral.
		let offence_era = active_era();
		let exposure_era2 = pallet_staking::ErasStakersPaged::<Runtime>::get((offence_era, &eve, 0))
			.and_then(|page| page.others.iter().find(|i| i.who == stash).map(|i| i.value))
			.expect("the pool is exposed in era 2");
		let treasury = crate::configs::governance::TreasuryAccount::get();
		let treasury_before = Balances::balance(&treasury);
		<Staking as OnOffenceHandler<AccountId, (AccountId, ()), frame_support::weights::Weight>>::on_offence(
			&[OffenceDetails { offender: (eve.clone(), ()), reporters: vec![] }],
			&[Perbill::from_percent(10)],
			Session::current_index(),
		);
		let bonded_before = ledger_active(pool);
		let active_before = record(pool).active;
		run_to_era(offence_era + <Runtime as pallet_staking::Config>::SlashDeferDuration::get() + 1);

		// Then staking took 10% of the pool's exposure of era 2 from its ledger, the pool paid
		// exactly that to the treasury out of its account, and the LRT holders bore all of it
		// (the seed stays an existential deposit).
		let slashed = bonded_before - ledger_active(pool);
		assert_eq!(slashed, Perbill::from_percent(10).mul_ceil(exposure_era2));
		assert_eq!(record(pool).active, active_before - slashed);
		assert_eq!(record(pool).seed, seed);
		assert!(Balances::balance(&treasury) >= treasury_before + slashed);
		assert!(System::events().iter().any(|r| matches!(
			&r.event,
			RuntimeEvent::RestakingPools(pallet_restaking_pools::Event::NposSlashed {
				pool: p, from_bonded, ..
			}) if *p == pool && *from_bonded == slashed
		)));
		check_books();
	});
}

/// Runs every block hook of the restaking pallets (the epoch clock lives in `Consumers`) to
/// the first block of the next restaking epoch.
fn next_epoch() {
	use frame_support::traits::OnInitialize;
	let epoch = crate::Consumers::current_epoch();
	while crate::Consumers::current_epoch() == epoch {
		let next = System::block_number() + 1;
		System::set_block_number(next);
		<(crate::Consumers, crate::ServiceSlashing, crate::Operators, Pools) as OnInitialize<
			u32,
		>>::on_initialize(next);
	}
}

#[test]
fn a_staked_pool_pays_after_both_delays_and_closes_with_its_ledger() {
	ext_from_preset("local_testnet").execute_with(|| {
		use sp_staking::StakingInterface;
		let ferdie = account(Ferdie);
		let pool = staked_pool(&ferdie, 10_000 * UNITS);
		let stash = record(pool).account;
		let lrt = pallet_assets::Pallet::<Runtime>::balance(record(pool).lrt_asset, &ferdie);
		let id = pallet_restaking_pools::NextRequestId::<Runtime>::get();
		assert_ok!(Pools::request_withdrawal(signed(&ferdie), pool, lrt));
		let request = pallet_restaking_pools::WithdrawalRequests::<Runtime>::get(&ferdie, id)
			.expect("requested");

		// After the withdrawal delay the first claim unbonds in staking.
		while crate::Consumers::current_epoch() < request.claimable_at {
			next_epoch();
		}
		let before = Balances::balance(&ferdie);
		assert_ok!(Pools::claim_withdrawal(signed(&ferdie), pool, id));
		let position = pallet_restaking_pools::UnbondingRequests::<Runtime>::get(&ferdie, id)
			.expect("unbonding");
		assert_eq!(position.amount, request.value_at_request);
		assert_eq!(
			position.unlock_era,
			<Staking as StakingInterface>::current_era()
				+ <Runtime as pallet_staking::Config>::BondingDuration::get()
		);
		let ledger = pallet_staking::Ledger::<Runtime>::get(&stash).expect("bonded");
		assert_eq!(ledger.active, record(pool).seed);
		assert_eq!(ledger.unlocking.iter().map(|c| c.value).sum::<u128>(), position.amount);
		assert_eq!(Balances::balance(&ferdie), before, "nothing paid yet");
		check_books();

		// From the unlock era on the second claim pays exactly the value requested (and
		// releases the request's storage deposit).
		<Staking as StakingInterface>::set_era(position.unlock_era);
		assert_ok!(Pools::claim_withdrawal(signed(&ferdie), pool, id));
		assert_eq!(Balances::balance(&ferdie), before + request.value_at_request + request.deposit);
		check_books();

		// The empty pool leaves staking (its ledger goes), then closes (the seed comes back).
		assert_noop!(
			Pools::close_pool(signed(&ferdie), pool),
			pallet_restaking_pools::Error::<Runtime>::PoolStillStaked
		);
		assert_ok!(Pools::unstake_pool(signed(&ferdie), pool));
		assert!(pallet_staking::Ledger::<Runtime>::get(&stash).is_none());
		assert!(!pallet_staking::VirtualStakers::<Runtime>::contains_key(&stash));
		check_books();
		assert_ok!(Pools::close_pool(signed(&ferdie), pool));
		assert!(pallet_restaking_pools::StakedPools::<Runtime>::get(pool).is_none());
		check_books();
	});
}

#[test]
fn a_validating_pool_is_elected_on_its_own_stake_earns_and_bears_its_validator_slash() {
	ext_from_preset("local_testnet").execute_with(|| {
		let ferdie = account(Ferdie);

		// Given Ferdie, a validator who is also an operator, curates a staked pool holding
		// 20,000 PAL of his, sets its session keys (made for the pool's account) and makes it
		// validate: the pool's stash is the validator.
		let pool = staked_pool(&ferdie, 20_000 * UNITS);
		let stash = record(pool).account;
		let seed = record(pool).seed;
		// Keys of another format are refused with a typed error.
		assert_eq!(
			Pools::set_session_keys(
				signed(&ferdie),
				pool,
				vec![1u8; 3].try_into().unwrap(),
				vec![].try_into().unwrap()
			),
			Err(pallet_restaking_pools::Error::<Runtime>::InvalidSessionKeys.into())
		);
		set_pool_keys(&ferdie, pool);
		assert_ok!(Pools::validate(signed(&ferdie), pool, Perbill::from_percent(5), false));
		assert!(pallet_staking::Validators::<Runtime>::contains_key(&stash));
		assert_ok!(Staking::set_validator_count(RuntimeOrigin::root(), 5));
		check_books();

		// When an era passes, the pool's stash is in the session's validators, and its own
		// stake in its exposure is the pool's whole bonded stake.
		run_to_era(1);
		assert!(Session::validators().contains(&stash));
		let overview = pallet_staking::ErasStakersOverview::<Runtime>::get(1, &stash)
			.expect("the pool is elected");
		assert_eq!(overview.own, 20_000 * UNITS + seed);

		// When it earns every era point of era 1 and the era is paid out, the validator's
		// reward goes to the pool's reward account and compounds into the rate.
		<Staking as RewardsReporter<AccountId>>::reward_by_ids(vec![(stash.clone(), 1_000)]);
		run_to_era(2);
		System::reset_events();
		assert_ok!(Staking::payout_stakers(signed(&ferdie), stash.clone(), 1));
		let reward_account = Pools::reward_account(pool);
		let paid = Balances::balance(&reward_account);
		assert!(paid > 0, "the validator pool earned the era's payout");
		let active = record(pool).active;
		assert_ok!(Pools::compound_rewards(signed(&ferdie), pool));
		assert_eq!(record(pool).active, active + paid);
		assert_eq!(ledger_active(pool), active + paid + seed);
		check_books();

		// When the validator equivocates in era 2 and is slashed 10%, applied after the
		// deferral, staking takes 10% of its own exposure and the pool's holders bear it.
		let offence_era = active_era();
		let own = pallet_staking::ErasStakersOverview::<Runtime>::get(offence_era, &stash)
			.expect("elected in era 2")
			.own;
		<Staking as OnOffenceHandler<AccountId, (AccountId, ()), frame_support::weights::Weight>>::on_offence(
			&[OffenceDetails { offender: (stash.clone(), ()), reporters: vec![] }],
			&[Perbill::from_percent(10)],
			Session::current_index(),
		);
		let bonded_before = ledger_active(pool);
		let active_before = record(pool).active;
		run_to_era(offence_era + <Runtime as pallet_staking::Config>::SlashDeferDuration::get() + 1);
		let slashed = bonded_before - ledger_active(pool);
		assert_eq!(slashed, Perbill::from_percent(10) * own);
		assert_eq!(record(pool).active, active_before - slashed);
		assert_eq!(record(pool).seed, seed);
		check_books();

		// The pool chills and, once empty, closes with its keys and ledger gone.
		assert_ok!(Pools::chill(signed(&ferdie), pool));
		assert!(!pallet_staking::Validators::<Runtime>::contains_key(&stash));
		assert!(pallet_session::NextKeys::<Runtime>::contains_key(&stash));
	});
}

/// A staked pool of `curator` holding `amount` of its PAL, with session keys made for the
/// pool's account; validating (elected from the next era, five seats) if `validate`.
fn keyed_pool(curator: &AccountId, amount: u128, validate: bool) -> PoolId {
	let pool = staked_pool(curator, amount);
	set_pool_keys(curator, pool);
	if validate {
		assert_ok!(Pools::validate(signed(curator), pool, Perbill::zero(), false));
		assert_ok!(Staking::set_validator_count(RuntimeOrigin::root(), 5));
	}
	pool
}

/// Gives `who` one unit of each of `count` fresh assets of Eve's (min balance 1, not
/// sufficient): each is a consumer reference on `who`'s account.
fn dust_assets(who: &AccountId, first_id: u32, count: u32) {
	use sp_runtime::traits::StaticLookup;
	let eve = account(Eve);
	let lookup = |a: &AccountId| <Runtime as frame_system::Config>::Lookup::unlookup(a.clone());
	for id in first_id..first_id + count {
		assert_ok!(crate::Assets::create(signed(&eve), id.into(), lookup(&eve), 1));
		assert_ok!(crate::Assets::mint(signed(&eve), id.into(), lookup(who), 1));
	}
}

/// Attack: `staking.migrateCurrency` is anyone's call (free when it works). On a virtual
/// staker with one or two consumer references and less than two existential deposits free, it
/// drops the references and the last provider: the account is reaped, its balance with it
/// (total issuance no longer matches). A validating pool's account after a slash that took
/// everything holds one existential deposit; its session keys (session's consumer reference)
/// or any asset sent to it gave the reference.
#[test]
fn anyone_reaps_a_slashed_validating_pools_account_with_migrate_currency() {
	ext_from_preset("local_testnet").execute_with(|| {
		use sp_runtime::traits::Dispatchable;
		let ferdie = account(Ferdie);
		let eve = account(Eve);

		// Given a validating pool, elected, then slashed 100% (its seed too).
		let pool = keyed_pool(&ferdie, 20_000 * UNITS, true);
		let stash = record(pool).account;
		run_to_era(1);
		let offence_era = active_era();
		<Staking as OnOffenceHandler<AccountId, (AccountId, ()), frame_support::weights::Weight>>::on_offence(
			&[OffenceDetails { offender: (stash.clone(), ()), reporters: vec![] }],
			&[Perbill::from_percent(100)],
			Session::current_index(),
		);
		run_to_era(offence_era + <Runtime as pallet_staking::Config>::SlashDeferDuration::get() + 1);
		let ed = <Balances as Inspect<AccountId>>::minimum_balance();
		let left = Balances::balance(&stash);
		assert!(left >= ed && left < 2 * ed, "the slash left the account's own ED ({left})");
		let issuance = Balances::total_issuance();
		check_books();

		// When Eve asks staking to migrate the pool account's currency, it is refused and the
		// account keeps its balance.
		let migrate = RuntimeCall::Staking(pallet_staking::Call::migrate_currency {
			stash: stash.clone(),
		});
		assert!(migrate.clone().dispatch(signed(&eve)).is_err(), "the pool account was reaped");
		assert!(frame_system::Account::<Runtime>::contains_key(&stash));
		assert_eq!(Balances::balance(&stash), left);

		// Nor when an asset sent to the account gave it a consumer reference.
		dust_assets(&stash, 700_000, 1);
		assert!(migrate.dispatch(signed(&eve)).is_err(), "the pool account was reaped");
		assert_eq!(Balances::balance(&stash), left);
		assert_eq!(Balances::total_issuance(), issuance);
		check_books();
	});
}

/// Attack tried: session counts keys set by an account's own `set_keys` as a consumer
/// reference, refused once the account has `MaxConsumers` (16), and anyone may send a pool
/// account dust assets (each a consumer reference the keyless account can never drop). It
/// fails: `pallet-assets` creates an account only with room for two more references, so
/// assets stop at 15 and the keys still fit.
#[test]
fn dust_assets_cannot_stop_a_staked_pool_from_setting_its_session_keys() {
	ext_from_preset("local_testnet").execute_with(|| {
		let ferdie = account(Ferdie);
		let pool = staked_pool(&ferdie, 20_000 * UNITS);
		let stash = record(pool).account;
		dust_assets(&stash, 700_000, 15);
		assert_eq!(System::consumers(&stash), 15);

		set_pool_keys(&ferdie, pool);
		assert_ok!(Pools::validate(signed(&ferdie), pool, Perbill::zero(), false));
		check_books();
	});
}

/// Attack: GRANDPA votes carry no chain id, so a key that is both a Palisade session key and a
/// consumer key lets an honest vote on each chain form an "equivocation" that anyone reports
/// (slashing the pool's holders, its outside nominators and the operator's backers). The
/// operators pallet refuses a consumer key that is a session key; the pool's keys must not be
/// a consumer key either (a curator that is also an operator reusing its node's key).
#[test]
fn a_staked_pools_session_keys_cannot_be_a_consumer_key() {
	ext_from_preset("local_testnet").execute_with(|| {
		use sp_runtime::traits::OpaqueKeys;
		let ferdie = account(Ferdie);
		let pool = staked_pool(&ferdie, 0);
		let stash = record(pool).account;
		let keys = SessionKeys::generate(&stash.encode(), None);
		let grandpa: [u8; 32] =
			keys.keys.get_raw(sp_core::crypto::key_types::GRANDPA).try_into().unwrap();
		pallet_operators::UsedKeys::<Runtime>::insert(grandpa, (ferdie.clone(), 0));

		assert_eq!(
			Pools::set_session_keys(
				signed(&ferdie),
				pool,
				keys.keys.encode().try_into().unwrap(),
				keys.proof.encode().try_into().unwrap()
			),
			Err(pallet_operators::Error::<Runtime>::KeyAlreadyUsed.into())
		);
		assert!(!pallet_session::NextKeys::<Runtime>::contains_key(&stash));
	});
}
