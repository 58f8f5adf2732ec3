// Helpers shared by the end-to-end tests: start a palisade-node, connect @polkadot/api to it
// (with no custom types: what Polkadot.js Apps sees), submit extrinsics and wait for them.

import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';

/** Path of the node binary: $PALISADE_NODE, else the default cargo target dir. */
export function nodeBinary() {
  const bin = process.env.PALISADE_NODE
    ?? resolve(process.env.CARGO_TARGET_DIR ?? `${process.env.HOME}/.cache/palisade/target`, 'debug/palisade-node');
  if (!existsSync(bin)) throw new Error(`palisade-node not found at ${bin}: build it (./scripts/test.sh does)`);
  return bin;
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** The RPC port a node reports once its server listens ("Running JSON-RPC server: addr=…:PORT"). */
const RPC_LINE = /Running JSON-RPC server: addr=127\.0\.0\.1:(\d+)/;

/**
 * Spawns a Substrate node binary with `--rpc-port 0` (the kernel picks a free port, so two nodes
 * started at once, or a zombienet network beside them, can never race for one) and resolves once
 * the node reports the port it listens on. `argsFor(p2p)` builds the arguments around a p2p port
 * from `freePort()`; if that port was taken in between and the node exits before its RPC server
 * runs, it is started again on another (at most 3 tries). Returns { proc, port, p2p, startedAt,
 * logs }; `onData(chunk)` sees all output (for log files).
 */
// A dev node computes its genesis (the demo world, in the runtime's wasm) before it opens its
// RPC: 37 s for an idle debug node here, but several minutes when four e2e nodes start together
// beside the multi-chain test's seven nodes and the fuzzer on two cores (a local run saw four
// nodes miss a 300 s limit that way). The limit only has to catch a node that hangs.
export async function spawnNode(bin, argsFor, { onData, keepLines = 400, timeoutMs = 900_000 } = {}) {
  let lastExit;
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const p2p = await freePort();
    const args = [...argsFor(p2p), '--rpc-port', '0'];
    const startedAt = Date.now();
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const logs = [];
    let port = null;
    let seen = '';
    const keep = (d) => {
      const text = d.toString();
      logs.push(text);
      if (logs.length > keepLines) logs.shift();
      if (port === null) {
        seen = (seen + text).slice(-4096);
        const m = seen.match(RPC_LINE);
        if (m) port = Number(m[1]);
      }
      onData?.(d);
    };
    proc.stdout.on('data', keep);
    proc.stderr.on('data', keep);
    proc.on('exit', (code, signal) => { proc.exited = { code, signal }; });
    const deadline = Date.now() + timeoutMs;
    while (port === null && !proc.exited && Date.now() < deadline) await sleep(50);
    if (port !== null) return { proc, port, p2p, startedAt, logs };
    if (!proc.exited) {
      proc.kill('SIGKILL');
      throw new Error(`${bin} did not start its RPC server in ${timeoutMs} ms:\n${logs.join('')}`);
    }
    lastExit = `exited ${JSON.stringify(proc.exited)} (attempt ${attempt}, p2p port ${p2p}):\n${logs.join('')}`;
    if (!/in use|AddrInUse|Address already/i.test(logs.join(''))) break;
  }
  throw new Error(`${bin} ${lastExit}`);
}

/**
 * Starts `palisade-node --dev --tmp` on free ports. Returns { proc, port, startedAt, logs }.
 * The node's output is kept in memory and printed if the test fails to connect.
 */
export async function startDevNode(extraArgs = []) {
  return spawnNode(nodeBinary(), (p2p) => ['--dev', '--tmp', '--port', String(p2p),
    '--no-prometheus', '--no-telemetry', '--no-mdns', '--rpc-cors', 'all', ...extraArgs]);
}

/** Stops a node started by `startDevNode`. */
export async function stopNode(node) {
  if (!node?.proc || node.proc.exited) return;
  await new Promise((res) => {
    node.proc.once('exit', res);
    node.proc.kill('SIGINT');
    setTimeout(() => { node.proc.kill('SIGKILL'); }, 10_000).unref();
  });
}

/**
 * Connects @polkadot/api to the node (retrying while it starts), with no custom types. The
 * provider is kept as `node.provider` for raw JSON-RPC calls.
 */
export async function connect(node, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  const endpoint = `ws://127.0.0.1:${node.port}`;
  let lastErr;
  while (Date.now() < deadline) {
    if (node.proc.exited) {
      throw new Error(`node exited ${JSON.stringify(node.proc.exited)}:\n${node.logs.join('')}`);
    }
    const provider = new WsProvider(endpoint, false);
    try {
      await provider.connect();
      await waitFor(() => provider.isConnected, 2_000);
      const api = await ApiPromise.create({ provider, throwOnConnect: true, noInitWarn: true });
      await api.isReady;
      node.provider = provider;
      return api;
    } catch (e) {
      lastErr = e;
      await provider.disconnect().catch(() => {});
      await sleep(500);
    }
  }
  throw new Error(`could not connect to ${endpoint}: ${lastErr}\n${node.logs.join('')}`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` until it is truthy or `timeoutMs` passes. */
export async function waitFor(cond, timeoutMs, what = 'condition') {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return;
    await sleep(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * Signs and submits `tx`, resolving once it is in a block with
 * { blockHash, events, dispatchError } (dispatchError decoded as "section.Name" or null).
 */
export function sendAndWait(api, tx, signer) {
  return new Promise((res, rej) => {
    let unsub;
    tx.signAndSend(signer, (result) => {
      const { status, events, dispatchError } = result;
      if (status.isInBlock) {
        let error = null;
        if (dispatchError) {
          if (dispatchError.isModule) {
            const d = api.registry.findMetaError(dispatchError.asModule);
            error = `${d.section}.${d.name}`;
          } else {
            error = dispatchError.toString();
          }
        }
        unsub?.();
        res({ blockHash: status.asInBlock.toHex(), events, dispatchError: error });
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsub?.();
        rej(new Error(`transaction ${status.type}`));
      }
    }).then((u) => { unsub = u; }).catch(rej);
  });
}
