// Journey: an LRT people can trade. A restaker deposits PAL into the demo native pool, then
// leaves at once by selling the LRT for PAL on the demo PAL/LRT pool of pallet-asset-conversion
// instead of waiting out the withdrawal queue. Every amount is predicted from the pool's
// reserves with Uniswap's formula (0.3% fee) and checked against the runtime's quote, the
// balances, the events and the restaking_pool RPC's market price.

import { after, before, describe, test } from 'node:test';
import { sendAndWait } from '../lib/node.js';
import {
  DEMO_ASSET_POOL, DEMO_NATIVE_POOL, PAL, accountAt, account, assert, assetBalanceAt,
  endJourney, expectEvent, feeOf, fund, logDuration, parentOf, rpc, startJourney, submit,
} from '../lib/restaking.js';

/** The demo market's opening reserves (runtime/src/genesis_config_presets.rs). */
const DEMO_MARKET_LRT = PAL(10_000);
const DEMO_MARKET_NATIVE = PAL(9_900);
/** The LP fee, 0.3%, in parts per million (`LpFee`). */
const FEE_PPM = 3_000n;

/** What selling `amountIn` pays out of a pool with reserves (in, out), fee included, rounded
 * down (pallet-asset-conversion's `get_amount_out`). */
function amountOut(amountIn, reserveIn, reserveOut) {
  const afterFee = amountIn * (1_000_000n - FEE_PPM);
  return (afterFee * reserveOut) / (reserveIn * 1_000_000n + afterFee);
}

describe('journey: a restaker sells LRT for PAL on the asset-conversion pool', () => {
  let ctx;
  const trader = account('lrt-trader');
  const pool = DEMO_NATIVE_POOL;
  let lrtAsset;
  let lrt;
  let minted;
  const native = 'Native';

  /** (LRT reserve, PAL reserve) of the demo market at block `hash` (best if omitted). */
  async function reserves(hash) {
    const at = hash ? await ctx.api.at(hash) : ctx.api;
    const answer = await at.call.assetConversionApi.getReserves(lrt, native);
    assert.ok(answer.isSome, 'the demo market has liquidity');
    const [r0, r1] = answer.unwrap();
    return [r0.toBigInt(), r1.toBigInt()];
  }

  /** The runtime's quote for selling `amount` LRT at block `hash`, fee included. */
  async function quote(amount, hash) {
    const at = hash ? await ctx.api.at(hash) : ctx.api;
    const answer = await at.call.assetConversionApi.quotePriceExactTokensForTokens(lrt, native, amount, true);
    assert.ok(answer.isSome, 'a quote');
    return answer.unwrap().toBigInt();
  }

  before(async () => {
    ctx = await startJourney();
    await fund(ctx.api, ctx.accounts.alice, trader.address, PAL(5_000));
    lrtAsset = ctx.api.consts.lrt.lrtAssetIdOffset.toNumber() + pool;
    lrt = { WithId: lrtAsset };
  });

  after(async () => {
    logDuration('journey trade total', ctx.startedAt);
    await endJourney(ctx);
  });

  test('the demo market pairs pLRT0 with PAL; the RPC shows its price next to the pool rate', async () => {
    const { api, node } = ctx;
    const genesis = (await api.rpc.chain.getBlockHash(0)).toHex();
    assert.deepEqual(await reserves(genesis), [DEMO_MARKET_LRT, DEMO_MARKET_NATIVE]);
    const market = await api.query.assetConversion.pools([native, lrt]);
    assert.ok(market.isSome, 'pool (PAL, pLRT0) exists');
    assert.equal(market.unwrap().lpToken.toNumber(), 0);

    const hash = (await api.rpc.chain.getBlockHash()).toHex();
    const atBest = await rpc(node, 'restaking_pool', [pool, hash]);
    const one = 10n ** BigInt(atBest.decimals);
    const [lrtReserve, palReserve] = await reserves(hash);
    const expected = amountOut(one, lrtReserve, palReserve);
    assert.equal(BigInt(atBest.marketPrice), expected);
    assert.equal(BigInt(atBest.marketPrice), await quote(one, hash));
    // The market sells below the pool rate (≥ 1 PAL per LRT): the price of leaving now.
    assert.ok(BigInt(atBest.marketPrice) * 10n ** 18n < BigInt(atBest.rateRaw) * one);
    console.log(`# trade: pool rate ${atBest.rate} PAL/LRT, market price ${atBest.marketPrice} Planck per LRT`);
    // The dDOT pool's LRT has no market.
    assert.equal((await rpc(node, 'restaking_pool', [DEMO_ASSET_POOL])).marketPrice, null);
  });

  test('a restaker deposits, then swaps LRT for PAL at the quoted price', async () => {
    const { api, node } = ctx;
    const t0 = Date.now();
    const deposit = await submit(api, api.tx.restakingPools.deposit(pool, PAL(1_000)), trader, 'deposit');
    minted = expectEvent(deposit.events, 'restakingPools', 'Deposited').data.lrtMinted.toBigInt();
    assert.equal(await assetBalanceAt(api, lrtAsset, trader.address, deposit.blockHash), minted);

    // Sell half of it, asking for no less than the quote.
    const sold = minted / 2n;
    const before = await (async () => {
      const hash = (await api.rpc.chain.getBlockHash()).toHex();
      return { hash, quote: await quote(sold, hash), reserves: await reserves(hash) };
    })();
    const result = await submit(api,
      api.tx.assetConversion.swapExactTokensForTokens([lrt, native], sold, before.quote, trader.address, true),
      trader, 'swap');
    const parent = await parentOf(api, result.blockHash);
    // The state the swap saw: the block it was quoted at, or a later one (nobody else trades).
    const [lrtReserve, palReserve] = await reserves(parent);
    assert.deepEqual([lrtReserve, palReserve], before.reserves);
    const expected = amountOut(sold, lrtReserve, palReserve);
    assert.equal(expected, await quote(sold, parent));

    const swapped = expectEvent(result.events, 'assetConversion', 'SwapExecuted');
    assert.equal(swapped.data.who.toString(), trader.address);
    assert.equal(swapped.data.amountIn.toBigInt(), sold);
    assert.equal(swapped.data.amountOut.toBigInt(), expected);

    // Balances: LRT out, PAL in (less the transaction fee); the market the reverse.
    assert.equal(await assetBalanceAt(api, lrtAsset, trader.address, result.blockHash), minted - sold);
    const pal0 = await accountAt(api, trader.address, parent);
    const pal1 = await accountAt(api, trader.address, result.blockHash);
    assert.equal(pal1.free, pal0.free + expected - feeOf(result));
    assert.deepEqual(await reserves(result.blockHash), [lrtReserve + sold, palReserve - expected]);
    // The fee stayed in the pool: the constant product grew.
    assert.ok((lrtReserve + sold) * (palReserve - expected) > lrtReserve * palReserve);

    // The RPC's market price follows the new reserves; the pool rate did not move.
    const seen = await rpc(node, 'restaking_pool', [pool, parent]);
    const now = await rpc(node, 'restaking_pool', [pool, result.blockHash]);
    const one = 10n ** BigInt(now.decimals);
    assert.equal(BigInt(now.marketPrice), amountOut(one, lrtReserve + sold, palReserve - expected));
    assert.ok(BigInt(now.marketPrice) < BigInt(seen.marketPrice), 'a sale lowers the price');
    assert.equal(now.lrtSupply, seen.lrtSupply, 'trading mints and burns no LRT');
    console.log(`# trade: sold ${sold} LRT for ${expected} Planck; market price ${seen.marketPrice} -> ${now.marketPrice}, rate ${now.rate}`);
    logDuration('journey trade: deposit and swap', t0);
  });

  test('a swap asking more than the quote fails and moves nothing but the fee', async () => {
    const { api } = ctx;
    const sold = minted / 4n;
    const hash = (await api.rpc.chain.getBlockHash()).toHex();
    const asked = (await quote(sold, hash)) + 1n;
    const result = await sendAndWait(api,
      api.tx.assetConversion.swapExactTokensForTokens([lrt, native], sold, asked, trader.address, true), trader);
    assert.equal(result.dispatchError, 'assetConversion.ProvidedMinimumNotSufficientForSwap');
    const parent = await parentOf(api, result.blockHash);
    assert.equal(await assetBalanceAt(api, lrtAsset, trader.address, result.blockHash),
      await assetBalanceAt(api, lrtAsset, trader.address, parent));
    const pal0 = await accountAt(api, trader.address, parent);
    const pal1 = await accountAt(api, trader.address, result.blockHash);
    assert.equal(pal1.free, pal0.free - feeOf(result));
    assert.deepEqual(await reserves(result.blockHash), await reserves(parent));
  });
});
