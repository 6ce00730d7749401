import express, { Router, type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import { annotatedSlides, boardPdf } from '../classroom/board/boardExport.js';
import { readBoard } from '../classroom/board/boardDocuments.js';
import type { ClassroomServices } from '../classroom/createClassroomServices.js';
import { MAX_PDF_BYTES } from '../classroom/slides/pdfCheck.js';
import type { DeckList } from '../protocol/index.js';
import { asyncRoute } from '../shared/asyncRoute.js';
import { AppError } from '../shared/errors.js';
import { claimsOf, requireJoinToken, requireTeacherOf } from './authentication.js';

const fileName = z.string().trim().min(1).max(200).catch('slides.pdf');
const groupParam = z.string().min(1).max(128);

/** A download's file name: letters, digits and a few marks, nothing a header could misread. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._ -]+/g, '_').slice(0, 120) || 'download';
}

/** An upload over 50 MB, as body-parser reports it, is the PDF's own refusal. */
const tooLarge: ErrorRequestHandler = (error, _req, _res, next) => {
  const status = (error as { status?: number }).status;
  next(status === 413 ? new AppError(413, 'PDF_TOO_LARGE', 'The PDF is larger than 50 MB') : error);
};

/**
 * Slides and board exports over HTTP: teachers upload, list and delete a
 * classroom's PDFs and download them annotated, and the board's pages as a
 * PDF; the classroom's pages read a PDF through the short-lived signed link
 * they were given (pdf.js fetches it, so the link carries the permission).
 */
export function slideRoutes(services: ClassroomServices): Router {
  const router = Router();
  const teacher = [requireJoinToken(services.tokens), requireTeacherOf()];
  const { slides } = services;

  router.post(
    '/api/classrooms/:id/slides',
    teacher,
    express.raw({ type: () => true, limit: MAX_PDF_BYTES }),
    tooLarge,
    asyncRoute(async (req, res) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const deck = await slides.upload(
        req.params.id!,
        fileName.parse(req.query.name),
        body,
        claimsOf(res).sub,
      );
      res.status(201).json({ deck: slides.view(deck) });
    }),
  );

  router.get(
    '/api/classrooms/:id/slides',
    teacher,
    asyncRoute(async (req, res) => {
      const list: DeckList = { decks: (await slides.list(req.params.id!)).map((deck) => slides.view(deck)) };
      res.json(list);
    }),
  );

  router.delete(
    '/api/classrooms/:id/slides/:deckId',
    teacher,
    asyncRoute(async (req, res) => {
      await slides.delete(req.params.id!, req.params.deckId!);
      const room = await services.rooms.peek(req.params.id!);
      await room?.board.deckDeleted(req.params.deckId!);
      res.status(204).end();
    }),
  );

  router.get(
    '/api/slides/:deckId.pdf',
    asyncRoute(async (req, res) => {
      const { deck, bytes } = await slides.open(req.params.deckId!, req.query.e, req.query.s);
      res
        .type('application/pdf')
        .setHeader('Cache-Control', 'private, max-age=600')
        .setHeader('Content-Disposition', `inline; filename="${safeName(deck.name)}"`)
        .send(bytes);
    }),
  );

  router.get(
    '/api/classrooms/:id/slides/:deckId/annotated.pdf',
    teacher,
    asyncRoute(async (req, res) => {
      const deck = await slides.get(req.params.id!, req.params.deckId!);
      const board = await readBoard(services, req.params.id!, null);
      const pdf = await annotatedSlides(await slides.bytes(deck), deck._id, board);
      res
        .type('application/pdf')
        .attachment(safeName(deck.name.replace(/\.pdf$/i, '') + '-annotated.pdf'))
        .send(Buffer.from(pdf));
    }),
  );

  router.get(
    '/api/classrooms/:id/boards',
    teacher,
    asyncRoute(async (req, res) => {
      res.json({ boards: await services.documents.list(req.params.id!) });
    }),
  );

  router.get(
    '/api/classrooms/:id/boards/:group/board.pdf',
    teacher,
    asyncRoute(async (req, res) => {
      const raw = groupParam.parse(req.params.group);
      const group = raw === 'class' ? null : raw;
      const board = await readBoard(services, req.params.id!, group);
      const pdf = await boardPdf(board, 'Aula board');
      res
        .type('application/pdf')
        .attachment(`board-${group ?? 'class'}.pdf`)
        .send(Buffer.from(pdf));
    }),
  );
  return router;
}
