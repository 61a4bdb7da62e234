/**
 * Issue 13 in code-server: "Hopscope: Open Training Run…" on a verl rollout folder ({step}.jsonl), the
 * Training Runs view lists the run with its steps and rollouts, the dashboard plots it, a click on a step
 * lists its groups, a group's rollout opens in the trace panel, and a step file written afterwards joins
 * the curves without a reload, and the dashboard comes back after a window reload. Screenshots: test-output/vscode/runs-*.png.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { screenshot } from '../../support/browser';
import { ROOT, TEST_OUTPUT } from '../../support/paths';
import { openScenario, type Scenario } from '../../support/scenario';
import { collapseSidebarView, revealTreeRow, runCommand, typeInFileDialog, waitForSelectorInFrames } from '../../support/workbench';
import { rng, stepRollouts, writeStep } from '../../unit/core/runs/generatedRun';

const SHOTS = join(TEST_OUTPUT, 'vscode');
let sc: Scenario | undefined;
let dataDir = '';
let runDir = '';
const random = rng(13);

before(async () => {
  // The run folder stays outside the workspace, as a trainer's output directory usually is.
  dataDir = mkdtempSync(join(tmpdir(), 'hopscope-rundata-'));
  runDir = join(dataDir, 'grpo-run');
  for (const step of [1, 2, 3]) writeStep(runDir, step, stepRollouts(step, 4, 3, random));
  sc = await openScenario({ name: 'runs', script: join(ROOT, 'test', 'vscode', 'ui', 'scripts', 'ask.json') });
});
after(async () => {
  await sc?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Runs "Open Training Run…" and picks the run folder in VS Code for the web's simple file dialog. */
async function openRun(page: Page): Promise<void> {
  const dialog = await typeInFileDialog(page, 'Hopscope: Open Training Run…', runDir);
  await dialog.locator('.monaco-button', { hasText: 'Open Run' }).first().click({ timeout: 15_000 });
}

async function dashboardFrame(page: Page): Promise<Frame> {
  return waitForSelectorInFrames(page, 'figure.run-chart#score', 60_000);
}

test('Open Training Run… lists the run, plots it, lists a step\'s groups and opens a rollout', { timeout: 240_000 }, async () => {
  const page = sc!.page;
  await page.locator('.activitybar .action-item a[aria-label^="Hopscope"]').first().click({ timeout: 60_000 });
  await page.locator('#workbench\\.parts\\.sidebar .pane-header', { hasText: 'Training Runs' }).first().waitFor({ timeout: 60_000 });
  await collapseSidebarView(page, 'Index');
  await openRun(page);

  const row = await revealTreeRow(page, 'grpo-run', { view: 'Training Runs', timeoutMs: 60_000 });
  await row.getByText('3 steps · 36 rollouts').waitFor({ timeout: 60_000 });

  const frame = await dashboardFrame(page);
  await frame.locator('[data-fact="steps"]', { hasText: '3 steps' }).waitFor({ timeout: 30_000 });
  assert.equal(await frame.locator('figure.run-chart').count(), 6);
  await screenshot(page, join(SHOTS, 'runs-dashboard.png'));

  // Click step 3 (the right end of the score chart): its four groups are listed.
  const chart = frame.locator('#score svg');
  const box = (await chart.boundingBox())!;
  await page.mouse.click(box.x + box.width - 3, box.y + box.height / 2);
  await frame.locator('.step-groups h2', { hasText: 'Step 3: 4 groups' }).waitFor({ timeout: 30_000 });
  await frame.locator('.step-groups tr.group').first().locator('[data-action="rollouts"]').click();
  await frame.locator('.group-rollouts tr.rollout').first().waitFor({ timeout: 30_000 });
  assert.equal(await frame.locator('.group-rollouts tr.rollout').count(), 3, 'three rollouts per group');
  await screenshot(page, join(SHOTS, 'runs-step.png'));

  const question = (await frame.locator('.step-groups tr.group').first().locator('.question-cell').innerText()).trim();
  await frame.locator('.group-rollouts tr.rollout').first().click();
  // The trace panel (its own webview) shows the rollout: its question as the heading, its searches as steps.
  const panel = await waitForSelectorInFrames(page, 'h1.question', 60_000);
  assert.equal((await panel.locator('h1.question').innerText()).trim(), question);
  await screenshot(page, join(SHOTS, 'runs-rollout.png'));
});

test('a step file written while the dashboard is open joins the curves without a reload', { timeout: 180_000 }, async () => {
  const page = sc!.page;
  writeStep(runDir, 4, stepRollouts(4, 5, 3, random));
  const row = await revealTreeRow(page, 'grpo-run', { view: 'Training Runs', timeoutMs: 60_000 });
  await row.getByText('4 steps · 51 rollouts').waitFor({ timeout: 60_000 });
  const frame = await dashboardFrame(page);
  await frame.locator('[data-fact="steps"]', { hasText: '4 steps' }).waitFor({ timeout: 60_000 });
  assert.equal((await frame.locator('#searches polyline').getAttribute('points'))!.split(' ').length, 4);
});

test('the dashboard comes back after a window reload, on the same run and the step that was selected', { timeout: 240_000 }, async () => {
  const page = sc!.page;
  // As a user does: Developer: Reload Window (the workbench saves the page's state: the run folder and the step).
  await runCommand(page, 'Developer: Reload Window');
  await page.waitForTimeout(2_000);
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  // The rollout's trace panel was opened last, over the dashboard; a hidden webview is brought back when its tab is shown.
  await page.locator('.tabs-container .tab', { hasText: 'Run: grpo-run' }).first().click({ timeout: 60_000 });
  const frame = await dashboardFrame(page);
  // Rebuilt from the store, so it shows the run as it is now (four steps), with step 3's groups listed again.
  await frame.locator('[data-fact="steps"]', { hasText: '4 steps' }).waitFor({ timeout: 60_000 });
  await frame.locator('.step-groups h2', { hasText: 'Step 3: 4 groups' }).waitFor({ timeout: 60_000 });
  await screenshot(page, join(SHOTS, 'runs-after-reload.png'));
});
