//! Genesis presets: the chain specs the node builds (`--dev`, `--chain local`) are these
//! presets.
//!
//! - `development` (`--dev`): the ed25519 key of `//Alice` is the only Aura and GRANDPA
//!   authority (`--dev` inserts it under both key types); `//Alice` (sr25519) is sudo.
//! - `local_testnet` (`--chain local`): the ed25519 keys of `//Alice` and `//Bob` are the
//!   authorities (`--alice`, `--bob`); `//Alice` is sudo.
//!
//! Both endow the twelve well-known sr25519 accounts (`//Alice` ... `//Ferdie` and their
//! `//stash` derivations) with [`ENDOWMENT`]. Neither initialises the light client of Palisade
//! (`bridgePalisadeGrandpa.initData` is `null`, so it starts halted) nor declares the genesis
//! authorities as a Palisade set (`palisadeConsumer.currentSet` is `null`, so any first proven
//! set is accepted): both fields are written into the preset as `null` so that a launch script
//! finds them in the chain spec and patches them with Palisade's finalized header, GRANDPA set
//! and the consumer's published set.

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	currency::UNITS, AccountId, AuraConfig, AuraId, Balance, BalancesConfig,
	BridgePalisadeGrandpaConfig, GrandpaConfig, GrandpaId, PalisadeConsumerConfig,
	RuntimeGenesisConfig, SudoConfig,
};

/// Balance given to each endowed account: one million CON.
pub const ENDOWMENT: Balance = 1_000_000 * UNITS;

/// Builds the JSON patch of a consumer chain's genesis: `authorities` (ed25519 keys, each the
/// Aura and the GRANDPA key of one authority, GRANDPA weight 1), `endowed` accounts, `sudo`.
pub fn consumer_genesis(
	authorities: Vec<sp_core::ed25519::Public>,
	endowed: Vec<AccountId>,
	sudo: Option<AccountId>,
) -> Value {
	let aura: Vec<AuraId> = authorities.iter().map(|k| AuraId::from(*k)).collect();
	let grandpa: Vec<(GrandpaId, u64)> =
		authorities.iter().map(|k| (GrandpaId::from(*k), 1)).collect();
	let balances: Vec<(AccountId, Balance)> = endowed.into_iter().map(|a| (a, ENDOWMENT)).collect();

	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		aura: AuraConfig { authorities: aura },
		grandpa: GrandpaConfig { authorities: grandpa },
		sudo: SudoConfig { key: sudo },
		bridge_palisade_grandpa: BridgePalisadeGrandpaConfig { owner: None, init_data: None },
		palisade_consumer: PalisadeConsumerConfig { current_set: None },
	})
}

/// The twelve well-known development accounts (sr25519): Alice ... Ferdie and their stashes.
fn endowed_accounts() -> Vec<AccountId> {
	Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect()
}

/// `--dev`: Alice alone authors and finalizes.
fn development_config_genesis() -> Value {
	consumer_genesis(
		vec![Ed25519Keyring::Alice.public()],
		endowed_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
	)
}

/// `--chain local`: Alice and Bob author and finalize.
fn local_config_genesis() -> Value {
	consumer_genesis(
		vec![Ed25519Keyring::Alice.public(), Ed25519Keyring::Bob.public()],
		endowed_accounts(),
		Some(Sr25519Keyring::Alice.to_account_id()),
	)
}

/// The JSON patch of preset `id`, if it exists.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
