// Journey: native restaking. A curator creates a pool of staked PAL (`NativeStaked`) that
// nominates Alice in NPoS staking and backs a demo operator of the demo consumer chain; a
// restaker deposits. After an era payout the LRT rate rises by exactly the pool's NPoS reward
// (predicted from staking's era reward, points, commission and exposure), after an epoch by
// its consumer payment, a service slash of the operator lowers it by exactly the predicted
// amount (and unbonds it in staking), and the restaker leaves at once by selling LRT on a
// PAL/LRT market. Last, a GRANDPA equivocation of Alice's in the first era the pool backed her
// (two prevotes of one round, signed here with her dev key) is proven with
// `grandpa.reportEquivocation`, and staking slashes her and her nominators of that era in the
// reporting block (on `--dev` she is not invulnerable and slashes are not deferred): Alice's
// ledger, the pool's ledger and the pool's books (its value, LRT rate and PAL) fall by exactly
// what staking's own exposures, slash fraction and ledger rules predict, and the reporter is
// paid its share.

import { after, before, describe, test } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { bnToU8a, compactFromU8a, stringToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { prevoteEquivocation } from '../lib/grandpa.js';
import {
  DEMO_CONSUMER, PAL, PERBILL, account, accountAt, assert, assertNotEpochStart, endJourney,
  eventsAt, expectEvent, findEvent, fund, logDuration, numberOf, parentOf, rateRaw, rateValue, rpc,
  startJourney, submit, untilBlock, virtualOffsets, waitForQuietBlock,
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

/** `Perbill::square()`: `from_rational(p², 10¹⁸)`, i.e. p² / 10⁹ parts, rounded down. */
const squarePerbill = (parts) => (parts * parts) / BILLION;
/** `Perbill::from_rational(p, q)` saturating at one (p > q), as `from_rational` does. */
const fromRationalSat = (p, q) => (p >= q ? BILLION : fromRational(p, q));

const QUINTILLION = 10n ** 18n;
const divUp = (a, b) => (a + b - 1n) / b;

/**
 * `StakingLedger::slash(amount, minimum_balance, slash_era)` of pallet-staking 50 on a ledger
 * `{ active, total, unlocking: [{ value, era }] }` (BigInt values): the active stake and the
 * chunks unlocking from `slash_era + bonding_duration` on are slashed pro rata (a Perquintill
 * ratio rounded up, each part `mul_ceil`), then older chunks from the latest; whatever a part
 * leaves under the existential deposit goes too. Returns { active, total, unlocking, chunks,
 * slashed }: the ledger after, the slashed chunks' values after (era -> value, what
 * `OnStakingUpdate::on_slash` reports) and the total slashed.
 */
function ledgerSlash(ledger, amount, ed, slashEra, bondingDuration) {
  let { active, total } = ledger;
  const unlocking = ledger.unlocking.map((c) => ({ ...c }));
  const before = total;
  let remaining = amount;
  const start = slashEra + bondingDuration;
  const first = unlocking.findIndex((c) => c.era >= start);
  let ratio = null;
  const order = [];
  if (first >= 0) {
    const affected = unlocking.slice(first).reduce((sum, c) => sum + c.value, active);
    ratio = amount > affected ? QUINTILLION : divUp(amount * QUINTILLION, affected);
    for (let i = first; i < unlocking.length; i += 1) order.push(i);
    for (let i = first - 1; i >= 0; i -= 1) order.push(i);
  } else {
    for (let i = unlocking.length - 1; i >= 0; i -= 1) order.push(i);
  }
  const slashOut = (target) => {
    let take = ratio === null ? remaining : divUp(target * ratio, QUINTILLION);
    if (take > target) take = target;
    if (take > remaining) take = remaining;
    let left = target - take;
    if (left < ed) { take += left; left = 0n; }
    total -= take;
    remaining = remaining > take ? remaining - take : 0n;
    return left;
  };
  active = slashOut(active);
  const chunks = new Map();
  for (const i of order) {
    if (remaining === 0n) break;
    unlocking[i].value = slashOut(unlocking[i].value);
    chunks.set(unlocking[i].era, unlocking[i].value);
  }
  return { active, total, unlocking: unlocking.filter((c) => c.value > 0n), chunks, slashed: before - total };
}

/** A staking ledger at block `hash` as BigInts. */
async function ledgerAt(api, stash, hash) {
  const ledger = (await (await api.at(hash)).query.staking.ledger(stash)).unwrap();
  return {
    active: ledger.active.toBigInt(),
    total: ledger.total.toBigInt(),
    unlocking: ledger.unlocking.map((c) => ({ value: c.value.toBigInt(), era: c.era.toNumber() })),
  };
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

  test('a curator creates a staked pool nominating Alice; a restaker deposits, bonded at the next block', async () => {
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
    // The deposit's PAL is pending in its block (in the pool's value, not yet in the ledger)
    // and the start of the next block bonds it: one bond per pool and block.
    assert.equal(await ledgerActive(dep.blockHash), seed);
    assert.equal((await (await api.at(dep.blockHash)).query.restakingPools.pendingBonds(pool)).unwrap().toBigInt(), deposited);
    const depNumber = (await api.rpc.chain.getHeader(dep.blockHash)).number.toNumber();
    await untilBlock(api, (header) => header.number.toNumber() > depNumber, 60_000, 'the block after the deposit');
    const bonded = await api.rpc.chain.getBlockHash(depNumber + 1);
    assert.equal(await ledgerActive(bonded), deposited + seed);
    assert.ok((await (await api.at(bonded)).query.restakingPools.pendingBonds(pool)).isNone);
    const bondedEvents = await (await api.at(bonded)).query.system.events();
    assert.ok(bondedEvents.some(({ event }) => event.section === 'restakingPools' && event.method === 'PendingStakeBonded'
      && event.data.pool.toNumber() === pool && event.data.amount.toBigInt() === deposited), 'PendingStakeBonded in the next block');

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
      if (!page.isSome || !page.unwrap().others.some((o) => o.who.toString() === stash)) return null;
      // A block of that era: the last step reports an offence of Alice's in it.
      ctx.exposedAt = header.hash.toHex();
      return active;
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
    // The rewards vest: the rate leaves out what still vests.
    assert.ok(BigInt(after.vesting) >= predicted);
    assert.equal(BigInt(after.rateRaw), rateRaw(BigInt(after.lrtSupply), rateValue(after), VS, VV));
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
    // Rewards still vesting bear the slash pro rata with the rest: the rate is the one of the
    // value left less what still vests of it.
    assert.equal(block.event.data.rate.toBigInt(), rateRaw(BigInt(before.lrtSupply), rateValue(after), VS, VV));
    assert.ok(BigInt(after.vesting) <= BigInt(before.vesting));
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

  // Last: Alice (the only validator) equivocated in the first era the pool backed her, and is
  // reported now. Staking slashes the exposures of that era by 100% (`min((3 × 1 / 1)², 1)`
  // for one offender in a set of one); they are smaller than today's stakes, so both keep
  // something, and the pool's ledger is slashed pro rata with its unbonding chunk (the
  // service slash's ghost).
  test('a GRANDPA equivocation of Alice is slashed at once: her ledger, the pool\'s ledger and books fall by exactly what staking predicts', async () => {
    const { api, node, accounts } = ctx;
    const t0 = Date.now();
    const alice = accounts.alice.address;
    const grandpaKey = new Keyring({ type: 'ed25519' }).addFromUri('//Alice');
    const reporter = account('native-reporter');
    await fund(api, accounts.alice, reporter.address, PAL(10));
    // On `--dev` Alice is not invulnerable and staking applies a slash when it is reported.
    assert.deepEqual((await api.query.staking.invulnerables()).map(String), []);
    assert.equal(api.consts.staking.slashDeferDuration.toNumber(), 0);

    // In a block of era `ctx.npos.era`, Alice prevoted for two different blocks in one round
    // of the GRANDPA set of that time.
    const offenceAt = ctx.exposedAt;
    const offenceHeader = await api.rpc.chain.getHeader(offenceAt);
    const setId = (await (await api.at(offenceAt)).query.grandpa.currentSetId()).toBigInt();
    const round = 2n;
    const proof = prevoteEquivocation(grandpaKey, setId, round,
      [offenceHeader.parentHash.toHex(), offenceHeader.number.toNumber() - 1],
      [offenceAt, offenceHeader.number.toNumber()]);
    // Her key's membership of that session's validator set, from the runtime API at that
    // block (`Option<OpaqueKeyOwnershipProof>`: the SCALE-encoded `MembershipProof` the call
    // takes). Raw `state_call` with hex in and out: @polkadot/api reads a `Uint8Array` given as
    // `Bytes` as length-prefixed, which mangles both the arguments and the opaque proof.
    const raw = (await api.rpc.state.call('GrandpaApi_generate_key_ownership_proof',
      u8aToHex(u8aConcat(bnToU8a(setId, { bitLength: 64 }), grandpaKey.publicKey)), offenceAt)).toU8a(true);
    assert.equal(raw[0], 1, 'a key ownership proof of Alice');
    const [offset, length] = compactFromU8a(raw.subarray(1));
    const keyOwnerProof = api.createType(api.tx.grandpa.reportEquivocation.meta.args[1].type.toString(),
      raw.subarray(1 + offset, 1 + offset + length.toNumber()));
    const validatorCount = keyOwnerProof.validatorCount.toBigInt();
    assert.equal(validatorCount, 1n);

    // The report lands in a block well inside a restaking epoch, so only it moves the pool's
    // books there.
    await waitForQuietBlock(api, node, 6);
    // Only the node's own GRANDPA voter may submit the unsigned report (it is refused from
    // outside: a `Local` transaction source is required); anybody may sign one.
    await assert.rejects(api.tx.grandpa.reportEquivocationUnsigned(proof, keyOwnerProof).send(),
      /Invalid Transaction/);
    const reported = await submit(api, api.tx.grandpa.reportEquivocation(proof, keyOwnerProof), reporter, 'grandpa.report_equivocation');
    const block = reported.blockHash;
    const parent = await parentOf(api, block);
    await assertNotEpochStart(api, block);
    const { events } = reported;

    // The offence: kind "grandpa:equivoca", time slot (set id, round).
    const offence = expectEvent(events, 'offences', 'Offence').data;
    assert.equal(u8aToHex(offence.kind), u8aToHex(stringToU8a('grandpa:equivoca')));
    assert.equal(u8aToHex(offence.slot), u8aToHex(u8aConcat(bnToU8a(setId, { bitLength: 64 }), bnToU8a(round, { bitLength: 64 }))));
    // Its fraction: min((3 × 1 offender / 1 validator)², 1) = 100%.
    const fraction = squarePerbill(fromRationalSat(3n, validatorCount));
    assert.equal(fraction, BILLION);
    const reportedSlash = expectEvent(events, 'staking', 'SlashReported').data;
    assert.equal(reportedSlash.validator.toString(), alice);
    assert.equal(reportedSlash.fraction.toBigInt(), fraction);
    const slashEra = reportedSlash.slashEra.toNumber();
    assert.equal(slashEra, ctx.npos.era);

    // Predict from staking's own data of the offence era: the fraction of each exposure (the
    // pool's on Alice's pages), taken from each ledger as `StakingLedger::slash` does.
    const state = await api.at(parent);
    const overview = (await state.query.staking.erasStakersOverview(slashEra, alice)).unwrap();
    let poolExposure = 0n;
    for (let page = 0; page < overview.pageCount.toNumber(); page += 1) {
      const others = (await state.query.staking.erasStakersPaged(slashEra, alice, page)).unwrap().others;
      for (const o of others) if (o.who.toString() === stash) poolExposure += o.value.toBigInt();
    }
    assert.ok(poolExposure > 0n, 'the pool backs Alice in the offence era');
    const ownSlash = mulPerbill(fraction, overview.own.toBigInt());
    const poolSlash = mulPerbill(fraction, poolExposure);
    const ed = api.consts.balances.existentialDeposit.toBigInt();
    const bonding = api.consts.staking.bondingDuration.toNumber();
    const aliceBefore = await ledgerAt(api, alice, parent);
    const poolLedgerBefore = await ledgerAt(api, stash, parent);
    const aliceAfter = ledgerSlash(aliceBefore, ownSlash, ed, slashEra, bonding);
    const poolLedgerAfter = ledgerSlash(poolLedgerBefore, poolSlash, ed, slashEra, bonding);

    // Staking slashed exactly that, at once (nothing deferred).
    expectEvent(events, 'staking', 'Slashed', (d) => d.staker.toString() === alice && d.amount.toBigInt() === aliceAfter.slashed);
    expectEvent(events, 'staking', 'Slashed', (d) => d.staker.toString() === stash && d.amount.toBigInt() === poolLedgerAfter.slashed);
    assert.deepEqual(await ledgerAt(api, alice, block), { active: aliceAfter.active, total: aliceAfter.total, unlocking: aliceAfter.unlocking });
    assert.deepEqual(await ledgerAt(api, stash, block), { active: poolLedgerAfter.active, total: poolLedgerAfter.total, unlocking: poolLedgerAfter.unlocking });
    assert.equal((await api.query.staking.unappliedSlashes.entries()).length, 0);

    // The pool's books take what staking took from its ledger: the bonded part from the LRT
    // holders (the queue is empty; the seed only past them), the unlocking chunks' part from
    // their requests (none) and ghosts (stake the service slash already took, kept by era in
    // the pool's NPoS record).
    const record = (await state.query.restakingPools.pools(pool)).unwrap();
    const staked = (await state.query.restakingPools.stakedPools(pool)).unwrap();
    const [active, queued, poolSeed] = [record.active.toBigInt(), record.queued.toBigInt(), record.seed.toBigInt()];
    const ghostPending = staked.ghostPending.toBigInt();
    const bonded = active + queued + poolSeed + ghostPending;
    assert.equal(bonded, poolLedgerBefore.active, 'the books agree with the ledger');
    const slashedBonded = bonded - poolLedgerAfter.active;
    let ghostPart = (slashedBonded * ghostPending) / bonded;
    const rest = slashedBonded - ghostPart;
    const booksPart = rest < active + queued ? rest : active + queued;
    const seedPart = rest - booksPart < poolSeed ? rest - booksPart : poolSeed;
    ghostPart += rest - booksPart - seedPart;
    if (ghostPart > ghostPending) ghostPart = ghostPending;
    assert.equal(queued, 0n);
    // The exposure of the offence era was smaller than today's stake: the LRT holders keep
    // some and the seed is untouched.
    assert.ok(booksPart < active && seedPart === 0n, 'a partial slash of the pool');
    let chunkGhost = 0n;
    for (const [era, after] of poolLedgerAfter.chunks) {
      const chunk = await state.query.restakingPools.unbondingChunks(pool, era);
      assert.ok(chunk.isNone, 'no request is unbonding (a chunk exists only for requests)');
      const ghost = staked.ghosts.find(([ghostEra]) => Number(ghostEra.toBigInt()) === Number(era));
      assert.ok(ghost, `the ledger's chunk of era ${era} is a ghost of the pool's record`);
      chunkGhost += ghost[1].toBigInt() - after;
    }
    const npos = expectEvent(events, 'restakingPools', 'NposSlashed', (d) => d.pool.toNumber() === pool).data;
    assert.equal(npos.fromBonded.toBigInt(), booksPart);
    assert.equal(npos.fromUnbonding.toBigInt(), 0n);
    assert.equal(npos.fromGhost.toBigInt(), ghostPart + chunkGhost);
    assert.equal(booksPart + seedPart + ghostPart + chunkGhost, poolLedgerAfter.slashed);
    // The chunk the service slash unbonds from the offence era's bonding duration on is
    // slashed with the active stake, pro rata: its ghost bears a share, paid by nobody.
    assert.ok(chunkGhost > 0n, 'the service slash\'s ghost bears a share');
    assert.equal((await (await api.at(block)).query.restakingPools.pools(pool)).unwrap().seed.toBigInt(), poolSeed);
    const before = await poolAt(parent);
    const afterPool = await poolAt(block);
    assert.equal(BigInt(afterPool.value), BigInt(before.value) - booksPart);
    assert.equal(BigInt(afterPool.lrtSupply), BigInt(before.lrtSupply));
    const { VS, VV } = virtualOffsets(api);
    const rate = rateRaw(BigInt(before.lrtSupply), rateValue(afterPool), VS, VV);
    assert.equal(npos.rate.toBigInt(), rate);
    assert.equal(BigInt(afterPool.rateRaw), rate);
    // The PAL leaves the pool account (staking moves no funds of a virtual staker).
    const poolAccount = (await accountAt(api, stash, parent));
    const poolAccountAfter = (await accountAt(api, stash, block));
    assert.equal(poolAccount.free + poolAccount.reserved - poolAccountAfter.free - poolAccountAfter.reserved, booksPart + seedPart);

    // The reporter is paid half of the slash reward fraction of each slash (its span's first),
    // out of what was taken from Alice; its report cost nothing.
    const rewardFraction = (await state.query.staking.slashRewardFraction()).toBigInt();
    const REWARD_F1 = PERBILL / 2n;
    let payout = mulPerbill(REWARD_F1, mulPerbill(rewardFraction, ownSlash))
      + mulPerbill(REWARD_F1, mulPerbill(rewardFraction, poolSlash));
    if (payout > aliceAfter.slashed) payout = aliceAfter.slashed;
    const reporterBefore = await accountAt(api, reporter.address, parent);
    const reporterAfter = await accountAt(api, reporter.address, block);
    assert.equal(reporterAfter.free - reporterBefore.free, payout);

    // The chain goes on: Alice is not disabled (an offence of a past era disables nobody, and a
    // third of a set of one is nobody anyway) and keeps authoring.
    assert.equal((await api.query.session.disabledValidators()).length, 0);
    const number = await numberOf(api, block);
    await untilBlock(api, (header) => header.number.toNumber() >= number + 2, 60_000, 'blocks after the slash');

    const report = {
      era: slashEra, setId: setId.toString(), round: round.toString(), fraction: fraction.toString(),
      alice: { own: overview.own.toString(), before: aliceBefore.active.toString(), after: aliceAfter.active.toString(), slashed: aliceAfter.slashed.toString() },
      pool: {
        exposure: poolExposure.toString(), ledgerBefore: poolLedgerBefore.active.toString(),
        ledgerAfter: poolLedgerAfter.active.toString(), slashed: poolLedgerAfter.slashed.toString(),
        fromBonded: booksPart.toString(), fromGhost: (ghostPart + chunkGhost).toString(),
        valueBefore: before.value, valueAfter: afterPool.value, rateBefore: before.rate, rateAfter: afterPool.rate,
      },
      reporterReward: payout.toString(),
    };
    console.log(`# native: NPoS slash ${JSON.stringify(report)}`);
    logDuration('native: GRANDPA equivocation to NPoS slash', t0);
  });
});
