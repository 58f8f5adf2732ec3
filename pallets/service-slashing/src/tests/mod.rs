//! Unit tests, one file per topic. Every test built with `ExtBuilder::build_and_execute` ends
//! with `ServiceSlashing::do_try_state()`.

mod equivocation;
mod execution;
mod invariants;
mod params;
mod pruning;
mod queue;
mod report;
mod throttle;
mod veto;
