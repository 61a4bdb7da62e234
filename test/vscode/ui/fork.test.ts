/**
 * "Would a better query have fixed it?" in code-server: a failed trajectory (its one search brought back the
 * wrong paragraph, the answer is wrong) is opened from the Traces view; "Fork from here" on its search step asks
 * for a new query (prefilled with the old one), re-runs the rest live against the scripted model and the
 * workspace index, saves the fork, and shows original and fork side by side with the new, correct answer.
 * The same from the tree: "Fork from Step…" on a search step's context menu. Screenshot:
 * test-output/vscode/fork-compare.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createEndpointClient } from '../../../src/core/endpoint';
import { runLoop } from '../../../src/core/loop';
import type { Retriever } from '../../../src/core/ports';
import { getTemplate } from '../../../src/core/templates';
import type { Trajectory } from '../../../src/core/trace';
import { screenshot, type BrowserSession } from '../../support/browser';
import { TEST_OUTPUT } from '../../support/paths';
import { openScenario, type Scenario } from '../../support/scenario';
import { makeTempDir } from '../../support/tmp';
import { clickTreeRow, collapseSidebarView, notifications, revealTreeRow, waitForSelectorInFrames, waitForWebviewText } from '../../support/workbench';

const SHOTS = join(TEST_OUTPUT, 'vscode');
const QUESTION = 'Which lake does Horse Mesa Dam form?';
const BAD_QUERY = 'Yass River town lake';
const WRONG = 'Lake Burrinjuck';
const BETTER_QUERY = 'Horse Mesa Dam Apache Lake reservoir';
const RIGHT = 'Apache Lake';

/**
 * The scripted model: asked about the dam, it searches once and guesses; once the context holds the dam's
 * paragraph (its text selects the longer-matching policy), it answers from it.
 */
const SCRIPT = {
  policies: [
    { match: 'Which lake does Horse', queries: [BAD_QUERY], answer: WRONG, think: 'I should look up the dam and its lake.' },
    { match: 'The dam forms Apache Lake as it impounds', queries: [], answer: RIGHT, think: 'The paragraph says the dam forms Apache Lake.' },
  ],
};

let sc: Scenario | undefined;
let workspace = '';
let original: Trajectory;

/** The failed run, made by the real loop against the same scripted model with a retriever that returns the wrong paragraph. */
async function failedRun(baseUrl: string): Promise<Trajectory> {
  const yass = readFileSync(join(workspace, 'docs', 'yass-new-south-wales.md'), 'utf8');
  const retriever: Retriever = {
    info: { kind: 'bm25-workspace' },
    search: async () => [{ id: 'docs/yass-new-south-wales.md#0', rank: 1, score: 4.2, title: 'Yass, New South Wales', text: yass.replace(/^# .*\n+/, '').trim(), path: 'docs/yass-new-south-wales.md', startLine: 3, endLine: 3 }],
  };
  const t = await runLoop({ question: QUESTION, gold: [RIGHT], template: getTemplate('r1-searcher'), endpoint: createEndpointClient({ baseUrl }), retriever, runId: 'dam-run', id: 'dam-failed' });
  assert.equal(t.answer, WRONG, 'the original run fails');
  return t;
}

function savedTrajectories(): Trajectory[] {
  const dir = join(workspace, '.hopscope', 'traces');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .flatMap((f) => readFileSync(join(dir, f), 'utf8').split('\n').filter(Boolean))
    .map((l) => JSON.parse(l) as Trajectory);
}

async function calm(page: BrowserSession['page']): Promise<void> {
  await page.mouse.move(900, 500);
  await page.keyboard.press('Escape');
  await page.waitForTimeout(300);
}

/** The input box opened by the fork: prefilled with the old query; replaced with the new one. */
async function answerQuery(page: BrowserSession['page'], query: string): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  await widget.waitFor({ state: 'visible', timeout: 30_000 });
  await widget.getByText('Fork from Step').first().waitFor({ timeout: 15_000 });
  const input = widget.locator('input').first();
  assert.equal(await input.inputValue(), BAD_QUERY, 'the input box starts from the old query');
  await input.fill(query);
  await input.press('Enter');
}

before(async () => {
  const scriptDir = makeTempDir('hopscope-fork-script-');
  writeFileSync(join(scriptDir, 'fork.json'), JSON.stringify(SCRIPT));
  sc = await openScenario({
    name: 'fork',
    script: join(scriptDir, 'fork.json'),
    prepare: async (ws, model) => {
      workspace = ws; // failedRun reads the workspace's copy of the Yass paragraph
      original = await failedRun(model.baseUrl);
      mkdirSync(join(workspace, '.hopscope', 'traces'), { recursive: true });
      writeFileSync(join(workspace, '.hopscope', 'traces', 'dam-run.jsonl'), `${JSON.stringify(original)}\n`);
    },
  });
});

after(async () => {
  await sc?.close();
});

test('"Fork from here" on a failed search step: a better query, run live, compared with the original', async (t) => {
  const page = sc!.page;
  const at = original.steps.findIndex((s) => s.kind === 'search');
  try {
    await calm(page);
    await page.locator('.activitybar .action-item a[aria-label^="Hopscope"]').first().click({ timeout: 60_000 });
    // Traces shares the sidebar with Index: fold Index so the trajectory rows are in view.
    await collapseSidebarView(page, 'Index');
    await clickTreeRow(page, 'dam-run.jsonl', { view: 'Traces' });
    await calm(page);
    await clickTreeRow(page, QUESTION, { view: 'Traces' });
    await waitForWebviewText(page, [QUESTION, BAD_QUERY, WRONG], 60_000);

    const frame = await waitForSelectorInFrames(page, `.step[data-step="${at}"] button.fork-button`, 30_000);
    await frame.locator(`.step[data-step="${at}"] button.fork-button`).click();
    await answerQuery(page, BETTER_QUERY);

    // The compare view: original on the left, the fork on the right with the right answer.
    const { frame: cmp } = await waitForWebviewText(page, ['Original', `Fork at step ${at + 1}`, BETTER_QUERY, 'Horse Mesa Dam', RIGHT], 90_000);
    const answers = await cmp.locator('.compare-answer').allInnerTexts();
    assert.match(answers[0], new RegExp(WRONG));
    assert.match(answers[1], new RegExp(RIGHT));
    assert.equal(await cmp.locator('.compare-heads .verdict.pass').count(), 1, 'the fork is marked correct');
    await page.mouse.move(700, 880);
    await page.waitForTimeout(500);
    await screenshot(page, join(SHOTS, 'fork-compare.png'));
  } catch (e) {
    await screenshot(page, join(SHOTS, 'fork-failure.png')).catch(() => undefined);
    t.diagnostic(`notifications: ${(await notifications(page).catch(() => [])).join(' | ') || 'none'}`);
    t.diagnostic(`code-server log: ${sc!.cs.logFile}`);
    throw e;
  }
  // Saved beside asked questions, marked as a fork of the original at that step.
  const fork = savedTrajectories().find((x) => x.forkOf);
  assert.ok(fork, 'the fork was saved under .hopscope/traces');
  assert.deepEqual(fork.forkOf, { id: original.id, step: at });
  assert.equal(fork.answer, RIGHT);
  assert.equal(fork.outcome.em, 1);
  assert.deepEqual(fork.steps.slice(0, at), original.steps.slice(0, at));
  const forked = fork.steps[at];
  assert.ok(forked.kind === 'search' && forked.query === BETTER_QUERY && forked.docs.some((d) => d.path === 'docs/horse-mesa-dam.md'));
});

test('"Fork from Step…" on a search step in the Traces view does the same', async (t) => {
  const page = sc!.page;
  const sidebar = page.locator('#workbench\\.parts\\.sidebar');
  const row = (text: string) => sidebar.locator('.monaco-list-row', { hasText: text }).first();
  const at = original.steps.findIndex((s) => s.kind === 'search');
  const stepLabel = `${at + 1}. search: ${BAD_QUERY}`;
  const before = savedTrajectories().filter((x) => x.forkOf).length;
  try {
    await calm(page);
    await collapseSidebarView(page, 'Index');
    await revealTreeRow(page, QUESTION, { view: 'Traces' });
    const trajRow = sidebar.locator('.monaco-list-row', { hasText: QUESTION }).filter({ hasNotText: 'fork' }).first();
    if (!(await row(stepLabel).count()) && (await trajRow.getAttribute('aria-expanded')) !== 'true') {
      await calm(page);
      await trajRow.locator('.monaco-tl-twistie').click({ timeout: 30_000 });
    }
    await calm(page);
    await clickTreeRow(page, stepLabel, { view: 'Traces', button: 'right' });
    // The context menu: its first item is focused; Enter runs it (a click can land while the menu animates in).
    const item = page.locator('.monaco-menu .action-item', { hasText: 'Fork from Step…' }).first();
    await item.waitFor({ timeout: 15_000 });
    await item.hover();
    await page.keyboard.press('Enter');
    await answerQuery(page, 'Horse Mesa Dam lake');
    await waitForWebviewText(page, ['Original', `Fork at step ${at + 1}`, 'Horse Mesa Dam lake', RIGHT], 90_000);
  } catch (e) {
    await screenshot(page, join(SHOTS, 'fork-tree-failure.png')).catch(() => undefined);
    t.diagnostic(`notifications: ${(await notifications(page).catch(() => [])).join(' | ') || 'none'}`);
    t.diagnostic(`code-server log: ${sc!.cs.logFile}`);
    throw e;
  }
  assert.equal(savedTrajectories().filter((x) => x.forkOf).length, before + 1);
});
