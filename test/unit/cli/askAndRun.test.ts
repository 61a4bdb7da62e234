import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRetrievalServer } from '../../../src/core/retrieval/server';
import { validateTrajectory } from '../../../src/core/traceSchema';
import { verdict } from '../../../src/core/verdict';
import { WorkspaceIndex } from '../../../src/core/retrieval/workspaceIndex';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/scriptedServer';
import { readTrajectories } from '../../../src/core/traceStore';
import type { Trajectory } from '../../../src/core/trace';

import { hopscope } from './spawnCli';

describe('hopscope ask and run (CLI, end to end)', () => {
  let dir: string;
  let indexDir: string;
  let server: ScriptedServer;
  let slow: ScriptedServer;
  const questions = Array.from({ length: 12 }, (_, i) => `Which number is ${i}?`);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hopscope-cli-'));
    const ws = join(dir, 'ws');
    await mkdir(ws);
    await writeFile(join(ws, 'films.md'), '# Indradhanura Chhai\n\nIndradhanura Chhai is a 1993 Oriya film directed by Susant Misra.\n\n# Rainbow\n\nA rainbow is an optical phenomenon.\n');
    indexDir = join(dir, 'index');
    const index = await WorkspaceIndex.build([ws], { root: ws });
    await index.save(indexDir);
    const policies = [
      { match: 'Who directed Indradhanura Chhai', queries: ['Indradhanura Chhai director'], answer: 'Susant Misra' },
      ...questions.map((q, i) => ({ match: q, queries: [`number ${i}`], answer: String(i) })),
    ];
    server = await startScriptedServer({ policies });
    slow = await startScriptedServer({ policies, latencyMs: 150 });
    await writeFile(
      join(dir, 'data.jsonl'),
      [
        JSON.stringify({ question: 'Who directed Indradhanura Chhai?', answer: 'Susant Misra' }),
        '{broken',
        JSON.stringify({ question: questions[0], golden_answers: ['0', 'zero'] }),
        JSON.stringify({ answer: 'no question' }),
        JSON.stringify({ question: questions[1], answer: 'wrong' }),
      ].join('\n'),
    );
    await writeFile(join(dir, 'many.jsonl'), questions.map((q, i) => JSON.stringify({ question: q, answer: String(i) })).join('\n'));
  });
  after(async () => {
    await server.close();
    await slow.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('ask prints the steps, the query, document titles, the answer and its metrics', async () => {
    const r = await hopscope(['ask', 'Who directed Indradhanura Chhai?', '--endpoint', server.baseUrl, '--index', indexDir, '--gold', 'Susant Misra']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /search\s+"Indradhanura Chhai director"/);
    assert.match(r.stdout, /\[1\] .*Indradhanura Chhai/);
    assert.match(r.stdout, /Answer:\s+Susant Misra/);
    assert.match(r.stdout, /EM 1\s+F1 1\.00\s+cover-EM 1/);
    assert.match(r.stdout, /Verdict:  correct: the answer matches a gold answer exactly \(EM 1\)/);
  });

  it('ask --json prints one trace line and --out appends it; settings come from the environment', async () => {
    const out = join(dir, 'ask.jsonl');
    const r = await hopscope(['ask', 'Who directed Indradhanura Chhai?', '--json', '--out', out], { env: { HOPSCOPE_ENDPOINT: server.baseUrl, HOPSCOPE_INDEX: indexDir, HOPSCOPE_MODEL: 'scripted-model', HOPSCOPE_API_KEY: 'sk-cli-secret-42' } });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer sk-cli-secret-42');
    assert.ok(!r.stdout.includes('sk-cli-secret-42') && !r.stderr.includes('sk-cli-secret-42'));
    const t = JSON.parse(r.stdout) as Trajectory;
    assert.equal(t.schema, 'hopscope.trace/v1');
    assert.equal(t.answer, 'Susant Misra');
    assert.equal(t.retriever.kind, 'bm25-workspace');
    assert.equal((await readFile(out, 'utf8')).trim(), r.stdout.trim());
  });

  it('ask --retriever-url uses a Search-R1 /retrieve server instead of a local index', async () => {
    const index = await WorkspaceIndex.open(indexDir);
    const retrieval = await startRetrievalServer({ index });
    try {
      const r = await hopscope(['ask', 'Who directed Indradhanura Chhai?', '--endpoint', server.baseUrl, '--retriever-url', retrieval.url, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const t = JSON.parse(r.stdout) as Trajectory;
      assert.equal(t.answer, 'Susant Misra');
      const search = t.steps.find((s) => s.kind === 'search');
      assert.ok(search && search.kind === 'search' && search.docs.some((d) => d.text.includes('Susant Misra')));
      const bad = await hopscope(['ask', 'Q?', '--retriever-url', retrieval.url, '--retriever-kind', 'elastic']);
      assert.equal(bad.code, 2);
    } finally {
      await retrieval.close();
    }
  });

  it('endpoint down: one clear line naming the URL, exit 1', async () => {
    const down = await startScriptedServer({ policies: [] });
    const url = down.baseUrl;
    await down.close();
    // With the default retries: a refused connection is not worth retrying, so no retry lines and no wait.
    const r = await hopscope(['ask', 'Q?', '--endpoint', url, '--index', indexDir]);
    assert.equal(r.code, 1);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], new RegExp(`^hopscope: cannot reach ${url.replace(/[.]/g, '\\.')}.*check that the server is running`));
    const run = await hopscope(['run', join(dir, 'data.jsonl'), '--endpoint', url, '--index', indexDir, '--retries', '0', '--out', join(dir, 'down.jsonl')]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /hopscope: cannot reach/);
  });

  it('usage errors exit 2 with what to do', async () => {
    const r = await hopscope(['ask', 'Q?', '--endpoint', server.baseUrl]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /give --index DIR/);
    const k = await hopscope(['ask', 'Q?', '-k', 'five', '--index', indexDir]);
    assert.equal(k.code, 2);
    const t = await hopscope(['ask', 'Q?', '--template', 'nope', '--index', indexDir, '--endpoint', server.baseUrl]);
    assert.equal(t.code, 2, 'a template name that is neither built in nor a file is a usage mistake');
    assert.match(t.stderr, /unknown template "nope".*r1-searcher/);
    // Values that would make a silent, empty run: zero turns, zero tokens, no timeout.
    const zero = await hopscope(['ask', 'Q?', '--max-turns', '0', '--index', indexDir, '--endpoint', server.baseUrl]);
    assert.equal(zero.code, 2);
    assert.equal(zero.stderr, 'hopscope: --max-turns takes a whole number of at least 1, got "0"\n');
    const timeout = await hopscope(['ask', 'Q?', '--timeout', '-5', '--index', indexDir, '--endpoint', server.baseUrl]);
    assert.equal(timeout.code, 2);
    assert.match(timeout.stderr, /--timeout takes a number above 0, got "-5"/);
    const help = await hopscope(['run', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--concurrency/);
    assert.match(help.stdout, /--resume/);
  });

  it('run writes one valid trajectory per good question, reports bad lines by number, and prints a summary', async () => {
    const out = join(dir, 'run.jsonl');
    const r = await hopscope(['run', join(dir, 'data.jsonl'), '--endpoint', server.baseUrl, '--index', indexDir, '--out', out, '--concurrency', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /data\.jsonl:2: not valid JSON/);
    assert.match(r.stderr, /data\.jsonl:4: no "question"/);
    assert.match(r.stderr, /\[3\/3\] EM/, 'plain progress lines when not on a terminal');
    const ts: Trajectory[] = [];
    for await (const t of readTrajectories(out)) ts.push(t);
    assert.equal(ts.length, 3);
    assert.ok(ts.every((t) => t.dataset === 'data' && t.runId.startsWith('run-') && t.outcome.em !== undefined));
    for (const t of ts) {
      const v = validateTrajectory(t);
      assert.ok(v.ok, v.ok ? '' : v.errors.join('; '));
    }
    assert.match(r.stdout, /^n\s+3$/m);
    assert.match(r.stdout, /^EM\s+0\.667$/m);
    assert.match(r.stdout, /^stop reasons\s+finished 3$/m);
    // The verdicts are the one verdict's (core/verdict.ts), counted over the same trajectories.
    const count = (name: string) => ts.filter((t) => verdict(t).verdict === name).length;
    assert.match(r.stdout, new RegExp(`^verdicts\\s+correct ${count('correct')}, wrong ${count('wrong')}, unknown ${count('unknown')}$`, 'm'));
    assert.equal(count('wrong'), 1, 'EM 0.667 over 3: one wrong answer');
    // Diagnosis labels are counted in the run summary, as the trajectories carry them.
    const labels = new Map<string, number>();
    for (const t of ts) for (const l of new Set(t.labels.map((x) => x.label))) labels.set(l, (labels.get(l) ?? 0) + 1);
    assert.ok(labels.size > 0, 'the wrong answer is diagnosed');
    const line = r.stdout.split('\n').find((l) => l.startsWith('diagnosis')) ?? '';
    for (const [label, n] of labels) assert.ok(line.includes(`${label} ${n}`), `${label} ${n} in "${line}"`);
    assert.match(r.stdout, /^latency p95\s+\d+\.\d\d s$/m);
  });

  it('--limit runs the first N, and --resume skips what the file already holds', async () => {
    const out = join(dir, 'resume.jsonl');
    const first = await hopscope(['run', join(dir, 'many.jsonl'), '--endpoint', server.baseUrl, '--index', indexDir, '--out', out, '--limit', '5']);
    assert.equal(first.code, 0, first.stderr);
    const second = await hopscope(['run', join(dir, 'many.jsonl'), '--endpoint', server.baseUrl, '--index', indexDir, '--out', out, '--resume', '--concurrency', '4']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /resume: 5 question\(s\) already/);
    assert.match(second.stdout, /^n\s+12$/m, 'the summary covers the whole dataset after --resume');
    assert.match(second.stdout, /^EM\s+1\.000$/m);
    const qs: string[] = [];
    for await (const t of readTrajectories(out)) qs.push(t.question);
    assert.deepEqual([...qs].sort(), [...questions].sort());
  });

  it('Ctrl-C stops within seconds, keeps finished trajectories in a valid file, and --resume finishes the rest', async () => {
    const out = join(dir, 'interrupted.jsonl');
    let sent = false;
    let sentAt = 0;
    const r = await hopscope(['run', join(dir, 'many.jsonl'), '--endpoint', slow.baseUrl, '--index', indexDir, '--out', out, '--concurrency', '2'], {
      onStderr: (chunk, child) => {
        if (!sent && /\[2\/12\]/.test(chunk)) {
          sent = true;
          sentAt = Date.now();
          child.kill('SIGINT');
        }
      },
    });
    assert.ok(sent, r.stderr);
    assert.ok(Date.now() - sentAt < 3000, 'stopped within seconds');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not run \(cancelled: use --resume/);
    const text = await readFile(out, 'utf8');
    assert.ok(text.endsWith('\n'));
    const lines = text.trim().split('\n');
    assert.ok(lines.length >= 2 && lines.length < 12, `${lines.length} lines`);
    for (const l of lines) assert.equal(JSON.parse(l).stopReason, 'finished');
    const again = await hopscope(['run', join(dir, 'many.jsonl'), '--endpoint', server.baseUrl, '--index', indexDir, '--out', out, '--resume']);
    assert.equal(again.code, 0, again.stderr);
    const qs = new Set<string>();
    for await (const t of readTrajectories(out)) qs.add(t.question);
    assert.equal(qs.size, 12);
  });

  it('--max-doc-chars and --max-turn-chars cut documents and turns in the trace, marked truncated with their length', async () => {
    const readAll = async (file: string) => {
      const all: Trajectory[] = [];
      for await (const x of readTrajectories(file)) all.push(x);
      return all;
    };
    const out = join(dir, 'capped.jsonl');
    const r = await hopscope(['ask', 'Who directed Indradhanura Chhai?', '--endpoint', server.baseUrl, '--index', indexDir, '--out', out, '--max-doc-chars', '20']);
    assert.equal(r.code, 0, r.stderr);
    const [t] = await readAll(out);
    const doc = t!.steps.flatMap((s) => (s.kind === 'search' ? s.docs : []))[0]!;
    assert.equal(doc.text.length, 20);
    assert.ok(doc.truncated && doc.truncated.originalChars > 20, JSON.stringify(doc.truncated));
    assert.equal(validateTrajectory(t).ok, true);
    // The turn cap bounds what is read from the endpoint: the turn is cut there and ends as `length`.
    const turnsOut = join(dir, 'capped-turns.jsonl');
    const rt = await hopscope(['ask', 'Who directed Indradhanura Chhai?', '--endpoint', server.baseUrl, '--index', indexDir, '--out', turnsOut, '--max-turn-chars', '10']);
    assert.equal(rt.code, 0, rt.stderr);
    const [tt] = await readAll(turnsOut);
    const turn = tt!.steps.find((s) => s.kind === 'reason')!;
    assert.ok(turn.truncated && turn.truncated.originalChars > 10 && (turn as { text: string }).text.length <= 10, JSON.stringify(turn));
    for (const s of tt!.steps) if (s.kind !== 'search') assert.ok(s.text.length <= 10);
    assert.equal(validateTrajectory(tt).ok, true);
    const bad = await hopscope(['ask', 'q', '--endpoint', server.baseUrl, '--index', indexDir, '--max-doc-chars', '0']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--max-doc-chars takes a whole number of at least 1/);
  });
});
