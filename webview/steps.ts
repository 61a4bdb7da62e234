/**
 * One step of a trajectory as DOM: reasoning text, a search with its documents, or the answer, with the
 * step's rewards beside it. Used by the single view, the live view and the compare view.
 */
import { button } from './controls';
import { markdown } from './markdown';
import { rewardName } from '../src/core/rewards/names';
import type { RetrievedDoc, SearchStep, Step } from '../src/core/trace';
import { clear, h, type Child } from './dom';
import { fmtMs, fmtNum } from './format';
import { goldDocsIn } from '../src/core/rewards/goldDocs';
import { containsGold, highlight, queryTerms } from './highlight';
import { showControls } from './visible';

export interface StepContext {
  golds: readonly string[];
  /** The dataset's gold (supporting) paragraphs, by id or title, when it names them. */
  goldDocs?: readonly string[];
  /** Called when the user activates a workspace document's link. */
  openDoc?: (doc: RetrievedDoc) => void;
  /** Documents to mark as differing (compare view), by `docKey`. */
  differingDocs?: ReadonlySet<string>;
  /** Mark the query as differing from the other side (compare view). */
  queryDiffers?: boolean;
  /** Mark the answer as differing from the other side (compare view). */
  answerDiffers?: boolean;
  /** Diagnosis labels pointing at this step. */
  labels?: readonly { label: string; explanation: string }[];
  /** Set where a search step can be forked (the single-trajectory view): "Fork from here" calls it with the step's index. */
  onFork?: (index: number) => void;
}

export const docKey = (d: RetrievedDoc): string => (d.title ? d.title.trim().toLowerCase() : d.id);

/** Characters of a document shown before it is expanded (three clamped lines need far fewer). */
const PREVIEW_CHARS = 2000;

const KIND_LABEL: Record<Step['kind'], string> = { reason: 'Reasoning', search: 'Search', answer: 'Answer' };

/** Text with query terms and gold answers wrapped in <mark> elements, all as text nodes. */
export function markedText(text: string, terms: readonly string[], golds: readonly string[]): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const seg of highlight(text, terms, golds)) {
    frag.appendChild(seg.mark ? h('mark', { class: seg.mark === 'gold' ? 'gold' : 'term' }, seg.text) : document.createTextNode(showControls(seg.text)));
  }
  return frag;
}

/** `neutral`: counts such as searches or repeatedDocs, where more is not better, get no good/bad colour. */
export function rewardChips(rewards: Record<string, number | undefined> | undefined, neutral = false): HTMLElement | null {
  const entries = Object.entries(rewards ?? {}).filter((e): e is [string, number] => typeof e[1] === 'number');
  if (entries.length === 0) return null;
  return h(
    'div',
    { class: 'rewards', attrs: { 'aria-label': 'step rewards' } },
    ...entries.map(([k, v]) => {
      // The readable name on the chip; the recorded key and the definition on hover.
      const { label, definition } = rewardName(k);
      const title = `${label} (${k}) = ${v}${definition ? `\n${definition}` : ''}`;
      return h('span', { class: `reward ${neutral ? 'zero' : v > 0 ? 'pos' : v < 0 ? 'neg' : 'zero'}`, attrs: { title, 'data-reward': k } }, `${label} ${fmtNum(v)}`);
    }),
  );
}

function docView(doc: RetrievedDoc, terms: readonly string[], ctx: StepContext, scored: boolean): HTMLElement {
  const hasGold = containsGold(`${doc.title}\n${doc.text}`, ctx.golds);
  const isGoldDoc = goldDocsIn(doc, ctx.goldDocs ?? []).length > 0;
  const differs = ctx.differingDocs?.has(docKey(doc)) ?? false;
  const where = doc.path ? `${doc.path}${doc.startLine !== undefined ? `:${doc.startLine}${doc.endLine !== undefined && doc.endLine !== doc.startLine ? `–${doc.endLine}` : ''}` : ''}` : null;
  const title: Child = doc.path && ctx.openDoc
    ? // A plain anchor: hundreds of documents, each a cheap native element.
      h('a', { class: 'doc-title doc-link', attrs: { href: '#', title: `Open ${where}` }, on: { click: (e) => { e.preventDefault(); ctx.openDoc?.(doc); } } }, markedText(doc.title || doc.path, terms, ctx.golds))
    : h('span', { class: 'doc-title' }, markedText(doc.title || '(untitled)', terms, ctx.golds));
  // A long document shows its head until expanded: laying out megabytes of clamped text is what freezes a panel.
  const long = doc.text.length > PREVIEW_CHARS;
  const body = h('div', { class: 'doc-text' }, markedText(long ? doc.text.slice(0, PREVIEW_CHARS) : doc.text, terms, ctx.golds));
  let whole = !long;
  const toggle = h('button', { class: 'doc-toggle', attrs: { type: 'button', 'aria-expanded': 'false', title: 'Show the whole document' } }, 'more');
  toggle.addEventListener('click', () => {
    const open = item.classList.toggle('expanded');
    if (open && !whole) {
      whole = true;
      clear(body);
      body.appendChild(markedText(doc.text, terms, ctx.golds));
    }
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'less' : 'more';
  });
  const item = h(
    'li',
    { class: `doc${hasGold ? ' has-gold' : ''}${isGoldDoc ? ' gold-doc' : ''}${differs ? ' differs' : ''}`, dataset: { rank: String(doc.rank), key: docKey(doc) } },
    h(
      'div',
      { class: 'doc-head' },
      h('span', { class: 'doc-rank', attrs: { title: 'rank' } }, `#${doc.rank}`),
      // Imported rollouts often carry no scores (all 0): show none rather than a row of zeros.
      scored ? h('span', { class: 'doc-score', attrs: { title: 'retrieval score' } }, fmtNum(doc.score)) : null,
      title,
      where ? h('span', { class: 'doc-where' }, where) : null,
      hasGold ? h('span', { class: 'flag gold-flag', attrs: { title: 'This document contains a gold answer' } }, 'gold') : null,
      isGoldDoc ? h('span', { class: 'flag gold-doc-flag', attrs: { title: "One of the dataset's gold (supporting) paragraphs" } }, 'gold paragraph') : null,
      differs ? h('span', { class: 'flag diff-flag', attrs: { title: 'Not retrieved on the other side' } }, 'only here') : null,
      doc.truncated ? truncatedFlag(doc.truncated.originalChars, doc.text.length, 'document', 'hopscope.limits.maxDocChars') : null,
      doc.text.length > 320 ? toggle : null,
    ),
    body,
  );
  return item;
}

/** The visible mark of a text cut to a content cap: how long it was and where the cap is set. */
function truncatedFlag(originalChars: number, keptChars: number, what: string, setting: string): HTMLElement {
  const title = `This ${what} was cut to its first ${keptChars.toLocaleString('en-US')} of ${originalChars.toLocaleString('en-US')} characters (${setting})`;
  return h('span', { class: 'flag truncated-flag', attrs: { title, 'aria-label': title } }, `truncated (${originalChars.toLocaleString('en-US')} chars)`);
}

function forkButton(index: number, onFork: (index: number) => void): HTMLElement {
  const label = `Fork from step ${index + 1} with another query`;
  return button('secondary', { class: 'fork-button', attrs: { title: label, 'aria-label': label, 'data-fork-step': index }, on: { click: () => onFork(index) } }, 'Fork from here');
}

function searchBody(step: SearchStep, index: number, ctx: StepContext): Child[] {
  const terms = queryTerms(step.query);
  const scored = step.docs.some((d) => d.score !== 0);
  const goldHits = step.docs.filter((d) => containsGold(`${d.title}\n${d.text}`, ctx.golds)).length;
  const goldDocHits = ctx.goldDocs?.length ? step.docs.filter((d) => goldDocsIn(d, ctx.goldDocs ?? []).length > 0).length : undefined;
  return [
    h(
      'div',
      { class: `query${ctx.queryDiffers ? ' differs' : ''}` },
      h('span', { class: 'query-label' }, 'query'),
      h('code', { class: 'query-text' }, step.query),
      ctx.queryDiffers ? h('span', { class: 'flag diff-flag' }, 'differs') : null,
      ctx.onFork ? forkButton(index, ctx.onFork) : null,
    ),
    h(
      'div',
      { class: 'docs-summary' },
      `${step.docs.length} document${step.docs.length === 1 ? '' : 's'}`,
      step.ms !== undefined ? ` · ${fmtMs(step.ms)}` : '',
      ctx.golds.length ? ` · ${goldHits ? `${goldHits} with the gold answer` : 'no gold answer retrieved'}` : '',
      goldDocHits !== undefined ? ` · ${goldDocHits ? `${goldDocHits} gold paragraph${goldDocHits === 1 ? '' : 's'}` : 'no gold paragraph'}` : '',
      // Imported rollouts often carry no retrieval scores: say so once rather than leave the reader guessing.
      !scored && step.docs.length
        ? h('span', { class: 'doc-score not-recorded', attrs: { title: 'The retriever (or the imported rollout) recorded no scores for these documents' } }, ' · score not recorded')
        : null,
    ),
    h('ol', { class: 'docs' }, ...step.docs.map((d) => docView(d, terms, ctx, scored))),
  ];
}

export function stepView(step: Step, index: number, ctx: StepContext): HTMLElement {
  let body: Child[];
  switch (step.kind) {
    case 'reason':
      body = [markdown(step.text, 'reason-text')];
      break;
    case 'search':
      body = searchBody(step, index, ctx);
      break;
    case 'answer':
      body = [
        h(
          'div',
          { class: `answer-text${ctx.answerDiffers ? ' differs' : ''}` },
          markedText(step.text, [], ctx.golds),
          ctx.answerDiffers ? h('span', { class: 'flag diff-flag' }, 'differs') : null,
        ),
      ];
      break;
    default: {
      const never: never = step;
      throw new Error(`unknown step ${String(never)}`);
    }
  }
  const meta = [step.ms !== undefined && step.kind !== 'search' ? fmtMs(step.ms) : null, step.tokens !== undefined ? `${step.tokens} tok` : null].filter(Boolean).join(' · ');
  return h(
    'li',
    { class: `step step-${step.kind}${step.error ? ' has-error' : ''}`, attrs: { tabindex: 0, id: `step-${index}`, 'aria-label': `Step ${index + 1}: ${KIND_LABEL[step.kind]}` }, dataset: { step: String(index) } },
    h(
      'div',
      { class: 'step-head' },
      h('span', { class: 'step-index' }, String(index + 1)),
      h('span', { class: 'step-kind' }, KIND_LABEL[step.kind]),
      meta ? h('span', { class: 'step-meta' }, meta) : null,
      step.truncated ? truncatedFlag(step.truncated.originalChars, step.kind === 'search' ? 0 : step.text.length, 'model turn', 'hopscope.limits.maxTurnChars') : null,
      rewardChips(step.rewards),
    ),
    ...(ctx.labels ?? []).map((l) => h('div', { class: 'label-note' }, h('span', { class: 'label-name' }, l.label), ' ', l.explanation)),
    step.error ? h('div', { class: 'step-error' }, step.error) : null,
    ...body,
  );
}
