// Helpers shared by the restaking journeys: dev accounts, the restaking_* RPC, event-driven
// waits on blocks and epochs, council motions, balances at a block, and the exact LRT
// arithmetic of pallet-lrt (so the tests can predict every amount).

import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, sendAndWait, startDevNode, stopNode } from './node.js';

export const UNIT = 10n ** 12n; // 1 PAL
export const PAL = (n) => BigInt(n) * UNIT;
export const PERBILL = 1_000_000_000n;
export const FIXED_ONE = 10n ** 18n; // FixedU128's 1
/** Pool 0 of the demo world: native, curated by Dave. */
export const DEMO_NATIVE_POOL = 0;
/** Pool 1 of the demo world: the demo asset dDOT, curated by Eve. */
export const DEMO_ASSET_POOL = 1;
/** The demo consumer chain (admin and reporter Ferdie). */
export const DEMO_CONSUMER = 0;
/** The demo asset (collateral of pool 1). */
export const DEMO_ASSET = 1;

/** Starts a `--dev --tmp` node and connects; returns { node, api, accounts, startedAt }. */
export async function startJourney() {
  await cryptoWaitReady();
  const startedAt = Date.now();
  const node = await startDevNode();
  // Generous: on a 2-core machine the journeys start beside the multi-chain test's seven
  // nodes, and a dev node building the demo genesis then needs more than two minutes.
  // A node that never answers is stopped here: the caller gets no context to stop it with,
  // and a node left running keeps the test file (and the whole run) from ending.
  const api = await connect(node, 300_000).catch(async (error) => {
    await stopNode(node);
    throw error;
  });
  return { node, api, accounts: devAccounts(), startedAt };
}

/** Disconnects and stops what `startJourney` started. */
export async function endJourney(ctx) {
  await ctx?.api?.disconnect().catch(() => {});
  await stopNode(ctx?.node);
}

/** Prints `# <what>: <seconds> s` (node's test runner shows it as a diagnostic). */
export function logDuration(what, since) {
  console.log(`# ${what}: ${((Date.now() - since) / 1000).toFixed(1)} s`);
}

/** The dev accounts (sr25519, SS58 42). The demo world uses Bob//stash and Charlie//stash as
 * operators, Dave and Dave//stash (native pool) and Eve (asset pool) as restakers and curators,
 * Ferdie as the demo consumer's admin and reporter. Journeys make their own accounts with
 * `account(name)` and fund them from Alice. */
export function devAccounts() {
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const uri = (u) => keyring.addFromUri(u);
  return {
    alice: uri('//Alice'), bob: uri('//Bob'), charlie: uri('//Charlie'), dave: uri('//Dave'),
    eve: uri('//Eve'), ferdie: uri('//Ferdie'), bobStash: uri('//Bob//stash'),
    charlieStash: uri('//Charlie//stash'), daveStash: uri('//Dave//stash'),
  };
}

/** A fresh sr25519 account `//Palisade//e2e//<name>`. */
export function account(name) {
  return new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(`//Palisade//e2e//${name}`);
}

/** An ed25519 key pair `//Palisade//e2e//<name>` (a consumer-chain GRANDPA key). */
export function edKey(name) {
  return new Keyring({ type: 'ed25519', ss58Format: 42 }).addFromUri(`//Palisade//e2e//${name}`);
}

export const hex = (u8a) => `0x${Buffer.from(u8a).toString('hex')}`;

/** A raw JSON-RPC call (the restaking_* methods have no @polkadot/api decoration). */
export function rpc(node, method, params = []) {
  return node.provider.send(method, params);
}

/** Calls `method` expecting a JSON-RPC error; returns it ({ code, message }). */
export async function rpcError(node, method, params = []) {
  try {
    const answer = await node.provider.send(method, params);
    assert.fail(`${method}(${JSON.stringify(params)}) answered ${JSON.stringify(answer)}`);
  } catch (e) {
    if (e.code === 'ERR_ASSERTION') throw e;
    // @polkadot/rpc-provider formats errors as "<code>: <message>".
    const m = /^(-?\d+): (.*)$/s.exec(e.message);
    assert.ok(m, `unexpected error shape: ${e.message}`);
    return { code: Number(m[1]), message: m[2] };
  }
}

/** Signs, submits and waits for inclusion; fails the test if the call fails. */
export async function submit(api, tx, signer, what = 'transaction') {
  const result = await sendAndWait(api, tx, signer);
  assert.equal(result.dispatchError, null, `${what} failed: ${result.dispatchError}`);
  return result;
}

/** The first event `section.method` of a result's (or a block's) events, or undefined. */
export function findEvent(events, section, method, pred = () => true) {
  return events.map((r) => r.event ?? r)
    .find((e) => e.section === section && e.method === method && pred(e.data));
}

/** The event, or a failed assertion listing what was there. */
export function expectEvent(events, section, method, pred = () => true) {
  const event = findEvent(events, section, method, pred);
  assert.ok(event, `no ${section}.${method} in ${events.map((r) => `${(r.event ?? r).section}.${(r.event ?? r).method}`).join(', ')}`);
  return event;
}

/** The fee the signer paid in a result (transactionPayment.TransactionFeePaid). */
export function feeOf(result) {
  const paid = expectEvent(result.events, 'transactionPayment', 'TransactionFeePaid');
  return paid.data.actualFee.toBigInt() - paid.data.tip.toBigInt();
}

/** The parent hash of block `hash`. */
export async function parentOf(api, hash) {
  return (await api.rpc.chain.getHeader(hash)).parentHash.toHex();
}

/** The number of block `hash`. */
export async function numberOf(api, hash) {
  return (await api.rpc.chain.getHeader(hash)).number.toNumber();
}

/** `system.account` of `address` at block `hash` (best if omitted). */
export async function accountAt(api, address, hash) {
  const q = hash ? (await api.at(hash)).query : api.query;
  const { data } = await q.system.account(address);
  return { free: data.free.toBigInt(), reserved: data.reserved.toBigInt(), frozen: data.frozen.toBigInt() };
}

/** The balance of `address` in asset `assetId` at block `hash` (0 if no account). */
export async function assetBalanceAt(api, assetId, address, hash) {
  const q = hash ? (await api.at(hash)).query : api.query;
  const account = await q.assets.account(assetId, address);
  return account.isSome ? account.unwrap().balance.toBigInt() : 0n;
}

/**
 * Follows new best blocks until `check(header)` returns a truthy value (which is returned),
 * or fails after `timeoutMs`. Event-driven: checks once per block.
 */
export function untilBlock(api, check, timeoutMs, what) {
  return new Promise((resolve, reject) => {
    let done = false;
    let unsub;
    let busy = Promise.resolve();
    const finish = (fn, v) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsub?.();
      fn(v);
    };
    const timer = setTimeout(() => finish(reject, new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    const run = (header) => {
      busy = busy.then(async () => {
        if (done) return;
        try {
          const value = await check(header);
          if (value) finish(resolve, value);
        } catch (e) { finish(reject, e); }
      });
    };
    api.rpc.chain.subscribeNewHeads(run).then((u) => {
      unsub = u;
      if (done) u();
    }).catch((e) => finish(reject, e));
  });
}

/**
 * Waits for a block whose events contain `section.method` matching `pred`; returns
 * { event, events, hash, number }. Blocks from `fromNumber` on are scanned (so an event in a
 * block produced while subscribing is not missed).
 */
export async function waitForEvent(api, section, method, pred = () => true, timeoutMs = 120_000) {
  let next = (await api.rpc.chain.getHeader()).number.toNumber();
  return untilBlock(api, async (header) => {
    const best = header.number.toNumber();
    for (; next <= best; next += 1) {
      const hash = (await api.rpc.chain.getBlockHash(next)).toHex();
      const events = await (await api.at(hash)).query.system.events();
      const event = findEvent(events, section, method, pred);
      if (event) return { event, events, hash, number: next };
    }
    return null;
  }, timeoutMs, `${section}.${method}`);
}

/** All events of block `hash`. */
export async function eventsAt(api, hash) {
  return (await api.at(hash)).query.system.events();
}

/** restaking_epoch at the best block (or `hash`). */
export function epochInfo(node, hash) {
  return rpc(node, 'restaking_epoch', hash ? [hash] : []);
}

/** Waits until the current restaking epoch is at least `epoch`; returns the epoch info. */
export async function waitForEpoch(api, node, epoch, timeoutMs) {
  const info = await epochInfo(node);
  const blocks = Math.max(0, (epoch - info.currentEpoch) * info.epochLength) + 2;
  return untilBlock(api, async (header) => {
    const now = await epochInfo(node, header.hash.toHex());
    return now.currentEpoch >= epoch ? now : null;
  }, timeoutMs ?? (blocks * 3_000 + 60_000), `epoch ${epoch}`);
}

/**
 * Waits until the next block cannot start an epoch (the best block is at least `margin` blocks
 * before the next epoch start and no transition is pending), so a transaction submitted now is
 * included in a block whose `on_initialize` moved no value: the state at its parent is the
 * state the transaction sees.
 */
export async function waitForQuietBlock(api, node, margin = 4) {
  return untilBlock(api, async (header) => {
    const info = await epochInfo(node, header.hash.toHex());
    return (!info.transitionPending && info.nextEpochStart - info.blockNumber > margin) ? info : null;
  }, 120_000, 'a block well inside an epoch');
}

/** Asserts the block `hash` is not the first block of an epoch (no epoch work ran in it). */
export async function assertNotEpochStart(api, hash) {
  const events = await eventsAt(api, hash);
  assert.ok(!findEvent(events, 'consumers', 'EpochStarted'), 'transaction landed in an epoch-start block');
}

/**
 * A council motion: Alice proposes `call` with threshold 2 (2 of the 3 dev members = 2/3),
 * Alice and Bob vote aye, Bob closes it. Returns { executed, events } where `executed` is the
 * council.Executed event (its `result` says whether the call succeeded).
 */
export async function councilMotion(api, accounts, call, threshold = 2) {
  const { alice, bob } = accounts;
  const len = call.method.encodedLength;
  const proposed = await submit(api, api.tx.council.propose(threshold, call, len), alice, 'council.propose');
  const p = expectEvent(proposed.events, 'council', 'Proposed');
  const { proposalIndex, proposalHash } = p.data;
  await submit(api, api.tx.council.vote(proposalHash, proposalIndex, true), alice, 'council.vote (alice)');
  await submit(api, api.tx.council.vote(proposalHash, proposalIndex, true), bob, 'council.vote (bob)');
  const closed = await submit(api, api.tx.council.close(proposalHash, proposalIndex,
    { refTime: 10_000_000_000n, proofSize: 1_000_000n }, len), bob, 'council.close');
  const executed = expectEvent(closed.events, 'council', 'Executed');
  return { executed, events: closed.events };
}

/** Transfers `amount` from `from` to `to` (kept alive). */
export async function fund(api, from, to, amount) {
  await submit(api, api.tx.balances.transferKeepAlive(to, amount), from, 'funding transfer');
}

// The exact LRT arithmetic of pallet-lrt (see its crate doc), on BigInt.
const divUp = (a, b) => (a + b - 1n) / b;

/** { lrt, cost } a deposit of `value` mints in a pool with supply S and value V:
 * lrt = max(⌊value (S+VS)/(V+VV)⌋, ⌊value S/V⌋ if S > 0); cost = lrt × rate rounded up. */
export function mintQuote(value, S, V, VS, VV) {
  let lrt = (value * (S + VS)) / (V + VV);
  if (S > 0n && V > 0n) {
    const plain = (value * S) / V;
    if (plain > lrt) lrt = plain;
  }
  let cost = divUp(lrt * (V + VV), S + VS);
  if (S > 0n) {
    const plain = divUp(lrt * V, S);
    if (plain < cost) cost = plain;
  }
  return { lrt, cost };
}

/** The value a burn of `lrt` queues: ⌊lrt × rate⌋, rate = min((V+VV)/(S+VS), V/S), at most V. */
export function redeemQuote(lrt, S, V, VS, VV) {
  let value = (lrt * (V + VV)) / (S + VS);
  if (S > 0n) {
    const plain = (lrt * V) / S;
    if (plain < value) value = plain;
  }
  return value < V ? value : V;
}

/** FixedU128 inner of the rate min((V + VV) / (S + VS), V / S), rounded down. */
/** The value a pool view's LRT rate is computed from: its value less the rewards still vesting
 * in it (they enter the rate one slice per epoch; an asset pool's vest in its reward pot). */
export const rateValue = (view) => (view.collateral?.kind === 'asset'
  ? BigInt(view.value)
  : BigInt(view.value) - BigInt(view.vesting ?? 0));

export function rateRaw(S, V, VS, VV) {
  const virtualRate = ((V + VV) * FIXED_ONE) / (S + VS);
  if (S === 0n) return virtualRate;
  const plain = (V * FIXED_ONE) / S;
  return plain < virtualRate ? plain : virtualRate;
}

/** The LRT virtual offsets of a pool whose collateral has `decimals` decimals (pallet-lrt:
 * 10^⌊decimals/2⌋ virtual shares and virtual value; PAL has 12 decimals). */
export function virtualOffsets(api, decimals = 12) {
  const o = 10n ** BigInt(Math.floor(decimals / 2));
  return { VS: o, VV: o };
}

/** Asserts `fn` (an async call) rejects... kept for symmetry with node:assert. */
export { assert };
