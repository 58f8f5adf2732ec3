// Bad input on the command line gets the standard clear errors, and the node exits non-zero.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { nodeBinary } from '../lib/node.js';

// Building a spec runs the runtime's genesis builder, which compiles the runtime wasm first:
// ~4 s on an idle machine, but CI runs this beside a dozen debug nodes and the fuzzer on two
// cores, where it once took over 60 s. The limit only catches a hung node.
function run(args) {
  const r = spawnSync(nodeBinary(), args, { encoding: 'utf8', timeout: 600_000, maxBuffer: 256 * 1024 * 1024 });
  const timedOut = r.error?.code === 'ETIMEDOUT' ? `\n(killed after ${600} s: ${r.error.message})` : '';
  return { code: r.status, out: `${r.stdout}${r.stderr}${timedOut}` };
}

test('an unknown --chain is refused with the list of known chains', () => {
  const { code, out } = run(['--chain', 'no-such-chain', '--tmp']);
  assert.notEqual(code, 0);
  assert.match(out, /unknown chain `no-such-chain`: expected `dev`, `local`, `staging`/);
});

test('a malformed argument is refused by the argument parser', () => {
  const { code, out } = run(['--dev', '--rpc-port', 'not-a-port']);
  assert.notEqual(code, 0);
  assert.match(out, /invalid value 'not-a-port' for '--rpc-port <PORT>'/);
});

test('every named chain spec carries PAL / 12 decimals / ss58 42', () => {
  for (const chain of ['dev', 'local', 'staging']) {
    const { code, out } = run(['export-chain-spec', '--chain', chain]);
    assert.equal(code, 0, out.slice(-500));
    const spec = JSON.parse(out.slice(out.indexOf('{')));
    assert.deepEqual(spec.properties, { ss58Format: 42, tokenDecimals: 12, tokenSymbol: 'PAL' });
  }
});
