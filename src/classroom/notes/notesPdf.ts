import { createRequire } from 'node:module';
import path from 'node:path';
import type { JSONContent } from '@tiptap/core';
import pdfmake from 'pdfmake';
import type { NotesPageText } from './notesMarkup.js';

const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('pdfmake/fonts/Roboto.js')), 'Roboto');
const font = (name: string) => path.join(fontDir, name);

// pdfmake reads only its own fonts and the PDF's standard Courier: never a URL, never another file.
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((file) => file.startsWith(fontDir) || file.startsWith('Courier'));
pdfmake.setFonts({
  Roboto: {
    normal: font('Roboto-Regular.ttf'),
    bold: font('Roboto-Medium.ttf'),
    italics: font('Roboto-Italic.ttf'),
    bolditalics: font('Roboto-MediumItalic.ttf'),
  },
  Courier: {
    normal: 'Courier',
    bold: 'Courier-Bold',
    italics: 'Courier-Oblique',
    bolditalics: 'Courier-BoldOblique',
  },
});

type Block = Record<string, unknown> | string;
const HEADING_SIZES: Record<number, number> = { 1: 18, 2: 15, 3: 13 };

/** A run of text with its marks, as pdfmake's inline text. */
function inline(nodes: JSONContent[] = []): Block[] {
  return nodes.map((node) => {
    if (node.type === 'hardBreak') return '\n';
    const style: Record<string, unknown> = { text: node.text ?? '' };
    const decorations: string[] = [];
    for (const mark of node.marks ?? []) {
      if (mark.type === 'bold') style.bold = true;
      else if (mark.type === 'italic') style.italics = true;
      else if (mark.type === 'code') style.font = 'Courier';
      else if (mark.type === 'strike') decorations.push('lineThrough');
      else if (mark.type === 'underline') decorations.push('underline');
      else if (mark.type === 'link') {
        style.link = String(mark.attrs?.href ?? '');
        style.color = '#1a56db';
      }
    }
    if (decorations.length) style.decoration = decorations[0];
    return style;
  });
}

function blocks(nodes: JSONContent[] = []): Block[] {
  return nodes.map(block);
}

function block(node: JSONContent): Block {
  switch (node.type) {
    case 'heading': {
      const level = Number(node.attrs?.level ?? 1);
      return {
        text: inline(node.content),
        bold: true,
        fontSize: HEADING_SIZES[level] ?? 12,
        margin: [0, 8, 0, 4],
      };
    }
    case 'paragraph':
      return { text: inline(node.content), margin: [0, 0, 0, 6] };
    case 'bulletList':
      return { ul: blocks(node.content), margin: [0, 0, 0, 6] };
    case 'orderedList':
      return { ol: blocks(node.content), start: Number(node.attrs?.start ?? 1), margin: [0, 0, 0, 6] };
    case 'taskList':
      return { ul: blocks(node.content), type: 'none', margin: [0, 0, 0, 6] };
    case 'taskItem':
      return {
        columns: [
          { text: node.attrs?.checked ? '[x]' : '[ ]', font: 'Courier', width: 'auto' },
          { stack: blocks(node.content), width: '*' },
        ],
        columnGap: 6,
      };
    case 'listItem':
    case 'tableCell':
    case 'tableHeader':
      return { stack: blocks(node.content) };
    case 'blockquote':
      return { stack: blocks(node.content), margin: [16, 0, 0, 6], italics: true };
    case 'codeBlock':
      return {
        text: (node.content ?? []).map((text) => text.text ?? '').join(''),
        font: 'Courier',
        fontSize: 9,
        preserveLeadingSpaces: true,
        background: '#eeeeee',
        margin: [0, 0, 0, 6],
      };
    case 'horizontalRule':
      return {
        canvas: [{ type: 'line', x1: 0, y1: 4, x2: 515, y2: 4, lineWidth: 0.5 }],
        margin: [0, 4, 0, 8],
      };
    case 'table':
      return table(node);
    default:
      return { stack: blocks(node.content) };
  }
}

/** A table: every row as wide as the widest (pdfmake wants a full grid), the first row a header when it is one. */
function table(node: JSONContent): Block {
  const rows = (node.content ?? []).map((row) => (row.content ?? []).map(block));
  const width = Math.max(1, ...rows.map((row) => row.length));
  const body = rows.map((row) => [...row, ...Array<Block>(width - row.length).fill('')]);
  const header = node.content?.[0]?.content?.every((cell) => cell.type === 'tableHeader') ? 1 : 0;
  return body.length ? { table: { headerRows: header, body }, margin: [0, 0, 0, 8] } : '';
}

/** The notes as a PDF: every page of notes from a new sheet, under its title. */
export async function notesPdf(title: string, pages: NotesPageText[]): Promise<Buffer> {
  const content = pages.map((page, index) => ({
    stack: [
      { text: page.title, fontSize: 20, bold: true, margin: [0, 0, 0, 10] },
      ...blocks(page.content.content),
    ],
    ...(index > 0 ? { pageBreak: 'before' } : {}),
  }));
  return pdfmake
    .createPdf({ info: { title, creator: 'Aula' }, content, defaultStyle: { font: 'Roboto', fontSize: 11 } })
    .getBuffer();
}
