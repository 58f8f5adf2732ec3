//! Runtime tests, native (no node): the genesis presets build into working chains, an era
//! rotation elects the validators staking says, and the council (and only the council or
//! root) can dispatch [`GovernanceOrigin`] calls.

use codec::Encode;
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::Inspect, Get, OnFinalize, OnInitialize},
	weights::Weight,
};
use sp_keyring::Sr25519Keyring;
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::{traits::Hash as _, BuildStorage, DispatchError, Perbill};

// The demo world (and its PAL/LRT market) is left out of `runtime-benchmarks` builds.
#[cfg(not(feature = "runtime-benchmarks"))]
mod asset_conversion;
mod basket;
// The demo world is left out of `runtime-benchmarks` builds (see the presets).
mod consumer_layout;
#[cfg(not(feature = "runtime-benchmarks"))]
mod demo;
mod epoch_scale;
mod filter;
mod native_restaking;
// The call-sequence fuzzer checks every pallet's `try_state`, which needs `try-runtime`; it
// starts from the demo world, which `runtime-benchmarks` builds leave out.
#[cfg(all(feature = "try-runtime", not(feature = "runtime-benchmarks")))]
mod fuzz;
mod restaking;
// The demo world is left out of `runtime-benchmarks` builds.
#[cfg(not(feature = "runtime-benchmarks"))]
mod restaking_api;
mod weights;

use crate::{
	currency::UNITS, genesis_config_presets as presets, time::SESSIONS_PER_ERA, AccountId,
	Balances, Council, Runtime, RuntimeCall, RuntimeEvent, RuntimeGenesisConfig, RuntimeOrigin,
	Session, SessionKeys, Staking, System,
};

/// Merges the JSON `patch` onto `base` (objects recursively, everything else replaced), as the
/// node does when it turns a preset into a chain spec.
fn merge(base: &mut serde_json::Value, patch: serde_json::Value) {
	match (base, patch) {
		(serde_json::Value::Object(b), serde_json::Value::Object(p)) => {
			for (k, v) in p {
				merge(b.entry(k).or_insert(serde_json::Value::Null), v);
			}
		}
		(b, p) => *b = p,
	}
}

/// The full genesis config of preset `name`.
fn preset_config(name: &str) -> RuntimeGenesisConfig {
	let patch = presets::get_preset(&name.into()).expect("preset exists");
	let patch: serde_json::Value = serde_json::from_slice(&patch).expect("preset is JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("to JSON");
	merge(&mut config, patch);
	serde_json::from_value(config).expect("preset patch fits the runtime's genesis config")
}

/// Externalities with the state of preset `name`, at block 1, with an in-memory keystore.
pub(crate) fn ext_from_preset(name: &str) -> sp_io::TestExternalities {
	let storage = preset_config(name).build_storage().expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(KeystoreExt::new(MemoryKeystore::new()));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

pub(crate) fn account(k: Sr25519Keyring) -> AccountId {
	k.to_account_id()
}

/// Runs the session and staking hooks of every block up to `n` (the pallets that rotate
/// sessions and eras; Aura/Timestamp need a real block author and are left out).
fn run_to_block(n: u32) {
	while System::block_number() < n {
		let now = System::block_number();
		Staking::on_finalize(now);
		let next = now + 1;
		System::set_block_number(next);
		Session::on_initialize(next);
		Staking::on_initialize(next);
	}
}

#[test]
fn every_preset_is_listed_and_builds() {
	let names: Vec<String> = presets::preset_names()
		.into_iter()
		.map(|p| String::from_utf8(p.into()).expect("utf8"))
		.collect();
	assert_eq!(names, vec!["development", "local_testnet", "staging"]);
	for name in &names {
		ext_from_preset(name).execute_with(|| {
			assert!(!Session::validators().is_empty(), "{name}: no validators");
			assert_eq!(
				pallet_aura::Authorities::<Runtime>::get().len(),
				Session::validators().len(),
				"{name}: Aura authorities are the session validators"
			);
			assert_eq!(
				pallet_grandpa::Pallet::<Runtime>::grandpa_authorities().len(),
				Session::validators().len(),
				"{name}: GRANDPA authorities are the session validators"
			);
			assert_eq!(
				pallet_collective::Members::<Runtime, pallet_collective::Instance1>::get().len(),
				3
			);
		});
	}
	assert!(presets::get_preset(&"no-such-preset".into()).is_none());
}

#[test]
fn dev_preset_has_one_bonded_validator_and_sudo() {
	ext_from_preset("development").execute_with(|| {
		let alice = account(Sr25519Keyring::Alice);
		assert_eq!(Session::validators(), vec![alice.clone()]);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice.clone()));
		let ledger = pallet_staking::Ledger::<Runtime>::get(&alice).expect("alice is bonded");
		assert_eq!(ledger.active, presets::VALIDATOR_BOND);
		// Endowment minus nothing: the bond is held, not spent.
		assert_eq!(Balances::total_balance(&alice), presets::ENDOWMENT);
	});
}

#[test]
fn local_preset_bonds_four_validators_through_staking() {
	ext_from_preset("local_testnet").execute_with(|| {
		let four: Vec<AccountId> = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		]
		.into_iter()
		.map(account)
		.collect();
		let mut validators = Session::validators();
		validators.sort();
		let mut expected = four.clone();
		expected.sort();
		assert_eq!(validators, expected);
		for v in &four {
			assert!(pallet_staking::Validators::<Runtime>::contains_key(v));
			assert_eq!(
				pallet_staking::Ledger::<Runtime>::get(v).map(|l| l.active),
				Some(presets::VALIDATOR_BOND)
			);
		}
		assert_eq!(pallet_staking::ValidatorCount::<Runtime>::get(), 4);
	});
}

#[test]
fn staging_preset_has_no_sudo_and_no_endowments() {
	ext_from_preset("staging").execute_with(|| {
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), None);
		assert_eq!(Balances::total_balance(&account(Sr25519Keyring::Eve)), 0);
		assert_eq!(Session::validators().len(), 4);
	});
}

#[test]
fn era_rotation_elects_validators_from_staking() {
	ext_from_preset("local_testnet").execute_with(|| {
		let eve = account(Sr25519Keyring::Eve);
		let ferdie = account(Sr25519Keyring::Ferdie);
		assert_eq!(pallet_staking::ActiveEra::<Runtime>::get().map(|e| e.index), Some(0));
		assert!(!Session::validators().contains(&eve));

		// Given: Eve bonds more than anyone, sets session keys and declares intent to
		// validate; Ferdie nominates her; governance raises the set size to 5.
		assert_ok!(Staking::bond(
			RuntimeOrigin::signed(eve.clone()),
			200_000 * UNITS,
			pallet_staking::RewardDestination::Staked
		));
		let keys = SessionKeys::generate(&eve.encode(), None);
		assert_ok!(Session::set_keys(
			RuntimeOrigin::signed(eve.clone()),
			keys.keys,
			keys.proof.encode()
		));
		assert_ok!(Staking::validate(RuntimeOrigin::signed(eve.clone()), Default::default()));
		assert_ok!(Staking::bond(
			RuntimeOrigin::signed(ferdie.clone()),
			1_000 * UNITS,
			pallet_staking::RewardDestination::Staked
		));
		assert_ok!(Staking::nominate(
			RuntimeOrigin::signed(ferdie.clone()),
			vec![sp_runtime::MultiAddress::Id(eve.clone())]
		));
		assert_ok!(Staking::set_validator_count(RuntimeOrigin::root(), 5));

		// When: one era passes (plus the session in which the new set is queued).
		let period = crate::time::SESSION_PERIOD;
		run_to_block(period * (SESSIONS_PER_ERA + 1) + 1);

		// Then: era 1 is active, the election put Eve (backed by Ferdie) in the exposure,
		// and she is a session (Aura/GRANDPA) validator.
		let era = pallet_staking::ActiveEra::<Runtime>::get().expect("era").index;
		assert_eq!(era, 1);
		let overview =
			pallet_staking::ErasStakersOverview::<Runtime>::get(era, &eve).expect("eve elected");
		assert_eq!(overview.total, 201_000 * UNITS);
		assert_eq!(overview.own, 200_000 * UNITS);
		assert_eq!(overview.nominator_count, 1);
		let validators = Session::validators();
		assert_eq!(validators.len(), 5);
		assert!(validators.contains(&eve));
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().len(), 5);
		assert!(System::events().iter().any(|r| matches!(
			r.event,
			RuntimeEvent::Staking(pallet_staking::Event::StakersElected)
		)));
	});
}

/// Council members Alice, Bob, Charlie; motion `call` proposed by Alice with `threshold`
/// votes, Bob votes aye, then it is closed. Returns the dispatch result of the call.
pub(crate) fn council_motion(
	call: RuntimeCall,
	threshold: u32,
) -> Option<Result<(), DispatchError>> {
	let [alice, bob] = [account(Sr25519Keyring::Alice), account(Sr25519Keyring::Bob)];
	let len = call.encoded_size() as u32;
	let hash = <Runtime as frame_system::Config>::Hashing::hash_of(&call);
	assert_ok!(Council::propose(
		RuntimeOrigin::signed(alice.clone()),
		threshold,
		Box::new(call),
		len
	));
	if threshold > 1 {
		let index =
			pallet_collective::ProposalCount::<Runtime, pallet_collective::Instance1>::get() - 1;
		// The proposer's vote is not implied: Alice and Bob both vote aye (2 of 3 = 2/3).
		assert_ok!(Council::vote(RuntimeOrigin::signed(alice.clone()), hash, index, true));
		assert_ok!(Council::vote(RuntimeOrigin::signed(bob.clone()), hash, index, true));
		assert_ok!(Council::close(
			RuntimeOrigin::signed(bob),
			hash,
			index,
			Weight::from_parts(10_000_000_000, 100_000),
			len
		));
	}
	System::events().into_iter().rev().find_map(|r| match r.event {
		RuntimeEvent::Council(pallet_collective::Event::Executed { result, .. }) => {
			Some(result.map_err(|e| e))
		}
		_ => None,
	})
}

#[test]
fn two_thirds_of_the_council_dispatch_a_governance_call() {
	ext_from_preset("development").execute_with(|| {
		let call = RuntimeCall::Staking(pallet_staking::Call::set_min_commission {
			new: Perbill::from_percent(5),
		});
		assert_eq!(pallet_staking::MinCommission::<Runtime>::get(), Perbill::zero());
		// 2 of 3 members (= 2/3) approve.
		assert_eq!(council_motion(call, 2), Some(Ok(())));
		assert_eq!(pallet_staking::MinCommission::<Runtime>::get(), Perbill::from_percent(5));
	});
}

#[test]
fn one_third_of_the_council_is_not_governance() {
	ext_from_preset("development").execute_with(|| {
		let call = RuntimeCall::Staking(pallet_staking::Call::set_min_commission {
			new: Perbill::from_percent(5),
		});
		// A motion with threshold 1 executes at once with 1/3 of the votes: rejected.
		assert_eq!(council_motion(call, 1), Some(Err(DispatchError::BadOrigin)));
		assert_eq!(pallet_staking::MinCommission::<Runtime>::get(), Perbill::zero());
	});
}

#[test]
fn a_plain_account_cannot_use_governance_origin() {
	ext_from_preset("development").execute_with(|| {
		let eve = account(Sr25519Keyring::Eve);
		assert_noop!(
			Staking::set_min_commission(RuntimeOrigin::signed(eve), Perbill::from_percent(5)),
			DispatchError::BadOrigin
		);
		// Root is governance too.
		assert_ok!(Staking::set_min_commission(RuntimeOrigin::root(), Perbill::from_percent(7)));
		assert_eq!(pallet_staking::MinCommission::<Runtime>::get(), Perbill::from_percent(7));
	});
}

#[test]
fn chain_constants_match_the_chain_properties() {
	assert_eq!(crate::currency::DECIMALS, 12);
	assert_eq!(crate::currency::SYMBOL, "PAL");
	assert_eq!(<Runtime as frame_system::Config>::SS58Prefix::get(), 42);
	let ed: crate::Balance = <Runtime as pallet_balances::Config>::ExistentialDeposit::get();
	assert_eq!(ed, UNITS / 100);
}
