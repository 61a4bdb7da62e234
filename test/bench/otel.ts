/**
 * `npm run bench:otel`: the OpenTelemetry export of the shared R1-Searcher rollouts (test fixtures, 1,390
 * trajectories): spans per trajectory, size as OTLP/JSON and protobuf, time to build and encode, and a
 * push to a local receiver (the test fixture) with the default 4 MB batches, by protocol. Never asserted.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { toOtlp } from '../../src/core/export/otel';
import { importFile } from '../../src/core/importers';
import { resolvePushConfig } from '../../src/core/otel/config';
import { encodeTraces } from '../../src/core/otel/protobuf';
import { pushTrajectories } from '../../src/core/otel/push';
import type { Trajectory } from '../../src/core/trace';
import { OtlpReceiver } from '../fixtures/otlpReceiver';

const FULL = join(__dirname, '../fixtures/importers/r1searcher/full');
const mb = (n: number) => (n / 1e6).toFixed(1);

async function main(): Promise<void> {
  const trajectories: Trajectory[] = [];
  for (const f of readdirSync(FULL).filter((n) => n.endsWith('.jsonl.gz')).sort()) trajectories.push(...(await importFile(join(FULL, f))).trajectories);
  const n = trajectories.length;

  let t = performance.now();
  const doc = toOtlp(trajectories);
  const buildMs = performance.now() - t;
  t = performance.now();
  const json = Buffer.byteLength(JSON.stringify(doc));
  const jsonMs = performance.now() - t;
  t = performance.now();
  const pb = encodeTraces(doc).length;
  const pbMs = performance.now() - t;
  const spans = doc.resourceSpans[0]!.scopeSpans[0]!.spans.length;

  console.log(`\n${n} trajectories, ${spans} spans (${(spans / n).toFixed(1)} per trajectory)\n`);
  console.log('| step | total | per trajectory |');
  console.log('|---|---:|---:|');
  console.log(`| build spans | ${buildMs.toFixed(0)} ms | ${(buildMs / n).toFixed(2)} ms |`);
  console.log(`| OTLP/JSON | ${mb(json)} MB, ${jsonMs.toFixed(0)} ms | ${(json / n / 1e3).toFixed(1)} KB |`);
  console.log(`| protobuf | ${mb(pb)} MB, ${pbMs.toFixed(0)} ms | ${(pb / n / 1e3).toFixed(1)} KB |`);

  const receiver = await new OtlpReceiver().start();
  console.log('\n| push (local receiver) | requests | MB sent | wall | trajectories/s |');
  console.log('|---|---:|---:|---:|---:|');
  for (const protocol of ['http/protobuf', 'http/json'] as const) {
    receiver.received.length = 0;
    t = performance.now();
    const s = await pushTrajectories(trajectories, { config: resolvePushConfig({ endpoint: receiver.url, protocol }, {}) });
    const wall = performance.now() - t;
    console.log(`| ${protocol} | ${s.requests} | ${mb(s.bytes)} | ${(wall / 1000).toFixed(1)} s | ${(n / (wall / 1000)).toFixed(0)} |`);
  }
  await receiver.stop();
}

void main();
