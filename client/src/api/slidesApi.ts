import type { DeckList, DeckView } from '@protocol';
import { api, apiFile, apiUpload, type ApiFile } from './http';

/** A board the class kept: the class's own, or a breakout group's. */
export interface BoardRow {
  id: string;
  group: string | null;
  label: string | null;
  lessonId: string | null;
  bytes: number;
  updatedAt: string;
}

const base = (classroomId: string) => `/api/classrooms/${encodeURIComponent(classroomId)}`;

export async function uploadSlides(classroomId: string, token: string, file: File): Promise<DeckView> {
  const path = `${base(classroomId)}/slides?name=${encodeURIComponent(file.name)}`;
  return (await apiUpload<{ deck: DeckView }>(path, token, file)).deck;
}

export async function listSlides(classroomId: string, token: string): Promise<DeckView[]> {
  return (await api<DeckList>(`${base(classroomId)}/slides`, { token })).decks;
}

export async function deleteSlides(classroomId: string, token: string, deckId: string): Promise<void> {
  await api(`${base(classroomId)}/slides/${encodeURIComponent(deckId)}`, { method: 'DELETE', token });
}

export function annotatedSlides(classroomId: string, token: string, deckId: string): Promise<ApiFile> {
  return apiFile(`${base(classroomId)}/slides/${encodeURIComponent(deckId)}/annotated.pdf`, token);
}

export async function listBoards(classroomId: string, token: string): Promise<BoardRow[]> {
  return (await api<{ boards: BoardRow[] }>(`${base(classroomId)}/boards`, { token })).boards;
}

export function boardPdf(classroomId: string, token: string, group: string | null): Promise<ApiFile> {
  return apiFile(`${base(classroomId)}/boards/${encodeURIComponent(group ?? 'class')}/board.pdf`, token);
}
