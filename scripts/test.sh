#!/usr/bin/env bash
# Sets up a fresh machine and runs every test:
#   1. formatting check;
#   2. Rust unit and runtime tests (pallets with their mocks, runtime tests natively), and
#      every pallet benchmark run once as a test (`--features runtime-benchmarks`);
#   3. end-to-end tests: `--dev --tmp` nodes driven by @polkadot/api under node's test runner
#      (the foundation checks and the five user journeys, e2e/tests/*.test.js), and beside them
#      the multi-chain test (scripts/multichain.sh: Palisade validators under zombienet, the
#      demo consumer chain and the relay);
#   4. the zombienet 4-validator network tests: zombienet/local.zndsl, then the journey
#      (scripts/zombienet-journey.sh) — skip these and the multi-chain test with
#      PALISADE_SKIP_ZOMBIENET=1.
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
(cd "$ROOT" && cargo test --locked --workspace --exclude palisade-node --exclude palisade-consumer-node) \
	|| die "Rust tests failed"

step "cargo test --features runtime-benchmarks (every pallet benchmark runs once as a test)"
(cd "$ROOT" && cargo test --locked --features runtime-benchmarks \
	-p pallet-operators -p pallet-restaking-pools -p pallet-consumers -p pallet-service-slashing -p pallet-basket \
	-p pallet-palisade-consumer) \
	|| die "benchmark tests failed"

step "call-sequence fuzzer, short run (${PALISADE_FUZZ_SEQUENCES:-1000} sequences; scripts/fuzz.sh runs the long one)"
# Every action runs, the issuer drain included (the runtime's call filter closes it); set
# PALISADE_FUZZ_SKIP (e.g. `issuer-drain`, see runtime/src/tests/fuzz/generate.rs) to leave some out.
(cd "$ROOT" && SKIP_WASM_BUILD=1 PALISADE_FUZZ_SKIP="${PALISADE_FUZZ_SKIP:-}" \
	cargo test --locked -p palisade-runtime --features try-runtime fuzz_short -- --nocapture) \
	|| die "the fuzzer found an invariant violation (its seed and calls are printed above)"

# The multi-chain test (Palisade validators under zombienet + the demo consumer chain + the
# relay) mostly waits for epochs: it runs alongside the end-to-end tests, its output kept in a
# file and shown when both are done.
multichain_pid=
multichain_log="${TMPDIR:-/tmp}/palisade-multichain.$$.log"
if [ "${PALISADE_SKIP_ZOMBIENET:-0}" != 1 ]; then
	step "multi-chain test in the background (scripts/multichain.sh, log $multichain_log)"
	"$ROOT/scripts/multichain.sh" >"$multichain_log" 2>&1 &
	multichain_pid=$!
fi

step "end-to-end tests (node --test, @polkadot/api; each file starts its own dev node)"
e2e_ok=1
(cd "$E2E_DIR" && PALISADE_NODE="$NODE_BIN" node --test --test-concurrency="${PALISADE_E2E_CONCURRENCY:-3}" tests/) \
	|| e2e_ok=0

if [ -n "$multichain_pid" ]; then
	step "waiting for the multi-chain test"
	multichain_ok=1
	wait "$multichain_pid" || multichain_ok=0
	grep -v -e '│' -e '├' -e '┌' -e '└' "$multichain_log" || true
	[ "$multichain_ok" = 1 ] || die "multi-chain test failed"
fi
[ "$e2e_ok" = 1 ] || die "end-to-end tests failed"

if [ "${PALISADE_SKIP_ZOMBIENET:-0}" != 1 ]; then
	step "zombienet: 4 validators, every node up, finality growing"
	"$ROOT/scripts/zombienet.sh" || die "zombienet test failed"
	step "zombienet journey: same validator set on every node, finality with a validator down"
	"$ROOT/scripts/zombienet-journey.sh" || die "zombienet journey failed"
fi

step "all tests passed"
