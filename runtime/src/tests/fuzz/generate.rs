//! Random and hostile calls.

use super::*;

// ------------------------------------------------------------------------------------------
// Generating calls.
// ------------------------------------------------------------------------------------------

pub(super) struct Gen<'a> {
	pub(super) rng: &'a mut Rng,
	pub(super) world: &'a World,
}

/// Whether the "issuer drain" actions are left out (`PALISADE_FUZZ_SKIP` contains
/// `issuer-drain`): the admin of a pool's collateral asset burning or force-transferring the
/// pool account's balance, or destroying the asset's accounts. `pallet-assets` gives an asset's
/// admin that power over every holder; the runtime's call filter (`PalisadeCallFilter`) refuses
/// it on pool accounts and pooled assets, so every run keeps these actions by default (they
/// must all fail with `CallFiltered`). The switch stays to compare runs.
fn issuer_drain_skipped() -> bool {
	std::env::var("PALISADE_FUZZ_SKIP")
		.is_ok_and(|s| s.split(',').any(|k| k.trim() == "issuer-drain"))
}

impl Gen<'_> {
	pub(super) fn action(&mut self) -> Action {
		match self.rng.below(100) {
			0..=10 => Action::NextBlock,
			11..=16 => Action::NextEpoch,
			_ => {
				let (who, call) = self.call();
				Action::Call { who, call }
			}
		}
	}

	pub(super) fn call(&mut self) -> (Option<AccountId>, RuntimeCall) {
		match self.rng.below(100) {
			0..=16 => self.operators(),
			17..=40 => self.pools(),
			41..=50 => self.consumers(),
			51..=64 => self.slashing(),
			65..=77 => self.assets(),
			78..=84 => self.balances(),
			85..=89 => self.staking(),
			90..=92 => self.batch(),
			93..=95 => self.basket(),
			_ => self.governance(),
		}
	}

	// --- arguments ---

	pub(super) fn actor(&mut self) -> AccountId {
		self.rng.pick(&self.world.actors)
	}

	/// `candidate` if it can sign, else a random actor.
	pub(super) fn signer(&mut self, candidate: AccountId) -> AccountId {
		if self.world.is_keyed(&candidate) {
			candidate
		} else {
			self.actor()
		}
	}

	/// Any account: mostly actors, sometimes a pool account, an escrow, the treasury, the LRT
	/// pallet or a stranger.
	pub(super) fn account(&mut self) -> AccountId {
		match self.rng.below(20) {
			0..=11 => self.actor(),
			12..=14 => pool_account(self.pool()),
			15 => escrow_account(self.consumer()),
			16 => treasury(),
			17 => pallet_lrt::Pallet::<Runtime>::account_id(),
			// A staked pool's NPoS reward account (a transfer to it is a reward).
			18 => pallet_restaking_pools::Pallet::<Runtime>::reward_account(self.pool()),
			_ => self.rng.pick(&self.world.strangers),
		}
	}

	pub(super) fn operator(&mut self) -> AccountId {
		let operators: Vec<AccountId> =
			pallet_operators::OperatorRecords::<Runtime>::iter_keys().collect();
		if !operators.is_empty() && self.rng.chance(75) {
			self.rng.pick(&operators)
		} else {
			self.account()
		}
	}

	/// An amount: one of `hints` (or next to it) 40% of the time, else a hostile or random
	/// one.
	pub(super) fn amount(&mut self, hints: &[Balance]) -> Balance {
		match self.rng.below(10) {
			0..=3 if !hints.is_empty() => {
				let hint = self.rng.pick(hints);
				match self.rng.below(5) {
					0 => hint.saturating_sub(1),
					1 => hint.saturating_add(1),
					2 => hint / 2,
					_ => hint,
				}
			}
			4 => self.rng.pick(&[
				0,
				1,
				2,
				ED - 1,
				ED,
				ED + 1,
				MIN_LRT - 1,
				MIN_LRT,
				UNITS - 1,
				UNITS,
				1_000 * UNITS,
				u64::MAX as u128,
				u128::MAX / 2,
				u128::MAX,
			]),
			5 | 6 => self.rng.below_u128(1_000 * UNITS),
			7 | 8 => self.rng.range(1, 100_000) as u128 * UNITS,
			_ => 10u128.pow(self.rng.below(30) as u32),
		}
	}

	pub(super) fn perbill(&mut self) -> Perbill {
		match self.rng.below(8) {
			0 => Perbill::zero(),
			1 => Perbill::from_parts(1),
			2 => Perbill::one(),
			3 => Perbill::from_parts(999_999_999),
			4 => Perbill::from_percent(50),
			_ => Perbill::from_parts(self.rng.below(1_000_000_001) as u32),
		}
	}

	pub(super) fn epoch(&mut self) -> u32 {
		let now = Consumers::current_epoch();
		match self.rng.below(12) {
			0..=2 => now,
			3..=4 => now.saturating_sub(1),
			5 => now.saturating_sub(2),
			6 => now.saturating_sub(3),
			7 => now.saturating_add(1),
			8 => 0,
			9 => u32::MAX,
			_ => now.saturating_sub(self.rng.below(10) as u32),
		}
	}

	pub(super) fn pool(&mut self) -> PoolId {
		let next = pallet_restaking_pools::NextPoolId::<Runtime>::get();
		if next > 0 && self.rng.chance(88) {
			self.rng.below(next as u64) as PoolId
		} else {
			self.rng.pick(&[next, next.saturating_add(1), u32::MAX])
		}
	}

	pub(super) fn consumer(&mut self) -> ConsumerId {
		let next = pallet_consumers::NextConsumerId::<Runtime>::get();
		if next > 0 && self.rng.chance(88) {
			// The demo consumer and the hostile one are the interesting ones.
			if self.rng.chance(60) {
				self.rng.below(next.min(2) as u64) as ConsumerId
			} else {
				self.rng.below(next as u64) as ConsumerId
			}
		} else {
			self.rng.pick(&[next, next.saturating_add(1), u32::MAX])
		}
	}

	/// An asset id: existing collateral, an LRT, or one that does not exist.
	pub(super) fn asset(&mut self) -> AssetId {
		let existing: Vec<AssetId> = pallet_assets::Asset::<Runtime>::iter_keys().collect();
		let (lrts, plain): (Vec<AssetId>, Vec<AssetId>) =
			existing.into_iter().partition(|id| *id >= LRT_ASSET_ID_OFFSET);
		match self.rng.below(20) {
			0..=12 if !plain.is_empty() => self.rng.pick(&plain),
			13..=16 if !lrts.is_empty() => self.rng.pick(&lrts),
			_ => self.rng.pick(&[0, 3, 4, 77, LRT_ASSET_ID_OFFSET + 999, u32::MAX]),
		}
	}

	pub(super) fn key(&mut self) -> ConsumerKey {
		match self.rng.below(10) {
			0..=7 => self.rng.pick(&self.world.keys).0,
			8 => [0u8; 32],
			_ => {
				let mut key = [0u8; 32];
				key[..8].copy_from_slice(&self.rng.next_u64().to_le_bytes());
				key
			}
		}
	}

	pub(super) fn metadata_len(&mut self) -> usize {
		self.rng.pick(&[0, 1, 8, 32, 255, 256, 257])
	}

	pub(super) fn free(&self, who: &AccountId) -> Balance {
		Balances::free_balance(who)
	}

	// --- pallets ---

	pub(super) fn operators(&mut self) -> (Option<AccountId>, RuntimeCall) {
		use pallet_operators::Call as C;
		let operators: Vec<AccountId> =
			pallet_operators::OperatorRecords::<Runtime>::iter_keys().collect();
		let who = if !operators.is_empty() && self.rng.chance(70) {
			self.rng.pick(&operators)
		} else {
			self.actor()
		};
		let bond = pallet_operators::OperatorRecords::<Runtime>::get(&who).map_or(0, |r| r.bond);
		let free = self.free(&who);
		let min_bond = <Runtime as pallet_operators::Config>::MinOperatorBond::get();
		let call = match self.rng.below(13) {
			0 => C::register_operator {
				bond: self.amount(&[min_bond, free, free.saturating_sub(ED)]),
				commission: self.perbill(),
				metadata: bounded(self.metadata_len()),
			},
			1 => C::update_metadata { metadata: bounded(self.metadata_len()) },
			2 => C::set_commission { commission: self.perbill() },
			3 => C::bond_extra { amount: self.amount(&[free, free.saturating_sub(ED)]) },
			4 | 5 => C::unbond { amount: self.amount(&[bond, bond.saturating_sub(min_bond)]) },
			6 => C::withdraw_unbonded {},
			7 => C::opt_in { consumer: self.consumer(), consumer_key: self.key() },
			8 => C::set_consumer_key { consumer: self.consumer(), key: self.key() },
			9 => C::opt_out { consumer: self.consumer() },
			10 => C::deregister {},
			11 => C::accept_pool { pool: self.pool() },
			_ => C::reject_pool { pool: self.pool() },
		};
		(Some(who), RuntimeCall::Operators(call))
	}

	pub(super) fn pools(&mut self) -> (Option<AccountId>, RuntimeCall) {
		use pallet_restaking_pools::Call as C;
		let pool = self.pool();
		let record = pallet_restaking_pools::Pools::<Runtime>::get(pool);
		let curator = |g: &mut Self| match &record {
			Some(r) if g.rng.chance(70) => g.signer(r.curator.clone()),
			_ => g.actor(),
		};
		let active = record.as_ref().map_or(0, |r| r.active);
		let cap = record.as_ref().map_or(0, |r| r.deposit_cap);
		let lrt_asset = <Lrt as LrtInterface<AccountId, Balance>>::asset_id(pool);
		let (who, call) = match self.rng.below(19) {
			0 => {
				let collateral = match self.rng.below(10) {
					0..=3 => Collateral::Native,
					4..=5 => Collateral::NativeStaked,
					_ => Collateral::Asset(self.asset()),
				};
				let deposit_cap = self.amount(&[1_000_000 * UNITS]);
				(
					self.actor(),
					C::create_pool {
						collateral,
						metadata: bounded(self.metadata_len()),
						deposit_cap,
					},
				)
			}
			1 => (curator(self), C::set_curator { pool, new_curator: self.account() }),
			2 => {
				(curator(self), C::set_deposit_cap { pool, deposit_cap: self.amount(&[active, 0]) })
			}
			3 => {
				let state = if self.rng.chance(50) { PoolState::Open } else { PoolState::Closed };
				(curator(self), C::set_pool_state { pool, state })
			}
			4..=6 => {
				let who = self.actor();
				let held = match record.as_ref().map(|r| r.collateral) {
					Some(Collateral::Asset(asset)) => Assets::balance(asset, &who),
					_ => self.free(&who),
				};
				let amount = self.amount(&[held, cap.saturating_sub(active), UNITS, 1]);
				(who, C::deposit { pool, amount })
			}
			7..=8 => {
				let holders: Vec<AccountId> =
					pallet_assets::Account::<Runtime>::iter_prefix(lrt_asset)
						.map(|(who, _)| who)
						.filter(|who| self.world.actors.contains(who))
						.collect();
				let who = if !holders.is_empty() && self.rng.chance(80) {
					self.rng.pick(&holders)
				} else {
					self.actor()
				};
				let held = Assets::balance(lrt_asset, &who);
				let lrt_amount = self.amount(&[
					held,
					held,
					held.saturating_sub(MIN_LRT),
					held.saturating_sub(MIN_LRT - 1),
					MIN_LRT,
				]);
				(who, C::request_withdrawal { pool, lrt_amount })
			}
			9..=10 => {
				let requests: Vec<(AccountId, u32, PoolId)> =
					pallet_restaking_pools::WithdrawalRequests::<Runtime>::iter()
						.map(|(who, id, request)| (who, id, request.pool))
						.collect();
				if !requests.is_empty() && self.rng.chance(85) {
					let (who, request_id, pool) = self.rng.pick(&requests);
					let who = if self.rng.chance(90) { who } else { self.actor() };
					let pool = if self.rng.chance(95) { pool } else { self.pool() };
					(who, C::claim_withdrawal { pool, request_id })
				} else {
					let request_id = self.rng.pick(&[
						0,
						1,
						pallet_restaking_pools::NextRequestId::<Runtime>::get(),
						u32::MAX,
					]);
					(self.actor(), C::claim_withdrawal { pool, request_id })
				}
			}
			11..=12 => {
				let operator = self.operator();
				let consumer = self.consumer();
				(
					curator(self),
					C::set_allocation { pool, operator, consumer, fraction: self.perbill() },
				)
			}
			14 => {
				let targets = if self.rng.chance(80) {
					vec![self.world.alice.clone()]
				} else {
					vec![self.account()]
				};
				(
					curator(self),
					C::nominate { pool, targets: targets.try_into().expect("one target fits") },
				)
			}
			15 => (curator(self), C::chill { pool }),
			16 => (self.actor(), C::compound_rewards { pool }),
			17 => {
				// Mostly the staked pool. Keys made for the pool's account (valid), for another
				// account (a proof that fails), or bytes that are no session keys at all.
				let pool = self.staked_pool_or(pool);
				let record = pallet_restaking_pools::Pools::<Runtime>::get(pool);
				let owner = match &record {
					Some(r) if self.rng.chance(70) => r.account.clone(),
					_ => self.account(),
				};
				let (keys, proof) = if self.rng.chance(85) {
					let generated = crate::SessionKeys::generate(&owner.encode(), None);
					(generated.keys.encode(), generated.proof.encode())
				} else {
					(vec![7u8; 3], vec![])
				};
				let who = match &record {
					Some(r) if self.rng.chance(75) => self.signer(r.curator.clone()),
					_ => self.actor(),
				};
				(
					who,
					C::set_session_keys {
						pool,
						keys: keys.try_into().expect("64 bytes of keys fit"),
						proof: proof.try_into().expect("two signatures fit"),
					},
				)
			}
			18 => {
				let pool = self.staked_pool_or(pool);
				let who = match pallet_restaking_pools::Pools::<Runtime>::get(pool) {
					Some(r) if self.rng.chance(75) => self.signer(r.curator),
					_ => self.actor(),
				};
				let commission = self.perbill();
				let blocked = self.rng.chance(30);
				(who, C::validate { pool, commission, blocked })
			}
			_ => (
				self.actor(),
				C::set_collateral_valuation { asset: self.asset(), valuation: self.valuation() },
			),
		};
		(Some(who), RuntimeCall::RestakingPools(call))
	}

	/// A staked pool (80%), or `pool`.
	pub(super) fn staked_pool_or(&mut self, pool: PoolId) -> PoolId {
		match pallet_restaking_pools::StakedPools::<Runtime>::iter_keys().next() {
			Some(staked) if self.rng.chance(80) => staked,
			_ => pool,
		}
	}

	pub(super) fn valuation(&mut self) -> FixedU128 {
		match self.rng.below(6) {
			0 => FixedU128::from_inner(0),
			1 => FixedU128::from_inner(1),
			2 => FixedU128::from_inner(u128::MAX),
			3 => FixedU128::from_u32(self.rng.range(1, 1_000_000) as u32),
			_ => FixedU128::from_rational(1, 10u128.pow(self.rng.below(13) as u32)),
		}
	}

	pub(super) fn consumer_params(&mut self) -> ConsumerParams<Balance> {
		let counts = [0, 1, 2, 3, 5, 20, 21, u32::MAX];
		ConsumerParams {
			min_operators: self.rng.pick(&counts),
			max_operators: self.rng.pick(&counts),
			min_stake_per_operator: self.amount(&[1_000 * UNITS, 10_000 * UNITS]),
			power_cap: self.perbill(),
			payment_per_epoch: self.amount(&[UNITS, 100 * UNITS]),
		}
	}

	/// Basket calls: baskets over random pools (native or not, valid weights or not),
	/// deposits and redemptions of random amounts, claims of pending redemptions, the removal
	/// of closed baskets and the destruction of their tokens.
	pub(super) fn basket(&mut self) -> (Option<AccountId>, RuntimeCall) {
		use pallet_basket::Call as C;
		let next = pallet_basket::NextBasketId::<Runtime>::get();
		let basket =
			if next > 0 && self.rng.chance(85) { self.rng.below(next as u64) as u32 } else { next };
		let who = self.actor();
		let call = match self.rng.below(11) {
			0..=2 => {
				let (first, second) = (self.pool(), self.pool());
				let weight = self.perbill();
				let rest = if self.rng.chance(80) {
					Perbill::from_parts(1_000_000_000u32.saturating_sub(weight.deconstruct()))
				} else {
					self.perbill()
				};
				let weights = vec![(first, weight), (second, rest)];
				let weights = weights.try_into().unwrap_or_default();
				if self.rng.chance(75) {
					C::create_basket { weights }
				} else {
					C::set_weights { basket, weights }
				}
			}
			3..=6 => {
				let amount = self.amount(&[10 * UNITS, 100 * UNITS, self.free(&who)]);
				C::deposit { basket, amount }
			}
			7 if self.rng.chance(30) => {
				// Mostly by its curator: closing must never lock the holders' value.
				if let Some(record) = pallet_basket::Baskets::<Runtime>::get(basket) {
					if self.rng.chance(70) {
						return (
							Some(record.curator),
							RuntimeCall::Basket(C::close_basket { basket }),
						);
					}
				}
				C::close_basket { basket }
			}
			8 => match self.rng.below(3) {
				// Anyone may pay a pending redemption (mostly an existing one), remove an
				// emptied closing basket, go on destroying a removed basket's token.
				0 => {
					let pending = pallet_basket::PendingRedemptions::<Runtime>::iter_prefix(basket)
						.next()
						.map(|(holder, _)| holder);
					let holder = match pending {
						Some(holder) if self.rng.chance(80) => holder,
						_ => self.actor(),
					};
					C::claim_redemption { basket, who: holder }
				}
				1 => C::remove_basket { basket },
				_ => {
					// Mostly a removed basket's token still to destroy.
					let removed = pallet_basket::TokensToDestroy::<Runtime>::iter_keys().next();
					let basket = match removed {
						Some(removed) if self.rng.chance(80) => removed,
						_ => basket,
					};
					C::destroy_basket_token { basket }
				}
			},
			_ => {
				let token = crate::configs::basket::BASKET_ASSET_ID_OFFSET.saturating_add(basket);
				let held = Assets::balance(token, &who);
				let tokens = self.amount(&[held, held / 2, 1]);
				C::redeem { basket, tokens }
			}
		};
		(Some(who), RuntimeCall::Basket(call))
	}

	pub(super) fn consumers(&mut self) -> (Option<AccountId>, RuntimeCall) {
		use pallet_consumers::Call as C;
		let consumer_id = self.consumer();
		let record = pallet_consumers::ConsumerRecords::<Runtime>::get(consumer_id);
		let admin = |g: &mut Self| match &record {
			Some(r) if g.rng.chance(75) => g.signer(r.admin.clone()),
			_ => g.actor(),
		};
		let (who, call) = match self.rng.below(19) {
			0..=1 => {
				let hash = H256::from_low_u64_be(self.rng.below(4));
				let params = self.consumer_params();
				(
					self.actor(),
					C::register_consumer {
						metadata: bounded(self.metadata_len()),
						genesis_hash: hash,
						params,
					},
				)
			}
			2..=4 => {
				let params = self.consumer_params();
				(admin(self), C::update_params { consumer_id, params })
			}
			5..=6 => {
				(admin(self), C::set_reporter { consumer_id, reporter: lookup(self.account()) })
			}
			7 => (admin(self), C::set_admin { consumer_id, admin: lookup(self.account()) }),
			8..=10 => {
				let who = self.actor();
				let amount = self.amount(&[UNITS, 100 * UNITS, self.free(&who)]);
				(who, C::fund_lease { consumer_id, amount })
			}
			11 => (admin(self), C::deregister_consumer { consumer_id }),
			12..=14 => (self.actor(), C::reap_consumer { consumer_id }),
			15 => (self.actor(), C::force_deregister { consumer_id }),
			16 => (self.actor(), C::claim_operator_rewards { operator: lookup(self.operator()) }),
			_ => (self.actor(), C::claim_pool_rewards { pool: self.pool() }),
		};
		(Some(who), RuntimeCall::Consumers(call))
	}

	pub(super) fn kind(&mut self) -> OffenceKind {
		self.rng.pick(&[
			OffenceKind::Downtime,
			OffenceKind::Equivocation,
			OffenceKind::Misbehaviour,
		])
	}

	pub(super) fn slashing(&mut self) -> (Option<AccountId>, RuntimeCall) {
		use pallet_service_slashing::Call as C;
		let consumer_id = self.consumer();
		let record = pallet_consumers::ConsumerRecords::<Runtime>::get(consumer_id);
		let members: Vec<(AccountId, ConsumerKey)> =
			pallet_consumers::ValidatorSets::<Runtime>::get(consumer_id)
				.map(|set| set.members.iter().map(|(who, key, _)| (who.clone(), *key)).collect())
				.unwrap_or_default();
		let (who, call) = match self.rng.below(10) {
			0..=5 => {
				let reporter = match &record {
					Some(r) if self.rng.chance(80) => self.signer(r.reporter.clone()),
					_ => self.actor(),
				};
				let operator = if !members.is_empty() && self.rng.chance(80) {
					self.rng.pick(&members).0
				} else {
					self.operator()
				};
				let kind = self.kind();
				let epoch = self.epoch();
				(
					reporter,
					C::report_offence {
						consumer_id,
						operator,
						kind,
						epoch,
						details: bounded(self.metadata_len()),
					},
				)
			}
			6..=8 => {
				let set_ids: Vec<u64> = pallet_consumers::SetHistory::<Runtime>::get(consumer_id)
					.iter()
					.map(|entry| entry.set_id)
					.collect();
				let set_id = if !set_ids.is_empty() && self.rng.chance(85) {
					self.rng.pick(&set_ids)
				} else {
					self.rng.pick(&[0, 1, u64::MAX])
				};
				let key = if !members.is_empty() && self.rng.chance(85) {
					self.rng.pick(&members).1
				} else {
					self.key()
				};
				let round = self.rng.pick(&[0, 1, 2, u64::MAX]);
				let flaw = match self.rng.below(20) {
					0 => Flaw::BadSignature,
					1 => Flaw::SameVote,
					_ => Flaw::None,
				};
				let proof =
					equivocation_proof(set_id, round, key, self.world.signer_of(&key), flaw);
				(self.actor(), C::report_equivocation { consumer_id, proof: Box::new(proof) })
			}
			_ => {
				// Governance calls from a plain account: must fail and change nothing.
				let (_, call) = self.governance_call();
				return (Some(self.actor()), call);
			}
		};
		(Some(who), RuntimeCall::ServiceSlashing(call))
	}

	pub(super) fn asset_holder(&mut self, asset: AssetId) -> AccountId {
		let holders: Vec<AccountId> = pallet_assets::Account::<Runtime>::iter_prefix(asset)
			.map(|(who, _)| who)
			.filter(|who| self.world.actors.contains(who))
			.collect();
		if !holders.is_empty() && self.rng.chance(80) {
			self.rng.pick(&holders)
		} else {
			self.actor()
		}
	}

	/// An account to aim an issuer's power at: mostly pool accounts.
	pub(super) fn target(&mut self) -> AccountId {
		if self.rng.chance(50) {
			pool_account(self.pool())
		} else {
			self.account()
		}
	}

	/// A target for the asset admin's `burn`/`force_transfer`: never a pool account when the
	/// issuer drain is skipped (see [`issuer_drain_skipped`]).
	fn drain_target(&mut self) -> AccountId {
		if issuer_drain_skipped() {
			self.actor()
		} else {
			self.target()
		}
	}

	pub(super) fn assets(&mut self) -> (Option<AccountId>, RuntimeCall) {
		use pallet_assets::Call as C;
		let asset = self.asset();
		let id = codec::Compact(asset);
		let details = pallet_assets::Asset::<Runtime>::get(asset);
		// The holder of a role of the asset, usually.
		let role =
			|g: &mut Self,
			 pick: fn(&pallet_assets::AssetDetails<Balance, AccountId, Balance>) -> AccountId| {
				match &details {
					Some(d) if g.rng.chance(80) => g.signer(pick(d)),
					_ => g.actor(),
				}
			};
		let (who, call) = match self.rng.below(24) {
			0..=3 => {
				let who = self.asset_holder(asset);
				let held = Assets::balance(asset, &who);
				let amount = self.amount(&[held, held.saturating_sub(1)]);
				let target = lookup(self.account());
				if self.rng.chance(50) {
					(who, C::transfer { id, target, amount })
				} else {
					(who, C::transfer_keep_alive { id, target, amount })
				}
			}
			4 => {
				let who = self.asset_holder(asset);
				(
					who,
					C::transfer_all {
						id,
						dest: lookup(self.account()),
						keep_alive: self.rng.chance(50),
					},
				)
			}
			5..=6 => {
				(role(self, |d| d.freezer.clone()), C::freeze { id, who: lookup(self.target()) })
			}
			7 => (role(self, |d| d.freezer.clone()), C::thaw { id, who: lookup(self.target()) }),
			8 => (role(self, |d| d.freezer.clone()), C::block { id, who: lookup(self.target()) }),
			9 => (role(self, |d| d.freezer.clone()), C::freeze_asset { id }),
			10 => (role(self, |d| d.admin.clone()), C::thaw_asset { id }),
			11 => (role(self, |d| d.owner.clone()), C::start_destroy { id }),
			12 => {
				let call = match self.rng.below(3) {
					0 if !issuer_drain_skipped() => C::destroy_accounts { id },
					1 => C::destroy_approvals { id },
					_ => C::finish_destroy { id },
				};
				(self.actor(), call)
			}
			13..=14 => {
				let amount = self.amount(&[1_000 * UNITS]);
				(
					role(self, |d| d.issuer.clone()),
					C::mint { id, beneficiary: lookup(self.account()), amount },
				)
			}
			15..=16 => {
				let target = self.drain_target();
				let held = Assets::balance(asset, &target);
				let amount = self.amount(&[held, 1]);
				(role(self, |d| d.admin.clone()), C::burn { id, who: lookup(target), amount })
			}
			17..=18 => {
				let source = self.drain_target();
				let held = Assets::balance(asset, &source);
				let amount = self.amount(&[held, 1]);
				let dest = lookup(self.account());
				(
					role(self, |d| d.admin.clone()),
					C::force_transfer { id, source: lookup(source), dest, amount },
				)
			}
			19 => {
				let min_balance = self.amount(&[1, 1_000]);
				(role(self, |d| d.owner.clone()), C::set_min_balance { id, min_balance })
			}
			20 => {
				let id = codec::Compact(self.rng.pick(&[
					asset,
					3,
					4,
					5,
					LRT_ASSET_ID_OFFSET,
					LRT_ASSET_ID_OFFSET + pallet_restaking_pools::NextPoolId::<Runtime>::get(),
				]));
				let min_balance = self.amount(&[1]);
				(self.actor(), C::create { id, admin: lookup(self.actor()), min_balance })
			}
			21 => {
				if self.rng.chance(50) {
					(
						role(self, |d| d.freezer.clone()),
						C::touch_other { id, who: lookup(self.target()) },
					)
				} else {
					(
						role(self, |d| d.admin.clone()),
						C::refund_other { id, who: lookup(self.target()) },
					)
				}
			}
			22 => {
				let who = self.asset_holder(asset);
				let amount = self.amount(&[Assets::balance(asset, &who)]);
				(who, C::approve_transfer { id, delegate: lookup(self.actor()), amount })
			}
			_ => {
				let owner = self.asset_holder(asset);
				let amount = self.amount(&[Assets::balance(asset, &owner)]);
				let destination = lookup(self.account());
				(
					self.actor(),
					C::transfer_approved { id, owner: lookup(owner), destination, amount },
				)
			}
		};
		(Some(who), RuntimeCall::Assets(call))
	}

	pub(super) fn balances(&mut self) -> (Option<AccountId>, RuntimeCall) {
		use pallet_balances::Call as C;
		let who = self.actor();
		let free = self.free(&who);
		let call = match self.rng.below(10) {
			0..=4 => C::transfer_keep_alive {
				dest: lookup(self.account()),
				value: self.amount(&[free, free.saturating_sub(ED), ED]),
			},
			5..=6 => C::transfer_allow_death {
				dest: lookup(self.account()),
				value: self.amount(&[free, free.saturating_sub(ED), ED]),
			},
			7 => C::transfer_all { dest: lookup(self.account()), keep_alive: self.rng.chance(70) },
			_ => C::burn { value: self.amount(&[UNITS, free]), keep_alive: self.rng.chance(70) },
		};
		(Some(who), RuntimeCall::Balances(call))
	}

	#[allow(deprecated)]
	pub(super) fn staking(&mut self) -> (Option<AccountId>, RuntimeCall) {
		use pallet_staking::{Call as C, RewardDestination};
		let who = self.actor();
		let free = self.free(&who);
		let era = pallet_staking::ActiveEra::<Runtime>::get().map_or(0, |e| e.index);
		let call = match self.rng.below(9) {
			0 => C::bond {
				value: self.amount(&[free, 100 * UNITS, 10_000 * UNITS]),
				payee: if self.rng.chance(50) {
					RewardDestination::Staked
				} else {
					RewardDestination::Account(self.account())
				},
			},
			1 => C::bond_extra { max_additional: self.amount(&[free]) },
			2 => C::unbond { value: self.amount(&[100 * UNITS]) },
			3 => C::withdraw_unbonded { num_slashing_spans: 0 },
			4 => C::nominate { targets: vec![lookup(self.world.alice.clone())] },
			5 => C::chill {},
			6 => C::validate { prefs: Default::default() },
			_ => C::payout_stakers {
				validator_stash: if self.rng.chance(85) {
					self.world.alice.clone()
				} else {
					self.account()
				},
				era: self.rng.pick(&[era.saturating_sub(1), era, era + 1]),
			},
		};
		(Some(who), RuntimeCall::Staking(call))
	}

	/// A `Utility` batch of two or three calls of one signer.
	pub(super) fn batch(&mut self) -> (Option<AccountId>, RuntimeCall) {
		use pallet_utility::Call as C;
		let count = self.rng.range(2, 3);
		let mut calls = Vec::new();
		let mut signer = None;
		for _ in 0..count {
			let (who, call) = match self.rng.below(4) {
				0 => self.pools(),
				1 => self.operators(),
				2 => self.assets(),
				_ => self.balances(),
			};
			signer = signer.or(who);
			calls.push(call);
		}
		let call = match self.rng.below(3) {
			0 => C::batch { calls },
			1 => C::batch_all { calls },
			_ => C::force_batch { calls },
		};
		(signer.or_else(|| Some(self.actor())), RuntimeCall::Utility(call))
	}

	/// A governance call (root), or the same call from a plain account.
	pub(super) fn governance(&mut self) -> (Option<AccountId>, RuntimeCall) {
		let (who, call) = self.governance_call();
		if self.rng.chance(15) {
			(Some(self.actor()), call)
		} else {
			(who, call)
		}
	}

	pub(super) fn governance_call(&mut self) -> (Option<AccountId>, RuntimeCall) {
		use pallet_service_slashing::Call as S;
		let pending: Vec<u32> =
			pallet_service_slashing::PendingSlashes::<Runtime>::iter_keys().collect();
		let call = match self.rng.below(12) {
			0..=2 => {
				let slash_id = if !pending.is_empty() && self.rng.chance(85) {
					self.rng.pick(&pending)
				} else {
					self.rng.pick(&[
						0,
						pallet_service_slashing::NextSlashId::<Runtime>::get(),
						u32::MAX,
					])
				};
				RuntimeCall::ServiceSlashing(S::cancel_slash { slash_id })
			}
			3..=5 => RuntimeCall::ServiceSlashing(S::set_slashing_params { params: self.params() }),
			6..=7 => RuntimeCall::RestakingPools(
				pallet_restaking_pools::Call::set_collateral_valuation {
					asset: self.asset(),
					valuation: self.valuation(),
				},
			),
			8 => RuntimeCall::ServiceSlashing(S::cancel_consumer_slashes {
				consumer_id: self.consumer(),
			}),
			9 => RuntimeCall::ServiceSlashing(S::freeze_consumer_slashes {
				consumer_id: self.consumer(),
			}),
			10 => RuntimeCall::ServiceSlashing(S::unfreeze_consumer_slashes {
				consumer_id: self.consumer(),
			}),
			_ => RuntimeCall::Consumers(pallet_consumers::Call::force_deregister {
				consumer_id: self.consumer(),
			}),
		};
		(None, call)
	}

	/// The current slashing parameters with one to three fields changed at random (often out
	/// of bounds).
	pub(super) fn params(&mut self) -> pallet_service_slashing::SlashingParams {
		let mut p = pallet_service_slashing::Pallet::<Runtime>::params();
		let delays = [0, 1, 2, 3, 4, 5, 100, u32::MAX];
		for _ in 0..self.rng.range(1, 3) {
			match self.rng.below(13) {
				0 => p.downtime = self.perbill(),
				1 => p.equivocation = self.perbill(),
				2 => p.misbehaviour = self.perbill(),
				3 => p.max_subjective_fraction = self.perbill(),
				4 => p.report_window = self.rng.pick(&delays),
				5 => p.veto_delay = self.rng.pick(&delays),
				6 => p.jail_length = self.rng.pick(&delays),
				7 | 8 => {
					p.destination = if self.rng.chance(50) {
						SlashDestination::Burn
					} else {
						SlashDestination::Treasury
					}
				}
				9 => p.reporter_reward = self.perbill(),
				10 => p.meter_period = self.rng.pick(&delays),
				11 => p.max_slashed_per_period = self.amount(&[1_000 * UNITS, u128::MAX]),
				_ => p.max_jails_per_period = self.rng.pick(&[0, 1, 2, 3, u32::MAX]),
			}
		}
		p
	}
}

/// What is wrong with a generated equivocation proof.
#[derive(Clone, Copy)]
pub(super) enum Flaw {
	None,
	BadSignature,
	SameVote,
}

/// A GRANDPA precommit equivocation of `offender` in `round` of set `set_id`, signed by
/// `signer` (garbage signatures without one).
pub(super) fn equivocation_proof(
	set_id: u64,
	round: u64,
	offender: ConsumerKey,
	signer: Option<Ed25519Keyring>,
	flaw: Flaw,
) -> EquivocationProofOf {
	type Header = sp_runtime::generic::Header<u32, BlakeTwo256>;
	let first = (H256::repeat_byte(1), 10u32);
	let second = match flaw {
		Flaw::SameVote => first,
		_ => (H256::repeat_byte(2), 10u32),
	};
	let sign = |vote: (H256, u32)| -> [u8; 64] {
		let message =
			sp_consensus_grandpa::Message::<Header>::Precommit(sp_consensus_grandpa::Precommit::<
				Header,
			> {
				target_hash: vote.0,
				target_number: vote.1,
			});
		let payload = sp_consensus_grandpa::localized_payload(round, set_id, &message);
		let mut signature = [7u8; 64];
		if let Some(signer) = signer {
			signature.copy_from_slice(signer.sign(&payload).as_ref());
		}
		if matches!(flaw, Flaw::BadSignature) {
			signature[0] ^= 1;
		}
		signature
	};
	// `EquivocationProof { set_id, Equivocation::Precommit(Equivocation { round_number,
	// identity, first: (vote, signature), second }) }`, built through its encoding (the
	// `finality_grandpa` types are not re-exported).
	const PRECOMMIT_VARIANT: u8 = 1;
	let encoded =
		(set_id, PRECOMMIT_VARIANT, round, offender, (first, sign(first)), (second, sign(second)))
			.encode();
	EquivocationProofOf::decode(&mut &encoded[..]).expect("the encoding of an equivocation proof")
}
