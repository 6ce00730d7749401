import fs from 'node:fs/promises';
import path from 'node:path';
import type { Models } from '../../store/models/index.js';
import { bytesOf } from '../../collab/DocumentStore.js';

/** Where a PDF's bytes are kept; the deck record says which store holds them. */
export interface SlideFiles {
  readonly kind: 'database' | 'directory';
  /** Keeps the bytes; answers how many parts they were written in. */
  put(deckId: string, bytes: Uint8Array): Promise<number>;
  get(deckId: string, chunks: number): Promise<Buffer>;
  delete(deckId: string, chunks: number): Promise<void>;
}

/** 2 MB a part: well below a document's 16 MB, few reads for a 50 MB PDF. */
const CHUNK_BYTES = 2 * 1024 * 1024;

/** In the database, in parts found by `_id`: every node reads them, FerretDB included. */
export class DatabaseSlideFiles implements SlideFiles {
  readonly kind = 'database' as const;

  constructor(private readonly models: Models) {}

  async put(deckId: string, bytes: Uint8Array): Promise<number> {
    const chunks = Math.max(1, Math.ceil(bytes.byteLength / CHUNK_BYTES));
    for (let n = 0; n < chunks; n++) {
      const part = bytes.subarray(n * CHUNK_BYTES, (n + 1) * CHUNK_BYTES);
      await this.models.slideChunks.create({
        _id: `${deckId}:${n}`,
        data: Buffer.from(part.buffer, part.byteOffset, part.byteLength),
      });
    }
    return chunks;
  }

  async get(deckId: string, chunks: number): Promise<Buffer> {
    const parts: Buffer[] = [];
    for (let n = 0; n < chunks; n++) {
      const record = await this.models.slideChunks.findById(`${deckId}:${n}`).lean();
      if (!record) throw new Error(`slide part ${deckId}:${n} is missing`);
      parts.push(Buffer.from(bytesOf(record.data)));
    }
    return Buffer.concat(parts);
  }

  async delete(deckId: string, chunks: number): Promise<void> {
    for (let n = 0; n < chunks; n++) await this.models.slideChunks.deleteOne({ _id: `${deckId}:${n}` });
  }
}

/** Under AULA_DATA_DIR/slides: for one node (several nodes need the database store). */
export class DirectorySlideFiles implements SlideFiles {
  readonly kind = 'directory' as const;

  constructor(private readonly dir: string) {}

  private file(deckId: string): string {
    return path.join(this.dir, `${deckId.replace(/[^A-Za-z0-9_-]/g, '')}.pdf`);
  }

  async put(deckId: string, bytes: Uint8Array): Promise<number> {
    await fs.mkdir(this.dir, { recursive: true });
    await fs.writeFile(this.file(deckId), bytes);
    return 1;
  }

  get(deckId: string): Promise<Buffer> {
    return fs.readFile(this.file(deckId));
  }

  async delete(deckId: string): Promise<void> {
    await fs.rm(this.file(deckId), { force: true });
  }
}
