/**
 * Issue 6 in code-server: "Hopscope: Run Evaluation on Dataset…" from the palette, over the Bamboogle eval
 * set against the scripted model server (question i plays behaviour i mod 5, see
 * test/fixtures/evalsets/policies.ts). The progress notification counts the questions, the results land
 * in .hopscope/traces/eval-bamboogle-*.jsonl and the run summary panel shows the metrics, histograms and
 * diagnosis counts. Screenshot: test-output/vscode/evaluation-summary.png.
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { evalSetPolicies, readEvalSet } from '../../fixtures/evalsets/policies';
import type { ScriptPolicy } from '../../fixtures/scriptedServer';
import { screenshot } from '../../support/browser';
import { ROOT, TEST_OUTPUT } from '../../support/paths';
import { openScenario, type Scenario } from '../../support/scenario';
import { answerInputBox, notifications, typeInFileDialog, waitForNotification, waitForWebviewText } from '../../support/workbench';

const SHOTS = join(TEST_OUTPUT, 'vscode');
const QUESTIONS = 10;

let sc: Scenario | undefined;
let workspace = '';
let dataDir = '';
let policies: ScriptPolicy[] = [];

before(async () => {
  // The script and the dataset stay outside the workspace: indexed, their questions and answers would
  // come back as documents (and steer the scripted model, which picks its policy by question text).
  dataDir = mkdtempSync(join(tmpdir(), 'hopscope-evaldata-'));
  const script = join(dataDir, 'scripted-evalset.json');
  policies = evalSetPolicies(readEvalSet('bamboogle', QUESTIONS));
  // Some latency per request, so the second test can cancel a run in flight.
  writeFileSync(script, JSON.stringify({ policies, latencyMs: 150 }));
  copyFileSync(join(ROOT, 'test', 'fixtures', 'evalsets', 'bamboogle.jsonl'), join(dataDir, 'bamboogle.jsonl'));
  sc = await openScenario({ name: 'evaluation', script, settings: { 'hopscope.loop.maxTurns': 4 } });
  workspace = sc.workspace;
});

after(async () => {
  await sc?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Runs "Run Evaluation on Dataset…" and picks bamboogle.jsonl in VS Code for the web's simple file dialog; returns the quick input. */
async function startEvaluation(page: Page) {
  const dialog = await typeInFileDialog(page, 'Hopscope: Run Evaluation on Dataset…', dataDir);
  await dialog.locator('.quick-input-list .monaco-list-row', { hasText: 'bamboogle.jsonl' }).first().click({ timeout: 15_000 });
  return dialog;
}

test('Run Evaluation on Dataset… writes a trace file and shows the run summary with diagnosis counts', async (t) => {
  const page = sc!.page;
  try {
    const widget = await startEvaluation(page);
    await answerInputBox(page, String(QUESTIONS), { expectPrompt: 'How many questions' });
    await widget.locator('.quick-input-list .monaco-list-row', { hasText: 'Information gain' }).first().click({ timeout: 15_000 });
    await widget.locator('input').first().press('Enter');
    await waitForWebviewText(page, ['Run summary', 'Diagnosis', 'no_search', 'repeated_query', 'bamboogle'], 120_000);
    await page.waitForTimeout(500);
    await screenshot(page, join(SHOTS, 'evaluation-summary.png'));
    // Click through from the summary's table to the first trajectory: the trace panel shows its query.
    const { frame } = await waitForWebviewText(page, ['All trajectories']);
    await frame.locator('table.all a', { hasText: policies[0]!.match.slice(0, 40) }).first().click();
    await waitForWebviewText(page, [policies[0]!.queries[0]!], 60_000);
    await page.waitForTimeout(500);
    await screenshot(page, join(SHOTS, 'evaluation-click-through.png'));
  } catch (e) {
    await screenshot(page, join(SHOTS, 'evaluation-failure.png')).catch(() => undefined);
    t.diagnostic(`notifications: ${(await notifications(page).catch(() => [])).join(' | ') || 'none'}`);
    throw e;
  }
  const dir = join(workspace, '.hopscope', 'traces');
  const files = readdirSync(dir).filter((f) => f.startsWith('eval-bamboogle-') && f.endsWith('.jsonl'));
  assert.equal(files.length, 1, `one evaluation trace file in ${dir}: ${files.join(', ')}`);
  const lines = readFileSync(join(dir, files[0]!), 'utf8').split('\n').filter(Boolean);
  assert.equal(lines.length, QUESTIONS);
  const ts = lines.map((l) => JSON.parse(l));
  assert.ok(ts.every((x) => x.dataset === 'bamboogle'));
  assert.ok(ts.some((x) => typeof x.rewards.infoGain === 'number'), 'information gain was scored');
  // Question i plays behaviour i mod 5: 2 of 10 never search, 2 loop on one query until the turn limit.
  const count = (label: string) => ts.filter((x) => x.labels.some((l: { label: string }) => l.label === label)).length;
  assert.equal(count('no_search'), 2);
  assert.equal(count('max_turns'), 2);
});

test('an evaluation in progress can be cancelled; what finished is kept', async (t) => {
  const page = sc!.page;
  const dir = join(workspace, '.hopscope', 'traces');
  const before = new Set(readdirSync(dir));
  try {
    const dialog = await startEvaluation(page);
    await answerInputBox(page, '', { expectPrompt: 'How many questions' });
    // Accept the extra-rewards pick with none selected, once it is the open quick input.
    await dialog.getByText('extra rewards').first().waitFor({ timeout: 15_000 });
    await dialog.locator('.quick-input-list .monaco-list-row', { hasText: 'Information gain' }).first().waitFor({ timeout: 15_000 });
    await dialog.locator('input').first().press('Enter');
    const toast = page.locator('.notification-toast', { hasText: 'Hopscope evaluation (100 questions)' }).first();
    await toast.waitFor({ timeout: 30_000 });
    // Live EM/F1 in the progress message once a few questions are done.
    await page.locator('.notification-toast', { hasText: /\d+\/100 · EM \d\.\d{3} · F1 \d\.\d{3}/ }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, join(SHOTS, 'evaluation-progress.png'));
    await toast.hover();
    await toast.getByRole('button', { name: 'Cancel' }).click({ timeout: 10_000 });
    await waitForNotification(page, /Evaluation stopped: \d+ of 100 questions done/, 60_000);
  } catch (e) {
    await screenshot(page, join(SHOTS, 'evaluation-cancel-failure.png')).catch(() => undefined);
    t.diagnostic(`notifications: ${(await notifications(page).catch(() => [])).join(' | ') || 'none'}`);
    throw e;
  }
  const fresh = readdirSync(dir).filter((f) => !before.has(f) && f.startsWith('eval-bamboogle-'));
  assert.equal(fresh.length, 1);
  const lines = readFileSync(join(dir, fresh[0]!), 'utf8').split('\n').filter(Boolean);
  assert.ok(lines.length > 0 && lines.length < 100, `a partial run was written: ${lines.length} trajectories`);
  for (const l of lines) assert.equal(JSON.parse(l).schema, 'hopscope.trace/v1');
});
