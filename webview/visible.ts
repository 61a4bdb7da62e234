/**
 * Bidirectional control characters shown as what they are. U+202E (right-to-left override) in a
 * document title can make "exe.txt" read as "txt.exe"; the viewer writes each such character as a
 * visible ⟨U+202E⟩ instead, wherever untrusted text becomes a text node or an attribute (dom.ts).
 */
const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

export function showControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}
