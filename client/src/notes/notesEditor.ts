import type { AnyExtension } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { NOTES_MAX_PASTE_CHARS } from '@protocol';
// By path, not through @protocol: the schema brings tiptap, which only the notes' own chunk should load.
import { notesExtensions } from '../../../src/protocol/notesSchema';
import type { CollabProvider } from '@/collab/CollabProvider';

export { isAllowedNotesLink } from '../../../src/protocol/notesSchema';

const CARET_COLOURS = [
  '#1f6feb',
  '#d63384',
  '#2f9e44',
  '#e8590c',
  '#7048e8',
  '#0c8599',
  '#c92a2a',
  '#5c940d',
];

/** A caret colour of our own, the same for this page's Yjs client every time. */
export function caretColour(clientId: number): string {
  return CARET_COLOURS[clientId % CARET_COLOURS.length]!;
}

/**
 * The editor's extensions for one page of notes: the notes' schema (the same
 * the server exports with), the page's fragment of the shared document with
 * its own undo (one history per person: only our changes are undone), and
 * everyone's carets with the names the server puts on them.
 */
export function notesEditorExtensions(
  provider: CollabProvider,
  field: string,
  name: string,
  checkboxLabel: (text: string) => string,
): AnyExtension[] {
  return [
    ...notesExtensions(checkboxLabel),
    Collaboration.configure({ document: provider.doc, field }),
    CollaborationCaret.configure({
      provider,
      user: { name, color: caretColour(provider.doc.clientID) },
    }),
  ];
}

/** Whether a paste is larger than the notes take at once (it is refused before it reaches the document). */
export function pasteTooLarge(event: ClipboardEvent): boolean {
  const data = event.clipboardData;
  if (!data) return false;
  return (
    Math.max(data.getData('text/html').length, data.getData('text/plain').length) > NOTES_MAX_PASTE_CHARS
  );
}
