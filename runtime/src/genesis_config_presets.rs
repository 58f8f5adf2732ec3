//! Genesis presets: the chain specs the node builds (`--dev`, `--chain local`,
//! `--chain staging`) are these presets.
//!
//! - `development` (`--dev`): Alice alone validates (bonded in staking, not invulnerable, and
//!   slashes apply at once: an offence of hers is slashed in the block that reports it), the
//!   well-known accounts are endowed, Alice is sudo, Alice/Bob/Charlie form the council.
//! - `local_testnet` (`--chain local`): Alice, Bob, Charlie and Dave are bonded as validators
//!   through staking genesis and elected from block 0; same endowments, sudo and council.
//! - `staging`: a clean chain with no sudo. Its four authorities and three council members are
//!   placeholders derived from public dev seeds; replace them (e.g. with
//!   `chain-spec-builder`) before running anything of value on it.
//!
//! `development` and `local_testnet` also start with a **demo world** ([`demo_world`], built by
//! the genesis-only [`crate::demo_genesis`] pallet with the restaking pallets' real calls): a
//! demo consumer chain (id 0, admin and reporter Ferdie) funded for 1,000 epochs; two
//! operators, `//Bob//stash` and `//Charlie//stash`, opted in to it with the ed25519 keys of
//! `//Bob//consumer0` and `//Charlie//consumer0` (never `//Bob` / `//Charlie`: those are
//! Palisade GRANDPA keys, and a consumer key must not be one; see [`DEMO_BOB_CONSUMER_KEY`]);
//! each operator accepts both pools; a native pool (id 0, curator Dave, deposits from Dave and
//! `//Dave//stash`) and a pool of the demo asset dDOT (id 1, asset 1, curator Eve, valued at
//! 5 PAL per dDOT), both allocated to both operators for the demo consumer; and a PAL/LRT market
//! on `pallet-asset-conversion` (LP token 0) where `//Dave//stash` put 10,000 of its pool-0 LRT
//! and 9,900 PAL ([`DEMO_MARKET_LRT`], [`DEMO_MARKET_NATIVE`]). Alice, Bob and
//! Charlie (validator, sudo, council) and every other account take no part in it. The demo
//! consumer becomes Active with both operators at the first epoch transition. (A node built
//! with `runtime-benchmarks` leaves the demo world out: the benchmarks want empty pallets.)

use alloc::{string::ToString, vec, vec::Vec};
use frame_support::build_struct_json_patch;
use pallet_staking::StakerStatus;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	configs::staking::MAX_VALIDATORS,
	currency::UNITS,
	demo_genesis::{DemoConsumer, DemoMarket, DemoOperator, DemoPool},
	time::DAYS,
	AccountId, AssetId, AssetsConfig, Balance, BalancesConfig, BlockNumber, ConsumersConfig,
	CouncilMembershipConfig, DemoGenesisConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys,
	StakingConfig, SudoConfig,
};
use sp_core::H256;
use sp_runtime::{FixedU128, Perbill};
use sp_staking::EraIndex;

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
/// NPoS session on `--dev`: 5 blocks, so an era (6 sessions) lasts 90 s and a restaker sees an
/// era payout within minutes (the runtime's default is 10 minutes).
pub const DEV_SESSION_LENGTH: BlockNumber = 5;
/// NPoS slash deferral on `--dev`: none, so a validator's offence is slashed in the block that
/// reports it (the runtime's default defers it six eras, for governance to cancel it).
pub const DEV_SLASH_DEFER_DURATION: EraIndex = 0;
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

/// The demo asset (collateral of the demo asset pool): `pallet-assets` id.
pub const DEMO_ASSET: AssetId = 1;
/// Decimals of the demo asset.
pub const DEMO_ASSET_DECIMALS: u8 = 10;
/// One unit of the demo asset (dDOT), in base units.
pub const DEMO_ASSET_UNIT: Balance = 10_000_000_000;
/// The demo asset's valuation: 1 dDOT = 5 PAL, i.e. 500 PAL base units per dDOT base unit.
pub const DEMO_ASSET_VALUATION: u32 = 500;
/// The demo consumer's payment per epoch.
pub const DEMO_PAYMENT_PER_EPOCH: Balance = 100 * UNITS;
/// Epochs the demo consumer's escrow pays for at genesis.
pub const DEMO_FUNDED_EPOCHS: Balance = 1_000;

/// LRT of the demo native pool (0) that `//Dave//stash` puts into the demo PAL/LRT market (of
/// the 25,000 its deposit minted).
pub const DEMO_MARKET_LRT: Balance = 10_000 * UNITS;
/// PAL `//Dave//stash` puts next to it: the market opens at 0.99 PAL per LRT, a 1% discount on
/// the pool rate (1 at genesis), what a seller pays for not waiting out the withdrawal queue.
pub const DEMO_MARKET_NATIVE: Balance = 9_900 * UNITS;

/// Public ed25519 key of `//Bob//consumer0`: demo operator `//Bob//stash`'s key for the demo
/// consumer (0). Derived once (`sp_core::ed25519::Pair::from_string("//Bob//consumer0", None)`)
/// and written here, as the preset must build without the keyring's secret derivation.
pub const DEMO_BOB_CONSUMER_KEY: [u8; 32] = [
	0xb3, 0x27, 0x76, 0x08, 0x4e, 0x55, 0x0d, 0x70, 0x71, 0xaf, 0x19, 0x64, 0xbe, 0xb7, 0x9c, 0xc1,
	0xe6, 0x2f, 0xe6, 0x83, 0x6d, 0xa7, 0xe8, 0x1b, 0x28, 0xc9, 0xee, 0xb7, 0x61, 0xf3, 0x8b, 0x38,
];
/// Public ed25519 key of `//Charlie//consumer0`: demo operator `//Charlie//stash`'s key for
/// the demo consumer.
pub const DEMO_CHARLIE_CONSUMER_KEY: [u8; 32] = [
	0x35, 0x6d, 0x18, 0x6a, 0x30, 0x51, 0xf6, 0xd8, 0x9d, 0xba, 0x16, 0xb1, 0x8a, 0xbb, 0xf6, 0x2f,
	0xad, 0x71, 0x82, 0x6d, 0xd8, 0x70, 0x7b, 0x72, 0xe6, 0xed, 0xb4, 0x18, 0x40, 0x2c, 0x50, 0x8d,
];

/// The demo world of the development chains (see the module documentation): the demo asset in
/// `pallet-assets` genesis, and the consumer, operators and pools the
/// [`crate::demo_genesis`] pallet builds with real calls.
pub fn demo_world() -> Value {
	let account = |k: Sr25519Keyring| k.to_account_id();
	let (bob_stash, charlie_stash) =
		(account(Sr25519Keyring::BobStash), account(Sr25519Keyring::CharlieStash));
	let (dave, dave_stash, eve, ferdie) = (
		account(Sr25519Keyring::Dave),
		account(Sr25519Keyring::DaveStash),
		account(Sr25519Keyring::Eve),
		account(Sr25519Keyring::Ferdie),
	);
	let consumer = 0;
	build_struct_json_patch!(RuntimeGenesisConfig {
		assets: AssetsConfig {
			assets: vec![(DEMO_ASSET, eve.clone(), true, DEMO_ASSET_UNIT / 10_000)],
			metadata: vec![(
				DEMO_ASSET,
				b"Demo Staked DOT".to_vec(),
				b"dDOT".to_vec(),
				DEMO_ASSET_DECIMALS
			)],
			accounts: vec![
				(DEMO_ASSET, eve.clone(), 100_000 * DEMO_ASSET_UNIT),
				(DEMO_ASSET, ferdie.clone(), 5_000 * DEMO_ASSET_UNIT),
			],
		},
		demo_genesis: DemoGenesisConfig {
			consumers: vec![DemoConsumer {
				admin: ferdie.clone(),
				reporter: None,
				metadata: "Palisade demo consumer chain".to_string(),
				genesis_hash: H256::repeat_byte(0xde),
				min_operators: 1,
				max_operators: 10,
				min_stake_per_operator: 10_000 * UNITS,
				power_cap: Perbill::from_percent(60),
				payment_per_epoch: DEMO_PAYMENT_PER_EPOCH,
				funding: DEMO_FUNDED_EPOCHS * DEMO_PAYMENT_PER_EPOCH,
			}],
			operators: vec![
				DemoOperator {
					account: bob_stash.clone(),
					bond: 20_000 * UNITS,
					commission: Perbill::from_percent(10),
					metadata: "demo operator Bob".to_string(),
					opt_ins: vec![(consumer, H256(DEMO_BOB_CONSUMER_KEY))],
				},
				DemoOperator {
					account: charlie_stash.clone(),
					bond: 15_000 * UNITS,
					commission: Perbill::from_percent(5),
					metadata: "demo operator Charlie".to_string(),
					opt_ins: vec![(consumer, H256(DEMO_CHARLIE_CONSUMER_KEY))],
				},
			],
			pools: vec![
				DemoPool {
					curator: dave.clone(),
					asset: None,
					valuation: None,
					metadata: "Demo native pool".to_string(),
					deposit_cap: 1_000_000 * UNITS,
					deposits: vec![
						(dave.clone(), 50_000 * UNITS),
						(dave_stash.clone(), 25_000 * UNITS),
					],
					allocations: vec![
						(bob_stash.clone(), consumer, Perbill::from_percent(50)),
						(charlie_stash.clone(), consumer, Perbill::from_percent(40)),
					],
				},
				DemoPool {
					curator: eve.clone(),
					asset: Some(DEMO_ASSET),
					valuation: Some(FixedU128::from_u32(DEMO_ASSET_VALUATION)),
					metadata: "Demo dDOT pool".to_string(),
					deposit_cap: 50_000 * DEMO_ASSET_UNIT,
					deposits: vec![(eve.clone(), 10_000 * DEMO_ASSET_UNIT)],
					allocations: vec![
						(bob_stash, consumer, Perbill::from_percent(30)),
						(charlie_stash, consumer, Perbill::from_percent(30)),
					],
				},
			],
			markets: vec![DemoMarket {
				provider: dave_stash,
				pool: 0,
				lrt: DEMO_MARKET_LRT,
				native: DEMO_MARKET_NATIVE,
			}],
		},
	})
}

/// Merges the JSON `patch` onto `base` (objects recursively, everything else replaced).
fn merge(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge(base.entry(key).or_insert(Value::Null), value);
			}
		}
		(base, patch) => *base = patch,
	}
}

/// Adds the demo world to a development genesis, except in a `runtime-benchmarks` build: the
/// benchmarks run on `--chain dev` and expect the restaking pallets' storage empty (e.g. the
/// pools' `on_new_epoch` benchmark fills one epoch's allocation schedule to its bound).
fn add_demo_world(genesis: &mut Value) {
	if !cfg!(feature = "runtime-benchmarks") {
		merge(genesis, demo_world());
	}
}

/// `--dev`: Alice validates alone; the demo world.
pub fn development_config_genesis() -> Value {
	let mut genesis = palisade_genesis(
		vec![dev_validator(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		council_of_three(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		DEV_EPOCH_LENGTH,
	);
	add_demo_world(&mut genesis);
	if !cfg!(feature = "runtime-benchmarks") {
		merge(
			&mut genesis,
			serde_json::json!({ "demoGenesis": {
				"sessionLength": DEV_SESSION_LENGTH,
				"slashDeferDuration": DEV_SLASH_DEFER_DURATION,
			} }),
		);
	}
	// Alice is not invulnerable: an offence of hers is slashed like anybody's, so an NPoS slash
	// (of her and of her nominators, staked pools included) can be shown on a one-validator
	// chain. A single validator is never disabled (a third of a set of one is nobody).
	merge(&mut genesis, serde_json::json!({ "staking": { "invulnerables": [] } }));
	genesis
}

/// `--chain local`: Alice, Bob, Charlie and Dave validate; the demo world.
pub fn local_config_genesis() -> Value {
	let mut genesis = palisade_genesis(
		four_validators(),
		Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect(),
		council_of_three(),
		Some(Sr25519Keyring::Alice.to_account_id()),
		LOCAL_EPOCH_LENGTH,
	);
	add_demo_world(&mut genesis);
	genesis
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

#[cfg(all(test, not(feature = "runtime-benchmarks")))]
mod tests {
	use super::*;
	use crate::{
		configs::staking::{SlashDeferDuration, SLASH_DEFER_DURATION},
		tests::ext_from_preset,
		Runtime, Session, Staking,
	};
	use sp_staking::offence::{OffenceDetails, OnOffenceHandler};

	/// A 100% slash of `validator` reported now, as a GRANDPA equivocation of the only
	/// validator (`min((3 × 1 / 1)², 1)`) is.
	fn offence_of(validator: &AccountId) {
		<Staking as OnOffenceHandler<AccountId, (AccountId, ()), frame_support::weights::Weight>>::on_offence(
			&[OffenceDetails { offender: (validator.clone(), ()), reporters: vec![] }],
			&[Perbill::one()],
			Session::current_index(),
		);
	}

	fn bonded(who: &AccountId) -> Balance {
		pallet_staking::Ledger::<Runtime>::get(who).map_or(0, |ledger| ledger.active)
	}

	#[test]
	fn on_dev_alone_the_validator_is_slashed_and_at_once() {
		ext_from_preset("development").execute_with(|| {
			let alice = Sr25519Keyring::Alice.to_account_id();
			assert!(pallet_staking::Invulnerables::<Runtime>::get().is_empty());
			assert_eq!(SlashDeferDuration::get(), DEV_SLASH_DEFER_DURATION);
			assert_eq!(
				<Runtime as pallet_staking::Config>::SlashDeferDuration::get(),
				DEV_SLASH_DEFER_DURATION
			);
			assert_eq!(bonded(&alice), VALIDATOR_BOND);
			offence_of(&alice);
			// Applied in the reporting block, nothing deferred; the lone validator stays
			// enabled (a third of a set of one is nobody), so the chain goes on.
			assert_eq!(bonded(&alice), 0);
			assert_eq!(pallet_staking::UnappliedSlashes::<Runtime>::iter().count(), 0);
			assert!(pallet_session::DisabledValidators::<Runtime>::get().is_empty());
		});
		for preset in ["local_testnet", "staging"] {
			ext_from_preset(preset).execute_with(|| {
				let alice = Sr25519Keyring::Alice.to_account_id();
				assert_eq!(pallet_staking::Invulnerables::<Runtime>::get().len(), 4, "{preset}");
				assert_eq!(SlashDeferDuration::get(), SLASH_DEFER_DURATION, "{preset}");
				offence_of(&alice);
				assert_eq!(bonded(&alice), VALIDATOR_BOND, "{preset}: invulnerable");
			});
		}
	}
}
