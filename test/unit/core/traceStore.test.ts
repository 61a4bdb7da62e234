import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, appendFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEndpointClient } from '../../../src/core/endpoint';
import { runLoop } from '../../../src/core/loop';
import { getTemplate } from '../../../src/core/templates';
import { appendTrajectory, readTrajectories, TraceWriter, type BadLine } from '../../../src/core/traceStore';
import { TRACE_SCHEMA, type Trajectory } from '../../../src/core/trace';
import { validateTrajectory } from '../../../src/core/traceSchema';
import { FakeRetriever, FILM_DOCS, FILM_POLICY, minimalTrajectory } from './helpers';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/scriptedServer';
import { InputError } from '../../../src/core/errors';

/** The compiled schema check (traceSchema.ts), with the last value's errors beside it for assertion messages. */
function validator(): ((v: unknown) => boolean) & { errors?: string[] } {
  const validate = Object.assign(
    (v: unknown) => {
      const r = validateTrajectory(v);
      validate.errors = r.ok ? undefined : r.errors;
      return r.ok;
    },
    { errors: undefined as string[] | undefined },
  );
  return validate;
}

describe('trace JSON Schema', () => {
  let server: ScriptedServer;
  let dir: string;
  before(async () => {
    server = await startScriptedServer({ policies: [FILM_POLICY, { match: 'never answers', queries: ['x'] }] });
    dir = await mkdtemp(join(tmpdir(), 'hopscope-trace-'));
  });
  after(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('validates what the loop writes, for every template and stop reason we can provoke', async () => {
    const validate = validator();
    const endpoint = createEndpointClient({ baseUrl: server.baseUrl });
    const file = join(dir, 'loop.jsonl');
    const failing = new FakeRetriever(FILM_DOCS);
    failing.failOnCall = 1;
    const runs = [
      runLoop({ question: 'Who directed Indradhanura Chhai?', gold: ['Susant Misra'], template: getTemplate('r1-searcher'), endpoint, retriever: new FakeRetriever(FILM_DOCS) }),
      runLoop({ question: 'Who directed Indradhanura Chhai?', template: getTemplate('search-r1'), endpoint, retriever: new FakeRetriever(FILM_DOCS) }),
      runLoop({ question: 'It never answers', template: getTemplate('r1-searcher'), endpoint, retriever: new FakeRetriever(FILM_DOCS) }),
      runLoop({ question: 'Who directed Indradhanura Chhai?', template: getTemplate('r1-searcher'), endpoint, retriever: failing }),
      runLoop({ question: 'Who directed Indradhanura Chhai?', template: getTemplate('r1-searcher'), endpoint, retriever: new FakeRetriever(FILM_DOCS), params: { maxTokens: 3 } }),
    ];
    for (const t of await Promise.all(runs)) await appendTrajectory(file, t);
    const read: Trajectory[] = [];
    for await (const t of readTrajectories(file)) read.push(t);
    assert.deepEqual(read.map((t) => t.stopReason), ['finished', 'finished', 'eos_no_answer', 'error', 'length']);
    for (const t of read) assert.ok(validate(t), JSON.stringify(validate.errors));
  });

  it('rejects what breaks the contract', () => {
    const validate = validator();
    assert.ok(validate(minimalTrajectory(1)));
    assert.ok(!validate({ ...minimalTrajectory(1), stopReason: 'done' }));
    assert.ok(!validate({ ...minimalTrajectory(1), schema: 'hopscope.trace/v0' }));
    assert.ok(!validate({ ...minimalTrajectory(1), policy: { ...minimalTrajectory(1).policy, endpoint: 'http://u:p@h/v1' } }));
    const badStep = minimalTrajectory(1);
    (badStep.steps[1] as any).docs = [{ id: 'd' }];
    assert.ok(!validate(badStep));
  });
});

describe('trace store', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hopscope-store-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('writes one whole line per trajectory, even with newlines in texts and concurrent writes', async () => {
    const file = join(dir, 'sub', 'a.jsonl');
    const w = await TraceWriter.open(file);
    await Promise.all(Array.from({ length: 50 }, (_, i) => w.write(minimalTrajectory(i))));
    await w.close();
    const lines = (await readFile(file, 'utf8')).split('\n');
    assert.equal(lines.pop(), '');
    assert.equal(lines.length, 50);
    assert.deepEqual(lines.map((l) => JSON.parse(l).id).sort(), Array.from({ length: 50 }, (_, i) => `t${i}`).sort());
    await assert.rejects(w.write(minimalTrajectory(99)), /closed/);
  });

  it('appends after a partial last line on a fresh line, and the reader reports the broken one by number', async () => {
    const file = join(dir, 'b.jsonl');
    await appendTrajectory(file, minimalTrajectory(1));
    await appendFile(file, '{"schema":"hopscope.trace/v1","id":"cut'); // a crash mid-line
    await appendTrajectory(file, minimalTrajectory(2));
    const bad: BadLine[] = [];
    const ids: string[] = [];
    for await (const t of readTrajectories(file, { onBadLine: (b) => bad.push(b) })) ids.push(t.id);
    assert.deepEqual(ids, ['t1', 't2']);
    assert.equal(bad.length, 1);
    assert.equal(bad[0].line, 2);
    assert.match(bad[0].reason, /not valid JSON/);
  });

  it('reports lines that are JSON but not trajectories, and skips blank lines', async () => {
    const file = join(dir, 'c.jsonl');
    await writeFile(file, [JSON.stringify(minimalTrajectory(1)), '', '[1,2]', JSON.stringify({ schema: 'other' }), JSON.stringify({ ...minimalTrajectory(3), steps: [{ kind: 'dance' }] }), JSON.stringify(minimalTrajectory(4))].join('\n'));
    const bad: BadLine[] = [];
    const ids: string[] = [];
    for await (const t of readTrajectories(file, { onBadLine: (b) => bad.push(b) })) ids.push(t.id);
    assert.deepEqual(ids, ['t1', 't4']);
    assert.deepEqual(bad.map((b) => b.line), [3, 4, 5]);
    assert.match(bad[1].reason, /schema/);
    assert.match(bad[2].reason, /step 0/);
  });

  it('a missing file is one clear error naming it', async () => {
    const gen = readTrajectories(join(dir, 'nope.jsonl'));
    await assert.rejects(gen.next(), /nope\.jsonl: cannot read: no such file$/);
  });

  it('a directory given as a file is one clear error naming it, not a bare EISDIR', async () => {
    await assert.rejects(readTrajectories(dir).next(), (e: unknown) => e instanceof InputError && e.message === `${dir}: cannot read: a directory, not a file`);
  });

  it('streams 100,000 trajectories without holding the file', async () => {
    const file = join(dir, 'big.jsonl');
    const out = createWriteStream(file);
    const line = JSON.stringify(minimalTrajectory(0, { raw: 'x'.repeat(500) }));
    for (let i = 0; i < 100_000; i++) {
      if (!out.write(`${line}\n`)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
    await new Promise<void>((r) => out.end(r));
    global.gc?.();
    const base = process.memoryUsage().heapUsed;
    let n = 0;
    let peak = 0;
    for await (const t of readTrajectories(file)) {
      n++;
      assert.equal(t.schema, TRACE_SCHEMA);
      if (n % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
    assert.equal(n, 100_000);
    // The file is ~120 MB; holding it would need several times that. Streaming stays far below.
    assert.ok(peak < 60 * 1024 * 1024, `heap grew by ${Math.round(peak / 1e6)} MB`);
  });
});
