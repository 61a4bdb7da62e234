/**
 * Search-R1's sequence rules: PeterGriffinJin/Search-R1 `verl/utils/reward_score/qa_em_format.py`
 * @a14dc3a (Apache-2.0): `is_valid_sequence`, `extract_solution`, `extract_information_blocks`,
 * `is_retrieval_correct`, and how `compute_score_em` gates retrieval on a valid sequence.
 *
 * What they see: the reward manager decodes prompt + response with the chat template's special tokens,
 * so the text starts with the prompt (which itself holds `<answer> and </answer>`,
 * `<answer> Beijing </answer>` and `<information> and </information>`), then
 * `<|im_start|>assistant\n`, then the model's output with the spliced `<information>` blocks.
 * `searchR1Text` rebuilds that text; the functions below take it whole, as upstream does.
 */
import { squadNormalize } from '../metrics/squad';
import { PY_SPACE_CLASS, pyStrip } from '../metrics/python';
import { TextCache } from '../textCache';

const ASSISTANT = new RegExp(`<\\|im_start\\|>assistant${PY_SPACE_CLASS}*`);
const TAGS = ['think', 'search', 'information', 'answer'] as const;

/** The text Search-R1's reward functions read: the prompt as a Qwen chat user turn, then the output. */
export function searchR1Text(prompt: string, response: string): string {
  return `<|im_start|>user\n${prompt}<|im_end|>\n<|im_start|>assistant\n${response}`;
}

type State = 'start' | 'in_think' | 'after_think' | 'in_search' | 'after_search' | 'in_information' | 'information' | 'in_answer' | 'end';

const MOVES: Record<string, Partial<Record<State, State>>> = {
  '<think>': { start: 'in_think', information: 'in_think' },
  '</think>': { in_think: 'after_think' },
  '<search>': { after_think: 'in_search' },
  '</search>': { in_search: 'after_search' },
  '<information>': { after_search: 'in_information' },
  '</information>': { in_information: 'information' },
  '<answer>': { after_think: 'in_answer' },
  '</answer>': { in_answer: 'end' },
};

export type SequenceRule = 'missing_assistant_marker' | 'unbalanced_tags' | 'unexpected_tag' | 'text_between_blocks' | 'incomplete';

export interface SequenceCheck {
  valid: boolean;
  /** Which rule failed (Hopscope's name) and upstream's message for it. */
  rule?: SequenceRule;
  reason: string;
}

/** `is_valid_sequence(text)`. */
export function isValidSequence(text: string): SequenceCheck {
  const m = ASSISTANT.exec(text);
  if (!m) return { valid: false, rule: 'missing_assistant_marker', reason: 'Missing assistant marker' };
  return validContent(text.slice(m.index + m[0].length));
}

/**
 * The state machine over the text after the assistant marker. Upstream counts each tag, then splits the
 * text on the tags and walks the parts; here one walk over the text's `<` finds every tag in order
 * (a tag holds one `<`, its first character, so tags never overlap and the split's tags are exactly
 * these), counts them, and the text between two tags is read only where the state forbids content.
 */
export function validContent(content: string): SequenceCheck {
  const found = tagsIn(content);
  for (let k = 0; k < TAGS.length; k++) {
    const open = found.counts[2 * k]!;
    const close = found.counts[2 * k + 1]!;
    if (open !== close) {
      return { valid: false, rule: 'unbalanced_tags', reason: `Mismatch in ${TAGS[k]} tags: ${open} opening vs ${close} closing tags` };
    }
  }
  let state: State = 'start';
  let from = 0;
  for (let t = 0; t <= found.at.length; t++) {
    // The text before this tag (after the last one, the rest): whitespace alone is skipped, as upstream's
    // `if not part.strip(): continue`; content is allowed only inside a block.
    const end = t < found.at.length ? found.at[t]! : content.length;
    if (state === 'start' || state === 'after_think' || state === 'after_search' || state === 'information' || state === 'end') {
      const text = pyStrip(content.slice(from, end));
      if (text) {
        return state === 'end'
          ? { valid: false, rule: 'text_between_blocks', reason: `Unexpected content in state ${state}` }
          : { valid: false, rule: 'text_between_blocks', reason: `Unexpected content '${text}' between tags (state: ${state})` };
      }
    }
    if (t === found.at.length) break;
    const tag = TAG_TEXTS[found.tag[t]!]!;
    const next: State | undefined = MOVES[tag]?.[state];
    if (!next) return { valid: false, rule: 'unexpected_tag', reason: `Unexpected tag ${tag} in state ${state}` };
    state = next;
    from = end + tag.length;
  }
  if (state !== 'end') return { valid: false, rule: 'incomplete', reason: `Incomplete sequence, ended in state ${state}` };
  return { valid: true, reason: 'Valid sequence format' };
}

/** `<think>`, `</think>`, `<search>`, … in TAGS order: tag k opens at 2k, closes at 2k + 1. */
const TAG_TEXTS = TAGS.flatMap((tag) => [`<${tag}>`, `</${tag}>`]);

/** The TAG_TEXTS index of the tag at `i` (a `<`), or -1: told by the letter after `<` or `</` (the tags' first letters differ). */
function tagAt(content: string, i: number): number {
  const close = content.charCodeAt(i + 1) === 0x2f; /* / */
  const letter = content.charAt(close ? i + 2 : i + 1);
  const k = letter ? TAG_BY_LETTER.indexOf(letter) : -1;
  if (k < 0) return -1;
  const form = 2 * k + (close ? 1 : 0);
  return content.startsWith(TAG_TEXTS[form]!, i) ? form : -1;
}

/** Each tag's first letter, in TAGS order. */
const TAG_BY_LETTER = TAGS.map((tag) => tag[0]).join('');

/** Every tag of `content` in order: where it starts, which it is (its TAG_TEXTS index), and each one's count. */
function tagsIn(content: string): { at: number[]; tag: number[]; counts: number[] } {
  const at: number[] = [];
  const tag: number[] = [];
  const counts = TAG_TEXTS.map(() => 0);
  for (let i = content.indexOf('<'); i >= 0; i = content.indexOf('<', i + 1)) {
    const k = tagAt(content, i);
    if (k < 0) continue;
    at.push(i);
    tag.push(k);
    counts[k]!++;
  }
  return { at, tag, counts };
}

/** `extract_solution(text)`: the last closed `<answer>…</answer>`, stripped, only when there are at least two. */
export function extractSolution(text: string): string | null {
  const matches = [...text.matchAll(/<answer>([\s\S]*?)<\/answer>/g)];
  if (matches.length <= 1) return null;
  return pyStrip(matches[matches.length - 1]![1]!);
}

/** `extract_information_blocks(text)`: every `<information>…</information>` body, stripped. */
export function informationBlocks(text: string): string[] {
  return [...text.matchAll(/<information>([\s\S]*?)<\/information>/g)].map((m) => pyStrip(m[1]!));
}

/**
 * Retrieved blocks, normalised: most of a Search-R1 rollout's reward time (several KB of documents
 * through the SQuAD normalisation, tens of µs), and the rollouts of a GRPO group and of later epochs
 * retrieve the same blocks. The normalisation is pure, so remembering it changes no result. Keyed by
 * the block's length and ends (TextCache): a Map keyed by the block itself hashed it whole per lookup.
 */
const normalizedBlocks = new TextCache<string>(4096);

/** `is_retrieval_correct(text, golds)`: a normalised gold is a substring of a normalised whole block. */
export function isRetrievalCorrect(text: string, golds: readonly string[]): boolean {
  const gs = golds.map(squadNormalize);
  return informationBlocks(text).some((block) => {
    const b = normalizedBlocks.get(block, squadNormalize);
    return gs.some((g) => b.includes(g));
  });
}

/** Retrieval-correct as `compute_score_em` uses it: false unless the sequence is valid. */
export function retrievalCorrectSearchR1(text: string, golds: readonly string[]): boolean {
  return isValidSequence(text).valid && isRetrievalCorrect(text, golds);
}
