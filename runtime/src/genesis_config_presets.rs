//! Genesis presets: the chain specs the node builds (`--dev`, `--chain local`,
//! `--chain staging`) are these presets.
//!
//! - `development` (`--dev`): Alice alone validates (bonded in staking), the well-known
//!   accounts are endowed, Alice is sudo, Alice/Bob/Charlie form the council.
//! - `local_testnet` (`--chain local`): Alice, Bob, Charlie and Dave are bonded as validators
//!   through staking genesis and elected from block 0; same endowments, sudo and council.
//! - `staging`: a clean chain with no sudo. Its four authorities and three council members are
//!   placeholders derived from public dev seeds; replace them (e.g. with
//!   `chain-spec-builder`) before running anything of value on it.

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use pallet_staking::StakerStatus;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	configs::staking::MAX_VALIDATORS, currency::UNITS, time::DAYS, AccountId, Balance,
	BalancesConfig, BlockNumber, ConsumersConfig, CouncilMembershipConfig, RuntimeGenesisConfig,
	SessionConfig, SessionKeys, StakingConfig, SudoConfig,
};

/// Balance given to each endowed account: one million PAL.
pub const ENDOWMENT: Balance = 1_000_000 * UNITS;
/// Stake each genesis validator bonds: 100,000 PAL.
pub const VALIDATOR_BOND: Balance = 100_000 * UNITS;
/// Minimum bond to validate (also the genesis `min_validator_bond`).
pub const MIN_VALIDATOR_BOND: Balance = 10_000 * UNITS;
/// Minimum bond to nominate.
pub const MIN_NOMINATOR_BOND: Balance = 100 * UNITS;
/// Most nominators the staking maps may hold (bounds the on-chain election).
pub const MAX_NOMINATORS: u32 = 5_000;

/// Restaking epoch on `--dev`: 10 blocks (30 s), so journeys through delays take minutes.
pub const DEV_EPOCH_LENGTH: BlockNumber = 10;
/// Restaking epoch on `--chain local`: 20 blocks (1 minute).
pub const LOCAL_EPOCH_LENGTH: BlockNumber = 20;

/// Name of the preset used by `--chain staging`.
pub const STAGING_PRESET: &str = "staging";

/// A genesis validator: its stash account and its session keys.
#[derive(Clone)]
pub struct GenesisValidator {
	/// Stash (and controller) account, bonded in staking.
	pub stash: AccountId,
	/// Aura key.
	pub aura: AuraId,
	/// GRANDPA key.
	pub grandpa: GrandpaId,
}

/// The validator whose keys are derived from the dev seed `//{name}` (e.g. `//Alice`),
/// as `--alice` and zombienet use: the sr25519 key is the stash and the Aura key, the
/// ed25519 key of the same seed is the GRANDPA key.
pub fn dev_validator(sr: Sr25519Keyring, ed: Ed25519Keyring) -> GenesisValidator {
	GenesisValidator {
		stash: sr.to_account_id(),
		aura: sr.public().into(),
		grandpa: ed.public().into(),
	}
}

fn session_keys(v: &GenesisValidator) -> SessionKeys {
	SessionKeys { aura: v.aura.clone(), grandpa: v.grandpa.clone() }
}

/// Builds the JSON patch of a Palisade genesis.
pub fn palisade_genesis(
	validators: Vec<GenesisValidator>,
	endowed: Vec<AccountId>,
	council: Vec<AccountId>,
	sudo: Option<AccountId>,
	epoch_length: BlockNumber,
) -> Value {
	let validator_count = validators.len() as u32;
	let stakers = validators
		.iter()
		.map(|v| {
			(v.stash.clone(), v.stash.clone(), VALIDATOR_BOND, StakerStatus::<AccountId>::Validator)
		})
		.collect::<Vec<_>>();
	let keys = validators
		.iter()
		.map(|v| (v.stash.clone(), v.stash.clone(), session_keys(v)))
		.collect::<Vec<_>>();
	let mut balances: Vec<(AccountId, Balance)> =
		endowed.iter().cloned().map(|a| (a, ENDOWMENT)).collect();
	for v in &validators {
		if !endowed.contains(&v.stash) {
			balances.push((v.stash.clone(), ENDOWMENT));
		}
	}

	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		session: SessionConfig { keys },
		staking: StakingConfig {
			validator_count,
			// A chain keeps producing blocks with a single validator left.
			minimum_validator_count: 1,
			invulnerables: validators.iter().map(|v| v.stash.clone()).collect::<Vec<_>>(),
			slash_reward_fraction: sp_runtime::Perbill::from_percent(10),
			stakers,
			min_validator_bond: MIN_VALIDATOR_BOND,
			min_nominator_bond: MIN_NOMINATOR_BOND,
			max_validator_count: Some(MAX_VALIDATORS * 10),
			max_nominator_count: Some(MAX_NOMINATORS),
		},
		council_membership: CouncilMembershipConfig {
			members: council.try_into().unwrap_or_default(),
		},
		sudo: SudoConfig { key: sudo },
		consumers: ConsumersConfig { epoch_length },
	})
}

/// `--dev`: Alice validates alone.
pub fn development_config_genesis() -> Value {
	palisade_genesis(
		vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		council_of_three(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		DEV_EPOCH_LENGTH,
	)
}

/// `--chain local`: Alice, Bob, Charlie and Dave validate.
pub fn local_config_genesis() -> Value {
	palisade_genesis(
		four_validators(),
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		council_of_three(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		LOCAL_EPOCH_LENGTH,
	)
}

/// `--chain staging`: a clean chain, no sudo, placeholder authorities and council.
pub fn staging_config_genesis() -> Value {
	palisade_genesis(four_validators(), Vec::new(), council_of_three(), None, DAYS)
}

fn four_validators() -> Vec<GenesisValidator> {
	vec![
		dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
		dev_validator(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		dev_validator(Sr25519Keyring::Charlie, Ed25519Keyring::Charlie),
		dev_validator(Sr25519Keyring::Dave, Ed25519Keyring::Dave),
	]
}

fn council_of_three() -> Vec<AccountId> {
	[Sr25519Keyring::Alice, Sr25519Keyring::Bob, Sr25519Keyring::Charlie]
		.into_iter()
		.map(|k| k.to_account_id())
		.collect()
}

/// The JSON of the preset `id`, if it exists.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		STAGING_PRESET => staging_config_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
		PresetId::from(STAGING_PRESET),
	]
}
