//! A genesis-only pallet that builds a **demo world** on development chains: consumer chains,
//! operators opted in to them, restaking pools with deposits and allocations, and PAL/LRT
//! markets on `pallet-asset-conversion`.
//!
//! It has no storage, no calls and no hooks. Its genesis config describes the world, and its
//! genesis build makes it happen with the restaking pallets' **real calls** under signed
//! origins (root for the collateral valuation), exactly as users would, so every deposit,
//! hold, LRT and index is what those calls produce. A failing call fails the genesis build
//! loudly (a node cannot start with a half-built world).
//!
//! It must be the **last** pallet of the runtime: every other pallet's genesis (balances,
//! assets, the epoch clock, the slashing parameters) has been built when it runs. At genesis
//! the restaking epoch is 0: allocations made here take effect in epoch 1, whose transition
//! (the first block of epoch 1) activates the consumers that have enough operators and escrow.
//!
//! The `development` and `local_testnet` presets fill it in
//! ([`crate::genesis_config_presets::demo_world`]); `staging` leaves it empty.

pub use pallet::*;

#[frame_support::pallet]
pub mod pallet {
	use crate::{
		AccountId, AssetConversion, AssetId, Balance, Consumers, Operators, RestakingPools,
		Runtime, RuntimeOrigin,
	};
	use alloc::{boxed::Box, string::String, vec::Vec};
	use frame_support::traits::fungible::NativeOrWithId;
	use frame_support::{pallet_prelude::*, DefaultNoBound, Deserialize, Serialize};
	use palisade_primitives::{Collateral, ConsumerId, PoolId};
	use sp_core::H256;
	use sp_runtime::{traits::StaticLookup, FixedU128, Perbill};

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The runtime this pallet builds the world of (its genesis calls the runtime's pallets).
	#[pallet::config]
	pub trait Config: frame_system::Config {}

	/// A consumer chain of the demo world.
	#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
	#[serde(
		crate = "frame_support::__private::serde",
		rename_all = "camelCase",
		deny_unknown_fields
	)]
	pub struct DemoConsumer {
		/// Registers it (pays the deposit), funds it and administers it.
		pub admin: AccountId,
		/// Its reporter, if not the admin.
		pub reporter: Option<AccountId>,
		/// Its metadata (a name).
		pub metadata: String,
		/// Its genesis hash.
		pub genesis_hash: H256,
		/// Fewest operators.
		pub min_operators: u32,
		/// Most operators.
		pub max_operators: u32,
		/// Smallest stake of a candidate (native).
		pub min_stake_per_operator: Balance,
		/// Power cap.
		pub power_cap: Perbill,
		/// Payment per epoch.
		pub payment_per_epoch: Balance,
		/// What the admin pays into the escrow.
		pub funding: Balance,
	}

	/// An operator of the demo world.
	#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
	#[serde(
		crate = "frame_support::__private::serde",
		rename_all = "camelCase",
		deny_unknown_fields
	)]
	pub struct DemoOperator {
		/// Its account (pays the bond).
		pub account: AccountId,
		/// Its bond.
		pub bond: Balance,
		/// Its commission.
		pub commission: Perbill,
		/// Its metadata (a name).
		pub metadata: String,
		/// The consumers it opts in to, with its key for each. Consumers are numbered from 0
		/// in the order of [`GenesisConfig::consumers`]. Keys are used once, ever, and must not
		/// be Palisade session keys (the `opt_in` call refuses them).
		pub opt_ins: Vec<(ConsumerId, H256)>,
	}

	/// A restaking pool of the demo world.
	#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
	#[serde(
		crate = "frame_support::__private::serde",
		rename_all = "camelCase",
		deny_unknown_fields
	)]
	pub struct DemoPool {
		/// Creates and curates it.
		pub curator: AccountId,
		/// `None`: native PAL; `Some(asset)`: that `pallet-assets` asset.
		pub asset: Option<AssetId>,
		/// For an asset pool: the valuation governance (root) sets for the asset first, native
		/// base units per asset base unit.
		pub valuation: Option<FixedU128>,
		/// Its metadata (a name).
		pub metadata: String,
		/// Its deposit cap (collateral units).
		pub deposit_cap: Balance,
		/// Deposits: (restaker, amount), in order.
		pub deposits: Vec<(AccountId, Balance)>,
		/// Allocations set by the curator: (operator, consumer, fraction). Each operator
		/// accepts the pool (`accept_pool`) before its first allocation.
		pub allocations: Vec<(AccountId, ConsumerId, Perbill)>,
	}

	/// A PAL/LRT market of the demo world: an asset-conversion pool of a demo pool's LRT against
	/// PAL, with liquidity from a restaker who got the LRT by depositing.
	#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
	#[serde(
		crate = "frame_support::__private::serde",
		rename_all = "camelCase",
		deny_unknown_fields
	)]
	pub struct DemoMarket {
		/// Creates the asset-conversion pool (pays its setup fee) and provides its liquidity
		/// (receives the LP tokens). Must hold `lrt` of the pool's LRT (from a deposit above)
		/// and `native` PAL beyond its existential deposit.
		pub provider: AccountId,
		/// The restaking pool whose LRT is traded (numbered from 0 in the order of
		/// [`GenesisConfig::pools`]).
		pub pool: PoolId,
		/// The LRT the provider puts in (LRT base units).
		pub lrt: Balance,
		/// The PAL the provider puts in (Planck): `native / lrt` is the market's opening price.
		pub native: Balance,
	}

	/// The demo world. Empty by default (nothing is built).
	#[pallet::genesis_config]
	#[derive(DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Consumer chains, registered first, in order: ids 0, 1, ...
		pub consumers: Vec<DemoConsumer>,
		/// Operators, registered next, each opting in to its consumers.
		pub operators: Vec<DemoOperator>,
		/// Pools, created next, each with its deposits and allocations.
		pub pools: Vec<DemoPool>,
		/// PAL/LRT markets, opened last.
		#[serde(default)]
		pub markets: Vec<DemoMarket>,
		/// A shorter NPoS session (in blocks) than the runtime's 10 minutes, for development
		/// chains whose users (and end-to-end tests) must see eras end and pay out within
		/// minutes; see [`crate::configs::staking::SessionLength`].
		#[serde(default)]
		pub session_length: Option<crate::BlockNumber>,
		/// A shorter NPoS slash deferral (in eras) than the runtime's six, for development
		/// chains whose users (and end-to-end tests) must see a validator's offence slashed
		/// within minutes (0: in the block that reports it); see
		/// [`crate::configs::staking::SlashDeferDuration`]. Shorter than the bonding duration.
		#[serde(default)]
		pub slash_defer_duration: Option<sp_staking::EraIndex>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	/// Panics with `what` if `result` is an error: a demo world that cannot be built must stop
	/// the chain from starting, not start it half-built.
	fn check<R, E: core::fmt::Debug>(what: &str, result: Result<R, E>) {
		if let Err(error) = result {
			panic!("demo genesis: {what} failed: {error:?}");
		}
	}

	fn bounded<S: Get<u32>>(what: &str, text: &str) -> BoundedVec<u8, S> {
		text.as_bytes()
			.to_vec()
			.try_into()
			.unwrap_or_else(|_| panic!("demo genesis: {what} metadata too long"))
	}

	fn signed(who: &AccountId) -> RuntimeOrigin {
		RuntimeOrigin::signed(who.clone())
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(length) = self.session_length {
				assert!(length > 0, "demo genesis: a session lasts at least one block");
				crate::configs::staking::SessionLength::set(&length);
			}
			if let Some(deferral) = self.slash_defer_duration {
				use crate::configs::staking::{BondingDuration, SlashDeferDuration};
				assert!(
					deferral < BondingDuration::get(),
					"demo genesis: a slash is deferred less than the bonding duration"
				);
				SlashDeferDuration::set(&deferral);
			}
			for (index, consumer) in self.consumers.iter().enumerate() {
				let id = pallet_consumers::NextConsumerId::<Runtime>::get();
				assert_eq!(
					id as usize, index,
					"demo genesis: consumers must be the first registered"
				);
				check(
					"register_consumer",
					Consumers::register_consumer(
						signed(&consumer.admin),
						bounded("consumer", &consumer.metadata),
						consumer.genesis_hash,
						pallet_consumers::ConsumerParams {
							min_operators: consumer.min_operators,
							max_operators: consumer.max_operators,
							min_stake_per_operator: consumer.min_stake_per_operator,
							power_cap: consumer.power_cap,
							payment_per_epoch: consumer.payment_per_epoch,
						},
					),
				);
				if consumer.funding > 0 {
					check(
						"fund_lease",
						Consumers::fund_lease(signed(&consumer.admin), id, consumer.funding),
					);
				}
				if let Some(reporter) = &consumer.reporter {
					check(
						"set_reporter",
						Consumers::set_reporter(
							signed(&consumer.admin),
							id,
							<Runtime as frame_system::Config>::Lookup::unlookup(reporter.clone()),
						),
					);
				}
			}

			for operator in &self.operators {
				check(
					"register_operator",
					Operators::register_operator(
						signed(&operator.account),
						operator.bond,
						operator.commission,
						bounded("operator", &operator.metadata),
					),
				);
				for (consumer, key) in &operator.opt_ins {
					check("opt_in", Operators::opt_in(signed(&operator.account), *consumer, key.0));
				}
			}

			for pool in &self.pools {
				let collateral = match pool.asset {
					None => Collateral::Native,
					Some(asset) => Collateral::Asset(asset),
				};
				if let (Some(asset), Some(valuation)) = (pool.asset, pool.valuation) {
					check(
						"set_collateral_valuation",
						RestakingPools::set_collateral_valuation(
							RuntimeOrigin::root(),
							asset,
							valuation,
						),
					);
				}
				let id = pallet_restaking_pools::NextPoolId::<Runtime>::get();
				check(
					"create_pool",
					RestakingPools::create_pool(
						signed(&pool.curator),
						collateral,
						bounded("pool", &pool.metadata),
						pool.deposit_cap,
					),
				);
				for (who, amount) in &pool.deposits {
					check("deposit", RestakingPools::deposit(signed(who), id, *amount));
				}
				for (operator, consumer, fraction) in &pool.allocations {
					// The operator consents to the pool first (operator-side accept list), as
					// a real operator would before a curator may allocate to it.
					if !<Operators as palisade_primitives::OperatorRegistry<_, _>>::accepts_pool(
						operator, id,
					) {
						check("accept_pool", Operators::accept_pool(signed(operator), id));
					}
					check(
						"set_allocation",
						RestakingPools::set_allocation(
							signed(&pool.curator),
							id,
							operator.clone(),
							*consumer,
							*fraction,
						),
					);
				}
			}

			for market in &self.markets {
				let lrt = pallet_restaking_pools::Pools::<Runtime>::get(market.pool)
					.map(|record| record.lrt_asset)
					.unwrap_or_else(|| {
						panic!("demo genesis: market of unknown pool {}", market.pool)
					});
				let (native, lrt) =
					(Box::new(NativeOrWithId::Native), Box::new(NativeOrWithId::WithId(lrt)));
				check(
					"asset_conversion.create_pool",
					AssetConversion::create_pool(
						signed(&market.provider),
						native.clone(),
						lrt.clone(),
					),
				);
				check(
					"asset_conversion.add_liquidity",
					AssetConversion::add_liquidity(
						signed(&market.provider),
						native,
						lrt,
						market.native,
						market.lrt,
						market.native,
						market.lrt,
						market.provider.clone(),
					),
				);
			}
		}
	}
}

impl Config for crate::Runtime {}
