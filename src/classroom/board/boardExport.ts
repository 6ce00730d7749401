import { LineCapStyle, PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib';
import type * as Y from 'yjs';
import {
  BOARD_PAGE_HEIGHT,
  PAGE_WIDTH,
  pageType,
  readShape,
  shapePath,
  slidePageKey,
  type Shape,
} from '../../protocol/index.js';

/** A blank board page exported as A4 landscape's width, at 16:9. */
const BOARD_PAGE_POINTS = 842;

/** The shapes of one page, as the document holds them (anything unreadable skipped). */
export function pageShapes(doc: Y.Doc, pageKey: string): Shape[] {
  return doc
    .getArray<unknown>(pageType(pageKey))
    .toArray()
    .map((value) =>
      readShape(
        typeof (value as Y.Map<unknown>)?.toJSON === 'function' ? (value as Y.Map<unknown>).toJSON() : value,
      ),
    )
    .filter((shape): shape is Shape => shape !== null);
}

/** The board's blank pages in order: the ones the order lists, then any drawn on without being listed. */
export function boardPages(doc: Y.Doc): string[] {
  const listed = doc
    .getArray<string>('order')
    .toArray()
    .filter((id) => typeof id === 'string');
  const pages = listed.length ? [...new Set(listed)] : ['b:1'];
  for (const name of doc.share.keys()) {
    const key = name.startsWith('page/b:') ? name.slice('page/'.length) : undefined;
    if (key && !pages.includes(key) && doc.getArray(name).length > 0) pages.push(key);
  }
  return pages;
}

function colour(hex: string) {
  const value = Number.parseInt(hex.slice(1), 16);
  return rgb(((value >> 16) & 255) / 255, ((value >> 8) & 255) / 255, (value & 255) / 255);
}

/** Text in the standard font's alphabet (WinAnsi); anything else becomes "?". */
function printable(text: string, font: PDFFont): string {
  return [...text]
    .map((char) => {
      try {
        font.encodeText(char);
        return char;
      } catch {
        return '?';
      }
    })
    .join('');
}

/**
 * Draws shapes on a PDF page as vector paths (text as text), the page's
 * top-left at page units (0, 0), 1000 units across its width.
 */
export function drawShapes(page: PDFPage, shapes: Shape[], font: PDFFont): void {
  const box = page.getCropBox();
  const scale = box.width / PAGE_WIDTH;
  const top = box.y + box.height;
  for (const shape of shapes) {
    if (shape.t === 'text') {
      if (!shape.text || shape.pts.length < 2) continue;
      const size = shape.w * scale;
      page.drawText(printable(shape.text, font), {
        x: box.x + (shape.pts[0]! + (shape.dx ?? 0)) * scale,
        y: top - (shape.pts[1]! + (shape.dy ?? 0)) * scale - size,
        size,
        font,
        color: colour(shape.c),
      });
      continue;
    }
    const path = shapePath(shape);
    if (!path) continue;
    page.drawSvgPath(path.d, {
      x: box.x,
      y: top,
      scale,
      ...(path.fill
        ? { color: colour(shape.c), opacity: path.opacity }
        : {
            borderColor: colour(shape.c),
            borderWidth: shape.w,
            borderOpacity: path.opacity,
            borderLineCap: LineCapStyle.Round,
          }),
    });
  }
}

/** The teacher's slides with everything drawn on each page. */
export async function annotatedSlides(pdfBytes: Uint8Array, deckId: string, doc: Y.Doc): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(pdfBytes, { updateMetadata: false });
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.getPages().forEach((page, index) => {
    const shapes = pageShapes(doc, slidePageKey(deckId, index + 1));
    if (shapes.length) drawShapes(page, shapes, font);
  });
  return pdf.save();
}

/** The board's blank pages, one PDF page each. */
export async function boardPdf(doc: Y.Doc, title: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const height = (BOARD_PAGE_POINTS * BOARD_PAGE_HEIGHT) / PAGE_WIDTH;
  for (const key of boardPages(doc)) {
    const page = pdf.addPage([BOARD_PAGE_POINTS, height]);
    drawShapes(page, pageShapes(doc, key), font);
  }
  return pdf.save();
}
