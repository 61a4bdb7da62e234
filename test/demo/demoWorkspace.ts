/**
 * The demo's workspace, laid out so that what Hopscope indexes is documents only: the Wikipedia articles go in
 * the workspace, the R1-Searcher rollouts (which carry each question's gold answer) stay outside it, and the
 * workspace's own notes (README, QUESTIONS) are excluded from the index. Otherwise a search for a rollout's
 * question "finds" its gold answer in the rollout record itself (issue 14, item 1).
 * Used by test/demo/demo.sh (`node --import tsx test/demo/demoWorkspace.ts <demoDir>`) and by its unit test.
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface DemoLayout {
  /** The folder code-server opens. */
  workspace: string;
  /** The rollout files, outside the workspace, to import as traces. */
  rollouts: string[];
  /** The workspace settings written to .vscode/settings.json. */
  settings: Record<string, unknown>;
}

/** Notes for the reader and the editor settings: not documents to search. */
export const NOT_INDEXED = ['README.md', 'QUESTIONS.md', '.vscode/'];

export function buildDemoWorkspace(repoRoot: string, demoDir: string): DemoLayout {
  const fixture = join(repoRoot, 'test', 'fixtures', 'sample-workspace');
  const workspace = join(demoDir, 'sample-workspace');
  const rolloutDir = join(demoDir, 'rollouts');
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  mkdirSync(rolloutDir, { recursive: true });
  cpSync(join(fixture, 'docs'), join(workspace, 'docs'), { recursive: true });
  const rollouts = readdirSync(join(fixture, 'rollouts')).filter((f) => f.endsWith('.jsonl')).sort().map((f) => {
    cpSync(join(fixture, 'rollouts', f), join(rolloutDir, f));
    return join(rolloutDir, f);
  });
  const questions = readFileSync(join(repoRoot, 'test', 'demo', 'questions.jsonl'), 'utf8').split('\n').filter(Boolean)
    .map((l) => JSON.parse(l) as { question: string; golden_answers: string[] });
  writeFileSync(join(workspace, 'README.md'), readme());
  writeFileSync(join(workspace, 'QUESTIONS.md'), questionsPage(questions));
  const settings = { 'hopscope.index.exclude': NOT_INDEXED, 'git.openRepositoryInParentFolders': 'never' };
  writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
  return { workspace, rollouts, settings };
}

function readme(): string {
  return `# Hopscope demo workspace

## Works without a model server
- **Traces** (Hopscope view in the activity bar): real R1-Searcher rollouts, imported from outside this folder.
  Click a trajectory to read its steps, searches, retrieved documents, rewards and diagnosis.
- **Trajectories table**, **run summary**, **compare**, **filters**: all read the saved traces.
- **Index**: \`docs/\` (31 Wikipedia articles) is indexed for search; this README and QUESTIONS.md are not.

## Needs a model server
- **Ask Question…**, the **Ask Hopscope** CodeLens on the questions in QUESTIONS.md, and **fork from a step** call an
  OpenAI-compatible server (vLLM, SGLang). Restart the demo with
  \`HOPSCOPE_ENDPOINT=http://<host>:8000/v1 npm run demo\`, or set \`hopscope.endpoint.baseUrl\`.
  Without one, they say so and save nothing.
`;
}

function questionsPage(questions: { question: string; golden_answers: string[] }[]): string {
  const lines = questions.map((q) => `${q.question}\n\n(gold answer: ${q.golden_answers.join(' / ')})\n`);
  return `# Sample questions\n\nWith a model server connected, click **Ask Hopscope** above a question to answer it from \`docs/\`.\n\n${lines.join('\n')}`;
}

// CLI: prints the rollout files, one per line, for demo.sh to import.
if (process.argv[1] && resolve(process.argv[1]) === resolve(__filename)) {
  const layout = buildDemoWorkspace(resolve(__dirname, '..', '..'), resolve(process.argv[2] ?? 'test-output/demo'));
  process.stdout.write(layout.rollouts.join('\n') + '\n');
}
