/**
 * Native controls styled with the theme's variables (media/trace.css), in place of the deprecated
 * @vscode/webview-ui-toolkit (archived January 2025): a button, and tabs with the WAI-ARIA tab pattern
 * (arrow keys move between tabs). Plain elements need no registration, no shadow DOM and no style elements,
 * so the strict CSP holds with no nonce for styles.
 */
import { h, type Child, type Props } from './dom';

export type Appearance = 'primary' | 'secondary' | 'icon';

export function button(appearance: Appearance, props: Props, ...children: Child[]): HTMLButtonElement {
  return h('button', { ...props, class: `btn btn-${appearance}${props.class ? ` ${props.class}` : ''}`, attrs: { type: 'button', ...props.attrs } }, ...children);
}

export interface Tab {
  /** The tab button's id (`tab-raw`); its panel's id is `panelId`. */
  id: string;
  panelId: string;
  label: string;
  content: Child;
}

/** Tabs over panels; the first is shown. Clicking a tab (or ←/→ on one) shows its panel and hides the others. */
export function tabs(list: readonly Tab[], label: string): HTMLElement {
  const buttons = list.map((t, i) =>
    h('button', { class: 'tab', attrs: { type: 'button', role: 'tab', id: t.id, 'aria-controls': t.panelId, 'aria-selected': i === 0 ? 'true' : 'false', tabindex: i === 0 ? 0 : -1 } }, t.label),
  );
  const panels = list.map((t, i) => h('div', { class: 'tab-panel', attrs: { role: 'tabpanel', id: t.panelId, 'aria-labelledby': t.id, hidden: i !== 0 } }, t.content));
  const select = (i: number, focus: boolean) => {
    buttons.forEach((b, j) => {
      b.setAttribute('aria-selected', j === i ? 'true' : 'false');
      b.tabIndex = j === i ? 0 : -1;
      panels[j]!.hidden = j !== i;
    });
    if (focus) buttons[i]!.focus();
  };
  buttons.forEach((b, i) => {
    b.addEventListener('click', () => select(i, false));
    b.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      e.preventDefault();
      select((i + (e.key === 'ArrowRight' ? 1 : buttons.length - 1)) % buttons.length, true);
    });
  });
  return h('div', { class: 'tabs' }, h('div', { class: 'tab-list', attrs: { role: 'tablist', 'aria-label': label } }, ...buttons), ...panels);
}
