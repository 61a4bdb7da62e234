/**
 * The model's output in a raw transcript: after the rendered prompt when the transcript holds it (a chat
 * run's `Assistant:` opening dropped), else after the first assistant-turn marker found in order of
 * preference, else the whole text. modelOutput rules the prompt and the markers out from one scan for
 * "Assistant"/"assistant" where it can; here it is checked against those steps written out literally.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelOutput } from '../../../../src/core/rewards/output';
import { BUILTIN_TEMPLATES, renderPrompt, type Template } from '../../../../src/core/templates';
import { rng } from '../../../support/random';

const MARKERS = ['<|im_start|>assistant\n', '<|im_start|>assistant', '<|start_header_id|>assistant<|end_header_id|>'];

function literalOutput(raw: string, prompt: string | undefined): string {
  if (prompt !== undefined) {
    const at = raw.indexOf(prompt);
    if (at >= 0) return raw.slice(at + prompt.length).replace(/^\s*Assistant:[ \t]?/, '');
  }
  for (const m of MARKERS) {
    const at = raw.indexOf(m);
    if (at >= 0) return raw.slice(at + m.length);
  }
  return raw;
}

const R1 = BUILTIN_TEMPLATES['r1-searcher']!;
const SEARCH_R1 = BUILTIN_TEMPLATES['search-r1']!;
/** A template whose own text holds the word only once a question is put in: "Assis" + "tant". */
const SPLIT_WORD: Template = { ...R1, prompt: 'Ask. Assis{question}tant, go.\n' };
/** One whose text never holds the word. */
const NO_WORD: Template = { ...R1, prompt: 'Q: {question}\nA:' };

const policy = (template: string) => ({ endpoint: '', model: 'm', template, params: {} });

describe('modelOutput', () => {
  it('finds the output after the prompt, after a marker, or takes the whole text', () => {
    const t = (raw: string) => ({ raw, question: 'Who?', policy: policy('r1-searcher') });
    const prompt = renderPrompt(R1, 'Who?');
    assert.equal(modelOutput(t(`${prompt} I search.</think>`)), ' I search.</think>');
    assert.equal(modelOutput(t(`User: ${prompt}\nAssistant: I search.`)), 'I search.');
    assert.equal(modelOutput(t('<|im_start|>user\nWho?<|im_end|>\n<|im_start|>assistant\nI search.')), 'I search.');
    assert.equal(modelOutput(t('I search. <answer> x </answer>')), 'I search. <answer> x </answer>');
    assert.equal(modelOutput(t('my assistant searched')), 'my assistant searched');
  });

  it('equals the literal steps on random transcripts, whatever the template holds', () => {
    const random = rng(13);
    const questions = ['Who?', '', 'an assistant?', 'Assistant'];
    for (const tpl of [R1, SEARCH_R1, SPLIT_WORD, NO_WORD, undefined]) {
      for (const question of questions) {
        const prompt = tpl ? renderPrompt(tpl, question) : undefined;
        const pieces = [
          ...(prompt !== undefined ? [prompt, prompt.slice(0, 20), prompt.slice(-12)] : []),
          ...MARKERS,
          '<|im_start|>',
          '|>assistant',
          'Assistant:',
          'assistant',
          'Assis',
          'tant',
          '\nAssistant: <think>',
          ' ',
          '\n',
          'text',
          '北京',
        ];
        for (let i = 0; i < 600; i++) {
          let raw = '';
          for (let k = Math.floor(random() * 8); k > 0; k--) raw += pieces[Math.floor(random() * pieces.length)];
          const t = { raw, question, policy: policy('none') };
          assert.equal(modelOutput(t, tpl), literalOutput(raw, prompt), JSON.stringify([tpl?.prompt, question, raw]));
        }
      }
    }
  });
});
