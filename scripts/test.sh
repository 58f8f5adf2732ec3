#!/usr/bin/env bash
# Sets up a fresh machine and runs every test:
#   1. formatting check;
#   2. Rust unit and runtime tests (pallets with their mocks, runtime tests natively), and
#      every pallet benchmark run once as a test (`--features runtime-benchmarks`);
#   3. end-to-end tests: `--dev --tmp` nodes driven by @polkadot/api under node's test runner
#      (the foundation checks and the five user journeys, e2e/tests/*.test.js);
#   4. the zombienet 4-validator network tests: zombienet/local.zndsl, then the journey
#      (scripts/zombienet-journey.sh) — skip both with PALISADE_SKIP_ZOMBIENET=1.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

t0=$(date +%s)
step() { log "[$(( $(date +%s) - t0 )) s] $*"; }

ensure_prerequisites
ensure_npm_packages

step "cargo fmt --check"
(cd "$ROOT" && cargo fmt --all -- --check) || die "code is not formatted: run \`cargo fmt --all\`"

step "build the node (and the runtime wasm)"
build_node

step "cargo test (pallets, primitives, runtime)"
(cd "$ROOT" && cargo test --locked --workspace --exclude palisade-node) || die "Rust tests failed"

step "cargo test --features runtime-benchmarks (every pallet benchmark runs once as a test)"
(cd "$ROOT" && cargo test --locked --features runtime-benchmarks \
	-p pallet-operators -p pallet-restaking-pools -p pallet-consumers -p pallet-service-slashing \
	-p pallet-palisade-consumer) \
	|| die "benchmark tests failed"

step "call-sequence fuzzer, short run (${PALISADE_FUZZ_SEQUENCES:-1000} sequences; scripts/fuzz.sh runs the long one)"
# Every action runs, the issuer drain included (the runtime's call filter closes it); set
# PALISADE_FUZZ_SKIP (e.g. `issuer-drain`, see runtime/src/tests/fuzz/generate.rs) to leave some out.
(cd "$ROOT" && SKIP_WASM_BUILD=1 PALISADE_FUZZ_SKIP="${PALISADE_FUZZ_SKIP:-}" \
	cargo test --locked -p palisade-runtime --features try-runtime fuzz_short -- --nocapture) \
	|| die "the fuzzer found an invariant violation (its seed and calls are printed above)"

step "end-to-end tests (node --test, @polkadot/api; each file starts its own dev node)"
(cd "$E2E_DIR" && PALISADE_NODE="$NODE_BIN" node --test --test-concurrency="${PALISADE_E2E_CONCURRENCY:-3}" tests/) \
	|| die "end-to-end tests failed"

if [ "${PALISADE_SKIP_ZOMBIENET:-0}" != 1 ]; then
	step "zombienet: 4 validators, every node up, finality growing"
	"$ROOT/scripts/zombienet.sh" || die "zombienet test failed"
	step "zombienet journey: same validator set on every node, finality with a validator down"
	"$ROOT/scripts/zombienet-journey.sh" || die "zombienet journey failed"
fi

step "all tests passed"
