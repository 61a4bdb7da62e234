/**
 * Where a push goes and how: the given settings first, then the standard OpenTelemetry exporter
 * variables (OpenTelemetry specification, protocol/exporter.md: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
 * used as-is, else OTEL_EXPORTER_OTLP_ENDPOINT plus `v1/traces`; OTEL_EXPORTER_OTLP_[TRACES_]HEADERS,
 * _PROTOCOL, _TIMEOUT, _COMPRESSION), then the specification's defaults (http://localhost:4318,
 * http/protobuf, 10 s). The environment is an argument so the editor and tests pass their own.
 */
import { parseKeyPairsIntoRecord } from '@opentelemetry/core';
import { redactUrl } from '../endpoint/url';
import { InputError } from '../errors';

/** Collector URLs in messages follow the one redaction rule (core/endpoint/url.ts). */
export { redactUrl };

export const OTLP_PROTOCOLS = ['http/protobuf', 'http/json'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

export interface PushSettings {
  /** A collector URL: used as given when it has a path, else `/v1/traces` is added. */
  endpoint?: string;
  /** Extra request headers (e.g. Authorization); they win over the environment's. */
  headers?: Record<string, string>;
  protocol?: string;
  timeoutMs?: number;
  compression?: 'gzip' | 'none';
}

export interface PushConfig {
  url: string;
  headers: Record<string, string>;
  protocol: OtlpProtocol;
  timeoutMs: number;
  compression: 'gzip' | 'none';
}

export type Env = Record<string, string | undefined>;

const TRACES_PATH = 'v1/traces';

const nonEmpty = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v.trim());

/** `base` with `v1/traces` appended to its path (OTEL_EXPORTER_OTLP_ENDPOINT's rule). */
function withTracesPath(base: string): string {
  return base.endsWith('/') ? `${base}${TRACES_PATH}` : `${base}/${TRACES_PATH}`;
}

function checkedUrl(url: string, from: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new InputError(`${from} is not a URL: ${redactUrl(url)}`, undefined, undefined, 'give the collector as http(s)://host:port/v1/traces');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new InputError(`${from} must be an http or https URL, got ${redactUrl(url)}`, undefined, undefined, 'OTLP over gRPC is not supported: use the collector\'s HTTP port (4318)');
  }
  return u.toString();
}

function resolveUrl(given: string | undefined, env: Env): string {
  const flag = nonEmpty(given);
  if (flag) {
    const u = new URL(checkedUrl(flag, 'the collector endpoint'));
    return u.pathname === '/' && !u.search ? withTracesPath(u.toString()) : u.toString();
  }
  const specific = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  if (specific) return checkedUrl(specific, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const base = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (base) return checkedUrl(withTracesPath(base), 'OTEL_EXPORTER_OTLP_ENDPOINT');
  return `http://localhost:4318/${TRACES_PATH}`;
}

function resolveProtocol(given: string | undefined, env: Env): OtlpProtocol {
  const raw = nonEmpty(given) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_PROTOCOL) ?? 'http/protobuf';
  if ((OTLP_PROTOCOLS as readonly string[]).includes(raw)) return raw as OtlpProtocol;
  const hint = raw === 'grpc' ? 'gRPC is not supported: use http/protobuf against the collector\'s HTTP port (4318)' : `use ${OTLP_PROTOCOLS.join(' or ')}`;
  throw new InputError(`unknown OTLP protocol "${raw}"`, undefined, undefined, hint);
}

function resolveTimeout(given: number | undefined, env: Env): number {
  if (given !== undefined) return given;
  const raw = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_TIMEOUT) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_TIMEOUT);
  const n = raw === undefined ? NaN : Number(raw);
  return Number.isFinite(n) && n > 0 ? n : 10_000;
}

export function resolvePushConfig(given: PushSettings, env: Env): PushConfig {
  const headers: Record<string, string> = {
    ...parseKeyPairsIntoRecord(env.OTEL_EXPORTER_OTLP_HEADERS),
    ...parseKeyPairsIntoRecord(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS),
    ...(given.headers ?? {}),
  };
  const compressionRaw = given.compression ?? nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_COMPRESSION) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_COMPRESSION);
  // fetch refuses URLs with credentials: `https://public:secret@host/...` (Langfuse's keys) becomes Basic auth.
  const url = new URL(resolveUrl(given.endpoint, env));
  if (url.username || url.password) {
    const hasAuth = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
    if (!hasAuth) headers.Authorization = `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return {
    url: url.toString(),
    headers,
    protocol: resolveProtocol(given.protocol, env),
    timeoutMs: resolveTimeout(given.timeoutMs, env),
    compression: compressionRaw === 'gzip' ? 'gzip' : 'none',
  };
}

/** `K=V` from a command line: the value is taken literally (no URL decoding), so `Authorization=Basic abc` works. */
export function parseHeaderArg(arg: string): [string, string] {
  const at = arg.indexOf('=');
  const key = at > 0 ? arg.slice(0, at).trim() : '';
  if (!key) throw new InputError(`a header is written K=V, got "${arg}"`, undefined, undefined, 'e.g. --otlp-header "Authorization=Basic <base64 of public:secret key>"');
  return [key, arg.slice(at + 1).trim()];
}

/** `K=V, K2=V2` as typed in the editor's prompt: each pair as parseHeaderArg reads it. */
export function parseHeaderList(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map(parseHeaderArg),
  );
}

