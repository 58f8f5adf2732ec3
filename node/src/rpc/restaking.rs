//! The `restaking_*` JSON-RPC module: the runtime's
//! [`RestakingApi`](palisade_runtime_api::RestakingApi) served as JSON.
//!
//! Every method answers at the best block, or at the block whose hash is given as the optional
//! last parameter `at`. The JSON is meant for JavaScript clients, so nothing loses precision:
//!
//! - field names are camelCase;
//! - every amount (u128) is a **decimal string** (`"1000000000000"` is 1 PAL);
//! - exchange rates and valuations are decimal strings with 18 decimals (`"1.050000000000000000"`)
//!   plus the exact `FixedU128` inner value as `...Raw` (parts per 10^18);
//! - fractions (allocations, commission, power cap, slash fractions) are integers of parts per
//!   billion, in fields ending in `Perbill` (`500000000` is 50%);
//! - accounts are SS58 strings with the generic Substrate prefix 42; keys and hashes are `0x`
//!   hex; metadata is a UTF-8 string when it is one, `0x` hex otherwise.
//!
//! Unknown ids and malformed accounts are JSON-RPC errors with the codes in [`error_codes`] and
//! a message saying what was not found.

use std::sync::Arc;

use jsonrpsee::{core::RpcResult, proc_macros::rpc, types::ErrorObjectOwned};
use palisade_runtime::{opaque::Block, AccountId, Balance};
use palisade_runtime_api::{
	Collateral, ConsumerParamsView, ConsumerStatusView, EvidenceView, FixedU128, OffenceKindView,
	OperatorStatusView, PauseReasonView, Perbill, RestakingApi as RestakingRuntimeApi,
	RestakingApiError,
};
use serde::Serialize;
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_core::crypto::{Ss58AddressFormat, Ss58Codec};
use sp_runtime::traits::Block as BlockT;

/// Version of the `restaking_*` RPC interface. Bumped on every incompatible change.
///
/// - 0: `restaking_apiVersion` only.
/// - 1: pools, positions, operators, consumers, validator sets, pending slashes, epoch; a
///   pool's `marketPrice` (its LRT on the asset-conversion pool) was added later, compatibly.
pub const RESTAKING_RPC_VERSION: u32 = 1;

/// The SS58 prefix accounts are shown with (Palisade's `ss58Format`).
pub const SS58_PREFIX: u16 = 42;

/// The JSON-RPC error codes of the `restaking_*` methods.
pub mod error_codes {
	/// No pool with this id.
	pub const UNKNOWN_POOL: i32 = 9001;
	/// The account is not a registered operator.
	pub const UNKNOWN_OPERATOR: i32 = 9002;
	/// No consumer chain with this id.
	pub const UNKNOWN_CONSUMER: i32 = 9003;
	/// The account parameter is neither an SS58 address nor 32 bytes of hex.
	pub const INVALID_ACCOUNT: i32 = 9004;
	/// The runtime at that block has no `RestakingApi` (or an unknown block hash was given).
	pub const API_UNAVAILABLE: i32 = 9005;
	/// The runtime API call failed.
	pub const RUNTIME_ERROR: i32 = 9006;
}

/// The block hash type.
pub type Hash = <Block as BlockT>::Hash;

fn error(code: i32, message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObjectOwned::owned(code, message.into(), None::<()>)
}

fn ss58(account: &AccountId) -> String {
	account.to_ss58check_with_version(Ss58AddressFormat::custom(SS58_PREFIX))
}

fn hex(bytes: &[u8]) -> String {
	let mut out = String::with_capacity(2 + bytes.len() * 2);
	out.push_str("0x");
	for byte in bytes {
		out.push_str(&format!("{byte:02x}"));
	}
	out
}

fn text(bytes: Vec<u8>) -> String {
	match String::from_utf8(bytes) {
		Ok(text) => text,
		Err(error) => hex(error.as_bytes()),
	}
}

fn amount(value: Balance) -> String {
	value.to_string()
}

/// A `FixedU128` as a decimal string with 18 decimals.
fn fixed(value: FixedU128) -> String {
	let inner = value.into_inner();
	let div = 1_000_000_000_000_000_000u128;
	format!("{}.{:018}", inner / div, inner % div)
}

fn fixed_raw(value: FixedU128) -> String {
	value.into_inner().to_string()
}

fn perbill(value: Perbill) -> u32 {
	value.deconstruct()
}

/// Parses an account given as an SS58 address (any prefix) or as `0x` + 64 hex digits.
pub fn parse_account(account: &str) -> Result<AccountId, ErrorObjectOwned> {
	let trimmed = account.trim();
	if let Some(hex_digits) = trimmed.strip_prefix("0x") {
		if hex_digits.len() == 64 {
			let mut bytes = [0u8; 32];
			for (i, byte) in bytes.iter_mut().enumerate() {
				*byte = u8::from_str_radix(&hex_digits[2 * i..2 * i + 2], 16).map_err(|_| {
					error(error_codes::INVALID_ACCOUNT, format!("invalid hex account {account:?}"))
				})?;
			}
			return Ok(AccountId::new(bytes));
		}
	}
	AccountId::from_ss58check(trimmed).map_err(|e| {
		error(
			error_codes::INVALID_ACCOUNT,
			format!(
				"invalid account {account:?}: expected an SS58 address or 0x + 64 hex digits ({e:?})"
			),
		)
	})
}

/// What a pool is made of.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum CollateralJson {
	/// PAL.
	Native,
	/// A `pallet-assets` asset.
	Asset {
		/// Its id.
		asset_id: u32,
	},
	/// PAL bonded in NPoS staking (native restaking).
	NativeStaked,
}

/// `restaking_pool`.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct PoolJson {
	pub pool_id: u32,
	pub curator: String,
	pub collateral: CollateralJson,
	pub decimals: u8,
	pub open: bool,
	pub deposit_cap: String,
	/// Active value, collateral units.
	pub value: String,
	/// Active value, native units.
	pub value_native: String,
	/// Native base units per collateral base unit (`null`: an asset without valuation).
	pub valuation: Option<String>,
	pub valuation_raw: Option<String>,
	pub withdrawal_queue: String,
	pub reward_pot: String,
	pub lrt_asset: u32,
	pub lrt_symbol: String,
	pub lrt_supply: String,
	/// Collateral units per LRT unit.
	pub rate: String,
	pub rate_raw: String,
	/// PAL Planck that selling one whole LRT (`10^decimals` base units) on its PAL/LRT
	/// asset-conversion pool pays now, swap fee and price impact included (`null`: no pool,
	/// an empty one, or too shallow).
	pub market_price: Option<String>,
	/// Consumer payments earned and not claimed yet (PAL Planck).
	pub pending_rewards: String,
	/// Rewards claimed into the pool that are not in `rate` yet (they vest one slice per epoch).
	pub vesting: String,
	pub allocations: Vec<AllocationJson>,
	pub metadata: String,
}

/// One allocation of a pool.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct AllocationJson {
	pub consumer_id: u32,
	pub operator: String,
	pub fraction_perbill: u32,
	pub pending: Option<PendingFractionJson>,
	pub backing: String,
}

/// A scheduled allocation change.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct PendingFractionJson {
	pub fraction_perbill: u32,
	pub effective_epoch: u32,
}

/// `restaking_positions`.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct PositionsJson {
	pub account: String,
	pub holdings: Vec<HoldingJson>,
	pub withdrawals: Vec<WithdrawalJson>,
}

/// An LRT holding.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct HoldingJson {
	pub pool_id: u32,
	pub lrt_asset: u32,
	pub lrt: String,
	pub value: String,
	pub value_native: String,
	pub reward: String,
	pub rate: String,
	pub rate_raw: String,
}

/// An open withdrawal request.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct WithdrawalJson {
	pub request_id: u32,
	pub pool_id: u32,
	pub lrt_burnt: String,
	pub value_at_request: String,
	pub claimable: String,
	pub reward: String,
	pub requested_at: u32,
	pub claimable_at: u32,
	pub claimable_at_block: u32,
	pub ready: bool,
}

/// `restaking_operator`.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct OperatorJson {
	pub operator: String,
	/// `active`, `jailed` or `leaving`.
	pub status: &'static str,
	pub jailed_until: Option<u32>,
	pub bond: String,
	pub unbonding: Vec<UnbondingJson>,
	pub commission_perbill: u32,
	pub pending_commission: Option<PendingCommissionJson>,
	pub metadata: String,
	pub registered_at: u32,
	/// Rewards earned and not claimed yet (PAL Planck).
	pub pending_rewards: String,
	pub opt_ins: Vec<OptInJson>,
}

/// An unbonding chunk.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct UnbondingJson {
	pub amount: String,
	pub unlock_epoch: u32,
}

/// A scheduled commission increase.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct PendingCommissionJson {
	pub commission_perbill: u32,
	pub effective_epoch: u32,
}

/// A scheduled key rotation.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct PendingKeyJson {
	pub key: String,
	pub effective_epoch: u32,
}

/// A pool and an amount.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct PoolAmountJson {
	pub pool_id: u32,
	pub amount: String,
}

/// An operator's opt-in.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct OptInJson {
	pub consumer_id: u32,
	pub key: String,
	pub pending_key: Option<PendingKeyJson>,
	pub since: u32,
	pub leaving_at: Option<u32>,
	pub eligible: bool,
	pub own_stake: String,
	pub pools: Vec<PoolAmountJson>,
	pub total_stake: String,
	pub in_set: bool,
	pub power: Option<String>,
}

/// A consumer's parameters.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ConsumerParamsJson {
	pub min_operators: u32,
	pub max_operators: u32,
	pub min_stake_per_operator: String,
	pub power_cap_perbill: u32,
	pub payment_per_epoch: String,
}

/// A scheduled parameter change.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct PendingParamsJson {
	pub params: ConsumerParamsJson,
	pub effective_epoch: u32,
}

/// `restaking_consumer`.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ConsumerJson {
	pub consumer_id: u32,
	/// `registered`, `active`, `paused`, `deregistered` or `retired`.
	pub status: &'static str,
	/// Why it is paused: `notEnoughOperators` or `insufficientEscrow`.
	pub pause_reason: Option<&'static str>,
	/// For a deregistered (or retired) consumer.
	pub last_active_epoch: Option<u32>,
	pub admin: String,
	pub reporter: String,
	pub escrow: String,
	pub escrow_account: String,
	pub epochs_funded: Option<u32>,
	pub total_funded: String,
	pub total_paid: String,
	pub params: ConsumerParamsJson,
	pub pending_params: Option<PendingParamsJson>,
	pub genesis_hash: String,
	pub metadata: String,
	pub registered_at: u32,
	pub last_set_id: Option<u64>,
	pub set_size: u32,
}

/// `restaking_validatorSet`.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct ValidatorSetJson {
	pub consumer_id: u32,
	pub status: &'static str,
	/// Whether the consumer has a set now (it is active).
	pub active: bool,
	/// The epoch the set was (re)published for.
	pub epoch: Option<u32>,
	pub set_id: Option<u64>,
	pub set_hash: Option<String>,
	pub total_power: String,
	pub members: Vec<MemberJson>,
}

/// A validator set member.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct MemberJson {
	pub operator: String,
	pub key: String,
	pub power: String,
	pub stake: String,
}

/// How an offence was established.
#[derive(Serialize, Debug, Clone)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum EvidenceJson {
	/// The reporter said so.
	Reported {
		/// Its details.
		details: String,
	},
	/// A GRANDPA equivocation proof.
	GrandpaEquivocation {
		/// The GRANDPA set id.
		set_id: u64,
		/// The round.
		round: u64,
		/// The offender's key.
		key: String,
	},
}

/// `restaking_pendingSlashes` (one entry).
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct PendingSlashJson {
	pub slash_id: u32,
	pub consumer_id: u32,
	pub operator: String,
	/// `downtime`, `equivocation` or `misbehaviour`.
	pub kind: &'static str,
	pub epoch: u32,
	pub fraction_perbill: u32,
	pub reporter: Option<String>,
	pub reported_at: u32,
	pub due_epoch: u32,
	pub due_block: u32,
	pub bond_amount: String,
	pub pools_amount: String,
	pub pool_amounts: Vec<PoolAmountJson>,
	pub evidence: EvidenceJson,
}

/// The delays, in epochs.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct DelaysJson {
	pub withdrawal: u32,
	pub deallocation: u32,
	pub opt_out: u32,
	pub unbonding: u32,
	pub commission_change: u32,
	pub report_window: u32,
	pub veto_delay: u32,
	pub exposure_retention: u32,
}

/// `restaking_epoch`.
#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
pub struct EpochJson {
	pub current_epoch: u32,
	pub epoch_length: u32,
	pub epoch_start: u32,
	pub next_epoch_start: u32,
	pub block_number: u32,
	/// The hash of the block this answer is for.
	pub block_hash: String,
	pub transition_pending: bool,
	pub delays: DelaysJson,
}

fn status_name(status: ConsumerStatusView) -> &'static str {
	match status {
		ConsumerStatusView::Registered => "registered",
		ConsumerStatusView::Active => "active",
		ConsumerStatusView::Paused { .. } => "paused",
		ConsumerStatusView::Deregistered { .. } => "deregistered",
		ConsumerStatusView::Retired { .. } => "retired",
	}
}

fn params_json(params: ConsumerParamsView<Balance>) -> ConsumerParamsJson {
	ConsumerParamsJson {
		min_operators: params.min_operators,
		max_operators: params.max_operators,
		min_stake_per_operator: amount(params.min_stake_per_operator),
		power_cap_perbill: perbill(params.power_cap),
		payment_per_epoch: amount(params.payment_per_epoch),
	}
}

fn pool_amounts(list: Vec<(u32, Balance)>) -> Vec<PoolAmountJson> {
	list.into_iter()
		.map(|(pool_id, value)| PoolAmountJson { pool_id, amount: amount(value) })
		.collect()
}

fn api_error(failure: RestakingApiError, what: String) -> ErrorObjectOwned {
	match failure {
		RestakingApiError::UnknownPool => {
			error(error_codes::UNKNOWN_POOL, format!("unknown pool: {what}"))
		}
		RestakingApiError::UnknownOperator => error(
			error_codes::UNKNOWN_OPERATOR,
			format!("unknown operator: {what} is not a registered operator"),
		),
		RestakingApiError::UnknownConsumer => {
			error(error_codes::UNKNOWN_CONSUMER, format!("unknown consumer: {what}"))
		}
	}
}

/// Palisade's restaking RPC methods.
#[rpc(server)]
pub trait RestakingApi {
	/// The version of the `restaking_*` interface this node serves.
	#[method(name = "restaking_apiVersion")]
	fn api_version(&self) -> RpcResult<u32>;

	/// The ids of every pool.
	#[method(name = "restaking_poolIds")]
	fn pool_ids(&self, at: Option<Hash>) -> RpcResult<Vec<u32>>;

	/// A pool: collateral, value, LRT asset and supply, exchange rate, allocations.
	#[method(name = "restaking_pool")]
	fn pool(&self, pool_id: u32, at: Option<Hash>) -> RpcResult<PoolJson>;

	/// An account's LRT holdings (valued at the current rates) and open withdrawal requests.
	#[method(name = "restaking_positions")]
	fn positions(&self, account: String, at: Option<Hash>) -> RpcResult<PositionsJson>;

	/// An operator: status, bond, commission, opt-ins with keys and stake per consumer.
	#[method(name = "restaking_operator")]
	fn operator(&self, operator: String, at: Option<Hash>) -> RpcResult<OperatorJson>;

	/// The ids of every consumer chain.
	#[method(name = "restaking_consumerIds")]
	fn consumer_ids(&self, at: Option<Hash>) -> RpcResult<Vec<u32>>;

	/// A consumer chain: status, escrow, parameters, admin, reporter.
	#[method(name = "restaking_consumer")]
	fn consumer(&self, consumer_id: u32, at: Option<Hash>) -> RpcResult<ConsumerJson>;

	/// The validator set a consumer chain must run now.
	#[method(name = "restaking_validatorSet")]
	fn validator_set(&self, consumer_id: u32, at: Option<Hash>) -> RpcResult<ValidatorSetJson>;

	/// Pending slashes, of one consumer (`consumer_id`) or of all (`null`).
	#[method(name = "restaking_pendingSlashes")]
	fn pending_slashes(
		&self,
		consumer_id: Option<u32>,
		at: Option<Hash>,
	) -> RpcResult<Vec<PendingSlashJson>>;

	/// The epoch clock and the restaking delays.
	#[method(name = "restaking_epoch")]
	fn epoch(&self, at: Option<Hash>) -> RpcResult<EpochJson>;
}

/// Implementation of [`RestakingApiServer`] over a client.
pub struct Restaking<C> {
	client: Arc<C>,
}

impl<C> Restaking<C> {
	/// A new instance over `client`.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C> Restaking<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RestakingRuntimeApi<Block, AccountId, Balance>,
{
	/// Runs `f` against the runtime API at `at` (the best block by default), checking first
	/// that the runtime there has the API.
	fn call<R>(
		&self,
		at: Option<Hash>,
		f: impl FnOnce(&C::Api, Hash) -> Result<R, sp_api::ApiError>,
	) -> RpcResult<(R, Hash)> {
		let at = at.unwrap_or_else(|| self.client.info().best_hash);
		let api = self.client.runtime_api();
		match api.api_version::<dyn RestakingRuntimeApi<Block, AccountId, Balance>>(at) {
			Ok(Some(_)) => {}
			Ok(None) => {
				return Err(error(
					error_codes::API_UNAVAILABLE,
					format!("the runtime at block {at:?} has no RestakingApi"),
				))
			}
			Err(e) => {
				return Err(error(
					error_codes::API_UNAVAILABLE,
					format!("cannot use the runtime at block {at:?}: {e}"),
				))
			}
		}
		f(&api, at).map(|r| (r, at)).map_err(|e| {
			error(error_codes::RUNTIME_ERROR, format!("RestakingApi call failed at {at:?}: {e}"))
		})
	}
}

impl<C> RestakingApiServer for Restaking<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: RestakingRuntimeApi<Block, AccountId, Balance>,
{
	fn api_version(&self) -> RpcResult<u32> {
		Ok(RESTAKING_RPC_VERSION)
	}

	fn pool_ids(&self, at: Option<Hash>) -> RpcResult<Vec<u32>> {
		Ok(self.call(at, |api, at| api.pool_ids(at))?.0)
	}

	fn pool(&self, pool_id: u32, at: Option<Hash>) -> RpcResult<PoolJson> {
		let view = self
			.call(at, |api, at| api.pool(at, pool_id))?
			.0
			.map_err(|e| api_error(e, format!("pool {pool_id}")))?;
		Ok(PoolJson {
			pool_id: view.pool_id,
			curator: ss58(&view.curator),
			collateral: match view.collateral {
				Collateral::Native => CollateralJson::Native,
				Collateral::Asset(asset_id) => CollateralJson::Asset { asset_id },
				Collateral::NativeStaked => CollateralJson::NativeStaked,
			},
			decimals: view.decimals,
			open: view.open,
			deposit_cap: amount(view.deposit_cap),
			value: amount(view.value),
			value_native: amount(view.value_native),
			valuation: view.valuation.map(fixed),
			valuation_raw: view.valuation.map(fixed_raw),
			withdrawal_queue: amount(view.withdrawal_queue),
			reward_pot: amount(view.reward_pot),
			lrt_asset: view.lrt_asset,
			lrt_symbol: text(view.lrt_symbol),
			lrt_supply: amount(view.lrt_supply),
			rate: fixed(view.rate),
			rate_raw: fixed_raw(view.rate),
			market_price: view.market_price.map(amount),
			pending_rewards: amount(view.pending_rewards),
			vesting: amount(view.vesting),
			allocations: view
				.allocations
				.into_iter()
				.map(|a| AllocationJson {
					consumer_id: a.consumer_id,
					operator: ss58(&a.operator),
					fraction_perbill: perbill(a.fraction),
					pending: a.pending.map(|p| PendingFractionJson {
						fraction_perbill: perbill(p.fraction),
						effective_epoch: p.effective_epoch,
					}),
					backing: amount(a.backing),
				})
				.collect(),
			metadata: text(view.metadata),
		})
	}

	fn positions(&self, account: String, at: Option<Hash>) -> RpcResult<PositionsJson> {
		let who = parse_account(&account)?;
		let view = self.call(at, |api, at| api.positions(at, who.clone()))?.0;
		Ok(PositionsJson {
			account: ss58(&who),
			holdings: view
				.holdings
				.into_iter()
				.map(|h| HoldingJson {
					pool_id: h.pool_id,
					lrt_asset: h.lrt_asset,
					lrt: amount(h.lrt),
					value: amount(h.value),
					value_native: amount(h.value_native),
					reward: amount(h.reward),
					rate: fixed(h.rate),
					rate_raw: fixed_raw(h.rate),
				})
				.collect(),
			withdrawals: view
				.withdrawals
				.into_iter()
				.map(|w| WithdrawalJson {
					request_id: w.request_id,
					pool_id: w.pool_id,
					lrt_burnt: amount(w.lrt_burnt),
					value_at_request: amount(w.value_at_request),
					claimable: amount(w.claimable),
					reward: amount(w.reward),
					requested_at: w.requested_at,
					claimable_at: w.claimable_at,
					claimable_at_block: w.claimable_at_block,
					ready: w.ready,
				})
				.collect(),
		})
	}

	fn operator(&self, operator: String, at: Option<Hash>) -> RpcResult<OperatorJson> {
		let who = parse_account(&operator)?;
		let view = self
			.call(at, |api, at| api.operator(at, who.clone()))?
			.0
			.map_err(|e| api_error(e, ss58(&who)))?;
		let (status, jailed_until) = match view.status {
			OperatorStatusView::Active => ("active", None),
			OperatorStatusView::Jailed { until } => ("jailed", Some(until)),
			OperatorStatusView::Leaving => ("leaving", None),
		};
		Ok(OperatorJson {
			operator: ss58(&view.operator),
			status,
			jailed_until,
			bond: amount(view.bond),
			unbonding: view
				.unbonding
				.into_iter()
				.map(|u| UnbondingJson { amount: amount(u.amount), unlock_epoch: u.unlock_epoch })
				.collect(),
			commission_perbill: perbill(view.commission),
			pending_commission: view.pending_commission.map(|p| PendingCommissionJson {
				commission_perbill: perbill(p.commission),
				effective_epoch: p.effective_epoch,
			}),
			metadata: text(view.metadata),
			registered_at: view.registered_at,
			pending_rewards: amount(view.pending_rewards),
			opt_ins: view
				.opt_ins
				.into_iter()
				.map(|o| OptInJson {
					consumer_id: o.consumer_id,
					key: hex(&o.key),
					pending_key: o.pending_key.map(|(key, effective_epoch)| PendingKeyJson {
						key: hex(&key),
						effective_epoch,
					}),
					since: o.since,
					leaving_at: o.leaving_at,
					eligible: o.eligible,
					own_stake: amount(o.own_stake),
					pools: pool_amounts(o.pools),
					total_stake: amount(o.total_stake),
					in_set: o.power.is_some(),
					power: o.power.map(amount),
				})
				.collect(),
		})
	}

	fn consumer_ids(&self, at: Option<Hash>) -> RpcResult<Vec<u32>> {
		Ok(self.call(at, |api, at| api.consumer_ids(at))?.0)
	}

	fn consumer(&self, consumer_id: u32, at: Option<Hash>) -> RpcResult<ConsumerJson> {
		let view = self
			.call(at, |api, at| api.consumer(at, consumer_id))?
			.0
			.map_err(|e| api_error(e, format!("consumer {consumer_id}")))?;
		let (pause_reason, last_active_epoch) = match view.status {
			ConsumerStatusView::Paused { reason } => (
				Some(match reason {
					PauseReasonView::NotEnoughOperators => "notEnoughOperators",
					PauseReasonView::InsufficientEscrow => "insufficientEscrow",
				}),
				None,
			),
			ConsumerStatusView::Deregistered { last_active_epoch }
			| ConsumerStatusView::Retired { last_active_epoch } => (None, Some(last_active_epoch)),
			_ => (None, None),
		};
		Ok(ConsumerJson {
			consumer_id: view.consumer_id,
			status: status_name(view.status),
			pause_reason,
			last_active_epoch,
			admin: ss58(&view.admin),
			reporter: ss58(&view.reporter),
			escrow: amount(view.escrow),
			escrow_account: ss58(&view.escrow_account),
			epochs_funded: view.epochs_funded,
			total_funded: amount(view.total_funded),
			total_paid: amount(view.total_paid),
			params: params_json(view.params),
			pending_params: view.pending_params.map(|(params, effective_epoch)| {
				PendingParamsJson { params: params_json(params), effective_epoch }
			}),
			genesis_hash: hex(&view.genesis_hash),
			metadata: text(view.metadata),
			registered_at: view.registered_at,
			last_set_id: view.last_set_id,
			set_size: view.set_size,
		})
	}

	fn validator_set(&self, consumer_id: u32, at: Option<Hash>) -> RpcResult<ValidatorSetJson> {
		let view = self
			.call(at, |api, at| api.validator_set(at, consumer_id))?
			.0
			.map_err(|e| api_error(e, format!("consumer {consumer_id}")))?;
		let status = status_name(view.status);
		Ok(match view.set {
			Some(set) => ValidatorSetJson {
				consumer_id,
				status,
				active: true,
				epoch: Some(set.epoch),
				set_id: Some(set.set_id),
				set_hash: Some(hex(&set.set_hash)),
				total_power: amount(set.total_power),
				members: set
					.members
					.into_iter()
					.map(|m| MemberJson {
						operator: ss58(&m.operator),
						key: hex(&m.key),
						power: amount(m.power),
						stake: amount(m.stake),
					})
					.collect(),
			},
			None => ValidatorSetJson {
				consumer_id,
				status,
				active: false,
				epoch: None,
				set_id: None,
				set_hash: None,
				total_power: amount(0),
				members: Vec::new(),
			},
		})
	}

	fn pending_slashes(
		&self,
		consumer_id: Option<u32>,
		at: Option<Hash>,
	) -> RpcResult<Vec<PendingSlashJson>> {
		let views = self
			.call(at, |api, at| api.pending_slashes(at, consumer_id))?
			.0
			.map_err(|e| api_error(e, format!("consumer {}", consumer_id.unwrap_or_default())))?;
		Ok(views
			.into_iter()
			.map(|s| PendingSlashJson {
				slash_id: s.slash_id,
				consumer_id: s.consumer_id,
				operator: ss58(&s.operator),
				kind: match s.kind {
					OffenceKindView::Downtime => "downtime",
					OffenceKindView::Equivocation => "equivocation",
					OffenceKindView::Misbehaviour => "misbehaviour",
				},
				epoch: s.epoch,
				fraction_perbill: perbill(s.fraction),
				reporter: s.reporter.as_ref().map(ss58),
				reported_at: s.reported_at,
				due_epoch: s.due_epoch,
				due_block: s.due_block,
				bond_amount: amount(s.bond_amount),
				pools_amount: amount(s.pools_amount),
				pool_amounts: pool_amounts(s.pool_amounts),
				evidence: match s.evidence {
					EvidenceView::Reported { details } => {
						EvidenceJson::Reported { details: text(details) }
					}
					EvidenceView::GrandpaEquivocation { set_id, round, key } => {
						EvidenceJson::GrandpaEquivocation { set_id, round, key: hex(&key) }
					}
				},
			})
			.collect())
	}

	fn epoch(&self, at: Option<Hash>) -> RpcResult<EpochJson> {
		let (view, hash) = self.call(at, |api, at| api.epoch(at))?;
		Ok(EpochJson {
			current_epoch: view.current_epoch,
			epoch_length: view.epoch_length,
			epoch_start: view.epoch_start,
			next_epoch_start: view.next_epoch_start,
			block_number: view.block_number,
			block_hash: hex(hash.as_ref()),
			transition_pending: view.transition_pending,
			delays: DelaysJson {
				withdrawal: view.delays.withdrawal,
				deallocation: view.delays.deallocation,
				opt_out: view.delays.opt_out,
				unbonding: view.delays.unbonding,
				commission_change: view.delays.commission_change,
				report_window: view.delays.report_window,
				veto_delay: view.delays.veto_delay,
				exposure_retention: view.delays.exposure_retention,
			},
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn fixed_point_prints_with_18_decimals() {
		assert_eq!(fixed(FixedU128::from_u32(1)), "1.000000000000000000");
		assert_eq!(fixed(FixedU128::from_rational(21, 20)), "1.050000000000000000");
		assert_eq!(fixed(FixedU128::from_inner(1)), "0.000000000000000001");
	}

	#[test]
	fn accounts_parse_from_ss58_and_hex_and_print_with_prefix_42() {
		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let parsed = parse_account(alice).expect("ss58");
		assert_eq!(ss58(&parsed), alice);
		let hex_form = "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";
		assert_eq!(parse_account(hex_form).expect("hex"), parsed);
		assert_eq!(hex(parsed.as_ref()), hex_form);
		let error = parse_account("not-an-account").unwrap_err();
		assert_eq!(error.code(), error_codes::INVALID_ACCOUNT);
	}

	#[test]
	fn collateral_and_evidence_serialize_tagged() {
		assert_eq!(
			serde_json::to_string(&CollateralJson::Asset { asset_id: 1 }).unwrap(),
			r#"{"kind":"asset","assetId":1}"#
		);
		assert_eq!(serde_json::to_string(&CollateralJson::Native).unwrap(), r#"{"kind":"native"}"#);
	}
}
