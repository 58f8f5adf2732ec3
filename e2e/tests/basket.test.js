// Journey: a basket LRT (issue 13). A curator makes a basket over the demo native pool and a
// new native pool (60% / 40%); a restaker deposits PAL into it and gets the basket token (a
// pallet-assets asset, like the pool LRTs), redeems half of it for the pools' LRT in kind, and
// a slash of an operator that only the demo pool backs lowers the basket's value by exactly
// the basket's share of that pool's loss. Every amount is predicted with pallet-lrt's
// arithmetic from the restaking_pool RPC.

import { after, before, describe, test } from 'node:test';
import {
  DEMO_CONSUMER, DEMO_NATIVE_POOL, PAL, account, assert, assetBalanceAt, endJourney,
  expectEvent, fund, logDuration, parentOf, rpc, startJourney, submit, virtualOffsets,
  waitForEpoch, waitForEvent,
} from '../lib/restaking.js';

/** What `lrt` of a pool with supply S and value V is worth (pallet-lrt's `redeem_value`):
 * min(⌊lrt (V+o)/(S+o)⌋, ⌊lrt V/S⌋), at most V. */
function lrtValue(lrt, S, V, o) {
  let value = (lrt * (V + o)) / (S + o);
  if (S > 0n) {
    const plain = (lrt * V) / S;
    if (plain < value) value = plain;
  }
  return value < V ? value : V;
}

describe('journey: a basket LRT over two pools: deposit, redeem in kind, a slash of one pool', () => {
  let ctx;
  const curator = account('basket-curator');
  const holder = account('basket-holder');
  let basket;
  let tokenAsset;
  let basketAccount;
  let secondPool;
  let lrtOffset;
  const lrtAsset = (pool) => lrtOffset + pool;

  /** The basket's value at `hash`: Σ pool LRT held × the pool's rate, each rounded down. */
  async function basketValue(hash) {
    const { VS } = virtualOffsets(ctx.api);
    let total = 0n;
    for (const pool of [DEMO_NATIVE_POOL, secondPool]) {
      const held = await assetBalanceAt(ctx.api, lrtAsset(pool), basketAccount, hash);
      const view = await rpc(ctx.node, 'restaking_pool', [pool, hash]);
      total += lrtValue(held, BigInt(view.lrtSupply), BigInt(view.value), VS);
    }
    return total;
  }

  before(async () => {
    ctx = await startJourney();
    lrtOffset = ctx.api.consts.lrt.lrtAssetIdOffset.toNumber();
    await fund(ctx.api, ctx.accounts.alice, curator.address, PAL(20_000));
    await fund(ctx.api, ctx.accounts.alice, holder.address, PAL(5_000));
  });

  after(async () => {
    logDuration('journey basket total', ctx.startedAt);
    await endJourney(ctx);
  });

  test('a curator creates a basket over the demo native pool and a new pool', async () => {
    const { api } = ctx;
    const created = await submit(api, api.tx.restakingPools.createPool('Native', 'basket e2e pool', PAL(1_000_000)), curator, 'create_pool');
    secondPool = expectEvent(created.events, 'restakingPools', 'PoolCreated').data.pool.toNumber();
    await submit(api, api.tx.restakingPools.deposit(secondPool, PAL(1_000)), curator, 'deposit');

    const made = await submit(api, api.tx.basket.createBasket([[DEMO_NATIVE_POOL, 600_000_000], [secondPool, 400_000_000]]), curator, 'create_basket');
    const event = expectEvent(made.events, 'basket', 'BasketCreated').data;
    basket = event.basket.toNumber();
    tokenAsset = event.assetId.toNumber();
    basketAccount = event.account.toString();
    // An ordinary pallet-assets asset with metadata, as Polkadot.js Apps shows it.
    const metadata = await api.query.assets.metadata(tokenAsset);
    assert.equal(metadata.symbol.toUtf8(), `bLRT${basket}`);
    assert.equal(metadata.decimals.toNumber(), 12);
    const asset = (await api.query.assets.asset(tokenAsset)).unwrap();
    assert.equal(asset.supply.toBigInt(), 0n);
  });

  test('a deposit is spread 60/40 over the pools and mints the basket token at its value', async () => {
    const { api, node } = ctx;
    const amount = PAL(100);
    const { VS } = virtualOffsets(api);
    const result = await submit(api, api.tx.basket.deposit(basket, amount), holder, 'basket deposit');
    const event = expectEvent(result.events, 'basket', 'Deposited').data;
    const parts = event.parts.map(([pool, value, lrt]) => [pool.toNumber(), value.toBigInt(), lrt.toBigInt()]);
    assert.deepEqual(parts.map(([pool, value]) => [pool, value]), [[DEMO_NATIVE_POOL, PAL(60)], [secondPool, PAL(40)]]);
    // Each pool minted what its rate says (pallet-lrt's mint at the parent block's books).
    const parent = await parentOf(api, result.blockHash);
    let valueIn = 0n;
    for (const [pool, value, lrt] of parts) {
      const before = await rpc(node, 'restaking_pool', [pool, parent]);
      const after = await rpc(node, 'restaking_pool', [pool, result.blockHash]);
      assert.equal(BigInt(after.lrtSupply), BigInt(before.lrtSupply) + lrt);
      assert.equal(await assetBalanceAt(api, lrtAsset(pool), basketAccount, result.blockHash), lrt);
      valueIn += lrtValue(lrt, BigInt(after.lrtSupply), BigInt(after.value), VS);
      assert.ok(value > 0n);
    }
    // The first deposit mints the value brought in, one token per Planck.
    assert.equal(event.tokens.toBigInt(), valueIn);
    assert.equal(await assetBalanceAt(api, tokenAsset, holder.address, result.blockHash), valueIn);
    assert.equal(await basketValue(result.blockHash), valueIn);
    console.log(`# basket: deposit of ${amount} minted ${valueIn} bLRT${basket}`);
  });

  test('a redemption pays every pool LRT pro rata, in kind, at once', async () => {
    const { api } = ctx;
    const tokens = await assetBalanceAt(api, tokenAsset, holder.address);
    const half = tokens / 2n;
    const supply = (await api.query.assets.asset(tokenAsset)).unwrap().supply.toBigInt();
    const held = {};
    for (const pool of [DEMO_NATIVE_POOL, secondPool]) {
      held[pool] = await assetBalanceAt(api, lrtAsset(pool), basketAccount);
    }
    const result = await submit(api, api.tx.basket.redeem(basket, half), holder, 'basket redeem');
    const event = expectEvent(result.events, 'basket', 'Redeemed').data;
    const paid = event.paid.map(([pool, lrt]) => [pool.toNumber(), lrt.toBigInt()]);
    for (const [pool, lrt] of paid) {
      assert.equal(lrt, (held[pool] * half) / supply, `pool ${pool}: its share, rounded down`);
      assert.equal(await assetBalanceAt(api, lrtAsset(pool), holder.address, result.blockHash), lrt);
      assert.equal(await assetBalanceAt(api, lrtAsset(pool), basketAccount, result.blockHash), held[pool] - lrt);
    }
    assert.equal(await assetBalanceAt(api, tokenAsset, holder.address, result.blockHash), tokens - half);
  });

  test('a slash of an operator only the demo pool backs lowers the basket by exactly its share', async () => {
    const { api, node, accounts } = ctx;
    // Offences can only be reported against members of a published set: epoch 1 on.
    await waitForEpoch(api, node, 1);
    const { currentEpoch } = await rpc(node, 'restaking_epoch');
    const report = await submit(api, api.tx.serviceSlashing.reportOffence(DEMO_CONSUMER, accounts.charlieStash.address,
      'Downtime', currentEpoch, 'missed 500 blocks'), accounts.ferdie, 'report_offence');
    const slashId = expectEvent(report.events, 'serviceSlashing', 'OffenceReported').data.slashId.toNumber();
    const { hash, events } = await waitForEvent(api, 'serviceSlashing', 'SlashExecuted',
      (d) => d.slashId.toNumber() === slashId, 240_000);
    const slashed = events.filter(({ event }) => event.section === 'restakingPools' && event.method === 'PoolSlashed')
      .map(({ event }) => event.data.pool.toNumber());
    assert.ok(slashed.includes(DEMO_NATIVE_POOL));
    assert.ok(!slashed.includes(secondPool), 'the new pool backs nobody');

    // The basket holds the same LRT; only the demo pool's value moved.
    const parent = await parentOf(api, hash);
    const { VS } = virtualOffsets(api);
    const held = await assetBalanceAt(api, lrtAsset(DEMO_NATIVE_POOL), basketAccount, hash);
    const before = await rpc(node, 'restaking_pool', [DEMO_NATIVE_POOL, parent]);
    const after = await rpc(node, 'restaking_pool', [DEMO_NATIVE_POOL, hash]);
    assert.equal(after.lrtSupply, before.lrtSupply);
    const share = lrtValue(held, BigInt(before.lrtSupply), BigInt(before.value), VS)
      - lrtValue(held, BigInt(after.lrtSupply), BigInt(after.value), VS);
    assert.ok(share > 0n);
    const valueBefore = await basketValue(parent);
    const valueAfter = await basketValue(hash);
    assert.equal(valueBefore - valueAfter, share);
    console.log(`# basket: slash of pool ${DEMO_NATIVE_POOL} took ${share} from the basket (value ${valueBefore} -> ${valueAfter})`);
  });
});
