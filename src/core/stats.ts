/** Summary statistics for tables of per-item scores. */

export interface MeanCi {
  n: number;
  mean: number;
  /** Half-width of the 95 % confidence interval of the mean (normal approximation, sample SD); 0 for n < 2. */
  ci95: number;
}

/** z for a two-sided 95 % interval under the normal approximation. */
const Z95 = 1.96;

/**
 * A running mean and 95 % confidence half-width, one value at a time (Welford's update: stable over many
 * values of similar size), so a run summary never holds a file's scores. Non-finite and missing values are
 * not counted.
 */
export class RunningMean {
  n = 0;
  private sum = 0;
  private avg = 0;
  private m2 = 0;
  add(v: number | undefined): void {
    if (v === undefined || !Number.isFinite(v)) return;
    this.sum += v;
    this.n++;
    const d = v - this.avg;
    this.avg += d / this.n;
    this.m2 += d * (v - this.avg);
  }
  /** The mean; undefined without any value. */
  get value(): number | undefined {
    return this.n ? this.sum / this.n : undefined;
  }
  /** Z95 × s / √n with the sample (n − 1) standard deviation; undefined below two values (no spread to estimate). */
  get ci95(): number | undefined {
    return this.n >= 2 ? (Z95 * Math.sqrt(this.m2 / (this.n - 1))) / Math.sqrt(this.n) : undefined;
  }
}

/** Mean and 95 % confidence half-width: 1.96 · s / √n with the n − 1 sample standard deviation. */
export function meanCi95(values: readonly number[]): MeanCi {
  const m = new RunningMean();
  for (const v of values) m.add(v);
  return { n: m.n, mean: m.value ?? NaN, ci95: m.ci95 ?? 0 };
}
