import { Readable } from 'node:stream';
import { readHead, scanHead } from './read-blob';

const chunks = () => [Buffer.from('abcd'), Buffer.from('efgh'), Buffer.from('ijkl')];

describe('readHead', () => {
  it('answers the first bytes across chunks and destroys the stream', async () => {
    const stream = Readable.from(chunks());
    expect((await readHead(stream, 6)).toString()).toBe('abcdef');
    expect(stream.destroyed).toBe(true);
  });

  it('answers what there is when the stream is shorter', async () => {
    expect((await readHead(Readable.from(chunks()), 100)).toString()).toBe('abcdefghijkl');
  });
});

describe('scanHead', () => {
  it('feeds at most maxBytes', async () => {
    const seen: string[] = [];
    await scanHead(Readable.from(chunks()), 6, (chunk) => (seen.push(chunk.toString()), true));
    expect(seen).toEqual(['abcd', 'ef']);
  });

  it('stops when the consumer has had enough', async () => {
    const seen: string[] = [];
    const stream = Readable.from(chunks());
    await scanHead(stream, 100, (chunk) => (seen.push(chunk.toString()), false));
    expect(seen).toEqual(['abcd']);
    expect(stream.destroyed).toBe(true);
  });
});
