import * as Y from 'yjs';

type Block = Y.XmlElement | Y.XmlText;

function copies(from: Y.XmlFragment): Block[] {
  return from.toArray().flatMap((child) => (child instanceof Y.XmlHook ? [] : [child.clone()]));
}

/** A page's text becomes a copy of another's (a snapshot's), as one change. */
export function replaceBlocks(target: Y.XmlFragment, source: Y.XmlFragment): void {
  if (target.length) target.delete(0, target.length);
  const blocks = copies(source);
  if (blocks.length) target.insert(0, blocks);
}

/** A group's notes appended to a page of the class's, under a heading with the group's name. */
export function appendUnderHeading(target: Y.XmlFragment, heading: string, source: Y.XmlFragment): void {
  const title = new Y.XmlElement('heading');
  title.setAttribute('level', 2 as unknown as string);
  const text = new Y.XmlText();
  text.insert(0, heading);
  title.insert(0, [text]);
  target.insert(target.length, [title, ...copies(source)]);
}

/** A page emptied (one that a restore leaves out); its text stays in the snapshot taken before. */
export function clearBlocks(target: Y.XmlFragment): void {
  if (target.length) target.delete(0, target.length);
}
