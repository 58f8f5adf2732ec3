#!/usr/bin/env bash
# Shared by every script: paths, logging, and `ensure_prerequisites`, which installs what a
# fresh machine lacks (Debian packages, Rust targets/components, npm packages) and stops with
# a clear message when something cannot be installed.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Build cache outside the clone, so CI runs and fresh clones reuse compiled dependencies.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/palisade/target}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
NODE_BIN="$CARGO_TARGET_DIR/debug/palisade-node"
# The demo consumer chain's node (consumer/node), built with the Palisade node by `build_node`.
export CONSUMER_NODE_BIN="$CARGO_TARGET_DIR/debug/palisade-consumer-node"
E2E_DIR="$ROOT/e2e"

log() { printf '\033[1m[palisade]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[palisade] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs a command as root (directly when we are root, via sudo otherwise).
as_root() {
	if [ "$(id -u)" = 0 ]; then "$@";
	elif command -v sudo >/dev/null 2>&1; then sudo "$@";
	else die "need root to run: $* (install it by hand or run as root)"; fi
}

APT_UPDATED=0
apt_install() {
	command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install $* by hand"
	if [ "$APT_UPDATED" = 0 ]; then
		log "apt-get update"
		as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq \
			|| die "apt-get update failed: cannot reach the Debian package registry"
		APT_UPDATED=1
	fi
	log "apt-get install $*"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
		|| die "could not install Debian packages: $*"
}

ensure_system_packages() {
	local missing=()
	command -v mold >/dev/null 2>&1 || missing+=(mold)
	command -v clang >/dev/null 2>&1 || missing+=(clang)
	command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
	command -v curl >/dev/null 2>&1 || missing+=(curl)
	command -v git >/dev/null 2>&1 || missing+=(git)
	command -v node >/dev/null 2>&1 || missing+=(nodejs)
	command -v npm >/dev/null 2>&1 || missing+=(npm)
	if [ ${#missing[@]} -gt 0 ]; then apt_install "${missing[@]}"; fi
	local major
	major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
	[ "$major" -ge 18 ] || die "Node.js >= 18 is required for the end-to-end tests (found $(node --version 2>/dev/null || echo none))"
}

ensure_rust() {
	if ! command -v cargo >/dev/null 2>&1; then
		[ -x "$HOME/.cargo/bin/cargo" ] && export PATH="$HOME/.cargo/bin:$PATH"
	fi
	command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup (https://rustup.rs) first"
	if command -v rustup >/dev/null 2>&1; then
		local targets
		targets="$(rustup target list --installed 2>/dev/null || true)"
		for t in wasm32v1-none wasm32-unknown-unknown; do
			if ! grep -qx "$t" <<<"$targets"; then
				log "rustup target add $t"
				rustup target add "$t" >/dev/null || die "could not install the Rust target $t"
			fi
		done
		if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
			log "rustup component add rust-src"
			rustup component add rust-src >/dev/null || die "could not install the rust-src component"
		fi
	else
		log "rustup not found; assuming the wasm targets and rust-src are installed"
	fi
}

ensure_npm_packages() {
	if [ ! -f "$E2E_DIR/node_modules/.palisade-installed" ] \
		|| [ "$E2E_DIR/package.json" -nt "$E2E_DIR/node_modules/.palisade-installed" ] \
		|| [ "$E2E_DIR/package-lock.json" -nt "$E2E_DIR/node_modules/.palisade-installed" ]; then
		log "npm ci (e2e: @polkadot/api, @zombienet/cli)"
		(cd "$E2E_DIR" && npm ci --prefer-offline --no-audit --no-fund --loglevel=error >/dev/null) \
			|| die "npm could not install the e2e packages from the npm registry"
		touch "$E2E_DIR/node_modules/.palisade-installed"
	fi
}

ensure_prerequisites() {
	ensure_system_packages
	ensure_rust
}

# Builds the Palisade node and the demo consumer chain's node in one cargo invocation (debug
# profile, shared target dir and dependency builds; each runtime wasm is always built
# optimised).
build_node() {
	log "cargo build -p palisade-node -p palisade-consumer-node (target dir: $CARGO_TARGET_DIR)"
	(cd "$ROOT" && cargo build --locked -p palisade-node -p palisade-consumer-node) \
		|| die "the nodes did not build"
}
