// The multi-chain test: Palisade validators plus the demo consumer chain, whose nodes run the
// consumer keys of Palisade's operators, joined by the trustless relay.
//
//   1. the consumer chain starts from the set Palisade publishes for it and produces and
//      finalizes blocks with it; the relay brings every later set, each a new GRANDPA set;
//      lag from the Palisade block that publishes a set to the first consumer block authored
//      under it is measured;
//   2. an operator (//Dave//stash) registers and opts in on Palisade: after the next epoch its
//      consumer node authors consumer blocks;
//   3. an operator's key (//Charlie//consumer0) double-votes in the consumer's GRANDPA (two
//      precommits for the consumer's real round and set id): proven on the consumer chain,
//      relayed, Palisade executes the slash after the veto delay with the amounts the offence
//      epoch's exposure predicts, and the jailed operator stops being a consumer authority;
//   4. bad input: a forged justification, another consumer's set, an old set and a set of a
//      paused consumer are refused with typed errors and change nothing.
//
// Usage: node consumer/multichain.mjs <palisade ws url> <work dir>
// (scripts/multichain.sh spawns the Palisade validators with zombienet and runs it.)

import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { u8aToHex, hexToU8a } from '@polkadot/util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchConsumerNetwork } from './network.mjs';
import { Relay, send } from './relay.mjs';
import { precommitEquivocation } from '../lib/grandpa.js';

const [palisadeUrl, dir] = process.argv.slice(2);
if (!palisadeUrl || !dir) throw new Error('usage: node consumer/multichain.mjs <palisade ws url> <work dir>');
const CONSUMER = 0;
const t0 = Date.now();
const log = (msg) => console.log(`# [${((Date.now() - t0) / 1000).toFixed(1)} s] ${msg}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const report = {};

async function until(what, timeoutMs, check, everyMs = 1_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (e) { last = e; }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${last.message})` : ''}`);
}

async function connect(url) {
  return until(`a connection to ${url}`, 180_000, async () => {
    const provider = new WsProvider(url, false);
    try {
      await provider.connect();
      await until('the socket', 5_000, () => provider.isConnected, 100);
      return await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
    } catch (e) {
      await provider.disconnect().catch(() => {});
      throw e;
    }
  });
}

const finalizedNumber = async (api) =>
  (await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())).number.toNumber();

/** The Aura author key (hex) of consumer block `hash`: authorities[slot % n] at its parent. */
async function authorOf(api, hash) {
  const header = await api.rpc.chain.getHeader(hash);
  const pre = header.digest.logs.find((l) => l.isPreRuntime && l.asPreRuntime[0].toString() === 'aura');
  const slot = api.createType('u64', pre.asPreRuntime[1]).toBigInt();
  const authorities = await (await api.at(header.parentHash)).query.aura.authorities();
  return u8aToHex(authorities[Number(slot % BigInt(authorities.length))].toU8a());
}

async function main() {
  await cryptoWaitReady();
  const sr = new Keyring({ type: 'sr25519' });
  const ed = new Keyring({ type: 'ed25519' });
  const ferdie = sr.addFromUri('//Ferdie');
  const alice = sr.addFromUri('//Alice');
  const daveStash = sr.addFromUri('//Dave//stash');
  const charlieStash = sr.addFromUri('//Charlie//stash');
  const keys = {
    bob: ed.addFromUri('//Bob//consumer0'),
    charlie: ed.addFromUri('//Charlie//consumer0'),
    dave: ed.addFromUri('//Dave//consumer0'),
  };
  const hex = (pair) => u8aToHex(pair.publicKey);

  const palisade = await connect(palisadeUrl);
  const epochLength = (await palisade.query.consumers.epochLength()).toNumber();
  log(`Palisade connected (epoch length ${epochLength} blocks)`);
  await until('the demo consumer\'s first set on Palisade', 300_000,
    async () => (await palisade.query.consumers.validatorSets(CONSUMER)).isSome
      && (await finalizedNumber(palisade)) >= epochLength + 1);

  // --- 1. The consumer chain runs on the set Palisade published -------------------------
  const network = await launchConsumerNetwork(palisade, {
    dir, admin: ferdie, sudo: alice, send,
    operators: [{ name: 'bob', suri: '//Bob//consumer0' }, { name: 'charlie', suri: '//Charlie//consumer0' }],
    extra: [{ name: 'dave', suri: '//Dave//consumer0' }],
  });
  const genesisSet = network.spec.set;
  log(`consumer chain launched from Palisade set ${genesisSet.setId} (epoch ${genesisSet.epoch}), anchor declared`);
  assert.deepEqual(new Set(genesisSet.keys.map((k) => `0x${k}`)), new Set([hex(keys.bob), hex(keys.charlie)]));
  const consumer = await connect(`ws://127.0.0.1:${network.nodes[0].port}`);
  const anchor = (await palisade.query.consumers.chainAnchors(CONSUMER)).unwrap().toNumber();
  assert.equal(anchor, genesisSet.setId);

  await until('consumer blocks finalized with the genesis set', 180_000,
    async () => (await finalizedNumber(consumer)) >= 3);
  log(`consumer produces and finalizes: finalized #${await finalizedNumber(consumer)}`);

  const relay = new Relay(palisade, consumer, {
    consumerId: CONSUMER, consumerSigner: ferdie, palisadeSigner: ferdie,
    log: (m) => log(`relay: ${m}`),
  });
  await relay.start();

  try {
    // The next set arrives, is applied as GRANDPA set 1, and finality continues under it.
    const rotated = await until('the consumer to run the next Palisade set', 240_000, async () => {
      const current = await consumer.query.palisadeConsumer.currentSet();
      return current.isSome && current.unwrap().grandpaSetId.toNumber() >= 1 ? current.unwrap() : null;
    });
    assert.equal(rotated.get('set').setId.toNumber(), anchor + rotated.grandpaSetId.toNumber());
    const appliedAt = rotated.appliedAt.toNumber();
    await until('consumer finality past the authority change', 120_000,
      async () => (await finalizedNumber(consumer)) >= appliedAt + 2);
    const grandpaSetId = (await consumer.query.grandpa.currentSetId()).toNumber();
    log(`consumer runs Palisade set ${rotated.get('set').setId} as GRANDPA set ${rotated.grandpaSetId} `
      + `(applied at #${appliedAt}), finalized #${await finalizedNumber(consumer)}, grandpa set id ${grandpaSetId}`);


    // --- 2. An operator opts in on Palisade and authors consumer blocks -----------------
    const minStake = (await palisade.query.consumers.consumerRecords(CONSUMER)).unwrap().params.minStakePerOperator.toBigInt();
    const bond = minStake * 2n;
    let r = await send(palisade, palisade.tx.operators.registerOperator(bond, 50_000_000, 'multichain operator Dave'), daveStash);
    assert.equal(r.error, null, `registerOperator: ${r.error}`);
    r = await send(palisade, palisade.tx.operators.optIn(CONSUMER, hex(keys.dave)), daveStash);
    assert.equal(r.error, null, `optIn: ${r.error}`);
    const optedInAt = (await palisade.rpc.chain.getHeader(r.blockHash)).number.toNumber();
    log(`//Dave//stash registered (bond ${bond}) and opted in at Palisade #${optedInAt}`);
    const daveAuthority = await until('Dave\'s key among the consumer authorities', 300_000, async () => {
      const authorities = await consumer.query.aura.authorities();
      return authorities.some((a) => u8aToHex(a.toU8a()) === hex(keys.dave));
    });
    assert.ok(daveAuthority);
    // Lag: the Palisade block that published the set with Dave -> the first consumer block
    // authored under it (the relay was running all along).
    const withDave = (await consumer.query.palisadeConsumer.currentSet()).unwrap();
    report.lag = await measureLag(palisade, consumer, withDave);
    log(`lag from publication to the first consumer block authored by the set: ${report.lag.ms} ms `
      + `(Palisade #${report.lag.palisadeBlock} -> consumer #${report.lag.consumerBlock})`);
    const daveBlock = await until('a consumer block authored by Dave\'s node', 120_000, async () => {
      const head = await consumer.rpc.chain.getHeader();
      return (await authorOf(consumer, head.hash)) === hex(keys.dave) ? head.number.toNumber() : null;
    }, 1_000);
    log(`Dave's consumer node authored consumer block #${daveBlock}`);

    // --- 3. Equivocation end to end ------------------------------------------------------
    const round = await consumer.rpc.grandpa.roundState();
    const setId = round.setId.toNumber();
    const roundNumber = round.best.round.toNumber();
    const headHash = (await consumer.rpc.chain.getFinalizedHead()).toHex();
    const headNumber = (await consumer.rpc.chain.getHeader(headHash)).number.toNumber();
    const fake = u8aToHex(new Uint8Array(32).fill(0xee));
    const proof = precommitEquivocation(keys.charlie, setId, roundNumber, [headHash, headNumber], [fake, headNumber]);
    const palisadeSetOf = await consumer.query.palisadeConsumer.setHistory();
    const entry = palisadeSetOf.find((e) => e.grandpaSetId.toNumber() === setId);
    const offenceEpoch = entry.epoch.toNumber();
    r = await send(consumer, consumer.tx.palisadeConsumer.reportEquivocation(proof), ferdie);
    assert.equal(r.error, null, `reportEquivocation on the consumer: ${r.error}`);
    log(`Charlie's double vote (consumer GRANDPA set ${setId}, round ${roundNumber}) proven on the consumer chain; Palisade set ${entry.setId}, epoch ${offenceEpoch}`);

    // The exposure in force at the offence epoch: the last checkpoint from at most that epoch.
    const checkpoints = await palisade.query.consumers.exposureIndex(CONSUMER, charlieStash.address);
    const inForce = [...checkpoints].reverse().find((c) => c.from.toNumber() <= offenceEpoch);
    assert.ok(inForce && inForce.key.isSome, 'Charlie was a member at the offence epoch');
    const exposure = (await palisade.query.consumers.exposureCheckpoints(CONSUMER, charlieStash.address, inForce.from)).unwrap();
    const params = await palisade.query.serviceSlashing.params();
    const fraction = params.equivocation.toBigInt();
    const fractionOf = (x) => (x * fraction + 999_999_999n) / 1_000_000_000n;
    const reported = await until('Palisade to record the relayed evidence', 120_000, async () => {
      const events = await palisade.query.system.events();
      const e = events.find(({ event }) => event.section === 'serviceSlashing' && event.method === 'OffenceReported'
        && event.data.operator.toString() === charlieStash.address);
      return e ? e.event : null;
    }, 500);
    log(`Palisade recorded the offence: ${JSON.stringify(reported.data.toHuman())}`);
    const executed = await until('the slash to execute after the veto delay', 600_000, async () => {
      const events = await palisade.query.system.events();
      const e = events.find(({ event }) => event.section === 'serviceSlashing' && event.method === 'SlashExecuted'
        && event.data.operator.toString() === charlieStash.address);
      return e ? e.event : null;
    }, 1_000);
    const data = executed.data;
    const predictedBond = fractionOf(exposure.own.toBigInt());
    log(`slash executed: ${JSON.stringify(data.toHuman())}; predicted bond ${predictedBond}`);
    report.slash = { predictedBond: predictedBond.toString(), event: data.toHuman() };
    assertSlashMatches(data, exposure, fractionOf);

    await until('Charlie (jailed) to leave the consumer authorities', 300_000, async () => {
      const authorities = await consumer.query.aura.authorities();
      return !authorities.some((a) => u8aToHex(a.toU8a()) === hex(keys.charlie));
    });
    log('Charlie, jailed on Palisade, is no consumer authority any more');

    // --- 4. Bad input ----------------------------------------------------------------------
    await badInput(palisade, consumer, ferdie);
    report.relay = relay.stats;
    log(`relay: ${JSON.stringify(relay.stats)}`);
    // Charged weights of the relay's submissions against a transfer_keep_alive, in the
    // consumer runtime's own weights.
    const transfer = await consumer.tx.balances.transferKeepAlive(ferdie.address, 1_000_000_000_000n).paymentInfo(ferdie);
    const transferRef = transfer.weight.refTime.toBigInt();
    const ratio = (xs) => (xs.length ? Number(xs.reduce((a, b) => (a > b ? a : b))) / Number(transferRef) : null);
    report.weights = {
      transferKeepAlive: transferRef.toString(),
      headerImportMax: relay.weights.header.length ? relay.weights.header.reduce((a, b) => (a > b ? a : b)).toString() : null,
      setUpdateMax: relay.weights.set.length ? relay.weights.set.reduce((a, b) => (a > b ? a : b)).toString() : null,
      headerImportRatio: ratio(relay.weights.header),
      setUpdateRatio: ratio(relay.weights.set),
    };
    log(`weights vs transfer_keep_alive: header import ${report.weights.headerImportRatio?.toFixed(2)}x, `
      + `set update ${report.weights.setUpdateRatio?.toFixed(2)}x`);
  } finally {
    await relay.stop();
    writeFileSync(join(dir, 'multichain-report.json'), JSON.stringify(report, null, 2));
    for (const node of network.nodes) node.proc.kill('SIGINT');
    await sleep(2_000);
    for (const node of network.nodes) if (!node.proc.exited) node.proc.kill('SIGKILL');
  }
}

/** Publication block of `rotated.set` on Palisade vs the first consumer block after it applied. */
async function measureLag(palisade, consumer, rotated) {
  const setId = rotated.get('set').setId.toNumber();
  const epoch = rotated.get('set').epoch.toNumber();
  const epochLength = (await palisade.query.consumers.epochLength()).toNumber();
  // The set is published in the first block of its epoch (or the next ones while the
  // transition runs): search from the epoch's first block.
  const start = epoch * epochLength;
  let published = null;
  for (let n = Math.max(1, start - 2); n < start + epochLength && !published; n += 1) {
    const hash = await palisade.rpc.chain.getBlockHash(n);
    const events = await (await palisade.at(hash)).query.system.events();
    if (events.some(({ event }) => event.section === 'consumers' && event.method === 'ValidatorSetUpdated'
      && event.data.setId.toNumber() === setId)) {
      published = { number: n, time: (await (await palisade.at(hash)).query.timestamp.now()).toNumber() };
    }
  }
  assert.ok(published, `the publication of set ${setId}`);
  const first = rotated.appliedAt.toNumber() + 1;
  const hash = await until(`consumer block #${first}`, 60_000, async () => {
    const h = await consumer.rpc.chain.getBlockHash(first);
    return h.isEmpty ? null : h;
  });
  const time = (await (await consumer.at(hash)).query.timestamp.now()).toNumber();
  return { ms: time - published.time, palisadeBlock: published.number, consumerBlock: first };
}

/** The executed slash took its fraction (rounded up) of the offence epoch's exposure: bond and
 * each pool, exactly. */
function assertSlashMatches(data, exposure, fractionOf) {
  const human = JSON.stringify(data.toHuman());
  const parts = data.fraction.toBigInt();
  const ceil = (x) => (x * parts + 999_999_999n) / 1_000_000_000n;
  assert.equal(ceil(1_000_000_000n), fractionOf(1_000_000_000n), `fraction ${parts} is the equivocation fraction`);
  assert.equal(data.bondTaken.toBigInt(), ceil(exposure.own.toBigInt()), `bond: ${human}`);
  const pools = new Map(data.pools.map(([pool, amount]) => [pool.toNumber(), amount.toBigInt()]));
  assert.equal(pools.size, exposure.pools.length, `pools: ${human}`);
  for (const [pool, backing] of exposure.pools.map(([p, b]) => [p.toNumber(), b.toBigInt()])) {
    assert.equal(pools.get(pool), ceil(backing), `pool ${pool}: ${human}`);
  }
}

/** Forged justification, another consumer's set, an old set: typed errors, nothing changes. */
async function badInput(palisade, consumer, signer) {
  const before = {
    best: (await consumer.query.bridgePalisadeGrandpa.bestFinalized()).toHex(),
    last: (await consumer.query.palisadeConsumer.lastAccepted()).toHex(),
    pending: (await consumer.query.palisadeConsumer.pendingSet()).toHex(),
  };
  const head = await palisade.rpc.chain.getHeader(await palisade.rpc.chain.getFinalizedHead());
  const set = await consumer.query.bridgePalisadeGrandpa.currentAuthoritySet();
  // A forged justification: a real header, a commit with a made-up signature.
  const forged = palisade.createType('GrandpaJustification', {
    round: 1,
    commit: {
      targetHash: head.hash, targetNumber: head.number,
      precommits: [{
        precommit: { targetHash: head.hash, targetNumber: head.number },
        signature: u8aToHex(new Uint8Array(64).fill(7)),
        id: set.authorities[0][0],
      }],
    },
    votesAncestries: [],
  });
  let r = await send(consumer, consumer.tx.bridgePalisadeGrandpa.submitFinalityProofEx(
    head.toU8a(), forged.toU8a(), set.setId, false), signer);
  assert.match(r.error ?? '', /bridgePalisadeGrandpa\./, `forged justification: ${r.error}`);
  log(`forged justification refused: ${r.error}`);

  const best = (await consumer.query.bridgePalisadeGrandpa.bestFinalized()).unwrap();
  const bestHash = best[1].toHex();
  const last = (await consumer.query.palisadeConsumer.lastAccepted()).unwrap().setId.toNumber();
  // Another consumer's set (id 1: none registered; its key proves an absent value), the next
  // set id of this consumer through another consumer's key, and an old set.
  const otherKey = palisade.query.consumers.publishedSets.key(1, last + 1);
  const otherProof = (await palisade.rpc.state.getReadProof([otherKey], bestHash)).proof.map((n) => n.toHex());
  r = await send(consumer, consumer.tx.palisadeConsumer.submitValidatorSet(bestHash, last + 1, otherProof), signer);
  // The proof of the other entry either misses this consumer's entry or proves it absent.
  assert.ok(['palisadeConsumer.ValidatorSetNotInProof', 'palisadeConsumer.NoValidatorSet',
    'palisadeConsumer.SetPending'].includes(r.error), `another consumer's set: ${r.error}`);
  log(`another consumer's set refused: ${r.error}`);
  const oldKey = palisade.query.consumers.publishedSets.key(CONSUMER, last);
  const oldProof = (await palisade.rpc.state.getReadProof([oldKey], bestHash)).proof.map((n) => n.toHex());
  r = await send(consumer, consumer.tx.palisadeConsumer.submitValidatorSet(bestHash, last, oldProof), signer);
  assert.ok(['palisadeConsumer.StaleSetId', 'palisadeConsumer.SetPending'].includes(r.error), `old set: ${r.error}`);
  log(`old set refused: ${r.error}`);
  const unknown = u8aToHex(new Uint8Array(32).fill(0x42));
  r = await send(consumer, consumer.tx.palisadeConsumer.submitValidatorSet(unknown, last + 1, oldProof), signer);
  assert.ok(['palisadeConsumer.UnknownPalisadeHeader', 'palisadeConsumer.SetPending'].includes(r.error), `unknown header: ${r.error}`);
  log(`never-imported header refused: ${r.error}`);
  // Nothing changed but what the relay may have done meanwhile (it only moves forward).
  const after = (await consumer.query.palisadeConsumer.lastAccepted()).unwrap().setId.toNumber();
  assert.ok(after >= last);
  void before; void hexToU8a;
}

main().then(() => {
  log(`multi-chain test passed; report: ${JSON.stringify(report)}`);
  process.exit(0);
}, (e) => {
  console.error(`# multi-chain test FAILED: ${e.stack ?? e}`);
  process.exit(1);
});
