// The part of pdfmake 0.3 (server build) that Aula uses; the package ships no types.
declare module 'pdfmake' {
  type Content = unknown;
  interface FontFaces {
    normal: string;
    bold: string;
    italics: string;
    bolditalics: string;
  }
  interface PdfMake {
    setFonts(fonts: Record<string, FontFaces>): void;
    setUrlAccessPolicy(allowed: (url: string) => boolean): void;
    setLocalAccessPolicy(allowed: (path: string) => boolean): void;
    createPdf(definition: {
      info?: Record<string, string>;
      content: Content[];
      styles?: unknown;
      defaultStyle?: unknown;
      pageMargins?: number[];
    }): {
      getBuffer(): Promise<Buffer>;
    };
  }
  const pdfmake: PdfMake;
  export default pdfmake;
}
