// The wire contract between the classroom page and Aula: requests, events,
// views, error codes and the HTTP bodies the client shares. A leaf: nothing
// here imports the server (only zod), so server domain, signalling and the
// client all import it and nothing else of each other.
export * from './apiSchemas.js';
export * from './board.js';
export * from './captions.js';
export * from './boardShapes.js';
export * from './classroomSchemas.js';
export * from './collab.js';
export * from './e2ee.js';
export * from './errors.js';
export * from './events.js';
export * from './media.js';
export * from './operator.js';
export * from './notes.js';
export * from './recording.js';
export * from './requests.js';
export * from './strokePoints.js';
export * from './studentPermissions.js';
export * from './views.js';
