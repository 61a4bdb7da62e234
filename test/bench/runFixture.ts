/**
 * A generated verl training run for the runs benchmark: `{step}.jsonl` files in verl's
 * `trainer.rollout_data_dir` layout (verl/trainer/ppo/ray_trainer.py `_dump_generations`: one JSON object
 * per line with `input`, `output`, `gts`, `score`, `step` and the reward function's extra fields),
 * built from the real R1-Searcher rollouts in test/fixtures/importers/r1searcher/full. Each step takes the
 * next batch of prompts in a fixed shuffled order (an epoch-wise dataloader, so prompts recur across steps)
 * and samples its rollouts among the real rollouts of that question; the trainer's score is the F1 of the
 * rollout's answer against the gold answer, as R1-Searcher's outcome reward scores it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { r1SearcherScores } from '../../src/core/metrics';
import { rng } from '../support/random';

const FULL = join(__dirname, '../fixtures/importers/r1searcher/full');

interface Source {
  question: string;
  gold: string;
  output: string;
  answer: string;
}

export interface RunShape {
  steps: number;
  prompts: number;
  rollouts: number;
  seed?: number;
  /**
   * Every rollout's retrieved documents made its own (a mark after each document's rank): the bench's
   * rollouts otherwise repeat the ~1,400 real ones, so from the second epoch on an ingest meets only
   * documents it has analysed before, which a real run, with new samples at every step, does not.
   */
  distinct?: boolean;
}

function loadSources(): Map<string, Source[]> {
  const byQuestion = new Map<string, Source[]>();
  for (const f of readdirSync(FULL).sort()) {
    const text = gunzipSync(readFileSync(join(FULL, f))).toString('utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const o = JSON.parse(line) as Record<string, unknown>;
      const s: Source = {
        question: String(o.question),
        gold: String(o.answer),
        output: String(o.gen_text_store),
        answer: String(o.pred_ans ?? '').trim(),
      };
      const list = byQuestion.get(s.question) ?? [];
      list.push(s);
      byQuestion.set(s.question, list);
    }
  }
  return byQuestion;
}

export function promptOf(question: string): string {
  return (
    '<|im_start|>system\nYou are a helpful assistant. Answer the question by searching with <|begin_of_query|> … <|end_of_query|>.<|im_end|>\n' +
    `<|im_start|>user\nQuestion: ${question}<|im_end|>\n<|im_start|>assistant\n`
  );
}

/** One step file's text. */
export function stepLines(step: number, shape: RunShape, sources: Map<string, Source[]>, order: string[], random: () => number): string {
  const out: string[] = [];
  for (let p = 0; p < shape.prompts; p++) {
    const question = order[((step - 1) * shape.prompts + p) % order.length]!;
    const pool = sources.get(question)!;
    for (let r = 0; r < shape.rollouts; r++) {
      const s = pool[Math.floor(random() * pool.length)]!;
      const { f1, em } = s.answer ? r1SearcherScores(s.answer, [s.gold]) : { f1: 0, em: 0 };
      const output = shape.distinct ? s.output.replace(/\n\((\d+)\)/g, (_m, n: string) => `\n(${n})s${step}p${p}r${r} `) : s.output;
      out.push(JSON.stringify({ input: promptOf(question), output, gts: s.gold, score: f1, step, acc: em, f1 }));
    }
  }
  return out.join('\n') + '\n';
}

export interface GeneratedRun {
  dir: string;
  bytes: number;
  rollouts: number;
  /** Writes one more step file (the trainer's next step); returns its path. */
  addStep(step: number): Promise<string>;
}

export async function generateRun(dir: string, shape: RunShape): Promise<GeneratedRun> {
  await mkdir(dir, { recursive: true });
  const sources = loadSources();
  const random = rng(shape.seed ?? 13);
  const order = [...sources.keys()];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let bytes = 0;
  const addStep = async (step: number): Promise<string> => {
    const text = stepLines(step, shape, sources, order, random);
    const file = join(dir, `${step}.jsonl`);
    await writeFile(file, text);
    bytes += Buffer.byteLength(text);
    return file;
  };
  for (let s = 1; s <= shape.steps; s++) await addStep(s);
  return { dir, get bytes() { return bytes; }, rollouts: shape.steps * shape.prompts * shape.rollouts, addStep };
}
