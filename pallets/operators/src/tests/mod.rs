//! Unit tests, one file per topic. Every test built with `ExtBuilder::build_and_execute` ends
//! with `Operators::do_try_state()`.

mod attacks;
mod bond;
mod commission;
mod deregister;
mod epoch;
mod invariants;
mod jail_slash;
mod opt_in;
mod register;
mod registry;
