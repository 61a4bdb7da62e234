/**
 * Recognising a run folder: verl writes one `{step}.jsonl` per training step into
 * `trainer.rollout_data_dir` (validation dumps look the same); other trainers' dumps and Hopscope trace
 * files with a step field are any other `.jsonl` files, their step read from each line.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileError, InputError } from '../errors';

export interface StepFile {
  path: string;
  /** The step the name says (`12.jsonl`, `step_12.jsonl`, `global_step_12.jsonl`); undefined for other names. */
  step: number | undefined;
  size: number;
  mtimeMs: number;
}

const STEP_NAME = /^(?:(?:global_)?step[_-]?)?(\d+)\.jsonl$/;

export function stepOfName(name: string): number | undefined {
  const m = STEP_NAME.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The run's files, step files in step order first; fails with a hint when the folder holds none. */
export async function listRunFiles(dir: string): Promise<StepFile[]> {
  let names: string[];
  try {
    const s = await stat(dir);
    if (!s.isDirectory()) throw new InputError('a run is a folder of step files ({step}.jsonl), not a file', dir);
    names = await readdir(dir);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw fileError(e, dir, 'read');
  }
  const jsonl = names.filter((n) => n.endsWith('.jsonl'));
  const stepNamed = jsonl.filter((n) => stepOfName(n) !== undefined);
  // A verl folder is all step files; a folder that has some keeps to them (other .jsonl files there are not rollouts).
  const picked = stepNamed.length ? stepNamed : jsonl;
  if (!picked.length) {
    throw new InputError('no step files here', dir, undefined, "point at verl's trainer.rollout_data_dir: one {step}.jsonl per training step");
  }
  const files = await Promise.all(
    picked.map(async (name): Promise<StepFile | undefined> => {
      const path = join(dir, name);
      try {
        const s = await stat(path);
        return s.isFile() ? { path, step: stepOfName(name), size: s.size, mtimeMs: s.mtimeMs } : undefined;
      } catch {
        return undefined; // removed between readdir and stat: not part of the run any more
      }
    }),
  );
  return files
    .filter((f): f is StepFile => f !== undefined)
    .sort((a, b) => (a.step ?? Infinity) - (b.step ?? Infinity) || a.path.localeCompare(b.path));
}
