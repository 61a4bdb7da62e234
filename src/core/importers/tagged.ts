/**
 * Splitting a tagged rollout text (R1-Searcher `<|begin_of_query|>`, Search-R1 `<search>`) into steps:
 * reasoning, one search step per query with the documents block that follows it, and the answer from
 * the last `<answer>`. Tags are plain strings, matched as text.
 */
import type { TagSet } from '../rewards/tags';
import type { RetrievedDoc, Step } from '../trace';

/** A template's tags (rewards/tags.ts, from templates.ts: one source of truth) and how its documents read. */
export interface RolloutTags extends Omit<TagSet, 'style'> {
  /** Documents of one block; `searchIndex` is 0 for the first search of the rollout. */
  parseDocs(block: string, searchIndex: number): RetrievedDoc[];
}

export interface SplitRollout {
  steps: Step[];
  answer: string | null;
}

export function splitRollout(text: string, tags: RolloutTags): SplitRollout {
  const steps: Step[] = [];
  let pos = 0;
  let searches = 0;
  for (;;) {
    const qs = text.indexOf(tags.queryBegin, pos);
    if (qs < 0) break;
    pushReason(steps, text.slice(pos, qs));
    const qBody = qs + tags.queryBegin.length;
    const qe = text.indexOf(tags.queryEnd, qBody);
    if (qe < 0) {
      steps.push({ kind: 'search', query: text.slice(qBody).trim(), docs: [], rewards: {}, error: `the query has no closing ${tags.queryEnd}` });
      return { steps, answer: null };
    }
    const query = text.slice(qBody, qe).trim();
    pos = qe + tags.queryEnd.length;
    const afterWs = skipWhitespace(text, pos);
    if (text.startsWith(tags.docsBegin, afterWs)) {
      const dBody = afterWs + tags.docsBegin.length;
      const de = text.indexOf(tags.docsEnd, dBody);
      const block = de < 0 ? text.slice(dBody) : text.slice(dBody, de);
      const step: Step = { kind: 'search', query, docs: tags.parseDocs(block, searches), rewards: {} };
      if (de < 0) step.error = `the documents block has no closing ${tags.docsEnd}`;
      steps.push(step);
      pos = de < 0 ? text.length : de + tags.docsEnd.length;
    } else {
      steps.push({ kind: 'search', query, docs: [], rewards: {}, error: 'no documents block followed the query' });
    }
    searches++;
  }
  const tail = text.slice(pos);
  const open = tail.lastIndexOf(tags.answerBegin);
  if (open < 0) {
    pushReason(steps, tail);
    return { steps, answer: null };
  }
  pushReason(steps, tail.slice(0, open));
  const body = tail.slice(open + tags.answerBegin.length);
  const close = body.indexOf(tags.answerEnd);
  // A loop that stops on `</answer>` drops the closing tag, so an unclosed last answer still counts.
  const answer = (close < 0 ? body : body.slice(0, close)).trim();
  steps.push({ kind: 'answer', text: answer, rewards: {} });
  return { steps, answer };
}

const THINK_TAG = /<\/?think>/g;

function pushReason(steps: Step[], segment: string): void {
  // A search for "<" first (rare in reasoning, so the fastest scan): most segments hold no think tag,
  // and the replace copies the text either way. Searching for "think>" stops at every "t": slower than the replace.
  const text = (segment.includes('<') ? segment.replace(THINK_TAG, '') : segment).trim();
  if (text) steps.push({ kind: 'reason', text, rewards: {} });
}

function skipWhitespace(text: string, pos: number): number {
  while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  return pos;
}

/** Splits a documents block on its item markers (`(1)`, `Doc 1`) at line starts; returns [number, body]. */
export function splitNumbered(block: string, marker: RegExp): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  const re = new RegExp(marker.source, 'gm');
  const hits = [...block.matchAll(re)];
  hits.forEach((m, i) => {
    const start = m.index! + m[0].length;
    const end = i + 1 < hits.length ? hits[i + 1]!.index! : block.length;
    out.push([Number(m[1]), block.slice(start, end).trim()]);
  });
  return out;
}
