// The demo consumer chain next to a running Palisade dev node, in one command
// (`./scripts/consumer.sh`, which starts the Palisade dev node too when none is running):
// two consumer nodes run the keys of the demo operators //Bob//stash and //Charlie//stash
// (`//Bob//consumer0`, `//Charlie//consumer0`), and a relay carries Palisade's finality and
// validator sets to the consumer chain and its equivocation evidence back. Prints the state
// every few seconds; Ctrl-C stops everything.
//
//   node consumer/demo.mjs [--palisade ws://127.0.0.1:9944] [--dir /tmp/palisade-consumer]

import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchConsumerNetwork } from './network.mjs';
import { Relay, send } from './relay.mjs';
import { sleep } from '../lib/node.js';

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

await cryptoWaitReady();
const keyring = new Keyring({ type: 'sr25519' });
const ferdie = keyring.addFromUri('//Ferdie');
const alice = keyring.addFromUri('//Alice');
const palisadeUrl = arg('palisade', 'ws://127.0.0.1:9944');
const dir = arg('dir', join(tmpdir(), `palisade-consumer-${Date.now()}`));
const palisade = await ApiPromise.create({ provider: new WsProvider(palisadeUrl), noInitWarn: true });

console.log(`[demo] waiting for Palisade to publish a set for consumer 0 (${palisadeUrl})`);
while ((await palisade.query.consumers.validatorSets(0)).isNone) await sleep(2_000);
while ((await palisade.rpc.chain.getHeader(await palisade.rpc.chain.getFinalizedHead())).number.toNumber() < 1) {
  await sleep(1_000);
}

const network = await launchConsumerNetwork(palisade, {
  dir, admin: ferdie, sudo: alice, send,
  operators: [{ name: 'bob', suri: '//Bob//consumer0' }, { name: 'charlie', suri: '//Charlie//consumer0' }],
});
console.log(`[demo] consumer chain spec ${network.spec.path}; genesis authorities = Palisade set ${network.spec.set.setId}`);
for (const node of network.nodes) {
  console.log(`[demo] consumer node ${node.name}: ws://127.0.0.1:${node.port} (log ${dir}/${node.name}.log)`);
}

const consumer = await (async () => {
  for (;;) {
    const provider = new WsProvider(`ws://127.0.0.1:${network.nodes[0].port}`, false);
    try {
      await provider.connect();
      for (let i = 0; i < 20 && !provider.isConnected; i += 1) await sleep(100);
      if (!provider.isConnected) throw new Error('not up yet');
      return await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: true });
    } catch {
      await provider.disconnect().catch(() => {});
      await sleep(1_000);
    }
  }
})();
console.log('[demo] relay starting');
const relay = new Relay(palisade, consumer, { consumerId: 0, consumerSigner: ferdie, palisadeSigner: ferdie });
await relay.start();

const stop = async () => {
  await relay.stop();
  for (const node of network.nodes) node.proc.kill('SIGINT');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

for (;;) {
  await sleep(6_000);
  const head = await consumer.rpc.chain.getHeader();
  const fin = await consumer.rpc.chain.getHeader(await consumer.rpc.chain.getFinalizedHead());
  const current = await consumer.query.palisadeConsumer.currentSet();
  const set = current.isSome ? current.unwrap() : null;
  console.log(`[demo] consumer #${head.number} finalized #${fin.number}; runs Palisade set ${set?.get('set').setId} `
    + `(GRANDPA set ${set?.grandpaSetId}, ${set?.get('set').members.length} authorities); relay ${JSON.stringify(relay.stats)}`);
}
