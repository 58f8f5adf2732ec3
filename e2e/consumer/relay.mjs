// The Palisade <-> consumer chain relay. It needs no trust: every item it carries is checked on
// chain by the receiving side. Anyone may run it (operators of the consumer chain usually do);
// two relays at once only waste fees on duplicates, which are refused cheaply.
//
// Palisade -> consumer:
//   1. Finality: GRANDPA justifications of Palisade blocks (`grandpa_subscribeJustifications`,
//      or `grandpa_proveFinality` for the blocks that change Palisade's authorities, which the
//      light client must import in order: "mandatory headers") are trimmed to what the light
//      client accepts (no vote beyond the threshold, no unused ancestry) and imported with
//      `bridgePalisadeGrandpa.submitFinalityProofEx`.
//   2. Sets: the set after the one the consumer accepted last, `Consumers::PublishedSets(id,
//      next)`, is proven at an imported header (`state_getReadProof`) and submitted with
//      `palisadeConsumer.submitValidatorSet`, one set at a time, in order.
// Consumer -> Palisade:
//   3. Evidence: GRANDPA equivocations proven on the consumer chain
//      (`palisadeConsumer.equivocations`) are reported to Palisade with
//      `serviceSlashing.reportEquivocation`, which checks them again and slashes the operator
//      for the epoch the set belongs to.
//
// Usage (CLI):
//   node consumer/relay.mjs --palisade ws://127.0.0.1:9944 --consumer ws://127.0.0.1:9955 \
//     [--consumer-id 0] [--consumer-signer //Ferdie] [--palisade-signer //Ferdie]

import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { hexToU8a, u8aToHex } from '@polkadot/util';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** GRANDPA's consensus engine id in digests ("FRNK"). */
const GRANDPA_ENGINE = '0x46524e4b';

export class Relay {
  /**
   * @param palisade ApiPromise connected to a Palisade node
   * @param consumer ApiPromise connected to a consumer chain node
   * @param opts { consumerId, consumerSigner, palisadeSigner, log }
   */
  constructor(palisade, consumer, opts) {
    this.palisade = palisade;
    this.consumer = consumer;
    this.consumerId = opts.consumerId ?? 0;
    this.consumerSigner = opts.consumerSigner;
    this.palisadeSigner = opts.palisadeSigner;
    this.log = opts.log ?? ((...a) => console.log('[relay]', ...a));
    this.latestJustification = null; // { hash, number, bytes }
    this.forwarded = new Set();
    this.stats = { headers: 0, sets: 0, evidence: 0, errors: 0 };
    this.weights = { header: [], set: [] }; // charged ref time of each accepted submission
    this.stopped = false;
  }

  /** Starts following Palisade's justifications and runs the loop until `stop()`. */
  async start(intervalMs = 1_000) {
    this.unsub = await this.palisade.rpc.grandpa.subscribeJustifications((j) => {
      const bytes = j.toU8a ? j.toU8a(true) : hexToU8a(j);
      const decoded = this.palisade.createType('GrandpaJustification', bytes);
      this.latestJustification = {
        hash: decoded.commit.targetHash.toHex(),
        number: decoded.commit.targetNumber.toNumber(),
        bytes,
      };
    });
    this.loop = (async () => {
      while (!this.stopped) {
        try {
          await this.step();
        } catch (e) {
          this.stats.errors += 1;
          this.log(`step failed: ${e.message ?? e}`);
        }
        await sleep(intervalMs);
      }
    })();
  }

  async stop() {
    this.stopped = true;
    try { this.unsub?.(); } catch { /* already gone */ }
    await this.loop;
  }

  /** One round: mandatory headers, then the next set, then evidence. */
  async step() {
    await this.importMandatoryHeaders();
    await this.relayNextSet();
    await this.forwardEvidence();
  }

  /** The light client's best finalized Palisade block: { number, hash }. */
  async bridgeBest() {
    const best = await this.consumer.query.bridgePalisadeGrandpa.bestFinalized();
    if (best.isNone) return null;
    const [number, hash] = best.unwrap();
    return { number: number.toNumber(), hash: hash.toHex() };
  }

  /** The light client's GRANDPA set: { setId, authorities }. */
  async bridgeSet() {
    const set = await this.consumer.query.bridgePalisadeGrandpa.currentAuthoritySet();
    return { setId: set.setId.toNumber(), authorities: set.authorities.length };
  }

  /**
   * Trims a justification to what the strict verifier of the light client accepts: precommits
   * up to the threshold of the set (every Palisade authority weighs 1), and only the ancestry
   * headers on the routes of those precommits to the target.
   */
  optimize(bytes, authorityCount) {
    const j = this.palisade.createType('GrandpaJustification', bytes);
    const threshold = authorityCount - Math.floor((authorityCount - 1) / 3);
    const seen = new Set();
    const precommits = [];
    for (const signed of j.commit.precommits) {
      const id = signed.id.toHex();
      if (seen.has(id)) continue;
      seen.add(id);
      precommits.push(signed);
      if (precommits.length >= threshold) break;
    }
    const byHash = new Map(j.votesAncestries.map((h) => [h.hash.toHex(), h]));
    const target = j.commit.targetHash.toHex();
    const keep = new Set();
    for (const signed of precommits) {
      let cursor = signed.precommit.targetHash.toHex();
      while (cursor !== target && byHash.has(cursor)) {
        keep.add(cursor);
        cursor = byHash.get(cursor).parentHash.toHex();
      }
    }
    const ancestries = j.votesAncestries.filter((h) => keep.has(h.hash.toHex()));
    const trimmed = this.palisade.createType('GrandpaJustification', {
      round: j.round,
      commit: {
        targetHash: j.commit.targetHash,
        targetNumber: j.commit.targetNumber,
        precommits,
      },
      votesAncestries: ancestries,
    });
    return trimmed.toU8a();
  }

  /** Imports Palisade block `hash` with justification `bytes` into the light client. */
  async importHeader(hash, bytes) {
    const header = await this.palisade.rpc.chain.getHeader(hash);
    const set = await this.bridgeSet();
    const justification = this.optimize(bytes, set.authorities);
    // SCALE bytes decode into the consumer's own metadata types.
    const tx = this.consumer.tx.bridgePalisadeGrandpa.submitFinalityProofEx(
      header.toU8a(), justification, set.setId, false);
    const result = await send(this.consumer, tx, this.consumerSigner);
    if (result.error) throw new Error(`header #${header.number} refused: ${result.error}`);
    this.stats.headers += 1;
    if (result.weight !== null) this.weights.header.push(result.weight);
    this.log(`imported Palisade #${header.number.toNumber()} ${hash.slice(0, 10)}`);
    return header.number.toNumber();
  }

  /**
   * Follows Palisade's own authority changes: while the light client's set id is behind
   * Palisade's at the latest justified block, import the header that enacts the next change
   * (found by its GRANDPA digest after the light client's best block) with its stored
   * justification.
   */
  async importMandatoryHeaders() {
    const latest = this.latestJustification;
    if (!latest) return;
    const best = await this.bridgeBest();
    if (!best) return;
    const bridgeSet = (await this.bridgeSet()).setId;
    const at = await this.palisade.at(latest.hash);
    const palisadeSet = (await at.query.grandpa.currentSetId()).toNumber();
    if (palisadeSet <= bridgeSet) return;
    for (let n = best.number + 1; n <= latest.number; n += 1) {
      const hash = (await this.palisade.rpc.chain.getBlockHash(n)).toHex();
      const header = await this.palisade.rpc.chain.getHeader(hash);
      const change = header.digest.logs.some((log) => log.isConsensus
        && log.asConsensus[0].toHex() === GRANDPA_ENGINE
        && [1, 2].includes(log.asConsensus[1][0]));
      if (!change) continue;
      const proof = await this.palisade.rpc.grandpa.proveFinality(n);
      if (proof.isNone) throw new Error(`no finality proof for the mandatory header #${n}`);
      const [block, justification] = this.palisade.createType(
        '(H256, Bytes, Vec<Header>)', proof.unwrap().toU8a(true));
      if (block.toHex() !== hash) {
        throw new Error(`no justification stored for the mandatory header #${n}`);
      }
      await this.importHeader(hash, justification.toU8a(true));
      return;
    }
  }

  /** Proves and submits the set after the last one the consumer accepted, if published. */
  async relayNextSet() {
    const pending = await this.consumer.query.palisadeConsumer.pendingSet();
    if (pending.isSome) return;
    const last = await this.consumer.query.palisadeConsumer.lastAccepted();
    const next = last.isSome ? last.unwrap().setId.toNumber() + 1 : null;
    const latest = this.latestJustification;
    if (!latest) return;
    const key = next === null
      ? null
      : this.palisade.query.consumers.publishedSets.key(this.consumerId, next);
    // A set to relay at the latest justified Palisade block?
    const atLatest = await this.palisade.at(latest.hash);
    let setId = next;
    if (setId === null) {
      const current = await atLatest.query.consumers.validatorSets(this.consumerId);
      if (current.isNone) return;
      setId = current.unwrap().setId.toNumber();
    }
    const published = await atLatest.query.consumers.publishedSets(this.consumerId, setId);
    if (published.isNone) return;
    // Prove it at a header the light client has: the best one if it holds the set, else
    // import the latest justified block first.
    let best = await this.bridgeBest();
    const storageKey = key ?? this.palisade.query.consumers.publishedSets.key(this.consumerId, setId);
    let holds = false;
    if (best) {
      const atBest = await this.palisade.at(best.hash).catch(() => null);
      holds = atBest ? (await atBest.query.consumers.publishedSets(this.consumerId, setId)).isSome : false;
    }
    if (!holds) {
      if (best && best.number >= latest.number) return; // wait for a newer justification
      await this.importHeader(latest.hash, latest.bytes);
      best = await this.bridgeBest();
    }
    const readProof = await this.palisade.rpc.state.getReadProof([storageKey], best.hash);
    const proof = readProof.proof.map((node) => node.toHex());
    const tx = this.consumer.tx.palisadeConsumer.submitValidatorSet(best.hash, setId, proof);
    const result = await send(this.consumer, tx, this.consumerSigner);
    if (result.error) throw new Error(`set ${setId} refused: ${result.error}`);
    this.stats.sets += 1;
    if (result.weight !== null) this.weights.set.push(result.weight);
    this.log(`set ${setId} proven at Palisade #${best.number}`);
  }

  /** Reports every equivocation proven on the consumer chain to Palisade, once. */
  async forwardEvidence() {
    const entries = await this.consumer.query.palisadeConsumer.equivocations.entries();
    for (const [storageKey, value] of entries) {
      const id = storageKey.toHex();
      if (this.forwarded.has(id) || value.isNone) continue;
      const record = value.unwrap();
      const tx = this.palisade.tx.serviceSlashing.reportEquivocation(
        this.consumerId, record.proof.toU8a(true));
      const result = await send(this.palisade, tx, this.palisadeSigner);
      this.forwarded.add(id);
      if (result.error && result.error !== 'serviceSlashing.DuplicateReport') {
        this.log(`evidence of set ${record.setId} refused by Palisade: ${result.error}`);
        continue;
      }
      this.stats.evidence += 1;
      this.log(`evidence of Palisade set ${record.setId} (epoch ${record.epoch}) reported`);
    }
  }
}

/** Signs and submits `tx`; resolves once in a block with { blockHash, error }. */
export function send(api, tx, signer) {
  return new Promise((res, rej) => {
    let unsub;
    tx.signAndSend(signer, { nonce: -1 }, (result) => {
      const { status, dispatchError, events } = result;
      if (status.isInBlock) {
        // The weight the runtime charged (post-dispatch), from ExtrinsicSuccess/Failed.
        const done = events.find(({ event }) => event.section === 'system'
          && (event.method === 'ExtrinsicSuccess' || event.method === 'ExtrinsicFailed'));
        const info = done?.event.data.dispatchInfo ?? done?.event.data[done.event.method === 'ExtrinsicSuccess' ? 0 : 1];
        const weight = info ? info.weight.refTime.toBigInt() : null;
        let error = null;
        if (dispatchError) {
          if (dispatchError.isModule) {
            const d = api.registry.findMetaError(dispatchError.asModule);
            error = `${d.section}.${d.name}`;
          } else {
            error = dispatchError.toString();
          }
        }
        unsub?.();
        res({ blockHash: status.asInBlock.toHex(), error, weight });
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        unsub?.();
        rej(new Error(`transaction ${status.type}`));
      }
    }).then((u) => { unsub = u; }).catch(rej);
  });
}

function arg(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

// CLI
if (import.meta.url === `file://${process.argv[1]}`) {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  const palisade = await ApiPromise.create({
    provider: new WsProvider(arg('palisade', 'ws://127.0.0.1:9944')), noInitWarn: true });
  const consumer = await ApiPromise.create({
    provider: new WsProvider(arg('consumer', 'ws://127.0.0.1:9955')), noInitWarn: true });
  const relay = new Relay(palisade, consumer, {
    consumerId: Number(arg('consumer-id', '0')),
    consumerSigner: keyring.addFromUri(arg('consumer-signer', '//Ferdie')),
    palisadeSigner: keyring.addFromUri(arg('palisade-signer', '//Ferdie')),
  });
  process.on('SIGINT', async () => { await relay.stop(); process.exit(0); });
  process.on('SIGTERM', async () => { await relay.stop(); process.exit(0); });
  await relay.start();
  console.log('[relay] running; Ctrl-C to stop');
}

export { u8aToHex };
