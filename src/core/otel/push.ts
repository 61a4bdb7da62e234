/**
 * Sending trajectories to an OpenTelemetry collector (Phoenix, Langfuse, an OTel Collector): spans as
 * otelSpans.ts makes them, in size-bounded OTLP/HTTP requests (protobuf unless told JSON), one request
 * in flight at a time, each retried on 429/5xx. Trajectories stream in, so a file of any size goes out
 * with flat memory. The first request that fails for good stops the push with a CollectorError.
 */
import { otlpRequest, trajectorySpans, type OtelOptions, type OtlpSpan } from '../export/otel';
import type { Trajectory } from '../trace';
import { SpanBatcher, type Batch } from './batcher';
import { redactUrl, type PushConfig } from './config';
import { encodeTraces, partialSuccess } from './protobuf';
import { sendOtlp, type TransportHooks } from './transport';

/** Default request size bound: under the 4 MiB many receivers (gRPC-based ones, proxies) accept. */
export const DEFAULT_MAX_BATCH_BYTES = 4_000_000;

export interface PushProgress {
  trajectories: number;
  spans: number;
  requests: number;
  bytes: number;
  retries: number;
}

export interface PushSummary extends PushProgress {
  /** The endpoint, without credentials. */
  url: string;
  protocol: PushConfig['protocol'];
  /** Spans the collector said it dropped (OTLP partial success). */
  rejectedSpans: number;
  /** The collectors' messages about dropped spans, once each. */
  warnings: string[];
}

export interface PushOptions extends OtelOptions, TransportHooks {
  config: PushConfig;
  maxBatchBytes?: number;
  onProgress?: (p: PushProgress) => void;
}

/**
 * A span's size in a request: its OTLP/JSON length, comma included. That bounds its protobuf size too
 * (every JSON key, quote and brace outweighs the field tag and length prefix that replace it; strings are
 * the same UTF-8, ids and times shrink), so protobuf batches are measured without encoding each span twice.
 */
export const spanSizeBound = (s: OtlpSpan) => Buffer.byteLength(JSON.stringify(s)) + 1;

function encoder(config: PushConfig, otel: OtelOptions): (spans: OtlpSpan[]) => Uint8Array {
  if (config.protocol === 'http/json') return (spans) => new TextEncoder().encode(JSON.stringify(otlpRequest(spans, otel)));
  return (spans) => encodeTraces(otlpRequest(spans, otel));
}

export async function pushTrajectories(source: AsyncIterable<Trajectory> | Iterable<Trajectory>, options: PushOptions): Promise<PushSummary> {
  const { config } = options;
  const otel: OtelOptions = { content: options.content, serviceName: options.serviceName, version: options.version, fallbackTimeMs: options.fallbackTimeMs };
  const encode = encoder(config, otel);
  // The envelope grows by a few length-prefix bytes as the batch grows: 16 bytes of slack cover them.
  const envelope = encode([]).length + 16;
  const batcher = new SpanBatcher(options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES, spanSizeBound, envelope);
  const summary: PushSummary = { url: redactUrl(config.url), protocol: config.protocol, trajectories: 0, spans: 0, requests: 0, bytes: 0, retries: 0, rejectedSpans: 0, warnings: [] };
  const hooks: TransportHooks = {
    ...options,
    onRetry: (info) => {
      summary.retries++;
      options.onRetry?.(info);
    },
  };
  const send = async (batch: Batch) => {
    const body = encode(batch.spans);
    const result = await sendOtlp(body, config, hooks);
    const partial = partialSuccess(result.body, config.protocol);
    if (partial) {
      summary.rejectedSpans += partial.rejectedSpans;
      if (partial.errorMessage && !summary.warnings.includes(partial.errorMessage)) summary.warnings.push(partial.errorMessage);
    }
    summary.requests++;
    summary.bytes += body.length;
    summary.spans += batch.spans.length;
    summary.trajectories += batch.trajectories;
    options.onProgress?.({ trajectories: summary.trajectories, spans: summary.spans, requests: summary.requests, bytes: summary.bytes, retries: summary.retries });
  };
  for await (const t of source) {
    for (const batch of batcher.add(trajectorySpans(t, otel))) await send(batch);
  }
  const last = batcher.flush();
  if (last) await send(last);
  return summary;
}
