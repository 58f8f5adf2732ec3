#!/usr/bin/env bash
# Runs the 4-validator local network (zombienet/local.toml, native provider) and its test
# (zombienet/local.zndsl): all nodes up, finalized height keeps growing on every node.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_prerequisites
ensure_npm_packages
[ -x "$NODE_BIN" ] || build_node

export PATH="$(dirname "$NODE_BIN"):$PATH"
ZOMBIE="$E2E_DIR/node_modules/.bin/zombienet"
SPEC="${1:-$ROOT/zombienet/local.zndsl}"
log "zombienet test $SPEC (native provider)"
start=$(date +%s)
# zombienet keeps its network under a temp dir; --dir makes it easy to find on failure.
dir="$(mktemp -d "${TMPDIR:-/tmp}/palisade-zombie.XXXXXX")"
rmdir "$dir"
if ! "$ZOMBIE" test --provider native --dir "$dir" "$SPEC"; then
	log "zombienet failed; node logs are in $dir"
	tail -n 40 "$dir"/*.log 2>/dev/null || true
	exit 1
fi
log "zombienet passed in $(( $(date +%s) - start )) s"
rm -rf "$dir"
