//! The restaking pallets: operators, liquid restaking tokens, pools, consumer chains and
//! service slashing.
//!
//! Time is counted in restaking **epochs**; the epoch length (in blocks) is set by each
//! chain's genesis preset (30 s on `--dev`, one day on `staging`). All delays below are in
//! epochs and nest as the slashing pallet requires (checked by its `integrity_test` and on
//! every `set_slashing_params`):
//!
//! - `report_window + veto_delay` (default 2 + 2) < `OptOutDelay` (5) = `DeallocationDelay` (5)
//!   < `WithdrawalDelay` (6) = `UnbondingDelay` (6), and ≤ `ExposureRetention` (8), which also
//!   covers two report windows (the slashing spans),
//!
//! strictly, so stake that backed a consumer in epoch `e` is still there to be slashed for
//! offences of epoch `e` until they can no longer be reported and executed. Exits also wait
//! while a slash that may take them is pending (the slashing pallet's `PendingSlashes`, for the
//! operators and pools pallets to wire in), whatever the slash meter or a queue adds.

use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstU32, ConstU8, Contains},
	weights::Weight,
	PalletId,
};
use palisade_primitives::{ConsumerKey, EpochIndex};
use pallet_service_slashing::{SlashDestination, SlashingParams};
use sp_runtime::{DispatchResult, Perbill, Perquintill};

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
/// Strictly above the slashing span (`report_window + veto_delay` = 4).
pub const OPT_OUT_DELAY: EpochIndex = 5;
/// Epochs a pool's allocation decrease takes to apply. Strictly above the slashing span.
pub const DEALLOCATION_DELAY: EpochIndex = 5;
/// Epochs between a withdrawal request and its claim.
pub const WITHDRAWAL_DELAY: EpochIndex = 6;
/// Epochs between an operator's `unbond` and `withdraw_unbonded`.
pub const UNBONDING_DELAY: EpochIndex = 6;
/// Epochs exposures (and set ids) are kept after the epoch they describe.
pub const EXPOSURE_RETENTION: EpochIndex = 8;
/// Most operators opted in to one consumer (and in one consumer's set): 200, what Cosmos ICS
/// (up to ~180 validators) and EigenLayer operator sets (commonly 200) run with.
///
/// The bound does not come from the size of a block: a consumer's transition step runs in pages
/// of `OperatorsPerTransitionPage` operators across as many blocks as it needs, and only a page
/// must fit in `MaxEpochTransitionWeight` (the consumers pallet's `integrity_test` checks it).
/// It bounds the step's kept ranking (`StepCandidates`, about 150 KB at 200 × 32 pools) and a
/// set's size on the consumer chain.
pub const MAX_OPERATORS_PER_CONSUMER: u32 = 200;
/// Most consumers one operator may be opted in to: 64. Bounds an operator's memberships, so
/// the work its bond change causes at the next transition (the consumers it marks) and its
/// reward claim (one settlement per membership).
pub const MAX_OPT_INS: u32 = 64;
/// Most consumers one pool may allocate to: 16. A pool's reward claim, which every first
/// deposit or withdrawal request of an epoch makes, settles one record per consumer it backs;
/// and a change of the pool's value marks these consumers for selection.
pub const MAX_CONSUMERS_PER_POOL: u32 = 16;
/// Most pools that may back one (operator, consumer) pair: 32 (each costs one allocation read
/// and one exposure entry per selection of the pair).
pub const MAX_POOLS_PER_OPERATOR: u32 = 32;

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
	/// The consumers pallet keeps the change notes its epoch transition reads.
	type Changes = Consumers;
	type MinOperatorBond = MinOperatorBond;
	type MaxCommission = MaxOperatorCommission;
	type CommissionChangeDelay = CommissionChangeDelay;
	type UnbondingDelay = ConstU32<UNBONDING_DELAY>;
	type OptOutDelay = ConstU32<OPT_OUT_DELAY>;
	type MaxMetadataLen = MaxOperatorMetadataLen;
	type MaxOptIns = ConstU32<MAX_OPT_INS>;
	type MaxUnbondingChunks = ConstU32<8>;
	type MaxOperatorsPerConsumer = ConstU32<MAX_OPERATORS_PER_CONSUMER>;
	/// Scheduled changes finalised per block: an epoch with more is finalised over the
	/// following blocks (each costs about as much as an opt-out finalised).
	type MaxFinalisedPerBlock = ConstU32<64>;
	/// Pools one operator accepts: 512, distinct backers for 16 of its consumers at the most
	/// pools per pair. The list is the operator's own (nobody else can fill it), and a pool backs
	/// up to 16 consumers, so an operator's 64 consumers share backers: the 100×200×1,000 scale
	/// world (scripts/epoch-scale.sh) needs 149–178.
	type MaxAcceptedPools = ConstU32<{ 16 * MAX_POOLS_PER_OPERATOR }>;
	/// Palisade's own GRANDPA and Aura session keys can never be consumer keys.
	type ReservedKeys = PalisadeSessionKeys;
	/// No exit while a slash of the operator is pending.
	type PendingSlashes = ServiceSlashing;
	type WeightInfo = pallet_operators::weights::SubstrateWeight<Runtime>;
}

/// The keys Palisade's validators use for their own GRANDPA and Aura (current or queued,
/// as `pallet_session` records their owners): a consumer key equal to one of them would let a
/// Palisade vote and a consumer vote form an equivocation proof.
pub struct PalisadeSessionKeys;
impl Contains<ConsumerKey> for PalisadeSessionKeys {
	fn contains(key: &ConsumerKey) -> bool {
		[sp_core::crypto::key_types::GRANDPA, sp_core::crypto::key_types::AURA]
			.into_iter()
			.any(|key_type| pallet_session::Pallet::<Runtime>::key_owner(key_type, key).is_some())
	}
}

parameter_types! {
	/// The LRT pallet's account owns every LRT asset.
	pub const LrtPalletId: PalletId = PalletId(*b"pal/lrt_");
	/// First LRT asset id.
	pub const LrtAssetIdOffset: AssetId = LRT_ASSET_ID_OFFSET;
	/// An account holds at least 10^-6 of a whole LRT token whatever its decimals (10^6
	/// Planck for PAL's 12 decimals; LRT assets are sufficient: no PAL needed). The virtual
	/// offset of each pool is `10^⌊decimals / 2⌋` base units (`pallet-lrt`).
	pub const MinLrtBalance: Perquintill = Perquintill::from_parts(1_000_000_000_000);
}

impl pallet_lrt::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Assets = Assets;
	type PalletId = LrtPalletId;
	type LrtAssetIdOffset = LrtAssetIdOffset;
	type MinLrtBalance = MinLrtBalance;
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
	/// An allocation is at least 1% of a pool's stake (and needs the operator's consent).
	pub const MinAllocation: Perbill = Perbill::from_percent(1);
	/// Held from a withdrawal requester until the claim: the storage of a request and its
	/// share of a queue bucket.
	pub const WithdrawalRequestDeposit: Balance = crate::currency::deposit(1, 128);
}

impl pallet_restaking_pools::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Assets = Assets;
	type Lrt = Lrt;
	type Operators = Operators;
	type EpochInfo = Consumers;
	/// Claims wait while a slash that may take from the pool is pending.
	type PendingSlashes = ServiceSlashing;
	/// The consumers pallet keeps the change notes its epoch transition reads.
	type Changes = Consumers;
	type GovernanceOrigin = GovernanceOrigin;
	type PalletId = PoolsPalletId;
	type PoolDeposit = PoolDeposit;
	type MinDeposit = MinPoolDeposit;
	type NativeDecimals = ConstU8<DECIMALS>;
	type WithdrawalDelay = ConstU32<WITHDRAWAL_DELAY>;
	type DeallocationDelay = ConstU32<DEALLOCATION_DELAY>;
	type MaxWithdrawalRequests = ConstU32<16>;
	type MaxConsumersPerPool = ConstU32<MAX_CONSUMERS_PER_POOL>;
	type MaxOperatorsPerConsumer = ConstU32<MAX_OPERATORS_PER_CONSUMER>;
	type MaxPoolsPerOperator = ConstU32<MAX_POOLS_PER_OPERATOR>;
	/// Not raised for 200 operators × 16 consumers a pool: a change goes in the schedule of its
	/// epoch or, when full, of one of the next `MAX_SCHEDULE_SPILL` (4), so 1,280 changes due
	/// at one epoch are finalised by the epoch starts; only more than that (a curator moving
	/// most of a pool's 3,200 allocations at once) waits for the lazy path. `on_new_epoch(256)`
	/// is about 56 ms (2.8% of a block) and could take 2,048, but every `set_allocation` reads
	/// and rewrites a whole schedule (10 KB at 256) and reads up to four more when full:
	/// raising the bound would make every call pay for it.
	type MaxScheduledPerEpoch = ConstU32<256>;
	type MaxMetadataLen = MaxPoolMetadataLen;
	type MinAllocation = MinAllocation;
	type WithdrawalRequestDeposit = WithdrawalRequestDeposit;
	/// One bucket per epoch of the withdrawal delay and the current one, plus room for slashes
	/// pending longer (the slash meter).
	type MaxQueueBuckets = ConstU32<{ WITHDRAWAL_DELAY + 10 }>;
	type MaxSlashRetriesPerEpoch = ConstU32<4>;
	/// Staked pools bond in `pallet-staking` as virtual stakers (native restaking).
	type Staking = crate::Staking;
	/// What NPoS slashes take from staked pools goes where staking sends the slashes of its
	/// ordinary stakers: the treasury.
	type NposSlashBeneficiary = NposSlashBeneficiary;
	/// Staking's own nomination quota.
	type MaxNominations = ConstU32<16>;
	/// Deposits into staked pools are bonded at the start of the next block, 32 pools a block
	/// in turn: 13.3 ms of a block at the release weights (0.7% of its 2 s), and a block
	/// full of deposits into distinct pools (about 1,500) is bonded within 50 blocks.
	type MaxBondsPerBlock = ConstU32<32>;
	/// A staked pool may validate: staking and session act for its keyless stash.
	type Validation = PoolValidators;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = StakingValidators;
	type WeightInfo = pallet_restaking_pools::weights::SubstrateWeight<Runtime>;
}

/// Whether one of `keys` is a consumer key (in `pallet_operators::UsedKeys`): such a key must
/// never also be a Palisade session key (a GRANDPA vote carries no chain id).
pub fn is_consumer_key(keys: &crate::SessionKeys) -> bool {
	use sp_runtime::traits::OpaqueKeys;
	crate::SessionKeys::key_ids().iter().any(|id| {
		<[u8; 32]>::try_from(keys.get_raw(*id))
			.is_ok_and(|raw| pallet_operators::UsedKeys::<Runtime>::contains_key(raw))
	})
}

/// Staking and session acting for a staked pool's keyless stash, as if it had signed: the
/// pools pallet is the only one that can speak for that account, and only on its curator's
/// call (`validate`, `set_session_keys`) or when the pool closes.
pub struct PoolValidators;
impl pallet_restaking_pools::PoolValidation<crate::AccountId> for PoolValidators {
	fn validate(stash: &crate::AccountId, commission: Perbill, blocked: bool) -> DispatchResult {
		crate::Staking::validate(
			frame_system::RawOrigin::Signed(stash.clone()).into(),
			pallet_staking::ValidatorPrefs { commission, blocked },
		)
	}
	fn set_keys(stash: &crate::AccountId, keys: &[u8], proof: &[u8]) -> DispatchResult {
		use codec::DecodeAll;
		let keys = crate::SessionKeys::decode_all(&mut &keys[..])
			.map_err(|_| pallet_restaking_pools::Error::<Runtime>::InvalidSessionKeys)?;
		// No key may be both a consumer key and a Palisade session key (a GRANDPA vote carries
		// no chain id): the operators pallet refuses a session key as consumer key, this the
		// other way round (`a_staked_pools_session_keys_cannot_be_a_consumer_key`).
		frame_support::ensure!(
			!is_consumer_key(&keys),
			pallet_operators::Error::<Runtime>::KeyAlreadyUsed
		);
		crate::Session::set_keys(
			frame_system::RawOrigin::Signed(stash.clone()).into(),
			keys,
			proof.to_vec(),
		)
	}
	fn purge_keys(stash: &crate::AccountId) -> DispatchResult {
		crate::Session::purge_keys(frame_system::RawOrigin::Signed(stash.clone()).into())
	}
	fn has_keys(stash: &crate::AccountId) -> bool {
		pallet_session::NextKeys::<Runtime>::contains_key(stash)
	}
}

parameter_types! {
	/// NPoS slashes of staked pools go to the treasury, like staking's own.
	pub NposSlashBeneficiary: Option<crate::AccountId> = Some(TreasuryAccount::get());
}

/// Validators the pools' `nominate` benchmark nominates: bonded and validating at the minimum
/// validator bond.
#[cfg(feature = "runtime-benchmarks")]
pub struct StakingValidators;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_restaking_pools::BenchmarkHelper<crate::AccountId> for StakingValidators {
	fn validator(index: u32) -> crate::AccountId {
		use frame_support::traits::fungible::Mutate;
		let who: crate::AccountId = frame_benchmarking::account("npos-validator", index, 0);
		if !pallet_staking::Validators::<Runtime>::contains_key(&who) {
			let bond = crate::genesis_config_presets::MIN_VALIDATOR_BOND;
			Balances::set_balance(&who, bond.saturating_mul(2));
			let origin = frame_system::RawOrigin::Signed(who.clone());
			let _ = crate::Staking::bond(
				origin.clone().into(),
				bond,
				pallet_staking::RewardDestination::Stash,
			);
			let _ = crate::Staking::validate(origin.into(), Default::default());
		}
		who
	}
	fn session_keys(owner: &crate::AccountId) -> (alloc::vec::Vec<u8>, alloc::vec::Vec<u8>) {
		use codec::Encode;
		let generated = crate::SessionKeys::generate(&owner.encode(), None);
		(generated.keys.encode(), generated.proof.encode())
	}
}

parameter_types! {
	/// The consumers pallet's id; each consumer's escrow is a sub-account.
	pub const ConsumersPalletId: PalletId = PalletId(*b"pal/cons");
	/// Held from whoever registers a consumer chain.
	pub const ConsumerRegistrationDeposit: Balance = 1_000 * UNITS;
	/// A registration has 30 epochs to become active (a month in production).
	pub const ConsumerActivationPeriod: EpochIndex = 30;
	/// 10% of the deposit (100 PAL) is burnt when a consumer that never had a set is reaped:
	/// what holding a slot unused costs per activation period.
	pub const UnactivatedConsumerPenalty: Perbill = Perbill::from_percent(10);
	/// Consumer metadata is at most 256 bytes.
	pub const MaxConsumerMetadataLen: u32 = 256;
	/// The epoch transition may use at most 60% of a block; the rest is spread over the
	/// following blocks (consumers in id order, a consumer's step in pages of operators that
	/// may stop and resume between blocks).
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
	/// Registrations that never activate are reaped after `ActivationPeriod` with a penalty,
	/// and governance can force-deregister, so the bound only has to cover real consumers. A
	/// transition over 1,000 consumers whose stakes all changed takes a few blocks of a
	/// staging epoch (28,800 blocks; `scripts/epoch-scale.sh`); `ConsumerIds` is 4 KB.
	type MaxConsumers = ConstU32<1_000>;
	type ActivationPeriod = ConsumerActivationPeriod;
	type UnactivatedPenalty = UnactivatedConsumerPenalty;
	/// The reap of a consumer is paged: removing one opt-in costs about 221 µs (the operator's
	/// record, its opt-in and its key index entry, each read and written), so 4 a call keep a
	/// page near 1.1 ms with the extrinsic base, under ~5 balance transfers in a block (one is
	/// about 258 µs); the final call (refund, release, removal, about 820 µs) stays below that.
	/// 200 opt-ins take 51 calls.
	type MaxOptInsReapedPerCall = ConstU32<4>;
	type GovernanceOrigin = GovernanceOrigin;
	type MaxOperatorsPerConsumer = ConstU32<MAX_OPERATORS_PER_CONSUMER>;
	type MaxPoolsPerOperator = ConstU32<MAX_POOLS_PER_OPERATOR>;
	type MaxMetadataLen = MaxConsumerMetadataLen;
	type ExposureRetention = ConstU32<EXPOSURE_RETENTION>;
	type MaxEpochTransitionWeight = MaxEpochTransitionWeight;
	/// An operator is a member of at most the consumers it is opted in to.
	type MaxOperatorMemberships = ConstU32<MAX_OPT_INS>;
	/// A pool has one reward record per consumer it backs: at most the pools pallet's
	/// `MaxConsumersPerPool`.
	type MaxConsumersPerPool = ConstU32<MAX_CONSUMERS_PER_POOL>;
	/// A consumer's transition step runs in pages of 16 operators (each with up to 32 pools),
	/// a few percent of the budget each: only a page, not a consumer of 200 operators, must
	/// fit in a block.
	type OperatorsPerTransitionPage = ConstU32<16>;
	type WeightInfo = pallet_consumers::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The slashing parameters at genesis (governance changes them with
	/// `set_slashing_params`).
	pub DefaultSlashingParams: SlashingParams = SlashingParams {
		downtime: Perbill::from_percent(1),
		equivocation: Perbill::from_percent(10),
		misbehaviour: Perbill::from_percent(5),
		max_subjective_fraction: Perbill::from_percent(5),
		report_window: 2,
		veto_delay: 2,
		jail_length: 4,
		destination: SlashDestination::Treasury,
		reporter_reward: Perbill::from_percent(10),
		meter_period: 1,
		max_slashed_per_period: 1_000_000 * UNITS,
		max_jails_per_period: 4,
	};
	/// Hard bound: no offence takes more than all of an exposure.
	pub const MaxSlashFraction: Perbill = Perbill::from_percent(100);
	/// Hard bound on the evidence reporter's share of the offender's bond loss (below 100%, so
	/// slashing yourself never pays).
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
	/// A meter period is at most 10 epochs.
	type MaxMeterPeriod = ConstU32<10>;
	type WithdrawalDelay = ConstU32<WITHDRAWAL_DELAY>;
	type DeallocationDelay = ConstU32<DEALLOCATION_DELAY>;
	type OptOutDelay = ConstU32<OPT_OUT_DELAY>;
	type UnbondingDelay = ConstU32<UNBONDING_DELAY>;
	type MaxSlashesPerBlock = ConstU32<16>;
	type MaxExposedPools = ConstU32<MAX_POOLS_PER_OPERATOR>;
	/// One span takes at most three top-ups (downtime, misbehaviour, equivocation).
	type MaxPendingPerPair = ConstU32<4>;
	/// Four per opted-in operator.
	type MaxPendingPerConsumer = ConstU32<{ 4 * MAX_OPERATORS_PER_CONSUMER }>;
	type MaxDetailsLen = ConstU32<256>;
	type WeightInfo = pallet_service_slashing::weights::SubstrateWeight<Runtime>;
}
