#!/usr/bin/env bash
# The long run of the call-sequence fuzzer (issue 11): random users send random and hostile
# calls to the real runtime (restaking pallets, assets, balances, staking), with random block
# and epoch advances; after every block every pallet's `try_state` and the money-conservation
# checks run. See runtime/src/tests/fuzz.rs.
#
#   scripts/fuzz.sh [sequences] [first-seed]
#
# Defaults: 100,000 sequences from a seed taken from the clock (printed, so a run can be
# repeated). Release build, `try-runtime` feature. Environment knobs passed through:
# PALISADE_FUZZ_STEPS (most steps per sequence), PALISADE_FUZZ_THREADS (default: all cores),
# PALISADE_FUZZ_SKIP (invariants to skip), PALISADE_FUZZ_ROOT_PERCENT (share of failed calls
# whose storage root is compared; 100 here), PALISADE_FUZZ_VERBOSE=1.
# A failing sequence is printed with its seed; replay it alone with
#   scripts/fuzz.sh 1 <seed>
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SEQUENCES="${1:-100000}"
SEED="${2:-$(date +%s)}"
[[ "$SEQUENCES" =~ ^[0-9]+$ ]] || die "sequences must be a number (got '$SEQUENCES')"
[[ "$SEED" =~ ^[0-9]+$ ]] || die "seed must be a number (got '$SEED')"

ensure_rust
export SKIP_WASM_BUILD=1
export PALISADE_FUZZ_SEQUENCES="$SEQUENCES"
export PALISADE_FUZZ_SEED="$SEED"
export PALISADE_FUZZ_THREADS="${PALISADE_FUZZ_THREADS:-$(nproc 2>/dev/null || echo 2)}"
export PALISADE_FUZZ_ROOT_PERCENT="${PALISADE_FUZZ_ROOT_PERCENT:-100}"

log "fuzzing $SEQUENCES sequences from seed $SEED on $PALISADE_FUZZ_THREADS threads (release, try-runtime)"
t0=$(date +%s)
status=0
(cd "$ROOT" && cargo test --release --locked -p palisade-runtime --features try-runtime \
	fuzz_short -- --nocapture --test-threads 1) || status=$?
log "fuzz run took $(( $(date +%s) - t0 )) s (seed $SEED, $SEQUENCES sequences)"
[ "$status" = 0 ] || die "the fuzzer found invariant violations (see the report above; replay: scripts/fuzz.sh 1 <seed>)"
log "no invariant violation"
