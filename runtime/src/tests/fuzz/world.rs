//! The fuzz world: who is who, how blocks are run, and how the world is built.

use super::*;

// ------------------------------------------------------------------------------------------
// The world.
// ------------------------------------------------------------------------------------------

/// Who is who, and the keys that can sign consumer-chain votes.
pub(super) struct World {
	/// Funded accounts that sign calls.
	pub(super) actors: Vec<AccountId>,
	/// Accounts nobody funded (arguments only).
	pub(super) strangers: Vec<AccountId>,
	/// Validator of the chain (block author).
	pub(super) alice: AccountId,
	/// `(Debug rendering of an account, its name)`, to print call lists readably.
	pub(super) names: Vec<(String, String)>,
	/// Consumer keys the fuzzer can sign GRANDPA votes with.
	pub(super) keys: Vec<(ConsumerKey, Ed25519Keyring)>,
}

/// The dev account of keyring entry `k` (the runtime tests' helper: the attack tests and the
/// fuzzer build their worlds from the same presets and accounts).
pub(super) use crate::tests::account;

pub(super) fn consumer_key(k: Ed25519Keyring) -> ConsumerKey {
	<[u8; 32]>::from(k)
}

pub(super) fn lookup(who: AccountId) -> MultiAddress<AccountId, ()> {
	MultiAddress::Id(who)
}

pub(super) fn pool_account(pool: PoolId) -> AccountId {
	pallet_restaking_pools::Pallet::<Runtime>::pool_account(pool)
}

pub(super) fn escrow_account(consumer: ConsumerId) -> AccountId {
	pallet_consumers::Pallet::<Runtime>::escrow_account(consumer)
}

pub(super) fn treasury() -> AccountId {
	crate::configs::governance::TreasuryAccount::get()
}

pub(super) fn bounded<S: Get<u32>>(len: usize) -> BoundedVec<u8, S> {
	let len = len.min(S::get() as usize);
	vec![b'f'; len].try_into().expect("length within the bound")
}

impl World {
	pub(super) fn new() -> Self {
		use Sr25519Keyring::*;
		let actors: Vec<AccountId> = [
			Alice,
			Bob,
			Charlie,
			Dave,
			Eve,
			Ferdie,
			AliceStash,
			BobStash,
			CharlieStash,
			DaveStash,
			EveStash,
			FerdieStash,
			One,
		]
		.into_iter()
		.map(account)
		.collect();
		let strangers = vec![account(Two), AccountId::new([0xee; 32])];
		let mut names = Vec::new();
		for k in Sr25519Keyring::iter() {
			names.push((format!("{:?}", account(k)), format!("{k:?}")));
		}
		names.push((format!("{:?}", AccountId::new([0xee; 32])), "Stranger".into()));
		use Ed25519Keyring as E;
		let keys = [E::Alice, E::Bob, E::Charlie, E::Dave, E::Eve, E::Ferdie, E::One, E::Two]
			.into_iter()
			.map(|k| (consumer_key(k), k))
			.collect();
		Self { actors, strangers, alice: account(Alice), names, keys }
	}

	/// `text` with every known account replaced by its name (pool, escrow and pallet accounts
	/// are looked up in storage: call it inside the externalities).
	pub(super) fn named(&self, text: String) -> String {
		let mut text = text;
		let mut names = self.names.clone();
		for pool in pallet_restaking_pools::Pools::<Runtime>::iter_keys() {
			names.push((format!("{:?}", pool_account(pool)), format!("PoolAccount{pool}")));
		}
		for consumer in 0..pallet_consumers::NextConsumerId::<Runtime>::get() {
			names.push((format!("{:?}", escrow_account(consumer)), format!("Escrow{consumer}")));
		}
		names.push((format!("{:?}", treasury()), "Treasury".into()));
		names.push((
			format!("{:?}", pallet_lrt::Pallet::<Runtime>::account_id()),
			"LrtPallet".into(),
		));
		for (debug, name) in &names {
			if text.contains(debug.as_str()) {
				text = text.replace(debug.as_str(), name);
			}
		}
		text
	}

	/// Whether somebody holds the private key of `who` (pool, escrow and pallet accounts are
	/// keyless: they never sign).
	pub(super) fn is_keyed(&self, who: &AccountId) -> bool {
		self.actors.contains(who) || self.strangers.first() == Some(who)
	}

	pub(super) fn signer_of(&self, key: &ConsumerKey) -> Option<Ed25519Keyring> {
		self.keys.iter().find(|(k, _)| k == key).map(|(_, s)| *s)
	}
}

// ------------------------------------------------------------------------------------------
// Blocks.
// ------------------------------------------------------------------------------------------

/// Ends block `n` as `frame-executive` does (`on_idle`, `on_finalize`; the header is not
/// computed).
pub(super) fn end_block(n: BlockNumber) {
	let used = System::block_weight().total();
	let remaining = RuntimeBlockWeights::get().max_block.saturating_sub(used);
	<AllPalletsWithSystem as OnIdle<BlockNumber>>::on_idle(n, remaining);
	<AllPalletsWithSystem as OnFinalize<BlockNumber>>::on_finalize(n);
}

/// Starts block `n`: `System::initialize` with an Aura pre-digest for slot `n` (so Aura,
/// authorship and staking's era points see Alice author it), every `on_initialize`, then the
/// timestamp inherent.
pub(super) fn start_block(n: BlockNumber) {
	let slot = sp_consensus_aura::Slot::from(n as u64);
	let digest = Digest {
		logs: vec![DigestItem::PreRuntime(sp_consensus_aura::AURA_ENGINE_ID, slot.encode())],
	};
	System::reset_events();
	System::initialize(&n, &H256::from_low_u64_be(n as u64), &digest);
	<AllPalletsWithSystem as OnInitialize<BlockNumber>>::on_initialize(n);
	let now = n as u64 * crate::time::SLOT_DURATION;
	pallet_timestamp::Pallet::<Runtime>::set(RuntimeOrigin::none(), now)
		.expect("the timestamp inherent is valid");
}

/// The names of the runtime's pallets, for `TryStateSelect::Only`.
pub(super) fn pallet_names() -> Vec<Vec<u8>> {
	use frame_support::traits::PalletsInfoAccess;
	<AllPalletsWithSystem as PalletsInfoAccess>::infos()
		.into_iter()
		.map(|info| info.name.as_bytes().to_vec())
		.collect()
}

/// Every pallet's `try_state`, one pallet at a time so that the failing pallet and its
/// message are known.
pub(super) fn try_state(n: BlockNumber) -> Result<(), String> {
	timed(
		|t| &mut t.try_state,
		|| {
			for name in pallet_names() {
				let t = Instant::now();
				let result = <AllPalletsWithSystem as TryState<BlockNumber>>::try_state(
					n,
					TryStateSelect::Only(vec![name.clone()]),
				);
				let elapsed = t.elapsed().as_secs_f64();
				let name = String::from_utf8_lossy(&name).to_string();
				TRY_STATE_TIME
					.with(|m| *m.borrow_mut().entry(name.clone()).or_default() += elapsed);
				result.map_err(|e| format!("{name}: {e:?}"))?;
			}
			Ok(())
		},
	)
}

// ------------------------------------------------------------------------------------------
// Building the world.
// ------------------------------------------------------------------------------------------

/// The development preset, plus the fuzz's own actors, assets, pools, operator and consumer,
/// run to [`SNAPSHOT_BLOCK`] with every hook and committed, so that every sequence starts from
/// it (`reset_overlay` goes back to it).
pub(super) fn build_world(world: &World) -> sp_io::TestExternalities {
	use Sr25519Keyring::*;
	let mut config = crate::tests::preset_config("development");
	config.consumers.epoch_length = FUZZ_EPOCH_LENGTH;
	let storage = sp_runtime::BuildStorage::build_storage(&config).expect("genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	// Session keys for staked pools that validate are made in the sequences.
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| {
		start_block(1);
		let asset_unit: Balance = 1_000_000; // the hostile asset has 6 decimals
		let hostile_asset: AssetId = 2;
		let key = |k: Ed25519Keyring| consumer_key(k);
		use pallet_assets::Call as A;
		use pallet_operators::Call as O;
		use pallet_restaking_pools::Call as P;
		let signed = |k: Sr25519Keyring, call: RuntimeCall| (Some(account(k)), call);
		let setup: Vec<(Option<AccountId>, RuntimeCall)> = vec![
			// A poor actor: barely above the existential deposit.
			signed(
				Alice,
				RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
					dest: lookup(account(One)),
					value: 3 * UNITS,
				}),
			),
			// The hostile issuer: //Eve//stash owns asset 2 (6 decimals, min balance 1) and
			// curates pool 2 of it.
			signed(
				EveStash,
				RuntimeCall::Assets(A::create {
					id: codec::Compact(hostile_asset),
					admin: lookup(account(EveStash)),
					min_balance: 1,
				}),
			),
			signed(
				EveStash,
				RuntimeCall::Assets(A::set_metadata {
					id: codec::Compact(hostile_asset),
					name: b"Hostile".to_vec(),
					symbol: b"HOS".to_vec(),
					decimals: 6,
				}),
			),
			signed(
				EveStash,
				RuntimeCall::Assets(A::mint {
					id: codec::Compact(hostile_asset),
					beneficiary: lookup(account(EveStash)),
					amount: 10_000_000 * asset_unit,
				}),
			),
			signed(
				EveStash,
				RuntimeCall::Assets(A::mint {
					id: codec::Compact(hostile_asset),
					beneficiary: lookup(account(FerdieStash)),
					amount: 1_000_000 * asset_unit,
				}),
			),
			signed(
				EveStash,
				RuntimeCall::Assets(A::mint {
					id: codec::Compact(hostile_asset),
					beneficiary: lookup(account(One)),
					amount: 1_000 * asset_unit,
				}),
			),
			// One token (10^6 units) is worth one PAL (10^12 units).
			(
				None,
				RuntimeCall::RestakingPools(P::set_collateral_valuation {
					asset: hostile_asset,
					valuation: FixedU128::from_u32(1_000_000),
				}),
			),
			signed(
				EveStash,
				RuntimeCall::RestakingPools(P::create_pool {
					collateral: Collateral::Asset(hostile_asset),
					metadata: bounded(12),
					deposit_cap: 100_000_000 * asset_unit,
				}),
			),
			// Pool 3: native, curated by //Ferdie//stash.
			signed(
				FerdieStash,
				RuntimeCall::RestakingPools(P::create_pool {
					collateral: Collateral::Native,
					metadata: bounded(12),
					deposit_cap: 500_000 * UNITS,
				}),
			),
			signed(
				EveStash,
				RuntimeCall::RestakingPools(P::deposit { pool: 2, amount: 5_000_000 * asset_unit }),
			),
			signed(
				FerdieStash,
				RuntimeCall::RestakingPools(P::deposit { pool: 2, amount: 500_000 * asset_unit }),
			),
			signed(
				DaveStash,
				RuntimeCall::RestakingPools(P::deposit { pool: 3, amount: 20_000 * UNITS }),
			),
			signed(
				AliceStash,
				RuntimeCall::RestakingPools(P::deposit { pool: 3, amount: 10_000 * UNITS }),
			),
			// Basket 0 over the native pools 0 (60%) and 3 (40%), curated by //Ferdie//stash,
			// with a holder.
			signed(
				FerdieStash,
				RuntimeCall::Basket(pallet_basket::Call::create_basket {
					weights: vec![(0, Perbill::from_percent(60)), (3, Perbill::from_percent(40))]
						.try_into()
						.expect("two pools fit"),
				}),
			),
			signed(
				AliceStash,
				RuntimeCall::Basket(pallet_basket::Call::deposit {
					basket: 0,
					amount: 1_000 * UNITS,
				}),
			),
			signed(
				Ferdie,
				RuntimeCall::Assets(A::transfer {
					id: codec::Compact(crate::genesis_config_presets::DEMO_ASSET),
					target: lookup(account(AliceStash)),
					amount: 100 * crate::genesis_config_presets::DEMO_ASSET_UNIT,
				}),
			),
			signed(
				Ferdie,
				RuntimeCall::RestakingPools(P::deposit {
					pool: 1,
					amount: 1_000 * crate::genesis_config_presets::DEMO_ASSET_UNIT,
				}),
			),
			// Pool 4: staked PAL (native restaking), curated by //Charlie//stash, nominating
			// Alice, with a holder.
			signed(
				CharlieStash,
				RuntimeCall::RestakingPools(P::create_pool {
					collateral: Collateral::NativeStaked,
					metadata: bounded(12),
					deposit_cap: 500_000 * UNITS,
				}),
			),
			signed(
				CharlieStash,
				RuntimeCall::RestakingPools(P::deposit { pool: 4, amount: 20_000 * UNITS }),
			),
			signed(
				CharlieStash,
				RuntimeCall::RestakingPools(P::nominate {
					pool: 4,
					targets: vec![account(Alice)].try_into().expect("one target"),
				}),
			),
			// A third operator, //Bob, opted in to the demo consumer.
			signed(
				Bob,
				RuntimeCall::Operators(O::register_operator {
					bond: 5_000 * UNITS,
					commission: Perbill::from_percent(10),
					metadata: bounded(12),
				}),
			),
			signed(
				Bob,
				RuntimeCall::Operators(O::opt_in {
					consumer: 0,
					consumer_key: key(Ed25519Keyring::Dave),
				}),
			),
			// The hostile consumer 1 of //Charlie, served by //Bob//stash and //Bob.
			signed(
				Charlie,
				RuntimeCall::Consumers(pallet_consumers::Call::register_consumer {
					metadata: bounded(16),
					genesis_hash: H256::repeat_byte(0xcc),
					params: ConsumerParams {
						min_operators: 1,
						max_operators: 5,
						min_stake_per_operator: 1_000 * UNITS,
						power_cap: Perbill::one(),
						payment_per_epoch: UNITS,
					},
				}),
			),
			signed(
				Charlie,
				RuntimeCall::Consumers(pallet_consumers::Call::fund_lease {
					consumer_id: 1,
					amount: 500 * UNITS,
				}),
			),
			signed(
				BobStash,
				RuntimeCall::Operators(O::opt_in {
					consumer: 1,
					consumer_key: key(Ed25519Keyring::Eve),
				}),
			),
			signed(
				Bob,
				RuntimeCall::Operators(O::opt_in {
					consumer: 1,
					consumer_key: key(Ed25519Keyring::Ferdie),
				}),
			),
			signed(
				CharlieStash,
				RuntimeCall::Operators(O::opt_in {
					consumer: 1,
					consumer_key: key(Ed25519Keyring::One),
				}),
			),
			// Consumer 2 of //Dave never activates (it wants more operators than exist): its
			// registration has expired when the sequences start, with three opt-ins left, so
			// `reap_consumer` pages (the runtime's page is 4: a page, then the final call with
			// the penalty) and a reap can be raced by opt-ins, allocations and reports.
			signed(
				Dave,
				RuntimeCall::Consumers(pallet_consumers::Call::register_consumer {
					metadata: bounded(8),
					genesis_hash: H256::repeat_byte(0xdd),
					params: ConsumerParams {
						min_operators: 10,
						max_operators: 10,
						min_stake_per_operator: UNITS,
						power_cap: Perbill::one(),
						payment_per_epoch: UNITS,
					},
				}),
			),
			signed(
				BobStash,
				RuntimeCall::Operators(O::opt_in { consumer: 2, consumer_key: [0xd1; 32] }),
			),
			signed(
				Bob,
				RuntimeCall::Operators(O::opt_in { consumer: 2, consumer_key: [0xd2; 32] }),
			),
			signed(
				CharlieStash,
				RuntimeCall::Operators(O::opt_in { consumer: 2, consumer_key: [0xd3; 32] }),
			),
			// Consent to the new pools, then allocations.
			signed(BobStash, RuntimeCall::Operators(O::accept_pool { pool: 2 })),
			signed(BobStash, RuntimeCall::Operators(O::accept_pool { pool: 3 })),
			signed(Bob, RuntimeCall::Operators(O::accept_pool { pool: 0 })),
			signed(Bob, RuntimeCall::Operators(O::accept_pool { pool: 2 })),
			signed(Bob, RuntimeCall::Operators(O::accept_pool { pool: 3 })),
			signed(CharlieStash, RuntimeCall::Operators(O::accept_pool { pool: 3 })),
			signed(
				EveStash,
				RuntimeCall::RestakingPools(P::set_allocation {
					pool: 2,
					operator: account(BobStash),
					consumer: 0,
					fraction: Perbill::from_percent(40),
				}),
			),
			signed(
				EveStash,
				RuntimeCall::RestakingPools(P::set_allocation {
					pool: 2,
					operator: account(Bob),
					consumer: 0,
					fraction: Perbill::from_percent(30),
				}),
			),
			signed(
				FerdieStash,
				RuntimeCall::RestakingPools(P::set_allocation {
					pool: 3,
					operator: account(Bob),
					consumer: 1,
					fraction: Perbill::from_percent(50),
				}),
			),
			signed(
				FerdieStash,
				RuntimeCall::RestakingPools(P::set_allocation {
					pool: 3,
					operator: account(BobStash),
					consumer: 0,
					fraction: Perbill::from_percent(50),
				}),
			),
			signed(
				FerdieStash,
				RuntimeCall::RestakingPools(P::set_allocation {
					pool: 3,
					operator: account(CharlieStash),
					consumer: 1,
					fraction: Perbill::from_percent(50),
				}),
			),
			signed(
				Dave,
				RuntimeCall::RestakingPools(P::set_allocation {
					pool: 0,
					operator: account(Bob),
					consumer: 0,
					fraction: Perbill::from_percent(10),
				}),
			),
		];
		let mut failed = Vec::new();
		let mut run = |calls: Vec<(Option<AccountId>, RuntimeCall)>| {
			for (who, call) in calls {
				let origin = who.clone().map_or(RuntimeOrigin::root(), RuntimeOrigin::signed);
				if let Err(e) = call.clone().dispatch(origin) {
					failed.push(world.named(compress(format!(
						"{}: {call:?} => {}",
						who.map_or("Root".into(), |w| format!("{w:?}")),
						error_name(&e.error)
					))));
				}
			}
		};
		run(setup);
		// The staked pool has session keys, so that the sequences may make it validate.
		if let Some(staked) = pallet_restaking_pools::Pools::<Runtime>::get(4) {
			let generated = crate::SessionKeys::generate(&staked.account.encode(), None);
			run(vec![signed(
				CharlieStash,
				RuntimeCall::RestakingPools(P::set_session_keys {
					pool: 4,
					keys: generated.keys.encode().try_into().expect("64 bytes fit"),
					proof: generated.proof.encode().try_into().expect("two signatures fit"),
				}),
			)]);
		}
		let run_to = |target: BlockNumber| {
			while System::block_number() < target {
				let n = System::block_number();
				end_block(n);
				start_block(n + 1);
			}
		};
		// Work in flight when the sequences start: withdrawal requests and an unbonding that
		// become claimable, and slashes that fall due, in the first epochs of every sequence.
		let delay = crate::configs::restaking::WITHDRAWAL_DELAY;
		run_to(SNAPSHOT_BLOCK - delay * FUZZ_EPOCH_LENGTH - 1);
		let lrt = |pool: PoolId, who: Sr25519Keyring| {
			<Lrt as LrtInterface<AccountId, Balance>>::balance(pool, &account(who))
		};
		run(vec![
			signed(
				DaveStash,
				RuntimeCall::RestakingPools(P::request_withdrawal {
					pool: 0,
					lrt_amount: lrt(0, DaveStash) / 4,
				}),
			),
			signed(
				AliceStash,
				RuntimeCall::RestakingPools(P::request_withdrawal {
					pool: 3,
					lrt_amount: lrt(3, AliceStash) / 2,
				}),
			),
			signed(
				Ferdie,
				RuntimeCall::RestakingPools(P::request_withdrawal {
					pool: 1,
					lrt_amount: lrt(1, Ferdie) / 2,
				}),
			),
			signed(
				FerdieStash,
				RuntimeCall::RestakingPools(P::request_withdrawal {
					pool: 2,
					lrt_amount: lrt(2, FerdieStash) / 3,
				}),
			),
			signed(Bob, RuntimeCall::Operators(O::unbond { amount: 1_000 * UNITS })),
		]);
		// Reported one epoch before the snapshot: due (after the veto delay) in the sequences.
		run_to(SNAPSHOT_BLOCK - FUZZ_EPOCH_LENGTH);
		let now = Consumers::current_epoch();
		let report = |reporter: Sr25519Keyring,
		              consumer_id: ConsumerId,
		              operator: Sr25519Keyring,
		              kind: OffenceKind,
		              epoch: u32| {
			signed(
				reporter,
				RuntimeCall::ServiceSlashing(pallet_service_slashing::Call::report_offence {
					consumer_id,
					operator: account(operator),
					kind,
					epoch,
					details: bounded(8),
				}),
			)
		};
		run(vec![
			report(Ferdie, 0, CharlieStash, OffenceKind::Misbehaviour, now - 1),
			report(Charlie, 1, Bob, OffenceKind::Downtime, now),
		]);
		run_to(SNAPSHOT_BLOCK);
		if !failed.is_empty() {
			println!("fuzz world: {} setup call(s) failed (the world is smaller):", failed.len());
			for line in &failed {
				println!("  {line}");
			}
		}
		let n = System::block_number();
		try_state(n).unwrap_or_else(|e| panic!("the fuzz world breaks try_state: {e}"));
		check_pal_accounts().expect("the fuzz world conserves PAL");
		check_asset_supplies().expect("the fuzz world conserves assets");
		println!(
			"fuzz world: block {n}, epoch {}, {} operators, {} consumers, {} pools, {} assets, {} \
			 validator sets, {} pending slashes, {} withdrawal requests",
			Consumers::current_epoch(),
			pallet_operators::OperatorRecords::<Runtime>::iter_keys().count(),
			pallet_consumers::NextConsumerId::<Runtime>::get(),
			pallet_restaking_pools::NextPoolId::<Runtime>::get(),
			pallet_assets::Asset::<Runtime>::iter_keys().count(),
			pallet_consumers::ValidatorSets::<Runtime>::iter_keys().count(),
			pallet_service_slashing::PendingSlashes::<Runtime>::iter_keys().count(),
			pallet_restaking_pools::WithdrawalRequests::<Runtime>::iter_keys().count(),
		);
	});
	ext.commit_all().expect("no open transaction");
	ext
}
