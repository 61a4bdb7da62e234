import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeMarkdown, renderInline, type InlineState } from '../../../../src/extension/inline/answerView';

const base: InlineState = { id: 'q1', question: 'Which lake does the dam form?', status: 'running', activity: 'thinking…', searches: [], live: '', citations: [], hasTrace: false };

test('a running answer shows what it is doing, the streamed text and a Cancel link', () => {
  const md = renderInline({ ...base, live: 'I need to find the dam <|begin_of_query|>' });
  assert.match(md, /thinking…/);
  assert.ok(md.includes('\\<\\|begin\\_of\\_query\\|\\>'), 'tags render as text');
  assert.ok(md.includes('command:hopscope.inline.cancel?'));
  assert.ok(!md.includes('Open trace'), 'no trace yet');
});

test('a finished answer shows answer, searches, sources with the passage as hover, and the actions', () => {
  const md = renderInline({
    ...base,
    status: 'done',
    answer: 'Apache Lake',
    searches: [{ query: 'Horse Mesa Dam lake', docs: 5, ms: 3 }],
    citations: [{ query: 'Horse Mesa Dam lake', overlap: 1, doc: { id: 'd#0', rank: 1, score: 9, title: 'Horse Mesa Dam', text: 'The dam forms "Apache Lake".\nOn the Salt River.', path: 'docs/horse-mesa-dam.md', startLine: 3, endLine: 4 } }],
    hasTrace: true,
    elapsedMs: 2300,
  });
  assert.ok(md.includes('**A:** Apache Lake'));
  assert.ok(md.includes('`Horse Mesa Dam lake` → 5 docs'));
  assert.ok(md.includes("docs/horse\\-mesa\\-dam\\.md:3\\-4](command:hopscope.inline.openSource?"));
  assert.ok(md.includes(`"The dam forms 'Apache Lake'. On the Salt River.")`), 'hover title is the passage, quotes made safe');
  for (const action of ['openTrace', 'reask', 'clear']) assert.ok(md.includes(`command:hopscope.inline.${action}?`), action);
  assert.ok(!md.includes('inline.cancel'));
  assert.match(md, /2\.3 s/);
});

test('model text cannot inject links or HTML', () => {
  const md = renderInline({ ...base, status: 'done', answer: '[click](command:workbench.action.quit) <img src=x>' });
  assert.ok(!md.includes('[click](command:workbench'), md);
  assert.equal(escapeMarkdown('<b>'), '\\<b\\>');
});
