import * as Y from 'yjs';
import type { DocumentKind } from '../protocol/index.js';
import type { DocumentStore } from './DocumentStore.js';

/**
 * Erases what one user wrote in every shared document: each item created
 * with one of their Yjs clients is deleted (its content gone, as Yjs
 * collects deleted content), and their clients are no longer tied to them.
 * A node serving the document merges the deletion on its next write.
 * Kinds in `keepText` (the notes, which a class wrote together like a paper
 * protocol) keep the text: only the tie between their clients and the user
 * goes. Answers how many documents changed.
 */
export async function eraseAuthor(
  store: Pick<DocumentStore, 'writtenBy' | 'load' | 'put' | 'header'>,
  userKey: string,
  options: { keepText?: readonly DocumentKind[] } = {},
): Promise<number> {
  let changed = 0;
  for (const id of await store.writtenBy(userKey)) {
    const header = await store.header(id);
    if (!header) continue;
    for (let attempt = 0; attempt < 5; attempt++) {
      const stored = await store.load(id);
      if (!stored) break;
      const doc = new Y.Doc();
      Y.applyUpdate(doc, stored.state);
      const clients = [...stored.authors]
        .filter(([, author]) => author === userKey)
        .map(([client]) => client);
      if (!options.keepText?.includes(header.kind))
        doc.transact((transaction) => {
          for (const client of clients) {
            for (const struct of doc.store.clients.get(client) ?? []) {
              if (struct instanceof Y.Item && !struct.deleted) struct.delete(transaction);
            }
          }
        });
      const authors = new Map([...stored.authors].filter(([, author]) => author !== userKey));
      if (await store.put(header, { state: Y.encodeStateAsUpdate(doc), authors }, stored.rev)) {
        changed += 1;
        break;
      }
    }
  }
  return changed;
}
