import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UrlError } from '../../../../src/core/errors';
import { clientUrl, joinUrlPath, parseHttpUrl, redactText, redactUrl, urlSecrets } from '../../../../src/core/endpoint/url';

describe('the one URL helper', () => {
  it('redacts userinfo and every credential-like parameter, keeping the others', () => {
    const url = 'https://bob:s3cret@host.example/v1?api_key=A1&key=A2&token=A3&access_token=A4&password=A5&secret=A6&sig=A7&X-Amz-Signature=A8&client_secret=A9&page=2';
    const r = redactUrl(url);
    assert.equal(r, 'https://host.example/v1?api_key=***&key=***&token=***&access_token=***&password=***&secret=***&sig=***&X-Amz-Signature=***&client_secret=***&page=2');
    assert.equal(redactUrl('https://u:p@host.example/v1?api_key=abc&x=1'), 'https://host.example/v1?api_key=***&x=1');
  });

  it('redacts a string that is not a URL by pattern', () => {
    assert.equal(redactUrl('//bob:pw@host:99999/x?token=abc&q=1'), '//host:99999/x?token=***&q=1');
  });

  it('accepts only http: and https:', () => {
    assert.equal(parseHttpUrl('http://127.0.0.1:8000/v1').host, '127.0.0.1:8000');
    for (const bad of ['ftp://h/v1', 'file:///etc/passwd', 'javascript:alert(1)', 'not a url', '']) assert.throws(() => parseHttpUrl(bad), UrlError);
    assert.throws(() => parseHttpUrl('ftp://bob:pw@h/?token=t'), (e: Error) => !e.message.includes('pw') && !e.message.includes('=t'));
  });

  it('joins a path keeping the query string', () => {
    assert.equal(joinUrlPath('http://h/v1/?api_key=k', '/completions').toString(), 'http://h/v1/completions?api_key=k');
    assert.equal(joinUrlPath('http://h', 'retrieve').toString(), 'http://h/retrieve');
  });

  it('splits an endpoint URL for the SDK: base, query, Basic auth and the secrets to scrub', () => {
    const c = clientUrl('http://al%40ice:p%3Ass@h:1/v1/?api_key=KEY123&x=1');
    assert.equal(c.base, 'http://h:1/v1');
    assert.deepEqual(c.query, { api_key: 'KEY123', x: '1' });
    assert.equal(c.basicAuth, `Basic ${Buffer.from('al@ice:p:ss').toString('base64')}`);
    for (const s of ['al@ice', 'p:ss', 'KEY123']) assert.ok(c.secrets.includes(s), s);
    assert.ok(!urlSecrets('http://h/?page=12345').length);
  });

  it('scrubs URLs, Bearer/Basic credentials and given secrets from a text', () => {
    const text = 'POST http://u:pw123@h/v1?token=abc failed; Authorization: Basic dXNlcjpwYXNz; Bearer sk-live-1; leaked pw123';
    const out = redactText(text, ['pw123']);
    assert.equal(out, 'POST http://h/v1?token=*** failed; Authorization: Basic ***; Bearer ***; leaked ***');
  });
});
