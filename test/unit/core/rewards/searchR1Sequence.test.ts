/** Search-R1's sequence rules (qa_em_format.py @a14dc3a) over the text its reward manager decodes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BUILTIN_TEMPLATES, renderPrompt } from '../../../../src/core/templates';
import {
  extractSolution,
  isRetrievalCorrect,
  isValidSequence,
  retrievalCorrectSearchR1,
  searchR1Text,
  validContent,
} from '../../../../src/core/rewards/searchR1Sequence';
import { rng } from '../../../support/random';

const prompt = renderPrompt(BUILTIN_TEMPLATES['search-r1']!, 'Where is the Louvre?');
const text = (response: string) => searchR1Text(prompt, response);
const good =
  '<think> look it up </think>\n<search> Louvre </search>\n\n<information>Doc 1(Title: "Louvre") The Louvre is in Paris.</information>\n\n' +
  '<think> found </think>\n<answer> Paris </answer>';

describe('Search-R1 sequence rules', () => {
  it('extract_solution wants at least two closed answers: the prompt holds two, the output adds the third', () => {
    assert.equal(extractSolution(text(good)), 'Paris');
    assert.equal(extractSolution('<answer> Paris </answer>'), null, 'one match alone is no solution');
    assert.equal(extractSolution(text('<think> x </think><answer> Paris')), 'Beijing', "an unclosed answer leaves the prompt's example last");
  });

  it('is_valid_sequence: the think/search/information/answer state machine after the assistant marker', () => {
    assert.equal(isValidSequence(text(good)).valid, true);
    assert.equal(isValidSequence(good).rule, 'missing_assistant_marker');
    assert.equal(isValidSequence(text('<think> a </think> hello <answer> y </answer>')).rule, 'text_between_blocks');
    assert.equal(isValidSequence(text('<think> a </think><information> d </information><answer> y </answer>')).rule, 'unexpected_tag');
    assert.equal(isValidSequence(text('<think> a </think><search> q </search>')).rule, 'incomplete');
    assert.equal(isValidSequence(text('<think> a <answer> y </answer>')).rule, 'unbalanced_tags');
    assert.equal(isValidSequence(text('<think> a </think><answer> y </answer>\x1c')).valid, true, 'U+001C is whitespace to str.strip()');
  });

  it('retrieval-correct: a normalised gold as a substring of a whole normalised block, gated by a valid sequence', () => {
    assert.equal(retrievalCorrectSearchR1(text(good), ['paris']), true);
    assert.equal(isRetrievalCorrect(text(good), ['Pari']), true, 'a substring, not a whole word');
    assert.equal(isRetrievalCorrect(text(good), ['n']), true, "the prompt's own <information> and </information> is a block: 'and'");
    const invalid = text(good.replace('<think> found </think>\n', 'found '));
    assert.equal(isRetrievalCorrect(invalid, ['paris']), true);
    assert.equal(retrievalCorrectSearchR1(invalid, ['paris']), false, 'counts only when is_valid_sequence holds');
  });

  it('retrieval-correct judges each block by its own text, when blocks recur or share their length and ends', () => {
    const block = (middle: string) => `<information>${'a'.repeat(60)} ${middle} ${'b'.repeat(60)}</information>`;
    assert.equal(isRetrievalCorrect(block('Lille'), ['lille']), true);
    assert.equal(isRetrievalCorrect(block('Lille'), ['paris']), false, 'the same block again, another gold');
    assert.equal(isRetrievalCorrect(block('Paris'), ['paris']), true, 'same length and ends, another middle');
    assert.equal(isRetrievalCorrect(block('Paris'), ['lille']), false);
  });

  /**
   * `is_valid_sequence`'s steps after the marker written out as upstream does them: a count per tag
   * (`re.findall`), then a split on the tags (the pattern in a group keeps them) and the state machine
   * over the non-blank parts. validContent finds the tags in one walk instead; random texts of the pieces
   * where the two could part.
   */
  it('the state machine equals the literal steps on random texts', () => {
    // Upstream's transitions: state, tag, next state.
    const MOVES = new Map(
      [
        'start <think> in_think',
        'information <think> in_think',
        'in_think </think> after_think',
        'after_think <search> in_search',
        'in_search </search> after_search',
        'after_search <information> in_information',
        'in_information </information> information',
        'after_think <answer> in_answer',
        'in_answer </answer> end',
      ].map((m) => {
        const [from, tag, to] = m.split(' ');
        return [`${from} ${tag}`, to!];
      }),
    );
    const strip = (x: string) => x.replace(/^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g, '');
    const literal = (content: string) => {
      for (const tag of ['think', 'search', 'information', 'answer']) {
        const open = content.split(`<${tag}>`).length - 1;
        const close = content.split(`</${tag}>`).length - 1;
        if (open !== close) return { valid: false, rule: 'unbalanced_tags', reason: `Mismatch in ${tag} tags: ${open} opening vs ${close} closing tags` };
      }
      let state = 'start';
      for (const part of content.split(/(<\/?(?:think|search|information|answer)>)/)) {
        if (!strip(part)) continue;
        if (/^<\/?(?:think|search|information|answer)>/.test(part)) {
          const next = MOVES.get(`${state} ${part}`);
          if (!next) return { valid: false, rule: 'unexpected_tag', reason: `Unexpected tag ${part} in state ${state}` };
          state = next;
        } else if (['start', 'after_think', 'after_search', 'information'].includes(state)) {
          return { valid: false, rule: 'text_between_blocks', reason: `Unexpected content '${strip(part)}' between tags (state: ${state})` };
        } else if (state === 'end') {
          return { valid: false, rule: 'text_between_blocks', reason: `Unexpected content in state ${state}` };
        }
      }
      if (state !== 'end') return { valid: false, rule: 'incomplete', reason: `Incomplete sequence, ended in state ${state}` };
      return { valid: true, reason: 'Valid sequence format' };
    };
    const PIECES = [
      '<think>', '</think>', '<search>', '</search>', '<information>', '</information>', '<answer>', '</answer>',
      '<think> a </think>', '<search> q </search>', '<information> d </information>', '<answer> y </answer>',
      '<', '</', '<thin', 'k>', '<answer', '>', ' ', '\n', '\x1c', '\u3000', 'x', 'two words', '北京',
    ];
    // Well-formed sequences, so the walk gets past the counts and reaches every state.
    const BLOCKS = ['<think> a </think>', '\n', '<search> q </search>', '<information> d </information>', '<answer> y </answer>', ' '];
    const random = rng(5);
    for (let i = 0; i < 6000; i++) {
      const pieces = i % 2 ? PIECES : BLOCKS.concat(PIECES.slice(-6));
      let content = '';
      for (let k = Math.floor(random() * 14); k > 0; k--) content += pieces[Math.floor(random() * pieces.length)];
      const got = validContent(content);
      assert.deepEqual(got, literal(content), JSON.stringify(content));
    }
  });
});
