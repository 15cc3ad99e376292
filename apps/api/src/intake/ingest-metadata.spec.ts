import { buildIngestMetadata, buildSubmitMetadata, cartHeaderMetadata } from './ingest-metadata';

const now = new Date('2026-11-23T12:00:00.000Z');

describe('buildIngestMetadata', () => {
  it('layers request metadata, ingest_id and type, CaRT header, ts, then origin metadata, as strings', () => {
    const metadata = buildIngestMetadata({
      submitted: { source: 'mail', count: 3, 'a.b': 'c' },
      ingestId: 'ID1',
      type: 'AL_CLIENT',
      cart: { 'al.origin': 'lab' },
      extra: { submitted_url: 'http://x/y' },
      now,
    });
    expect(metadata).toEqual({
      source: 'mail',
      count: '3',
      'a.b': 'c',
      ingest_id: 'ID1',
      type: 'AL_CLIENT',
      'al.origin': 'lab',
      ts: '2026-11-23T12:00:00.000Z',
      submitted_url: 'http://x/y',
    });
  });

  it('keeps a ts the submitter gave, and the system ingest_id over a submitted one', () => {
    const metadata = buildIngestMetadata({ submitted: { ts: '2020-01-01', ingest_id: 'mine' }, ingestId: 'ID2', type: 'INGEST', cart: {}, extra: {}, now });
    expect(metadata.ts).toBe('2020-01-01');
    expect(metadata.ingest_id).toBe('ID2');
  });
});

describe('cartHeaderMetadata', () => {
  it('is the header without name and classification, flattened', () => {
    const cart = { header: { name: 'x.exe', classification: 'TLP:A', al: { type: 'x' }, tag: 't' }, footer: {} };
    expect(cartHeaderMetadata(cart)).toEqual({ 'al.type': 'x', tag: 't' });
    expect(cartHeaderMetadata(null)).toEqual({});
  });
});

describe('buildSubmitMetadata', () => {
  it('layers request metadata, origin metadata, then the CaRT header, as strings, with no ingest keys', () => {
    const metadata = buildSubmitMetadata({
      submitted: { source: 'mail', count: 3, submitted_url: 'mine' },
      extra: { submitted_url: 'http://x/y', origin: { lab: 'a' } },
      cart: { source: 'cart' },
    });
    expect(metadata).toEqual({ source: 'cart', count: '3', submitted_url: 'http://x/y', 'origin.lab': 'a' });
  });
});

describe('a NUL the datastore cannot hold', () => {
  it('in a CaRT header value is refused, naming the key, by both builders', () => {
    const cart = cartHeaderMetadata({ header: { name: 'x', origin: { lab: 'a\u0000b' } }, footer: {} });
    const message = 'Invalid metadata value for key "origin.lab": a value may not contain a NUL character';
    expect(() => buildSubmitMetadata({ submitted: {}, extra: {}, cart })).toThrow(message);
    expect(() => buildIngestMetadata({ submitted: {}, ingestId: 'I', type: 'INGEST', cart, extra: {}, now })).toThrow(message);
  });
});
