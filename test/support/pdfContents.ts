import zlib from 'node:zlib';
import { PDFDocument, PDFRawStream } from 'pdf-lib';

/** Every content stream of a PDF's pages, inflated, as text: to find what was drawn on each page. */
export async function pageContents(bytes: Uint8Array): Promise<string[]> {
  const pdf = await PDFDocument.load(bytes);
  return pdf.getPages().map((page) => {
    const contents = page.node.Contents();
    const streams = contents && 'asArray' in contents ? contents.asArray() : [contents];
    return streams
      .map((ref) => pdf.context.lookup(ref as never))
      .map((stream) => {
        if (!(stream instanceof PDFRawStream)) return '';
        const raw = Buffer.from(stream.contents);
        return stream.dict.toString().includes('FlateDecode')
          ? zlib.inflateSync(raw).toString('latin1')
          : raw.toString('latin1');
      })
      .join('\n');
  });
}
