import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { OtlpReceiver } from '../../fixtures/otlpReceiver';

const ROOT = join(__dirname, '../../..');
const ROLLOUTS = join(ROOT, 'test/fixtures/importers/r1searcher/hotpotqa_qwen.sample.jsonl');

let receiver: OtlpReceiver;
before(async () => {
  receiver = await new OtlpReceiver().start();
});
after(() => receiver.stop());

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
    execFile(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli.ts'), ...args], { cwd: ROOT, env: { ...clean, ...env }, maxBuffer: 64 << 20 }, (e, out, err) => {
      if (e && typeof e.code !== 'number') return reject(e);
      resolve({ code: e ? (e.code as number) : 0, out, err });
    });
  });
}

test('hopscope export --otlp sends protobuf to OTEL_EXPORTER_OTLP_ENDPOINT with the given header, and sums up', async () => {
  receiver.received.length = 0;
  const r = await cli(['export', ROLLOUTS, '--otlp', '--otlp-header', 'Authorization=Basic cGs6c2s='], { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
  assert.equal(r.code, 0, r.err);
  assert.equal(r.out, '', 'nothing on stdout');
  assert.equal(receiver.received.length, 1);
  assert.equal(receiver.received[0]!.contentType, 'application/x-protobuf');
  assert.equal(receiver.received[0]!.headers.authorization, 'Basic cGs6c2s=');
  assert.equal(new Set(receiver.spans().map((s) => s.traceId)).size, 8);
  assert.match(r.err, new RegExp(`sent 8 trajectories \\(\\d+ spans\\) to ${receiver.url.replace(/\./g, '\\.')}/v1/traces as http/protobuf in 1 request`));
});

test('a refused push exits 1 naming the endpoint and the status, without the credentials or a stack trace', async () => {
  receiver.script.push({ status: 403, body: 'forbidden' });
  const url = receiver.url.replace('http://', 'http://pk:sk-secret@');
  const r = await cli(['export', ROLLOUTS, '--otlp', '--otlp-endpoint', url, '--otlp-protocol', 'http/json']);
  assert.equal(r.code, 1);
  assert.match(r.err, /hopscope: the collector at http:\/\/127\.0\.0\.1:\d+\/v1\/traces refused the traces: HTTP 403 Forbidden: forbidden \(check the credentials/);
  assert.ok(!r.err.includes('sk-secret'));
  assert.ok(!/\n\s+at /.test(r.err), 'no stack trace');
});

test('--otlp does not go with --out or another --format; --otlp-* options need --otlp', async () => {
  assert.equal((await cli(['export', ROLLOUTS, '--otlp', '--out', '/tmp/x.json'])).code, 2);
  assert.equal((await cli(['export', ROLLOUTS, '--otlp', '--format', 'html'])).code, 2);
  assert.equal((await cli(['export', ROLLOUTS, '--otlp-endpoint', receiver.url])).code, 2);
});
