//! The restaking pallets: operators, liquid restaking tokens, pools, consumer chains and
//! service slashing.
//!
//! Time is counted in restaking **epochs**; the epoch length (in blocks) is set by each
//! chain's genesis preset (30 s on `--dev`, one day on `staging`). All delays below are in
//! epochs and nest as the slashing pallet requires (checked by its `integrity_test` and on
//! every `set_slashing_params`):
//!
//! - `report_window + veto_delay` (default 2 + 2) ≤ `OptOutDelay` (4) = `DeallocationDelay` (4)
//!   < `WithdrawalDelay` (6) = `UnbondingDelay` (6), and ≤ `ExposureRetention` (8),
//!
//! so stake that backed a consumer in epoch `e` is still there to be slashed for offences of
//! epoch `e` until they can no longer be reported and executed.

use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU32, ConstU8},
	weights::Weight,
	PalletId,
};
use palisade_primitives::EpochIndex;
use pallet_service_slashing::{SlashDestination, SlashingParams};
use sp_runtime::Perbill;

use super::{governance::GovernanceOrigin, governance::TreasuryAccount, RuntimeBlockWeights};
use crate::{
	currency::{DECIMALS, UNITS},
	AssetId, Assets, Balance, Balances, Consumers, Lrt, Operators, RestakingPools, Runtime,
	RuntimeEvent, RuntimeHoldReason, ServiceSlashing,
};

/// LRT asset ids start here (`LRT_ASSET_ID_OFFSET + pool_id`); users cannot create, touch or
/// refund assets at or above it (see [`super::assets::PalisadeCallFilter`]).
pub const LRT_ASSET_ID_OFFSET: AssetId = 1_000_000_000;

/// Epochs an opt-out takes to apply (the operator stays slashable for the consumer until then).
pub const OPT_OUT_DELAY: EpochIndex = 4;
/// Epochs a pool's allocation decrease takes to apply.
pub const DEALLOCATION_DELAY: EpochIndex = 4;
/// Epochs between a withdrawal request and its claim.
pub const WITHDRAWAL_DELAY: EpochIndex = 6;
/// Epochs between an operator's `unbond` and `withdraw_unbonded`.
pub const UNBONDING_DELAY: EpochIndex = 6;
/// Epochs exposures (and set ids) are kept after the epoch they describe.
pub const EXPOSURE_RETENTION: EpochIndex = 8;
/// Most operators opted in to one consumer (and in one consumer's set).
///
/// With the most pools per operator, one consumer's epoch transition must fit in
/// `MaxEpochTransitionWeight` (the consumers pallet's `integrity_test` checks it, and a
/// consumer that does not fit would stall the epoch clock). With the weights measured on a
/// debug node (`process_consumer` ≈ 57 ms + 36 ms per operator + 0.85 ms per pool backing,
/// DB included) 20 operators × 8 pools cost ≈ 0.9 s of the 1.2 s budget. Raise both once
/// weights from a release node on reference hardware are in (they are several times lower).
pub const MAX_OPERATORS_PER_CONSUMER: u32 = 20;
/// Most pools that may back one (operator, consumer) pair.
pub const MAX_POOLS_PER_OPERATOR: u32 = 8;

parameter_types! {
	/// An operator bonds at least 1,000 PAL.
	pub const MinOperatorBond: Balance = 1_000 * UNITS;
	/// Operators charge at most 50% commission.
	pub const MaxOperatorCommission: Perbill = Perbill::from_percent(50);
	/// A commission increase applies two epochs after it is announced.
	pub const CommissionChangeDelay: EpochIndex = 2;
	/// Operator metadata (name, url) is at most 256 bytes.
	pub const MaxOperatorMetadataLen: u32 = 256;
}

impl pallet_operators::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	/// Slashed operator bonds go to the treasury.
	type OnSlash = ResolveTo<TreasuryAccount, Balances>;
	type EpochInfo = Consumers;
	type Consumers = Consumers;
	type MinOperatorBond = MinOperatorBond;
	type MaxCommission = MaxOperatorCommission;
	type CommissionChangeDelay = CommissionChangeDelay;
	type UnbondingDelay = ConstU32<UNBONDING_DELAY>;
	type OptOutDelay = ConstU32<OPT_OUT_DELAY>;
	type MaxMetadataLen = MaxOperatorMetadataLen;
	type MaxOptIns = ConstU32<16>;
	type MaxUnbondingChunks = ConstU32<8>;
	type MaxOperatorsPerConsumer = ConstU32<MAX_OPERATORS_PER_CONSUMER>;
	type MaxScheduledPerEpoch = ConstU32<256>;
	type WeightInfo = pallet_operators::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The LRT pallet's account owns every LRT asset.
	pub const LrtPalletId: PalletId = PalletId(*b"pal/lrt_");
	/// First LRT asset id.
	pub const LrtAssetIdOffset: AssetId = LRT_ASSET_ID_OFFSET;
	/// An account holds at least 10^-6 LRT (LRT assets are sufficient: no PAL needed).
	pub const MinLrtBalance: Balance = UNITS / 1_000_000;
	/// Virtual shares and value of every pool: one LRT worth one PAL. An inflation attack has
	/// to donate about `victim deposit × 1 PAL / rounding loss` to steal a unit.
	pub const VirtualShares: Balance = UNITS;
	/// See [`VirtualShares`].
	pub const VirtualValue: Balance = UNITS;
}

impl pallet_lrt::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Assets = Assets;
	type PalletId = LrtPalletId;
	type LrtAssetIdOffset = LrtAssetIdOffset;
	type MinLrtBalance = MinLrtBalance;
	type VirtualShares = VirtualShares;
	type VirtualValue = VirtualValue;
}

parameter_types! {
	/// The pools pallet's id; each pool has a sub-account holding its funds.
	pub const PoolsPalletId: PalletId = PalletId(*b"pal/pool");
	/// Held from a curator per pool.
	pub const PoolDeposit: Balance = 100 * UNITS;
	/// Smallest deposit into a native pool.
	pub const MinPoolDeposit: Balance = UNITS;
	/// Pool metadata is at most 256 bytes.
	pub const MaxPoolMetadataLen: u32 = 256;
}

impl pallet_restaking_pools::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Assets = Assets;
	type Lrt = Lrt;
	type Operators = Operators;
	type EpochInfo = Consumers;
	type GovernanceOrigin = GovernanceOrigin;
	type PalletId = PoolsPalletId;
	type PoolDeposit = PoolDeposit;
	type MinDeposit = MinPoolDeposit;
	type NativeDecimals = ConstU8<DECIMALS>;
	type WithdrawalDelay = ConstU32<WITHDRAWAL_DELAY>;
	type DeallocationDelay = ConstU32<DEALLOCATION_DELAY>;
	type MaxWithdrawalRequests = ConstU32<16>;
	type MaxConsumersPerPool = ConstU32<16>;
	type MaxOperatorsPerConsumer = ConstU32<MAX_OPERATORS_PER_CONSUMER>;
	type MaxPoolsPerOperator = ConstU32<MAX_POOLS_PER_OPERATOR>;
	type MaxScheduledPerEpoch = ConstU32<256>;
	type MaxMetadataLen = MaxPoolMetadataLen;
	type WeightInfo = pallet_restaking_pools::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The consumers pallet's id; each consumer's escrow is a sub-account.
	pub const ConsumersPalletId: PalletId = PalletId(*b"pal/cons");
	/// Held from whoever registers a consumer chain.
	pub const ConsumerRegistrationDeposit: Balance = 1_000 * UNITS;
	/// Consumer metadata is at most 256 bytes.
	pub const MaxConsumerMetadataLen: u32 = 256;
	/// The epoch transition may use at most 60% of a block; the rest is spread over the
	/// following blocks (one consumer at a time, in id order).
	pub MaxEpochTransitionWeight: Weight =
		Perbill::from_percent(60) * RuntimeBlockWeights::get().max_block;
}

impl pallet_consumers::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Operators = Operators;
	type Pools = RestakingPools;
	/// Due slashes execute at the start of each epoch, before the new sets are computed.
	type EpochHooks = ServiceSlashing;
	type PalletId = ConsumersPalletId;
	type RegistrationDeposit = ConsumerRegistrationDeposit;
	type MaxConsumers = ConstU32<100>;
	type MaxOperatorsPerConsumer = ConstU32<MAX_OPERATORS_PER_CONSUMER>;
	type MaxPoolsPerOperator = ConstU32<MAX_POOLS_PER_OPERATOR>;
	type MaxMetadataLen = MaxConsumerMetadataLen;
	type ExposureRetention = ConstU32<EXPOSURE_RETENTION>;
	type MaxEpochTransitionWeight = MaxEpochTransitionWeight;
	type WeightInfo = pallet_consumers::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The slashing parameters at genesis (governance changes them with
	/// `set_slashing_params`).
	pub DefaultSlashingParams: SlashingParams = SlashingParams {
		downtime: Perbill::from_percent(1),
		equivocation: Perbill::from_percent(10),
		misbehaviour: Perbill::from_percent(5),
		max_fraction_per_epoch: Perbill::from_percent(20),
		report_window: 2,
		veto_delay: 2,
		jail_length: 4,
		destination: SlashDestination::Treasury,
		reporter_reward: Perbill::from_percent(10),
	};
	/// Hard bound: no offence takes more than all of an exposure.
	pub const MaxSlashFraction: Perbill = Perbill::from_percent(100);
	/// Hard bound on the evidence reporter's share.
	pub const MaxReporterReward: Perbill = Perbill::from_percent(50);
}

impl pallet_service_slashing::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Balance = Balance;
	type Operators = Operators;
	type Pools = RestakingPools;
	type Consumers = Consumers;
	type EpochInfo = Consumers;
	type GovernanceOrigin = GovernanceOrigin;
	type TreasuryAccount = TreasuryAccount;
	type DefaultParams = DefaultSlashingParams;
	type MaxSlashFraction = MaxSlashFraction;
	type MaxReporterReward = MaxReporterReward;
	type MaxJailLength = ConstU32<100>;
	type MinVetoDelay = ConstU32<1>;
	type WithdrawalDelay = ConstU32<WITHDRAWAL_DELAY>;
	type DeallocationDelay = ConstU32<DEALLOCATION_DELAY>;
	type OptOutDelay = ConstU32<OPT_OUT_DELAY>;
	type UnbondingDelay = ConstU32<UNBONDING_DELAY>;
	type MaxSlashesPerBlock = ConstU32<16>;
	type MaxExposedPools = ConstU32<MAX_POOLS_PER_OPERATOR>;
	type MaxDetailsLen = ConstU32<256>;
	type WeightInfo = pallet_service_slashing::weights::SubstrateWeight<Runtime>;
}
