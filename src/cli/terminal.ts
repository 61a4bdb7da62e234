/**
 * What the CLI prints that came from documents, models, datasets or servers passes through here: ANSI
 * control sequences in it could recolour or rewrite the terminal, set the window title or, with
 * OSC 52, the clipboard. Only the CLI's own formatting (progress bar, dimmed live text) is written raw.
 */

/**
 * ESC-introduced sequences: CSI (`ESC [` … final byte), OSC/DCS/SOS/PM/APC strings (`ESC ] P X ^ _`
 * … BEL or ST), and two-byte escapes; and their 8-bit C1 forms (U+009B CSI, U+009D OSC, …).
 */
const SEQUENCE =
  /\u001b\[[0-?]*[ -/]*[@-~]|\u009b[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d\u009e\u009f])[\s\S]*?(?:\u0007|\u001b\\|\u009c|$)|\u001b[ -/]*[0-~]?/g;

/** C0 controls but tab and newline, DEL, and C1 controls: whatever a sequence left behind. */
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** The text with every control sequence and control character removed, tabs and newlines kept. */
export function terminalSafe(text: string): string {
  return text.replace(SEQUENCE, '').replace(CONTROL, '');
}

/**
 * One JSON line: JSON.stringify already escapes C0 controls; C1 controls (8-bit CSI and OSC) and the
 * line separators it leaves raw are escaped too, so the line is plain text on any terminal.
 */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

/** Writes untrusted text to stdout, made safe. */
export function printOut(text: string): void {
  process.stdout.write(terminalSafe(text));
}

/** Writes untrusted text to stderr, made safe. */
export function printErr(text: string): void {
  process.stderr.write(terminalSafe(text));
}
