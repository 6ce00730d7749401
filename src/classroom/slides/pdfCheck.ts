import {
  EncryptedPDFError,
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFName,
  PDFStream,
  type PDFObject,
} from 'pdf-lib';
import { AppError } from '../../shared/errors.js';

/** The limits a teacher's slides must keep. */
export const MAX_PDF_BYTES = 50 * 1024 * 1024;
export const MAX_PDF_PAGES = 300;

/** A page's size in PDF points, as shown (rotation applied). */
export type PageSize = [width: number, height: number];

export interface CheckedPdf {
  pages: number;
  sizes: PageSize[];
}

/** Keys that carry scripts: JavaScript actions, document-level scripts, XFA forms. */
const SCRIPT_KEYS = new Set(['JS', 'JavaScript', 'XFA']);
/** Keys that carry files inside the PDF. */
const FILE_KEYS = new Set(['EmbeddedFiles', 'EF']);
const MAX_DEPTH = 40;

function refuse(
  status: number,
  code:
    | 'NOT_A_PDF'
    | 'PDF_TOO_LARGE'
    | 'PDF_TOO_MANY_PAGES'
    | 'PDF_ENCRYPTED'
    | 'PDF_BROKEN'
    | 'PDF_SCRIPTED'
    | 'PDF_EMBEDDED_FILES',
  message: string,
): AppError {
  return new AppError(status, code, message);
}

/** `%PDF-` within the first kilobyte, as readers accept it. */
function hasPdfHeader(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024)).toString(
    'latin1',
  );
  return head.includes('%PDF-');
}

/** What a dictionary (or a stream's dictionary) says about scripts and files; recursing into direct values. */
function inspect(object: PDFObject | undefined, depth: number): 'script' | 'file' | undefined {
  if (!object || depth > MAX_DEPTH) return undefined;
  if (object instanceof PDFStream) return inspect(object.dict, depth + 1);
  if (object instanceof PDFArray) {
    for (const item of object.asArray()) {
      const found = inspect(item, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  if (!(object instanceof PDFDict)) return undefined;
  for (const [key, value] of object.entries()) {
    const name = key.decodeText();
    if (SCRIPT_KEYS.has(name)) return 'script';
    if (FILE_KEYS.has(name)) return 'file';
    if (value instanceof PDFName) {
      const text = value.decodeText();
      if (name === 'S' && text === 'JavaScript') return 'script';
      if ((name === 'Type' && text === 'EmbeddedFile') || (name === 'Subtype' && text === 'FileAttachment')) {
        return 'file';
      }
    }
    const found = inspect(value, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Checks an uploaded PDF without rendering it: the header, the size, that it
 * parses (pdf-lib), is not encrypted, has 1–300 pages, and carries neither
 * JavaScript (actions, document scripts, XFA) nor embedded files, in any of
 * its objects. Answers its page count and page sizes; refuses with a typed
 * error the page translates.
 */
export async function checkPdf(bytes: Uint8Array): Promise<CheckedPdf> {
  if (bytes.byteLength > MAX_PDF_BYTES) throw refuse(413, 'PDF_TOO_LARGE', 'The PDF is larger than 50 MB');
  if (!hasPdfHeader(bytes)) throw refuse(415, 'NOT_A_PDF', 'The file is not a PDF');
  let pdf: PDFDocument;
  try {
    pdf = await PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: false });
  } catch (error) {
    // pdf-lib's ES5 error classes come back as plain Errors: its message says it.
    if (error instanceof EncryptedPDFError || /is encrypted/.test((error as Error)?.message ?? ''))
      throw refuse(422, 'PDF_ENCRYPTED', 'The PDF is encrypted');
    throw refuse(422, 'PDF_BROKEN', 'The PDF could not be read');
  }
  if (pdf.isEncrypted) throw refuse(422, 'PDF_ENCRYPTED', 'The PDF is encrypted');
  let pages: ReturnType<PDFDocument['getPages']>;
  try {
    pages = pdf.getPages();
  } catch {
    throw refuse(422, 'PDF_BROKEN', 'The PDF has no readable page tree');
  }
  if (pages.length === 0) throw refuse(422, 'PDF_BROKEN', 'The PDF has no pages');
  if (pages.length > MAX_PDF_PAGES) {
    throw refuse(
      422,
      'PDF_TOO_MANY_PAGES',
      `The PDF has ${pages.length} pages, at most ${MAX_PDF_PAGES} are allowed`,
    );
  }
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    const found = inspect(object, 0);
    if (found === 'script') throw refuse(422, 'PDF_SCRIPTED', 'The PDF contains JavaScript');
    if (found === 'file') throw refuse(422, 'PDF_EMBEDDED_FILES', 'The PDF contains embedded files');
  }
  const sizes = pages.map((page): PageSize => {
    const { width, height } = page.getSize();
    const turned = Math.abs(page.getRotation().angle % 180) === 90;
    return turned ? [round(height), round(width)] : [round(width), round(height)];
  });
  return { pages: pages.length, sizes };
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
