/**
 * Agent templates as data: the prompt, the tags the model writes, how retrieved documents are spliced
 * back, and the stop strings. The loop has one code path; R1-Searcher, Search-R1 and a user's own
 * agent differ only here. Tags are plain text (not special tokens), so stops are matched as strings.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from './errors';
import { METRIC_DEFINITION_NAMES, type MetricDefinitionName } from './metrics';
import { dropLeadingNumber, pyStrip } from './pyText';
import type { RetrievedDoc } from './trace';

export type TemplateApi = 'completions' | 'chat';
/**
 * How a query is cleaned before it goes to the retriever. `r1-searcher`: R1-Searcher's evaluation
 * (quotes and "..." removed, tabs to spaces); upstream trims nothing, and its retriever (BGE through
 * a BERT tokenizer) ignores surrounding whitespace, so a query is trimmed for the trace unless it is
 * whitespace only: that one is searched as it is, as upstream does. `r1-searcher-trim`: always trimmed
 * (Hopscope's earlier rule: a blank query then counts as empty). `trim`: surrounding whitespace only.
 */
export type QueryCleaning = 'r1-searcher' | 'r1-searcher-trim' | 'trim';
/**
 * A query that comes out empty after cleaning. `stop`: the run ends unanswered (stop reason
 * `empty_query`), as R1-Searcher's evaluation does (`query_inst_error`); `search`: the empty string
 * goes to the retriever, as Search-R1 sends it (`<search></search>` is a valid search action there);
 * `no-docs`: nothing is searched, the model gets the template's `noDocs` block and carries on.
 */
export type EmptyQueryRule = 'stop' | 'search' | 'no-docs';
/**
 * A turn that ended on EOS (or a stop string other than the query/answer end) inside an open answer
 * tag. `no-answer`: not an answer, as both upstream loops treat it (R1-Searcher: `shot_down`;
 * Search-R1: an invalid action); `answer`: the open answer counts (Hopscope's option).
 */
export type UnclosedAnswerRule = 'no-answer' | 'answer';
/** A turn cut by max_tokens: `stop` ends the run (`length`); `invalid-action` splices `invalidAction` and goes on, as Search-R1. */
export type LengthCutRule = 'stop' | 'invalid-action';
/**
 * How documents are spliced. `template`: each rendered with `docFormat`. `r1-searcher`: a document
 * string from an R1-Searcher `/queries` server goes in as `(i)` + the string, less a leading number
 * (evaluation/eval_search_loacl.py); `search-r1`: from a Search-R1 server's `contents`, the first line
 * as the title, quotes kept, the rest as text (search_r1/llm_agent/generation.py `_passages2string`).
 * Documents without the server's own string (a local index) fall back to `docFormat`.
 */
export type DocSplice = 'template' | 'r1-searcher' | 'search-r1';

export interface Template {
  name: string;
  api: TemplateApi;
  /** completions: the whole prompt; chat: the user message. `{question}` is replaced. */
  prompt: string;
  /** chat only: an optional system message. */
  system?: string;
  queryBegin: string;
  queryEnd: string;
  answerBegin: string;
  answerEnd: string;
  /** Text spliced after `queryEnd` and before the documents. */
  docsBegin: string;
  /** Text spliced after the documents. */
  docsEnd: string;
  /** One document; `{rank}`, `{title}`, `{text}`, `{id}`, `{path}` are replaced. */
  docFormat: string;
  /** What goes between docsBegin and docsEnd when nothing comes back. */
  noDocs: string;
  /** Strip surrounding whitespace from the joined documents (Search-R1 does). */
  trimDocs: boolean;
  stops: string[];
  topK: number;
  /** Searches allowed; after the last one the model gets one more turn that must answer. */
  maxSearches: number;
  /** Appended after a turn that neither searched nor answered; absent: such a turn ends the run. */
  invalidAction?: string;
  queryCleaning: QueryCleaning;
  /**
   * chat only. `continue` (default): everything after the prompt is one assistant turn that the
   * server continues (vLLM/SGLang `continue_final_message`), as Search-R1 was trained. `turns`: the
   * model's text as assistant messages and spliced documents as user messages, for servers that
   * cannot continue a turn (e.g. OpenAI).
   */
  chatMode?: ChatMode;
  /** Default `no-docs`; the built-in R1-Searcher templates `stop`, Search-R1 `search`. */
  emptyQuery?: EmptyQueryRule;
  /** Default `answer`; the built-in templates `no-answer`. */
  unclosedAnswer?: UnclosedAnswerRule;
  /** Default `stop`; Search-R1 `invalid-action`. */
  lengthCut?: LengthCutRule;
  /**
   * Strip the whitespace around the model's text before `queryEnd` is appended (R1-Searcher's
   * evaluation does, leading whitespace included). Default false.
   */
  stripBeforeQueryEnd?: boolean;
  /** Default `template`. */
  docSplice?: DocSplice;
  /**
   * Which opening tag a turn's query starts after when it holds several: `last` (default; R1-Searcher's
   * `split("<|begin_of_query|>")[-1]`) or `first` (Search-R1's non-greedy `<(search|answer)>(.*?)</\1>`,
   * which spans from the first `<search>` to the stop).
   */
  queryTag?: 'last' | 'first';
  /** Sampling as the template's own evaluation runs it; the caller's parameters win. */
  sampling?: { temperature?: number; topP?: number; maxTokens?: number };
  /**
   * The metric definition runs of this template are scored with (core/metrics). Absent: Search-R1's for
   * `<search>` tags, else R1-Searcher's.
   */
  metricDefinition?: MetricDefinitionName;
}

export type ChatMode = 'continue' | 'turns';

/** A piece of the context after the prompt: written by the model, or spliced in by the loop. */
export interface ContextPart {
  from: 'model' | 'loop';
  text: string;
}

/**
 * R1-Searcher's training prompt for base models (RUCAIBox/R1-Searcher @631167c,
 * OpenRLHF-RAG/openrlhf/datasets/prompts_dataset.py, `base_prompt`); the escaped newlines in that
 * Python string are real newlines here (882 characters with `{question}`).
 */
const R1_SEARCHER_PROMPT =
  'The User asks a question, and the Assistant solves it.\n' +
  'The Assistant first thinks about the reasoning process in the mind and then provides the User with the final answer.\n' +
  'The output format of reasoning process and final answer are enclosed within <think> </think> and <answer> </answer> tags, ' +
  'respectively, i.e., "<think> reasoning process here </think>\n\n<answer> final answer here </answer>".\n' +
  'During the thinking process, **the Assistant can perform searching** for uncertain knowledge if necessary with the format of ' +
  '"<|begin_of_query|> search query (only list keywords, such as **"keyword_1 keyword_2 ..."**)<|end_of_query|>". ' +
  '**A query must involve only a single triple**.\n' +
  'Then, the search system will provide the Assistant with the retrieval information with the format of ' +
  '"<|begin_of_documents|> ...search results... <|end_of_documents|>".\n\n' +
  'User:{question}\n' +
  'Assistant: <think>';

/**
 * R1-Searcher's evaluation prompt `v0`, the one its reported numbers use (RUCAIBox/R1-Searcher @631167c,
 * evaluation/eval_search_loacl.py `base_prompt_v0`, run with `--prompt_type v0` in evaluation/gen_search.sh); 827 characters with `{question}`.
 */
const R1_SEARCHER_EVAL_PROMPT =
  'The User asks a question, and the Assistant solves it.\n' +
  'The Assistant first thinks about the reasoning process in the mind and then provides the User with the final answer.\n' +
  'The output format of reasoning process and final answer are enclosed within <think> </think> and <answer> </answer> tags, ' +
  'respectively, i.e., "<think> reasoning process here </think>\n\n<answer> final answer here </answer>".\n' +
  'During the thinking process, the Assistant can perform searching for uncertain knowledge if necessary with the format of ' +
  '"<|begin_of_query|> search query (only keywords) here <|end_of_query|>". **A query must involve only a single triple**.\n' +
  'Then, the system will provide the Assistant with helpful information with the format of ' +
  '"<|begin_of_documents|> ...search results... <|end_of_documents|>".\n\n' +
  'User:{question}\n' +
  'Assistant: <think>';

/** Search-R1's prompt (PeterGriffinJin/Search-R1, make_prefix for instruct models), sent as the user message. */
const SEARCH_R1_PROMPT =
  'Answer the given question. ' +
  'You must conduct reasoning inside <think> and </think> first every time you get new information. ' +
  'After reasoning, if you find you lack some knowledge, you can call a search engine by <search> query </search> ' +
  'and it will return the top searched results between <information> and </information>. ' +
  'You can search as many times as your want. ' +
  'If you find no further external knowledge needed, you can directly provide the answer inside <answer> and </answer>, ' +
  'without detailed illustrations. For example, <answer> Beijing </answer>. Question: {question}\n';

const SEARCH_R1_INVALID =
  '\nMy previous action is invalid. If I want to search, I should put the query between <search> and </search>. ' +
  'If I want to give the final answer, I should put the answer between <answer> and </answer>. Let me try again.\n';

/**
 * R1-Searcher's loop as its evaluation runs it (RUCAIBox/R1-Searcher @631167c,
 * evaluation/eval_search_loacl.py): stops, top-5 documents, `(i)`-numbered document strings, the
 * generated text stripped before `<|end_of_query|>`, an empty query or an unclosed answer ending the
 * run unanswered; temperature 0 (gen_search.sh `--temp 0.0`), top_p 0.95, 512 tokens per call.
 */
const R1_SEARCHER: Omit<Template, 'name' | 'prompt'> = {
  api: 'completions',
  queryBegin: '<|begin_of_query|>',
  queryEnd: '<|end_of_query|>',
  answerBegin: '<answer>',
  answerEnd: '</answer>',
  docsBegin: '\n\n<|begin_of_documents|>\n',
  docsEnd: '<|end_of_documents|>\n\n',
  docFormat: '({rank})Title: {title} Text: {text}\n',
  noDocs: 'None',
  trimDocs: false,
  stops: ['<|end_of_query|>', '</answer>', '<|im_end|>', '<|endoftext|>'],
  topK: 5,
  maxSearches: 8,
  queryCleaning: 'r1-searcher',
  emptyQuery: 'stop',
  unclosedAnswer: 'no-answer',
  lengthCut: 'stop',
  stripBeforeQueryEnd: true,
  docSplice: 'r1-searcher',
  sampling: { temperature: 0, topP: 0.95, maxTokens: 512 },
};

export const BUILTIN_TEMPLATES: Readonly<Record<string, Template>> = Object.freeze({
  'r1-searcher': { name: 'r1-searcher', prompt: R1_SEARCHER_PROMPT, ...R1_SEARCHER },
  'r1-searcher-eval': { name: 'r1-searcher-eval', prompt: R1_SEARCHER_EVAL_PROMPT, ...R1_SEARCHER },
  /**
   * Search-R1 (PeterGriffinJin/Search-R1 @a14dc3a, search_r1/llm_agent/generation.py): a turn that
   * neither searched nor answered, a length cut included, gets the invalid-action text and the loop
   * goes on; documents as `_passages2string` writes them. Greedy decoding at validation
   * (verl/trainer/ppo/ray_trainer.py `do_sample: False` → temperature 0, top_p 1) and 500 response
   * tokens (train_ppo.sh `data.max_response_length=500`).
   */
  'search-r1': {
    name: 'search-r1',
    api: 'chat',
    prompt: SEARCH_R1_PROMPT,
    queryBegin: '<search>',
    queryEnd: '</search>',
    answerBegin: '<answer>',
    answerEnd: '</answer>',
    docsBegin: '\n\n<information>',
    docsEnd: '</information>\n\n',
    docFormat: 'Doc {rank}(Title: "{title}") {text}\n',
    noDocs: '',
    trimDocs: true,
    stops: ['</search>', '</answer>', '<|im_end|>', '<|endoftext|>'],
    topK: 3,
    maxSearches: 4,
    invalidAction: SEARCH_R1_INVALID,
    queryCleaning: 'trim',
    emptyQuery: 'search',
    unclosedAnswer: 'no-answer',
    lengthCut: 'invalid-action',
    docSplice: 'search-r1',
    queryTag: 'first',
    sampling: { temperature: 0, topP: 1, maxTokens: 500 },
  },
});

/** The Template fields a user may set, with their types, for validation of JSON templates. */
type FieldType = 'string' | 'number' | 'boolean' | 'string[]' | 'sampling' | Readonly<string[]>;
const FIELD_TYPES: Record<keyof Template, FieldType> = {
  name: 'string',
  api: ['completions', 'chat'],
  prompt: 'string',
  system: 'string',
  queryBegin: 'string',
  queryEnd: 'string',
  answerBegin: 'string',
  answerEnd: 'string',
  docsBegin: 'string',
  docsEnd: 'string',
  docFormat: 'string',
  noDocs: 'string',
  trimDocs: 'boolean',
  stops: 'string[]',
  topK: 'number',
  maxSearches: 'number',
  invalidAction: 'string',
  queryCleaning: ['r1-searcher', 'r1-searcher-trim', 'trim'],
  chatMode: ['continue', 'turns'],
  emptyQuery: ['stop', 'search', 'no-docs'],
  unclosedAnswer: ['no-answer', 'answer'],
  lengthCut: ['stop', 'invalid-action'],
  stripBeforeQueryEnd: 'boolean',
  docSplice: ['template', 'r1-searcher', 'search-r1'],
  queryTag: ['last', 'first'],
  sampling: 'sampling',
  metricDefinition: METRIC_DEFINITION_NAMES,
};

function isSampling(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  return Object.entries(v).every(([k, x]) => ['temperature', 'topP', 'maxTokens'].includes(k) && typeof x === 'number' && x >= 0);
}

/**
 * A user template from parsed JSON: `{ "extends": "r1-searcher", ...fields }`. Without `extends`,
 * every required field must be given. `where` names the file or setting in errors.
 */
export function parseTemplate(value: unknown, where: string): Template {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('a template must be a JSON object', where, undefined, 'see docs for the template fields');
  }
  const obj = value as Record<string, unknown>;
  let base: Partial<Template> = {};
  if (obj.extends !== undefined) {
    if (typeof obj.extends !== 'string' || !BUILTIN_TEMPLATES[obj.extends]) {
      throw new InputError(`"extends" must name a built-in template (${Object.keys(BUILTIN_TEMPLATES).join(', ')})`, where);
    }
    base = { ...BUILTIN_TEMPLATES[obj.extends] };
  }
  const out: Record<string, unknown> = { ...base };
  for (const [key, v] of Object.entries(obj)) {
    if (key === 'extends' || key === '$schema' || key === 'description') continue;
    const type = FIELD_TYPES[key as keyof Template];
    if (!type) throw new InputError(`unknown template field "${key}"`, where, undefined, `known fields: ${Object.keys(FIELD_TYPES).join(', ')}`);
    const ok =
      typeof type !== 'string' ? type.includes(v as string)
      : type === 'string[]' ? Array.isArray(v) && v.every((s) => typeof s === 'string' && s !== '')
      : type === 'sampling' ? isSampling(v)
      : type === 'number' ? typeof v === 'number' && Number.isInteger(v) && v >= 0
      : typeof v === type;
    if (!ok) throw new InputError(`template field "${key}" must be ${describeType(type)}`, where);
    out[key] = v;
  }
  out.name ??= base.name ? `${base.name}+custom` : 'custom';
  out.noDocs ??= '';
  out.trimDocs ??= false;
  out.queryCleaning ??= 'trim';
  out.topK ??= 5;
  out.maxSearches ??= 8;
  const required: (keyof Template)[] = ['api', 'prompt', 'queryBegin', 'queryEnd', 'answerBegin', 'answerEnd', 'docsBegin', 'docsEnd', 'docFormat', 'stops'];
  const missing = required.filter((k) => out[k] === undefined);
  if (missing.length) throw new InputError(`template is missing ${missing.join(', ')}`, where, undefined, 'or add "extends": "r1-searcher"');
  const t = out as unknown as Template;
  if (!t.prompt.includes('{question}')) throw new InputError('template "prompt" must contain {question}', where);
  // The loop relies on the model stopping after a query; without that stop it could run on and invent documents.
  if (!t.stops.includes(t.queryEnd)) t.stops = [...t.stops, t.queryEnd];
  if (!t.stops.includes(t.answerEnd)) t.stops = [...t.stops, t.answerEnd];
  return t;
}

function describeType(type: FieldType): string {
  if (typeof type !== 'string') return type.map((v) => `"${v}"`).join(' or ');
  switch (type) {
    case 'string[]':
      return 'a list of non-empty strings';
    case 'sampling':
      return 'an object with numbers temperature, topP, maxTokens';
    case 'number':
      return 'a whole number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    default: {
      const never: never = type;
      return never;
    }
  }
}

/** A built-in template by name, or a user template from a JSON file. */
export function getTemplate(nameOrFile: string): Template {
  const builtin = BUILTIN_TEMPLATES[nameOrFile];
  if (builtin) return { ...builtin, stops: [...builtin.stops], ...(builtin.sampling ? { sampling: { ...builtin.sampling } } : {}) };
  if (!existsSync(nameOrFile)) {
    throw new InputError(
      `unknown template "${nameOrFile}"`,
      undefined,
      undefined,
      `use one of ${Object.keys(BUILTIN_TEMPLATES).join(', ')} or the path of a template JSON file`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(nameOrFile, 'utf8'));
  } catch (e) {
    throw new InputError(`not valid JSON: ${(e as Error).message}`, nameOrFile);
  }
  return parseTemplate(parsed, nameOrFile);
}

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** The first context for a question: the prompt text (completions) or the messages before the assistant's turn (chat). */
export function renderPrompt(t: Template, question: string): string {
  return t.prompt.replaceAll('{question}', question);
}

/** The chat messages for the context so far: a string is the assistant's turn so far. */
export function chatMessages(t: Template, question: string, after: string | readonly ContextPart[]): ChatMessage[] {
  const msgs: ChatMessage[] = [];
  if (t.system) msgs.push({ role: 'system', content: t.system });
  msgs.push({ role: 'user', content: renderPrompt(t, question) });
  const parts: readonly ContextPart[] = typeof after === 'string' ? [{ from: 'model', text: after }] : after;
  if ((t.chatMode ?? 'continue') === 'continue') {
    const text = parts.map((p) => p.text).join('');
    if (text) msgs.push({ role: 'assistant', content: text });
    return msgs;
  }
  for (const p of parts) {
    const role = p.from === 'model' ? 'assistant' : 'user';
    const last = msgs[msgs.length - 1];
    if (last.role === role) last.content += p.text;
    else msgs.push({ role, content: p.text });
  }
  // Spliced text starts and ends with blank lines meant for one running text; as a message they are noise.
  for (const m of msgs) if (m.role === 'user') m.content = m.content.trim();
  return msgs;
}

/** The documents as the model sees them, spliced after `queryEnd`. */
export function formatDocs(t: Template, docs: RetrievedDoc[]): string {
  let body = docs.map((d, i) => formatDoc(t, d, i)).join('');
  if (t.trimDocs) body = pyStrip(body);
  if (!docs.length) body = t.noDocs;
  return t.docsBegin + body + t.docsEnd;
}

function formatDoc(t: Template, d: RetrievedDoc, i: number): string {
  const splice = t.docSplice ?? 'template';
  if (d.raw !== undefined && splice === 'r1-searcher') return `(${i + 1})${dropLeadingNumber(d.raw)}\n`;
  if (d.raw !== undefined && splice === 'search-r1') {
    const [title, ...rest] = d.raw.split('\n');
    return `Doc ${i + 1}(Title: ${title}) ${rest.join('\n')}\n`;
  }
  return t.docFormat
    .replaceAll('{rank}', String(d.rank ?? i + 1))
    .replaceAll('{title}', d.title)
    .replaceAll('{text}', d.text)
    .replaceAll('{id}', d.id)
    .replaceAll('{path}', d.path ?? '');
}

/** The text after the last `begin`, up to `end` where present (it is absent when it was the stop string). */
function lastTagged(out: string, begin: string, end: string): string | undefined {
  const at = out.lastIndexOf(begin);
  if (at < 0) return undefined;
  const text = out.slice(at + begin.length);
  const stop = text.indexOf(end);
  return stop >= 0 ? text.slice(0, stop) : text;
}

/** Where this turn's query tag opens (see `Template.queryTag`); -1 without one. */
export function queryTagAt(t: Template, out: string): number {
  return t.queryTag === 'first' ? out.indexOf(t.queryBegin) : out.lastIndexOf(t.queryBegin);
}

/** The query the model wrote in this turn's output (the text after its query tag), uncleaned. */
export function extractQuery(t: Template, out: string): string | undefined {
  const at = queryTagAt(t, out);
  if (at < 0) return undefined;
  const text = out.slice(at + t.queryBegin.length);
  const stop = text.indexOf(t.queryEnd);
  return stop >= 0 ? text.slice(0, stop) : text;
}

/**
 * The query as it goes to the retriever. R1-Searcher's evaluation removes quotes and "...", turns tabs
 * into spaces and searches a whitespace-only query (evaluation/eval_search_loacl.py; see QueryCleaning);
 * Search-R1 strips the tag's content (search_r1/llm_agent/generation.py `postprocess_predictions`).
 */
export function cleanQuery(t: Template, query: string): string {
  switch (t.queryCleaning) {
    case 'r1-searcher': {
      const cleaned = r1SearcherClean(query);
      return cleaned.trim() || cleaned;
    }
    case 'r1-searcher-trim':
      return r1SearcherClean(query).trim();
    case 'trim':
      return pyStrip(query);
    default: {
      const never: never = t.queryCleaning;
      return never;
    }
  }
}

function r1SearcherClean(query: string): string {
  return query.replaceAll('"', '').replaceAll("'", '').replaceAll('\t', ' ').replaceAll('...', '');
}

/** The text of the last `answerBegin … answerEnd`, trimmed. */
export function extractAnswer(t: Template, out: string): string | undefined {
  return lastTagged(out, t.answerBegin, t.answerEnd)?.trim();
}

/** The reasoning part of a turn's output: what comes before its query or answer tag. */
export function reasoningText(t: Template, out: string): string {
  const cut = [queryTagAt(t, out), out.lastIndexOf(t.answerBegin)].filter((i) => i >= 0);
  const text = cut.length ? out.slice(0, Math.min(...cut)) : out;
  return text.replace(/<\/?think>/g, '').trim();
}
