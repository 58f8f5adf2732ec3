//! Chain specifications, built from the runtime's genesis presets.

use palisade_consumer_runtime::{currency, WASM_BINARY};
use sc_service::ChainType;
use serde_json::json;

/// Specialized `ChainSpec` (no extensions).
pub type ChainSpec = sc_service::GenericChainSpec;

/// Chain properties every wallet reads: CON, 12 decimals, SS58 prefix 42.
pub fn properties() -> sc_chain_spec::Properties {
	let mut p = sc_chain_spec::Properties::new();
	p.insert("tokenSymbol".into(), json!(currency::SYMBOL));
	p.insert("tokenDecimals".into(), json!(currency::DECIMALS));
	p.insert("ss58Format".into(), json!(currency::SS58_FORMAT));
	p
}

fn wasm() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"The runtime's wasm binary is not available: this node was built with \
		 SKIP_WASM_BUILD set. Rebuild without it."
			.to_string()
	})
}

fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm()?, None)
		.with_name(name)
		.with_id(id)
		.with_protocol_id("con")
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// `--dev`: one authority (the ed25519 key of `//Alice`), sudo `//Alice`.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"Palisade Consumer Development",
		"palisade_consumer_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// `--chain local`: the ed25519 keys of `//Alice` and `//Bob` are the authorities.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"Palisade Consumer Local Testnet",
		"palisade_consumer_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}
