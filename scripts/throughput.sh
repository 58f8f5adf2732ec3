#!/usr/bin/env bash
# Throughput side by side (issue 12): a release-profile dev node's blocks filled with
# `balances.transfer_keep_alive`, then with `restakingPools.deposit` into a native pool and into
# a staked pool, in one run; prints how many of each one block included (and checks that each
# block's staked deposits are bonded by the next block with one bond) and writes
# target-bench/throughput.json.
#
#   scripts/throughput.sh [transfers] [deposits] [staked deposits]
#
# THROUGHPUT_NODE=<path> uses a release node already built without `runtime-benchmarks` (the
# benchmarking node of scripts/benchmark.sh cannot run a chain: its runtime imports the
# benchmarking host functions, which only the `benchmark` subcommand provides). Otherwise the
# release node is built (~40 minutes of both cores from nothing).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_prerequisites
ensure_npm_packages
if [ -z "${THROUGHPUT_NODE:-}" ]; then
	log "cargo build --release -p palisade-node"
	(cd "$ROOT" && cargo build --locked --release -p palisade-node) || die "the release node did not build"
	THROUGHPUT_NODE="$CARGO_TARGET_DIR/release/palisade-node"
fi
[ -x "$THROUGHPUT_NODE" ] || die "no node at $THROUGHPUT_NODE"
log "filling blocks of $THROUGHPUT_NODE"
(cd "$E2E_DIR" && PALISADE_NODE="$THROUGHPUT_NODE" node throughput.mjs "${1:-12000}" "${2:-8000}" "${3:-${2:-8000}}") \
	|| die "the throughput run failed"
