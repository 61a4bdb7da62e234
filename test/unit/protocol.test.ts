import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isTrajectory, jsonForHtml, parseHostMessage, parseTableHostMessage, parseTableWebviewMessage, parseWebviewMessage, trajectoryDefect, type TableRow } from '../../src/protocol';
import { makeTrajectory } from '../webview/sample';

test('webview messages are accepted only in their exact shapes', () => {
  assert.deepEqual(parseWebviewMessage({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(parseWebviewMessage({ type: 'openDoc', path: 'docs/a.md', startLine: 3, endLine: 9, extra: 'dropped' }), { type: 'openDoc', path: 'docs/a.md', startLine: 3, endLine: 9 });
  assert.equal(parseWebviewMessage({ type: 'openDoc', path: '' }), undefined);
  assert.equal(parseWebviewMessage({ type: 'openDoc', path: 'a', startLine: -1 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'openRef', ref: { file: 5, id: 'x' } }), undefined);
  assert.equal(parseWebviewMessage({ type: 'runShell', cmd: 'rm' }), undefined);
  assert.deepEqual(parseWebviewMessage({ type: 'fork', trajectoryId: 't1', step: 3, query: 'injected' }), { type: 'fork', trajectoryId: 't1', step: 3 });
  assert.equal(parseWebviewMessage({ type: 'fork', trajectoryId: 't1', step: -1 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'fork', trajectoryId: 't1', step: 1.5 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'fork', trajectoryId: '', step: 1 }), undefined);
  assert.equal(parseWebviewMessage({ type: 'fork', step: 1 }), undefined);
  assert.equal(parseWebviewMessage('ready'), undefined);
  assert.equal(parseWebviewMessage(null), undefined);
});

test('host messages carrying a malformed trajectory or event are refused', () => {
  const t = makeTrajectory();
  assert.ok(parseHostMessage({ type: 'show', state: { view: 'trajectory', trajectory: t } }));
  assert.equal(parseHostMessage({ type: 'show', state: { view: 'trajectory', trajectory: { ...t, steps: [{ kind: 'search', query: 1, docs: [] }] } } }), undefined);
  assert.equal(parseHostMessage({ type: 'show', state: { view: 'trajectory', trajectory: { ...t, stopReason: 'exploded' } } }), undefined);
  assert.equal(parseHostMessage({ type: 'show', state: { view: 'nope' } }), undefined);
  assert.ok(parseHostMessage({ type: 'loopEvent', event: { type: 'token', stepIndex: 0, text: 'a' } }));
  assert.equal(parseHostMessage({ type: 'loopEvent', event: { type: 'token', stepIndex: 0.5, text: 'a' } }), undefined);
  assert.equal(parseHostMessage({ type: 'notice', level: 'warn', message: 'x' }), undefined);
});

test('an imported trajectory without optional fields is still a trajectory', () => {
  const t: Record<string, unknown> = { ...makeTrajectory() };
  delete t.gold;
  delete t.runId;
  assert.equal(isTrajectory(t), true);
  assert.equal(isTrajectory({ ...t, answer: undefined }), false);
});

test('JSON for HTML has no <, > or & and parses back to the same value', () => {
  const v = { s: '</script><!-- & \u2028 -->' };
  const out = jsonForHtml(v);
  assert.doesNotMatch(out, /[<>&\u2028]/);
  assert.deepEqual(JSON.parse(out), v);
});

test('trajectoryDefect names what keeps a trajectory from the viewer', () => {
  const good = JSON.parse(JSON.stringify(makeTrajectory())) as Record<string, unknown>;
  assert.equal(trajectoryDefect(good), undefined);
  assert.equal(trajectoryDefect([]), 'it is not a JSON object');
  const noDocs = { ...good, steps: [{ kind: 'search', query: 'q', rewards: {} }] };
  assert.equal(trajectoryDefect(noDocs), 'step 0 (search) has no "docs" list (/steps/0)');
  assert.match(trajectoryDefect({ ...good, stopReason: 'boom' })!, /^\/stopReason: must be one of "finished"/);
  assert.equal(isTrajectory(noDocs), false);
});

test('the trajectories table refuses rows and messages that are not in their exact shapes', () => {
  const row: TableRow = { key: '/t/a.jsonl#q1', path: '/t/a.jsonl', file: 'a.jsonl', line: 1, verdict: 'wrong', verdictWhy: 'EM 0', question: 'Who?', f1: 0.5, searches: 2, stopReason: 'finished', labels: ['ignored_gold'] };
  assert.deepEqual(parseTableHostMessage({ type: 'rows', rows: [row] }), { type: 'rows', rows: [row] });
  assert.equal(parseTableHostMessage({ type: 'rows', rows: [{ ...row, verdict: 'maybe' }] }), undefined);
  assert.equal(parseTableHostMessage({ type: 'rows', rows: [{ ...row, stopReason: 'exploded' }] }), undefined);
  assert.equal(parseTableHostMessage({ type: 'rows', rows: [{ ...row, labels: [3] }] }), undefined);
  assert.equal(parseTableHostMessage({ type: 'rows', rows: [{ ...row, f1: 'high' }] }), undefined);
  assert.deepEqual(parseTableHostMessage({ type: 'deepMatches', seq: 2, text: 'x', keys: ['k'], extra: 1 }), { type: 'deepMatches', seq: 2, text: 'x', keys: ['k'] });
  assert.equal(parseTableHostMessage({ type: 'deepMatches', seq: 2, text: 'x', keys: [1] }), undefined);
  assert.equal(parseTableHostMessage({ type: 'html', html: '<b>' }), undefined);
  assert.deepEqual(parseTableWebviewMessage({ type: 'open', key: 'k', more: 1 }), { type: 'open', key: 'k' });
  assert.equal(parseTableWebviewMessage({ type: 'open', key: '' }), undefined);
  assert.equal(parseTableWebviewMessage({ type: 'deepSearch', seq: 1.5, text: 'x' }), undefined);
  // A window of a store-held table: known columns and directions only, a bounded window, short filter texts.
  const query = { type: 'query', seq: 3, start: 100, count: 300, filters: { f1: '>0.5', question: 'dam' }, sort: { id: 'f1', dir: 'desc' }, deep: '' };
  assert.deepEqual(parseTableWebviewMessage({ ...query, extra: 1 }), query);
  assert.equal(parseTableWebviewMessage({ ...query, filters: { 'f1; DROP TABLE trajectories': 'x' } }), undefined);
  assert.equal(parseTableWebviewMessage({ ...query, sort: { id: 'f1', dir: 'sideways' } }), undefined);
  assert.equal(parseTableWebviewMessage({ ...query, count: 1_000_000 }), undefined, 'never the whole file in one window');
  assert.equal(parseTableWebviewMessage({ ...query, filters: { f1: 'x'.repeat(201) } }), undefined);
  assert.deepEqual(parseTableHostMessage({ type: 'window', seq: 3, total: 9, all: 10, start: 0, rows: [row] }), { type: 'window', seq: 3, total: 9, all: 10, start: 0, rows: [row] });
  assert.equal(parseTableHostMessage({ type: 'window', seq: 3, total: -1, all: 10, start: 0, rows: [row] }), undefined);
  assert.deepEqual(parseTableHostMessage({ type: 'changed', more: 1 }), { type: 'changed' });
});
