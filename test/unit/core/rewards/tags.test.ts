/** The tag set of a template: kept for the last template asked, never stale when the next one differs. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tagsOf } from '../../../../src/core/rewards/tags';
import { BUILTIN_TEMPLATES } from '../../../../src/core/templates';

test('tags of a template, by name or object; an edited template gets its own tags', () => {
  const r1 = BUILTIN_TEMPLATES['r1-searcher']!;
  assert.deepEqual(tagsOf('r1-searcher'), {
    queryBegin: '<|begin_of_query|>',
    queryEnd: '<|end_of_query|>',
    docsBegin: '<|begin_of_documents|>',
    docsEnd: '<|end_of_documents|>',
    answerBegin: '<answer>',
    answerEnd: '</answer>',
    style: 'r1-searcher',
  });
  assert.equal(tagsOf('search-r1').style, 'search-r1');
  assert.equal(tagsOf(undefined).style, 'r1-searcher');
  const edited = { ...r1, answerBegin: '<final>', answerEnd: '</final>' };
  assert.equal(tagsOf(r1).answerBegin, '<answer>');
  assert.equal(tagsOf(edited).answerBegin, '<final>');
  edited.docsEnd = ' <|docs_end|> ';
  assert.equal(tagsOf(edited).docsEnd, '<|docs_end|>');
  edited.queryBegin = '<search>';
  assert.equal(tagsOf(edited).style, 'search-r1');
  assert.equal(tagsOf(r1).style, 'r1-searcher');
});
