import { validateTrajectory } from '../../../src/core/traceSchema';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFile, importText } from '../../../src/core/importers';

const FIX = join(__dirname, '../../fixtures/importers');

test('imported trajectories of every format validate against trace.schema.json', async () => {
  const files = [
    'r1searcher/hotpotqa_llama.sample.jsonl',
    'r1searcher/bamboogle_qwen.sample.jsonl',
    'inspect/log_message_deduplication.eval',
    'inspect/log_images_tc.json',
    'constructed/openai_chat.jsonl',
    'constructed/search_r1_rollouts.jsonl',
    'constructed/igpo_dump.jsonl',
  ];
  for (const f of files) {
    const r = await importFile(join(FIX, f));
    assert.ok(r.trajectories.length > 0, f);
    for (const t of r.trajectories) {
      const v = validateTrajectory(JSON.parse(JSON.stringify(t)));
      assert.ok(v.ok, `${f} ${t.id}: ${v.ok ? '' : v.errors.join('; ')}`);
    }
  }
});

test('metricDefinition and recordedScores validate; an unknown definition name does not', () => {
  const line = JSON.stringify({ question: 'Q?', answer: 'x', pred_ans: 'x', score: 1, stop_reason_final: 'finished', gen_text_store: ' </think>\n\n<answer> x </answer>' });
  const t = JSON.parse(JSON.stringify(importText(line, { file: 'x.jsonl', format: 'r1searcher' }).trajectories[0]!)) as Record<string, unknown>;
  assert.equal(t.metricDefinition, 'r1-searcher');
  assert.deepEqual(t.recordedScores, { score: 1 });
  const v = validateTrajectory(t);
  assert.ok(v.ok, v.ok ? '' : v.errors.join('; '));
  assert.equal(validateTrajectory({ ...t, metricDefinition: 'squad' }).ok, false);
});
