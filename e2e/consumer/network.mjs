// Launching the demo consumer chain next to a running Palisade: its chain spec is built from
// Palisade's finalized state (the light client starts at Palisade's finalized header and
// GRANDPA set; the genesis authorities are the set Palisade publishes for the consumer now),
// each operator's node gets its consumer key under both key types (`aura` and `gran`, one
// ed25519 key), and the nodes are started on free ports.

import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { encodeAddress } from '@polkadot/util-crypto';
import { spawnNode } from '../lib/node.js';

/** Path of the consumer node: $PALISADE_CONSUMER_NODE, else the default cargo target dir. */
export function consumerBinary() {
  const bin = process.env.PALISADE_CONSUMER_NODE
    ?? resolve(process.env.CARGO_TARGET_DIR ?? `${process.env.HOME}/.cache/palisade/target`,
      'debug/palisade-consumer-node');
  if (!existsSync(bin)) {
    throw new Error(`palisade-consumer-node not found at ${bin}: build it (./scripts/test.sh does)`);
  }
  return bin;
}

/**
 * The genesis of consumer `consumerId` from Palisade's state at its finalized block: returns
 * { spec (chain spec object), palisadeBlock, set } and writes it to `${dir}/consumer-spec.json`.
 * The consumer chain's GRANDPA set 0 is Palisade set `set.setId` (declare it on Palisade with
 * `consumers.setChainAnchor`).
 */
export async function buildConsumerSpec(palisade, { consumerId = 0, dir, sudo, timeoutMs = 300_000 }) {
  // A finalized Palisade block at which the consumer has a set (wait for one).
  const deadline = Date.now() + timeoutMs;
  let hash; let at; let maybeSet;
  for (;;) {
    hash = (await palisade.rpc.chain.getFinalizedHead()).toHex();
    at = await palisade.at(hash);
    maybeSet = await at.query.consumers.validatorSets(consumerId);
    if (maybeSet.isSome) break;
    if (Date.now() > deadline) throw new Error(`consumer ${consumerId} has no validator set on Palisade`);
    await new Promise((r) => setTimeout(r, 1_000));
  }
  const header = await palisade.rpc.chain.getHeader(hash);
  const set = maybeSet.unwrap();
  const authorities = await at.query.grandpa.authorities();
  const palisadeSetId = (await at.query.grandpa.currentSetId()).toNumber();

  const base = JSON.parse(execFileSync(consumerBinary(), ['build-spec', '--chain', 'dev'],
    { stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 }).toString());
  const patch = base.genesis.runtimeGenesis.patch;
  const keys = set.members.map(([, key]) => key.toU8a());
  const ss58 = (bytes) => encodeAddress(bytes, 42);
  patch.aura.authorities = keys.map(ss58);
  patch.grandpa.authorities = keys.map((k) => [ss58(k), 1]);
  if (sudo) patch.sudo.key = sudo;
  const big = [];
  patch.palisadeConsumer.currentSet = {
    epoch: set.epoch.toNumber(),
    set_id: set.setId.toNumber(),
    members: set.members.map(([operator, key, power]) => {
      big.push(power.toString());
      return [operator.toString(), Array.from(key.toU8a()), `__BIG_${big.length - 1}__`];
    }),
  };
  patch.bridgePalisadeGrandpa.owner = patch.sudo.key;
  patch.bridgePalisadeGrandpa.initData = {
    // Digest items as their SCALE hex, as the runtime's serde expects.
    header: {
      ...header.toJSON(),
      number: `0x${header.number.toNumber().toString(16)}`,
      digest: { logs: header.digest.logs.map((l) => l.toHex()) },
    },
    authority_list: authorities.map(([id, weight]) => [ss58(id.toU8a()), weight.toNumber()]),
    set_id: palisadeSetId,
    operating_mode: 'Normal',
  };
  base.name = `Palisade consumer ${consumerId}`;
  base.id = `palisade_consumer_${consumerId}`;
  base.chainType = 'Local';
  base.bootNodes = [];
  let text = JSON.stringify(base, null, 1);
  big.forEach((value, i) => { text = text.replace(`"__BIG_${i}__"`, value); });
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'consumer-spec.json');
  writeFileSync(path, text);
  return {
    path,
    palisadeBlock: { hash, number: header.number.toNumber() },
    set: { setId: set.setId.toNumber(), epoch: set.epoch.toNumber(), keys: keys.map((k) => Buffer.from(k).toString('hex')) },
  };
}

/** Inserts the ed25519 key of `suri` under `aura` and `gran` in the keystore of `basePath`. */
export function insertConsumerKey(specPath, basePath, suri) {
  for (const keyType of ['aura', 'gran']) {
    execFileSync(consumerBinary(), ['key', 'insert', '--base-path', basePath, '--chain', specPath,
      '--scheme', 'ed25519', '--suri', suri, '--key-type', keyType], { stdio: 'ignore' });
  }
}

/** A node key file in `dir` and its peer id. */
export function nodeKey(dir) {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'node-key');
  spawnSync(consumerBinary(), ['key', 'generate-node-key', '--file', file]);
  const out = spawnSync(consumerBinary(), ['key', 'inspect-node-key', '--file', file]);
  const peerId = `${out.stdout}\n${out.stderr}`.split('\n').map((l) => l.trim())
    .filter((l) => l.startsWith('12D3'))[0];
  if (!peerId) throw new Error(`no peer id for ${file}: ${out.stderr}`);
  return { file, peerId };
}

/**
 * Starts a consumer node on `specPath` with its keystore in `basePath` (keys inserted before),
 * as a validator. Returns { proc, port, p2p, logs, name }.
 */
export async function startConsumerNode({ specPath, basePath, name, bootnodes = [], key, logFile }) {
  const node = await spawnNode(consumerBinary(), (p2p) => {
    const args = ['--chain', specPath, '--base-path', basePath, '--validator', '--name', name,
      '--port', String(p2p), '--no-prometheus', '--no-telemetry',
      '--no-mdns', '--rpc-cors', 'all', '--unsafe-force-node-key-generation',
      '--state-pruning', 'archive-canonical', '-lruntime::palisade-consumer=debug'];
    if (key) args.push('--node-key-file', key.file);
    for (const b of bootnodes) args.push('--bootnodes', b);
    return args;
  }, { keepLines: 2000, onData: logFile ? (d) => writeFileSync(logFile, d, { flag: 'a' }) : undefined });
  const { proc, port, p2p, logs } = node;
  return { proc, port, p2p, logs, name, bootnode: key ? `/ip4/127.0.0.1/tcp/${p2p}/p2p/${key.peerId}` : null };
}

export { readFileSync };

/**
 * The demo consumer network next to a running Palisade (`palisade` ApiPromise, endpoint
 * `palisadeUrl`): builds the spec, declares the anchor on Palisade (the consumer's admin
 * signs), starts one node per `operators` entry ({ name, suri }: the operator's consumer key)
 * plus `extra` non-authority nodes with keys (operators that may join later), and returns
 * { spec, nodes, dir }.
 */
export async function launchConsumerNetwork(palisade, { dir, consumerId = 0, admin, sudo, operators, extra = [], send }) {
  const spec = await buildConsumerSpec(palisade, { consumerId, dir });
  if (admin) {
    // The consumer chain's GRANDPA set 0 is this Palisade set: the admin declares it (once;
    // on a dev chain where it was declared before, sudo corrects it as governance).
    const anchor = await palisade.query.consumers.chainAnchors(consumerId);
    if (anchor.isNone || anchor.unwrap().toNumber() !== spec.set.setId) {
      const call = palisade.tx.consumers.setChainAnchor(consumerId, spec.set.setId);
      let r = await send(palisade, call, admin);
      if (r.error === 'consumers.AnchorAlreadySet' && sudo) {
        r = await send(palisade, palisade.tx.sudo.sudo(call), sudo);
      }
      if (r.error) throw new Error(`setChainAnchor refused: ${r.error}`);
    }
  }
  const nodes = [];
  let bootnode = null;
  for (const op of [...operators, ...extra]) {
    const basePath = join(dir, op.name);
    mkdirSync(basePath, { recursive: true });
    insertConsumerKey(spec.path, basePath, op.suri);
    const key = nodeKey(basePath);
    const node = await startConsumerNode({
      specPath: spec.path, basePath, name: op.name, key,
      bootnodes: bootnode ? [bootnode] : [], logFile: join(dir, `${op.name}.log`),
    });
    node.suri = op.suri;
    bootnode = bootnode ?? node.bootnode;
    nodes.push(node);
  }
  return { spec, nodes, dir };
}
