//! Unit tests of the restaking pools, one file per topic. Every test ends with both pallets'
//! `try_state` (see `ExtBuilder::build_and_execute`).

mod allocation;
mod attacks;
mod create;
mod deposit;
mod hostile;
mod pending_bonds;
mod review_staked;
mod rewards;
mod slashing;
mod staking;
mod valuation;
mod vesting;
mod withdraw;
