#!/usr/bin/env bash
# Builds palisade-node with `runtime-benchmarks` in the `release` profile (BENCH_PROFILE) and
# regenerates, in one run on this machine, the weights of Palisade's pallets
# (pallets/*/src/weights.rs) and of the frame pallets whose weights the runtime takes from
# runtime/src/weights/ (balances, assets, utility, the transaction extensions) and the base
# weights of a block and of an extrinsic (`benchmark overhead`), then prints every call as a
# multiple of `transfer_keep_alive` (scripts/weights-report.py). A release build of the node
# takes ~40 minutes of both cores from nothing: run it for weights, not in CI.
# Usage: ./scripts/benchmark.sh [pallet_name ... | overhead] (default: all of the above;
# `pallet_palisade_consumer` benchmarks the consumer chain's pallet in the demo consumer
# runtime, with the consumer node).
# BENCH_EXTRINSICS=a,b re-measures only those calls (of the pallets named) and splices them into
# the committed weight files (scripts/splice-weights.py), e.g. after a change to a few calls.
# STEPS / REPEAT env vars tune precision (defaults 20 / 10; REF_REPEAT, default 20, for the
# reference: balances and the transaction extensions); BENCH_NODE=<path> reuses an
# already built benchmarking node; BENCH_ARGS adds arguments (e.g. `--high 20,100` caps the
# component ranges; weights are linear in their components, so the slopes still apply).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_prerequisites
# Weights come from an optimised build (issue 12): the `release` profile unless BENCH_PROFILE
# says otherwise (`dev` reproduces the old debug-node weights, for a quick check only).
PROFILE="${BENCH_PROFILE:-release}"
PROFILE_DIR="$PROFILE"; [ "$PROFILE" = dev ] && PROFILE_DIR=debug
if [ -z "${BENCH_NODE:-}" ]; then
	log "cargo build --profile $PROFILE -p palisade-node --features runtime-benchmarks"
	(cd "$ROOT" && cargo build --locked --profile "$PROFILE" -p palisade-node --features runtime-benchmarks) \
		|| die "the benchmarking node did not build"
	# A feature build overwrites the binary of the same name; keep a copy for the benchmarks.
	cp "$CARGO_TARGET_DIR/$PROFILE_DIR/palisade-node" "$CARGO_TARGET_DIR/palisade-node-bench-$PROFILE"
	BENCH_NODE="$CARGO_TARGET_DIR/palisade-node-bench-$PROFILE"
fi
log "benchmarking with $BENCH_NODE"

STEPS="${STEPS:-20}"
REPEAT="${REPEAT:-10}"
declare -A DIRS=(
	[pallet_operators]=operators
	[pallet_restaking_pools]=restaking-pools
	[pallet_basket]=basket
	[pallet_consumers]=consumers
	[pallet_service_slashing]=service-slashing
)
# The frame pallets whose weights the runtime takes from the same run (runtime/src/weights/),
# so that ratios between any two calls of the runtime are same-machine, same-build.
# frame_system_extensions and pallet_transaction_payment weigh the transaction extensions every
# signed transaction pays on top of its call (nonce, era, fee...), charged per transaction.
FRAME_PALLETS=(pallet_balances pallet_assets pallet_utility frame_system_extensions pallet_transaction_payment)
PALLETS=()
OVERHEAD=0
for p in "$@"; do
	case "$p" in
		pallet_palisade_consumer) CONSUMER_BENCH=1 ;;
		overhead) OVERHEAD=1 ;;
		*) PALLETS+=("$p") ;;
	esac
done
if [ $# -eq 0 ]; then
	PALLETS=(pallet_operators pallet_restaking_pools pallet_basket pallet_consumers pallet_service_slashing "${FRAME_PALLETS[@]}")
	OVERHEAD=1
fi

# The reference every ratio divides by (a transfer, and what every transaction pays on top of
# its call) is cheap to measure: it gets more repeats (REF_REPEAT, default 20) so that its noise
# does not move every ratio.
REF_REPEAT="${REF_REPEAT:-20}"
REFERENCE_PALLETS=(pallet_balances frame_system_extensions pallet_transaction_payment)

# Every generated file says which build and which machine made it.
HEADER="$(mktemp)"
trap 'rm -f "$HEADER"' EXIT
write_header() { # what was run, e.g. "steps 10 x repeat 5"
	{
		echo "// Built by scripts/benchmark.sh: palisade-node, cargo profile \`$PROFILE\`, features \`runtime-benchmarks\`,"
		echo "// $(rustc --version), on $(nproc) cores of \`$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')\`,"
		echo "// $(free -g | awk '/Mem:/{print $2}') GiB RAM; $1."
	} >"$HEADER"
}

OUT="$ROOT/target-bench"
mkdir -p "$OUT"
mkdir -p "$ROOT/runtime/src/weights"
for p in "${PALLETS[@]}"; do
	dir="${DIRS[$p]:-}"
	if [ -n "$dir" ]; then
		output="$ROOT/pallets/$dir/src/weights.rs"
		template=(--template "$ROOT/scripts/frame-weight-template.hbs")
	elif [[ " ${FRAME_PALLETS[*]} " == *" $p "* ]]; then
		# The runtime's own weight file for a frame pallet: the CLI's default template.
		output="$ROOT/runtime/src/weights/$p.rs"
		template=()
	else
		die "unknown pallet $p"
	fi
	if ! "$BENCH_NODE" benchmark pallet --list=pallets --no-csv-header --chain dev 2>/dev/null | tr -d " " | grep -qx "$p"; then
		log "skipping $p: not in the runtime"
		continue
	fi
	# BENCH_EXTRINSICS=a,b re-measures only those calls of the named pallets and splices them
	# into the committed files (scripts/splice-weights.py; the file's header says which).
	extrinsics="${BENCH_EXTRINSICS:-*}"
	target="$output"
	[ "$extrinsics" = '*' ] || output="$OUT/$p.partial.rs"
	repeat="$REPEAT"
	[[ " ${REFERENCE_PALLETS[*]} " == *" $p "* ]] && repeat="$REF_REPEAT"
	write_header "steps $STEPS x repeat $repeat"
	log "benchmark $p: $extrinsics (steps $STEPS, repeat $repeat)"
	"$BENCH_NODE" benchmark pallet --chain dev --pallet "$p" --extrinsic "$extrinsics" \
		--steps "$STEPS" --repeat "$repeat" --wasm-execution compiled ${BENCH_ARGS:-} \
		"${template[@]}" --header "$HEADER" \
		--output "$output" >"$OUT/$p.txt" 2>&1 \
		|| { tail -n 30 "$OUT/$p.txt"; die "benchmarking $p failed"; }
	[ "$extrinsics" = '*' ] || python3 "$ROOT/scripts/splice-weights.py" "$output" "$target" \
		|| die "splicing the re-measured weights of $p failed"
done

# The base weights every block and every extrinsic pay (`overhead`): an empty block, and blocks
# of signed `system.remark`s (signature check, decoding, the transaction extensions' execution,
# a no-op call), per extrinsic. Written as runtime/src/weights/{block,extrinsic}_weights.rs with
# frame-support's paths (the CLI's template names sp-core and sp-weights, which the runtime
# does not depend on directly).
if [ "$OVERHEAD" = 1 ]; then
	write_header "\`benchmark overhead\` (the CLI's warm-ups and repeats)"
	overhead_dir="$(mktemp -d)"
	log "benchmark overhead: an empty block, and blocks of signed system.remark"
	"$BENCH_NODE" benchmark overhead --chain dev --weight-path "$overhead_dir" --header "$HEADER" \
		>"$OUT/overhead.txt" 2>&1 || { tail -n 30 "$OUT/overhead.txt"; die "benchmark overhead failed"; }
	for f in block_weights extrinsic_weights; do
		[ -f "$overhead_dir/$f.rs" ] || die "benchmark overhead wrote no $f.rs"
		sed -e 's/^use sp_core::parameter_types;/use frame_support::parameter_types;/' \
			-e 's/sp_weights::/frame_support::weights::/g' \
			"$overhead_dir/$f.rs" >"$ROOT/runtime/src/weights/$f.rs"
	done
	rm -rf "$overhead_dir"
fi

# The consumer chain's pallet runs in the demo consumer runtime: benchmark it with the consumer
# node (CONSUMER_BENCH=1, or by naming pallet_palisade_consumer), with its own reference
# transfer in the consumer runtime.
if [ "${CONSUMER_BENCH:-0}" = 1 ]; then
	if [ -z "${CONSUMER_BENCH_NODE:-}" ]; then
		log "cargo build --profile $PROFILE -p palisade-consumer-node --features runtime-benchmarks"
		(cd "$ROOT" && cargo build --locked --profile "$PROFILE" -p palisade-consumer-node --features runtime-benchmarks) \
			|| die "the benchmarking consumer node did not build"
		cp "$CARGO_TARGET_DIR/$PROFILE_DIR/palisade-consumer-node" "$CARGO_TARGET_DIR/palisade-consumer-node-bench-$PROFILE"
		CONSUMER_BENCH_NODE="$CARGO_TARGET_DIR/palisade-consumer-node-bench-$PROFILE"
	fi
	write_header "steps $STEPS x repeat $REPEAT"
	log "benchmark pallet_palisade_consumer (consumer runtime, steps $STEPS, repeat $REPEAT)"
	"$CONSUMER_BENCH_NODE" benchmark pallet --chain dev --pallet pallet_palisade_consumer --extrinsic '*' \
		--steps "$STEPS" --repeat "$REPEAT" --wasm-execution compiled ${BENCH_ARGS:-} \
		--template "$ROOT/scripts/frame-weight-template.hbs" --header "$HEADER" \
		--output "$ROOT/pallets/consumer/src/weights.rs" >"$OUT/pallet_palisade_consumer.txt" 2>&1 \
		|| { tail -n 30 "$OUT/pallet_palisade_consumer.txt"; die "benchmarking pallet_palisade_consumer failed"; }
	"$CONSUMER_BENCH_NODE" benchmark pallet --chain dev --pallet pallet_balances --extrinsic transfer_keep_alive \
		--steps "$STEPS" --repeat "$REPEAT" --wasm-execution compiled \
		--template "$ROOT/scripts/frame-weight-template.hbs" \
		--output "$OUT/consumer_pallet_balances_weights.rs" >"$OUT/consumer_pallet_balances.txt" 2>&1 \
		|| die "benchmarking the consumer runtime's pallet_balances failed"
fi

# The report reads the committed weight files only (runtime/src/weights/pallet_balances.rs is
# the reference), so it also works from a fresh clone: python3 scripts/weights-report.py
python3 "$ROOT/scripts/weights-report.py" "$ROOT" | tee "$OUT/report.md"
