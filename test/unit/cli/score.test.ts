/** `hopscope score`, end to end: --json lines in order, the summary table, bad lines by number and exit 1. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../../../src/cli.ts');

function hopscope(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('hopscope score', () => {
  let dir: string;
  let good: string;
  let mixed: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hopscope-score-'));
    good = join(dir, 'good.jsonl');
    await writeFile(
      good,
      [
        { prediction: 'acid house', golds: ['acid-house'] },
        { prediction: 'True', answer: 'yes' },
        { prediction: 'Paris France', golden_answers: ['Paris', 'Lyon'] },
      ]
        .map((o) => JSON.stringify(o))
        .join('\n') + '\n',
    );
    mixed = join(dir, 'mixed.jsonl');
    await writeFile(
      mixed,
      [
        JSON.stringify({ prediction: 'Paris', golds: ['Paris'] }),
        '{not json',
        JSON.stringify({ prediction: 'Paris' }),
        JSON.stringify({ response: 'I think </think>\n\n<answer> Paris </answer>' }),
        JSON.stringify({ response: 'as an assistant </think><answer> Paris' }),
      ].join('\n'),
    );
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('--json: one line per input line, in order, with each definition’s own fields', async () => {
    const r1 = await hopscope(['score', good, '--metrics', 'r1-searcher', '--json']);
    assert.equal(r1.code, 0, r1.stderr);
    assert.deepEqual(
      r1.stdout.trim().split('\n').map((l) => JSON.parse(l)),
      [
        { em: 1, f1: 1, coverEm: 1 },
        { em: 1, f1: 1, coverEm: 1 },
        { em: 0, f1: 2 / 3, coverEm: 1 },
      ],
    );
    const sr1 = await hopscope(['score', good, '--metrics', 'search-r1', '--json']);
    assert.deepEqual(sr1.stdout.trim().split('\n').map((l) => JSON.parse(l)), [{ em: 0, subEm: 0 }, { em: 0, subEm: 0 }, { em: 0, subEm: 1 }]);
    const fr = await hopscope(['score', good, '--metrics', 'flashrag', '--json']);
    assert.deepEqual(fr.stdout.trim().split('\n').map((l) => JSON.parse(l)), [{ em: 0, f1: 0 }, { em: 0, f1: 0 }, { em: 0, f1: 2 / 3 }]);
  });

  it('without --json: a table of means with 95 % confidence intervals, naming the definition', async () => {
    const r = await hopscope(['score', good, '--metrics', 'r1-searcher']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /definition: r1-searcher \(RUCAIBox\/R1-Searcher evaluation\/metric_calc_rule\.py @631167c\)/);
    assert.match(r.stdout, /^em\s+3\s+0\.6667\s+± 0\.6533\s+\[0\.0133, 1\.0000\]$/m);
    assert.match(r.stdout, /^coverEm\s+3\s+1\.0000\s+± 0\.0000/m);
  });

  it('bad lines are named by number and skipped, response lines get the format check, and the run fails', async () => {
    const r = await hopscope(['score', mixed, '--metrics', 'r1-searcher', '--json']);
    assert.equal(r.code, 1);
    assert.deepEqual(
      r.stdout.trim().split('\n').map((l) => JSON.parse(l)),
      [
        { em: 1, f1: 1, coverEm: 1 },
        { format: 1, violations: [] },
        { format: 0, violations: ['assistant_word', 'answer_count'] },
      ],
    );
    assert.match(r.stderr, /mixed\.jsonl:2: not valid JSON/);
    assert.match(r.stderr, /mixed\.jsonl:3: no gold answers/);
    assert.match(r.stderr, /2 line\(s\) could not be scored and were skipped/);
    const flash = await hopscope(['score', mixed, '--metrics', 'flashrag']);
    assert.match(flash.stderr, /mixed\.jsonl:4: flashrag defines no format check/);
  });

  it('an unknown definition is a usage error', async () => {
    const r = await hopscope(['score', good, '--metrics', 'squad']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--metrics must be one of r1-searcher, search-r1, flashrag/);
  });
});
