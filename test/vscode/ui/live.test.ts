/**
 * The live trace panel in code-server: while "Ask Question…" runs against a slow scripted model, its steps
 * stream into the panel; the panel's Stop button cancels the run, which ends as `cancelled` in the panel and in
 * the saved trajectory. Screenshots: test-output/vscode/live-*.png.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { screenshot } from '../../support/browser';
import { TEST_OUTPUT } from '../../support/paths';
import { openScenario, type Scenario } from '../../support/scenario';
import { answerInputBox, runCommand, waitForSelectorInFrames, waitForWebviewText } from '../../support/workbench';

const SHOTS = join(TEST_OUTPUT, 'vscode');
const QUESTION = 'Which lake does the thin arch dam in the Superstition Mountains form?';

let sc: Scenario | undefined;

before(async () => {
  sc = await openScenario({ name: 'live', script: join(__dirname, 'scripts', 'slow.json') });
});

after(async () => {
  await sc?.close();
});

test('steps stream into the panel while the question runs, and Stop cancels the run', async (t) => {
  const page = sc!.page;
  try {
    await runCommand(page, 'Hopscope: Ask Question…');
    await answerInputBox(page, QUESTION);
    // The first search arrives while the run goes on.
    const { frame } = await waitForWebviewText(page, [QUESTION, 'thin arch dam Superstition Mountains reservoir', 'Running'], 90_000);
    await screenshot(page, join(SHOTS, 'live-running.png'));
    await (await waitForSelectorInFrames(page, 'button.stop')).locator('button.stop').click();
    await waitForWebviewText(page, [QUESTION, 'cancelled'], 60_000);
    assert.ok(frame);
    await page.waitForTimeout(300);
    await screenshot(page, join(SHOTS, 'live-stopped.png'));
  } catch (e) {
    await screenshot(page, join(SHOTS, 'live-failure.png')).catch(() => undefined);
    t.diagnostic(`code-server log: ${sc!.cs.logFile}`);
    throw e;
  }
  const dir = join(sc!.workspace, '.hopscope', 'traces');
  const deadline = Date.now() + 15_000;
  let traj: { stopReason: string; steps: { kind: string }[] } | undefined;
  while (!traj && Date.now() < deadline) {
    try {
      const lines = readdirSync(dir).filter((f) => f.endsWith('.jsonl')).flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean));
      if (lines.length) traj = JSON.parse(lines.at(-1)!);
    } catch {
      // not written yet
    }
    if (!traj) await new Promise((r) => setTimeout(r, 300));
  }
  assert.ok(traj, 'the stopped run is saved');
  assert.equal(traj.stopReason, 'cancelled');
  assert.ok(traj.steps.filter((s) => s.kind === 'search').length < 4, 'stopped before all four searches');
});
