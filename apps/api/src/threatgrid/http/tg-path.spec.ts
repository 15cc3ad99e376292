import type { NextFunction, Request, Response } from 'express';
import { threatGridPaths } from './tg-path';

const rewrite = (url: string): string => {
  const req = { url } as Request;
  threatGridPaths(req, {} as Response, (() => undefined) as NextFunction);
  return req.url;
};

describe('threatGridPaths', () => {
  it('collapses repeated slashes in Threat Grid paths, leading or inside, but not in the query', () => {
    expect(rewrite('//api/v2/samples')).toBe('/api/v2/samples');
    expect(rewrite('/api/v2//samples/abc//state?url=http://x.example//a')).toBe('/api/v2/samples/abc/state?url=http://x.example//a');
  });

  it('reads a query written after "&" (Threat Grid documentation style)', () => {
    expect(rewrite('/api/v2/samples/abc/state&api_key=k')).toBe('/api/v2/samples/abc/state?api_key=k');
    expect(rewrite('/api/v2/samples?api_key=k&limit=1')).toBe('/api/v2/samples?api_key=k&limit=1');
  });

  it('leaves other APIs alone', () => {
    expect(rewrite('/api/v4//submit/')).toBe('/api/v4//submit/');
    expect(rewrite('/healthz')).toBe('/healthz');
  });
});
