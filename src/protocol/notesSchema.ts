// What the notes may hold, as Tiptap extensions: one list for the page's
// editor and the server's exports, so an export reads exactly the schema the
// class wrote in. Only nodes and marks here; the page adds the collaboration
// (which brings its own undo, one history per person) and the carets.
import type { AnyExtension } from '@tiptap/core';
import { TaskItem, TaskList } from '@tiptap/extension-list';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';

/** Links may point to the web and to e-mail addresses, nothing else (no `javascript:`). */
export const NOTES_LINK_PROTOCOLS = ['http', 'https', 'mailto'] as const;

export function isAllowedNotesLink(href: string): boolean {
  try {
    const url = new URL(href);
    return NOTES_LINK_PROTOCOLS.some((protocol) => url.protocol === `${protocol}:`);
  } catch {
    return false;
  }
}

/**
 * Headings, lists, checklists, bold/italic, links, a table, code blocks: the notes' whole schema.
 * The page names a checklist's boxes in its own language (tiptap's own names are English).
 */
export function notesExtensions(checkboxLabel?: (text: string) => string): AnyExtension[] {
  return [
    StarterKit.configure({
      // The collaboration brings its own undo (per person); a second history would fight it.
      undoRedo: false,
      heading: { levels: [1, 2, 3] },
      link: {
        openOnClick: false,
        autolink: true,
        defaultProtocol: 'https',
        protocols: [...NOTES_LINK_PROTOCOLS],
        isAllowedUri: (href) => isAllowedNotesLink(href),
      },
    }),
    TaskList,
    TaskItem.configure({
      nested: true,
      ...(checkboxLabel ? { a11y: { checkboxLabel: (node) => checkboxLabel(node.textContent) } } : {}),
    }),
    TableKit.configure({ table: { resizable: false } }),
  ];
}
