/**
 * Spans out of OTLP trace requests in the OTLP/JSON mapping (opentelemetry-proto, JSON encoding: hex ids,
 * 64-bit ints as strings or numbers, AnyValue one-ofs), grouped by trace in the order traces first
 * appear. Binary requests are decoded to the same mapping first (src/core/otel/protobuf.ts).
 */
import { InputError } from '../errors';

export interface SpanEvent {
  name: string;
  attrs: Map<string, unknown>;
}

export interface ReadSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startNs: bigint;
  endNs: bigint;
  attrs: Map<string, unknown>;
  events: SpanEvent[];
  /** 2 is ERROR. */
  statusCode: number;
  statusMessage?: string;
  /** Position in the file, to order spans that start at the same time. */
  order: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** An AnyValue as a plain value: ints and doubles as numbers, arrays and kvlists as arrays and objects. */
export function anyValue(v: unknown): unknown {
  if (!isObj(v)) return undefined;
  if ('stringValue' in v) return v.stringValue;
  if ('doubleValue' in v) return Number(v.doubleValue);
  if ('intValue' in v) return Number(v.intValue);
  if ('boolValue' in v) return v.boolValue;
  if ('arrayValue' in v) return (isObj(v.arrayValue) && Array.isArray(v.arrayValue.values) ? v.arrayValue.values : []).map(anyValue);
  if ('kvlistValue' in v) return Object.fromEntries(attrMap(isObj(v.kvlistValue) ? v.kvlistValue.values : []));
  if ('bytesValue' in v) return v.bytesValue;
  return undefined;
}

function attrMap(list: unknown): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (!Array.isArray(list)) return out;
  for (const kv of list) if (isObj(kv) && typeof kv.key === 'string') out.set(kv.key, anyValue(kv.value));
  return out;
}

function nanos(v: unknown): bigint {
  try {
    return typeof v === 'string' || typeof v === 'number' ? BigInt(v) : 0n;
  } catch {
    return 0n;
  }
}

/** Ids in the JSON mapping are hex; some producers write base64 (the protobuf JSON default): both read. */
function hexId(v: unknown): string | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  if (/^[0-9a-fA-F]+$/.test(v) && (v.length === 32 || v.length === 16)) return v.toLowerCase();
  return Buffer.from(v, 'base64').toString('hex');
}

/** Every span of one request, appended to `into` (its `order` continues from what is there). */
export function collectSpans(request: unknown, into: ReadSpan[], where?: string): void {
  if (!isObj(request) || !Array.isArray(request.resourceSpans)) {
    throw new InputError('expected an OTLP trace request ({"resourceSpans": [...]})', where);
  }
  for (const rs of request.resourceSpans) {
    if (!isObj(rs)) continue;
    // `instrumentationLibrarySpans` is the name before OTLP 0.15; old collector dumps still use it.
    const scopes = Array.isArray(rs.scopeSpans) ? rs.scopeSpans : Array.isArray(rs.instrumentationLibrarySpans) ? rs.instrumentationLibrarySpans : [];
    for (const ss of scopes) {
      if (!isObj(ss) || !Array.isArray(ss.spans)) continue;
      for (const s of ss.spans) {
        if (!isObj(s)) continue;
        const traceId = hexId(s.traceId);
        const spanId = hexId(s.spanId);
        if (!traceId || !spanId) continue;
        const status = isObj(s.status) ? s.status : {};
        into.push({
          traceId,
          spanId,
          parentSpanId: hexId(s.parentSpanId),
          name: typeof s.name === 'string' ? s.name : '',
          startNs: nanos(s.startTimeUnixNano),
          endNs: nanos(s.endTimeUnixNano),
          attrs: attrMap(s.attributes),
          events: (Array.isArray(s.events) ? s.events : []).filter(isObj).map((e) => ({ name: typeof e.name === 'string' ? e.name : '', attrs: attrMap(e.attributes) })),
          statusCode: typeof status.code === 'number' ? status.code : status.code === 'STATUS_CODE_ERROR' ? 2 : 0,
          statusMessage: typeof status.message === 'string' && status.message ? status.message : undefined,
          order: into.length,
        });
      }
    }
  }
}

/** Spans by trace, traces in the order they first appear, spans by start time. */
export function byTrace(spans: readonly ReadSpan[]): ReadSpan[][] {
  const traces = new Map<string, ReadSpan[]>();
  for (const s of spans) {
    const list = traces.get(s.traceId);
    if (list) list.push(s);
    else traces.set(s.traceId, [s]);
  }
  return [...traces.values()].map((list) => list.sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : a.order - b.order)));
}
