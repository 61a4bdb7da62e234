/**
 * Keyboard use of the timeline: j/k (or ↓/↑ on a focused step) move between steps, Home/End jump to
 * the first/last, Enter on a step expands or collapses its documents, r/t switch to the Raw/Timeline tab.
 */
import { flushRendering } from './progressive';

function steps(doc: Document): HTMLElement[] {
  flushRendering();
  return [...doc.querySelectorAll<HTMLElement>('.step[data-step]')].filter((e) => e.offsetParent !== null);
}

function typing(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
}

export function installKeyboard(doc: Document): void {
  doc.addEventListener('keydown', (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey || typing(ev.target)) return;
    const all = steps(doc);
    const target = ev.target as HTMLElement | null;
    const onStep = !!target?.classList?.contains('step');
    const current = target?.closest?.<HTMLElement>('.step[data-step]') ?? null;
    const at = current ? all.indexOf(current) : -1;
    const go = (i: number) => {
      const el = all[Math.max(0, Math.min(all.length - 1, i))];
      if (el) {
        el.focus();
        el.scrollIntoView({ block: 'nearest' });
        ev.preventDefault();
      }
    };
    switch (ev.key) {
      case 'j':
        go(at + 1);
        break;
      case 'k':
        go(at <= 0 ? 0 : at - 1);
        break;
      case 'ArrowDown':
        if (onStep) go(at + 1);
        break;
      case 'ArrowUp':
        if (onStep) go(at - 1);
        break;
      case 'Home':
        if (onStep) go(0);
        break;
      case 'End':
        if (onStep) go(all.length - 1);
        break;
      case 'Enter':
        if (onStep && current) {
          for (const d of current.querySelectorAll('.doc')) d.classList.toggle('expanded');
          ev.preventDefault();
        }
        break;
      case 'r':
      case 't': {
        const panels = doc.querySelector('.tabs');
        const tab = doc.getElementById(ev.key === 'r' ? 'tab-raw' : 'tab-timeline');
        if (panels && tab) {
          tab.click();
          ev.preventDefault();
        }
        break;
      }
      default:
        break;
    }
  });
}
