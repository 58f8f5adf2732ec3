//! Attacks found reviewing the paged transition step (`step.rs`) and the paged pool claims.

use super::cursor::{finish_transition, pages_until, start_epoch_without_pages, PAGED};
use crate::{mock::*, weights::WeightInfo, CurrentEpoch, Members, PoolShares, StepPhase};

/// Run the kept step's next page directly (as the metered transition would, with the step
/// kept in storage before and after); returns the page's bound and the weight it charged.
fn run_kept_page() -> (frame_support::weights::Weight, frame_support::weights::Weight) {
	let epoch = CurrentEpoch::<Test>::get();
	let step = Consumers::load_step().expect("a kept step");
	let bound = Consumers::page_bound(PAGED, epoch, Some(&step));
	let (used, next) = Consumers::run_page(PAGED, epoch, Some(step));
	Consumers::store_step(next.as_ref(), true);
	(bound, used)
}

#[test]
fn an_operator_swapping_all_its_pools_cannot_make_a_sync_page_work_beyond_its_charge() {
	ExtBuilder::default().build_and_execute(|| {
		// Given operator 11, a member of consumer 0 backed by pools 1, 2 and 3 (the most an
		// operator has).
		register_with(1, params(1, 4, 0, 100, 1_000));
		add_operator(PAGED, 11, 500, 0);
		for pool in 1..=MAX_POOLS {
			back(11, PAGED, pool, 100);
		}
		fund(PAGED, 10_000);
		next_epoch();
		assert_eq!(Members::<Test>::get(11, PAGED).map(|m| m.pools.len() as u32), Some(MAX_POOLS));

		// When its curators move every allocation to three other pools (4, 5, 6) for the next
		// epoch, and the step reaches its sync page.
		for pool in 1..=MAX_POOLS {
			back(11, PAGED, pool, 0);
			back(11, PAGED, MAX_POOLS + pool, 100);
		}
		start_epoch_without_pages();
		pages_until(|phase| matches!(phase, StepPhase::Sync { .. }));
		let (bound, used) = run_kept_page();

		// Then the page settled and removed three pool records and created three: six pool
		// records written, and it is charged (and bounded) for six, not three.
		for pool in 1..=MAX_POOLS {
			assert!(!PoolShares::<Test>::contains_key(pool, PAGED));
			assert!(PoolShares::<Test>::contains_key(MAX_POOLS + pool, PAGED));
		}
		let six = <() as WeightInfo>::transition_sync_page(1, 2 * MAX_POOLS);
		assert!(used.all_gte(six), "charged {used:?}, the work is {six:?}");
		assert!(bound.all_gte(used), "bound {bound:?} below the charge {used:?}");
		finish_transition();
	});
}
