import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as vscode from 'vscode';
import type { Trajectory } from '../../../src/core/trace';
import type { EvaluationResult } from '../../../src/extension/ask/evaluate';
import { EVALSETS, evalSetPolicies, readEvalSet } from '../../fixtures/evalsets/policies';
import { hopscope, scriptedEndpoint, workspaceRoot } from './helpers';

/** The repository root: this suite runs bundled from out/test/vscode/suite. */
const ROOT = [process.env.HOPSCOPE_REPO_ROOT ?? '', resolve(__dirname, '../../../..'), resolve(__dirname, '../../..')].find((d) => d && existsSync(join(d, 'test', 'fixtures', 'evalsets')))!;
const FIX = join(ROOT, 'test', 'fixtures');
const PER_SET = 5;

const readLines = (uri: vscode.Uri) => readFileSync(uri.fsPath, 'utf8').split('\n').filter(Boolean);

suite('Analysis: import, export and evaluation commands', () => {
  let close: (() => Promise<void>) | undefined;

  suiteSetup(async () => {
    const items = EVALSETS.flatMap((name) => readEvalSet(name, PER_SET, join(FIX, 'evalsets')));
    ({ close } = await scriptedEndpoint({ model: 'scripted-r1', policies: evalSetPolicies(items) }, { 'hopscope.endpoint.model': '', 'hopscope.loop.maxTurns': 4 }));
    await hopscope();
  });

  suiteTeardown(async () => {
    await close?.();
  });

  test('the commands are registered', async () => {
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['hopscope.importTrajectories', 'hopscope.exportTraces', 'hopscope.runEvaluation', 'hopscope.showRunSummary']) {
      assert.ok(commands.includes(c), `${c} is registered`);
    }
  });

  test('Import Trajectories turns R1-Searcher rollouts into a trace file with rewards and diagnosis', async () => {
    const src = vscode.Uri.file(join(FIX, 'importers', 'r1searcher', 'hotpotqa_llama.sample.jsonl'));
    const out = await vscode.commands.executeCommand<vscode.Uri>('hopscope.importTrajectories', src);
    assert.ok(out, 'the command returned the trace file');
    assert.ok(out.fsPath.startsWith(workspaceRoot().fsPath), `written into the workspace: ${out.fsPath}`);
    const ts = readLines(out).map((l) => JSON.parse(l) as Trajectory);
    assert.equal(ts.length, 8);
    assert.equal(ts[0]!.schema, 'hopscope.trace/v1');
    assert.equal(ts[0]!.answer, 'Nidal Malik Hasan');
    assert.equal(typeof ts[0]!.rewards.retrievalHit, 'number');
    assert.ok(ts.some((t) => t.labels.length > 0), 'some trajectories carry diagnosis labels');
  });

  test('Run Evaluation over the four R1-Searcher eval sets writes a trace file and shows the diagnosis counts', async () => {
    const datasets = EVALSETS.map((n) => vscode.Uri.file(join(FIX, 'evalsets', `${n}.jsonl`)));
    const result = await vscode.commands.executeCommand<EvaluationResult>('hopscope.runEvaluation', {
      datasets,
      limit: PER_SET,
      infoGain: true,
      judge: false,
      concurrency: 4,
    });
    assert.ok(result, 'the evaluation returned its result');
    assert.equal(result.cancelled, 0);
    const ts = readLines(result.file).map((l) => JSON.parse(l) as Trajectory);
    assert.equal(ts.length, EVALSETS.length * PER_SET);
    assert.deepEqual([...new Set(ts.map((t) => t.dataset))].sort(), [...EVALSETS].sort());
    assert.equal(result.summary.count, ts.length);
    // The scripted behaviours (question i mod 5) give these labels.
    for (const label of ['no_search', 'repeated_query', 'max_turns', 'format_error', 'gold_never_retrieved']) {
      assert.ok((result.summary.labels[label] ?? 0) > 0, `${label} counted: ${JSON.stringify(result.summary.labels)}`);
    }
    const searched = ts.find((t) => t.steps.some((s) => s.kind === 'search') && t.gold?.length);
    assert.ok(searched && typeof searched.rewards.infoGain === 'number', 'information gain recorded');
    const html = await vscode.commands.executeCommand<string>('hopscope.showRunSummary', result.file);
    assert.ok(html.includes('Diagnosis') && html.includes('gold_never_retrieved'), 'the summary panel shows the diagnosis counts');
    for (const name of EVALSETS) assert.ok(html.includes(`<td>${name}</td>`), `the dataset breakdown lists ${name}`);
    assert.ok(html.includes('command:hopscope.runSummary.openTrajectory'), 'trajectories link to the trace panel');
    assert.ok(!/<script/i.test(html), 'the summary panel runs no script');
    // From the Traces view's context menu the argument is the file node.
    const fromTree = await vscode.commands.executeCommand<string>('hopscope.showRunSummary', { kind: 'file', file: result.file.fsPath, opened: false });
    assert.ok(fromTree.includes(`${ts.length} trajectories`));
  });

  test('an endpoint without prompt log-probs stops an evaluation with information gain before it starts', async () => {
    const plain = await scriptedEndpoint({ policies: [], promptLogprobs: false }, { 'hopscope.endpoint.maxRetries': 0 });
    try {
      const traces = vscode.Uri.joinPath(workspaceRoot(), '.hopscope', 'traces');
      const before = (await vscode.workspace.fs.readDirectory(traces)).length;
      const result = await vscode.commands.executeCommand<EvaluationResult | undefined>('hopscope.runEvaluation', {
        datasets: [vscode.Uri.file(join(FIX, 'evalsets', 'bamboogle.jsonl'))],
        limit: 2,
        infoGain: true,
        judge: false,
      });
      assert.equal(result, undefined, 'no evaluation ran');
      assert.equal((await vscode.workspace.fs.readDirectory(traces)).length, before, 'no trace file was created');
    } finally {
      await plain.close();
    }
  });

  test('Export Traces writes OTLP/JSON spans', async () => {
    const src = vscode.Uri.file(join(FIX, 'importers', 'r1searcher', 'bamboogle_qwen.sample.jsonl'));
    const target = vscode.Uri.joinPath(workspaceRoot(), '.hopscope', 'export-test.otlp.json');
    const out = await vscode.commands.executeCommand<vscode.Uri>('hopscope.exportTraces', src, 'otel', target);
    assert.equal(out?.fsPath, target.fsPath);
    const doc = JSON.parse(readFileSync(target.fsPath, 'utf8'));
    const spans = doc.resourceSpans[0].scopeSpans[0].spans as Array<{ name: string }>;
    assert.equal(spans.filter((s) => s.name.startsWith('invoke_agent')).length, 8);
    await vscode.workspace.fs.delete(target);
  });
});
