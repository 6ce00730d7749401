import { describe, expect, it } from 'vitest';
import { CollabServer, HubPage } from '../support/collabHub';
import { CollabProvider } from '@/collab/CollabProvider';

// The page's provider against the server's own hub (see collabHub).

const doc = { kind: 'board' as const, group: null };

const wait = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
};

const strokes = (provider: CollabProvider) => provider.doc.getArray<string>('page/b:1').toArray();

describe('CollabProvider', () => {
  it("sends a page's changes together and applies everyone else's", async () => {
    const server = new CollabServer();
    const teacher = new CollabProvider(new HubPage('t', 'write', server).channel, doc);
    const anna = new CollabProvider(new HubPage('a', 'read', server).channel, doc);
    await teacher.open();
    await anna.open();
    expect([teacher.access, anna.access]).toEqual(['write', 'read']);
    for (let i = 0; i < 5; i++) teacher.doc.getArray<string>('page/b:1').push([`stroke ${i}`]);
    await wait(() => strokes(anna).length === 5);
  });

  it('loses no stroke when the server restarts before writing: both sides send what the other lacks', async () => {
    const server = new CollabServer();
    const teacher = new CollabProvider(new HubPage('t', 'write', server).channel, doc);
    const anna = new CollabProvider(new HubPage('a', 'read', server).channel, doc);
    await teacher.open();
    await anna.open();
    teacher.doc.getArray<string>('page/b:1').push(['before']);
    await wait(() => strokes(anna).length === 1);
    // The server goes before writing anything; the teacher draws while it is away.
    server.store.records.clear();
    server.restart();
    teacher.doc.getArray<string>('page/b:1').push(['while away']);
    await teacher.open();
    await anna.open();
    await wait(() => strokes(anna).length === 2);
    expect(strokes(anna)).toEqual(['before', 'while away']);
  });

  it('tells the page when the server refuses a change for good, once, and when its access changes', async () => {
    const server = new CollabServer();
    const page = new HubPage('a', 'write', server);
    const anna = new CollabProvider(page.channel, doc);
    const refused: string[] = [];
    const diverged: string[] = [];
    const access: string[] = [];
    anna.on('refused', (code) => refused.push(code));
    anna.on('diverged', (code) => diverged.push(code));
    anna.on('access', (value) => access.push(value));
    await anna.open();
    page.access = 'read';
    server.current().refreshAccess();
    await wait(() => access.at(-1) === 'read');
    anna.doc.getArray<string>('page/b:1').push(['not allowed']);
    await wait(() => refused.length === 1);
    expect(refused).toEqual(['PERMISSION_DENIED']);
    expect(diverged).toEqual(['PERMISSION_DENIED']);
    // A refusal the page cannot repair is not sent again and again.
    anna.doc.getArray<string>('page/b:1').push(['still not allowed']);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(refused).toEqual(['PERMISSION_DENIED']);
    expect(diverged).toEqual(['PERMISSION_DENIED']);
  });

  it('takes no final refusal for its own while it changed nothing: a late one belongs to a copy let go of', async () => {
    const server = new CollabServer();
    const page = new HubPage('a', 'write', server);
    const fresh = new CollabProvider(page.channel, doc);
    const told: string[] = [];
    fresh.on('refused', (code) => told.push(code));
    fresh.on('diverged', (code) => told.push(`diverged:${code}`));
    await fresh.open();
    const error = { status: 413, code: 'DOCUMENT_FULL', message: 'full' };
    page.emit('collab:refused', { doc, message: 'collab:sync', error });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(told).toEqual([]);
    fresh.doc.getArray<string>('page/b:1').push(['mine']);
    page.emit('collab:refused', { doc, message: 'collab:sync', error });
    await wait(() => told.length === 2);
    expect(told).toEqual(['DOCUMENT_FULL', 'diverged:DOCUMENT_FULL']);
  });

  it('converges when a change of its was lost on the way: the next one reveals the gap and the page opens again', async () => {
    const server = new CollabServer();
    const teacherPage = new HubPage('t', 'write', server);
    const teacher = new CollabProvider(teacherPage.channel, doc);
    const anna = new CollabProvider(new HubPage('a', 'read', server).channel, doc);
    await teacher.open();
    await anna.open();
    teacherPage.lose = 1;
    teacher.doc.getArray<string>('page/b:1').push(['lost']);
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(strokes(anna)).toEqual([]);
    teacher.doc.getArray<string>('page/b:1').push(['after']);
    await wait(() => strokes(anna).length === 2);
    expect(strokes(anna)).toEqual(['lost', 'after']);
    const held = (await server.current().read(doc)).getArray<string>('page/b:1').toArray();
    expect(held).toEqual(['lost', 'after']);
  });

  it('converges after the rate limit refused a change: it says so, and opens again once the wait is over', async () => {
    const server = new CollabServer();
    const teacherPage = new HubPage('t', 'write', server);
    const teacher = new CollabProvider(teacherPage.channel, doc);
    const anna = new CollabProvider(new HubPage('a', 'read', server).channel, doc);
    const refused: string[] = [];
    teacher.on('refused', (code) => refused.push(code));
    await teacher.open();
    await anna.open();
    teacherPage.limited = 1;
    teacher.doc.getArray<string>('page/b:1').push(['too fast']);
    await wait(() => refused.length === 1);
    expect(refused).toEqual(['RATE_LIMITED']);
    // Nothing else is drawn: the page itself brings the server in step.
    await wait(() => strokes(anna).length === 1);
    expect(strokes(anna)).toEqual(['too fast']);
  });
});
