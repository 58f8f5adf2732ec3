// Journey 4, slashing and governance: the demo consumer's reporter reports two offences; a
// council motion (2 of 3 members) vetoes one; the other executes after the veto delay and the
// LRT rates of the pools that backed the operator drop by the expected fraction; a council
// motion then changes the slashing parameters.

import { after, before, describe, test } from 'node:test';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { precommitEquivocation } from '../lib/grandpa.js';
import { sendAndWait } from '../lib/node.js';
import {
  DEMO_CONSUMER, FIXED_ONE, PAL, PERBILL, account, assert, councilMotion, fund, endJourney, eventsAt, expectEvent,
  findEvent, logDuration, parentOf, rateRaw, rateValue, rpc, startJourney, submit, untilBlock,
  virtualOffsets, waitForEpoch,
} from '../lib/restaking.js';

describe('journey 4: offences, a council veto, a slash and new slashing params', () => {
  let ctx;
  let vetoed;
  let executed;

  before(async () => {
    ctx = await startJourney();
  });

  after(async () => {
    logDuration('journey 4 (slashing and governance) total', ctx.startedAt);
    await endJourney(ctx);
  });

  test('the reporter reports two offences of the current epoch', async () => {
    const { api, node, accounts } = ctx;
    // Offences can only be reported against members of a published set: epoch 1 on.
    await waitForEpoch(api, node, 1);
    const { currentEpoch } = await rpc(node, 'restaking_epoch');
    const params = (await api.query.serviceSlashing.params()).toJSON();
    const { ferdie, bobStash, charlieStash } = accounts;

    const first = await submit(api, api.tx.serviceSlashing.reportOffence(DEMO_CONSUMER, bobStash.address,
      'Misbehaviour', currentEpoch, 'signed an invalid bridge message'), ferdie, 'report_offence');
    const a = expectEvent(first.events, 'serviceSlashing', 'OffenceReported').data;
    const second = await submit(api, api.tx.serviceSlashing.reportOffence(DEMO_CONSUMER, charlieStash.address,
      'Downtime', currentEpoch, 'missed 500 blocks'), ferdie, 'report_offence');
    const b = expectEvent(second.events, 'serviceSlashing', 'OffenceReported').data;
    assert.equal(a.fraction.toNumber(), params.misbehaviour);
    assert.equal(b.fraction.toNumber(), params.downtime);

    const pending = await rpc(node, 'restaking_pendingSlashes', [DEMO_CONSUMER]);
    assert.deepEqual(pending.map((s) => s.slashId), [a.slashId.toNumber(), b.slashId.toNumber()]);
    const [pa, pb] = pending;
    assert.equal(pa.operator, bobStash.address);
    assert.equal(pa.kind, 'misbehaviour');
    assert.deepEqual(pa.evidence, { kind: 'reported', details: 'signed an invalid bridge message' });
    assert.equal(pb.kind, 'downtime');
    assert.equal(pb.dueEpoch, b.dueEpoch.toNumber());
    assert.equal(pb.dueEpoch, pb.reportedAt + params.vetoDelay);
    assert.equal(pb.fractionPerbill, params.downtime);
    // The estimates match the event, pool by pool.
    assert.deepEqual(pb.poolAmounts.map((p) => [p.poolId, p.amount]),
      b.poolAmounts.map(([pool, amount]) => [pool.toNumber(), amount.toBigInt().toString()]));
    assert.equal(BigInt(pb.bondAmount), b.bondAmount.toBigInt());
    assert.deepEqual(await rpc(node, 'restaking_pendingSlashes', [null]), pending);
    vetoed = pa;
    executed = pb;
  });

  test('a council motion vetoes one of them', async () => {
    const { api, node, accounts } = ctx;
    const { executed: result, events } = await councilMotion(api, accounts,
      api.tx.serviceSlashing.cancelSlash(vetoed.slashId));
    assert.ok(result.data.result.isOk, `motion failed: ${result.data.result}`);
    const cancelled = expectEvent(events, 'serviceSlashing', 'SlashCancelled');
    assert.equal(cancelled.data.slashId.toNumber(), vetoed.slashId);
    const pending = await rpc(node, 'restaking_pendingSlashes', [DEMO_CONSUMER]);
    assert.deepEqual(pending.map((s) => s.slashId), [executed.slashId]);
  });

  test('the other executes after the veto delay: bond and pools lose the fraction', async () => {
    const { api, node, accounts } = ctx;
    const t0 = Date.now();
    const bobBefore = await rpc(node, 'restaking_operator', [accounts.bobStash.address]);
    const charlieBefore = await rpc(node, 'restaking_operator', [accounts.charlieStash.address]);

    const block = await untilBlock(api, async (header) => {
      const events = await eventsAt(api, header.hash.toHex());
      const event = findEvent(events, 'serviceSlashing', 'SlashExecuted', (d) => d.slashId.toNumber() === executed.slashId);
      return event ? { hash: header.hash.toHex(), number: header.number.toNumber(), events, event } : null;
    }, 150_000, `slash ${executed.slashId} to execute`);
    const { dueBlock } = executed;
    console.log(`# journey 4: slash executed in block ${block.number} (estimated ${dueBlock})`);
    const epoch = await rpc(node, 'restaking_epoch', [block.hash]);
    assert.equal(epoch.currentEpoch, executed.dueEpoch);
    const data = block.event.data;
    assert.equal(data.fraction.toNumber(), executed.fractionPerbill);

    // The bond: fraction × own exposure, rounded up; the operator is jailed.
    assert.equal(data.bondTaken.toBigInt(), BigInt(executed.bondAmount));
    const charlie = await rpc(node, 'restaking_operator', [accounts.charlieStash.address, block.hash]);
    assert.equal(BigInt(charlie.bond), BigInt(charlieBefore.bond) - BigInt(executed.bondAmount));
    assert.equal(charlie.status, 'jailed');
    assert.equal(charlie.jailedUntil, data.jailedUntil.unwrap().toNumber());
    // The vetoed operator lost nothing.
    const bob = await rpc(node, 'restaking_operator', [accounts.bobStash.address, block.hash]);
    assert.equal(bob.bond, bobBefore.bond);
    assert.equal(bob.status, 'active');

    // Each pool: the estimate taken, and its rate drops by exactly taken / (value + virtual).
    const parent = await parentOf(api, block.hash);
    for (const { poolId, amount } of executed.poolAmounts) {
      const slashed = expectEvent(block.events, 'restakingPools', 'PoolSlashed', (d) => d.pool.toNumber() === poolId);
      const beforePool = await rpc(node, 'restaking_pool', [poolId, parent]);
      const { VS, VV } = virtualOffsets(api, beforePool.decimals);
      assert.equal(slashed.data.takenNative.toBigInt(), BigInt(amount));
      const taken = slashed.data.taken.toBigInt();
      // Collateral units: native amount for PAL, native / valuation (rounded up) for an asset.
      const valuation = BigInt(beforePool.valuationRaw);
      const expectedTaken = (BigInt(amount) * FIXED_ONE + valuation - 1n) / valuation;
      assert.equal(taken, expectedTaken);
      assert.equal(slashed.data.fromQueue.toBigInt(), 0n);
      const S = BigInt(beforePool.lrtSupply);
      const V = BigInt(beforePool.value);
      const afterPool = await rpc(node, 'restaking_pool', [poolId, block.hash]);
      assert.equal(BigInt(afterPool.value), V - taken);
      // Rewards still vesting bear the slash pro rata: the rate is that of what is left less
      // what still vests of it.
      const expectedRate = rateRaw(S, rateValue(afterPool), VS, VV);
      assert.equal(slashed.data.rate.toBigInt(), expectedRate);
      const drop = Number(BigInt(beforePool.rateRaw) - expectedRate) / Number(BigInt(beforePool.rateRaw));
      const expectedDrop = Number(rateValue(beforePool) - rateValue(afterPool)) / Number(rateValue(beforePool) + VV);
      assert.ok(Math.abs(drop - expectedDrop) < 1e-9, `drop ${drop} vs ${expectedDrop}`);
      // The fraction of the pool taken is the slash fraction times the pool's allocation.
      const allocation = beforePool.allocations.find((a) => a.operator === accounts.charlieStash.address && a.consumerId === DEMO_CONSUMER);
      const approx = (executed.fractionPerbill / Number(PERBILL)) * (allocation.fractionPerbill / Number(PERBILL));
      assert.ok(Math.abs(expectedDrop - approx) / approx < 0.05, `pool ${poolId}: ${expectedDrop} vs ~${approx}`);
      console.log(`# journey 4: pool ${poolId} rate ${beforePool.rate} -> ${(Number(expectedRate) / 1e18).toFixed(18)} after the slash (-${(expectedDrop * 100).toFixed(4)}%)`);
    }
    assert.deepEqual(await rpc(node, 'restaking_pendingSlashes', [DEMO_CONSUMER, block.hash]), []);
    // The jailed operator left the set; the other one keeps the consumer active.
    const set = await rpc(node, 'restaking_validatorSet', [DEMO_CONSUMER, block.hash]);
    assert.equal(set.active, true);
    assert.deepEqual(set.members.map((m) => m.operator), [accounts.bobStash.address]);
    logDuration('journey 4: report to execution', t0);
  });

  test('a council motion changes the slashing params', async () => {
    const { api, node, accounts } = ctx;
    const next = {
      downtime: 20_000_000, equivocation: 200_000_000, misbehaviour: 70_000_000,
      maxSubjectiveFraction: 300_000_000, reportWindow: 1, vetoDelay: 3, jailLength: 6,
      destination: 'Burn', reporterReward: 50_000_000, meterPeriod: 1,
      maxSlashedPerPeriod: 1_000_000_000_000_000_000n, maxJailsPerPeriod: 10,
    };
    const { executed: result, events } = await councilMotion(api, accounts, api.tx.serviceSlashing.setSlashingParams(next));
    assert.ok(result.data.result.isOk, `motion failed: ${result.data.result}`);
    const set = expectEvent(events, 'serviceSlashing', 'SlashingParamsSet');
    const [, now] = set.data; // { old, new }
    assert.equal(now.vetoDelay.toNumber(), 3);
    const stored = await api.query.serviceSlashing.params();
    assert.ok(stored.destination.isBurn);
    const { destination, ...numbers } = next;
    for (const [field, value] of Object.entries(numbers)) {
      assert.equal(stored[field].toBigInt(), BigInt(value), field);
    }
    const epoch = await rpc(node, 'restaking_epoch');
    assert.equal(epoch.delays.reportWindow, 1);
    assert.equal(epoch.delays.vetoDelay, 3);
  });

  test('anyone proves a GRANDPA equivocation of a member with its signed votes', async () => {
    const { api, node, accounts } = ctx;
    const fisherman = account('fisherman');
    await fund(api, accounts.alice, fisherman.address, PAL(100));
    // The demo operator Bob//stash validates the demo consumer with the ed25519 key
    // //Bob//consumer0 (a consumer key is never one of Palisade's own session keys).
    const bobKey = new Keyring({ type: 'ed25519' }).addFromUri('//Bob//consumer0');
    const set = await rpc(node, 'restaking_validatorSet', [DEMO_CONSUMER]);
    const member = set.members.find((m) => m.key === u8aToHex(bobKey.publicKey));
    assert.equal(member.operator, accounts.bobStash.address);
    const a = [`0x${'01'.repeat(32)}`, 1_000];
    const b = [`0x${'02'.repeat(32)}`, 1_000];
    const proof = precommitEquivocation(bobKey, set.setId, 7, a, b);

    // A forged proof (the second vote's signature is over the first vote) is refused.
    const forged = structuredClone(proof);
    forged.equivocation.Precommit.second[1] = proof.equivocation.Precommit.first[1];
    const refused = await sendAndWait(api, api.tx.serviceSlashing.reportEquivocation(DEMO_CONSUMER, forged), fisherman);
    assert.equal(refused.dispatchError, 'serviceSlashing.InvalidEquivocationProof');

    const result = await submit(api, api.tx.serviceSlashing.reportEquivocation(DEMO_CONSUMER, proof), fisherman, 'report_equivocation');
    const reported = expectEvent(result.events, 'serviceSlashing', 'OffenceReported').data;
    assert.equal(reported.operator.toString(), accounts.bobStash.address);
    assert.ok(reported.kind.isEquivocation);
    assert.equal(reported.reporter.unwrap().toString(), fisherman.address);
    const params = await api.query.serviceSlashing.params();
    assert.equal(reported.fraction.toNumber(), params.equivocation.toNumber());
    const pending = await rpc(node, 'restaking_pendingSlashes', [DEMO_CONSUMER, result.blockHash]);
    const slash = pending.find((s) => s.slashId === reported.slashId.toNumber());
    assert.equal(slash.kind, 'equivocation');
    assert.equal(slash.reporter, fisherman.address);
    assert.deepEqual(slash.evidence, { kind: 'grandpaEquivocation', setId: set.setId, round: 7, key: u8aToHex(bobKey.publicKey) });
    // The same equivocation cannot be reported twice.
    const again = await sendAndWait(api, api.tx.serviceSlashing.reportEquivocation(DEMO_CONSUMER, proof), fisherman);
    assert.equal(again.dispatchError, 'serviceSlashing.DuplicateReport');
  });
});
