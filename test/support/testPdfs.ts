import { PDFDocument, PDFHexString, PDFName, PDFString, StandardFonts, rgb } from 'pdf-lib';

/** Test PDFs, made at test time with pdf-lib (the unusual ones with its low-level API). */

/** Slides: each page says its number in large type. */
export async function slidesPdf(pages: number, size: [number, number] = [960, 540]): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let n = 1; n <= pages; n++) {
    const page = pdf.addPage(size);
    page.drawText(`Slide ${n}`, { x: 60, y: size[1] - 140, size: 72, font, color: rgb(0.1, 0.2, 0.5) });
  }
  return pdf.save();
}

/** A PDF whose trailer names an encryption dictionary, as a password-protected one does. */
export async function encryptedPdf(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([600, 400]);
  const context = pdf.context;
  const encrypt = context.obj({
    Filter: 'Standard',
    V: 1,
    R: 2,
    O: PDFHexString.of('0'.repeat(64)),
    U: PDFHexString.of('0'.repeat(64)),
    P: -44,
  });
  context.trailerInfo.Encrypt = context.register(encrypt);
  return pdf.save({ useObjectStreams: false });
}

/** A PDF that runs JavaScript when opened (an OpenAction), hidden in an annotation's action for `where: 'annotation'`. */
export async function scriptedPdf(where: 'open' | 'annotation' = 'open'): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const page = pdf.addPage([600, 400]);
  const context = pdf.context;
  const action = context.obj({ S: 'JavaScript', JS: PDFString.of('app.alert("hello")') });
  if (where === 'open') {
    pdf.catalog.set(PDFName.of('OpenAction'), context.register(action));
  } else {
    const link = context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [0, 0, 100, 100], A: action });
    page.node.set(PDFName.of('Annots'), context.obj([context.register(link)]));
  }
  return pdf.save();
}

/** A PDF carrying a file inside it. */
export async function pdfWithEmbeddedFile(): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.addPage([600, 400]);
  await pdf.attach(new TextEncoder().encode('secret notes'), 'notes.txt', { mimeType: 'text/plain' });
  return pdf.save();
}

/** The first half of a real PDF, then noise: no cross-reference, no page tree. */
export async function brokenPdf(): Promise<Uint8Array> {
  const whole = await slidesPdf(3);
  const half = whole.slice(0, 40);
  const noise = new TextEncoder().encode(
    '\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\nendobj\ntrailer << >>\n%%EOF',
  );
  return new Uint8Array([...half, ...noise]);
}
