/**
 * Reasoning text as Markdown (models write `**Step 1**`, lists, code), parsed by markdown-it with raw HTML off
 * (`html: false`: a `<script>` in model output stays literal text) and turned into DOM through dom.ts from the
 * token stream, never through innerHTML. Links are shown as their text (model output is no place to navigate
 * from); images as their alt text. Unknown tokens fall back to their plain content.
 */
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';
import { append, h } from './dom';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
// Tables and strikethrough are harmless; nothing else beyond CommonMark is needed.

/** Block and inline container tags markdown-it opens and closes, mapped to the element built for them. */
const CONTAINERS: Record<string, string> = {
  paragraph: 'p',
  blockquote: 'blockquote',
  bullet_list: 'ul',
  ordered_list: 'ol',
  list_item: 'li',
  strong: 'strong',
  em: 'em',
  s: 's',
  table: 'table',
  thead: 'thead',
  tbody: 'tbody',
  tr: 'tr',
  th: 'th',
  td: 'td',
  link: 'span',
};

function build(tokens: readonly Token[], root: HTMLElement): void {
  const stack: HTMLElement[] = [root];
  const top = () => stack[stack.length - 1]!;
  for (const t of tokens) {
    if (t.type === 'inline') {
      build(t.children ?? [], top());
      continue;
    }
    if (t.type === 'heading_open') {
      // Headings in reasoning are emphasis, not document structure: keep them below the panel's own headings.
      const el = h('strong', { class: `md-heading md-${t.tag}` });
      top().append(el);
      stack.push(el);
      continue;
    }
    if (t.type === 'heading_close') {
      stack.pop();
      continue;
    }
    const base = t.type.replace(/_(open|close)$/, '');
    if (t.nesting !== 0 && CONTAINERS[base]) {
      if (t.nesting === 1) {
        const attrs: Record<string, string> = {};
        if (base === 'ordered_list') {
          const start = t.attrGet('start');
          if (start) attrs.start = start;
        }
        if (base === 'link') attrs.title = t.attrGet('href') ?? '';
        const el = h(CONTAINERS[base]!, { class: base === 'link' ? 'md-link' : undefined, attrs });
        top().append(el);
        stack.push(el);
      } else if (stack.length > 1) stack.pop();
      continue;
    }
    switch (t.type) {
      case 'text':
        append(top(), [t.content]);
        break;
      case 'code_inline':
        top().append(h('code', {}, t.content));
        break;
      case 'fence':
      case 'code_block':
        top().append(h('pre', { class: 'md-code' }, h('code', {}, t.content)));
        break;
      case 'softbreak':
        append(top(), ['\n']);
        break;
      case 'hardbreak':
        top().append(h('br'));
        break;
      case 'hr':
        top().append(h('hr'));
        break;
      case 'image':
        append(top(), [t.content || t.attrGet('alt') || '']);
        break;
      default:
        if (t.content) append(top(), [t.content]);
    }
  }
}

/** The text rendered as Markdown into a `div.markdown`. */
export function markdown(text: string, className = ''): HTMLElement {
  const root = h('div', { class: `markdown ${className}`.trim() });
  build(md.parse(text, {}), root);
  return root;
}
