// Journey 2, the operator: register with a bond and a commission, opt in to the demo consumer
// with a per-consumer ed25519 key, join its validator set at the next epoch (as
// restaking_validatorSet shows), and receive its share of the consumer's payment.

import { after, before, describe, test } from 'node:test';
import {
  DEMO_CONSUMER, FIXED_ONE, PAL, PERBILL, accountAt, account, assert, edKey, endJourney, eventsAt,
  expectEvent, findEvent, fund, hex, logDuration, parentOf, rpc, startJourney, submit,
  untilBlock, waitForEpoch,
} from '../lib/restaking.js';

describe('journey 2: an operator registers, opts in, joins the set and earns', () => {
  let ctx;
  const operator = account('operator');
  const key = edKey('operator//consumer-0');
  const bond = PAL(20_000);
  const commission = 100_000_000n; // 10% in Perbill

  before(async () => {
    ctx = await startJourney();
    await fund(ctx.api, ctx.accounts.alice, operator.address, PAL(50_000));
  });

  after(async () => {
    logDuration('journey 2 (operator) total', ctx.startedAt);
    await endJourney(ctx);
  });

  test('registers with a held bond', async () => {
    const { api, node } = ctx;
    const result = await submit(api, api.tx.operators.registerOperator(bond, commission, 'e2e operator'), operator, 'register_operator');
    const registered = expectEvent(result.events, 'operators', 'OperatorRegistered');
    assert.equal(registered.data.bond.toBigInt(), bond);
    const held = (await accountAt(api, operator.address, result.blockHash)).reserved;
    assert.equal(held, bond, 'the bond is held (shown as reserved)');
    const info = await rpc(node, 'restaking_operator', [operator.address]);
    assert.equal(info.status, 'active');
    assert.equal(BigInt(info.bond), bond);
    assert.equal(BigInt(info.commissionPerbill), commission);
    assert.equal(info.metadata, 'e2e operator');
    assert.deepEqual(info.optIns, []);
  });

  test('opts in to the demo consumer with its own key and joins the set at the next epoch', async () => {
    const { api, node } = ctx;
    const t0 = Date.now();
    // The demo consumer is active from epoch 1 on, with the two demo operators.
    await waitForEpoch(api, node, 1);
    const before = await rpc(node, 'restaking_validatorSet', [DEMO_CONSUMER]);
    assert.equal(before.active, true);
    assert.equal(before.members.length, 2);
    const result = await submit(api, api.tx.operators.optIn(DEMO_CONSUMER, hex(key.publicKey)), operator, 'opt_in');
    const opted = expectEvent(result.events, 'operators', 'OptedIn');
    assert.equal(opted.data.key.toHex(), hex(key.publicKey));
    const info = await rpc(node, 'restaking_operator', [operator.address, result.blockHash]);
    assert.equal(info.optIns.length, 1);
    const [optIn] = info.optIns;
    assert.equal(optIn.consumerId, DEMO_CONSUMER);
    assert.equal(optIn.key, hex(key.publicKey));
    assert.equal(optIn.eligible, true);
    assert.equal(BigInt(optIn.ownStake), bond);
    assert.equal(BigInt(optIn.totalStake), bond, 'no pool backs it yet: its stake is its bond');
    assert.equal(optIn.inSet, false);

    // Next epoch: the transition puts it in the set (its bond is above the consumer's minimum).
    const joined = await untilBlock(api, async (header) => {
      const hash = header.hash.toHex();
      const set = await rpc(node, 'restaking_validatorSet', [DEMO_CONSUMER, hash]);
      return set.members.some((m) => m.operator === operator.address)
        ? { hash, number: header.number.toNumber(), set } : null;
    }, 75_000, 'the operator in the demo consumer set');
    const { set } = joined;
    const events = await eventsAt(api, joined.hash);
    expectEvent(events, 'consumers', 'EpochStarted');
    const updated = expectEvent(events, 'consumers', 'ValidatorSetUpdated', (d) => d.consumerId.toNumber() === DEMO_CONSUMER);
    assert.equal(set.active, true);
    assert.equal(set.epoch, (await rpc(node, 'restaking_epoch', [joined.hash])).currentEpoch);
    assert.ok(set.setId > before.setId, 'a new member means a new set id');
    assert.equal(set.setId, updated.data.setId.toNumber());
    assert.equal(set.setHash, updated.data.setHash.toHex());
    assert.equal(set.members.length, 3);
    assert.equal(set.members.length, updated.data.members.toNumber());
    const member = set.members.find((m) => m.operator === operator.address);
    assert.ok(member, `operator missing from ${JSON.stringify(set.members)}`);
    assert.equal(member.key, hex(key.publicKey));
    assert.equal(BigInt(member.stake), bond);
    assert.equal(BigInt(member.power), bond, 'below the power cap: power is the stake');
    const total = set.members.reduce((sum, m) => sum + BigInt(m.power), 0n);
    assert.equal(BigInt(set.totalPower), total);
    // The same answer in the operator's view.
    const info2 = await rpc(node, 'restaking_operator', [operator.address, joined.hash]);
    assert.equal(info2.optIns[0].inSet, true);
    assert.equal(info2.optIns[0].power, member.power);
    ctx.joined = joined;
    logDuration('journey 2: opt-in to set membership', t0);
  });

  test('earns its share of the epoch payment lazily, and anyone can pay it out', async () => {
    const { api, node, accounts } = ctx;
    const { hash } = ctx.joined;
    // The payment went into the rewards account in one transfer: nobody was paid in the
    // epoch's first block, the member only earns (F1-style index per consumer).
    const events = await eventsAt(api, hash);
    const paid = expectEvent(events, 'consumers', 'LeasePaid', (d) => d.consumerId.toNumber() === DEMO_CONSUMER);
    const consumer = await rpc(node, 'restaking_consumer', [DEMO_CONSUMER, hash]);
    const payment = BigInt(consumer.params.paymentPerEpoch);
    assert.equal(paid.data.paid.toBigInt(), payment);
    const set = await rpc(node, 'restaking_validatorSet', [DEMO_CONSUMER, hash]);
    const member = set.members.find((m) => m.operator === operator.address);
    const before = await accountAt(api, operator.address, await parentOf(api, hash));
    const atJoin = await accountAt(api, operator.address, hash);
    assert.equal(atJoin.free, before.free, 'nothing is pushed to the operator at the epoch start');
    // Its share: weight × floor(payment × 10^18 / total power) / 10^18, rounded down, where
    // its reward weight is floor(power × (commission + (1 − commission) × own / stake)). With
    // no pool behind it (own = stake) that is its whole power: commission plus its own bond's
    // part is all of it.
    const increment = payment * FIXED_ONE / BigInt(set.totalPower);
    const expectedShare = BigInt(member.power) * increment / FIXED_ONE;
    const commissionPart = expectedShare * commission / PERBILL;
    assert.ok(commissionPart > 0n);
    const view = await rpc(node, 'restaking_operator', [operator.address, hash]);
    assert.equal(BigInt(view.pendingRewards), expectedShare);

    // Anyone pays it out; the money goes to the operator.
    const claimed = await submit(api, api.tx.consumers.claimOperatorRewards(operator.address), accounts.alice, 'claim_operator_rewards');
    const event = expectEvent(claimed.events, 'consumers', 'OperatorRewardsClaimed',
      (d) => d.operator.toString() === operator.address);
    const pendingBefore = BigInt((await rpc(node, 'restaking_operator', [operator.address, await parentOf(api, claimed.blockHash)])).pendingRewards);
    assert.equal(event.data.amount.toBigInt(), pendingBefore);
    assert.ok(pendingBefore >= expectedShare, 'at least the first epoch (more if an epoch passed)');
    const previous = await accountAt(api, operator.address, await parentOf(api, claimed.blockHash));
    const now = await accountAt(api, operator.address, claimed.blockHash);
    assert.equal(now.free - previous.free, pendingBefore);
    assert.equal((await rpc(node, 'restaking_operator', [operator.address, claimed.blockHash])).pendingRewards, '0');
    console.log(`# journey 2: share ${expectedShare} (commission ${commissionPart}) earned in block ${ctx.joined.number}, ${pendingBefore} claimed`);
  });
});
