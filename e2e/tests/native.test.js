// Journey: native restaking. A curator creates a pool of staked PAL (`NativeStaked`) that
// nominates Alice in NPoS staking and backs a demo operator of the demo consumer chain; a
// restaker deposits. After an era payout the LRT rate rises by exactly the pool's NPoS reward
// (predicted from staking's era reward, points, commission and exposure), after an epoch by
// its consumer payment, a service slash of the operator lowers it by exactly the predicted
// amount (and unbonds it in staking), and the restaker leaves at once by selling LRT on a
// PAL/LRT market. (An NPoS slash needs an offence by a validator that is not invulnerable: the
// runtime test `a_staked_pool_earns_npos_rewards_and_bears_npos_slashes_exactly_once` runs it
// against the real staking pallet; a one-validator dev chain has none.)

import { after, before, describe, test } from 'node:test';
import {
  DEMO_CONSUMER, PAL, PERBILL, account, assert, endJourney, eventsAt, expectEvent, findEvent,
  fund, logDuration, parentOf, rateRaw, rpc, startJourney, submit, untilBlock, virtualOffsets,
} from '../lib/restaking.js';

const BILLION = 1_000_000_000n;

/** `Perbill::from_rational(p, q)`: parts per billion, rounded down. */
const fromRational = (p, q) => (q === 0n ? BILLION : (p * BILLION) / q);
/** `Perbill * n`: rounded to the nearest, halves down (`Rounding::NearestPrefDown`). */
function mulPerbill(parts, n) {
  const product = parts * n;
  const q = product / BILLION;
  const r = product % BILLION;
  return r * 2n > BILLION ? q + 1n : q;
}

/** What one LP fee (0.3%) leaves of a swap out of reserves (in, out), rounded down. */
function amountOut(amountIn, reserveIn, reserveOut) {
  const afterFee = amountIn * 997_000n;
  return (afterFee * reserveOut) / (reserveIn * 1_000_000n + afterFee);
}

describe('journey: native restaking, NPoS and consumer rewards, slashes, an instant exit', () => {
  let ctx;
  const curator = account('native-curator');
  const restaker = account('native-restaker');
  let pool;
  let stash;
  let seed;
  const deposited = PAL(10_000);

  async function poolAt(hash) {
    return rpc(ctx.node, 'restaking_pool', hash ? [pool, hash] : [pool]);
  }

  async function ledgerActive(hash) {
    const at = hash ? await ctx.api.at(hash) : ctx.api;
    const ledger = await at.query.staking.ledger(stash);
    return ledger.unwrap().active.toBigInt();
  }

  before(async () => {
    ctx = await startJourney();
    await fund(ctx.api, ctx.accounts.alice, curator.address, PAL(5_000));
    await fund(ctx.api, ctx.accounts.alice, restaker.address, PAL(20_000));
  });

  after(async () => {
    logDuration('journey native restaking total', ctx.startedAt);
    await endJourney(ctx);
  });

  test('a curator creates a staked pool nominating Alice; a restaker deposits, bonded at once', async () => {
    const { api, node, accounts } = ctx;
    const created = await submit(api, api.tx.restakingPools.createPool('NativeStaked', 'e2e staked pool', PAL(1_000_000)), curator, 'create_pool');
    const event = expectEvent(created.events, 'restakingPools', 'PoolCreated').data;
    pool = event.pool.toNumber();
    assert.equal(event.collateral.toString(), 'NativeStaked');
    const info = await rpc(node, 'restaking_pool', [pool, created.blockHash]);
    assert.deepEqual(info.collateral, { kind: 'nativeStaked' });
    stash = (await api.query.restakingPools.pools(pool)).unwrap().account.toString();
    seed = (await api.query.restakingPools.pools(pool)).unwrap().seed.toBigInt();
    assert.equal(seed, api.consts.balances.existentialDeposit.toBigInt());
    assert.ok((await api.query.staking.virtualStakers(stash)).isSome, 'the pool account is a virtual staker');

    const dep = await submit(api, api.tx.restakingPools.deposit(pool, deposited), restaker, 'deposit');
    assert.equal(expectEvent(dep.events, 'restakingPools', 'Deposited').data.lrtMinted.toBigInt(), deposited);
    assert.equal(await ledgerActive(dep.blockHash), deposited + seed);

    const nominated = await submit(api, api.tx.restakingPools.nominate(pool, [accounts.alice.address]), curator, 'nominate');
    expectEvent(nominated.events, 'restakingPools', 'Nominated');
    const nominations = await api.query.staking.nominators(stash);
    assert.deepEqual(nominations.unwrap().targets.map(String), [accounts.alice.address]);

    // The same stake backs the demo operator Bob//stash for the demo consumer.
    await submit(api, api.tx.operators.acceptPool(pool), accounts.bobStash, 'accept_pool');
    await submit(api, api.tx.restakingPools.setAllocation(pool, accounts.bobStash.address, DEMO_CONSUMER, PERBILL / 2n), curator, 'set_allocation');
  });

  test('after an era payout the LRT rate rises by exactly the pool\'s NPoS reward', async () => {
    const { api, node, accounts } = ctx;
    const t0 = Date.now();
    const alice = accounts.alice.address;
    // The first era whose exposure of Alice has the pool, then its end.
    const exposed = await untilBlock(api, async (header) => {
      const at = await api.at(header.hash);
      const active = (await at.query.staking.activeEra()).unwrap().index.toNumber();
      const page = await at.query.staking.erasStakersPaged(active, alice, 0);
      return page.isSome && page.unwrap().others.some((o) => o.who.toString() === stash) ? active : null;
    }, 300_000, 'the pool in Alice\'s exposure');
    await untilBlock(api, async (header) => {
      const at = await api.at(header.hash);
      return (await at.query.staking.activeEra()).unwrap().index.toNumber() > exposed ? true : null;
    }, 300_000, `era ${exposed} to end`);

    // Predict the pool's share as staking computes it.
    const eraReward = (await api.query.staking.erasValidatorReward(exposed)).unwrap().toBigInt();
    const points = await api.query.staking.erasRewardPoints(exposed);
    const total = BigInt(points.total.toNumber());
    const mine = BigInt([...points.individual.entries()].find(([who]) => who.toString() === alice)[1].toNumber());
    const commission = (await api.query.staking.erasValidatorPrefs(exposed, alice)).commission.toBigInt();
    const overview = (await api.query.staking.erasStakersOverview(exposed, alice)).unwrap();
    const page = (await api.query.staking.erasStakersPaged(exposed, alice, 0)).unwrap();
    const poolExposure = page.others.find((o) => o.who.toString() === stash).value.toBigInt();
    const validatorPart = mulPerbill(fromRational(mine, total), eraReward);
    const leftover = validatorPart - mulPerbill(commission, validatorPart);
    const predicted = mulPerbill(fromRational(poolExposure, overview.total.toBigInt()), leftover);

    const paid = await submit(api, api.tx.staking.payoutStakers(alice, exposed), restaker, 'payout_stakers');
    const rewarded = expectEvent(paid.events, 'staking', 'Rewarded', (d) => d.stash.toString() === stash);
    assert.equal(rewarded.data.amount.toBigInt(), predicted);
    assert.ok(predicted > 0n);

    // Compounding (anyone may) adds it to the pool and its bond; the rate rises by it alone.
    const before = await poolAt(paid.blockHash);
    const bondBefore = await ledgerActive(paid.blockHash);
    const compounded = await submit(api, api.tx.restakingPools.compoundRewards(pool), restaker, 'compound_rewards');
    const ev = expectEvent(compounded.events, 'restakingPools', 'StakingRewardsCompounded').data;
    assert.equal(ev.amount.toBigInt(), predicted);
    const after = await poolAt(compounded.blockHash);
    assert.equal(BigInt(after.value), BigInt(before.value) + predicted);
    assert.equal(await ledgerActive(compounded.blockHash), bondBefore + predicted);
    const { VS, VV } = virtualOffsets(api);
    assert.equal(BigInt(after.rateRaw), rateRaw(BigInt(after.lrtSupply), BigInt(after.value), VS, VV));
    const yieldPct = Number(predicted * 1_000_000n / poolExposure) / 10_000;
    console.log(`# native: NPoS reward of era ${exposed}: ${predicted} Planck on ${poolExposure} exposed (${yieldPct}% for one 90 s era); rate ${before.rate} -> ${after.rate}`);
    ctx.npos = { era: exposed, reward: predicted.toString(), exposure: poolExposure.toString() };
    logDuration('native: deposit to NPoS payout', t0);
  });

  test('after an epoch its consumer payment raises the rate, and is bonded too', async () => {
    const { api, node } = ctx;
    // Wait for an epoch in which the pool earned (its allocation is in force).
    const earned = await untilBlock(api, async (header) => {
      const info = await rpc(node, 'restaking_pool', [pool, header.hash.toHex()]);
      return BigInt(info.pendingRewards) > 0n ? { hash: header.hash.toHex(), info } : null;
    }, 120_000, 'a consumer payment to the pool');
    const pending = BigInt(earned.info.pendingRewards);
    const claimed = await submit(api, api.tx.consumers.claimPoolRewards(pool), restaker, 'claim_pool_rewards');
    const parent = await parentOf(api, claimed.blockHash);
    const before = await poolAt(parent);
    const expected = BigInt(before.pendingRewards);
    assert.ok(expected >= pending);
    const after = await poolAt(claimed.blockHash);
    assert.equal(BigInt(after.value), BigInt(before.value) + expected);
    assert.equal(await ledgerActive(claimed.blockHash), await ledgerActive(parent) + expected);
    console.log(`# native: consumer payment ${expected} Planck; rate ${before.rate} -> ${after.rate}`);
    ctx.consumerReward = expected.toString();
  });

  test('a service slash of the operator lowers it by the predicted amount and unbonds it in staking', async () => {
    const { api, node, accounts } = ctx;
    const { currentEpoch } = await rpc(node, 'restaking_epoch');
    const report = await submit(api, api.tx.serviceSlashing.reportOffence(DEMO_CONSUMER, accounts.bobStash.address,
      'Misbehaviour', currentEpoch, 'e2e: signed an invalid message'), accounts.ferdie, 'report_offence');
    const reported = expectEvent(report.events, 'serviceSlashing', 'OffenceReported').data;
    const pending = (await rpc(node, 'restaking_pendingSlashes', [DEMO_CONSUMER]))
      .find((s) => s.slashId === reported.slashId.toNumber());
    const estimate = pending.poolAmounts.find((p) => p.poolId === pool);
    assert.ok(estimate, 'the staked pool is in the operator\'s exposure');
    const block = await untilBlock(api, async (header) => {
      const events = await eventsAt(api, header.hash.toHex());
      const event = findEvent(events, 'restakingPools', 'PoolSlashed', (d) => d.pool.toNumber() === pool);
      return event ? { hash: header.hash.toHex(), event } : null;
    }, 180_000, 'the slash to execute');
    const parent = await parentOf(api, block.hash);
    const before = await poolAt(parent);
    const taken = block.event.data.taken.toBigInt();
    assert.equal(taken, BigInt(estimate.amount));
    const after = await poolAt(block.hash);
    assert.equal(BigInt(after.value), BigInt(before.value) - taken);
    const { VS, VV } = virtualOffsets(api);
    assert.equal(block.event.data.rate.toBigInt(), rateRaw(BigInt(before.lrtSupply), BigInt(before.value) - taken, VS, VV));
    // The ledger's active stake follows the books; the slashed PAL unbonds with nothing behind it.
    assert.equal(await ledgerActive(block.hash), await ledgerActive(parent) - taken);
    console.log(`# native: service slash took ${taken} Planck; rate ${before.rate} -> ${after.rate}`);
  });

  test('the restaker sells LRT for PAL at once on a PAL/LRT market', async () => {
    const { api } = ctx;
    const lrt = { WithId: api.consts.lrt.lrtAssetIdOffset.toNumber() + pool };
    // The curator opens a market with LRT of its own.
    await submit(api, api.tx.restakingPools.deposit(pool, PAL(1_000)), curator, 'deposit');
    await submit(api, api.tx.assetConversion.createPool('Native', lrt), curator, 'create market');
    const curatorLrt = (await api.query.assets.account(lrt.WithId, curator.address)).unwrap().balance.toBigInt();
    // Half of its LRT (all of it would leave the curator's asset account below the minimum).
    await submit(api, api.tx.assetConversion.addLiquidity('Native', lrt, PAL(500), curatorLrt / 2n, 1n, 1n, curator.address), curator, 'add liquidity');
    const [rLrt, rPal] = (await api.call.assetConversionApi.getReserves(lrt, 'Native')).unwrap().map((x) => x.toBigInt());
    const sell = PAL(100);
    const expected = amountOut(sell, rLrt, rPal);
    const swapped = await submit(api, api.tx.assetConversion.swapExactTokensForTokens([lrt, 'Native'], sell, 1n, restaker.address, false), restaker, 'swap');
    const ev = expectEvent(swapped.events, 'assetConversion', 'SwapExecuted').data;
    assert.equal(ev.amountIn.toBigInt(), sell);
    assert.equal(ev.amountOut.toBigInt(), expected);
    console.log(`# native: sold ${sell} LRT for ${expected} Planck PAL`);
    console.log(`# native report: ${JSON.stringify({ npos: ctx.npos, consumerReward: ctx.consumerReward })}`);
  });
});
