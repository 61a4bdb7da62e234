import assert from 'node:assert/strict';
import { test } from 'node:test';
import { questionAtLine, questionFromText } from '../../../../src/extension/inline/questionText';

test('prose lines ending in ? are questions, with list bullets, quotes and headings stripped', () => {
  assert.equal(questionAtLine('- Who designed **Pavia Cathedral**?', 'markdown'), 'Who designed Pavia Cathedral?');
  assert.equal(questionAtLine('## What does `runLoop` return?', 'markdown'), 'What does runLoop return?');
  assert.equal(questionAtLine('> 3. Where is Yass?  ', 'markdown'), 'Where is Yass?');
  assert.equal(questionAtLine('Which lake does the dam form?', 'plaintext'), 'Which lake does the dam form?');
});

test('one-word lines and lines not ending in ? are not questions', () => {
  assert.equal(questionAtLine('Why?', 'markdown'), undefined);
  assert.equal(questionAtLine('The dam is tall.', 'markdown'), undefined);
  assert.equal(questionAtLine('Is it? No.', 'plaintext'), undefined);
});

test('in code only comment lines count, so a wrapped ternary is not a question', () => {
  assert.equal(questionAtLine('  // why does the index rebuild on save?', 'typescript'), 'why does the index rebuild on save?');
  assert.equal(questionAtLine('# What does this retry on?', 'python'), 'What does this retry on?');
  assert.equal(questionAtLine('/* is this thread-safe? */', 'c'), 'is this thread-safe?');
  assert.equal(questionAtLine('<!-- who owns this page? -->', 'html'), 'who owns this page?');
  assert.equal(questionAtLine('const a = flag ?', 'typescript'), undefined);
  assert.equal(questionAtLine('  value?', 'typescript'), undefined);
});

test('an explicit selection is a question as it stands, across lines, comment markers removed', () => {
  assert.equal(questionFromText('// how are\n// passages split', 'typescript'), 'how are passages split');
  assert.equal(questionFromText('Horse Mesa Dam\n\nreservoir', 'markdown'), 'Horse Mesa Dam reservoir');
  assert.equal(questionFromText('   \n ', 'markdown'), undefined);
});
