// Throughput side by side (issue 12): fills the blocks of a dev node with
// `balances.transferKeepAlive`, then with `restakingPools.deposit` into a native pool, then
// into a staked pool (`NativeStaked`), and reports how many of each one block included, next
// to the weights the runtime charges (`payment_queryInfo`). For the staked pool it also checks
// that the start of the next block bonded each block's deposits with one bond
// (`PendingStakeBonded`, the staking ledger). Run it through scripts/throughput.sh, which
// builds (or reuses) a release-profile node and passes it as PALISADE_NODE.
//
//   node throughput.mjs [transfers] [deposits] [staked deposits]
//
// Each kind comes from its own dev account (transfers //Alice, native deposits //Charlie, staked
// deposits //Dave) with consecutive nonces and an immortal era, so the pool holds them as ready
// and no kind's nonces meet another's; they are signed first, then submitted in batches of
// SUBMIT_BATCH concurrent `author_submitExtrinsic` calls, pausing while the pool holds
// POOL_HIGH or more: the node validates every submission on the same cores that author the
// blocks, and a pool flooded far beyond what the next blocks can take dropped a third of a
// 12,000-transaction burst in the first runs. Every accepted transaction must be included.
// Each block's line gives its normal-class weight as a share of the class's limit: 100% means
// the weight closed the block, less means the pool had not validated more in time.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDevNode, stopNode, connect, sleep, waitFor } from './lib/node.js';
import { devAccounts, submit, expectEvent, PAL } from './lib/restaking.js';

const here = dirname(fileURLToPath(import.meta.url));
const TRANSFERS = Number(process.argv[2] ?? 12_000);
const DEPOSITS = Number(process.argv[3] ?? 8_000);
const STAKED_DEPOSITS = Number(process.argv[4] ?? DEPOSITS);
const SUBMIT_BATCH = Number(process.env.SUBMIT_BATCH ?? 256);
// About three blocks of transfers; the node's pool limits below are far above it.
const POOL_HIGH = Number(process.env.POOL_HIGH ?? 9_000);

function log(...args) { console.log('[throughput]', ...args); }
/** The normal class's block limit in ms of ref time, read from the chain in `main`. */
let normalMaxMs = 1;

/** Signs `count` calls made by `make(i)` from `signer`, nonces from `firstNonce`. */
async function signAll(api, signer, firstNonce, count, make) {
  const out = [];
  const t0 = Date.now();
  for (let i = 0; i < count; i += 1) {
    const tx = make(i);
    await tx.signAsync(signer, { nonce: firstNonce + i, era: 0 });
    out.push(tx.toHex());
  }
  log(`signed ${count} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return out;
}

/** Submits the signed extrinsics in batches; returns how many the pool accepted. */
async function submitAll(api, signed) {
  let accepted = 0;
  let rejected = 0;
  const t0 = Date.now();
  for (let i = 0; i < signed.length; i += SUBMIT_BATCH) {
    // Keep the pool fed (about three blocks' worth) but not flooded.
    while ((await api.rpc.author.pendingExtrinsics()).length >= POOL_HIGH) await sleep(200);
    const batch = signed.slice(i, i + SUBMIT_BATCH);
    const results = await Promise.allSettled(batch.map((x) => api.rpc.author.submitExtrinsic(x)));
    for (const r of results) {
      if (r.status === 'fulfilled') accepted += 1;
      else {
        rejected += 1;
        if (rejected <= 3) log(`rejected: ${r.reason?.message ?? r.reason}`);
      }
    }
  }
  log(`submitted ${accepted} (rejected ${rejected}) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return accepted;
}

/**
 * Watches new blocks until `expected` extrinsics of `section.method` are included (or the
 * pool stops including them); returns per-block counts of that call.
 */
async function countPerBlock(api, section, method, expected, timeoutMs, from) {
  const counts = [];
  let included = 0;
  let idle = 0;
  const deadline = Date.now() + timeoutMs;
  // Blocks are authored while the batches are still being submitted: count from the block
  // before the first submission.
  let last = from;
  while (included < expected && Date.now() < deadline && idle < 5) {
    await sleep(500);
    const head = (await api.rpc.chain.getHeader()).number.toNumber();
    for (let n = last + 1; n <= head; n += 1) {
      const hash = await api.rpc.chain.getBlockHash(n);
      const block = await api.rpc.chain.getBlock(hash);
      const count = block.block.extrinsics
        .filter((x) => x.method.section === section && x.method.method === method).length;
      const weight = (await api.query.system.blockWeight.at(hash)).normal.refTime.toBigInt();
      counts.push({ block: n, count, normalRefTimeMs: Number(weight / 1_000_000n) / 1_000 });
      included += count;
      idle = count === 0 && included > 0 ? idle + 1 : 0;
      const ms = Number(weight / 1_000_000n) / 1_000;
      log(`#${n}: ${count} ${section}.${method} (normal weight ${ms} ms, ${(100 * ms / normalMaxMs).toFixed(1)}% of the class's limit)`);
    }
    last = head;
  }
  return { counts, included };
}

async function main() {
  const node = await startDevNode(['--pool-limit', '100000', '--pool-kbytes', '1000000',
    '--rpc-max-connections', '1000', '--rpc-max-request-size', '64', '--rpc-max-response-size', '64']);
  const report = { node: process.env.PALISADE_NODE ?? '(default)', date: new Date().toISOString() };
  try {
    const api = await connect(node);
    const { alice, bob, charlie, dave } = devAccounts();
    const maxBlock = api.consts.system.blockWeights.maxBlock.refTime.toBigInt();
    const normalMax = api.consts.system.blockWeights.perClass.normal.maxTotal.unwrap().refTime.toBigInt();
    report.maxBlockRefTimeMs = Number(maxBlock / 1_000_000n) / 1_000;
    report.normalMaxRefTimeMs = Number(normalMax / 1_000_000n) / 1_000;
    normalMaxMs = report.normalMaxRefTimeMs;

    // A native pool with no cap to speak of, created by Alice.
    const created = await submit(api, api.tx.restakingPools.createPool('Native', 'throughput', PAL(1_000_000_000)), alice, 'create_pool');
    const pool = expectEvent(created.events, 'restakingPools', 'PoolCreated').data.pool.toNumber();
    const minDeposit = api.consts.restakingPools.minDeposit.toBigInt();
    await submit(api, api.tx.restakingPools.deposit(pool, minDeposit * 10n), alice, 'first deposit');
    // A staked pool (its PAL bonded in NPoS staking), likewise.
    const createdStaked = await submit(api, api.tx.restakingPools.createPool('NativeStaked', 'throughput staked', PAL(1_000_000_000)), alice, 'create_pool staked');
    const staked = expectEvent(createdStaked.events, 'restakingPools', 'PoolCreated').data.pool.toNumber();
    const stash = (await api.query.restakingPools.pools(staked)).unwrap().account.toString();
    await submit(api, api.tx.restakingPools.deposit(staked, minDeposit * 10n), alice, 'first staked deposit');

    const transfer = api.tx.balances.transferKeepAlive(bob.address, PAL(1));
    const deposit = api.tx.restakingPools.deposit(pool, minDeposit);
    // `paymentInfo` is what wallets (Polkadot.js Apps) use: the runtime's
    // `TransactionPaymentApi_query_info` on the encoded extrinsic.
    // It returns the call's and the extensions' weight (`DispatchInfo::total_weight`); a block
    // adds the extrinsic base to each.
    const weightOf = async (tx) => (await tx.paymentInfo(alice)).weight.refTime.toBigInt();
    const base = api.consts.system.blockWeights.perClass.normal.baseExtrinsic.refTime.toBigInt();
    const us = (w) => Number(w) / 1e6;
    const charged = {
      transfer: await weightOf(transfer),
      deposit: await weightOf(deposit),
      depositStaked: await weightOf(api.tx.restakingPools.deposit(staked, minDeposit)),
    };
    report.baseExtrinsicUs = us(base);
    report.transferWeightUs = us(charged.transfer);
    report.depositWeightUs = us(charged.deposit);
    report.depositStakedWeightUs = us(charged.depositStaked);
    const inBlock = (w) => us(w + base);
    const times = (w) => (Number(w + base) / Number(charged.transfer + base)).toFixed(2);
    log(`payment_queryInfo (call + extensions): transfer ${report.transferWeightUs} µs, deposit ${report.depositWeightUs} µs, staked deposit ${report.depositStakedWeightUs} µs`);
    log(`in a block (+ base ${report.baseExtrinsicUs} µs): transfer ${inBlock(charged.transfer)} µs, deposit ${inBlock(charged.deposit)} µs (${times(charged.deposit)}x), staked deposit ${inBlock(charged.depositStaked)} µs (${times(charged.depositStaked)}x)`);

    for (const [name, count, signer, make, section, method] of [
      ['transferKeepAlive', TRANSFERS, alice, () => api.tx.balances.transferKeepAlive(bob.address, PAL(1)), 'balances', 'transferKeepAlive'],
      ['deposit', DEPOSITS, charlie, () => api.tx.restakingPools.deposit(pool, minDeposit), 'restakingPools', 'deposit'],
      ['depositStaked', STAKED_DEPOSITS, dave, () => api.tx.restakingPools.deposit(staked, minDeposit), 'restakingPools', 'deposit'],
    ]) {
      const nonce = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
      const signed = await signAll(api, signer, nonce, count, make);
      const from = (await api.rpc.chain.getHeader()).number.toNumber();
      const accepted = await submitAll(api, signed);
      log(`${(await api.rpc.author.pendingExtrinsics()).length} in the pool after submission`);
      const { counts, included } = await countPerBlock(api, section, method, accepted, 600_000, from);
      const best = counts.reduce((m, c) => Math.max(m, c.count), 0);
      // A block is full when a later block still included some: the best of those.
      const full = counts.filter((c, i) => counts.slice(i + 1).some((d) => d.count > 0));
      const perFullBlock = full.reduce((m, c) => Math.max(m, c.count), 0);
      report[name] = { submitted: count, accepted, included, bestBlock: best, perFullBlock, blocks: counts };
      log(`${name}: ${included} included over ${counts.filter((c) => c.count > 0).length} blocks; at most ${best} in one block (${perFullBlock} in the fullest block the pool had more for)`);
      if (included !== accepted) throw new Error(`${name}: the pool accepted ${accepted} but the chain included ${included}`);
      await waitFor(async () => (await api.rpc.author.pendingExtrinsics()).length === 0, 120_000, 'an empty pool');
    }
    report.ratio = report.transferKeepAlive.bestBlock / Math.max(1, report.deposit.bestBlock);
    report.ratioStaked = report.transferKeepAlive.bestBlock / Math.max(1, report.depositStaked.bestBlock);
    log(`per block: ${report.transferKeepAlive.bestBlock} transfers, ${report.deposit.bestBlock} native deposits (${report.ratio.toFixed(2)}x), ${report.depositStaked.bestBlock} staked deposits (${report.ratioStaked.toFixed(2)}x)`);

    // Each block of staked deposits was bonded by the start of the next one, with one bond:
    // the block after the fullest one bonds exactly its deposits.
    const fullest = report.depositStaked.blocks.reduce((m, c) => (c.count > m.count ? c : m));
    const nextHash = await api.rpc.chain.getBlockHash(fullest.block + 1);
    const bonds = (await api.query.system.events.at(nextHash)).filter(({ event }) => event.section === 'restakingPools'
      && event.method === 'PendingStakeBonded' && event.data.pool.toNumber() === staked);
    const bondedAmount = bonds.reduce((sum, { event }) => sum + event.data.amount.toBigInt(), 0n);
    report.stakedBonds = { block: fullest.block + 1, bonds: bonds.length, bonded: bondedAmount.toString(), deposits: fullest.count };
    log(`block #${fullest.block + 1} bonded the ${fullest.count} staked deposits of #${fullest.block} with ${bonds.length} bond(s) of ${bondedAmount}`);
    if (bonds.length !== 1 || bondedAmount !== minDeposit * BigInt(fullest.count)) throw new Error('the staked deposits were not bonded with one bond at the next block');
    await waitFor(async () => (await api.query.restakingPools.pendingBonds(staked)).isNone, 60_000, 'every staked deposit bonded');
    const ledger = (await api.query.staking.ledger(stash)).unwrap();
    const record = (await api.query.restakingPools.pools(staked)).unwrap();
    report.stakedLedgerActive = ledger.active.toString();
    if (ledger.active.toBigInt() !== record.active.toBigInt() + record.queued.toBigInt() + record.seed.toBigInt()) throw new Error('the staked pool\'s ledger differs from its books');
    const out = resolve(here, '..', 'target-bench', 'throughput.json');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(report, null, 2));
    log(`report written to ${out}`);
    await api.disconnect();
  } finally {
    await stopNode(node);
  }
}

main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
