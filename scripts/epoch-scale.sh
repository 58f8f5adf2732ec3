#!/usr/bin/env bash
# The epoch transition at scale: worlds of consumers × operators × pools built in the real
# runtime (native test externalities, every restaking hook of every block), and for each the
# weight and blocks the epoch transition takes when nothing changed and when every stake changed
# (every operator bonds extra, every pool gets a deposit), also as a fraction of a block and of a
# staging epoch. Prints a Markdown table and writes target-bench/epoch-scale.json. Report only:
# it fails only if a transition does not finish. See runtime/src/tests/epoch_scale.rs.
#
#   scripts/epoch-scale.sh [worlds]
#
# worlds: CONSUMERSxOPERATORSxPOOLS, comma-separated (default: 10x100x100,100x200x1000,
# 1000x200x1000; also PALISADE_SCALE_WORLDS). Release build (the first one compiles the runtime
# tests in release: ~15-25 minutes on two cores); EPOCH_SCALE_PROFILE=debug uses the debug
# build instead (fine for the smallest world).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export PALISADE_SCALE_WORLDS="${1:-${PALISADE_SCALE_WORLDS:-10x100x100,100x200x1000,1000x200x1000}}"
[[ "$PALISADE_SCALE_WORLDS" =~ ^[0-9_]+[xX][0-9_]+[xX][0-9_]+(,[0-9_]+[xX][0-9_]+[xX][0-9_]+)*$ ]] \
	|| die "worlds must be CONSUMERSxOPERATORSxPOOLS[,...] (got '$PALISADE_SCALE_WORLDS')"
case "${EPOCH_SCALE_PROFILE:-release}" in
	release) PROFILE=(--release) ;;
	debug) PROFILE=() ;;
	*) die "EPOCH_SCALE_PROFILE must be release or debug (got '$EPOCH_SCALE_PROFILE')" ;;
esac

ensure_rust
export SKIP_WASM_BUILD=1

log "epoch transition at scale: $PALISADE_SCALE_WORLDS (${EPOCH_SCALE_PROFILE:-release} build)"
t0=$(date +%s)
(cd "$ROOT" && cargo test "${PROFILE[@]}" --locked -p palisade-runtime --lib \
	tests::epoch_scale::epoch_scale_report -- --ignored --exact --nocapture --test-threads 1) \
	|| die "the scale run failed (a transition did not finish, or the world could not be built)"
log "scale run took $(( $(date +%s) - t0 )) s; JSON in $ROOT/target-bench/epoch-scale.json"
