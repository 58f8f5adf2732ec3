#!/usr/bin/env bash
# Builds palisade-node with `runtime-benchmarks` and regenerates the weights of Palisade's
# pallets (pallets/*/src/weights.rs) with `palisade-node benchmark pallet`, plus a reference
# run of `pallet_balances::transfer_keep_alive` so the pallets' weights can be compared with a
# plain transfer. Usage: ./scripts/benchmark.sh [pallet_name ...] (default: Palisade's four;
# `pallet_palisade_consumer` benchmarks the consumer chain's pallet in the demo consumer
# runtime, with the consumer node).
# STEPS / REPEAT env vars tune precision (defaults 20 / 10); BENCH_NODE=<path> reuses an
# already built benchmarking node; BENCH_ARGS adds arguments (e.g. `--high 20,100` caps the
# component ranges; weights are linear in their components, so the slopes still apply).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_prerequisites
if [ -z "${BENCH_NODE:-}" ]; then
	log "cargo build -p palisade-node --features runtime-benchmarks"
	(cd "$ROOT" && cargo build --locked -p palisade-node --features runtime-benchmarks) \
		|| die "the benchmarking node did not build"
	# The feature build overwrites the binary of the same name; keep a copy for the benchmarks
	# and rebuild the ordinary node afterwards (`./scripts/run.sh` or `./scripts/test.sh`).
	cp "$CARGO_TARGET_DIR/debug/palisade-node" "$CARGO_TARGET_DIR/palisade-node-bench"
	BENCH_NODE="$CARGO_TARGET_DIR/palisade-node-bench"
fi
log "benchmarking with $BENCH_NODE"

STEPS="${STEPS:-20}"
REPEAT="${REPEAT:-10}"
declare -A DIRS=(
	[pallet_operators]=operators
	[pallet_restaking_pools]=restaking-pools
	[pallet_consumers]=consumers
	[pallet_service_slashing]=service-slashing
)
PALLETS=()
for p in "$@"; do
	if [ "$p" = pallet_palisade_consumer ]; then CONSUMER_BENCH=1; else PALLETS+=("$p"); fi
done
[ $# -gt 0 ] || PALLETS=(pallet_operators pallet_restaking_pools pallet_consumers pallet_service_slashing)

OUT="$ROOT/target-bench"
mkdir -p "$OUT"
for p in "${PALLETS[@]}"; do
	dir="${DIRS[$p]:-}"
	[ -n "$dir" ] || die "unknown pallet $p"
	if ! "$BENCH_NODE" benchmark pallet --list=pallets --no-csv-header --chain dev 2>/dev/null | tr -d " " | grep -qx "$p"; then
		log "skipping $p: not in the runtime"
		continue
	fi
	log "benchmark $p (steps $STEPS, repeat $REPEAT)"
	"$BENCH_NODE" benchmark pallet --chain dev --pallet "$p" --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" --wasm-execution compiled ${BENCH_ARGS:-} \
		--template "$ROOT/scripts/frame-weight-template.hbs" \
		--output "$ROOT/pallets/$dir/src/weights.rs" >"$OUT/$p.txt" 2>&1 \
		|| { tail -n 30 "$OUT/$p.txt"; die "benchmarking $p failed"; }
done

# The consumer chain's pallet runs in the demo consumer runtime: benchmark it with the consumer
# node (CONSUMER_BENCH=1, or by naming pallet_palisade_consumer), with its own reference
# transfer in the consumer runtime.
if [ "${CONSUMER_BENCH:-0}" = 1 ]; then
	if [ -z "${CONSUMER_BENCH_NODE:-}" ]; then
		log "cargo build -p palisade-consumer-node --features runtime-benchmarks"
		(cd "$ROOT" && cargo build --locked -p palisade-consumer-node --features runtime-benchmarks) \
			|| die "the benchmarking consumer node did not build"
		cp "$CARGO_TARGET_DIR/debug/palisade-consumer-node" "$CARGO_TARGET_DIR/palisade-consumer-node-bench"
		CONSUMER_BENCH_NODE="$CARGO_TARGET_DIR/palisade-consumer-node-bench"
	fi
	log "benchmark pallet_palisade_consumer (consumer runtime, steps $STEPS, repeat $REPEAT)"
	"$CONSUMER_BENCH_NODE" benchmark pallet --chain dev --pallet pallet_palisade_consumer --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" --wasm-execution compiled ${BENCH_ARGS:-} \
		--template "$ROOT/scripts/frame-weight-template.hbs" \
		--output "$ROOT/pallets/consumer/src/weights.rs" >"$OUT/pallet_palisade_consumer.txt" 2>&1 \
		|| { tail -n 30 "$OUT/pallet_palisade_consumer.txt"; die "benchmarking pallet_palisade_consumer failed"; }
	"$CONSUMER_BENCH_NODE" benchmark pallet --chain dev --pallet pallet_balances --extrinsic transfer_keep_alive \
		--steps "$STEPS" --repeat "$REPEAT" --wasm-execution compiled \
		--template "$ROOT/scripts/frame-weight-template.hbs" \
		--output "$OUT/consumer_pallet_balances_weights.rs" >"$OUT/consumer_pallet_balances.txt" 2>&1 \
		|| die "benchmarking the consumer runtime's pallet_balances failed"
fi

log "reference: pallet_balances::transfer_keep_alive"
"$BENCH_NODE" benchmark pallet --chain dev --pallet pallet_balances --extrinsic transfer_keep_alive \
	--steps "$STEPS" --repeat "$REPEAT" --wasm-execution compiled \
	--template "$ROOT/scripts/frame-weight-template.hbs" \
	--output "$OUT/pallet_balances_weights.rs" >"$OUT/pallet_balances.txt" 2>&1 \
	|| die "benchmarking pallet_balances failed"
python3 "$ROOT/scripts/weights-report.py" "$ROOT" | tee "$OUT/report.md"
