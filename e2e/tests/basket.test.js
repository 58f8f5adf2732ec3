// Journey: a basket LRT (issues 13 and 12). A curator makes a basket over the demo native pool
// and a new native pool (60% / 40%); a restaker deposits PAL into it twice (each deposit goes
// to the one pool furthest below its weight: the demo pool, then the new one) and gets the
// basket token (a pallet-assets asset, like the pool LRTs), redeems half of it for the pools'
// LRT in kind, and a slash of an operator that only the demo pool backs lowers the basket's
// value by exactly the basket's share of that pool's loss. The curator then closes the basket:
// the holder redeems the rest, anyone removes the basket (the curator's deposit released) and
// destroys its token. Every amount is predicted with pallet-lrt's arithmetic from the
// restaking_pool RPC.

import { after, before, describe, test } from 'node:test';
import {
  DEMO_CONSUMER, DEMO_NATIVE_POOL, PAL, account, assert, assetBalanceAt, endJourney,
  expectEvent, fund, logDuration, parentOf, rateValue, rpc, startJourney, submit, virtualOffsets,
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

describe('journey: a basket LRT over two pools: deposits, redeem in kind, a slash of one pool, close', () => {
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
      total += lrtValue(held, BigInt(view.lrtSupply), rateValue(view), VS);
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

  test('each deposit goes to the pool furthest below its weight and mints the basket token at its value', async () => {
    const { api, node } = ctx;
    const { VS } = virtualOffsets(api);
    /** Deposit `amount`; check it went whole into `pool` and minted what the pool's rate
     * says. Returns the event and the value it brought in. */
    async function depositInto(amount, pool) {
      const result = await submit(api, api.tx.basket.deposit(basket, amount), holder, 'basket deposit');
      const event = expectEvent(result.events, 'basket', 'Deposited').data;
      assert.equal(event.pool.toNumber(), pool);
      const lrt = event.lrt.toBigInt();
      const parent = await parentOf(api, result.blockHash);
      const before = await rpc(node, 'restaking_pool', [pool, parent]);
      const after = await rpc(node, 'restaking_pool', [pool, result.blockHash]);
      assert.equal(BigInt(after.lrtSupply), BigInt(before.lrtSupply) + lrt);
      // Each pool minted what its rate says (pallet-lrt's mint at the parent block's books);
      // it took at most the amount, the rest (under one LRT unit's worth) went back.
      assert.ok(event.amount.toBigInt() <= amount && event.amount.toBigInt() > amount - 10n);
      const valueIn = lrtValue(lrt, BigInt(after.lrtSupply), rateValue(after), VS);
      return { event, valueIn, hash: result.blockHash };
    }

    // The empty basket: the larger weight, the demo pool. The first deposit mints the value
    // brought in, one token per Planck.
    const first = await depositInto(PAL(60), DEMO_NATIVE_POOL);
    assert.equal(first.event.tokens.toBigInt(), first.valueIn);
    assert.equal(first.event.supplyBefore.toBigInt(), 0n);
    assert.equal(await assetBalanceAt(api, tokenAsset, holder.address, first.hash), first.valueIn);
    assert.equal(await basketValue(first.hash), first.valueIn);

    // Then the new pool, 40% of the basket short: tokens at the basket's rate, its value
    // before rounded up (one Planck per pool held).
    const second = await depositInto(PAL(40), secondPool);
    const supplyBefore = second.event.supplyBefore.toBigInt();
    assert.equal(supplyBefore, first.valueIn);
    const held = await assetBalanceAt(api, lrtAsset(DEMO_NATIVE_POOL), basketAccount, second.hash);
    const demo = await rpc(node, 'restaking_pool', [DEMO_NATIVE_POOL, second.hash]);
    const valueBefore = lrtValue(held, BigInt(demo.lrtSupply), rateValue(demo), VS) + 1n;
    assert.equal(second.event.valueBefore.toBigInt(), valueBefore);
    const tokens = (second.valueIn * supplyBefore) / valueBefore;
    assert.equal(second.event.tokens.toBigInt(), tokens);
    assert.equal(await assetBalanceAt(api, tokenAsset, holder.address, second.hash), first.valueIn + tokens);
    console.log(`# basket: deposits of ${PAL(60)} and ${PAL(40)} minted ${first.valueIn + tokens} bLRT${basket}`);
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
    // Two pools: both paid in the same call (a basket over more pools pays the rest through
    // `claimRedemption`).
    assert.equal(event.pending.length, 0);
    const paid = event.paid.map(([pool, lrt]) => [pool.toNumber(), lrt.toBigInt()]);
    assert.equal(paid.length, 2);
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
    const share = lrtValue(held, BigInt(before.lrtSupply), rateValue(before), VS)
      - lrtValue(held, BigInt(after.lrtSupply), rateValue(after), VS);
    assert.ok(share > 0n);
    const valueBefore = await basketValue(parent);
    const valueAfter = await basketValue(hash);
    assert.equal(valueBefore - valueAfter, share);
    console.log(`# basket: slash of pool ${DEMO_NATIVE_POOL} took ${share} from the basket (value ${valueBefore} -> ${valueAfter})`);
  });

  test('the curator closes the basket; the holder redeems the rest; anyone removes it and destroys its token', async () => {
    const { api } = ctx;
    const closing = await submit(api, api.tx.basket.closeBasket(basket), curator, 'close_basket');
    expectEvent(closing.events, 'basket', 'BasketClosing');

    // The last tokens take all the basket holds, paid at once.
    const tokens = await assetBalanceAt(api, tokenAsset, holder.address);
    const redeemed = await submit(api, api.tx.basket.redeem(basket, tokens), holder, 'basket redeem');
    const event = expectEvent(redeemed.events, 'basket', 'Redeemed').data;
    assert.equal(event.pending.length, 0);
    for (const pool of [DEMO_NATIVE_POOL, secondPool]) {
      assert.equal(await assetBalanceAt(api, lrtAsset(pool), basketAccount, redeemed.blockHash), 0n);
    }

    // Anyone removes the emptied basket: the curator's deposit is released.
    const reservedBefore = (await api.query.system.account(curator.address)).data.reserved.toBigInt();
    const removed = await submit(api, api.tx.basket.removeBasket(basket), holder, 'remove_basket');
    const closed = expectEvent(removed.events, 'basket', 'BasketClosed').data;
    assert.equal(closed.curator.toString(), curator.address);
    const reservedAfter = (await api.query.system.account(curator.address)).data.reserved.toBigInt();
    assert.equal(reservedBefore - reservedAfter, closed.deposit.toBigInt());
    assert.ok((await api.query.basket.baskets(basket)).isNone);

    // And destroys its token: gone, its metadata deposit back to the curator.
    const destroyed = await submit(api, api.tx.basket.destroyBasketToken(basket), holder, 'destroy_basket_token');
    const done = expectEvent(destroyed.events, 'basket', 'BasketTokenDestroyed').data;
    assert.equal(done.assetId.toNumber(), tokenAsset);
    assert.ok((await api.query.assets.asset(tokenAsset)).isNone);
  });
});
