import type { NotesExportFormat, NotesSnapshotView } from '@protocol';
import { api, apiFile, type ApiFile } from '@/api/http';

/** The class's notes as they are now, as a file. */
export function getNotesExport(
  classroomId: string,
  token: string,
  format: NotesExportFormat,
): Promise<ApiFile> {
  return apiFile(`/api/classrooms/${classroomId}/notes/export.${format}`, token);
}

/** A snapshot of the history as a file (teachers). */
export function getSnapshotExport(
  classroomId: string,
  token: string,
  snapshotId: string,
  format: NotesExportFormat,
): Promise<ApiFile> {
  return apiFile(
    `/api/classrooms/${classroomId}/notes/snapshots/${encodeURIComponent(snapshotId)}/export.${format}`,
    token,
  );
}

/** The class's snapshots, newest first (teachers). */
export async function listNotesSnapshots(classroomId: string, token: string): Promise<NotesSnapshotView[]> {
  return (
    await api<{ snapshots: NotesSnapshotView[] }>(`/api/classrooms/${classroomId}/notes/snapshots`, { token })
  ).snapshots;
}
