/**
 * The one way the viewer builds DOM: elements with attributes and children, where every string becomes
 * a Text node. Nothing here (or anywhere in the viewer) assigns innerHTML, so model output and document
 * text can never become markup; bidi control characters in it are shown visibly (visible.ts).
 */
import { showControls } from './visible';

export type Child = Node | string | number | null | undefined | false;

export interface Props {
  class?: string;
  attrs?: Record<string, string | number | boolean | undefined>;
  dataset?: Record<string, string>;
  on?: { [K in keyof HTMLElementEventMap]?: (ev: HTMLElementEventMap[K]) => void };
}

export function append(parent: Node, children: readonly Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(showControls(String(c))) : c);
  }
}

function applyProps(e: Element, props: Props | undefined): void {
  if (!props) return;
  if (props.class) e.setAttribute('class', props.class);
  for (const [k, v] of Object.entries(props.attrs ?? {})) {
    if (v === undefined || v === false) continue;
    if (/^on/i.test(k) || k === 'style') throw new Error(`refusing attribute ${k}`);
    e.setAttribute(k, v === true ? '' : showControls(String(v)));
  }
  if (e instanceof HTMLElement) for (const [k, v] of Object.entries(props.dataset ?? {})) e.dataset[k] = v;
  for (const [name, fn] of Object.entries(props.on ?? {})) e.addEventListener(name, fn as EventListener);
}

/** An HTML element. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props?: Props, ...children: Child[]): HTMLElementTagNameMap[K];
export function h(tag: string, props?: Props, ...children: Child[]): HTMLElement;
export function h(tag: string, props?: Props, ...children: Child[]): HTMLElement {
  const e = document.createElement(tag);
  applyProps(e, props);
  append(e, children);
  return e;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag: string, attrs: Record<string, string | number> = {}, ...children: Child[]): SVGElement {
  const e = document.createElementNS(SVG_NS, tag);
  applyProps(e, { attrs });
  append(e, children);
  return e as SVGElement;
}

export function clear(e: Element): void {
  while (e.firstChild) e.removeChild(e.firstChild);
}
