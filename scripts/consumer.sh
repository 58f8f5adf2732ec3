#!/usr/bin/env bash
# The demo consumer chain next to Palisade, in one command:
#   ./scripts/consumer.sh            # uses the Palisade node at ws://127.0.0.1:9944, or starts
#                                    # `palisade-node --dev --tmp` there if none answers
# Builds both nodes if needed, then runs e2e/consumer/demo.mjs: two consumer nodes with the
# keys of the demo operators (//Bob//consumer0, //Charlie//consumer0), the consumer chain's
# genesis taken from Palisade's finalized state, and the relay (Palisade finality and sets to
# the consumer, equivocation evidence back). Ctrl-C stops everything.
# PALISADE_RPC=ws://host:port uses another Palisade node.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_prerequisites
ensure_npm_packages
{ [ -x "$NODE_BIN" ] && [ -x "$CONSUMER_NODE_BIN" ]; } || build_node

url="${PALISADE_RPC:-ws://127.0.0.1:9944}"
palisade_pid=
if ! (cd "$E2E_DIR" && node -e "
	const { WsProvider } = require('@polkadot/api');
	const p = new WsProvider('$url', false);
	p.connect().then(() => setTimeout(() => process.exit(p.isConnected ? 0 : 1), 1000), () => process.exit(1));
	setTimeout(() => process.exit(1), 3000);" 2>/dev/null); then
	[ -z "${PALISADE_RPC:-}" ] || die "no Palisade node answers at $url"
	log "no Palisade node at $url: starting palisade-node --dev --tmp"
	"$NODE_BIN" --dev --tmp --rpc-port 9944 --no-prometheus >"${TMPDIR:-/tmp}/palisade-dev.log" 2>&1 &
	palisade_pid=$!
	trap '[ -n "$palisade_pid" ] && kill "$palisade_pid" 2>/dev/null || true' EXIT
fi
cd "$E2E_DIR" && PALISADE_CONSUMER_NODE="$CONSUMER_NODE_BIN" node consumer/demo.mjs --palisade "$url"
