import type { RecordingManifest, RecordingSummary } from '@protocol';
import { api } from './http';

/** The lesson history's recordings; every call carries the join token. */

const recordingsPath = (classroomId: string) =>
  `/api/classrooms/${encodeURIComponent(classroomId)}/recordings`;

export async function getRecordings(classroomId: string, token: string): Promise<RecordingSummary[]> {
  return (await api<{ recordings: RecordingSummary[] }>(recordingsPath(classroomId), { token })).recordings;
}

export function getRecordingManifest(
  classroomId: string,
  token: string,
  recordingId: string,
): Promise<RecordingManifest> {
  return api<RecordingManifest>(`${recordingsPath(classroomId)}/${encodeURIComponent(recordingId)}`, {
    token,
  });
}

export async function publishRecording(
  classroomId: string,
  token: string,
  recordingId: string,
  change: { published: boolean; downloadable?: boolean },
): Promise<RecordingSummary> {
  const path = `${recordingsPath(classroomId)}/${encodeURIComponent(recordingId)}/publish`;
  return (await api<{ recording: RecordingSummary }>(path, { method: 'POST', body: change, token }))
    .recording;
}
