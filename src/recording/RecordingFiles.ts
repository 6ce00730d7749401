import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Where recorded segments are kept. ffmpeg writes a local file; a store
 * decides where that file lives and how it is read and deleted. The
 * directory store keeps them in one directory every node shares (a network
 * mount); a bucket store would upload a closed segment and read it back.
 */
export interface RecordingFiles {
  /** The local path ffmpeg writes a segment to. */
  pathFor(recordingId: string, name: string): string;
  /** The local path a closed segment is read from, if it exists. */
  readable(recordingId: string, name: string): Promise<string | undefined>;
  remove(recordingId: string, name: string): Promise<void>;
  /** Removes a whole recording's files. */
  removeAll(recordingId: string): Promise<void>;
}

const SAFE_NAME = /^[A-Za-z0-9_-]{1,80}(\.webm)?$/;

function checked(name: string): string {
  if (!SAFE_NAME.test(name)) throw new Error(`RecordingFiles() | unsafe file name ${name}`);
  return name;
}

export class DirectoryRecordingFiles implements RecordingFiles {
  constructor(private readonly root: string) {}

  pathFor(recordingId: string, name: string): string {
    return path.join(this.root, checked(recordingId), checked(name));
  }

  async readable(recordingId: string, name: string): Promise<string | undefined> {
    const file = this.pathFor(recordingId, name);
    return fs.stat(file).then(
      (stat) => (stat.isFile() ? file : undefined),
      () => undefined,
    );
  }

  async remove(recordingId: string, name: string): Promise<void> {
    await fs.rm(this.pathFor(recordingId, name), { force: true });
  }

  async removeAll(recordingId: string): Promise<void> {
    await fs.rm(path.join(this.root, checked(recordingId)), { recursive: true, force: true });
  }
}
