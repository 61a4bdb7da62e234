/**
 * The tags R1-Searcher's qwen-zero reward rules count (r1SearcherQwenZero.ts, from RUCAIBox/R1-Searcher
 * train/reward_server_qwen_zero.py @631167c), found in one walk over a text's `<` characters.
 */

export const BEGIN_DOCS = '<|begin_of_documents|>';
export const END_DOCS = '<|end_of_documents|>';
const BEGIN_QUERY = '<|begin_of_query|>';
const END_QUERY = '<|end_of_query|>';
export const ANSWER_OPEN = '<answer>';
const ANSWER_CLOSE = '</answer>';

/**
 * The counts the rules compare, from one walk over a text's `<` characters. Every tag holds one `<`,
 * its first character, so two occurrences of a tag never overlap and Python's non-overlapping `count`
 * is the number of places it starts; "tag + suffix" is counted where the tag starts and the suffix
 * follows. Twelve scans of a several-KB output were most of the format check's time.
 */
export interface TagWalk {
  text: string;
  beginDocs: number;
  /** `<|begin_of_documents|>\n`. */
  beginDocsNl: number;
  /** `<|begin_of_documents|>\n(1)`. */
  beginDocsFirst: number;
  endDocs: number;
  /** `<|end_of_documents|>\n\n`. */
  endDocsBlank: number;
  beginQuery: number;
  endQuery: number;
  think: number;
  thinkEnd: number;
  answerOpen: number;
  answerClose: number;
  /** Where the last `<answer>` starts, and the first `</answer>` after it (-1: none). */
  lastOpen: number;
  closeAfter: number;
  /** Where each `<|begin_of_documents|>` and each `<|end_of_documents|>` starts, in order. */
  docBegins: number[];
  docEnds: number[];
}

function walkTags(s: string): TagWalk {
  const w: TagWalk = {
    text: s,
    beginDocs: 0,
    beginDocsNl: 0,
    beginDocsFirst: 0,
    endDocs: 0,
    endDocsBlank: 0,
    beginQuery: 0,
    endQuery: 0,
    think: 0,
    thinkEnd: 0,
    answerOpen: 0,
    answerClose: 0,
    lastOpen: -1,
    closeAfter: -1,
    docBegins: [],
    docEnds: [],
  };
  for (let i = s.indexOf('<'); i >= 0; i = s.indexOf('<', i + 1)) {
    const next = s.charCodeAt(i + 1);
    if (next === 0x7c /* | */) {
      if (s.startsWith(BEGIN_DOCS, i)) {
        w.beginDocs++;
        w.docBegins.push(i);
        const after = i + BEGIN_DOCS.length;
        if (s.startsWith('\n', after)) {
          w.beginDocsNl++;
          if (s.startsWith('\n(1)', after)) w.beginDocsFirst++;
        }
      } else if (s.startsWith(END_DOCS, i)) {
        w.endDocs++;
        w.docEnds.push(i);
        if (s.startsWith('\n\n', i + END_DOCS.length)) w.endDocsBlank++;
      } else if (s.startsWith(BEGIN_QUERY, i)) w.beginQuery++;
      else if (s.startsWith(END_QUERY, i)) w.endQuery++;
    } else if (next === 0x74 /* t */) {
      if (s.startsWith('<think>', i)) w.think++;
    } else if (next === 0x2f /* / */) {
      if (s.startsWith('</think>', i)) w.thinkEnd++;
      else if (s.startsWith(ANSWER_CLOSE, i)) {
        w.answerClose++;
        if (w.closeAfter < 0 && w.lastOpen >= 0 && i >= w.lastOpen + ANSWER_OPEN.length) w.closeAfter = i;
      }
    } else if (next === 0x61 /* a */) {
      if (s.startsWith(ANSWER_OPEN, i)) {
        w.answerOpen++;
        w.lastOpen = i;
        w.closeAfter = -1;
      }
    }
  }
  return w;
}

/**
 * The tag walk of `text`, kept for the last text: the format check counts a finished output's answer
 * tags (format.ts) and the rules then read the same output's tags.
 */
export function tagWalk(text: string): TagWalk {
  if (text !== lastWalk?.text) lastWalk = walkTags(text);
  return lastWalk;
}

let lastWalk: TagWalk | undefined;

/** The number of `<answer>` and of `</answer>` in `text` (Python's count; neither tag overlaps itself). */
export function answerTagCounts(text: string): readonly [open: number, close: number] {
  const w = tagWalk(text);
  return [w.answerOpen, w.answerClose];
}
