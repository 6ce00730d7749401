// The whiteboard and the slides: who may draw, what the class sees.
import { z } from 'zod';

/** Who may draw on the class's board besides teachers: nobody, everyone, or chosen students. */
export const drawingMode = z.enum(['teachers', 'everyone', 'chosen']);
export type DrawingMode = z.infer<typeof drawingMode>;
