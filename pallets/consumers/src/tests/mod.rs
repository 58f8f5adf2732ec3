//! Unit tests, one file per topic. Every test built with `ExtBuilder::build_and_execute` ends
//! with `Consumers::do_try_state()`.

mod admin;
mod attacks;
mod claim_pages;
mod cursor;
mod epoch;
mod exposures;
mod invariants;
mod lease;
mod lifecycle;
mod pool_shares;
mod reap;
mod register;
mod review;
mod reward_attacks;
mod rewards;
mod selection;
mod sets;
mod split;
mod transition;
mod unchanged;
