import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { RUN_DEFAULTS } from '../../../src/core/defaults';
import { getTemplate } from '../../../src/core/templates';

const settings = (JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { configuration: { properties: Record<string, { default?: unknown }> } } }).contributes.configuration.properties;

test("the extension's contributed defaults (package.json) are core's run defaults, which config.ts reads", () => {
  assert.deepEqual(
    {
      endpoint: settings['hopscope.endpoint.baseUrl']!.default,
      timeoutMs: settings['hopscope.endpoint.timeoutMs']!.default,
      maxRetries: settings['hopscope.endpoint.maxRetries']!.default,
      template: settings['hopscope.loop.template']!.default,
      maxTokens: settings['hopscope.loop.maxTokens']!.default,
      temperature: settings['hopscope.loop.temperature']!.default,
      topK: settings['hopscope.loop.topK']!.default,
      maxTurns: settings['hopscope.loop.maxTurns']!.default,
    },
    { ...RUN_DEFAULTS },
  );
  const config = readFileSync('src/extension/config.ts', 'utf8');
  for (const key of ['endpoint', 'timeoutMs', 'maxRetries', 'template', 'maxTurns', 'topK', 'temperature', 'maxTokens']) {
    assert.match(config, new RegExp(`RUN_DEFAULTS\\.${key}\\b`), `config.ts takes ${key} from RUN_DEFAULTS`);
  }
});

test("the search budget defaults are the default template's", () => {
  const t = getTemplate(RUN_DEFAULTS.template);
  assert.equal(RUN_DEFAULTS.topK, t.topK);
  assert.equal(RUN_DEFAULTS.maxTurns, t.maxSearches + 1);
  assert.equal(RUN_DEFAULTS.maxTokens, t.sampling?.maxTokens);
  assert.equal(RUN_DEFAULTS.temperature, t.sampling?.temperature);
});
