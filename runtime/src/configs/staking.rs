//! Block production and native NPoS staking.
//!
//! `pallet-staking` elects the validator set every era with on-chain sequential Phragmén;
//! `pallet-session` rotates the Aura and GRANDPA keys of the elected validators every
//! session; `pallet-session::historical` keeps the old sets so that GRANDPA equivocations
//! can be proven against the set of their session and reported to `pallet-offences`, which
//! asks staking to slash (deferred by `SlashDeferDuration` eras, cancellable by governance;
//! on `--dev` the lone validator is not invulnerable and slashes apply at once).

use frame_election_provider_support::{
	bounds::{ElectionBounds, ElectionBoundsBuilder},
	onchain, SequentialPhragmen,
};
use frame_support::{
	parameter_types,
	traits::{tokens::imbalance::ResolveTo, ConstBool, ConstU32, KeyOwnerProofSystem, Nothing},
};
use sp_core::crypto::KeyTypeId;
use sp_runtime::{curve::PiecewiseLinear, traits::OpaqueKeys, Perbill};
use sp_staking::{EraIndex, SessionIndex};

use super::governance::{GovernanceOrigin, TreasuryAccount};
use crate::{
	time::{SESSIONS_PER_ERA, SESSION_PERIOD},
	AccountId, Aura, Balance, Balances, BlockNumber, Historical, Offences, RestakingPools, Runtime,
	RuntimeCall, RuntimeEvent, RuntimeHoldReason, Session, SessionKeys, Staking, Timestamp,
	UncheckedExtrinsic,
};

/// Upper bound of validators in the active set (Aura and GRANDPA authorities).
pub const MAX_VALIDATORS: u32 = 100;

/// Eras an NPoS slash is deferred by default: six hours (see [`SlashDeferDuration`]).
pub const SLASH_DEFER_DURATION: EraIndex = 6;

parameter_types! {
	/// At most this many Aura / GRANDPA authorities.
	pub const MaxAuthorities: u32 = MAX_VALIDATORS;
	/// At most this many nominators back one validator in an exposure page.
	pub const MaxNominators: u32 = 512;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = sp_consensus_aura::sr25519::AuthorityId;
	/// A disabled (offending) validator does not author blocks.
	type DisabledValidators = Session;
	type MaxAuthorities = MaxAuthorities;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

parameter_types! {
	/// GRANDPA equivocation reports stay valid in the pool for this many blocks.
	pub const ReportLongevity: u64 =
		BondingDuration::get() as u64 * SESSIONS_PER_ERA as u64 * SESSION_PERIOD as u64;
	/// Set-id → session mappings kept, so old equivocations can still be proven.
	pub const MaxSetIdSessionEntries: u64 = BondingDuration::get() as u64 * SESSIONS_PER_ERA as u64;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = MaxAuthorities;
	type MaxNominators = MaxNominators;
	type MaxSetIdSessionEntries = MaxSetIdSessionEntries;
	type KeyOwnerProof = <Historical as KeyOwnerProofSystem<(KeyTypeId, GrandpaId)>>::Proof;
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

use pallet_grandpa::AuthorityId as GrandpaId;

/// GRANDPA equivocation reports are submitted as unsigned ("bare") extrinsics.
impl<C> frame_system::offchain::CreateTransactionBase<C> for Runtime
where
	RuntimeCall: From<C>,
{
	type Extrinsic = UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<C> frame_system::offchain::CreateBare<C> for Runtime
where
	RuntimeCall: From<C>,
{
	fn create_bare(call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_bare(call)
	}
}

/// Block authors are found from Aura's author index in the session's validator list and
/// rewarded with era points by staking.
impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	type EventHandler = Staking;
}

parameter_types! {
	/// Session length in blocks: [`SESSION_PERIOD`] (10 minutes, so an era is an hour), except
	/// on a development chain whose genesis sets a shorter one (`DemoGenesis`'s
	/// `session_length`: 5 blocks on `--dev`, an era of 90 s) so that eras, their payouts and
	/// their slashes happen within minutes. Only root can change it afterwards.
	pub storage SessionLength: BlockNumber = SESSION_PERIOD;
	/// The first session starts at block 0.
	pub const Offset: BlockNumber = 0;
}

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type ValidatorId = AccountId;
	/// A validator is identified by its stash account.
	type ValidatorIdOf = sp_runtime::traits::ConvertInto;
	type ShouldEndSession = pallet_session::PeriodicSessions<SessionLength, Offset>;
	type NextSessionRotation = pallet_session::PeriodicSessions<SessionLength, Offset>;
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<Self, Staking>;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	/// Disable at most a third of the set, re-enabling the least offending if needed.
	type DisablingStrategy = pallet_session::disabling::UpToLimitWithReEnablingDisablingStrategy<3>;
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	/// No deposit for setting keys: validators already bond in staking.
	type KeyDeposit = ();
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = pallet_staking::UnitIdentificationOf<Self>;
}

impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	type OnOffenceHandler = Staking;
}

pallet_staking_reward_curve::build! {
	// Inflation between 2.5% and 10% a year, maximal at 50% of the supply staked.
	const REWARD_CURVE: PiecewiseLinear<'static> = curve!(
		min_inflation: 0_025_000,
		max_inflation: 0_100_000,
		ideal_stake: 0_500_000,
		falloff: 0_050_000,
		max_piece_count: 40,
		test_precision: 0_005_000,
	);
}

parameter_types! {
	/// Sessions in one era.
	pub const SessionsPerEra: SessionIndex = SESSIONS_PER_ERA;
	/// Eras a stash waits between `unbond` and `withdraw_unbonded`: one day.
	pub const BondingDuration: EraIndex = 24;
	/// Eras a slash is deferred so that governance can cancel it: [`SLASH_DEFER_DURATION`]
	/// (six hours), except on a development chain whose genesis sets a shorter one
	/// (`DemoGenesis`'s `slash_defer_duration`: 0 on `--dev`, so an offence is slashed in the
	/// block that reports it). Must be shorter than the bonding duration so an offender cannot
	/// escape (staking's integrity test checks the default, the demo genesis what it sets).
	/// Only root can change it afterwards, and should not while slashes are deferred: staking
	/// files a deferred slash under the era it applies in and, when applying it, takes the
	/// current deferral as the distance back to the offence era.
	pub storage SlashDeferDuration: EraIndex = SLASH_DEFER_DURATION;
	/// The reward curve.
	pub const RewardCurve: &'static PiecewiseLinear<'static> = &REWARD_CURVE;
	/// At most this many validators are elected.
	pub const MaxValidatorSet: u32 = MAX_VALIDATORS;
	/// Eras of history kept for reward claims.
	pub const HistoryDepth: u32 = 84;
	/// Nominators per exposure page.
	pub const MaxExposurePageSize: u32 = MaxNominators::get();
	/// Election snapshot bounds: 5,000 voters, 1,000 validator candidates.
	pub ElectionBoundsOnChain: ElectionBounds = ElectionBoundsBuilder::default()
		.voters_count(5_000.into())
		.targets_count(1_000.into())
		.build();
	/// Backers kept per winner.
	pub const MaxBackersPerWinner: u32 = MaxNominators::get();
}

/// The on-chain election: sequential Phragmén over staking's voters and targets.
pub struct OnChainSeqPhragmen;
impl onchain::Config for OnChainSeqPhragmen {
	type System = Runtime;
	type Solver = SequentialPhragmen<AccountId, Perbill>;
	type DataProvider = Staking;
	type WeightInfo = frame_election_provider_support::weights::SubstrateWeight<Runtime>;
	type Bounds = ElectionBoundsOnChain;
	type MaxBackersPerWinner = MaxBackersPerWinner;
	type MaxWinnersPerPage = MaxValidatorSet;
	type Sort = ConstBool<true>;
}

impl pallet_staking::Config for Runtime {
	type OldCurrency = Balances;
	type Currency = Balances;
	type CurrencyBalance = Balance;
	type RuntimeHoldReason = RuntimeHoldReason;
	type UnixTime = Timestamp;
	type CurrencyToVote = sp_staking::currency_to_vote::U128CurrencyToVote;
	type ElectionProvider = onchain::OnChainExecution<OnChainSeqPhragmen>;
	type GenesisElectionProvider = onchain::OnChainExecution<OnChainSeqPhragmen>;
	type NominationsQuota = pallet_staking::FixedNominationsQuota<16>;
	type HistoryDepth = HistoryDepth;
	/// Inflation not paid to stakers goes to the treasury.
	type RewardRemainder = ResolveTo<TreasuryAccount, Balances>;
	type RuntimeEvent = RuntimeEvent;
	/// Slashed stake goes to the treasury.
	type Slash = ResolveTo<TreasuryAccount, Balances>;
	type Reward = ();
	type SessionsPerEra = SessionsPerEra;
	type BondingDuration = BondingDuration;
	type SlashDeferDuration = SlashDeferDuration;
	/// Root or 2/3 of the council may cancel deferred slashes and set staking parameters.
	type AdminOrigin = GovernanceOrigin;
	type SessionInterface = Self;
	type EraPayout = pallet_staking::ConvertCurve<RewardCurve>;
	type NextNewSession = Session;
	type MaxExposurePageSize = MaxExposurePageSize;
	type MaxValidatorSet = MaxValidatorSet;
	/// Voters and targets are read straight from staking's maps, bounded by the
	/// `MaxNominatorsCount` / `MaxValidatorsCount` set in genesis and the election bounds
	/// above (a bags list is the upgrade path once nominators number in the thousands).
	type VoterList = pallet_staking::UseNominatorsAndValidatorsMap<Self>;
	type TargetList = pallet_staking::UseValidatorsMap<Self>;
	type MaxUnlockingChunks = ConstU32<32>;
	type MaxControllersInDeprecationBatch = ConstU32<100>;
	/// Staked restaking pools are virtual stakers: the pools pallet takes what NPoS slashes
	/// from their ledgers out of their funds (staking does not move a virtual staker's funds).
	type EventListeners = RestakingPools;
	type Filter = Nothing;
	type BenchmarkingConfig = StakingBenchmarkingConfig;
	type WeightInfo = pallet_staking::weights::SubstrateWeight<Runtime>;
}

/// Sizes used by staking's benchmarks: as many validators and nominators as the election
/// bounds admit in one snapshot page.
pub struct StakingBenchmarkingConfig;
impl pallet_staking::BenchmarkingConfig for StakingBenchmarkingConfig {
	type MaxValidators = ConstU32<1_000>;
	type MaxNominators = ConstU32<1_000>;
}
