/** Shared pieces of the core unit tests: a tiny in-memory retriever and a scripted policy set. */
import type { Logger, Retriever, SearchOptions } from '../../../src/core/ports';
import { TRACE_SCHEMA, type RetrievedDoc, type Trajectory } from '../../../src/core/trace';
import { startScriptedServer, type ScriptedServer, type ScriptedServerOptions, type ScriptPolicy } from '../../fixtures/scriptedServer';

export interface FakeDoc {
  title: string;
  text: string;
}

/** Ranks documents by how many query words they contain; records every query it gets. */
export class FakeRetriever implements Retriever {
  readonly info = { kind: 'fake', index: 'fake-index' };
  readonly queries: string[] = [];
  failOnCall?: number;

  constructor(private readonly docs: FakeDoc[]) {}

  async search(query: string, options: SearchOptions): Promise<RetrievedDoc[]> {
    this.queries.push(query);
    if (this.failOnCall !== undefined && this.queries.length === this.failOnCall) throw new Error('index file vanished');
    const words = query.toLowerCase().split(/\s+/).filter(Boolean);
    return this.docs
      .map((d, i) => ({ d, i, score: words.filter((w) => `${d.title} ${d.text}`.toLowerCase().includes(w)).length }))
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score || a.i - b.i)
      .slice(0, options.topK)
      .map((x, r) => ({ id: `doc${x.i}`, rank: r + 1, score: x.score, title: x.d.title, text: x.d.text }));
  }
}

export const FILM_DOCS: FakeDoc[] = [
  { title: 'Indradhanura Chhai', text: 'Indradhanura Chhai is a 1993 Oriya film directed by Susant Misra.' },
  { title: 'Susant Misra', text: 'Susant Misra is an Indian film director born in Odisha.' },
  { title: 'Rainbow', text: 'A rainbow is an optical phenomenon.' },
];

/** The question FILM_POLICY answers, a question it searches badly for, and the gold answer. */
export const FILM_QUESTION = 'Who directed Indradhanura Chhai?';
export const FILM_BAD_QUESTION = 'Which studio made Indradhanura Chhai?';
export const FILM_GOLD = ['Susant Misra'];

/**
 * A model that searches badly and guesses, unless the gold paragraph is in its context: the policy matching the
 * paragraph's text (longer, so it wins) answers from it.
 */
export const FILM_FORK_POLICIES: ScriptPolicy[] = [
  { match: FILM_BAD_QUESTION, queries: ['rainbow phenomenon'], answer: 'Rainbow Films', think: 'I will look it up.' },
  { match: 'is a 1993 Oriya film directed by Susant Misra', queries: [], answer: 'Susant Misra', think: 'The document names the director.' },
];

export const FILM_POLICY: ScriptPolicy = {
  match: 'Who directed Indradhanura Chhai',
  queries: ['Indradhanura Chhai director', '"Susant Misra"\tbirthplace...'],
  answer: 'Susant Misra',
  think: 'I need to find the director, step {turn}.',
};

/** A small valid trajectory with newlines inside its texts. */
export function minimalTrajectory(i: number, extra: Partial<Trajectory> = {}): Trajectory {
  return {
    schema: TRACE_SCHEMA,
    id: `t${i}`,
    runId: 'run',
    createdAt: '2026-11-25T10:00:00Z',
    question: `question ${i}`,
    gold: ['a'],
    policy: { endpoint: 'http://127.0.0.1:8000/v1', model: 'm', template: 'r1-searcher', params: {} },
    retriever: { kind: 'fake', topK: 5 },
    steps: [
      { kind: 'reason', text: 'think\nmore', rewards: {} },
      { kind: 'search', query: 'q', docs: [{ id: 'd', rank: 1, score: 1.5, title: 'T', text: 'line1\nline2' }], rewards: {} },
      { kind: 'answer', text: 'a', rewards: {} },
    ],
    answer: 'a',
    stopReason: 'finished',
    outcome: { em: 1, f1: 1, coverEm: 1 },
    rewards: {},
    labels: [],
    usage: {},
    timing: {},
    raw: 'raw\ntext',
    ...extra,
  };
}

/** Runs `fn` against a scripted server answering FILM_POLICY (plus `opts`), and closes the server afterwards. */
export async function withFilmServer<T>(opts: Partial<ScriptedServerOptions>, fn: (baseUrl: string, s: ScriptedServer) => Promise<T>): Promise<T> {
  const s = await startScriptedServer({ policies: [FILM_POLICY], ...opts });
  try {
    return await fn(s.baseUrl, s);
  } finally {
    await s.close();
  }
}

/** A logger that keeps every line, for tests that check what a user is told. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
}
