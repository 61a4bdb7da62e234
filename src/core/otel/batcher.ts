/**
 * Size-bounded requests: trajectories' spans are gathered until the next trajectory would push the
 * request past the limit. A trajectory stays in one request when it fits in one; a larger one is split
 * between requests (OTLP puts no rule on which request a span of a trace comes in). Sizes are summed
 * per span as encoded, so a request never exceeds the limit unless a single span does.
 */
import type { OtlpSpan } from '../export/otel';

export interface Batch {
  spans: OtlpSpan[];
  /** Trajectories whose last span is in this batch (for progress). */
  trajectories: number;
  /** Sum of the spans' encoded sizes plus the envelope. */
  bytes: number;
}

export class SpanBatcher {
  private current: Batch;

  constructor(
    private readonly maxBytes: number,
    private readonly sizeOf: (span: OtlpSpan) => number,
    /** Bytes of the request around the spans (resource, scope). */
    private readonly envelopeBytes: number,
  ) {
    this.current = this.empty();
  }

  private empty(): Batch {
    return { spans: [], trajectories: 0, bytes: this.envelopeBytes };
  }

  /** Adds one trajectory's spans; returns the batches that are now full, in order. */
  add(spans: readonly OtlpSpan[]): Batch[] {
    const sizes = spans.map((s) => this.sizeOf(s));
    const total = sizes.reduce((a, b) => a + b, 0);
    const full: Batch[] = [];
    if (this.current.spans.length > 0 && this.current.bytes + total > this.maxBytes) {
      full.push(this.current);
      this.current = this.empty();
    }
    spans.forEach((span, i) => {
      if (this.current.spans.length > 0 && this.current.bytes + sizes[i]! > this.maxBytes) {
        full.push(this.current);
        this.current = this.empty();
      }
      this.current.spans.push(span);
      this.current.bytes += sizes[i]!;
    });
    this.current.trajectories++;
    return full;
  }

  /** The last, partly filled batch, if it holds anything. */
  flush(): Batch | undefined {
    const last = this.current;
    this.current = this.empty();
    return last.spans.length > 0 || last.trajectories > 0 ? last : undefined;
  }
}
