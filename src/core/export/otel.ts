/**
 * Trajectories as OpenTelemetry spans in OTLP/JSON (the body of an OTLP/HTTP `POST /v1/traces` with
 * `application/json`), for Phoenix, Langfuse, Jaeger or any collector. What each span carries, and the
 * convention each attribute comes from, is in otelSpans.ts; the push (protobuf by default) is in
 * src/core/otel/. Ids derive from the trajectory, so exporting or sending twice gives the same trace.
 */
import { AttrList } from './otelAttrs';
import { trajectorySpans } from './otelSpans';
import type { Trajectory } from '../trace';

export { trajectorySpans } from './otelSpans';

export type OtlpValue =
  | { stringValue: string }
  | { intValue: string }
  | { doubleValue: number }
  | { boolValue: boolean }
  | { arrayValue: { values: OtlpValue[] } };
export interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
export interface OtlpEvent {
  timeUnixNano: string;
  name: string;
  attributes: OtlpAttribute[];
}
export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 INTERNAL, 3 CLIENT. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpAttribute[];
  events: OtlpEvent[];
  /** 0 UNSET, 1 OK, 2 ERROR. */
  status: { code: number; message?: string };
}
export interface OtlpTraces {
  resourceSpans: Array<{
    resource: { attributes: OtlpAttribute[] };
    scopeSpans: Array<{ scope: { name: string; version?: string }; spans: OtlpSpan[] }>;
  }>;
}

export interface OtelOptions {
  /** Put model text, queries and documents on spans (default true; turn off to export shapes only). */
  content?: boolean;
  serviceName?: string;
  version?: string;
  /**
   * When a trajectory's `createdAt` is missing, unparsable or implausible (before 2000): the time its
   * spans start at instead, in ms since the epoch, usually the trace file's modification time.
   */
  fallbackTimeMs?: number;
}

/** A request body around spans: one resource (the exporter) and one instrumentation scope. */
export function otlpRequest(spans: OtlpSpan[], options: OtelOptions = {}): OtlpTraces {
  // service.name, service.version: OpenTelemetry resource semantic conventions (service.*).
  const resource = new AttrList().str('service.name', options.serviceName ?? 'hopscope').str('service.version', options.version);
  return {
    resourceSpans: [
      {
        resource: { attributes: resource.list },
        scopeSpans: [{ scope: { name: 'hopscope', ...(options.version ? { version: options.version } : {}) }, spans }],
      },
    ],
  };
}

/** Grows one OTLP/JSON document trajectory by trajectory. */
export class OtlpBuilder {
  private readonly spans: OtlpSpan[] = [];
  constructor(private readonly options: OtelOptions = {}) {}
  add(t: Trajectory): void {
    this.spans.push(...trajectorySpans(t, this.options));
  }
  result(): OtlpTraces {
    return otlpRequest(this.spans, this.options);
  }
}

export function toOtlp(trajectories: Iterable<Trajectory>, options: OtelOptions = {}): OtlpTraces {
  const b = new OtlpBuilder(options);
  for (const t of trajectories) b.add(t);
  return b.result();
}
