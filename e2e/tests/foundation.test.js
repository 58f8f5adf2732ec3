// The chain foundation, end to end: a dev node started by the test, driven by @polkadot/api
// exactly as Polkadot.js Apps would (no custom types).

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { connect, sendAndWait, startDevNode, stopNode, waitFor } from '../lib/node.js';

const UNIT = 10n ** 12n;

describe('palisade-node --dev', () => {
  let node;
  let api;
  let alice;

  before(async () => {
    await cryptoWaitReady();
    node = await startDevNode();
    api = await connect(node);
    alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri('//Alice');
  });

  after(async () => {
    await api?.disconnect();
    await stopNode(node);
  });

  test('produces and finalizes blocks', async () => {
    await waitFor(async () => (await api.rpc.chain.getHeader(
      await api.rpc.chain.getFinalizedHead())).number.toNumber() >= 2, 60_000, 'finalized block #2');
    const best = (await api.rpc.chain.getHeader()).number.toNumber();
    const finalized = (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();
    assert.ok(best >= finalized && finalized >= 2, `best ${best}, finalized ${finalized}`);
    console.log(`# dev node: finalized #${finalized} ${(Date.now() - node.startedAt) / 1000} s after start`);
  });

  test('chain properties are PAL, 12 decimals, ss58 42', async () => {
    const props = await api.rpc.system.properties();
    assert.deepEqual(props.tokenSymbol.unwrap().map(String), ['PAL']);
    assert.deepEqual(props.tokenDecimals.unwrap().map((d) => d.toNumber()), [12]);
    assert.equal(props.ss58Format.unwrap().toNumber(), 42);
    assert.deepEqual(api.registry.chainTokens, ['PAL']);
    assert.deepEqual(api.registry.chainDecimals, [12]);
    assert.equal((await api.rpc.system.chain()).toString(), 'Palisade Development');
  });

  test('a transfer succeeds and its events decode', async () => {
    const dest = new Keyring({ type: 'sr25519' }).addFromUri('//Palisade//e2e//transfer').address;
    const amount = 10n * UNIT;
    const before = (await api.query.system.account(dest)).data.free.toBigInt();
    assert.equal(before, 0n);

    const { events, dispatchError } = await sendAndWait(
      api, api.tx.balances.transferKeepAlive(dest, amount), alice);
    assert.equal(dispatchError, null);

    const names = events.map(({ event }) => `${event.section}.${event.method}`);
    assert.ok(names.includes('system.ExtrinsicSuccess'), names.join());
    assert.ok(names.includes('transactionPayment.TransactionFeePaid'), names.join());
    const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
    assert.ok(transfer, `no Transfer in ${names.join()}`);
    const { from, to, amount: moved } = transfer.event.data;
    assert.equal(from.toString(), alice.address);
    assert.equal(to.toString(), dest);
    assert.equal(moved.toBigInt(), amount);
    // The new account was endowed: the Endowed event decodes with its numbers too.
    const endowed = events.find(({ event }) => api.events.balances.Endowed.is(event));
    assert.equal(endowed.event.data.freeBalance.toBigInt(), amount);

    const after = (await api.query.system.account(dest)).data.free.toBigInt();
    assert.equal(after, amount);
  });

  test('the whole metadata decodes without custom types', async () => {
    const metadata = api.runtimeMetadata.asLatest;
    const pallets = metadata.pallets.map((p) => p.name.toString());
    for (const expected of ['System', 'Balances', 'Staking', 'Session', 'Grandpa', 'Aura',
      'Offences', 'Historical', 'Assets', 'Treasury', 'Council', 'CouncilMembership',
      'Utility', 'Sudo', 'TransactionPayment', 'Authorship', 'Timestamp',
      'Operators', 'Lrt', 'RestakingPools', 'Consumers', 'ServiceSlashing']) {
      assert.ok(pallets.includes(expected), `pallet ${expected} missing from ${pallets}`);
    }

    // Every type in the registry resolves and default-constructs.
    let types = 0;
    for (const { id } of api.registry.lookup.types) {
      api.registry.lookup.getTypeDef(id);
      api.registry.createType(api.registry.createLookupType(id));
      types += 1;
    }
    assert.ok(types > 100, `only ${types} types`);

    // Every call, event, error and constant of every pallet is decorated and decodes.
    let calls = 0; let events = 0; let storage = 0;
    for (const section of Object.keys(api.tx)) {
      for (const method of Object.keys(api.tx[section])) {
        const fn = api.tx[section][method];
        assert.ok(fn.meta.name.toString().length > 0);
        calls += 1;
      }
    }
    for (const section of Object.keys(api.events)) {
      events += Object.keys(api.events[section]).length;
    }
    for (const section of Object.keys(api.consts)) {
      for (const name of Object.keys(api.consts[section])) {
        assert.ok(api.consts[section][name].toHex().length > 0, `${section}.${name}`);
      }
    }
    // Every storage item decodes: plain values are read, maps have their first page read.
    for (const section of Object.keys(api.query)) {
      for (const name of Object.keys(api.query[section])) {
        const entry = api.query[section][name];
        if (entry.meta.type.isPlain) {
          const value = await entry();
          assert.ok(value !== undefined, `${section}.${name}`);
        } else {
          const page = await entry.entriesPaged({ args: [], pageSize: 5 });
          for (const [key, value] of page) {
            assert.ok(key.args.length > 0 && value !== undefined, `${section}.${name}`);
          }
        }
        storage += 1;
      }
    }
    console.log(`# metadata: ${pallets.length} pallets, ${types} types, ${calls} calls, ${events} events, ${storage} storage items decoded`);
    assert.ok(calls > 100 && events > 50 && storage > 50);
  });

  test('the restaking RPC module is wired', async () => {
    const { methods } = await api.rpc.rpc.methods();
    const names = methods.map(String);
    assert.ok(names.includes('restaking_apiVersion'), 'restaking_apiVersion missing');
    const version = await node.provider.send('restaking_apiVersion', []);
    assert.equal(typeof version, 'number');
  });

  test('a transfer of more than the balance fails with a typed error and moves nothing', async () => {
    const poor = new Keyring({ type: 'sr25519' }).addFromUri('//Palisade//e2e//poor');
    // Fund it with just enough for fees, then try to send far more than it has.
    const { dispatchError: fundErr } = await sendAndWait(
      api, api.tx.balances.transferKeepAlive(poor.address, UNIT), alice);
    assert.equal(fundErr, null);
    const aliceBefore = (await api.query.system.account(alice.address)).data.free.toBigInt();
    const { dispatchError } = await sendAndWait(
      api, api.tx.balances.transferKeepAlive(alice.address, 1000n * UNIT), poor);
    assert.match(dispatchError, /balances\.|token\.|FundsUnavailable|Token/);
    const aliceAfter = (await api.query.system.account(alice.address)).data.free.toBigInt();
    assert.equal(aliceAfter, aliceBefore, 'alice received nothing');
  });
});
