import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitIdentifier, Tokenizer } from '../../../../src/core/retrieval/tokenizer';

const tok = new Tokenizer();

test('camelCase and snake_case identifiers yield their parts and the whole identifier', () => {
  assert.deepEqual(tok.tokenize('maxTurns'), ['maxturns', 'max', 'turn']);
  assert.deepEqual(tok.tokenize('max_turns'), ['max_turns', 'max', 'turn']);
  assert.deepEqual(tok.tokenize('getHTTPResponse'), ['gethttpresponse', 'get', 'http', 'respons']);
  assert.deepEqual(splitIdentifier('HTTPServer2'), ['HTTP', 'Server', '2']);
  assert.deepEqual(tok.tokenize('__init__'), ['init']);
});

test('a query in words matches an identifier and vice versa', () => {
  const doc = new Set(tok.tokenize('function createRemoteRetriever(url) {}'));
  for (const t of tok.tokenize('create a remote retriever')) assert.ok(doc.has(t), `missing ${t}`);
  const prose = new Set(tok.tokenize('the maximum number of turns: max turns'));
  assert.ok(tok.tokenize('maxTurns').filter((t) => prose.has(t)).length >= 2);
});

test('English stopwords are dropped and words are Porter-stemmed', () => {
  assert.deepEqual(tok.tokenize('The runners were running in the races'), ['runner', 'were', 'run', 'race']);
  assert.deepEqual(tok.tokenize("Ireland's capital"), ['ireland', 'capit']);
});

test('numbers stay whole, decimals and thousands included', () => {
  assert.deepEqual(tok.tokenize('born 1928, height 1.57 metres, 1,000 films'), ['born', '1928', 'height', '1.57', 'metr', '1,000', 'film']);
  assert.deepEqual(tok.tokenize('utf8'), ['utf8', 'utf', '8']);
});

test('Unicode: accents fold in Latin script, other scripts are kept, Han and kana split per character', () => {
  assert.deepEqual(tok.tokenize('Café Müller'), ['cafe', 'muller']);
  assert.deepEqual(tok.tokenize('Москва Ωμέγα'), ['москва', 'ωμέγα']);
  assert.deepEqual(tok.tokenize('東京タワー in Tokyo'), ['東', '京', 'タ', 'ワ', 'ー', 'tokyo']);
  assert.deepEqual(tok.tokenize('नमस्ते'), ['नमस्ते']);
});

test('stemming, stopwords and identifier splitting can be turned off', () => {
  const plain = new Tokenizer({ stem: false, stopwords: false, splitIdentifiers: false });
  assert.deepEqual(plain.tokenize('The maxTurns running'), ['the', 'maxturns', 'running']);
});
