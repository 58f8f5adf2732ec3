//! Governance: a council (`pallet-collective` + `pallet-membership`), the treasury, and the
//! one [`GovernanceOrigin`] every Palisade pallet uses for privileged calls.
//!
//! A council motion passes with the votes of at least 2/3 of the members; when it is
//! closed, its call is dispatched with the `Council` collective origin, which
//! [`GovernanceOrigin`] accepts. Root (sudo on development chains) is accepted too.

use frame_support::{
	parameter_types,
	traits::{
		tokens::{PayFromAccount, UnityAssetBalanceConversion},
		EitherOfDiverse,
	},
	weights::Weight,
	PalletId,
};
use frame_system::{EnsureRoot, EnsureWithSuccess};
use sp_runtime::{
	traits::{AccountIdConversion, IdentityLookup},
	Perbill, Permill,
};

use super::RuntimeBlockWeights;
use crate::{
	time::DAYS, AccountId, Balance, Balances, BlockNumber, Council, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeOrigin, System,
};

/// The council's collective instance.
pub type CouncilCollective = pallet_collective::Instance1;

/// Root, or at least two thirds of the council.
///
/// This is the origin of every governance action of Palisade: slashing parameters, slash
/// vetoes, collateral valuations, staking administration, treasury rejections and council
/// membership changes.
pub type GovernanceOrigin = EitherOfDiverse<
	EnsureRoot<AccountId>,
	pallet_collective::EnsureProportionAtLeast<AccountId, CouncilCollective, 2, 3>,
>;

parameter_types! {
	/// A motion that does not reach its threshold expires after this long.
	pub const CouncilMotionDuration: BlockNumber = 3 * DAYS;
	/// Open motions at once.
	pub const CouncilMaxProposals: u32 = 100;
	/// Council seats.
	pub const CouncilMaxMembers: u32 = 100;
	/// A motion's call may use at most half a block.
	pub MaxProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_collective::Config<CouncilCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	type MotionDuration = CouncilMotionDuration;
	type MaxProposals = CouncilMaxProposals;
	type MaxMembers = CouncilMaxMembers;
	/// Members who do not vote follow the prime member.
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// Membership is managed by `CouncilMembership`; `set_members` is root only.
	type SetMembersOrigin = EnsureRoot<AccountId>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = EnsureRoot<AccountId>;
	type KillOrigin = EnsureRoot<AccountId>;
	type Consideration = ();
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = GovernanceOrigin;
	type RemoveOrigin = GovernanceOrigin;
	type SwapOrigin = GovernanceOrigin;
	type ResetOrigin = GovernanceOrigin;
	type PrimeOrigin = GovernanceOrigin;
	type MembershipInitialized = Council;
	type MembershipChanged = Council;
	type MaxMembers = CouncilMaxMembers;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The treasury's pallet id; its account holds fees, dust, slashes and unpaid inflation.
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	/// The treasury's account.
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();
	/// Approved spends are paid every day.
	pub const SpendPeriod: BlockNumber = DAYS;
	/// Nothing is burnt at the end of a spend period.
	pub const Burn: Permill = Permill::from_percent(0);
	/// Approved spends must be claimed within 30 days.
	pub const PayoutPeriod: BlockNumber = 30 * DAYS;
	/// Spend approvals queued at once.
	pub const MaxApprovals: u32 = 100;
	/// Root may spend any amount.
	pub const MaxBalance: Balance = Balance::MAX;
}

impl pallet_treasury::Config for Runtime {
	type Currency = Balances;
	type RejectOrigin = GovernanceOrigin;
	type RuntimeEvent = RuntimeEvent;
	type SpendPeriod = SpendPeriod;
	type Burn = Burn;
	type PalletId = TreasuryPalletId;
	type BurnDestination = ();
	type WeightInfo = pallet_treasury::weights::SubstrateWeight<Runtime>;
	type SpendFunds = ();
	type MaxApprovals = MaxApprovals;
	type SpendOrigin = EnsureWithSuccess<EnsureRoot<AccountId>, AccountId, MaxBalance>;
	type AssetKind = ();
	type Beneficiary = AccountId;
	type BeneficiaryLookup = IdentityLookup<AccountId>;
	type Paymaster = PayFromAccount<Balances, TreasuryAccount>;
	type BalanceConverter = UnityAssetBalanceConversion;
	type PayoutPeriod = PayoutPeriod;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type BlockNumberProvider = System;
}
