//! A fake NPoS staking for the mock: one ledger per stash (active, unlocking chunks per era,
//! payee, nominations), kept in storage so that a failed call rolls it back like real state.
//! Bonding duration [`BONDING_DURATION`] eras, minimum nominator bond [`MIN_NOMINATOR_BOND`],
//! existential deposit 1 (staking's dust rule: an active stake below it is unbonded whole).
//! [`npos_slash`] slashes a stash as `pallet-staking` reports it (`on_slash` with the values
//! after), [`set_era`] moves the era.

use crate::mock::{AccountId, Balance, RestakingPools};
use alloc::collections::btree_map::BTreeMap;
use codec::{Decode, Encode};
use frame_support::storage::unhashed;
use sp_runtime::{DispatchError, DispatchResult, Perbill};
use sp_staking::{EraIndex, OnStakingUpdate, Stake, StakerStatus, StakingInterface};

/// Eras between an unbond and its withdrawal.
pub const BONDING_DURATION: EraIndex = 2;
/// Smallest active stake that may nominate.
pub const MIN_NOMINATOR_BOND: Balance = 50;

/// A stash's ledger.
#[derive(Encode, Decode, Clone, Debug, Default, PartialEq)]
pub struct FakeLedger {
	/// Bonded.
	pub active: Balance,
	/// Unbonding: (unlock era, value), one chunk per era, ascending.
	pub unlocking: Vec<(EraIndex, Balance)>,
	/// Who is paid rewards.
	pub payee: AccountId,
	/// Nominated validators, if nominating.
	pub nominations: Option<Vec<AccountId>>,
	/// Whether it is a virtual staker.
	pub is_virtual: bool,
	/// Its validator preferences (commission, blocked), if validating.
	pub validator: Option<(Perbill, bool)>,
}

fn key(who: &AccountId) -> Vec<u8> {
	(b"fake-staking/ledger", who).encode()
}

/// The ledger of `who`.
pub fn ledger(who: &AccountId) -> Option<FakeLedger> {
	unhashed::get(&key(who))
}

fn put(who: &AccountId, ledger: &FakeLedger) {
	unhashed::put(&key(who), ledger);
}

/// The current era.
pub fn era() -> EraIndex {
	unhashed::get(b"fake-staking/era").unwrap_or(0)
}

/// Move the current era.
pub fn set_era(era: EraIndex) {
	unhashed::put(b"fake-staking/era", &era);
}

fn not_stash() -> DispatchError {
	DispatchError::Other("NotStash")
}

/// NPoS slashes `stash` by `fraction` of its active stake and of every unlocking chunk, as
/// `pallet-staking` does (the ledger first, then `on_slash` with the values after). Returns
/// the total taken (nothing for a stash that is not bonded).
pub fn npos_slash(stash: &AccountId, fraction: Perbill) -> Balance {
	let Some(mut ledger) = ledger(stash) else { return 0 };
	let mut total = 0;
	let taken = fraction.mul_ceil(ledger.active);
	ledger.active -= taken;
	total += taken;
	let mut chunks = BTreeMap::new();
	for (era, value) in ledger.unlocking.iter_mut() {
		let taken = fraction.mul_ceil(*value);
		*value -= taken;
		total += taken;
		chunks.insert(*era, *value);
	}
	ledger.unlocking.retain(|(_, value)| *value != 0);
	put(stash, &ledger);
	<RestakingPools as OnStakingUpdate<AccountId, Balance>>::on_slash(
		stash,
		ledger.active,
		&chunks,
		total,
	);
	total
}

/// The fake staking.
pub struct FakeStaking;

impl StakingInterface for FakeStaking {
	type Balance = Balance;
	type AccountId = AccountId;
	type CurrencyToVote = sp_staking::currency_to_vote::SaturatingCurrencyToVote;

	fn minimum_nominator_bond() -> Balance {
		MIN_NOMINATOR_BOND
	}
	fn minimum_validator_bond() -> Balance {
		MIN_NOMINATOR_BOND
	}
	fn stash_by_ctrl(controller: &AccountId) -> Result<AccountId, DispatchError> {
		ledger(controller).map(|_| *controller).ok_or_else(not_stash)
	}
	fn bonding_duration() -> EraIndex {
		BONDING_DURATION
	}
	fn current_era() -> EraIndex {
		era()
	}
	fn stake(who: &AccountId) -> Result<Stake<Balance>, DispatchError> {
		let ledger = ledger(who).ok_or_else(not_stash)?;
		let unlocking: Balance = ledger.unlocking.iter().map(|(_, value)| value).sum();
		Ok(Stake { total: ledger.active + unlocking, active: ledger.active })
	}
	fn bond(_who: &AccountId, _value: Balance, _payee: &AccountId) -> DispatchResult {
		Err(DispatchError::Other("only virtual stakers here"))
	}
	fn nominate(who: &AccountId, validators: Vec<AccountId>) -> DispatchResult {
		let mut ledger = ledger(who).ok_or_else(not_stash)?;
		if ledger.active < MIN_NOMINATOR_BOND {
			return Err(DispatchError::Other("InsufficientBond"));
		}
		if validators.is_empty() {
			return Err(DispatchError::Other("EmptyTargets"));
		}
		ledger.nominations = Some(validators);
		ledger.validator = None;
		put(who, &ledger);
		Ok(())
	}
	fn chill(who: &AccountId) -> DispatchResult {
		let mut ledger = ledger(who).ok_or_else(not_stash)?;
		ledger.nominations = None;
		ledger.validator = None;
		put(who, &ledger);
		Ok(())
	}
	fn bond_extra(who: &AccountId, extra: Balance) -> DispatchResult {
		let mut ledger = ledger(who).ok_or_else(not_stash)?;
		ledger.active += extra;
		put(who, &ledger);
		Ok(())
	}
	fn unbond(stash: &AccountId, value: Balance) -> DispatchResult {
		let mut ledger = ledger(stash).ok_or_else(not_stash)?;
		let mut value = value.min(ledger.active);
		ledger.active -= value;
		if ledger.active < 1 {
			value += ledger.active;
			ledger.active = 0;
		}
		if (ledger.nominations.is_some() || ledger.validator.is_some())
			&& ledger.active < MIN_NOMINATOR_BOND
		{
			return Err(DispatchError::Other("InsufficientBond"));
		}
		let unlock = era() + BONDING_DURATION;
		match ledger.unlocking.last_mut() {
			Some((chunk_era, chunk)) if *chunk_era == unlock => *chunk += value,
			_ => ledger.unlocking.push((unlock, value)),
		}
		put(stash, &ledger);
		Ok(())
	}
	fn set_payee(stash: &AccountId, reward_acc: &AccountId) -> DispatchResult {
		let mut ledger = ledger(stash).ok_or_else(not_stash)?;
		ledger.payee = *reward_acc;
		put(stash, &ledger);
		Ok(())
	}
	fn withdraw_unbonded(
		stash: AccountId,
		_num_slashing_spans: u32,
	) -> Result<bool, DispatchError> {
		let mut ledger = ledger(&stash).ok_or_else(not_stash)?;
		let now = era();
		ledger.unlocking.retain(|(era, _)| *era > now);
		if ledger.active == 0 && ledger.unlocking.is_empty() {
			unhashed::kill(&key(&stash));
			return Ok(true);
		}
		put(&stash, &ledger);
		Ok(false)
	}
	fn desired_validator_count() -> u32 {
		10
	}
	fn election_ongoing() -> bool {
		false
	}
	fn force_unstake(who: AccountId) -> DispatchResult {
		ledger(&who).ok_or_else(not_stash)?;
		unhashed::kill(&key(&who));
		Ok(())
	}
	fn is_exposed_in_era(_who: &AccountId, _era: &EraIndex) -> bool {
		false
	}
	fn status(who: &AccountId) -> Result<StakerStatus<AccountId>, DispatchError> {
		let ledger = ledger(who).ok_or_else(not_stash)?;
		Ok(match (ledger.nominations, ledger.validator) {
			(Some(targets), _) => StakerStatus::Nominator(targets),
			(None, Some(_)) => StakerStatus::Validator,
			(None, None) => StakerStatus::Idle,
		})
	}
	fn nominations(who: &AccountId) -> Option<Vec<AccountId>> {
		ledger(who).and_then(|ledger| ledger.nominations)
	}
	fn is_virtual_staker(who: &AccountId) -> bool {
		ledger(who).is_some_and(|ledger| ledger.is_virtual)
	}
	fn slash_reward_fraction() -> Perbill {
		Perbill::from_percent(10)
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn max_exposure_page_size() -> sp_staking::Page {
		64
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn add_era_stakers(
		_current_era: &EraIndex,
		_stash: &AccountId,
		_exposures: Vec<(AccountId, Balance)>,
	) {
	}
	fn set_era(era: EraIndex) {
		set_era(era)
	}
}

impl sp_staking::StakingUnchecked for FakeStaking {
	fn migrate_to_virtual_staker(_who: &AccountId) -> DispatchResult {
		Err(DispatchError::Other("not supported"))
	}
	fn virtual_bond(keyless_who: &AccountId, value: Balance, payee: &AccountId) -> DispatchResult {
		if ledger(keyless_who).is_some() {
			return Err(DispatchError::Other("AlreadyBonded"));
		}
		if keyless_who == payee {
			return Err(DispatchError::Other("RewardDestinationRestricted"));
		}
		put(
			keyless_who,
			&FakeLedger {
				active: value,
				unlocking: Vec::new(),
				payee: *payee,
				nominations: None,
				is_virtual: true,
				validator: None,
			},
		);
		Ok(())
	}
	#[cfg(feature = "runtime-benchmarks")]
	fn migrate_to_direct_staker(_who: &AccountId) {}
}

fn keys_key(who: &AccountId) -> Vec<u8> {
	(b"fake-session/keys", who).encode()
}

/// Fake session keys for `owner` (32 bytes) and their proof.
pub fn session_keys(owner: &AccountId) -> (Vec<u8>, Vec<u8>) {
	let keys = [7u8; 32].to_vec();
	let proof = (b"proof", owner, &keys).encode();
	(keys, proof)
}

/// The session keys of `who`, if set.
pub fn keys_of(who: &AccountId) -> Option<Vec<u8>> {
	unhashed::get(&keys_key(who))
}

/// A fake of the runtime's staking and session for validating pools: keys are 32 bytes, with
/// the proof [`session_keys`] makes; validating needs a ledger of at least the minimum bond.
pub struct FakeValidation;

impl crate::PoolValidation<AccountId> for FakeValidation {
	fn validate(stash: &AccountId, commission: Perbill, blocked: bool) -> DispatchResult {
		let mut ledger = ledger(stash).ok_or_else(not_stash)?;
		if ledger.active < MIN_NOMINATOR_BOND {
			return Err(DispatchError::Other("InsufficientBond"));
		}
		ledger.nominations = None;
		ledger.validator = Some((commission, blocked));
		put(stash, &ledger);
		Ok(())
	}
	fn set_keys(stash: &AccountId, keys: &[u8], proof: &[u8]) -> DispatchResult {
		ledger(stash).ok_or_else(not_stash)?;
		if keys.len() != 32 {
			return Err(crate::Error::<crate::mock::Test>::InvalidSessionKeys.into());
		}
		if proof != (b"proof", stash, keys).encode().as_slice() {
			return Err(DispatchError::Other("InvalidProof"));
		}
		unhashed::put(&keys_key(stash), &keys.to_vec());
		Ok(())
	}
	fn purge_keys(stash: &AccountId) -> DispatchResult {
		ledger(stash).ok_or_else(not_stash)?;
		unhashed::kill(&keys_key(stash));
		Ok(())
	}
	fn has_keys(stash: &AccountId) -> bool {
		keys_of(stash).is_some()
	}
}
