//! Rewards vest into the rate ([`RewardVesting`]): over the epochs since the previous addition,
//! so that nobody takes rewards earned before it came, and deposits and withdrawal requests
//! need no claim first.

use crate::{mock::*, *};
use frame_support::{
	assert_ok,
	dispatch::{GetDispatchInfo, PostDispatchInfo},
	traits::Get,
};
use palisade_primitives::{Collateral, PoolsInterface};

fn add_rewards(pool: u32, payer: AccountId, amount: Balance) {
	assert_eq!(
		<RestakingPools as PoolsInterface<_, _>>::add_rewards(pool, &payer, amount),
		Ok(amount)
	);
}

/// What `who`'s open request `id` was valued at.
fn requested_value(who: AccountId, id: RequestId) -> Balance {
	WithdrawalRequests::<Test>::get(who, id).expect("request exists").value_at_request
}

#[test]
fn rewards_vest_one_slice_per_epoch_over_the_epochs_since_the_previous_addition() {
	// Created at epoch 0; 100 added at epoch 4 vest over 4 epochs.
	let mut vesting = RewardVesting::<Balance>::starting_at(0);
	assert_eq!(vesting.locked(0), 0);
	vesting.add(100, 4).unwrap();
	assert_eq!(vesting, RewardVesting { amount: 100, from: 4, until: 8 });
	assert_eq!([4, 5, 6, 7, 8, 9].map(|epoch| vesting.locked(epoch)), [100, 75, 50, 25, 0, 0]);
	// A second addition in the same epoch (a claim in pages) keeps the period of the first.
	vesting.add(60, 4).unwrap();
	assert_eq!(vesting, RewardVesting { amount: 160, from: 4, until: 8 });
	// An addition while some still vests: what is left and the new amount vest together over
	// the longer of the epochs since the previous addition and what was left.
	vesting.add(30, 6).unwrap();
	assert_eq!(vesting, RewardVesting { amount: 110, from: 6, until: 8 });
	// After a long gap the period is the gap.
	vesting.add(10, 20).unwrap();
	assert_eq!(vesting, RewardVesting { amount: 10, from: 20, until: 34 });
	// Two additions in consecutive epochs vest over one epoch each: in the rate from the next.
	let mut vesting = RewardVesting::<Balance>::starting_at(3);
	vesting.add(10, 3).unwrap();
	assert_eq!((vesting.locked(3), vesting.locked(4)), (10, 0));
	// What is locked is rounded up: the rate never runs ahead.
	let mut vesting = RewardVesting::<Balance>::starting_at(0);
	vesting.add(10, 3).unwrap();
	assert_eq!([3, 4, 5, 6].map(|epoch| vesting.locked(epoch)), [10, 7, 4, 0]);
	// A slash halving the pool halves what vests (rounded down).
	vesting.scale(1_000, 500);
	assert_eq!(vesting.amount, 5);
	vesting.scale(500, 0);
	assert_eq!(vesting.amount, 0);
}

#[test]
fn a_sniper_who_deposits_before_a_late_claim_shares_the_old_rewards_only_as_they_vest() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) has held all 1_000_000 LRT of a native pool since epoch 0, and the
		// pool's rewards for ten epochs (1_000_000) were never claimed.
		let pool = create_pool(1, Collateral::Native);
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		set_epoch(10);

		// When bob (4) deposits 1_000_000 just before he claims them for the pool, and asks
		// for his money back one epoch later.
		assert_eq!(deposit(4, pool, 1_000_000), 1_000_000);
		add_rewards(pool, 9, 1_000_000);
		assert_eq!(
			pool_record(pool).vesting,
			RewardVesting { amount: 1_000_000, from: 10, until: 20 }
		);
		assert_eq!(pool_record(pool).rate_value(10), 2_000_000, "nothing vested yet");
		set_epoch(11);
		let later = request(4, pool, 1_000_000);

		// Then a tenth of the rewards vested in epoch 11, and bob had half the pool: he takes
		// ⌊1_000_000 × (2_100_000 + 1_000) / (2_000_000 + 1_000)⌋ = 1_049_975 (he would have
		// taken 1_499_750, half of ten epochs' rewards, had they entered the rate at once).
		assert_eq!(requested_value(4, later), 1_049_975);

		// And alice, who held all along, gets the rest as it vests: at epoch 20 everything is in
		// the rate.
		set_epoch(20);
		assert_eq!(pool_record(pool).rate_value(20), pool_record(pool).active);
		let record = pool_record(pool);
		assert_eq!(record.active, 1_000_000 + 1_000_000 + 1_000_000 - 1_049_975);
		let alice = request(2, pool, 1_000_000);
		assert!(requested_value(2, alice) > 1_949_000);
	});
}

#[test]
fn deposits_and_requests_are_charged_their_own_weight_in_every_epoch_and_add_no_reward() {
	ExtBuilder::default().build_and_execute(|| {
		let pool = create_pool(1, Collateral::Native);
		deposit(2, pool, 1_000_000);
		for epoch in [1, 2, 5] {
			set_epoch(epoch);
			// Declared and charged: a native pool's deposit (and the read of its kind), no claim.
			let call = Call::<Test>::deposit { pool, amount: 1_000 };
			let declared = call.get_dispatch_info().call_weight;
			let info: PostDispatchInfo =
				RestakingPools::deposit(RuntimeOrigin::signed(3), pool, 1_000).unwrap();
			let native = <() as WeightInfo>::deposit_native().saturating_add(
				<<Test as frame_system::Config>::DbWeight as Get<
					frame_support::weights::RuntimeDbWeight,
				>>::get()
				.reads(1),
			);
			assert_eq!(declared, native);
			assert_eq!(info.actual_weight, Some(native));
			let call = Call::<Test>::request_withdrawal { pool, lrt_amount: 500 };
			assert_eq!(
				call.get_dispatch_info().call_weight,
				<() as WeightInfo>::request_withdrawal()
			);
			assert_ok!(RestakingPools::request_withdrawal(RuntimeOrigin::signed(3), pool, 500));
		}
		// Nothing was added to the pool's rewards by its own calls.
		assert_eq!(pool_record(pool).vesting, RewardVesting::starting_at(0));
	});
}

#[test]
fn a_slash_takes_from_the_rewards_still_vesting_pro_rata() {
	ExtBuilder::default().build_and_execute(|| {
		// Given a native pool of 1_000_000 that received 1_000_000 of rewards in epoch 1.
		let pool = create_pool(1, Collateral::Native);
		deposit(2, pool, 1_000_000);
		set_epoch(1);
		add_rewards(pool, 9, 1_000_000);
		assert_eq!(pool_record(pool).rate_value(1), 1_000_000);

		// When half the pool is slashed before they vest.
		let taken =
			<RestakingPools as PoolsInterface<_, _>>::slash(pool, 1_000_000, Some(NPOS_TREASURY));
		assert_eq!(taken, 1_000_000);

		// Then the holders lose half of both parts: half their stake now, half the rewards
		// when they vest.
		let record = pool_record(pool);
		assert_eq!(record.active, 1_000_000);
		assert_eq!(record.vesting.amount, 500_000);
		assert_eq!(record.rate_value(1), 500_000);
		assert_eq!(record.rate_value(2), 1_000_000);
	});
}

#[test]
fn a_leaver_leaves_the_rewards_still_vesting_to_the_holders_who_stay() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) and bob (4) hold 1_000_000 LRT each; 1_000_000 of rewards arrive
		// in epoch 1.
		let pool = create_pool(1, Collateral::Native);
		deposit(2, pool, 1_000_000);
		deposit(4, pool, 1_000_000);
		set_epoch(1);
		add_rewards(pool, 9, 1_000_000);

		// When bob leaves in the same epoch.
		let bob = request(4, pool, 1_000_000);

		// Then he is paid what he brought, and alice gets all the rewards once they vested.
		assert_eq!(requested_value(4, bob), 1_000_000);
		set_epoch(2);
		let alice = request(2, pool, 1_000_000);
		// ⌊1_000_000 × (2_000_000 + 1_000) / (1_000_000 + 1_000)⌋
		assert_eq!(requested_value(2, alice), 1_999_000);
	});
}

#[test]
fn a_newcomer_to_an_asset_pool_buys_only_the_released_part_of_the_pot() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) holds all 1_000_000 LRT of an asset pool since epoch 0, and 1_000 PAL
		// of rewards arrive in epoch 2 (vesting over 2 epochs).
		let pool = create_pool(1, Collateral::Asset(ASSET));
		assert_eq!(deposit(2, pool, 1_000_000), 1_000_000);
		set_epoch(2);
		add_rewards(pool, 9, 1_000);
		set_epoch(3);
		assert_eq!(pool_record(pool).released_pot(3), 500);

		// When bob (4) deposits 500_000 in epoch 3.
		let before = free(4);
		assert_eq!(deposit(4, pool, 500_000), 500_000);

		// Then he buys his share of the released half only: ⌈500 × 500_000 / 1_000_000⌉.
		assert_eq!(before - free(4), 250);
		assert_eq!(pool_record(pool).reward_pot, 1_250);

		// And leaving after the rest vested, he takes ⌊1_250 × 500_000 / 1_500_000⌋ = 416: his
		// share of the half that vested while he held.
		set_epoch(4);
		let bob = request(4, pool, 500_000);
		assert_eq!(WithdrawalRequests::<Test>::get(4, bob).map(|r| r.reward), Some(416));
	});
}

#[test]
fn the_only_holder_leaving_takes_what_still_vests() {
	ExtBuilder::default().build_and_execute(|| {
		// Given alice (2) alone holds an asset pool whose 1_000 PAL of rewards arrived in epoch
		// 2 and vest over 2 epochs, and a native pool whose 1_000_000 did.
		let asset_pool = create_pool(1, Collateral::Asset(ASSET));
		let native_pool = create_pool(1, Collateral::Native);
		deposit(2, asset_pool, 1_000_000);
		deposit(2, native_pool, 1_000_000);
		set_epoch(2);
		add_rewards(asset_pool, 9, 1_000);
		add_rewards(native_pool, 9, 1_000_000);

		// When she leaves both at once.
		let from_asset = request(2, asset_pool, 1_000_000);
		let from_native = request(2, native_pool, 1_000_000);

		// Then she takes everything, nothing stays vesting in a pool nobody holds (the
		// native pool's virtual position keeps its 1_000 share of the 2_000_000).
		assert_eq!(WithdrawalRequests::<Test>::get(2, from_asset).map(|r| r.reward), Some(1_000));
		assert_eq!(requested_value(2, from_native), 1_999_000);
		for pool in [asset_pool, native_pool] {
			assert_eq!(pool_record(pool).vesting.amount, 0);
		}
	});
}

#[test]
fn a_deposit_is_charged_by_the_kind_of_its_pool() {
	ExtBuilder::default().build_and_execute(|| {
		let read = <<Test as frame_system::Config>::DbWeight as Get<
			frame_support::weights::RuntimeDbWeight,
		>>::get()
		.reads(1);
		let native = create_pool(1, Collateral::Native);
		let asset = create_pool(1, Collateral::Asset(ASSET));
		let declared =
			|pool| Call::<Test>::deposit { pool, amount: 1_000 }.get_dispatch_info().call_weight;
		assert_eq!(declared(native), <() as WeightInfo>::deposit_native().saturating_add(read));
		assert_eq!(declared(asset), <() as WeightInfo>::deposit().saturating_add(read));
		// An unknown pool: the dearest kind (the call fails at once).
		let dearest = <() as WeightInfo>::deposit()
			.max(<() as WeightInfo>::deposit_native())
			.max(<() as WeightInfo>::deposit_staked());
		assert_eq!(declared(99), dearest.saturating_add(read));
		// What the asset pool's deposit reports used is what it was charged.
		let info: PostDispatchInfo =
			RestakingPools::deposit(RuntimeOrigin::signed(2), asset, 1_000).unwrap();
		assert_eq!(info.actual_weight, Some(declared(asset)));
	});
}
