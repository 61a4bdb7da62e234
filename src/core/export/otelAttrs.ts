/**
 * Span attributes with their type fixed by the caller, not guessed from the value: a score of 1 is a
 * double like a score of 0.5 (an encoder that picks int or double from the JS number would send one key
 * with two types, which backends store as two columns or drop). Counts the conventions type as int
 * (tokens, ports) go through `int`; everything measured goes through `double`.
 */
import type { OtlpAttribute } from './otel';

export class AttrList {
  readonly list: OtlpAttribute[] = [];

  str(key: string, v: string | undefined): this {
    if (v !== undefined) this.list.push({ key, value: { stringValue: v } });
    return this;
  }

  /** A JSON document as a string attribute (the conventions' "JSON string" type). */
  json(key: string, v: unknown): this {
    return v === undefined ? this : this.str(key, JSON.stringify(v));
  }

  int(key: string, v: number | undefined): this {
    if (v !== undefined && Number.isFinite(v)) this.list.push({ key, value: { intValue: String(Math.trunc(v)) } });
    return this;
  }

  double(key: string, v: number | undefined): this {
    if (v !== undefined && Number.isFinite(v)) this.list.push({ key, value: { doubleValue: v } });
    return this;
  }

  strs(key: string, v: readonly string[] | undefined): this {
    if (v !== undefined && v.length > 0) this.list.push({ key, value: { arrayValue: { values: v.map((s) => ({ stringValue: s })) } } });
    return this;
  }
}
