//! Hostile consumers, operators, curators and restakers against the lazy rewards and the
//! exposure checkpoints. Each test is named after the attack and states the attacker's gain
//! (or the victim's loss); a test that passes is a regression test saying why the attack
//! fails, a test that fails is a finding.

use crate::{
	mock::*, weights::WeightInfo, CurrentEpoch, ExposureIndex, KeyOwners, Members, RewardsLedger,
	Transition,
};
use frame_support::{
	assert_ok,
	weights::{Weight, WeightMeter},
};
use palisade_primitives::{ConsumerKey, ConsumersInterface, PoolRewardsSource};

fn exposure(epoch: u32, who: AccountId) -> Option<Balance> {
	<Consumers as ConsumersInterface<_, _>>::exposure(epoch, 0, &who).map(|e| e.total)
}

fn owner_of(epoch: u32, key: ConsumerKey) -> Option<AccountId> {
	<Consumers as ConsumersInterface<_, _>>::operator_of_key_at(epoch, 0, &key)
}

/// Only the epoch start fits in a block: the consumers' transition waits for the next block.
fn metered() {
	TransitionBudget::set(
		<() as WeightInfo>::on_initialize_idle() + <() as WeightInfo>::start_epoch(),
	);
}

/// The whole transition fits in a block again.
fn unmetered() {
	TransitionBudget::set(Weight::from_parts(1 << 50, 1 << 40));
}

/// What the pools pallet's first deposit or withdrawal request of an epoch does
/// (`with_rewards_claimed`): claim the pool's outside rewards. Returns what arrived.
fn pools_pallet_claims(pool: u32) -> Balance {
	let before = free(pool_account(pool));
	Consumers::claim_for_pool(pool);
	free(pool_account(pool)) - before
}

/// What the pools pallet does before a deposit or a withdrawal request
/// (`with_rewards_claimed`): claim the pool's outside rewards unless a claim was made in this
/// epoch after every consumer paid ([`PoolRewardsSource::epoch_paid`]); the claim raises the
/// book's value.
struct PoolsPallet {
	claimed_at: u32,
}

impl PoolsPallet {
	fn before_deposit_or_request(&mut self, pool: u32, book: &mut Book) {
		let now = CurrentEpoch::<Test>::get();
		if self.claimed_at < now {
			book.value += pools_pallet_claims(pool);
			if Consumers::epoch_paid() {
				self.claimed_at = now;
			}
		}
	}
}

/// A native pool's LRT book, as the pools pallet keeps it: the value behind the LRT and the
/// LRT supply. Deposits mint and withdrawal requests burn at `value / supply`, rounded down;
/// claimed rewards raise the value.
struct Book {
	value: Balance,
	supply: Balance,
}

impl Book {
	fn deposit(&mut self, amount: Balance) -> Balance {
		let lrt = amount * self.supply / self.value;
		self.value += amount;
		self.supply += lrt;
		lrt
	}

	fn withdraw(&mut self, lrt: Balance) -> Balance {
		let value = lrt * self.value / self.supply;
		self.value -= value;
		self.supply -= lrt;
		value
	}

	fn worth(&self, lrt: Balance) -> Balance {
		lrt * self.value / self.supply
	}
}

/// Consumer 0 paying 1_000 per epoch to one operator, 11 (bond 100, no commission), backed by
/// pool 1 with 900: pool 1 earns 900 of every payment.
fn one_pool_earning_900_per_epoch() {
	register_with(1, params(1, 4, 0, 100, 1_000));
	fund(0, 10_000);
	add_operator(0, 11, 100, 0);
	back(11, 0, 1, 900);
}

// ---------------------------------------------------------------------------------------------
// JIT across a metered transition (found by this review; fixed: the pools pallet claims
// again at every deposit or withdrawal request until a claim after every consumer paid).
// ---------------------------------------------------------------------------------------------

/// The pools pallet used to claim a pool's outside rewards once per epoch, before its first
/// deposit or withdrawal request, assuming "rewards are paid at epoch starts". A transition is
/// metered: a consumer processed in a later block of the epoch pays *after* that claim. A
/// depositor entering after the consumer paid minted at a rate without that payment and
/// shared in it at the next epoch's claim although its stake backed nothing in that epoch:
/// with honest backing of 900 earning 900 for epoch 2, a 9_000 deposit after the consumer
/// paid took 750 of the 900. Now the pool claims again until a claim is made after every
/// consumer paid (`epoch_paid`): the attacker enters at a rate with the 900 in it and gains
/// nothing.
#[test]
fn depositing_after_a_late_consumer_paid_buys_into_rewards_the_pool_already_earned() {
	ExtBuilder::default().build_and_execute(|| {
		// Given pool 1 with honest holders (value 900, 900 LRT) backing operator 11; epoch 1
		// paid and claimed.
		one_pool_earning_900_per_epoch();
		let mut book = Book { value: 900, supply: 900 };
		let mut pools = PoolsPallet { claimed_at: 0 };
		next_epoch();
		pools.before_deposit_or_request(1, &mut book);
		assert_eq!(book.value, 1_800);
		assert_eq!(pools.claimed_at, 1);

		// When epoch 2 starts and its transition does not reach the consumer in the first
		// block, where someone's deposit (the attacker's dust will do) makes the pool claim:
		// nothing new is owed yet, and the epoch is not final.
		metered();
		run_to_block(20);
		assert_eq!(CurrentEpoch::<Test>::get(), 2);
		assert!(Transition::<Test>::get().is_some());
		pools.before_deposit_or_request(1, &mut book);
		assert_eq!(book.value, 1_800);
		assert_eq!(pools.claimed_at, 1, "a claim while consumers still pay is not final");

		// And in the next block the consumer is processed: the pool earned 900 for epoch 2,
		// with the honest 900 as its backing.
		unmetered();
		run_to_block(21);
		assert!(Transition::<Test>::get().is_none());
		assert_eq!(Consumers::pending_pool_rewards(1), 900);

		// The attacker deposits 9_000: the pool claims the 900 first.
		pools.before_deposit_or_request(1, &mut book);
		assert_eq!(book.value, 2_700);
		let deposit = 9_000;
		let lrt = book.deposit(deposit);

		// At epoch 3's first request (again before the consumer pays epoch 3) the attacker
		// leaves at once.
		metered();
		run_to_block(30);
		pools.before_deposit_or_request(1, &mut book);
		let out = book.withdraw(lrt);
		unmetered();
		run_to_block(31);

		// Then the attacker gained nothing from epoch 2: it was not in its backing.
		let gain = out.saturating_sub(deposit);
		assert_eq!(gain, 0, "the attacker took {gain} of the 900 the honest backing earned");
	});
}

/// Same cause, the other way round: a holder whose stake backed the consumer in epoch `e` and
/// who requested its withdrawal after the consumer paid, but after the pool's claim of the
/// epoch, left at a rate without that payment (a large holder could make this happen at will
/// by depositing dust in the first block of each epoch): two holders of 450 each, the leaver
/// lost 447 of its 450 to the one who stays. Now the request claims the payment first.
#[test]
fn leaving_after_a_late_consumer_paid_forfeits_the_epochs_rewards_to_those_who_stay() {
	ExtBuilder::default().build_and_execute(|| {
		// Given two holders of 450 LRT each (value 900), epoch 1 paid and claimed.
		one_pool_earning_900_per_epoch();
		let mut book = Book { value: 900, supply: 900 };
		let mut pools = PoolsPallet { claimed_at: 0 };
		let (leaver, mut stayer) = (450, 450);
		next_epoch();
		pools.before_deposit_or_request(1, &mut book);

		// When the stayer deposits dust in epoch 2's first block, before the consumer is
		// processed: the pool's claim finds nothing and is not final.
		metered();
		run_to_block(20);
		pools.before_deposit_or_request(1, &mut book);
		stayer += book.deposit(10);
		unmetered();
		run_to_block(21);
		// The consumer paid epoch 2 with both holders' 900 as the backing.
		assert_eq!(Consumers::pending_pool_rewards(1), 900);

		// And the leaver requests its withdrawal: the pool claims epoch 2's payment first.
		let fair = leaver * (book.value + 900) / book.supply;
		pools.before_deposit_or_request(1, &mut book);
		let out = book.withdraw(leaver);

		// Then the leaver got what its stake earned; the stayer keeps its own.
		next_epoch();
		pools.before_deposit_or_request(1, &mut book);
		assert!(book.worth(stayer) > 0);
		let loss = fair.saturating_sub(out);
		assert_eq!(loss, 0, "the leaver lost {loss} of what its stake earned in epoch 2");
	});
}

// ---------------------------------------------------------------------------------------------
// Attacks that fail (regression tests).
// ---------------------------------------------------------------------------------------------

/// Fails for the attacker: claims only settle an index that moves once per epoch per
/// consumer, and each settlement rounds down once per record (an operator's membership, a
/// pool's record for the consumer): the split into weights is made when a member is written,
/// not at the claims. Claiming for everyone every epoch costs the victims less than one
/// Planck per record per epoch (dust kept in the rewards account, not paid to the griefer),
/// whatever the amounts.
#[test]
fn claiming_for_others_every_epoch_cannot_grind_their_rewards_away() {
	const EPOCHS: u32 = 10;
	let recipients = || [11, 12, 13, pool_account(1), pool_account(2)];
	let setup = || {
		register_with(1, params(1, 4, 0, 100, 1_000));
		fund(0, 20_000);
		// Stakes 300 (33% commission, pools 1 and 2), 100 and 200: every split rounds.
		add_operator(0, 11, 100, 33);
		back(11, 0, 1, 100);
		back(11, 0, 2, 100);
		add_operator(0, 12, 100, 0);
		add_operator(0, 13, 200, 10);
	};
	let claim_all = || {
		for who in [11, 12, 13] {
			let _ = claim_operator(who);
		}
		let _ = claim_pool(1);
		let _ = claim_pool(2);
	};
	let received = |before: &[Balance]| -> Balance {
		recipients().iter().zip(before).map(|(who, before)| free(*who) - before).sum()
	};

	// Claimed once, at the end.
	let mut lazy = 0;
	ExtBuilder::default().build_and_execute(|| {
		setup();
		let before: Vec<Balance> = recipients().iter().map(|who| free(*who)).collect();
		run_to_epoch(EPOCHS);
		claim_all();
		lazy = received(&before);
	});
	// Claimed by a griefer after every epoch.
	let mut griefed = 0;
	let mut griefer_spent = 0;
	ExtBuilder::default().build_and_execute(|| {
		setup();
		let before: Vec<Balance> = recipients().iter().map(|who| free(*who)).collect();
		let griefer = free(FUNDER);
		for _ in 0..EPOCHS {
			next_epoch();
			claim_all();
		}
		griefed = received(&before);
		griefer_spent = griefer - free(FUNDER);
	});

	// At most one rounding per claim: 3 operators + 2 (pool, consumer) records per epoch.
	let loss = lazy.saturating_sub(griefed);
	assert!(loss <= EPOCHS as Balance * (3 + 2), "griefing cost the victims {loss}");
	assert_eq!(griefer_spent, 0, "the mock charges no fees; the griefer gains nothing");
	assert!(lazy <= EPOCHS as Balance * 1_000);
}

/// Fails for the attacker: a member that leaves is settled at the index before the epoch it
/// left, and comes back with a fresh record at the index of its return, so it earns nothing
/// for the epochs it was out, and the payments of those epochs go to the members that were
/// in (conservation exact but for dust).
#[test]
fn a_member_that_left_cannot_earn_for_the_epochs_it_was_out() {
	ExtBuilder::default().build_and_execute(|| {
		register_with(1, params(1, 4, 0, 100, 1_000));
		fund(0, 10_000);
		// 11: stake 600 (bond 300, pools 1: 200, 2: 100, 10% commission); 12: stake 400.
		add_operator(0, 11, 300, 10);
		back(11, 0, 1, 200);
		back(11, 0, 2, 100);
		add_operator(0, 12, 400, 0);
		let before: Vec<Balance> =
			[11, 12, pool_account(1), pool_account(2)].iter().map(|w| free(*w)).collect();

		// In at epochs 1 and 2, out at 3 and 4, back at 5 and 6.
		run_to_epoch(2);
		set_eligible(0, 12, false);
		run_to_epoch(4);
		set_eligible(0, 12, true);
		run_to_epoch(6);
		for who in [11, 12] {
			assert_ok!(claim_operator(who));
		}
		assert_ok!(claim_pool(1));
		assert_ok!(claim_pool(2));

		// 12: 4 × 400, nothing for epochs 3 and 4. 11 (never rewritten) earned at index
		// 4 × 10^18 + 2 × floor(10^21 / 600) (4 × 600 with 12, 2 × 1_000 alone, index rounded
		// down): its power 600 split into weights 330 (commission and own), 180 and 90 (pools),
		// floor(weight × 7.333…332): 2_419, 1_319 and 659 (each a Planck below 2_420, 1_320
		// and 660). Everything paid arrived but those 3 Planck.
		let got: Vec<Balance> = [11, 12, pool_account(1), pool_account(2)]
			.iter()
			.zip(&before)
			.map(|(w, b)| free(*w) - b)
			.collect();
		assert_eq!(got, vec![2_419, 4 * 400, 1_319, 659]);
		assert_eq!(got.iter().sum::<Balance>(), 5_997);
		let ledger = RewardsLedger::<Test>::get();
		assert_eq!((ledger.paid_in, ledger.paid_out), (6_000, 5_997));
	});
}

/// Fails for the attacker: changing its stake every epoch and having its rewards claimed in
/// between (so that each settlement happens both in a claim and in the transition) never
/// pays a member twice: the claim moves the member's index, the transition settles only what
/// accrued since. Everything received plus what is still owed is at most what was paid in.
#[test]
fn claiming_between_stake_changes_cannot_settle_an_epoch_twice() {
	ExtBuilder::default().build_and_execute(|| {
		register_with(1, params(1, 4, 0, 100, 1_000));
		fund(0, 20_000);
		add_operator(0, 11, 300, 10);
		back(11, 0, 1, 200);
		add_operator(0, 12, 400, 0);
		let watched = [11, 12, pool_account(1)];
		let before: Balance = watched.iter().map(|w| free(*w)).sum();

		for epoch in 1..=10u32 {
			next_epoch();
			// Claim, then change the stake (settled again at the next transition).
			let _ = claim_operator(11);
			let _ = claim_pool(1);
			set_bond(11, 300 + 7 * epoch as Balance);
			back(11, 0, 1, 200 + 13 * epoch as Balance);
		}
		for who in [11, 12] {
			let _ = claim_operator(who);
		}
		let _ = claim_pool(1);
		let received: Balance = watched.iter().map(|w| free(*w)).sum::<Balance>() - before;

		// Then 10 payments of 1_000 went in, at most that came out, and the rest is dust in
		// the rewards account (a few Planck per epoch).
		let ledger = RewardsLedger::<Test>::get();
		assert_eq!(ledger.paid_in, 10_000);
		assert_eq!(ledger.paid_out, received);
		assert!(received <= 10_000);
		assert!(10_000 - received <= 10 * 5, "dust {}", 10_000 - received);
		assert_eq!(free(Consumers::rewards_account()), ED + 10_000 - received);
	});
}

/// Fails for the attacker: a pause (escrow short) retires every member at the epoch it
/// pauses, and the reactivation starts fresh records, so members earn exactly the epochs the
/// consumer paid for; the paused epoch has no exposure, the ones around it keep theirs.
#[test]
fn a_pause_and_reactivation_pays_no_member_for_the_pause() {
	ExtBuilder::default().build_and_execute(|| {
		register_with(1, params(1, 4, 0, 100, 1_000));
		fund(0, 2_000);
		add_operator(0, 12, 400, 0);
		let before = free(12);
		run_to_epoch(3);
		assert!(matches!(status(0), crate::ConsumerStatus::Paused { .. }));
		assert!(Members::<Test>::get(12, 0).is_none());
		fund(0, 1_000);
		next_epoch();
		assert_eq!(status(0), crate::ConsumerStatus::Active);
		assert_ok!(claim_operator(12));
		assert_eq!(free(12), before + 3_000);
		assert_eq!(
			(exposure(1, 12), exposure(2, 12), exposure(3, 12), exposure(4, 12)),
			(Some(400), Some(400), None, Some(400))
		);
	});
}

// ---------------------------------------------------------------------------------------------
// Slash dodging and framing through the checkpoints (regression tests).
// ---------------------------------------------------------------------------------------------

/// Fails for the attacker: an operator that leaves the set, comes back within the retention
/// with another stake and a rotated key, and leaves again, stays answerable for every
/// retained epoch with the exposure and the key of that epoch: the old key does not name it
/// for epochs it used the new one (nobody is framed), the new key does not reach back, and
/// the pair is only removed once its last departure is out of the window.
#[test]
fn leaving_and_rejoining_within_the_retention_hides_no_exposure_and_frames_no_key() {
	ExtBuilder::default().build_and_execute(|| {
		register_with(1, params(1, 4, 0, 100, 0));
		add_operator(0, 11, 500, 0);
		add_operator(0, 12, 400, 0);
		let (old_key, new_key) = (key_of(12), [99u8; 32]);
		next_epoch();
		// Leaves at epoch 2.
		set_eligible(0, 12, false);
		next_epoch();
		// Back at epoch 3 with bond 450 and a new key.
		set_eligible(0, 12, true);
		set_bond(12, 450);
		set_key(0, 12, new_key);
		next_epoch();
		assert_eq!(
			(exposure(1, 12), exposure(2, 12), exposure(3, 12)),
			(Some(400), None, Some(450))
		);
		assert_eq!((owner_of(1, old_key), owner_of(1, new_key)), (Some(12), None));
		assert_eq!((owner_of(2, old_key), owner_of(2, new_key)), (None, None));
		assert_eq!((owner_of(3, old_key), owner_of(3, new_key)), (None, Some(12)));
		// Nobody else is named by either key.
		assert_eq!(owner_of(1, key_of(11)), Some(11));

		// Leaves again at epoch 4; its first departure's pruning (due at 2 + RETENTION)
		// leaves the pair alone.
		set_eligible(0, 12, false);
		run_to_epoch(2 + RETENTION);
		assert_eq!(exposure(3, 12), Some(450));
		assert_eq!(owner_of(3, new_key), Some(12));
		assert_eq!((exposure(2, 12), exposure(4, 12), exposure(5, 12)), (None, None, None));

		// Only once its last departure (epoch 4) is at the edge of the window does the pair
		// go: up to then epoch 3 is still answered.
		run_to_epoch(4 + RETENTION - 1);
		assert_eq!(exposure(3, 12), Some(450));
		assert_eq!(owner_of(3, new_key), Some(12));
		next_epoch();
		assert_eq!(exposure(3, 12), None);
		assert!(ExposureIndex::<Test>::get(0, 12).is_empty());
		assert_eq!(KeyOwners::<Test>::get(0, old_key), None);
		assert_eq!(KeyOwners::<Test>::get(0, new_key), None);
	});
}

/// Fails for the attacker: when a pair's pruning is due in the very epoch the operator comes
/// back, and a metered transition runs the pruning (first block) before the consumer is
/// processed (a later block), the history is dropped first and the rejoin writes a fresh one:
/// the operator is exposed, and its key names it, from the epoch it returned.
#[test]
fn a_pruning_that_runs_before_a_metered_rejoin_does_not_drop_the_new_key() {
	ExtBuilder::default().build_and_execute(|| {
		register_with(1, params(1, 4, 0, 100, 0));
		add_operator(0, 11, 500, 0);
		add_operator(0, 12, 400, 0);
		next_epoch();
		set_eligible(0, 12, false);
		next_epoch();
		// Due for pruning at 2 + RETENTION, the epoch it comes back.
		run_to_epoch(2 + RETENTION - 1);
		set_eligible(0, 12, true);

		// The first block of that epoch only fits the epoch start; the pruning then runs
		// before the consumer is processed (as a metered block does when the transition's
		// pages do not fit what is left and the pruning does).
		TransitionBudget::set(
			<() as WeightInfo>::on_initialize_idle() + <() as WeightInfo>::start_epoch(),
		);
		let first = crate::EpochStart::<Test>::get() + EPOCH_LENGTH;
		run_to_block(first);
		assert_eq!(CurrentEpoch::<Test>::get(), 2 + RETENTION);
		assert!(Transition::<Test>::get().is_some());
		assert!(!ExposureIndex::<Test>::get(0, 12).is_empty(), "not pruned yet");
		let mut excess = Weight::zero();
		crate::Pallet::<Test>::prune(&mut WeightMeter::new(), &mut excess);
		assert!(ExposureIndex::<Test>::get(0, 12).is_empty());

		unmetered();
		run_to_block(first + 1);
		let now = 2 + RETENTION;
		assert_eq!(exposure(now, 12), Some(400));
		assert_eq!(owner_of(now, key_of(12)), Some(12));
		assert_eq!(exposure(now - 1, 12), None);
		assert_eq!(KeyOwners::<Test>::get(0, key_of(12)), Some(12));
	});
}

/// Fails for the attacker: while the transition has not reached a consumer, a key rotation
/// that takes effect this epoch is not answered for it (nor for the epoch before), so evidence
/// signed with the new key cannot be pinned on the set still running, and the old key still
/// names its operator for the previous epoch.
#[test]
fn a_rotated_key_cannot_be_pinned_on_the_set_still_running() {
	ExtBuilder::default().build_and_execute(|| {
		register_with(1, params(1, 4, 0, 100, 0));
		add_operator(0, 11, 500, 0);
		next_epoch();
		let new_key = [77u8; 32];
		set_key(0, 11, new_key);
		metered();
		run_to_block(20);
		assert_eq!(CurrentEpoch::<Test>::get(), 2);
		assert_eq!((owner_of(1, new_key), owner_of(2, new_key)), (None, None));
		assert_eq!((owner_of(1, key_of(11)), exposure(1, 11)), (Some(11), Some(500)));
		unmetered();
		run_to_block(21);
		assert_eq!((owner_of(2, new_key), owner_of(2, key_of(11))), (Some(11), None));
	});
}
