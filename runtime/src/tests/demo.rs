//! The demo world of the development presets (built by the `demo_genesis` pallet with real
//! calls) and the views of the `RestakingApi` over it.

use frame_support::{assert_ok, traits::OnInitialize};
use palisade_primitives::{Collateral, LrtInterface};
use palisade_runtime_api::{
	ConsumerStatusView, EvidenceView, OffenceKindView, OperatorStatusView, RestakingApiError,
};
use sp_keyring::{
	Ed25519Keyring,
	Sr25519Keyring::{Alice, BobStash, CharlieStash, Dave, DaveStash, Eve, Ferdie},
};
use sp_runtime::{FixedU128, Perbill};

use super::{account, ext_from_preset};
use crate::{
	currency::UNITS,
	genesis_config_presets::{
		DEMO_ASSET, DEMO_ASSET_UNIT, DEMO_ASSET_VALUATION, DEMO_BOB_CONSUMER_KEY,
		DEMO_CHARLIE_CONSUMER_KEY, DEMO_FUNDED_EPOCHS, DEMO_MARKET_LRT, DEMO_PAYMENT_PER_EPOCH,
		DEV_EPOCH_LENGTH,
	},
	restaking_api as views, Balance, Consumers, Lrt, Operators, RestakingPools, Runtime,
	RuntimeOrigin, ServiceSlashing, System,
};

/// Runs the restaking pallets' block hooks to the first block of the next epoch (also used by
/// the market tests).
pub(super) fn next_epoch() {
	let epoch = Consumers::current_epoch();
	let limit = System::block_number() + 10 * DEV_EPOCH_LENGTH;
	while Consumers::current_epoch() == epoch {
		let next = System::block_number() + 1;
		assert!(next < limit, "epoch clock stuck");
		System::set_block_number(next);
		<(Consumers, ServiceSlashing, Operators, RestakingPools) as OnInitialize<u32>>::on_initialize(
			next,
		);
	}
}

/// The demo operators' consumer keys: derived `//Bob//consumer0` / `//Charlie//consumer0`,
/// never their Palisade GRANDPA keys `//Bob` / `//Charlie`.
fn key(k: Ed25519Keyring) -> [u8; 32] {
	let derived = match k {
		Ed25519Keyring::Bob => DEMO_BOB_CONSUMER_KEY,
		Ed25519Keyring::Charlie => DEMO_CHARLIE_CONSUMER_KEY,
		_ => panic!("not a demo operator"),
	};
	let seed = alloc::format!("{}//consumer0", k.to_seed());
	let pair = <sp_core::ed25519::Pair as sp_core::Pair>::from_string(&seed, None).expect("seed");
	assert_eq!(sp_core::Pair::public(&pair).0, derived, "the preset's key is {seed}'s");
	assert_ne!(<[u8; 32]>::from(k), derived);
	derived
}

#[test]
fn the_demo_world_is_built_at_genesis_with_real_calls() {
	ext_from_preset("development").execute_with(|| {
		// The consumer: registered by Ferdie, funded for 1,000 epochs, not active before the
		// first transition.
		let consumer = pallet_consumers::ConsumerRecords::<Runtime>::get(0).expect("consumer 0");
		assert_eq!(consumer.admin, account(Ferdie));
		assert_eq!(consumer.reporter, account(Ferdie));
		assert_eq!(consumer.status, pallet_consumers::ConsumerStatus::Registered);
		assert_eq!(consumer.escrow, DEMO_FUNDED_EPOCHS * DEMO_PAYMENT_PER_EPOCH);
		// The operators: bonds held, opted in with the ed25519 keys of //Bob//consumer0 and
		// //Charlie//consumer0, and each accepts both pools.
		for (who, bond, k) in [
			(BobStash, 20_000 * UNITS, Ed25519Keyring::Bob),
			(CharlieStash, 15_000 * UNITS, Ed25519Keyring::Charlie),
		] {
			let record =
				pallet_operators::OperatorRecords::<Runtime>::get(account(who)).expect("operator");
			assert_eq!(record.bond, bond);
			assert_eq!(Operators::consumer_key_at(&account(who), 0, 0), Some(key(k)));
		}
		// The pools: native (Dave) and dDOT (Eve, valued 5 PAL per dDOT), LRT minted 1:1.
		let native = pallet_restaking_pools::Pools::<Runtime>::get(0).expect("pool 0");
		assert_eq!(native.collateral, Collateral::Native);
		assert_eq!(native.active, 75_000 * UNITS);
		let asset = pallet_restaking_pools::Pools::<Runtime>::get(1).expect("pool 1");
		assert_eq!(asset.collateral, Collateral::Asset(DEMO_ASSET));
		assert_eq!(asset.active, 10_000 * DEMO_ASSET_UNIT);
		assert_eq!(
			pallet_restaking_pools::CollateralValuations::<Runtime>::get(DEMO_ASSET),
			Some(FixedU128::from_u32(DEMO_ASSET_VALUATION))
		);
		assert_eq!(<Lrt as LrtInterface<_, Balance>>::balance(0, &account(Dave)), 50_000 * UNITS);
		// //Dave//stash put 10,000 of its 25,000 LRT into the demo PAL/LRT market.
		assert_eq!(
			<Lrt as LrtInterface<_, Balance>>::balance(0, &account(DaveStash)),
			25_000 * UNITS - DEMO_MARKET_LRT
		);
		assert_eq!(
			<Lrt as LrtInterface<_, Balance>>::balance(1, &account(Eve)),
			10_000 * DEMO_ASSET_UNIT
		);
		// Genesis deposits no events.
		assert!(System::events().is_empty());
	});
}

#[test]
fn the_demo_consumer_is_active_with_both_operators_after_the_first_transition() {
	for preset in ["development", "local_testnet"] {
		ext_from_preset(preset).execute_with(|| {
			next_epoch();
			assert_eq!(Consumers::current_epoch(), 1);
			let record = pallet_consumers::ConsumerRecords::<Runtime>::get(0).expect("consumer");
			assert_eq!(record.status, pallet_consumers::ConsumerStatus::Active, "{preset}");
			let set = pallet_consumers::ValidatorSets::<Runtime>::get(0).expect("a set");
			assert_eq!(set.set_id, 0);
			let mut members: Vec<_> =
				set.members.iter().map(|(who, k, _)| (who.clone(), *k)).collect();
			members.sort();
			let mut expected = vec![
				(account(BobStash), key(Ed25519Keyring::Bob)),
				(account(CharlieStash), key(Ed25519Keyring::Charlie)),
			];
			expected.sort();
			assert_eq!(members, expected, "{preset}");
			// It paid its first epoch into the rewards account: the pools earned it, and once
			// claimed the native pool's LRT is worth more and the asset pool's reward pot fills.
			assert_eq!(
				record.escrow,
				DEMO_FUNDED_EPOCHS * DEMO_PAYMENT_PER_EPOCH - record.ledger.paid
			);
			assert_eq!(record.ledger.paid, DEMO_PAYMENT_PER_EPOCH);
			assert!(Consumers::pending_pool_rewards(0) > 0);
			assert!(Consumers::pending_pool_rewards(1) > 0);
			assert_eq!(RestakingPools::rate(0), FixedU128::from_u32(1));
			for pool in [0, 1] {
				assert_ok!(Consumers::claim_pool_rewards(
					RuntimeOrigin::signed(account(Ferdie)),
					pool
				));
			}
			// They vest: in the rate from the next epoch on (the pools were created in this
			// one).
			assert_eq!(RestakingPools::rate(0), FixedU128::from_u32(1));
			assert!(pallet_restaking_pools::Pools::<Runtime>::get(1).unwrap().reward_pot > 0);
			next_epoch();
			assert!(RestakingPools::rate(0) > FixedU128::from_u32(1));
		});
	}
}

#[test]
fn staging_has_no_demo_world() {
	ext_from_preset("staging").execute_with(|| {
		assert!(pallet_consumers::ConsumerRecords::<Runtime>::iter().next().is_none());
		assert!(pallet_operators::OperatorRecords::<Runtime>::iter().next().is_none());
		assert!(pallet_restaking_pools::Pools::<Runtime>::iter().next().is_none());
		assert!(pallet_assets::Asset::<Runtime>::iter().next().is_none());
		assert!(views::pool_ids().is_empty());
		assert!(views::consumer_ids().is_empty());
	});
}

#[test]
fn views_describe_pools_positions_operators_consumers_and_sets() {
	ext_from_preset("development").execute_with(|| {
		next_epoch();
		// The first epoch's payment waits in the rewards account until the pools claim it.
		let pending = views::pool(0).expect("pool 0").pending_rewards;
		assert!(pending > 0);
		assert_eq!(pending, Consumers::pending_pool_rewards(0));
		assert!(views::operator(account(BobStash)).unwrap().pending_rewards > 0);
		for pool in [0, 1] {
			assert_ok!(Consumers::claim_pool_rewards(RuntimeOrigin::signed(account(Ferdie)), pool));
		}
		assert_eq!(views::pool(0).expect("pool 0").pending_rewards, 0);
		// Claimed, they vest: in the rate from the next epoch.
		assert_eq!(views::pool(0).expect("pool 0").vesting, pending);
		next_epoch();
		assert_eq!(views::pool(0).expect("pool 0").vesting, 0);
		assert_eq!(views::pool_ids(), vec![0, 1]);
		assert_eq!(views::consumer_ids(), vec![0]);

		// Pools.
		let native = views::pool(0).expect("pool 0");
		let record = pallet_restaking_pools::Pools::<Runtime>::get(0).unwrap();
		assert_eq!(native.curator, account(Dave));
		assert_eq!(native.collateral, Collateral::Native);
		assert_eq!(native.decimals, 12);
		assert!(native.open);
		assert_eq!(native.value, record.active);
		assert_eq!(native.value_native, record.active);
		assert_eq!(native.valuation, Some(FixedU128::from_u32(1)));
		assert_eq!(native.lrt_supply, 75_000 * UNITS);
		assert_eq!(native.lrt_symbol, b"pLRT0".to_vec());
		assert_eq!(native.rate, RestakingPools::rate(0));
		assert_eq!(native.metadata, b"Demo native pool".to_vec());
		assert_eq!(native.allocations.len(), 2);
		for allocation in &native.allocations {
			assert_eq!(allocation.consumer_id, 0);
			assert!(allocation.pending.is_none());
			assert_eq!(allocation.backing, allocation.fraction.mul_floor(record.active));
		}
		let asset = views::pool(1).expect("pool 1");
		assert_eq!(asset.collateral, Collateral::Asset(DEMO_ASSET));
		assert_eq!(asset.decimals, 10);
		assert_eq!(asset.value_native, asset.value * DEMO_ASSET_VALUATION as Balance);
		assert!(asset.reward_pot > 0);
		assert_eq!(views::pool(7), Err(RestakingApiError::UnknownPool));

		// Positions: Dave's LRT at the current rate; Eve's carries a reward share.
		let dave = views::positions(account(Dave));
		assert_eq!(dave.holdings.len(), 1);
		assert_eq!(dave.holdings[0].lrt, 50_000 * UNITS);
		assert_eq!(
			dave.holdings[0].value,
			<Lrt as LrtInterface<_, Balance>>::value_of(0, 50_000 * UNITS, record.active)
		);
		assert!(dave.holdings[0].value > 50_000 * UNITS, "rewards raised the rate");
		assert!(dave.withdrawals.is_empty());
		let eve = views::positions(account(Eve));
		assert_eq!(eve.holdings[0].pool_id, 1);
		assert_eq!(eve.holdings[0].reward, asset.reward_pot, "Eve holds all of pool 1's LRT");
		assert!(views::positions(account(Alice)).holdings.is_empty());

		// Operators.
		let bob = views::operator(account(BobStash)).expect("operator");
		assert_eq!(bob.status, OperatorStatusView::Active);
		assert_eq!(bob.bond, 20_000 * UNITS);
		assert_eq!(bob.commission, Perbill::from_percent(10));
		assert_eq!(bob.opt_ins.len(), 1);
		let opt_in = &bob.opt_ins[0];
		assert_eq!(opt_in.key, key(Ed25519Keyring::Bob));
		assert!(opt_in.eligible);
		assert_eq!(opt_in.pools.iter().map(|(p, _)| *p).collect::<Vec<_>>(), vec![0, 1]);
		assert_eq!(
			opt_in.total_stake,
			bob.bond + opt_in.pools.iter().map(|(_, a)| a).sum::<u128>()
		);
		assert!(opt_in.power.is_some());
		assert_eq!(views::operator(account(Alice)), Err(RestakingApiError::UnknownOperator));

		// Consumers and sets.
		let consumer = views::consumer(0).expect("consumer");
		assert_eq!(consumer.status, ConsumerStatusView::Active);
		assert_eq!(consumer.admin, account(Ferdie));
		assert_eq!(consumer.params.payment_per_epoch, DEMO_PAYMENT_PER_EPOCH);
		assert_eq!(consumer.epochs_funded, Some((consumer.escrow / DEMO_PAYMENT_PER_EPOCH) as u32));
		assert_eq!(consumer.total_funded, DEMO_FUNDED_EPOCHS * DEMO_PAYMENT_PER_EPOCH);
		assert_eq!(consumer.escrow, consumer.total_funded - consumer.total_paid);
		assert_eq!(consumer.set_size, 2);
		assert_eq!(consumer.last_set_id, Some(1));
		assert_eq!(views::consumer(9), Err(RestakingApiError::UnknownConsumer));

		let set = views::validator_set(0).expect("consumer").set.expect("a set");
		assert_eq!(set.epoch, 2);
		assert_eq!(set.members.len(), 2);
		assert_eq!(set.total_power, set.members.iter().map(|m| m.power).sum::<u128>());
		let member = set.members.iter().find(|m| m.operator == account(BobStash)).unwrap();
		// The member's stake is its exposure at the set's epoch (the checkpoint in force); the
		// payment claimed in epoch 1 raised the pools' value before that set was selected (what
		// vests backs allocations too), so it equals the backing the opt-in view shows now.
		let exposure = Consumers::exposure_at(2, 0, &account(BobStash)).unwrap();
		assert_eq!(member.stake, exposure.total);
		assert_eq!(opt_in.total_stake, member.stake);
		assert_eq!(Some(member.power), opt_in.power);
		assert_eq!(
			set.set_hash,
			pallet_consumers::ValidatorSets::<Runtime>::get(0).unwrap().set_hash.0
		);
		assert_eq!(views::validator_set(9), Err(RestakingApiError::UnknownConsumer));

		// The clock.
		let epoch = views::epoch();
		assert_eq!(epoch.current_epoch, 2);
		assert_eq!(epoch.epoch_length, DEV_EPOCH_LENGTH);
		assert_eq!(epoch.epoch_start, 2 * DEV_EPOCH_LENGTH);
		assert_eq!(epoch.next_epoch_start, 3 * DEV_EPOCH_LENGTH);
		assert_eq!(epoch.block_number, 2 * DEV_EPOCH_LENGTH);
		assert!(!epoch.transition_pending);
		assert_eq!(epoch.delays.withdrawal, 6);
		assert_eq!(epoch.delays.report_window, 2);
		assert_eq!(epoch.delays.veto_delay, 2);
	});
}

#[test]
fn views_follow_withdrawals_and_pending_slashes() {
	ext_from_preset("development").execute_with(|| {
		next_epoch();
		// The pool's first epoch of rewards, claimed, vests by the next epoch.
		assert_ok!(Consumers::claim_pool_rewards(RuntimeOrigin::signed(account(Ferdie)), 0));
		next_epoch();
		let dave = account(Dave);
		assert_ok!(RestakingPools::request_withdrawal(
			RuntimeOrigin::signed(dave.clone()),
			0,
			1_000 * UNITS
		));
		let positions = views::positions(dave.clone());
		assert_eq!(positions.holdings[0].lrt, 49_000 * UNITS);
		let [request] = positions.withdrawals.as_slice() else { panic!("one request") };
		assert_eq!(request.pool_id, 0);
		assert_eq!(request.lrt_burnt, 1_000 * UNITS);
		assert_eq!(request.claimable, request.value_at_request);
		assert!(request.value_at_request > 1_000 * UNITS);
		assert_eq!(request.claimable_at, 8);
		assert_eq!(request.claimable_at_block, 8 * DEV_EPOCH_LENGTH);
		assert!(!request.ready);
		assert_eq!(views::pool(0).unwrap().withdrawal_queue, request.value_at_request);

		assert_eq!(views::pending_slashes(None), Ok(vec![]));
		assert_ok!(ServiceSlashing::report_offence(
			RuntimeOrigin::signed(account(Ferdie)),
			0,
			account(CharlieStash),
			pallet_service_slashing::OffenceKind::Downtime,
			1,
			b"offline".to_vec().try_into().unwrap(),
		));
		let slashes = views::pending_slashes(Some(0)).expect("consumer 0");
		let [slash] = slashes.as_slice() else { panic!("one slash") };
		assert_eq!(slash.operator, account(CharlieStash));
		assert_eq!(slash.kind, OffenceKindView::Downtime);
		assert_eq!(slash.fraction, Perbill::from_percent(1));
		assert_eq!(slash.due_epoch, 4);
		assert_eq!(slash.due_block, 4 * DEV_EPOCH_LENGTH);
		assert_eq!(slash.evidence, EvidenceView::Reported { details: b"offline".to_vec() });
		assert_eq!(slash.bond_amount, 150 * UNITS);
		assert_eq!(slash.pool_amounts.len(), 2);
		assert_eq!(
			slash.pools_amount,
			slash.pool_amounts.iter().map(|(_, amount)| amount).sum::<u128>()
		);
		assert_eq!(views::pending_slashes(None).unwrap(), slashes);
		assert_eq!(views::pending_slashes(Some(5)), Err(RestakingApiError::UnknownConsumer));
	});
}

#[test]
fn the_demo_operators_consent_to_the_pools_that_back_them() {
	ext_from_preset("development").execute_with(|| {
		use palisade_primitives::OperatorRegistry;
		for who in [BobStash, CharlieStash] {
			for pool in [0, 1] {
				assert!(<Operators as OperatorRegistry<_, _>>::accepts_pool(&account(who), pool));
			}
			assert!(!<Operators as OperatorRegistry<_, _>>::accepts_pool(&account(who), 2));
		}
		// Their consumer keys are recorded as used, for consumer 0.
		for (who, key) in
			[(BobStash, DEMO_BOB_CONSUMER_KEY), (CharlieStash, DEMO_CHARLIE_CONSUMER_KEY)]
		{
			assert_eq!(pallet_operators::UsedKeys::<Runtime>::get(key), Some((account(who), 0)));
		}
	});
}
