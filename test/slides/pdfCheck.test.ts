import { describe, expect, it } from 'vitest';
import { checkPdf } from '../../src/classroom/slides/pdfCheck.js';
import { brokenPdf, encryptedPdf, pdfWithEmbeddedFile, scriptedPdf, slidesPdf } from '../support/testPdfs.js';

// What the server checks in a teacher's PDF, without rendering it.

describe('checkPdf', () => {
  it('answers the page count and each page size of good slides', async () => {
    expect(await checkPdf(await slidesPdf(3, [800, 600]))).toEqual({
      pages: 3,
      sizes: [
        [800, 600],
        [800, 600],
        [800, 600],
      ],
    });
  });

  it.each([
    ['a text file', async () => new TextEncoder().encode('Just some notes, not a PDF at all.'), 'NOT_A_PDF'],
    ['an encrypted PDF', encryptedPdf, 'PDF_ENCRYPTED'],
    ['a broken PDF', brokenPdf, 'PDF_BROKEN'],
    ['a PDF that runs JavaScript when opened', () => scriptedPdf('open'), 'PDF_SCRIPTED'],
    ['a PDF with JavaScript in a link', () => scriptedPdf('annotation'), 'PDF_SCRIPTED'],
    ['a PDF with an embedded file', pdfWithEmbeddedFile, 'PDF_EMBEDDED_FILES'],
    ['a PDF of 301 pages', () => slidesPdf(301, [100, 100]), 'PDF_TOO_MANY_PAGES'],
  ])('refuses %s', async (_what, make, code) => {
    await expect(checkPdf(await make())).rejects.toMatchObject({ code });
  });

  it('refuses more than 50 MB before reading it', async () => {
    const big = new Uint8Array(50 * 1024 * 1024 + 1);
    big.set(new TextEncoder().encode('%PDF-1.7'));
    await expect(checkPdf(big)).rejects.toMatchObject({ code: 'PDF_TOO_LARGE', status: 413 });
  });
});
