#!/usr/bin/env bash
# The multi-chain test: Palisade's 4 validators (zombienet/local.toml, native provider) plus
# the demo consumer chain (3 consumer nodes started by e2e/consumer/multichain.mjs, with the
# consumer keys of //Bob//stash, //Charlie//stash and, once it opts in, //Dave//stash) and the
# relay. Zombienet knows relay chains and parachains, not a second solochain, so the consumer
# nodes are started by the test itself (with the chain spec it builds from Palisade's state).
# PALISADE_NODE / PALISADE_CONSUMER_NODE run other builds.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_prerequisites
ensure_npm_packages
NODE_BIN="${PALISADE_NODE:-$NODE_BIN}"
CONSUMER_NODE_BIN="${PALISADE_CONSUMER_NODE:-$CONSUMER_NODE_BIN}"
{ [ -x "$NODE_BIN" ] && [ -x "$CONSUMER_NODE_BIN" ]; } || build_node

bindir="$(mktemp -d "${TMPDIR:-/tmp}/palisade-bin.XXXXXX")"
ln -s "$NODE_BIN" "$bindir/palisade-node"
export PATH="$bindir:$PATH"
ZOMBIE="$E2E_DIR/node_modules/.bin/zombienet"
dir="$(mktemp -d "${TMPDIR:-/tmp}/palisade-multichain.XXXXXX")"
rmdir "$dir"
work="$dir.consumer"

log "zombienet spawn $ROOT/zombienet/local.toml (native provider) in $dir; consumer chain in $work"
start=$(date +%s)
"$ZOMBIE" spawn --provider native --dir "$dir" "$ROOT/zombienet/local.toml" >"$dir.spawn.log" 2>&1 &
zombie_pid=$!
cleanup() {
	kill -INT "$zombie_pid" 2>/dev/null || true
	wait "$zombie_pid" 2>/dev/null || true
	local pids
	pids="$(pgrep -f -- "--chain $dir/" || true; pgrep -f -- "--chain $work/" || true)"
	if [ -n "$pids" ]; then
		kill $pids 2>/dev/null || true
		sleep 5
		pids="$(pgrep -f -- "--chain $dir/" || true; pgrep -f -- "--chain $work/" || true)"
		[ -z "$pids" ] || kill -9 $pids 2>/dev/null || true
	fi
	rm -rf "$bindir"
}
trap cleanup EXIT

for _ in $(seq 1 600); do [ -f "$dir/zombie.json" ] && break; sleep 1; done
[ -f "$dir/zombie.json" ] || die "zombienet did not start; see $dir.spawn.log"
url="$(node -e "console.log(JSON.parse(require('fs').readFileSync('$dir/zombie.json','utf8')).nodesByName.alice.wsUri)")"
if ! (cd "$E2E_DIR" && PALISADE_CONSUMER_NODE="$CONSUMER_NODE_BIN" node consumer/multichain.mjs "$url" "$work" 2>&1 \
	| grep --line-buffered -v -e 'multiple versions' -e 'Either remove' -e 'conflicting packages' -e '^	cjs '); then
	log "multi-chain test failed; Palisade logs in $dir, consumer logs in $work"
	tail -n 20 "$dir.spawn.log" || true
	for f in "$work"/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -n 30 "$f"; }; done
	exit 1
fi
log "multi-chain test passed in $(( $(date +%s) - start )) s"
cp "$work/multichain-report.json" "${TMPDIR:-/tmp}/palisade-multichain-report.json" 2>/dev/null || true
rm -rf "$dir" "$dir.spawn.log" "$work"
