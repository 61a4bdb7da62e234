/**
 * Whether a text holds "Assistant" or "assistant": R1-Searcher's `assistant_word` rule
 * (r1SearcherQwenZero.ts), and what every assistant-turn marker, R1-Searcher's `"\nAssistant: <think>"`
 * and R1-Searcher's prompts hold. Most training outputs hold none of it, so one scan of a rollout's
 * output tells that its prompt, its markers and the word are all absent (output.ts, then the rules): the
 * last text's answer is kept for the next question about the same text.
 */

/** The expression alone: its search skips ahead on the word's tail, where `includes('ssistant')` stops at every "s". */
export const ASSISTANT_WORD = /[Aa]ssistant/;

let lastText: string | undefined;
let lastHas = false;

export function hasAssistantWord(text: string): boolean {
  // The same string object most times (the output found, then judged): the comparison is then a pointer's.
  if (text !== lastText) {
    lastHas = ASSISTANT_WORD.test(text);
    lastText = text;
  }
  return lastHas;
}
