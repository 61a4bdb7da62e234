import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jsonLine, terminalSafe } from '../../../src/cli/terminal';

describe('what the CLI prints from documents, models and servers', () => {
  it('loses ANSI CSI, OSC (OSC 52 clipboard included), DCS and C0/C1 controls, keeping text, tabs and newlines', () => {
    const cases: [string, string][] = [
      ['\u001b[31mred\u001b[0m text', 'red text'],
      ['copy \u001b]52;c;ZXZpbA==\u0007me', 'copy me'],
      ['title \u001b]0;pwned\u001b\\ok', 'title ok'],
      ['8-bit \u009b2Jcsi and \u009d52;c;eA==\u009cosc', '8-bit csi and osc'],
      ['dcs \u001bPq#0;2;0;0;0\u001b\\end', 'dcs end'],
      ['bell\u0007 back\bspace\rCR del\u007f nul\u0000', 'bell backspaceCR del nul'],
      ['tab\tand\nnewline stay', 'tab\tand\nnewline stay'],
      ['unterminated \u001b]52;c;AAAA', 'unterminated '],
      ['Ünïcödé — “quotes” ✓', 'Ünïcödé — “quotes” ✓'],
    ];
    for (const [raw, safe] of cases) assert.equal(terminalSafe(raw), safe, JSON.stringify(raw));
  });

  it('JSON lines escape C1 controls too, and stay the same value', () => {
    const value = { title: 'a\u001b[2Jb\u009b2Jc\u2028d' };
    const line = jsonLine(value);
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028]/.test(line), line);
    assert.deepEqual(JSON.parse(line), value);
  });
});
