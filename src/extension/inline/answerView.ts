/**
 * The Markdown of an inline answer, as it streams and once it is done: question, answer, the searches
 * it made, its sources as links (hover: the passage) and the actions. Model and document text is
 * escaped so it always renders as text, never as Markdown or links.
 */
import type { Citation } from './citations';
import { COMMANDS } from '../commands';

export type InlineStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface InlineSearch {
  query: string;
  docs: number;
  ms: number;
}

export interface InlineState {
  id: string;
  question: string;
  status: InlineStatus;
  /** What the loop is doing now, e.g. "thinking…", while running. */
  activity: string;
  searches: InlineSearch[];
  /** The tail of the text the model is streaming, while running. */
  live: string;
  answer?: string;
  /** Why there is no answer (stop reason or error), once finished. */
  problem?: string;
  citations: Citation[];
  elapsedMs?: number;
  /** True once the trajectory exists, so "Open trace" has something to open. */
  hasTrace: boolean;
}

/** Builds `command:` links; the host decides which commands are enabled. */
export type CommandLink = (command: string, args: unknown[]) => string;

export const INLINE_COMMANDS = {
  openSource: COMMANDS.inlineOpenSource,
  openTrace: COMMANDS.inlineOpenTrace,
  cancel: COMMANDS.inlineCancel,
  reask: COMMANDS.inlineReask,
  clear: COMMANDS.inlineClear,
} as const;

export const commandLink: CommandLink = (command, args) => `command:${command}?${encodeURIComponent(JSON.stringify(args))}`;

const LIVE_TAIL = 400;
const PASSAGE_HOVER = 600;

export function renderInline(s: InlineState, link: CommandLink = commandLink): string {
  const out: string[] = [];
  out.push(`**Q:** ${escapeMarkdown(s.question)}`);

  switch (s.status) {
    case 'running':
      out.push(`$(loading~spin) ${escapeMarkdown(s.activity)}`);
      if (s.answer) out.push(`**A:** ${escapeMarkdown(s.answer)}`);
      else if (s.live.trim()) out.push(`> ${escapeMarkdown(tail(s.live, LIVE_TAIL))}`);
      break;
    case 'done':
      out.push(`**A:** ${escapeMarkdown(s.answer ?? '')}`);
      break;
    case 'failed':
      out.push(`$(error) **No answer:** ${escapeMarkdown(s.problem ?? 'the run failed')}`);
      break;
    case 'cancelled':
      out.push(`$(circle-slash) Cancelled.${s.answer ? ` Partial answer: ${escapeMarkdown(s.answer)}` : ''}`);
      break;
    default: {
      const never: never = s.status;
      return never;
    }
  }

  if (s.searches.length > 0) {
    const list = s.searches.map((q) => `\`${codeSpan(q.query)}\` → ${q.docs} doc${q.docs === 1 ? '' : 's'}`).join(' · ');
    out.push(`$(search) **Searched ${s.searches.length}×:** ${list}`);
  } else if (s.status !== 'running') {
    out.push('$(search) No searches.');
  }

  if (s.citations.length > 0) {
    const items = s.citations.map((c, i) => {
      const where = c.doc.path ? ` — ${escapeMarkdown(location(c))}` : '';
      const label = `${escapeMarkdown(c.doc.title || c.doc.id)}${where}`;
      return `${i + 1}. [${label}](${link(INLINE_COMMANDS.openSource, [s.id, i])} "${linkTitle(c.doc.text)}")`;
    });
    out.push(`$(references) **Sources** (hover for the passage, click to open):\n\n${items.join('\n')}`);
  }

  const actions: string[] = [];
  if (s.hasTrace) actions.push(`[$(list-tree) Open trace](${link(INLINE_COMMANDS.openTrace, [s.id])})`);
  if (s.status === 'running') actions.push(`[$(debug-stop) Cancel](${link(INLINE_COMMANDS.cancel, [s.id])})`);
  else actions.push(`[$(refresh) Re-ask](${link(INLINE_COMMANDS.reask, [s.id])})`);
  actions.push(`[$(close) Clear](${link(INLINE_COMMANDS.clear, [s.id])})`);
  const timing = s.elapsedMs !== undefined ? ` · ${(s.elapsedMs / 1000).toFixed(1)} s` : '';
  out.push(actions.join(' · ') + timing);

  return out.join('\n\n');
}

export function location(c: Citation): string {
  const { path, startLine, endLine } = c.doc;
  if (!path) return c.doc.id;
  if (startLine === undefined) return path;
  return endLine !== undefined && endLine !== startLine ? `${path}:${startLine}-${endLine}` : `${path}:${startLine}`;
}

/** Backslash-escapes everything Markdown could read as syntax, so text stays text. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$&]/g, '\\$&').replace(/\r?\n/g, ' ');
}

function codeSpan(text: string): string {
  return text.replace(/`/g, "'").replace(/\s+/g, ' ');
}

/** A link title is shown as a plain tooltip; quotes and newlines would end or break it. */
function linkTitle(text: string): string {
  const flat = text.replace(/\s+/g, ' ').replace(/["\\]/g, "'").trim();
  return flat.length > PASSAGE_HOVER ? `${flat.slice(0, PASSAGE_HOVER - 1)}…` : flat;
}

function tail(text: string, n: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > n ? `…${flat.slice(flat.length - n)}` : flat;
}
