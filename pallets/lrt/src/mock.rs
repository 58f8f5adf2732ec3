//! A mock runtime with System, Balances, Assets and Lrt. Metadata deposits are those of
//! `pallet-assets`' test defaults (1 + 1 per byte). A 6-decimal LRT has minimum balance 10 and
//! virtual offset 1_000 (a 12-decimal one 10^7 and 10^6).

use crate::{self as pallet_lrt, *};
use frame_support::{
	derive_impl, parameter_types,
	traits::{AsEnsureOriginWithArg, ConstU32, ConstU64},
	PalletId,
};
use sp_runtime::{BuildStorage, Perquintill};

type Block = frame_system::mocking::MockBlock<Test>;

/// Account ids of the mock.
pub type AccountId = u64;
/// Balance type of the mock.
pub type Balance = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Assets: pallet_assets,
		Lrt: pallet_lrt,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<Balance>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ConstU64<ED>;
}

#[derive_impl(pallet_assets::config_preludes::TestDefaultConfig)]
impl pallet_assets::Config for Test {
	type Currency = Balances;
	type CreateOrigin = AsEnsureOriginWithArg<frame_system::EnsureSigned<AccountId>>;
	type ForceOrigin = frame_system::EnsureRoot<AccountId>;
	type Freezer = ();
	type Holder = ();
	type StringLimit = ConstU32<50>;
}

/// Native existential deposit.
pub const ED: Balance = 5;
/// First LRT asset id.
pub const OFFSET: u32 = 1_000_000;
/// Minimum LRT balance of a 6-decimal LRT (10^-5 of a whole token).
pub const MIN_LRT: Balance = 10;

parameter_types! {
	/// The LRT pallet's id.
	pub const LrtPalletId: PalletId = PalletId(*b"py/plrt_");
	/// 10^-5 of a whole token: [`MIN_LRT`] base units at 6 decimals.
	pub const MinLrtBalance: Perquintill = Perquintill::from_parts(10_000_000_000_000);
}

impl pallet_lrt::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type Currency = Balances;
	type Assets = Assets;
	type PalletId = LrtPalletId;
	type LrtAssetIdOffset = ConstU32<OFFSET>;
	type MinLrtBalance = MinLrtBalance;
}

/// Builds the test externalities: accounts 1..=5 hold 1_000 each.
pub struct ExtBuilder {
	balances: Vec<(AccountId, Balance)>,
}

impl Default for ExtBuilder {
	fn default() -> Self {
		Self { balances: (1..=5).map(|who| (who, 1_000)).collect() }
	}
}

impl ExtBuilder {
	/// Build the externalities at block 1.
	pub fn build(self) -> sp_io::TestExternalities {
		let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
		pallet_balances::GenesisConfig::<Test> { balances: self.balances, ..Default::default() }
			.assimilate_storage(&mut storage)
			.unwrap();
		let mut ext = sp_io::TestExternalities::new(storage);
		ext.execute_with(|| System::set_block_number(1));
		ext
	}

	/// Build, run `test`, then check the pallet's invariants.
	pub fn build_and_execute(self, test: impl FnOnce()) {
		self.build().execute_with(|| {
			test();
			Lrt::do_try_state().expect("invariants hold after the test");
		});
	}
}

/// The events of this pallet deposited since the last call, oldest first.
pub fn lrt_events() -> Vec<Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::Lrt(event) => Some(event),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}
