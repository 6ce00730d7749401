import * as Y from 'yjs';
import { notesFragment } from '../../src/protocol/index.js';

/** Appends a paragraph to a page of notes, as the editor would write it. */
export function appendParagraph(doc: Y.Doc, pageId: string, text: string, link?: string): void {
  const paragraph = new Y.XmlElement('paragraph');
  const run = new Y.XmlText();
  run.insert(0, text, link ? { link: { href: link } } : {});
  paragraph.insert(0, [run]);
  const fragment = doc.getXmlFragment(notesFragment(pageId));
  fragment.insert(fragment.length, [paragraph]);
}

/** A page's plain text, paragraph by paragraph. */
export function pageParagraphs(doc: Y.Doc, pageId: string): string[] {
  return doc
    .getXmlFragment(notesFragment(pageId))
    .toArray()
    .map((block) => (block instanceof Y.XmlElement ? textOf(block) : ''));
}

function textOf(element: Y.XmlElement): string {
  return element
    .toArray()
    .map((child) =>
      child instanceof Y.XmlText ? child.toString().replace(/<[^>]+>/g, '') : textOf(child as Y.XmlElement),
    )
    .join('');
}
