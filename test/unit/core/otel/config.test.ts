import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../../../src/core/errors';
import { parseHeaderArg, parseHeaderList, redactUrl, resolvePushConfig } from '../../../../src/core/otel/config';
import { retryAfterMs } from '../../../../src/core/otel/transport';

test('the endpoint: the given URL, else OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as-is, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, else localhost:4318', () => {
  assert.equal(resolvePushConfig({}, {}).url, 'http://localhost:4318/v1/traces');
  assert.equal(resolvePushConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'https://cloud.langfuse.com/api/public/otel' }).url, 'https://cloud.langfuse.com/api/public/otel/v1/traces');
  assert.equal(resolvePushConfig({}, { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://phoenix:6006/' }).url, 'http://phoenix:6006/v1/traces');
  const both = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b:6006/v1/traces' };
  assert.equal(resolvePushConfig({}, both).url, 'http://b:6006/v1/traces');
  assert.equal(resolvePushConfig({ endpoint: 'http://c:6006' }, both).url, 'http://c:6006/v1/traces', 'a bare host gets the traces path');
  assert.equal(resolvePushConfig({ endpoint: 'http://c/custom/path' }, both).url, 'http://c/custom/path', 'a path is kept as given');
});

test('headers: generic then traces-specific variables (URL-decoded, as the SDKs do), then the given ones win', () => {
  const env = { OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Basic%20abc,x-a=1', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-a=2' };
  assert.deepEqual(resolvePushConfig({}, env).headers, { Authorization: 'Basic abc', 'x-a': '2' });
  assert.deepEqual(resolvePushConfig({ headers: { 'x-a': '3' } }, env).headers, { Authorization: 'Basic abc', 'x-a': '3' });
  assert.deepEqual(parseHeaderArg('Authorization=Basic a=b c'), ['Authorization', 'Basic a=b c']);
  assert.throws(() => parseHeaderArg('novalue'), InputError);
  assert.deepEqual(parseHeaderList(' Authorization=Basic x== , x-b=2,'), { Authorization: 'Basic x==', 'x-b': '2' });
  assert.deepEqual(parseHeaderList(''), {});
});

test('credentials in the URL become a Basic Authorization header and leave the URL', () => {
  const c = resolvePushConfig({ endpoint: 'https://pk-1:sk-2@cloud.langfuse.com/api/public/otel/v1/traces' }, {});
  assert.equal(c.url, 'https://cloud.langfuse.com/api/public/otel/v1/traces');
  assert.equal(c.headers.Authorization, `Basic ${Buffer.from('pk-1:sk-2').toString('base64')}`);
});

test('protocol: protobuf by default, from the variables, gRPC refused with a hint', () => {
  assert.equal(resolvePushConfig({}, {}).protocol, 'http/protobuf');
  assert.equal(resolvePushConfig({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' }).protocol, 'http/json');
  assert.equal(resolvePushConfig({}, { OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/protobuf' }).protocol, 'http/protobuf');
  assert.throws(() => resolvePushConfig({ protocol: 'grpc' }, {}), (e: InputError) => /gRPC is not supported/.test(e.describe()));
  assert.throws(() => resolvePushConfig({ endpoint: 'ftp://x' }, {}), InputError);
});

test('URLs in messages carry no credentials or query values', () => {
  assert.equal(redactUrl('https://u:p@host:1/v1/traces?api_key=k'), 'https://host:1/v1/traces?api_key=***');
});

test('Retry-After in seconds or as an HTTP date', () => {
  assert.equal(retryAfterMs('3'), 3000);
  const now = Date.parse('2026-11-28T10:00:00Z');
  assert.equal(retryAfterMs('Sat, 28 Nov 2026 10:00:05 GMT', now), 5000);
  assert.equal(retryAfterMs('soon'), undefined);
  assert.equal(retryAfterMs(null), undefined);
});
