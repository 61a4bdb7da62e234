import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Trajectory } from '../../../src/core/trace';
import { startScriptedServer, type ScriptedServer } from '../../fixtures/scriptedServer';
import { cli } from './spawnCli';

const FIX = join(__dirname, '../../fixtures');
let dir: string;
let server: ScriptedServer;


before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hopscope-analysis-cli-'));
  server = await startScriptedServer({
    policies: [{ match: 'Superstition Mountains', queries: ['Horse Mesa Dam reservoir'], answer: 'Apache Lake' }],
  });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('hopscope import writes trajectories and lists unreadable records by line', async () => {
  const out = join(dir, 'imported.jsonl');
  const r = await cli(['import', join(FIX, 'importers/constructed/openai_chat.jsonl'), '--out', out]);
  assert.equal(r.code, 0);
  assert.match(r.err, /openai_chat\.jsonl:3: no user message/);
  assert.match(r.err, /imported 2 trajectories \(openai-chat\)/);
  const lines = readFileSync(out, 'utf8').trim().split('\n');
  assert.equal(lines.length, 2);
  assert.equal((JSON.parse(lines[0]!) as Trajectory).answer, 'Frank Herbert');
  const bad = await cli(['import', join(FIX, 'importers/constructed/openai_chat.jsonl'), '--format', 'nope']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--format must be one of/);
});

test('hopscope export --format otel|html|jsonl', async () => {
  const src = join(FIX, 'importers/r1searcher/bamboogle_qwen.sample.jsonl');
  const otel = join(dir, 'out.otlp.json');
  assert.equal((await cli(['export', src, '--format', 'otel', '--out', otel])).code, 0);
  assert.ok(JSON.parse(readFileSync(otel, 'utf8')).resourceSpans[0].scopeSpans[0].spans.length > 8);
  const html = join(dir, 'out.html');
  assert.equal((await cli(['export', src, '--format', 'html', '--out', html])).code, 0);
  assert.match(readFileSync(html, 'utf8'), /^<!DOCTYPE html>/);
  const jsonl = await cli(['export', src, '--format', 'jsonl']);
  assert.equal(jsonl.out.trim().split('\n').length, 8);
  assert.equal((await cli(['export', src, '--format', 'pdf'])).code, 2);
});

test('hopscope ask --info-gain records p(gold) per search step', async () => {
  const index = join(dir, 'index');
  assert.equal((await cli(['index', join(FIX, 'workspace/docs'), '--index', index, '--root', join(FIX, 'workspace'), '-q'])).code, 0);
  const q = 'Which lake does the thin arch dam in the Superstition Mountains form?';
  const r = await cli(['ask', q, '--endpoint', server.baseUrl, '--index', index, '--gold', 'Apache Lake', '--info-gain', '--json']);
  assert.equal(r.code, 0, r.err);
  const t = JSON.parse(r.out) as Trajectory;
  const search = t.steps.find((s) => s.kind === 'search')!;
  assert.equal(typeof search.rewards.infoGain, 'number');
  assert.equal(typeof search.rewards.goldProb, 'number');
  assert.equal(typeof t.rewards.goldProb0, 'number');
  assert.equal(typeof t.rewards.format, 'number', 'rule-based rewards recorded too');
  const plain = await startScriptedServer({ policies: [{ match: 'Superstition', queries: ['dam'], answer: 'x' }], promptLogprobs: false });
  try {
    const e = await cli(['ask', q, '--endpoint', plain.baseUrl, '--index', index, '--gold', 'x', '--info-gain', '--retries', '0']);
    assert.equal(e.code, 1);
    assert.match(e.err, /did not return prompt log-probs/);
    assert.ok(!/\n\s+at /.test(e.err), 'no stack trace');
  } finally {
    await plain.close();
  }
});

test('hopscope ask --info-gain igpo|hopscope picks the definition (IGPO by default); a wrong one is named', async () => {
  const index = join(dir, 'index-ig');
  assert.equal((await cli(['index', join(FIX, 'workspace/docs'), '--index', index, '--root', join(FIX, 'workspace'), '-q'])).code, 0);
  const q = 'Which lake does the thin arch dam in the Superstition Mountains form?';
  const forced = async (args: string[]) => {
    const before = server.requests.length;
    const r = await cli(['ask', q, '--endpoint', server.baseUrl, '--index', index, '--gold', 'Apache Lake', ...args, '--json']);
    assert.equal(r.code, 0, r.err);
    return server.requests.slice(before).filter((x) => x.body.echo === true).map((x) => String(x.body.prompt));
  };
  for (const p of await forced(['--info-gain'])) assert.ok(p.endsWith("\nNow there's enough information to answer\n</think>\n<answer>\nApache Lake\n</answer>"));
  for (const p of await forced(['--info-gain', 'hopscope'])) assert.ok(p.endsWith('</think>\n<answer> Apache Lake </answer>'));
  const bad = await cli(['ask', q, '--endpoint', server.baseUrl, '--index', index, '--info-gain', 'igp']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /igpo, hopscope/);
});

test('import and export: a user mistake is one line naming the file and what to check, never a stack trace', async () => {
  const src = join(FIX, 'importers/r1searcher/bamboogle_qwen.sample.jsonl');
  const dataset = join(FIX, 'evalsets');
  const oneLine = (r: { err: string }, pattern: RegExp) => {
    const lines = r.err.trim().split('\n');
    assert.match(lines.at(-1)!, pattern);
    assert.ok(!/\n\s+at /.test(r.err), 'no stack trace');
  };
  // An --out whose folder is a file.
  const blocked = await cli(['export', src, '--out', join(src, 'report.html')]);
  assert.equal(blocked.code, 1);
  oneLine(blocked, /report\.html: cannot write: a part of its path is a file, not a folder$/);
  const blockedImport = await cli(['import', src, '--out', join(src, 'x.jsonl')]);
  assert.equal(blockedImport.code, 1);
  oneLine(blockedImport, /x\.jsonl: cannot write: a part of its path is a file, not a folder$/);
  // A missing --out folder is created, as the trace writer does.
  const nested = join(dir, 'new', 'folder', 'r.html');
  assert.equal((await cli(['export', src, '--format', 'html', '--out', nested])).code, 0);
  assert.match(readFileSync(nested, 'utf8'), /^<!DOCTYPE html>/);
  // A directory, a missing file.
  oneLine(await cli(['export', dataset]), /evalsets: cannot read: a directory, not a file$/);
  oneLine(await cli(['import', join(dir, 'nope.jsonl')]), /nope\.jsonl: cannot read: no such file$/);
  // A file of unknown format: export says how to name it (--from), and with a wrong one, nothing exported is an error.
  const chat = join(FIX, 'importers/constructed/openai_chat.jsonl');
  const forced = await cli(['export', chat, '--from', 'r1searcher']);
  assert.equal(forced.code, 1);
  oneLine(forced, /openai_chat\.jsonl: no record could be read \(check --from\)$/);
  const named = await cli(['export', chat, '--from', 'openai-chat', '--format', 'jsonl']);
  assert.equal(named.code, 0, named.err);
  assert.equal(named.out.trim().split('\n').length, 2);
  assert.equal((await cli(['export', chat, '--from', 'nope'])).code, 2);
});
