import { validateTrajectory } from '../../../src/core/traceSchema';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFile } from '../../../src/core/importers';

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
