import type { JSONContent } from '@tiptap/core';
import { generateHTML } from '@tiptap/html';
import { MarkdownManager } from '@tiptap/markdown';
import { yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { notesFragment } from '../../protocol/index.js';
import { isAllowedNotesLink, notesExtensions } from '../../protocol/notesSchema.js';

/** One page of notes as the exports read it: its title and its text as ProseMirror JSON. */
export interface NotesPageText {
  title: string;
  content: JSONContent;
}

const extensions = notesExtensions();
const markdown = new MarkdownManager({ extensions });

/**
 * A page's text read from the notes document, with every link the schema
 * would not take (`javascript:`, `data:`) turned back into plain text: what
 * a stored document holds is never trusted further than the editor trusts a paste.
 */
export function pageText(doc: Y.Doc, pageId: string, title: string): NotesPageText {
  const content = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(notesFragment(pageId))) as JSONContent;
  return { title, content: withSafeLinks(content) };
}

function withSafeLinks(node: JSONContent): JSONContent {
  const marks = node.marks?.filter(
    (mark) => mark.type !== 'link' || isAllowedNotesLink(String(mark.attrs?.href ?? '')),
  );
  return {
    ...node,
    ...(marks ? { marks } : {}),
    ...(node.content ? { content: node.content.map(withSafeLinks) } : {}),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** The notes as one HTML file: every page under its title, the text as the editor shows it. */
export function notesHtml(title: string, pages: NotesPageText[]): string {
  const body = pages
    .map(
      (page) =>
        `<section>\n<h1>${escapeHtml(page.title)}</h1>\n${generateHTML(page.content, extensions)}\n</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(title)}</title>
<style>body{font-family:sans-serif;max-width:48rem;margin:2rem auto;line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #999;padding:.25rem .5rem}pre{background:#f3f3f3;padding:.5rem}ul[data-type=taskList]{list-style:none;padding-left:1rem}ul[data-type=taskList] li{display:flex;gap:.5rem}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/** The notes as Markdown: every page under a first-level heading. */
export function notesMarkdown(pages: NotesPageText[]): string {
  return pages
    .map((page) => `# ${page.title.replace(/\n/g, ' ')}\n\n${markdown.serialize(page.content).trim()}\n`)
    .join('\n');
}
