import type { TestProject } from 'vitest/node';
import { startDatabaseServer, type DatabaseServer } from './databaseServer.js';

declare module 'vitest' {
  export interface ProvidedContext {
    mongoUri: string;
  }
}

let server: DatabaseServer | undefined;

/** One MongoDB-protocol server for the run, started by the same launcher `npm start` uses. */
export async function setup(project: TestProject): Promise<void> {
  server = await startDatabaseServer();
  project.provide('mongoUri', server.baseUri);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
