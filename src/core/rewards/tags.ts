/**
 * The tag set a trajectory's text uses, from its template name or a template object, for the format
 * checks and for locating steps in the raw text.
 */
import { BUILTIN_TEMPLATES, type Template } from '../templates';

export interface TagSet {
  queryBegin: string;
  queryEnd: string;
  docsBegin: string;
  docsEnd: string;
  answerBegin: string;
  answerEnd: string;
  /** `search-r1`: Search-R1's state-machine structure check applies; otherwise R1-Searcher's rules. */
  style: 'r1-searcher' | 'search-r1';
}

export function tagsOf(template: string | Template | undefined): Readonly<TagSet> {
  const t = typeof template === 'string' || template === undefined ? BUILTIN_TEMPLATES[template ?? 'r1-searcher'] : template;
  const base = t ?? BUILTIN_TEMPLATES['r1-searcher']!;
  // Asked several times per trajectory (format check, upstream reward, outcome), mostly of one template:
  // the last answer is kept while the template's tags are the same strings (an edited template is not).
  const last = lastTags;
  if (
    last &&
    last.from.queryBegin === base.queryBegin &&
    last.from.queryEnd === base.queryEnd &&
    last.from.docsBegin === base.docsBegin &&
    last.from.docsEnd === base.docsEnd &&
    last.from.answerBegin === base.answerBegin &&
    last.from.answerEnd === base.answerEnd
  ) {
    return last.tags;
  }
  const tags: Readonly<TagSet> = Object.freeze({
    queryBegin: base.queryBegin,
    queryEnd: base.queryEnd,
    // The template splices whitespace around the document tags; the tags themselves are what the text holds.
    docsBegin: base.docsBegin.trim(),
    docsEnd: base.docsEnd.trim(),
    answerBegin: base.answerBegin,
    answerEnd: base.answerEnd,
    style: base.queryBegin === '<search>' ? 'search-r1' : 'r1-searcher',
  });
  const { queryBegin, queryEnd, docsBegin, docsEnd, answerBegin, answerEnd } = base;
  lastTags = { from: { queryBegin, queryEnd, docsBegin, docsEnd, answerBegin, answerEnd }, tags };
  return tags;
}

let lastTags: { from: Pick<Template, 'queryBegin' | 'queryEnd' | 'docsBegin' | 'docsEnd' | 'answerBegin' | 'answerEnd'>; tags: Readonly<TagSet> } | undefined;

export function countOf(text: string, needle: string): number {
  if (!needle) return 0;
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}
