import { GlobalWorkerOptions, getDocument, type PDFDocumentProxy, type RenderTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

// pdf.js renders the slides in this browser (the server never does), in its
// own worker, with scripting off and eval off: a PDF cannot run code here.
GlobalWorkerOptions.workerSrc = workerUrl;

const loaded = new Map<string, Promise<PDFDocumentProxy>>();

/** A deck's PDF, loaded once per deck for this page (its link may change; its bytes do not). */
export function loadPdf(deckId: string, url: string): Promise<PDFDocumentProxy> {
  let pdf = loaded.get(deckId);
  if (!pdf) {
    pdf = getDocument({
      url,
      isEvalSupported: false,
      enableXfa: false,
      // No fetches beyond the PDF itself: no font or colour-map downloads from elsewhere.
      useSystemFonts: true,
      disableAutoFetch: false,
    }).promise;
    pdf.catch(() => loaded.delete(deckId));
    loaded.set(deckId, pdf);
  }
  return pdf;
}

/** Renders one page into a canvas at its CSS width, sharp on the screen's pixel density. */
export async function renderPage(
  pdf: PDFDocumentProxy,
  pageNumber: number,
  canvas: HTMLCanvasElement,
  cssWidth: number,
): Promise<RenderTask | undefined> {
  const page = await pdf.getPage(pageNumber);
  const base = page.getViewport({ scale: 1 });
  const ratio = window.devicePixelRatio || 1;
  const viewport = page.getViewport({ scale: (cssWidth / base.width) * ratio });
  canvas.width = Math.floor(viewport.width);
  canvas.height = Math.floor(viewport.height);
  canvas.style.width = `${cssWidth}px`;
  canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
  const task = page.render({ canvas, viewport });
  await task.promise.catch((error: unknown) => {
    if ((error as { name?: string }).name !== 'RenderingCancelledException') throw error;
  });
  return task;
}

export function forgetPdf(deckId: string): void {
  void loaded.get(deckId)?.then(
    (pdf) => pdf.destroy(),
    () => undefined,
  );
  loaded.delete(deckId);
}
