/** Summary statistics for tables of per-item scores. */

export interface MeanCi {
  n: number;
  mean: number;
  /** Half-width of the 95 % confidence interval of the mean (normal approximation, sample SD); 0 for n < 2. */
  ci95: number;
}

/** Mean and 95 % confidence half-width: 1.96 · s / √n with the n − 1 sample standard deviation. */
export function meanCi95(values: readonly number[]): MeanCi {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, ci95: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, ci95: 0 };
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1);
  return { n, mean, ci95: (1.96 * Math.sqrt(variance)) / Math.sqrt(n) };
}
