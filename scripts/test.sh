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

# Every action runs, the issuer drain included (the runtime's call filter closes it); set
# PALISADE_FUZZ_SKIP (e.g. `issuer-drain`, see runtime/src/tests/fuzz/generate.rs) to leave some out.
# The fuzzer is CPU-bound while the end-to-end tests mostly wait for epochs: it is built first,
# then runs on one thread in the background during them (its report is printed when it ends).
fuzz_cmd=(cargo test --locked -p palisade-runtime --features try-runtime fuzz_short)
step "build the call-sequence fuzzer"
(cd "$ROOT" && SKIP_WASM_BUILD=1 "${fuzz_cmd[@]}" --no-run) || die "the fuzzer does not build"
fuzz_log="${TMPDIR:-/tmp}/palisade-fuzz.$$.log"
# Created once the end-to-end, multi-chain and zombienet tests are done (their nodes keep the
# share of the CPU they had): the fuzzer then takes the second core
# (PALISADE_FUZZ_BOOST_THREADS more threads) for the sequences left.
fuzz_boost="${TMPDIR:-/tmp}/palisade-fuzz-boost.$$"
rm -f "$fuzz_boost"
trap 'rm -f "$fuzz_boost"' EXIT
step "call-sequence fuzzer, short run, in the background (${PALISADE_FUZZ_SEQUENCES:-1000} sequences; scripts/fuzz.sh runs the long one; log $fuzz_log)"
(cd "$ROOT" && SKIP_WASM_BUILD=1 PALISADE_FUZZ_SKIP="${PALISADE_FUZZ_SKIP:-}" \
	PALISADE_FUZZ_THREADS="${PALISADE_FUZZ_THREADS:-1}" PALISADE_FUZZ_BOOST_FILE="$fuzz_boost" \
	PALISADE_FUZZ_BOOST_THREADS="${PALISADE_FUZZ_BOOST_THREADS:-1}" "${fuzz_cmd[@]}" -- --nocapture) \
	>"$fuzz_log" 2>&1 &
fuzz_pid=$!

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

# Longest first (measured: native 490 s, restaker 440, operator 300, consumer 290, bad-input
# 260, basket 235, foundation 230, slashing 190, cli 140, trade 80 on an idle machine), so that
# the last file to start is a short one; files not listed run after them.
e2e_files=()
for name in native restaker operator consumer bad-input basket foundation slashing cli trade; do
	[ -f "$E2E_DIR/tests/$name.test.js" ] && e2e_files+=("tests/$name.test.js")
done
for file in "$E2E_DIR"/tests/*.test.js; do
	file="tests/$(basename "$file")"
	[[ " ${e2e_files[*]} " == *" $file "* ]] || e2e_files+=("$file")
done
step "end-to-end tests (node --test, @polkadot/api; each file starts its own dev node; ${#e2e_files[@]} files, ${PALISADE_E2E_CONCURRENCY:-4} at once)"
e2e_ok=1
(cd "$E2E_DIR" && PALISADE_NODE="$NODE_BIN" node --test \
	--test-concurrency="${PALISADE_E2E_CONCURRENCY:-4}" "${e2e_files[@]}") \
	|| e2e_ok=0

if [ -n "$multichain_pid" ]; then
	step "waiting for the multi-chain test"
	multichain_ok=1
	wait "$multichain_pid" || multichain_ok=0
	grep -v -e '│' -e '├' -e '┌' -e '└' "$multichain_log" || true
	[ "$multichain_ok" = 1 ] || { kill "$fuzz_pid" 2>/dev/null; die "multi-chain test failed"; }
fi
[ "$e2e_ok" = 1 ] || { kill "$fuzz_pid" 2>/dev/null; die "end-to-end tests failed"; }

# The zombienet tests run while the fuzzer may still be going.
if [ "${PALISADE_SKIP_ZOMBIENET:-0}" != 1 ]; then
	step "zombienet: 4 validators, every node up, finality growing"
	"$ROOT/scripts/zombienet.sh" || { kill "$fuzz_pid" 2>/dev/null; die "zombienet test failed"; }
	step "zombienet journey: same validator set on every node, finality with a validator down"
	"$ROOT/scripts/zombienet-journey.sh" || { kill "$fuzz_pid" 2>/dev/null; die "zombienet journey failed"; }
fi

touch "$fuzz_boost"
step "waiting for the fuzzer"
fuzz_ok=1
wait "$fuzz_pid" || fuzz_ok=0
rm -f "$fuzz_boost"
if [ "$fuzz_ok" = 1 ]; then
	sed -n '/palisade fuzz report/,$p' "$fuzz_log" | grep -v -e '^  [A-Za-z]' || true
else
	tail -n 300 "$fuzz_log"
	die "the fuzzer found an invariant violation (its seed and calls are printed above)"
fi

step "all tests passed"
