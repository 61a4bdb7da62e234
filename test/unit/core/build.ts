/** Small hand-made trajectories for reward and diagnosis tests. */
import { TRACE_SCHEMA, type RetrievedDoc, type Step, type Trajectory } from '../../../src/core/trace';

export function doc(rank: number, title: string, text: string): RetrievedDoc {
  return { id: `${title}#${rank}`, rank, score: 10 - rank, title, text };
}

export function trajectory(fields: Partial<Trajectory> & { steps: Step[] }): Trajectory {
  return {
    schema: TRACE_SCHEMA,
    id: 't1',
    runId: 'r1',
    createdAt: '2026-11-25T00:00:00Z',
    question: 'Q?',
    policy: { endpoint: '', model: 'm', template: 'r1-searcher', params: {} },
    retriever: { kind: 'test', topK: 5 },
    answer: null,
    stopReason: 'finished',
    outcome: {},
    rewards: {},
    labels: [],
    usage: {},
    timing: {},
    raw: '',
    ...fields,
  };
}

export const search = (query: string, docs: RetrievedDoc[]): Step => ({ kind: 'search', query, docs, rewards: {} });
export const reason = (text: string): Step => ({ kind: 'reason', text, rewards: {} });
export const answer = (text: string): Step => ({ kind: 'answer', text, rewards: {} });
