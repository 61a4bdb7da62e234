/**
 * Guessing a file's format from its first record, so `hopscope import` works without `--format`.
 * Each rule looks for the fields that make the format unambiguous; `--format` overrides.
 */
import { TRACE_SCHEMA } from '../trace';
import { firstRecord } from './jsonl';
import { looksLikeOtlpProtobuf } from './otlp';
import type { ImportFormat } from './types';

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length > 3 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** The format of a file's contents (text, or bytes for zip archives), or undefined when nothing fits. */
export function detectFormat(input: string | Uint8Array): ImportFormat | undefined {
  if (typeof input !== 'string') {
    if (isZip(input)) return 'inspect';
    if (looksLikeOtlpProtobuf(input)) return 'otlp';
    input = new TextDecoder().decode(input);
  }
  // An OTLP export is often one JSON document far longer than the head read for detection: know it by its opening.
  if (/^\uFEFF?\s*\{\s*"resourceSpans"\s*:/.test(input)) return 'otlp';
  const first = firstRecord(input);
  if (Array.isArray(first)) {
    if (first.length > 0 && isMessage(first[0])) return 'openai-chat';
    const head = first[0];
    return head && typeof head === 'object' ? formatOfRecord(head as Record<string, unknown>) : undefined;
  }
  if (!first || typeof first !== 'object') return undefined;
  return formatOfRecord(first as Record<string, unknown>);
}

function formatOfRecord(o: Record<string, unknown>): ImportFormat | undefined {
  if (o.schema === TRACE_SCHEMA) return 'hopscope';
  // Before the search-r1 rule: span attributes can hold `<search>` text.
  if (Array.isArray(o.resourceSpans)) return 'otlp';
  if (typeof o.gen_text_store === 'string') return 'r1searcher';
  if ('eval' in o && ('samples' in o || 'version' in o || 'results' in o)) return 'inspect';
  if ('info_gain_rewards' in o || ('output' in o && 'rewards' in o && ('input' in o || 'ground_truth' in o))) return 'igpo';
  if (Array.isArray(o.messages) && o.messages.some(isMessage)) return 'openai-chat';
  if (Object.values(o).some((v) => typeof v === 'string' && (v.includes('<search>') || v.includes('<information>')))) return 'search-r1';
  return undefined;
}

function isMessage(v: unknown): boolean {
  return !!v && typeof v === 'object' && typeof (v as Record<string, unknown>).role === 'string';
}
