import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'chai';
import type { AnyEvent } from '../../lib/events/index.js';
import { queryEvents } from '../../lib/store/event-query.js';
import { encodeCursor, EventLogWriter, toLogRow } from '../../lib/store/index.js';
import { makeBar, tempFolder } from './support/events.js';

describe('queryEvents', () => {
  let temp: ReturnType<typeof tempFolder>;
  let db: Database.Database;
  let events: AnyEvent[];

  before(() => {
    temp = tempFolder();
    const file = join(temp.folder, 'events.sqlite');
    const writer = new EventLogWriter({ file, busyTimeoutMs: 1000 });
    events = [];

    for (let i = 0; i < 20; i++) {
      events.push(makeBar(i, 100 + i, i % 2 === 0 ? 'SPX' : 'NDX'));
    }

    writer.writeBatch(events.map(toLogRow));
    writer.close();
    db = new Database(file, { readonly: true });
  });

  after(() => {
    db.close();
    temp.remove();
  });

  it('filters by instrument and time', () => {
    const page = queryEvents(db, { instrument: 'SPX', from: events[4].time, to: events[10].time, limit: 100 });

    expect(page.events.map((event) => event.id)).to.deep.equal(['csv:SPX:4', 'csv:SPX:6', 'csv:SPX:8', 'csv:SPX:10']);
    expect(page.more).to.equal(false);
  });

  it('filters by type', () => {
    expect(queryEvents(db, { types: ['order'], limit: 10 }).events).to.have.length(0);
    expect(queryEvents(db, { types: ['bar', 'order'], limit: 100 }).events).to.have.length(20);
  });

  it('pages with a cursor', () => {
    const first = queryEvents(db, { limit: 8 });
    const second = queryEvents(db, { limit: 8, cursor: first.nextCursor });
    const third = queryEvents(db, { limit: 8, cursor: second.nextCursor });
    const ids = [...first.events, ...second.events, ...third.events].map((event) => event.id);

    expect(first.more).to.equal(true);
    expect(third.more).to.equal(false);
    expect(ids).to.deep.equal(events.map((event) => event.id));
  });

  it('keeps the cursor on an empty page', () => {
    const cursor = encodeCursor(20);
    const page = queryEvents(db, { limit: 5, cursor });

    expect(page.events).to.have.length(0);
    expect(page.nextCursor).to.equal(cursor);
  });

  it('returns the latest events newest last', () => {
    const page = queryEvents(db, { limit: 3, latest: true });

    expect(page.events.map((event) => event.id)).to.deep.equal(['csv:NDX:17', 'csv:SPX:18', 'csv:NDX:19']);
  });

  it('rejects a bad cursor', () => {
    expect(() => queryEvents(db, { limit: 5, cursor: 'nonsense' })).to.throw(/invalid cursor/);
  });

  it('rejects a bad limit', () => {
    expect(() => queryEvents(db, { limit: 0 })).to.throw(/invalid limit 0/);
  });
});
