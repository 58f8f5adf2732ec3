//! The views of [`palisade_runtime_api::RestakingApi`], built from the restaking pallets'
//! storage and public query helpers. `apis.rs` only forwards to these functions, so the
//! runtime tests can call them directly.
//!
//! Everything is read at the state the API is called at (the best block for the node's RPC);
//! "now" is the current restaking epoch. Block numbers of future epochs are estimates.

use alloc::vec::Vec;
use frame_support::traits::{fungible::NativeOrWithId, fungibles};
use palisade_primitives::{ConsumerId, EpochIndex, LrtInterface, PoolId};
use palisade_runtime_api::{
	AllocationView, BlockNumber, ConsumerParamsView, ConsumerStatusView, ConsumerView, DelaysView,
	EpochView, EvidenceView, HoldingView, MemberView, OffenceKindView, OperatorStatusView,
	OperatorView, OptInView, PauseReasonView, PendingCommissionView, PendingFraction,
	PendingSlashView, PoolView, PositionsView, PublishedSetView, RestakingApiError, UnbondingView,
	ValidatorSetView, WithdrawalView,
};
use sp_runtime::{helpers_128bit::multiply_by_rational_with_rounding, traits::Zero, Rounding};

use crate::{
	configs::restaking::{
		CommissionChangeDelay, DEALLOCATION_DELAY, EXPOSURE_RETENTION, OPT_OUT_DELAY,
		UNBONDING_DELAY, WITHDRAWAL_DELAY,
	},
	AccountId, AssetConversion, AssetId, Assets, Balance, Consumers, Lrt, Operators, Runtime,
	ServiceSlashing, System,
};

type Pools = pallet_restaking_pools::Pallet<Runtime>;

fn now() -> EpochIndex {
	Consumers::current_epoch()
}

/// The first block of `epoch`: exact for the current and past epochs (if the clock never
/// waited for a transition), an estimate for future ones.
pub fn epoch_start_block(epoch: EpochIndex) -> BlockNumber {
	let current = now();
	let length = pallet_consumers::EpochLength::<Runtime>::get();
	let start = pallet_consumers::EpochStart::<Runtime>::get();
	if epoch >= current {
		start.saturating_add(length.saturating_mul(epoch - current))
	} else {
		start.saturating_sub(length.saturating_mul(current - epoch))
	}
}

/// The ids of every pool, ascending.
pub fn pool_ids() -> Vec<PoolId> {
	let mut ids: Vec<PoolId> = pallet_restaking_pools::Pools::<Runtime>::iter_keys().collect();
	ids.sort();
	ids
}

/// Pool `pool_id`.
pub fn pool(pool_id: PoolId) -> Result<PoolView<AccountId, Balance>, RestakingApiError> {
	let record = pallet_restaking_pools::Pools::<Runtime>::get(pool_id)
		.ok_or(RestakingApiError::UnknownPool)?;
	let epoch = now();
	let mut allocations = Vec::new();
	for consumer_id in pallet_restaking_pools::PoolConsumers::<Runtime>::get(pool_id) {
		for entry in pallet_restaking_pools::Allocations::<Runtime>::get(pool_id, consumer_id) {
			let backing = Pools::pool_backing(pool_id, &entry.operator, consumer_id, epoch);
			allocations.push(AllocationView {
				consumer_id,
				fraction: entry.fraction_at(epoch),
				pending: entry.pending.filter(|pending| pending.effective > epoch).map(|pending| {
					PendingFraction {
						fraction: pending.fraction,
						effective_epoch: pending.effective,
					}
				}),
				backing,
				operator: entry.operator,
			});
		}
	}
	let decimals = pallet_lrt::Lrts::<Runtime>::get(pool_id).map(|lrt| lrt.decimals).unwrap_or(0);
	let market_price = market_price(record.lrt_asset, decimals);
	let rate_value = record.rate_value(epoch);
	let vesting = record.locked_rewards(epoch);
	Ok(PoolView {
		pool_id,
		curator: record.curator,
		collateral: record.collateral,
		decimals,
		open: record.state == pallet_restaking_pools::PoolState::Open,
		deposit_cap: record.deposit_cap,
		value: record.active,
		value_native: Pools::to_native(record.collateral, record.active),
		valuation: Pools::valuation(record.collateral),
		withdrawal_queue: record.queued,
		reward_pot: record.reward_pot,
		lrt_asset: record.lrt_asset,
		lrt_symbol: <Assets as fungibles::metadata::Inspect<AccountId>>::symbol(record.lrt_asset),
		lrt_supply: <Lrt as LrtInterface<AccountId, Balance>>::supply(pool_id),
		rate: <Lrt as LrtInterface<AccountId, Balance>>::rate(pool_id, rate_value),
		market_price,
		pending_rewards: Consumers::pending_pool_rewards(pool_id),
		vesting,
		allocations,
		metadata: pallet_restaking_pools::PoolMetadata::<Runtime>::get(pool_id).into_inner(),
	})
}

/// What selling one whole unit (`10^decimals` base units) of asset `lrt_asset` for PAL on its
/// asset-conversion pool pays now, in Planck, swap fee and price impact included: `None` if
/// there is no such pool, it is empty or too shallow, or `10^decimals` overflows.
pub fn market_price(lrt_asset: AssetId, decimals: u8) -> Option<Balance> {
	let one = Balance::from(10u8).checked_pow(u32::from(decimals))?;
	AssetConversion::quote_price_exact_tokens_for_tokens(
		NativeOrWithId::WithId(lrt_asset),
		NativeOrWithId::Native,
		one,
		true,
	)
}

/// What `who` holds in the pools and its open withdrawal requests.
pub fn positions(who: AccountId) -> PositionsView<Balance> {
	let mut holdings = Vec::new();
	for pool_id in pool_ids() {
		let Some(record) = pallet_restaking_pools::Pools::<Runtime>::get(pool_id) else {
			continue;
		};
		let lrt = <Lrt as LrtInterface<AccountId, Balance>>::balance(pool_id, &who);
		if lrt.is_zero() {
			continue;
		}
		let supply = <Lrt as LrtInterface<AccountId, Balance>>::supply(pool_id);
		let epoch = now();
		let rate_value = record.rate_value(epoch);
		let pot = record.released_pot(epoch);
		let value = <Lrt as LrtInterface<AccountId, Balance>>::value_of(pool_id, lrt, rate_value);
		let reward = if supply.is_zero() {
			0
		} else {
			multiply_by_rational_with_rounding(pot, lrt, supply, Rounding::Down)
				.unwrap_or(pot)
				.min(pot)
		};
		holdings.push(HoldingView {
			pool_id,
			lrt_asset: record.lrt_asset,
			lrt,
			value,
			value_native: Pools::to_native(record.collateral, value),
			reward,
			rate: <Lrt as LrtInterface<AccountId, Balance>>::rate(pool_id, rate_value),
		});
	}

	let epoch = now();
	let mut withdrawals: Vec<WithdrawalView<Balance>> =
		pallet_restaking_pools::WithdrawalRequests::<Runtime>::iter_prefix(&who)
			.map(|(request_id, request)| {
				let (claimable, reward) =
					Pools::claimable(&who, request_id).unwrap_or((0, request.reward));
				WithdrawalView {
					request_id,
					pool_id: request.pool,
					lrt_burnt: request.lrt_burnt,
					value_at_request: request.value_at_request,
					claimable,
					reward,
					requested_at: request.requested_at,
					claimable_at: request.claimable_at,
					claimable_at_block: epoch_start_block(request.claimable_at),
					ready: epoch >= request.claimable_at,
				}
			})
			.collect();
	withdrawals.sort_by_key(|w| w.request_id);
	PositionsView { holdings, withdrawals }
}

/// Operator `operator`.
pub fn operator(
	operator: AccountId,
) -> Result<OperatorView<AccountId, Balance>, RestakingApiError> {
	let record = pallet_operators::OperatorRecords::<Runtime>::get(&operator)
		.ok_or(RestakingApiError::UnknownOperator)?;
	let epoch = now();
	let status = match record.status {
		pallet_operators::OperatorStatus::Leaving => OperatorStatusView::Leaving,
		pallet_operators::OperatorStatus::Jailed { until } if until > epoch => {
			OperatorStatusView::Jailed { until }
		}
		_ => OperatorStatusView::Active,
	};
	let mut opt_ins = Vec::new();
	for consumer_id in record.consumers.iter().copied() {
		let Some(opt_in) = Operators::opt_in_of(&operator, consumer_id) else {
			continue;
		};
		let pools = Pools::pair_backing(&operator, consumer_id, epoch);
		let total_stake =
			pools.iter().fold(record.bond, |total, (_, amount)| total.saturating_add(*amount));
		let power = pallet_consumers::ValidatorSets::<Runtime>::get(consumer_id).and_then(|set| {
			set.members.iter().find(|(member, _, _)| *member == operator).map(|(_, _, p)| *p)
		});
		opt_ins.push(OptInView {
			consumer_id,
			key: opt_in.key_at(epoch),
			pending_key: opt_in
				.pending_key
				.filter(|pending| pending.effective > epoch)
				.map(|pending| (pending.key, pending.effective)),
			since: opt_in.since,
			leaving_at: opt_in.leaving_at,
			eligible: Operators::is_eligible(&operator, consumer_id, epoch),
			own_stake: record.bond,
			pools,
			total_stake,
			power,
		});
	}
	opt_ins.sort_by_key(|o| o.consumer_id);
	Ok(OperatorView {
		status,
		bond: record.bond,
		unbonding: record
			.unbonding
			.iter()
			.map(|chunk| UnbondingView { amount: chunk.amount, unlock_epoch: chunk.unlock_epoch })
			.collect(),
		commission: record.commission_at(epoch),
		pending_commission: record
			.pending_commission
			.filter(|pending| pending.effective > epoch)
			.map(|pending| PendingCommissionView {
				commission: pending.commission,
				effective_epoch: pending.effective,
			}),
		metadata: record.metadata.into_inner(),
		registered_at: record.registered_at,
		pending_rewards: Consumers::pending_operator_rewards(&operator),
		opt_ins,
		operator,
	})
}

fn status_view(status: pallet_consumers::ConsumerStatus) -> ConsumerStatusView {
	use pallet_consumers::{ConsumerStatus as S, PauseReason as R};
	match status {
		S::Registered => ConsumerStatusView::Registered,
		S::Active => ConsumerStatusView::Active,
		S::Paused { reason } => ConsumerStatusView::Paused {
			reason: match reason {
				R::NotEnoughOperators => PauseReasonView::NotEnoughOperators,
				R::InsufficientEscrow => PauseReasonView::InsufficientEscrow,
			},
		},
		S::Deregistered { last_active_epoch } => {
			ConsumerStatusView::Deregistered { last_active_epoch }
		}
		S::Retired { last_active_epoch } => ConsumerStatusView::Retired { last_active_epoch },
	}
}

fn params_view(params: pallet_consumers::ConsumerParams<Balance>) -> ConsumerParamsView<Balance> {
	ConsumerParamsView {
		min_operators: params.min_operators,
		max_operators: params.max_operators,
		min_stake_per_operator: params.min_stake_per_operator,
		power_cap: params.power_cap,
		payment_per_epoch: params.payment_per_epoch,
	}
}

/// The ids of every consumer, ascending.
pub fn consumer_ids() -> Vec<ConsumerId> {
	Consumers::consumer_ids()
}

/// Consumer `consumer_id`.
pub fn consumer(
	consumer_id: ConsumerId,
) -> Result<ConsumerView<AccountId, Balance>, RestakingApiError> {
	let record = pallet_consumers::ConsumerRecords::<Runtime>::get(consumer_id)
		.ok_or(RestakingApiError::UnknownConsumer)?;
	let set_size = pallet_consumers::ValidatorSets::<Runtime>::get(consumer_id)
		.map_or(0, |set| set.members.len() as u32);
	let payment = record.params.payment_per_epoch;
	Ok(ConsumerView {
		consumer_id,
		status: status_view(record.status),
		admin: record.admin,
		reporter: record.reporter,
		escrow: record.escrow,
		escrow_account: Consumers::escrow_account(consumer_id),
		epochs_funded: (!payment.is_zero())
			.then(|| u32::try_from(record.escrow / payment).unwrap_or(u32::MAX)),
		total_funded: record.ledger.funded,
		total_paid: record.ledger.paid,
		params: params_view(record.params),
		pending_params: record
			.pending_params
			.map(|pending| (params_view(pending.params), pending.effective_epoch)),
		genesis_hash: record.genesis_hash.0,
		metadata: record.metadata.into_inner(),
		registered_at: record.registered_at,
		last_set_id: record.last_set.map(|last| last.set_id),
		set_size,
	})
}

/// The validator set of consumer `consumer_id`.
pub fn validator_set(
	consumer_id: ConsumerId,
) -> Result<ValidatorSetView<AccountId, Balance>, RestakingApiError> {
	let record = pallet_consumers::ConsumerRecords::<Runtime>::get(consumer_id)
		.ok_or(RestakingApiError::UnknownConsumer)?;
	let set = pallet_consumers::ValidatorSets::<Runtime>::get(consumer_id).map(|set| {
		let members: Vec<_> = set
			.members
			.into_iter()
			.map(|(operator, key, power)| {
				let stake = Consumers::exposure_at(set.epoch, consumer_id, &operator)
					.map_or(0, |exposure| exposure.total);
				MemberView { operator, key, power, stake }
			})
			.collect();
		PublishedSetView {
			epoch: set.epoch,
			set_id: set.set_id,
			set_hash: set.set_hash.0,
			total_power: members.iter().fold(0, |total: Balance, m| total.saturating_add(m.power)),
			members,
		}
	});
	Ok(ValidatorSetView { consumer_id, status: status_view(record.status), set })
}

/// The pending slashes of consumer `consumer_id` (every consumer if `None`), in id order.
pub fn pending_slashes(
	consumer_id: Option<ConsumerId>,
) -> Result<Vec<PendingSlashView<AccountId, Balance>>, RestakingApiError> {
	let slashes = match consumer_id {
		Some(id) => {
			if !pallet_consumers::ConsumerRecords::<Runtime>::contains_key(id) {
				return Err(RestakingApiError::UnknownConsumer);
			}
			ServiceSlashing::pending_slashes_of(id)
		}
		None => ServiceSlashing::pending_slashes(),
	};
	Ok(slashes
		.into_iter()
		.map(|(slash_id, slash)| {
			// From the exposure copied into the record at report time, as execution does
			// (`fraction × backing`, rounded up, per pool): the live exposures may have been
			// pruned or, for the current epoch, still change.
			let pool_amounts = slash
				.exposure
				.pools
				.iter()
				.map(|(pool, backing)| (*pool, slash.fraction.mul_ceil(*backing)))
				.collect();
			PendingSlashView {
				slash_id,
				consumer_id: slash.consumer_id,
				kind: match slash.kind {
					pallet_service_slashing::OffenceKind::Downtime => OffenceKindView::Downtime,
					pallet_service_slashing::OffenceKind::Equivocation => {
						OffenceKindView::Equivocation
					}
					pallet_service_slashing::OffenceKind::Misbehaviour => {
						OffenceKindView::Misbehaviour
					}
				},
				epoch: slash.epoch,
				fraction: slash.fraction,
				reporter: slash.reporter,
				reported_at: slash.reported_at,
				due_epoch: slash.due_epoch,
				due_block: epoch_start_block(slash.due_epoch),
				bond_amount: slash.bond_amount,
				pools_amount: slash.pools_amount,
				pool_amounts,
				evidence: match slash.evidence {
					pallet_service_slashing::Evidence::Reported(details) => {
						EvidenceView::Reported { details: details.into_inner() }
					}
					pallet_service_slashing::Evidence::GrandpaEquivocation {
						set_id,
						round,
						key,
					} => EvidenceView::GrandpaEquivocation { set_id, round, key },
				},
				operator: slash.operator,
			}
		})
		.collect())
}

/// The epoch clock and the delays.
pub fn epoch() -> EpochView {
	let params = ServiceSlashing::params();
	EpochView {
		current_epoch: now(),
		epoch_length: pallet_consumers::EpochLength::<Runtime>::get(),
		epoch_start: pallet_consumers::EpochStart::<Runtime>::get(),
		next_epoch_start: Consumers::next_epoch_start(),
		block_number: System::block_number(),
		transition_pending: pallet_consumers::Transition::<Runtime>::exists(),
		delays: DelaysView {
			withdrawal: WITHDRAWAL_DELAY,
			deallocation: DEALLOCATION_DELAY,
			opt_out: OPT_OUT_DELAY,
			unbonding: UNBONDING_DELAY,
			commission_change: CommissionChangeDelay::get(),
			report_window: params.report_window,
			veto_delay: params.veto_delay,
			exposure_retention: EXPOSURE_RETENTION,
		},
	}
}
