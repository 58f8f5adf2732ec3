//! Unit tests, one file per topic. Every test built with `ExtBuilder::build_and_execute` ends
//! with `ServiceSlashing::do_try_state()`. The attacks of issue 11 are in `attacks.rs` (and
//! where their topic is), each named after the attack, stating the attacker's gain before and
//! after.

mod attacks;
mod cancels;
mod consumer_cancel;
mod equivocation;
mod execution;
mod governance;
mod invariants;
mod meter;
mod params;
mod pool_pending;
mod pruning;
mod queue;
mod report;
mod spans;
mod veto;
