// Journey 1, the restaker: deposit PAL into the demo native pool, receive its LRT as a
// pallet-assets asset, transfer part of it, request a withdrawal, and claim it after the
// withdrawal delay, every amount predicted from the restaking_* RPC and the LRT formulas.

import { after, before, describe, test } from 'node:test';
import { u8aToHex } from '@polkadot/util';
import { sendAndWait } from '../lib/node.js';
import {
  DEMO_NATIVE_POOL, PAL, accountAt, account, assert, assertNotEpochStart, assetBalanceAt,
  endJourney, expectEvent, feeOf, fund, logDuration, mintQuote, parentOf, rateRaw, rateValue, redeemQuote, rpc,
  startJourney, submit, virtualOffsets, waitForEpoch, waitForQuietBlock,
} from '../lib/restaking.js';

// A deposit or a withdrawal request prices at the pool's value less the rewards still vesting in
// it (`rateValue`: they enter the rate one slice per epoch); it claims nothing.

describe('journey 1: a restaker deposits, holds and transfers LRT, withdraws and claims', () => {
  let ctx;
  const restaker = account('restaker');
  const friend = account('restaker-friend');
  const pool = DEMO_NATIVE_POOL;
  let lrtAsset;
  let minted;
  let request;

  before(async () => {
    ctx = await startJourney();
    await fund(ctx.api, ctx.accounts.alice, restaker.address, PAL(10_000));
  });

  after(async () => {
    logDuration('journey 1 (restaker) total', ctx.startedAt);
    await endJourney(ctx);
  });

  test('the demo native pool is open and its LRT is an asset', async () => {
    const { api, node } = ctx;
    const info = await rpc(node, 'restaking_pool', [pool]);
    assert.deepEqual(info.collateral, { kind: 'native' });
    assert.equal(info.open, true);
    assert.equal(info.decimals, 12);
    assert.equal(info.lrtSymbol, `pLRT${pool}`);
    lrtAsset = info.lrtAsset;
    assert.equal(lrtAsset, api.consts.lrt.lrtAssetIdOffset.toNumber() + pool);
    const meta = await api.query.assets.metadata(lrtAsset);
    assert.equal(meta.symbol.toUtf8(), `pLRT${pool}`);
    assert.equal(meta.decimals.toNumber(), 12);
    assert.equal(BigInt(info.lrtSupply), (await api.query.assets.asset(lrtAsset)).unwrap().supply.toBigInt());
    // The runtime API behind the RPC is in the metadata: Apps' "Runtime calls" decode it as is.
    const direct = await api.call.restakingApi.pool(pool);
    assert.ok(direct.isOk);
    assert.equal(direct.asOk.lrtAsset.toNumber(), lrtAsset);
    assert.equal(direct.asOk.rate.toBigInt().toString(), info.rateRaw);
    const missing = await api.call.restakingApi.pool(999);
    assert.ok(missing.isErr && missing.asErr.isUnknownPool);
  });

  test('a deposit mints the LRT the pool rate says, as a pallet-assets balance', async () => {
    const { api, node } = ctx;
    const t0 = Date.now();
    const { VS, VV } = virtualOffsets(api);
    const offered = PAL(1_000);
    await waitForQuietBlock(api, node);
    const result = await submit(api, api.tx.restakingPools.deposit(pool, offered), restaker, 'deposit');
    await assertNotEpochStart(api, result.blockHash);
    const parent = await parentOf(api, result.blockHash);

    // The pool as the deposit saw it, over RPC at the parent block.
    const seen = await rpc(node, 'restaking_pool', [pool, parent]);
    const value = rateValue(seen);
    const quote = mintQuote(offered, BigInt(seen.lrtSupply), value, VS, VV);
    const deposited = expectEvent(result.events, 'restakingPools', 'Deposited');
    assert.equal(deposited.data.amount.toBigInt(), quote.cost);
    assert.equal(deposited.data.lrtMinted.toBigInt(), quote.lrt);
    assert.equal(deposited.data.rate.toBigInt(), rateRaw(BigInt(seen.lrtSupply), value, VS, VV));
    const issued = expectEvent(result.events, 'assets', 'Issued');
    assert.equal(issued.data.assetId.toNumber(), lrtAsset);
    assert.equal(issued.data.amount.toBigInt(), quote.lrt);
    minted = quote.lrt;

    // Balances: PAL moved out (cost and fee), LRT in, pool value and supply up.
    const before = await accountAt(api, restaker.address, parent);
    const afterwards = await accountAt(api, restaker.address, result.blockHash);
    assert.equal(afterwards.free, before.free - quote.cost - feeOf(result));
    assert.equal(await assetBalanceAt(api, lrtAsset, restaker.address, result.blockHash), quote.lrt);
    const now = await rpc(node, 'restaking_pool', [pool, result.blockHash]);
    assert.equal(BigInt(now.value), BigInt(seen.value) + quote.cost);
    assert.equal(now.vesting, seen.vesting);
    assert.equal(now.pendingRewards, seen.pendingRewards, 'a deposit claims nothing');
    assert.equal(BigInt(now.lrtSupply), BigInt(seen.lrtSupply) + quote.lrt);

    // restaking_positions values the holding at the pool's rate.
    const positions = await rpc(node, 'restaking_positions', [restaker.address, result.blockHash]);
    assert.equal(positions.account, restaker.address);
    assert.equal(positions.holdings.length, 1);
    const [holding] = positions.holdings;
    assert.equal(holding.poolId, pool);
    assert.equal(holding.lrtAsset, lrtAsset);
    assert.equal(BigInt(holding.lrt), quote.lrt);
    assert.equal(BigInt(holding.value), redeemQuote(quote.lrt, BigInt(now.lrtSupply), rateValue(now), VS, VV));
    assert.ok(quote.cost - BigInt(holding.value) <= 1n, 'a round trip loses at most one unit');
    // Positions accept a hex account too.
    const byHex = await rpc(node, 'restaking_positions', [u8aToHex(restaker.publicKey), result.blockHash]);
    assert.deepEqual(byHex, positions);
    logDuration('journey 1: deposit', t0);
  });

  test('LRT transfers like any asset', async () => {
    const { api, node } = ctx;
    const part = minted / 4n;
    const result = await submit(api, api.tx.assets.transfer(lrtAsset, friend.address, part), restaker, 'LRT transfer');
    const moved = expectEvent(result.events, 'assets', 'Transferred');
    assert.equal(moved.data.amount.toBigInt(), part);
    assert.equal(await assetBalanceAt(api, lrtAsset, restaker.address, result.blockHash), minted - part);
    assert.equal(await assetBalanceAt(api, lrtAsset, friend.address, result.blockHash), part);
    // The friend has no PAL at all: LRT is a sufficient asset.
    assert.equal((await accountAt(api, friend.address, result.blockHash)).free, 0n);
    const positions = await rpc(node, 'restaking_positions', [friend.address, result.blockHash]);
    assert.equal(BigInt(positions.holdings[0].lrt), part);
    minted -= part;
  });

  test('a withdrawal request burns LRT and queues its value; the claim pays it after the delay', async () => {
    const { api, node } = ctx;
    const t0 = Date.now();
    const { VS, VV } = virtualOffsets(api);
    const burn = minted / 2n;
    await waitForQuietBlock(api, node);
    const result = await submit(api, api.tx.restakingPools.requestWithdrawal(pool, burn), restaker, 'request_withdrawal');
    await assertNotEpochStart(api, result.blockHash);
    const parent = await parentOf(api, result.blockHash);
    const seen = await rpc(node, 'restaking_pool', [pool, parent]);
    const expectedValue = redeemQuote(burn, BigInt(seen.lrtSupply), rateValue(seen), VS, VV);
    const requested = expectEvent(result.events, 'restakingPools', 'WithdrawalRequested');
    assert.equal(requested.data.lrtBurnt.toBigInt(), burn);
    assert.equal(requested.data.value.toBigInt(), expectedValue);
    const epoch = await rpc(node, 'restaking_epoch', [result.blockHash]);
    assert.equal(requested.data.claimableAt.toNumber(), epoch.currentEpoch + epoch.delays.withdrawal);
    assert.equal(await assetBalanceAt(api, lrtAsset, restaker.address, result.blockHash), minted - burn);

    const positions = await rpc(node, 'restaking_positions', [restaker.address, result.blockHash]);
    assert.equal(positions.withdrawals.length, 1);
    request = positions.withdrawals[0];
    assert.equal(request.requestId, requested.data.requestId.toNumber());
    assert.equal(BigInt(request.valueAtRequest), expectedValue);
    assert.equal(BigInt(request.claimable), expectedValue);
    assert.equal(request.claimableAt, epoch.currentEpoch + epoch.delays.withdrawal);
    assert.equal(request.ready, false);
    assert.ok(request.claimableAtBlock > epoch.blockNumber);
    console.log(`# journey 1: request ${request.requestId} of ${expectedValue} claimable at epoch ${request.claimableAt} (~block ${request.claimableAtBlock}, now ${epoch.blockNumber})`);

    // Too early: refused, nothing moves but the fee.
    const tooEarly = await sendAndWait(api, api.tx.restakingPools.claimWithdrawal(pool, request.requestId), restaker);
    assert.equal(tooEarly.dispatchError, 'restakingPools.NotYetClaimable');

    // Wait for the delay (event-driven: one check per block).
    await waitForEpoch(api, node, request.claimableAt);
    const ready = await rpc(node, 'restaking_positions', [restaker.address]);
    const claimable = BigInt(ready.withdrawals[0].claimable);
    assert.equal(ready.withdrawals[0].ready, true);
    assert.equal(claimable, expectedValue, 'no slash hit the queue: the claim pays the value at request');

    const claim = await submit(api, api.tx.restakingPools.claimWithdrawal(pool, request.requestId), restaker, 'claim');
    const claimed = expectEvent(claim.events, 'restakingPools', 'WithdrawalClaimed');
    assert.equal(claimed.data.paid.toBigInt(), claimable);
    const claimParent = await parentOf(api, claim.blockHash);
    const before = await accountAt(api, restaker.address, claimParent);
    const afterwards = await accountAt(api, restaker.address, claim.blockHash);
    // The claim also releases the request's storage deposit (held since the request).
    const deposit = api.consts.restakingPools.withdrawalRequestDeposit.toBigInt();
    assert.equal(afterwards.free, before.free + claimable + deposit - feeOf(claim));
    const positions2 = await rpc(node, 'restaking_positions', [restaker.address, claim.blockHash]);
    assert.equal(positions2.withdrawals.length, 0);
    assert.equal(BigInt(positions2.holdings[0].lrt), minted - burn);
    logDuration('journey 1: withdrawal request to claim', t0);
  });
});
