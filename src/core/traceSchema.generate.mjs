// Compiles src/core/trace.schema.json into a standalone validator module (Ajv's standalone code): plain
// functions, no `eval` or `new Function` at run time, so the webview's strict CSP allows it.
// esbuild.mjs runs this before every build; test/unit/core/traceSchema.test.ts fails when the committed module is stale.
// Run by hand: `node src/core/traceSchema.generate.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../../', import.meta.url));
export const SCHEMA_FILE = `${root}src/core/trace.schema.json`;
export const VALIDATOR_FILE = `${root}src/core/traceSchema.validator.ts`;

/** The validator module's source for the schema as it is on disk. */
export function validatorSource() {
  const Ajv = require('ajv').default;
  const standalone = require('ajv/dist/standalone').default;
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  // Formats are checked by the hand-written wrapper (traceSchema.ts): Ajv's standalone formats need a runtime module.
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { source: true, esm: true, lines: true } });
  let code = standalone(ajv, ajv.compile(schema));
  // Ajv's ESM output still `require`s its runtime helpers; an import keeps the module ESM for esbuild and tsx.
  const helpers = [];
  code = code.replace(/const (\w+) = require\("(ajv\/dist\/runtime\/[\w]+)"\)\.default;/g, (_, name, mod) => {
    helpers.push(`import ${name} from '${mod}';`);
    return '';
  });
  if (/require\(/.test(code)) throw new Error('the standalone validator requires a module this script does not turn into an import');
  return [
    '// @ts-nocheck',
    '// GENERATED from src/core/trace.schema.json by src/core/traceSchema.generate.mjs (run by esbuild.mjs). Do not edit.',
    ...helpers,
    code.replace(/^"use strict";\n/, ''),
  ].join('\n');
}

/** Writes the module when it changed; true when it did. */
export function writeValidator() {
  const next = validatorSource();
  let current = '';
  try {
    current = readFileSync(VALIDATOR_FILE, 'utf8');
  } catch {
    // first run
  }
  if (current === next) return false;
  writeFileSync(VALIDATOR_FILE, next);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(writeValidator() ? `wrote ${VALIDATOR_FILE}` : `${VALIDATOR_FILE} is up to date`);
}
