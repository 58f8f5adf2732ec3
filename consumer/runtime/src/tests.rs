//! Runtime tests, native (no node): the pallets' integrity tests pass on this configuration,
//! the genesis presets build, the genesis JSON has the field names launch scripts patch, and
//! the consumer pallet's sink drives this runtime's Aura and GRANDPA.

use bp_runtime::BasicOperatingMode;
use frame_support::traits::{Hooks, IntegrityTest};
use pallet_palisade_consumer::{AuraGrandpa, AuthoritySink};
use serde_json::{json, Value};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::BuildStorage;

use crate::{
	configs::consensus::{CONSUMER_ID, MAX_AUTHORITIES},
	genesis_config_presets as presets, AllPalletsWithSystem, AuraId, Balances,
	BridgePalisadeInstance, Grandpa, GrandpaId, Runtime, RuntimeGenesisConfig, System,
};

/// Merges the JSON `patch` onto `base` (objects recursively, everything else replaced), as the
/// node does when it turns a preset into a chain spec.
fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(b), Value::Object(p)) => {
			for (k, v) in p {
				merge(b.entry(k).or_insert(Value::Null), v);
			}
		}
		(b, p) => *b = p,
	}
}

/// The full genesis config JSON of preset `name`.
fn preset_json(name: &str) -> Value {
	let patch = presets::get_preset(&name.into()).expect("preset exists");
	let patch: Value = serde_json::from_slice(&patch).expect("preset is JSON");
	let mut config = serde_json::to_value(RuntimeGenesisConfig::default()).expect("to JSON");
	merge(&mut config, patch);
	config
}

/// Externalities with the genesis `config`, at block 1.
fn ext_from_json(config: Value) -> sp_io::TestExternalities {
	let config: RuntimeGenesisConfig =
		serde_json::from_value(config).expect("the JSON fits the runtime's genesis config");
	let storage = config.build_storage().expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

fn aura_authorities() -> Vec<AuraId> {
	pallet_aura::Authorities::<Runtime>::get().into_inner()
}

#[test]
fn integrity_tests_pass() {
	ext_from_json(preset_json(sp_genesis_builder::DEV_RUNTIME_PRESET)).execute_with(|| {
		<AllPalletsWithSystem as IntegrityTest>::integrity_test();
	});
	assert!(MAX_AUTHORITIES <= <Runtime as pallet_aura::Config>::MaxAuthorities::get());
	assert_eq!(CONSUMER_ID, 0);
}

#[test]
fn development_preset_builds_a_chain_of_alice() {
	ext_from_json(preset_json(sp_genesis_builder::DEV_RUNTIME_PRESET)).execute_with(|| {
		let alice = Ed25519Keyring::Alice.public();
		assert_eq!(aura_authorities(), vec![AuraId::from(alice)]);
		assert_eq!(Grandpa::grandpa_authorities(), vec![(GrandpaId::from(alice), 1)]);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		for account in Sr25519Keyring::well_known() {
			assert_eq!(Balances::free_balance(account.to_account_id()), presets::ENDOWMENT);
		}
		// Neither the light client nor the consumer pallet is initialised: the light client
		// is halted until someone initialises it, and no Palisade set is known.
		assert_eq!(
			pallet_bridge_grandpa::PalletOperatingMode::<Runtime, BridgePalisadeInstance>::get(),
			BasicOperatingMode::Halted
		);
		assert!(pallet_bridge_grandpa::BestFinalized::<Runtime, BridgePalisadeInstance>::get()
			.is_none());
		assert!(pallet_palisade_consumer::CurrentSet::<Runtime>::get().is_none());
		assert!(pallet_palisade_consumer::LastAccepted::<Runtime>::get().is_none());
	});
}

#[test]
fn local_preset_has_alice_and_bob() {
	ext_from_json(preset_json(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET)).execute_with(
		|| {
			let keys = [Ed25519Keyring::Alice.public(), Ed25519Keyring::Bob.public()];
			assert_eq!(aura_authorities(), keys.map(AuraId::from).to_vec());
			assert_eq!(
				Grandpa::grandpa_authorities(),
				keys.map(|k| (GrandpaId::from(k), 1)).to_vec()
			);
		},
	);
}

#[test]
fn unknown_preset_is_none() {
	assert!(presets::get_preset(&"staging".into()).is_none());
	assert_eq!(presets::preset_names().len(), 2);
}

/// The field names a launch script patches (documented in consumer/README.md).
#[test]
fn genesis_json_has_the_documented_field_names() {
	let config = preset_json(sp_genesis_builder::DEV_RUNTIME_PRESET);
	for path in [
		"/aura/authorities",
		"/grandpa/authorities",
		"/sudo/key",
		"/balances/balances",
		"/bridgePalisadeGrandpa/owner",
		"/bridgePalisadeGrandpa/initData",
		"/palisadeConsumer/currentSet",
	] {
		assert!(config.pointer(path).is_some(), "{path} is in the genesis JSON");
	}
	// The preset itself (what `build-spec` shows under `runtimeGenesis.patch`) names the
	// uninitialised light client and consumer pallet explicitly.
	let patch: Value = serde_json::from_slice(
		&presets::get_preset(&sp_genesis_builder::DEV_RUNTIME_PRESET.into()).expect("preset"),
	)
	.expect("JSON");
	assert_eq!(patch["bridgePalisadeGrandpa"], json!({ "owner": null, "initData": null }));
	assert_eq!(patch["palisadeConsumer"], json!({ "currentSet": null }));
}

/// What a launch script writes: Palisade's finalized header, its GRANDPA set, and the
/// consumer's published set whose keys are the genesis authorities.
#[test]
fn patched_genesis_initialises_the_light_client_and_the_consumer_set() {
	let key = Ed25519Keyring::Bob.public();
	let palisade_grandpa = Ed25519Keyring::Alice.public();
	let mut config = preset_json(sp_genesis_builder::DEV_RUNTIME_PRESET);
	merge(
		&mut config,
		json!({
			"aura": { "authorities": [AuraId::from(key)] },
			"grandpa": { "authorities": [[GrandpaId::from(key), 1]] },
			"bridgePalisadeGrandpa": {
				"owner": Sr25519Keyring::Alice.to_account_id(),
				"initData": {
					"header": {
						"parentHash": format!("0x{}", "11".repeat(32)),
						"number": "0x2a",
						"stateRoot": format!("0x{}", "22".repeat(32)),
						"extrinsicsRoot": format!("0x{}", "33".repeat(32)),
						"digest": { "logs": [] }
					},
					"authority_list": [[GrandpaId::from(palisade_grandpa), 1]],
					"set_id": 3,
					"operating_mode": "Normal"
				}
			},
			"palisadeConsumer": {
				"currentSet": {
					"epoch": 5,
					"set_id": 7,
					"members": [[
						Sr25519Keyring::BobStash.to_account_id(),
						// A consumer key is a plain `[u8; 32]`: a JSON array of 32 numbers.
						key.0,
						1_000_000u64
					]]
				}
			}
		}),
	);
	ext_from_json(config).execute_with(|| {
		assert_eq!(
			pallet_bridge_grandpa::PalletOperatingMode::<Runtime, BridgePalisadeInstance>::get(),
			BasicOperatingMode::Normal
		);
		let best = pallet_bridge_grandpa::BestFinalized::<Runtime, BridgePalisadeInstance>::get()
			.expect("initialised");
		assert_eq!(best.number(), 42);
		assert_eq!(
			pallet_bridge_grandpa::PalletOwner::<Runtime, BridgePalisadeInstance>::get(),
			Some(Sr25519Keyring::Alice.to_account_id())
		);
		let current = pallet_palisade_consumer::CurrentSet::<Runtime>::get().expect("declared");
		assert_eq!(current.set.set_id, 7);
		assert_eq!(
			pallet_palisade_consumer::Pallet::<Runtime>::current_keys(),
			vec![key.as_array_ref().to_owned()]
		);
	});
}

/// The sink the consumer pallet uses changes this runtime's Aura authorities at once and
/// schedules a GRANDPA change with delay 0 under the next set id.
#[test]
fn the_sink_drives_aura_and_grandpa() {
	ext_from_json(preset_json(sp_genesis_builder::DEV_RUNTIME_PRESET)).execute_with(|| {
		let keys = [Ed25519Keyring::Bob.public(), Ed25519Keyring::Charlie.public()];
		let raw = keys.map(|k| k.0);
		assert!(AuraGrandpa::<Runtime>::can_apply());

		let set_id = AuraGrandpa::<Runtime>::apply(&raw).expect("a valid set applies");

		assert_eq!(set_id, 1);
		assert_eq!(aura_authorities(), keys.map(AuraId::from).to_vec());
		assert_eq!(AuraGrandpa::<Runtime>::current(), raw.to_vec());
		let pending = pallet_grandpa::PendingChange::<Runtime>::get().expect("scheduled");
		assert_eq!(pending.delay, 0);
		assert_eq!(
			pending.next_authorities.into_inner(),
			keys.map(|k| (GrandpaId::from(k), 1)).to_vec()
		);
		// A second change waits until the first is enacted.
		assert!(!AuraGrandpa::<Runtime>::can_apply());
		Grandpa::on_finalize(1);
		assert!(pallet_grandpa::PendingChange::<Runtime>::get().is_none());
	});
}
