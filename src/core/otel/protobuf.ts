/**
 * OTLP protobuf with the official definitions: the protobufjs code generated from opentelemetry-proto
 * that @opentelemetry/otlp-transformer ships (build/src/generated/root.js, pinned in package.json).
 * Its serializers take SDK spans and choose int or double from the JS number, which would send a score
 * of 1 as an int; encoding our OTLP/JSON-shaped request with the generated message types keeps each
 * attribute's declared type.
 */
import Long from 'long';
import * as protobuf from 'protobufjs/minimal';
import root from '@opentelemetry/otlp-transformer/build/src/generated/root';
import { InputError } from '../errors';
import type { OtlpAttribute, OtlpSpan, OtlpTraces, OtlpValue } from '../export/otel';

// protobufjs finds `long` and Buffer with a runtime require a bundle cannot see: without Long 64-bit times
// lose precision, without Buffer strings are encoded byte by byte in JS.
protobuf.util.Long = Long;
protobuf.util.Buffer = Buffer;
protobuf.configure();

/** The generated message classes' static API (protobufjs static code). */
interface MessageType {
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  toObject(message: object, options: protobuf.IConversionOptions): Record<string, unknown>;
}

/** The generated root is typed as a bare Root; these are the two message types it holds that we use. */
const generated = root as unknown as {
  opentelemetry: {
    proto: { collector: { trace: { v1: { ExportTraceServiceRequest: MessageType; ExportTraceServiceResponse: MessageType } } } };
  };
};
const Request = generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
const Response = generated.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;

type Json = unknown;

/** The OTLP/JSON mapping turned into what the generated encoder takes: ids as bytes, 64-bit ints as Long. */
function anyValueMessage(v: OtlpValue): object {
  if ('intValue' in v) return { intValue: Long.fromString(v.intValue, false) };
  if ('arrayValue' in v) return { arrayValue: { values: v.arrayValue.values.map(anyValueMessage) } };
  return v;
}

const keyValues = (list: OtlpAttribute[]) => list.map((a) => ({ key: a.key, value: anyValueMessage(a.value) }));

function spanMessage(s: OtlpSpan): object {
  return {
    traceId: Buffer.from(s.traceId, 'hex'),
    spanId: Buffer.from(s.spanId, 'hex'),
    ...(s.parentSpanId ? { parentSpanId: Buffer.from(s.parentSpanId, 'hex') } : {}),
    name: s.name,
    kind: s.kind,
    startTimeUnixNano: Long.fromString(s.startTimeUnixNano, true),
    endTimeUnixNano: Long.fromString(s.endTimeUnixNano, true),
    attributes: keyValues(s.attributes),
    events: s.events.map((e) => ({ timeUnixNano: Long.fromString(e.timeUnixNano, true), name: e.name, attributes: keyValues(e.attributes) })),
    status: s.status,
  };
}

function requestMessage(request: OtlpTraces): object {
  return {
    resourceSpans: request.resourceSpans.map((rs) => ({
      resource: { attributes: keyValues(rs.resource.attributes) },
      scopeSpans: rs.scopeSpans.map((ss) => ({ scope: ss.scope, spans: ss.spans.map(spanMessage) })),
    })),
  };
}

/** An OTLP/JSON request as the binary `ExportTraceServiceRequest` (Content-Type application/x-protobuf). */
export function encodeTraces(request: OtlpTraces): Uint8Array {
  return Request.encode(requestMessage(request)).finish();
}

const CONVERSION: protobuf.IConversionOptions = { longs: String, enums: Number, bytes: String, defaults: false, arrays: true };

/** Base64 ids (protobufjs' bytes-as-string) back to the hex of the OTLP/JSON mapping. */
function idsToHex(v: Json, key?: string): Json {
  if (Array.isArray(v)) return v.map((x) => idsToHex(x));
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'string' && (key === 'traceId' || key === 'spanId' || key === 'parentSpanId')) return Buffer.from(v, 'base64').toString('hex');
    return v;
  }
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(v)) out[k] = idsToHex(x, k);
  return out;
}

/** A binary `ExportTraceServiceRequest` in the OTLP/JSON mapping (hex ids, decimal-string 64-bit ints). */
export function decodeTraces(bytes: Uint8Array, file?: string): Record<string, unknown> {
  let message: object;
  try {
    message = Request.decode(bytes);
  } catch (e) {
    throw new InputError(`not an OTLP protobuf trace request: ${(e as Error).message}`, file);
  }
  return idsToHex(Request.toObject(message, CONVERSION)) as Record<string, unknown>;
}

/** What a collector said it dropped (ExportTraceServiceResponse.partial_success), from either encoding. */
export function partialSuccess(body: Uint8Array, protocol: 'http/protobuf' | 'http/json'): { rejectedSpans: number; errorMessage?: string } | undefined {
  if (body.length === 0) return undefined;
  let o: Record<string, unknown>;
  try {
    o = protocol === 'http/json' ? (JSON.parse(new TextDecoder().decode(body)) as Record<string, unknown>) : Response.toObject(Response.decode(body), CONVERSION);
  } catch {
    return undefined; // A success with a body we cannot read is still a success (OTLP: the body is informational).
  }
  const p = o?.partialSuccess as { rejectedSpans?: string | number; errorMessage?: string } | undefined;
  const rejected = Number(p?.rejectedSpans ?? 0);
  if (!p || (!rejected && !p.errorMessage)) return undefined;
  return { rejectedSpans: Number.isFinite(rejected) ? rejected : 0, ...(p.errorMessage ? { errorMessage: p.errorMessage } : {}) };
}
