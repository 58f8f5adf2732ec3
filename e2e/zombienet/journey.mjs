// The multi-validator journey, driven against a network spawned by `zombienet spawn` (native
// provider, zombienet/local.toml: alice, bob, charlie, dave from `--chain local`):
//
//   1. the demo consumer becomes Active at the first epoch transition, and
//      restaking_validatorSet answers the same on every node (at a finalized block);
//   2. dave's process is killed: the three others keep producing and finalizing blocks;
//   3. dave is restarted on its own database and catches up (best and finalized), and answers
//      restaking_validatorSet like the others.
//
// Usage: node zombienet/journey.mjs <zombienet dir>   (scripts/zombienet-journey.sh runs it)

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, openSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { WsProvider } from '@polkadot/api';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node zombienet/journey.mjs <zombienet dir>');
const NAMES = ['alice', 'bob', 'charlie', 'dave'];
const CONSUMER = 0;
const t0 = Date.now();
const log = (msg) => console.log(`# [${((Date.now() - t0) / 1000).toFixed(1)} s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) { last = e; }
    await sleep(1_000);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}

async function connect(uri) {
  return until(`a connection to ${uri}`, 120_000, async () => {
    const provider = new WsProvider(uri, false);
    try {
      await provider.connect();
      await until('the socket', 5_000, () => provider.isConnected);
      return provider;
    } catch (e) {
      await provider.disconnect().catch(() => {});
      throw e;
    }
  });
}

const header = (p, hash) => p.send('chain_getHeader', hash ? [hash] : []);
const number = (h) => parseInt(h.number, 16);
const finalized = async (p) => {
  const hash = await p.send('chain_getFinalizedHead', []);
  return { hash, number: number(await header(p, hash)) };
};

/** The palisade-node process zombienet started for `name` in `dir` (pid, argv, cwd, env). */
function nodeProcess(name) {
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let argv;
    try { argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean); } catch { continue; }
    const chain = argv[argv.indexOf('--chain') + 1] ?? '';
    if (argv[0]?.endsWith('palisade-node') && argv.includes('--name') && argv[argv.indexOf('--name') + 1] === name
      && chain.startsWith(`${dir}/${name}/`)) {
      const env = Object.fromEntries(readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean)
        .map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
      return { pid: Number(pid), argv, cwd: readlinkSync(`/proc/${pid}/cwd`), env };
    }
  }
  throw new Error(`no palisade-node process for ${name} under ${dir}`);
}

async function main() {
  await until(`${dir}/zombie.json`, 600_000, () => existsSync(`${dir}/zombie.json`));
  const network = JSON.parse(readFileSync(`${dir}/zombie.json`, 'utf8'));
  const uri = Object.fromEntries(NAMES.map((n) => [n, network.nodesByName[n].wsUri]));
  const rpc = {};
  for (const n of NAMES) rpc[n] = await connect(uri[n]);
  log(`network up: ${NAMES.map((n) => `${n} ${uri[n]}`).join(', ')}`);

  // 1. The demo consumer becomes active; its set is the same on every node.
  const { epochLength } = await rpc.alice.send('restaking_epoch', []);
  const active = await until('the demo consumer to become active', (3 * epochLength * 3 + 120) * 1_000, async () => {
    const set = await rpc.alice.send('restaking_validatorSet', [CONSUMER]);
    return set.active ? set : null;
  });
  log(`demo consumer active at epoch ${active.epoch}, set ${active.setId} of ${active.members.length} members`);
  assert.equal(active.members.length, 2);
  const F = await until('a finalized block with the set', 120_000, async () => {
    const f = await finalized(rpc.alice);
    const set = await rpc.alice.send('restaking_validatorSet', [CONSUMER, f.hash]);
    return set.active ? { ...f, set } : null;
  });
  for (const n of NAMES) {
    await until(`${n} to import block ${F.number}`, 60_000, async () => (await header(rpc[n], F.hash)) !== null);
    const set = await rpc[n].send('restaking_validatorSet', [CONSUMER, F.hash]);
    assert.deepEqual(set, F.set, `${n} answers a different set`);
    const consumer = await rpc[n].send('restaking_consumer', [CONSUMER, F.hash]);
    assert.equal(consumer.status, 'active');
    const best = await rpc[n].send('restaking_validatorSet', [CONSUMER]);
    assert.equal(best.active, true, `${n}: active at its best block`);
  }
  log(`restaking_validatorSet identical on ${NAMES.join(', ')} at finalized #${F.number} (set ${F.set.setId}, hash ${F.set.setHash})`);

  // 2. Kill dave: the others keep finalizing (3 of 4 GRANDPA voters are more than 2/3).
  const dave = nodeProcess('dave');
  await rpc.dave.disconnect();
  process.kill(dave.pid, 'SIGKILL');
  await until('dave to die', 30_000, () => !existsSync(`/proc/${dave.pid}`));
  const killedAt = Date.now();
  const others = NAMES.filter((n) => n !== 'dave');
  const start = Object.fromEntries(await Promise.all(others.map(async (n) => [n, (await finalized(rpc[n])).number])));
  log(`dave (pid ${dave.pid}) killed; finalized: ${others.map((n) => `${n} #${start[n]}`).join(', ')}`);
  for (const n of others) {
    await until(`${n} to finalize 6 more blocks without dave`, 120_000,
      async () => (await finalized(rpc[n])).number >= start[n] + 6);
  }
  const without = Object.fromEntries(await Promise.all(others.map(async (n) => [n, (await finalized(rpc[n])).number])));
  log(`finality continued without dave: ${others.map((n) => `${n} #${start[n]} -> #${without[n]}`).join(', ')} in ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);

  // 3. Restart dave on its database: it catches up and agrees.
  const out = openSync(`${dir}/dave.log`, 'a');
  const child = spawn(dave.argv[0], dave.argv.slice(1), { cwd: dave.cwd, env: dave.env, stdio: ['ignore', out, out] });
  const restartedAt = Date.now();
  try {
    rpc.dave = await connect(uri.dave);
    const target = await finalized(rpc.alice);
    await until('dave to catch up', 180_000, async () => {
      const [f, best, aliceBest] = await Promise.all([finalized(rpc.dave), header(rpc.dave), header(rpc.alice)]);
      return f.number >= target.number && number(best) + 2 >= number(aliceBest);
    });
    const f = await finalized(rpc.dave);
    log(`dave restarted (pid ${child.pid}) and caught up in ${((Date.now() - restartedAt) / 1000).toFixed(1)} s: finalized #${f.number} (alice had #${target.number} at restart)`);
    const F2 = await finalized(rpc.alice);
    await until('dave to import alice\'s finalized head', 60_000, async () => (await header(rpc.dave, F2.hash)) !== null);
    assert.deepEqual(await rpc.dave.send('restaking_validatorSet', [CONSUMER, F2.hash]),
      await rpc.alice.send('restaking_validatorSet', [CONSUMER, F2.hash]));
    log(`dave answers restaking_validatorSet like alice at #${F2.number}`);
    const afterRestart = await finalized(rpc.dave);
    await until('dave to keep finalizing', 60_000, async () => (await finalized(rpc.dave)).number > afterRestart.number);
  } finally {
    for (const p of Object.values(rpc)) await p.disconnect().catch(() => {});
    child.kill('SIGINT');
    await until('the restarted dave to stop', 30_000, () => child.exitCode !== null || child.signalCode !== null)
      .catch(() => child.kill('SIGKILL'));
  }
  log('multi-validator journey passed');
}

main().then(() => process.exit(0), (e) => {
  console.error(`not ok: ${e.stack ?? e}`);
  process.exit(1);
});
