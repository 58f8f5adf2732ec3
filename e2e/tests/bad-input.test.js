// Journey 5, bad input: zero, too small and over-cap deposits, withdrawals of more LRT than
// held, calls from the wrong origin, reports outside the report window, and unknown ids over
// RPC. Every failing call fails with its typed error (module error name), and nothing moves
// but the fee.

import { after, before, describe, test } from 'node:test';
import { sendAndWait } from '../lib/node.js';
import {
  DEMO_CONSUMER, DEMO_NATIVE_POOL, PAL, PERBILL, accountAt, account, assert, assetBalanceAt,
  endJourney, expectEvent, feeOf, fund, logDuration, parentOf, rpc, rpcError, startJourney,
  submit, waitForEpoch, waitForQuietBlock,
} from '../lib/restaking.js';

describe('journey 5: bad input fails with typed errors and moves nothing', () => {
  let ctx;
  const mallory = account('mallory');
  let pool; // Mallory's own small pool
  let lrtAsset;

  /**
   * Submits `tx` from `signer`, expects `error`, and checks that the free and reserved PAL of
   * `signer` moved by the fee only, and that every watched (asset, account) balance and every
   * watched RPC answer is unchanged.
   */
  // What epoch transitions never change (they pay rewards into the demo pools and out of the
  // demo consumer's escrow): who controls them and how they are allocated.
  const poolControl = (p) => ({ curator: p.curator, cap: p.depositCap, open: p.open,
    allocations: p.allocations.map((a) => [a.consumerId, a.operator, a.fractionPerbill, a.pending]) });
  const consumerControl = (c) => ({ admin: c.admin, reporter: c.reporter, params: c.params, pending: c.pendingParams });

  async function rejects(tx, signer, error, { assets = [], answers = [] } = {}) {
    const { api, node } = ctx;
    const result = await sendAndWait(api, tx, signer);
    assert.equal(result.dispatchError, error);
    expectEvent(result.events, 'system', 'ExtrinsicFailed');
    const parent = await parentOf(api, result.blockHash);
    const before = await accountAt(api, signer.address, parent);
    const afterwards = await accountAt(api, signer.address, result.blockHash);
    assert.equal(afterwards.free, before.free - feeOf(result), `${error}: only the fee is paid`);
    assert.equal(afterwards.reserved, before.reserved, `${error}: nothing held or released`);
    for (const [asset, who] of assets) {
      assert.equal(await assetBalanceAt(api, asset, who, result.blockHash),
        await assetBalanceAt(api, asset, who, parent), `${error}: asset ${asset} of ${who}`);
    }
    for (const [method, params, project = (x) => x] of answers) {
      assert.deepEqual(project(await rpc(node, method, [...params, result.blockHash])),
        project(await rpc(node, method, [...params, parent])), `${error}: ${method}`);
    }
    return result;
  }

  before(async () => {
    ctx = await startJourney();
    await fund(ctx.api, ctx.accounts.alice, mallory.address, PAL(1_000));
  });

  after(async () => {
    logDuration('journey 5 (bad input) total', ctx.startedAt);
    await endJourney(ctx);
  });

  test('deposits: zero, below the minimum, over the cap, into an unknown pool', async () => {
    const { api } = ctx;
    const created = await submit(api, api.tx.restakingPools.createPool('Native', 'tiny pool', PAL(10)), mallory, 'create_pool');
    pool = expectEvent(created.events, 'restakingPools', 'PoolCreated').data.pool.toNumber();
    lrtAsset = (await rpc(ctx.node, 'restaking_pool', [pool])).lrtAsset;
    const watch = { assets: [[lrtAsset, mallory.address]], answers: [['restaking_pool', [pool]]] };
    await rejects(api.tx.restakingPools.deposit(pool, 0), mallory, 'restakingPools.ZeroAmount', watch);
    await rejects(api.tx.restakingPools.deposit(pool, PAL(1) / 2n), mallory, 'restakingPools.BelowMinDeposit', watch);
    await rejects(api.tx.restakingPools.deposit(pool, PAL(11)), mallory, 'restakingPools.DepositCapExceeded', watch);
    await rejects(api.tx.restakingPools.deposit(999, PAL(5)), mallory, 'restakingPools.PoolNotFound', watch);
    // More than the account has: the balances pallet refuses; nothing is minted.
    await submit(api, api.tx.restakingPools.setDepositCap(pool, PAL(1_000_000)), mallory, 'set_deposit_cap');
    const poor = await sendAndWait(api, api.tx.restakingPools.deposit(pool, PAL(5_000)), mallory);
    assert.match(poor.dispatchError, /balances\.|token\.|FundsUnavailable|Token/);
    assert.equal(await assetBalanceAt(api, lrtAsset, mallory.address, poor.blockHash), 0n);
  });

  test('withdrawals: more LRT than held, zero, claims of unknown or foreign requests', async () => {
    const { api, accounts } = ctx;
    const deposited = await submit(api, api.tx.restakingPools.deposit(pool, PAL(5)), mallory, 'deposit');
    const lrt = expectEvent(deposited.events, 'restakingPools', 'Deposited').data.lrtMinted.toBigInt();
    const watch = { assets: [[lrtAsset, mallory.address]], answers: [['restaking_pool', [pool]], ['restaking_positions', [mallory.address]]] };
    await rejects(api.tx.restakingPools.requestWithdrawal(pool, lrt + 1n), mallory, 'lrt.InsufficientLrt', watch);
    await rejects(api.tx.restakingPools.requestWithdrawal(DEMO_NATIVE_POOL, PAL(1)), mallory, 'lrt.InsufficientLrt', watch);
    await rejects(api.tx.restakingPools.requestWithdrawal(pool, 0), mallory, 'restakingPools.ZeroAmount', watch);
    await rejects(api.tx.restakingPools.claimWithdrawal(pool, 12345), mallory, 'restakingPools.RequestNotFound', watch);
    // Dave's real request cannot be claimed by Mallory.
    const daves = await submit(api, api.tx.restakingPools.requestWithdrawal(DEMO_NATIVE_POOL, PAL(1)), accounts.dave, 'request_withdrawal');
    const id = expectEvent(daves.events, 'restakingPools', 'WithdrawalRequested').data.requestId.toNumber();
    await rejects(api.tx.restakingPools.claimWithdrawal(DEMO_NATIVE_POOL, id), mallory, 'restakingPools.RequestNotFound', watch);
  });

  test('calls from the wrong origin', async () => {
    const { api, accounts } = ctx;
    const watch = { answers: [['restaking_pool', [DEMO_NATIVE_POOL], poolControl], ['restaking_consumer', [DEMO_CONSUMER], consumerControl]] };
    await rejects(api.tx.restakingPools.setAllocation(DEMO_NATIVE_POOL, mallory.address, DEMO_CONSUMER, PERBILL),
      mallory, 'restakingPools.NotCurator', watch);
    await rejects(api.tx.restakingPools.setDepositCap(DEMO_NATIVE_POOL, 1), mallory, 'restakingPools.NotCurator', watch);
    await rejects(api.tx.consumers.updateParams(DEMO_CONSUMER, {
      minOperators: 1, maxOperators: 1, minStakePerOperator: 0, powerCap: PERBILL, paymentPerEpoch: 0,
    }), mallory, 'consumers.NotAdmin', watch);
    await rejects(api.tx.consumers.deregisterConsumer(DEMO_CONSUMER), mallory, 'consumers.NotAdmin', watch);
    await rejects(api.tx.serviceSlashing.reportOffence(DEMO_CONSUMER, accounts.bobStash.address, 'Downtime', 0, 'x'),
      mallory, 'serviceSlashing.NotReporter', watch);
    // Governance calls from a plain account, even a council member acting alone.
    await rejects(api.tx.serviceSlashing.cancelSlash(0), mallory, 'BadOrigin', watch);
    await rejects(api.tx.serviceSlashing.setSlashingParams(await api.query.serviceSlashing.params()),
      accounts.alice, 'BadOrigin', watch);
    await rejects(api.tx.restakingPools.setCollateralValuation(1, 1n), mallory, 'BadOrigin', watch);
    // The LRT belongs to the pools pallet: nobody mints it (the call filter refuses every
    // non-holder call on an LRT id), and its id range is reserved.
    await rejects(api.tx.assets.mint(lrtAsset, mallory.address, PAL(1)), mallory, 'system.CallFiltered',
      { assets: [[lrtAsset, mallory.address]] });
    await rejects(api.tx.assets.create(lrtAsset + 100, mallory.address, 1), mallory, 'system.CallFiltered');
    // An operator call from a non-operator.
    await rejects(api.tx.operators.optIn(DEMO_CONSUMER, `0x${'ab'.repeat(32)}`), mallory, 'operators.NotOperator', watch);
  });

  test('reports outside the report window, of the future, or of an operator not in the set', async () => {
    const { api, node, accounts } = ctx;
    const t0 = Date.now();
    const { ferdie, bobStash } = accounts;
    const watch = { answers: [['restaking_pendingSlashes', [null]]] };
    let { currentEpoch } = await rpc(node, 'restaking_epoch');
    await rejects(api.tx.serviceSlashing.reportOffence(DEMO_CONSUMER, bobStash.address, 'Downtime', currentEpoch + 1, 'future'),
      ferdie, 'serviceSlashing.FutureEpoch', watch);
    await rejects(api.tx.serviceSlashing.reportOffence(DEMO_CONSUMER, mallory.address, 'Downtime', currentEpoch, 'not an operator'),
      ferdie, 'serviceSlashing.NoExposure', watch);
    // Epoch 0 had no set; once it is more than report_window epochs ago, it is out of reach.
    const { delays } = await rpc(node, 'restaking_epoch');
    await waitForEpoch(api, node, delays.reportWindow + 1);
    ({ currentEpoch } = await waitForQuietBlock(api, node, 6));
    await rejects(api.tx.serviceSlashing.reportOffence(DEMO_CONSUMER, bobStash.address, 'Downtime', currentEpoch - delays.reportWindow - 1, 'too late'),
      ferdie, 'serviceSlashing.OutsideReportWindow', watch);
    // The same offence inside the window is accepted (the operator was in the set then).
    const ok = await submit(api, api.tx.serviceSlashing.reportOffence(DEMO_CONSUMER, bobStash.address, 'Downtime', currentEpoch - delays.reportWindow, 'in time'), ferdie, 'report in the window');
    expectEvent(ok.events, 'serviceSlashing', 'OffenceReported');
    // And not twice.
    await rejects(api.tx.serviceSlashing.reportOffence(DEMO_CONSUMER, bobStash.address, 'Downtime', currentEpoch - delays.reportWindow, 'again'),
      ferdie, 'serviceSlashing.DuplicateReport');
    logDuration('journey 5: report window', t0);
  });

  test('the RPC refuses unknown ids and malformed accounts with clear errors', async () => {
    const { node, accounts } = ctx;
    const pool = await rpcError(node, 'restaking_pool', [999]);
    assert.equal(pool.code, 9001);
    assert.match(pool.message, /unknown pool: pool 999/);
    const operator = await rpcError(node, 'restaking_operator', [mallory.address]);
    assert.equal(operator.code, 9002);
    assert.match(operator.message, new RegExp(`${mallory.address} is not a registered operator`));
    for (const method of ['restaking_consumer', 'restaking_validatorSet', 'restaking_pendingSlashes']) {
      const e = await rpcError(node, method, [77]);
      assert.equal(e.code, 9003, method);
      assert.match(e.message, /unknown consumer: consumer 77/);
    }
    const bad = await rpcError(node, 'restaking_positions', ['not-an-address']);
    assert.equal(bad.code, 9004);
    const unknownBlock = await rpcError(node, 'restaking_epoch', [`0x${'00'.repeat(32)}`]);
    assert.equal(unknownBlock.code, 9005);
    // A well-formed account with nothing is fine: empty positions.
    assert.deepEqual(await rpc(node, 'restaking_positions', [accounts.charlie.address]),
      { account: accounts.charlie.address, holdings: [], withdrawals: [] });
  });
});
