#!/usr/bin/env bash
# The multi-validator journey: spawns the 4-validator local network (zombienet/local.toml,
# native provider) and drives it with e2e/zombienet/journey.mjs: the demo consumer becomes
# Active and restaking_validatorSet is identical on every node; finality continues while one
# validator's process is killed; the killed node catches up after its restart.
# PALISADE_NODE=<binary> runs another build of the node.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_prerequisites
ensure_npm_packages
NODE_BIN="${PALISADE_NODE:-$NODE_BIN}"
[ -x "$NODE_BIN" ] || build_node

# zombienet starts `palisade-node` from PATH.
bindir="$(mktemp -d "${TMPDIR:-/tmp}/palisade-bin.XXXXXX")"
ln -s "$NODE_BIN" "$bindir/palisade-node"
export PATH="$bindir:$PATH"
ZOMBIE="$E2E_DIR/node_modules/.bin/zombienet"
dir="$(mktemp -d "${TMPDIR:-/tmp}/palisade-zombie.XXXXXX")"
rmdir "$dir"

log "zombienet spawn $ROOT/zombienet/local.toml (native provider) in $dir"
start=$(date +%s)
"$ZOMBIE" spawn --provider native --dir "$dir" "$ROOT/zombienet/local.toml" >"$dir.spawn.log" 2>&1 &
zombie_pid=$!
cleanup() {
	# zombienet stops its nodes on SIGINT, but may exit before the last one is gone: stop what
	# is left of this network's nodes (their command lines name its directory) by pid.
	kill -INT "$zombie_pid" 2>/dev/null || true
	wait "$zombie_pid" 2>/dev/null || true
	local pids
	pids="$(pgrep -f -- "--chain $dir/" || true)"
	if [ -n "$pids" ]; then
		kill $pids 2>/dev/null || true
		sleep 5
		pids="$(pgrep -f -- "--chain $dir/" || true)"
		[ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
	fi
	rm -rf "$bindir"
}
trap cleanup EXIT

if ! (cd "$E2E_DIR" && node zombienet/journey.mjs "$dir" 2>&1 | grep -v -e 'multiple versions' \
	-e 'Either remove' -e 'conflicting packages' -e '^	cjs '); then
	log "multi-validator journey failed; zombienet output in $dir.spawn.log, node logs in $dir"
	tail -n 20 "$dir.spawn.log" || true
	exit 1
fi
log "multi-validator journey passed in $(( $(date +%s) - start )) s"
rm -rf "$dir" "$dir.spawn.log"
