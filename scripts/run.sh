#!/usr/bin/env bash
# Sets up a fresh machine, builds palisade-node and runs a development chain on
# ws://127.0.0.1:9944 (one validator, Alice; state in a temporary directory).
# Extra arguments go to the node, e.g. `./scripts/run.sh --chain local --alice`.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ensure_prerequisites
build_node

PORT="${PALISADE_RPC_PORT:-9944}"
log "node: $NODE_BIN"
log "Polkadot.js Apps: https://polkadot.js.org/apps/?rpc=ws%3A%2F%2F127.0.0.1%3A${PORT}#/explorer"
if [ $# -eq 0 ]; then set -- --dev; fi
exec "$NODE_BIN" "$@" --rpc-port "$PORT" --rpc-cors all
