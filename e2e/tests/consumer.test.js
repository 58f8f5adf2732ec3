// Journey 3, the consumer chain: register, fund the lease, get an operator (a demo operator
// opts in, restaking its bond) and a pool's backing, become Active, and watch the LRT rate of
// the pool backing it rise every epoch as the lease pays, over restaking_pool.

import { after, before, describe, test } from 'node:test';
import {
  FIXED_ONE, PAL, PERBILL, account, assert, edKey, endJourney, eventsAt, expectEvent, fund, hex,
  logDuration, parentOf, rateRaw, rateValue, rpc, startJourney, submit, untilBlock, virtualOffsets, waitForEpoch,
  waitForQuietBlock,
} from '../lib/restaking.js';

describe('journey 3: a consumer chain registers, funds its lease, becomes active and pays', () => {
  let ctx;
  const admin = account('consumer-admin');
  const curator = account('consumer-curator');
  const key = edKey('bob-stash//consumer-e2e');
  const payment = PAL(50);
  const funding = PAL(1_000);
  const params = {
    minOperators: 1, maxOperators: 5, minStakePerOperator: PAL(1_000),
    powerCap: PERBILL, paymentPerEpoch: payment,
  };
  let consumerId;
  let poolId;

  before(async () => {
    ctx = await startJourney();
    await fund(ctx.api, ctx.accounts.alice, admin.address, PAL(10_000));
    await fund(ctx.api, ctx.accounts.alice, curator.address, PAL(100_000));
  });

  after(async () => {
    logDuration('journey 3 (consumer) total', ctx.startedAt);
    await endJourney(ctx);
  });

  test('registers with a deposit and funds its escrow', async () => {
    const { api, node } = ctx;
    const genesisHash = `0x${'11'.repeat(32)}`;
    const reg = await submit(api, api.tx.consumers.registerConsumer('e2e consumer chain', genesisHash, params), admin, 'register_consumer');
    const registered = expectEvent(reg.events, 'consumers', 'ConsumerRegistered');
    consumerId = registered.data.consumerId.toNumber();
    assert.equal(registered.data.deposit.toBigInt(), api.consts.consumers.registrationDeposit.toBigInt());
    let info = await rpc(node, 'restaking_consumer', [consumerId]);
    assert.equal(info.status, 'registered');
    assert.equal(info.admin, admin.address);
    assert.equal(info.reporter, admin.address);
    assert.equal(info.genesisHash, genesisHash);
    assert.equal(info.metadata, 'e2e consumer chain');
    assert.equal(info.escrow, '0');
    assert.equal(BigInt(info.params.paymentPerEpoch), payment);
    assert.equal(info.params.powerCapPerbill, Number(PERBILL));
    assert.ok((await rpc(node, 'restaking_consumerIds')).includes(consumerId));

    const funded = await submit(api, api.tx.consumers.fundLease(consumerId, funding), admin, 'fund_lease');
    assert.equal(expectEvent(funded.events, 'consumers', 'LeaseFunded').data.escrow.toBigInt(), funding);
    info = await rpc(node, 'restaking_consumer', [consumerId, funded.blockHash]);
    assert.equal(BigInt(info.escrow), funding);
    assert.equal(info.epochsFunded, Number(funding / payment));
    const set = await rpc(node, 'restaking_validatorSet', [consumerId]);
    assert.equal(set.active, false);
    assert.deepEqual(set.members, []);
  });

  test('gets an operator and a backing pool, and becomes active at the next epoch', async () => {
    const { api, node, accounts } = ctx;
    const t0 = Date.now();
    // A curator's pool backs it 100% for this consumer.
    const created = await submit(api, api.tx.restakingPools.createPool('Native', 'e2e consumer pool', PAL(1_000_000)), curator, 'create_pool');
    poolId = expectEvent(created.events, 'restakingPools', 'PoolCreated').data.pool.toNumber();
    await submit(api, api.tx.restakingPools.deposit(poolId, PAL(10_000)), curator, 'deposit');
    // The operator consents to being backed by this pool (operator-side accept list).
    await submit(api, api.tx.operators.acceptPool(poolId), accounts.bobStash, 'accept_pool');
    // A demo operator opts in with a key for this chain (its bond now secures two consumers)
    // and the pool backs it in the next block, both well inside one epoch, so the consumer
    // becomes active with the operator's bond and the pool together.
    await waitForQuietBlock(api, node);
    await submit(api, api.tx.operators.optIn(consumerId, hex(key.publicKey)), accounts.bobStash, 'opt_in');
    const alloc = await submit(api, api.tx.restakingPools.setAllocation(poolId, accounts.bobStash.address, consumerId, PERBILL), curator, 'set_allocation');
    const scheduled = expectEvent(alloc.events, 'restakingPools', 'AllocationScheduled');
    const pool = await rpc(node, 'restaking_pool', [poolId, alloc.blockHash]);
    assert.equal(pool.rate, '1.000000000000000000', 'nothing earned yet: one LRT per PAL');
    assert.equal(pool.allocations.length, 1);
    assert.equal(pool.allocations[0].pending.effectiveEpoch, scheduled.data.effectiveEpoch.toNumber());
    ctx.rateBefore = BigInt(pool.rateRaw);

    const active = await untilBlock(api, async (header) => {
      const hash = header.hash.toHex();
      const info = await rpc(node, 'restaking_consumer', [consumerId, hash]);
      return info.status === 'active' ? { hash, number: header.number.toNumber(), info } : null;
    }, 75_000, 'the consumer to become active');
    const events = await eventsAt(api, active.hash);
    expectEvent(events, 'consumers', 'ConsumerActivated', (d) => d.consumerId.toNumber() === consumerId);
    const set = await rpc(node, 'restaking_validatorSet', [consumerId, active.hash]);
    assert.equal(set.active, true);
    assert.equal(set.setId, 0, 'its first set');
    assert.equal(set.members.length, 1);
    const [member] = set.members;
    assert.equal(member.operator, accounts.bobStash.address);
    assert.equal(member.key, hex(key.publicKey));
    const operator = await rpc(node, 'restaking_operator', [accounts.bobStash.address, active.hash]);
    const mine = operator.optIns.find((o) => o.consumerId === consumerId);
    assert.equal(BigInt(member.stake), BigInt(operator.bond) + PAL(10_000), 'its bond plus the pool');
    // The pool backs it with all of its value (100% allocation); this epoch's payment waits
    // in the rewards account, so the value is still the deposit, with the payment pending.
    const poolNow = await rpc(node, 'restaking_pool', [poolId, active.hash]);
    assert.deepEqual(mine.pools, [{ poolId, amount: poolNow.value }]);
    assert.equal(BigInt(poolNow.value), PAL(10_000));
    assert.ok(BigInt(poolNow.pendingRewards) > 0n);
    assert.equal(operator.optIns.length, 2, 'the operator serves the demo consumer too');
    ctx.active = active;
    logDuration('journey 3: registration to active', t0);
  });

  test('its payment accrues to the pool backing it every epoch, and a claim raises the LRT rate', async () => {
    const { api, node, accounts } = ctx;
    const { VS, VV } = virtualOffsets(api);
    let { hash, number } = ctx.active;
    let escrow = funding;
    for (let epoch = 0; epoch < 2; epoch += 1) {
      if (epoch > 0) {
        const last = number;
        ({ hash, number } = await untilBlock(api, async (header) => {
          if (header.number.toNumber() <= last) return null;
          const events = await eventsAt(api, header.hash.toHex());
          return events.some(({ event }) => event.section === 'consumers' && event.method === 'LeasePaid'
            && event.data.consumerId.toNumber() === consumerId)
            ? { hash: header.hash.toHex(), number: header.number.toNumber() } : null;
        }, 60_000, 'the next lease payment'));
      }
      // The whole payment moved into the rewards account in one transfer.
      const events = await eventsAt(api, hash);
      const paid = expectEvent(events, 'consumers', 'LeasePaid', (d) => d.consumerId.toNumber() === consumerId);
      assert.equal(paid.data.paid.toBigInt(), payment);
      escrow -= payment;
      assert.equal(paid.data.escrow.toBigInt(), escrow);
      const info = await rpc(node, 'restaking_consumer', [consumerId, hash]);
      assert.equal(BigInt(info.escrow), escrow);
      assert.equal(BigInt(info.totalPaid), funding - escrow);

      // The pool earned its part of the one member's payment: the member's power is split
      // into reward weights when its record is written, the pool's being
      // floor(power × (10^9 − commission) × backing / (10^9 × stake)) (exact, one rounding),
      // and the pool's record for the consumer earns floor(weight × floor(payment × 10^18 /
      // power) / 10^18). The previous epoch's part was claimed, so what is pending is
      // exactly this epoch's.
      const set = await rpc(node, 'restaking_validatorSet', [consumerId, hash]);
      const [member] = set.members;
      const operator = await rpc(node, 'restaking_operator', [member.operator, hash]);
      const mine = operator.optIns.find((o) => o.consumerId === consumerId);
      const [{ amount: backing }] = mine.pools;
      const power = BigInt(member.power);
      const increment = payment * FIXED_ONE / power;
      const weight = power * (PERBILL - BigInt(operator.commissionPerbill)) * BigInt(backing)
        / (PERBILL * BigInt(mine.totalStake));
      const expected = weight * increment / FIXED_ONE;
      const atPayment = await rpc(node, 'restaking_pool', [poolId, hash]);
      assert.equal(BigInt(atPayment.pendingRewards), expected);
      assert.ok(expected > 0n);

      // Anyone claims it into the pool: the value grows by it, no LRT is minted, the rate rises.
      const claimed = await submit(api, api.tx.consumers.claimPoolRewards(poolId), accounts.alice, 'claim_pool_rewards');
      const event = expectEvent(claimed.events, 'consumers', 'PoolRewardsClaimed', (d) => d.pool.toNumber() === poolId);
      const added = expectEvent(claimed.events, 'restakingPools', 'RewardsAdded', (d) => d.pool.toNumber() === poolId);
      const before = await rpc(node, 'restaking_pool', [poolId, await parentOf(api, claimed.blockHash)]);
      assert.equal(event.data.amount.toBigInt(), BigInt(before.pendingRewards));
      assert.equal(BigInt(before.pendingRewards), expected, 'claimed in the same epoch');
      assert.equal(added.data.amount.toBigInt(), expected);
      const afterwards = await rpc(node, 'restaking_pool', [poolId, claimed.blockHash]);
      assert.equal(BigInt(afterwards.value), BigInt(before.value) + expected);
      assert.equal(afterwards.lrtSupply, before.lrtSupply, 'rewards mint no LRT');
      assert.equal(afterwards.pendingRewards, '0');
      // They vest: into the rate one slice per epoch, from the next.
      assert.ok(BigInt(afterwards.vesting) >= expected, 'claimed rewards vest');
      const rate = rateRaw(BigInt(afterwards.lrtSupply), rateValue(afterwards), VS, VV);
      assert.equal(BigInt(afterwards.rateRaw), rate);
      assert.equal(added.data.rate.toBigInt(), rate);
      console.log(`# journey 3: epoch payment ${payment} -> pool ${poolId} earned ${expected}, rate ${before.rate} -> ${afterwards.rate}`);
    }
    // Once they vested the rate is higher.
    const { currentEpoch } = await rpc(node, 'restaking_epoch');
    await waitForEpoch(api, node, currentEpoch + 1);
    const now = await rpc(node, 'restaking_pool', [poolId]);
    assert.ok(BigInt(now.rateRaw) > ctx.rateBefore);
  });
});
