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

#[test]
fn print_bench_sigs() {
	use crate::evidence::testing::*;
	let pair = pair_from_seed([42u8; 32]);
	println!("KEY {:?}", sp_core::Pair::public(&pair).0);
	for set_id in 0..8u64 {
		let a = sign_precommit(&pair, set_id, 1, (sp_core::H256::repeat_byte(1), 10));
		let b = sign_precommit(&pair, set_id, 1, (sp_core::H256::repeat_byte(2), 10));
		println!("SIG {:?} {:?}", a, b);
	}
}
