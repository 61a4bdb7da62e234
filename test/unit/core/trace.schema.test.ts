import Ajv from 'ajv';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { importFile } from '../../../src/core/importers';

const FIX = join(__dirname, '../../fixtures/importers');

test('imported trajectories of every format validate against trace.schema.json', async () => {
  const schema = JSON.parse(readFileSync(join(__dirname, '../../../src/core/trace.schema.json'), 'utf8'));
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
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
      const ok = validate(JSON.parse(JSON.stringify(t)));
      assert.ok(ok, `${f} ${t.id}: ${JSON.stringify(validate.errors)}`);
    }
  }
});
