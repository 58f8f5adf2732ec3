//! The invariants checked after every step and every block.

use super::*;

// ------------------------------------------------------------------------------------------
// Invariants.
// ------------------------------------------------------------------------------------------

/// What the per-step checks compare before and after.
pub(super) struct Before {
	pub(super) issuance: Balance,
	/// pool → (active value, LRT supply, rate).
	pub(super) pools: BTreeMap<PoolId, (Balance, Balance, FixedU128)>,
}

pub(super) fn before() -> Before {
	Before {
		issuance: Balances::total_issuance(),
		pools: pallet_restaking_pools::Pools::<Runtime>::iter()
			.map(|(pool, record)| {
				(pool, (record.active, pallet_lrt_supply(pool), rate(pool, rate_value(&record))))
			})
			.collect(),
	}
}

/// A pool's LRT supply: its LRT asset's total issuance (`pallet-lrt` keeps no copy).
pub(super) fn pallet_lrt_supply(pool: PoolId) -> Balance {
	pallet_restaking_pools::Pools::<Runtime>::get(pool)
		.filter(|_| pallet_lrt::Lrts::<Runtime>::contains_key(pool))
		.map_or(0, |record| Assets::total_supply(record.lrt_asset))
}

/// The events of the current block from index `from` on.
pub(super) fn events_since(from: usize) -> Vec<RuntimeEvent> {
	System::read_events_no_consensus().skip(from).map(|r| r.event).collect()
}

/// Runs the invariant checks.
///
/// Most violations are *hard*: the state is suspect, the sequence stops. The read-only
/// observations of rates (`rate`, `fair-rate`) are *soft*: recorded once per sequence, and the
/// sequence goes on (otherwise a violation that shows after every slash would hide everything
/// else).
pub(super) struct Checker<'a> {
	pub(super) skip: &'a BTreeSet<String>,
	/// Share of calls (percent) whose storage root is compared when they fail.
	pub(super) root_percent: u64,
	/// Soft violations of this sequence, in order, one per kind.
	pub(super) soft: RefCell<Vec<Violation>>,
}

impl<'a> Checker<'a> {
	pub(super) fn new(cfg: &'a FuzzConfig) -> Self {
		Self { skip: &cfg.skip, root_percent: cfg.root_percent, soft: RefCell::new(Vec::new()) }
	}

	pub(super) fn on(&self, name: &str) -> bool {
		!self.skip.contains(name)
	}

	/// Records a soft violation (once per kind).
	pub(super) fn soft(&self, result: Result<(), Violation>) {
		if let Err(v) = result {
			let mut soft = self.soft.borrow_mut();
			if !soft.iter().any(|known| known.kind == v.kind) {
				soft.push(v);
			}
		}
	}

	/// The checks run after every step. `events` are the step's events; `burn_call` says the
	/// step was a successful `Balances::burn`.
	pub(super) fn step(
		&self,
		before: &Before,
		events: &[RuntimeEvent],
		burn_call: bool,
	) -> Result<(), Violation> {
		timed(|t| &mut t.checks, || self.step_checks(before, events, burn_call))
	}

	pub(super) fn step_checks(
		&self,
		before: &Before,
		events: &[RuntimeEvent],
		burn_call: bool,
	) -> Result<(), Violation> {
		if self.on("pal-issuance") {
			check_pal_issuance(before.issuance, events, burn_call)?;
		}
		if self.on("lrt-supply") {
			check_lrt(before, events)?;
		}
		if self.on("rate") {
			self.soft(check_rates(before, events));
		}
		Ok(())
	}

	/// The checks that iterate over every account: after every block (with `try_state`).
	pub(super) fn totals(&self) -> Result<(), Violation> {
		timed(
			|t| &mut t.checks,
			|| {
				if self.on("pal-accounts") {
					check_pal_accounts()?;
				}
				if self.on("asset-supply") {
					check_asset_supplies()?;
				}
				if self.on("fair-rate") {
					self.soft(check_fair_rate());
				}
				Ok(())
			},
		)
	}

	pub(super) fn block(&self, n: BlockNumber) -> Result<(), Violation> {
		self.totals()?;
		if self.on("try-state") {
			try_state(n).map_err(|e| violation(format!("try_state: {e}"), format!("block {n}")))?;
		}
		Ok(())
	}
}

/// PAL total issuance equals the sum of every account's free and reserved balance (holds are
/// reserved balance).
pub(super) fn check_pal_accounts() -> Result<(), Violation> {
	let issuance = Balances::total_issuance();
	let sum = frame_system::Account::<Runtime>::iter().fold(0u128, |sum, (_, info)| {
		sum.saturating_add(info.data.free).saturating_add(info.data.reserved)
	});
	if sum != issuance {
		return Err(violation(
			"PAL total issuance differs from the sum of all accounts",
			format!("issuance {issuance}, sum of accounts {sum}"),
		));
	}
	Ok(())
}

/// PAL issuance changes exactly by the `Balances` issuance events, is minted only by staking
/// (era payout, reward) and burnt only by slashes, `Balances::burn`, or (exactly) the penalty
/// of a consumer removed without ever having had a validator set.
pub(super) fn check_pal_issuance(
	before: Balance,
	events: &[RuntimeEvent],
	burn_call: bool,
) -> Result<(), Violation> {
	use pallet_balances::Event as B;
	let after = Balances::total_issuance();
	let (mut up, mut down) = (0u128, 0u128);
	let (mut staking_pays, mut slashed) = (false, false);
	let mut penalties = 0u128;
	for event in events {
		match event {
			RuntimeEvent::Balances(
				B::Minted { amount, .. } | B::Issued { amount } | B::MintedCredit { amount },
			) => up += amount,
			RuntimeEvent::Balances(
				B::Burned { amount, .. }
				| B::BurnedHeld { amount, .. }
				| B::Rescinded { amount }
				| B::BurnedDebt { amount },
			) => down += amount,
			RuntimeEvent::Balances(B::TotalIssuanceForced { old, new }) => {
				up += new.saturating_sub(*old);
				down += old.saturating_sub(*new);
			}
			RuntimeEvent::Staking(
				pallet_staking::Event::EraPaid { .. } | pallet_staking::Event::Rewarded { .. },
			) => staking_pays = true,
			RuntimeEvent::Consumers(pallet_consumers::Event::ConsumerRemoved {
				penalty, ..
			}) => penalties += penalty,
			_ => {}
		}
		let name = event_name(event);
		if name.ends_with("Slashed") || name.ends_with("SlashExecuted") {
			slashed = true;
		}
	}
	let explained = before.checked_add(up).and_then(|v| v.checked_sub(down));
	if explained != Some(after) {
		return Err(violation(
			"PAL issuance changed by more than its issuance events",
			format!("before {before}, after {after}, minted {up}, burnt {down}"),
		));
	}
	if up > 0 && !staking_pays {
		return Err(violation(
			"PAL minted outside a staking era payout or reward",
			format!("minted {up}"),
		));
	}
	if down > 0 && !slashed && !burn_call && down != penalties {
		return Err(violation(
			"PAL burnt without a slash, a Balances::burn or a consumer penalty",
			format!("burnt {down}, consumer penalties {penalties}"),
		));
	}
	Ok(())
}

/// Each asset's supply equals the sum of its accounts' balances (but while it is destroyed).
pub(super) fn check_asset_supplies() -> Result<(), Violation> {
	let mut sums: BTreeMap<AssetId, Balance> = BTreeMap::new();
	for (asset, _, account) in pallet_assets::Account::<Runtime>::iter() {
		let sum = sums.entry(asset).or_default();
		*sum = sum.saturating_add(account.balance);
	}
	for (asset, details) in pallet_assets::Asset::<Runtime>::iter() {
		let sum = sums.remove(&asset).unwrap_or_default();
		// While an asset is destroyed, `destroy_accounts` removes accounts without lowering the
		// supply (`pallet-assets`' own `try_state` skips such assets too).
		if details.status == pallet_assets::AssetStatus::Destroying {
			continue;
		}
		if sum != details.supply {
			return Err(violation(
				"asset supply differs from the sum of its accounts",
				format!("asset {asset}: supply {}, sum of accounts {sum}", details.supply),
			));
		}
	}
	if let Some((asset, sum)) = sums.into_iter().find(|(_, sum)| *sum > 0) {
		return Err(violation(
			"asset accounts of an asset that does not exist",
			format!("asset {asset}: {sum}"),
		));
	}
	Ok(())
}

/// Each pool has its `pallet-lrt` record, and its LRT supply (the asset's total issuance)
/// changes only by the LRT its `Deposited` / `WithdrawalRequested` events mint and burn.
pub(super) fn check_lrt(before: &Before, events: &[RuntimeEvent]) -> Result<(), Violation> {
	use pallet_restaking_pools::Event as P;
	let mut delta: BTreeMap<PoolId, (Balance, Balance)> = BTreeMap::new();
	for event in events {
		match event {
			RuntimeEvent::RestakingPools(P::Deposited { pool, lrt_minted, .. }) => {
				delta.entry(*pool).or_default().0 += lrt_minted
			}
			RuntimeEvent::RestakingPools(P::WithdrawalRequested { pool, lrt_burnt, .. }) => {
				delta.entry(*pool).or_default().1 += lrt_burnt
			}
			_ => {}
		}
	}
	for (pool, record) in pallet_restaking_pools::Pools::<Runtime>::iter() {
		if !pallet_lrt::Lrts::<Runtime>::contains_key(pool) {
			return Err(violation("pool without an LRT record", format!("pool {pool}")));
		}
		let recorded = Assets::total_supply(record.lrt_asset);
		let old = before.pools.get(&pool).map_or(0, |(_, supply, _)| *supply);
		let (minted, burnt) = delta.get(&pool).copied().unwrap_or_default();
		if old.checked_add(minted).and_then(|v| v.checked_sub(burnt)) != Some(recorded) {
			return Err(violation(
				"LRT supply changed without a deposit or withdrawal event",
				format!(
					"pool {pool}: before {old}, after {recorded}, minted {minted}, burnt {burnt}"
				),
			));
		}
	}
	Ok(())
}

/// The pools a step's events slash (any pools-pallet or slashing event with "lash" in its name
/// that names the pool).
pub(super) fn slashed_pools(events: &[RuntimeEvent]) -> BTreeSet<PoolId> {
	let mut pools = BTreeSet::new();
	for event in events {
		if !event_name(event).contains("lash") {
			continue;
		}
		let text = format!("{event:?}");
		for part in text.split("pool: ").skip(1) {
			let digits: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
			if let Ok(pool) = digits.parse() {
				pools.insert(pool);
			}
		}
	}
	pools
}

/// The exchange rate of `pool` (collateral units per LRT unit, virtual offset included) at
/// active value `active`, as `pallet-lrt` computes it.
pub(super) fn rate(pool: PoolId, active: Balance) -> FixedU128 {
	<Lrt as LrtInterface<AccountId, Balance>>::rate(pool, active)
}

/// The value a pool's rate is computed from now: its active value less the rewards still
/// vesting in it.
pub(super) fn rate_value(record: &pallet_restaking_pools::PoolRecordOf<Runtime>) -> Balance {
	record.rate_value(<crate::Consumers as palisade_primitives::EpochProvider>::current_epoch())
}

/// A pool's rate does not go down in a step that does not slash it: deposits, withdrawals and
/// claims round in the pool's favour.
pub(super) fn check_rates(before: &Before, events: &[RuntimeEvent]) -> Result<(), Violation> {
	let slashed = slashed_pools(events);
	for (pool, record) in pallet_restaking_pools::Pools::<Runtime>::iter() {
		let Some(&(active0, supply0, rate0)) = before.pools.get(&pool) else { continue };
		if slashed.contains(&pool) {
			continue;
		}
		let (active1, supply1) = (record.active, pallet_lrt_supply(pool));
		let rate1 = rate(pool, rate_value(&record));
		if rate1 < rate0 {
			return Err(violation(
				"pool rate went down without a slash",
				format!(
					"pool {pool}: rate {rate0:?} -> {rate1:?}, active {active0} -> {active1}, \
					 supply {supply0} -> {supply1}"
				),
			));
		}
	}
	Ok(())
}

/// What all LRT holders of a pool could redeem does not exceed the pool's active value.
pub(super) fn check_fair_rate() -> Result<(), Violation> {
	for (pool, record) in pallet_restaking_pools::Pools::<Runtime>::iter() {
		let mut redeemable: Balance = 0;
		for (_, account) in pallet_assets::Account::<Runtime>::iter_prefix(record.lrt_asset) {
			let value = <Lrt as LrtInterface<AccountId, Balance>>::value_of(
				pool,
				account.balance,
				record.active,
			);
			redeemable = redeemable.saturating_add(value);
		}
		if redeemable > record.active {
			return Err(violation(
				"LRT holders can redeem more than the pool's active value",
				format!(
					"pool {pool}: active {}, supply {}, redeemable {redeemable}",
					record.active,
					pallet_lrt_supply(pool)
				),
			));
		}
	}
	Ok(())
}
