import { apiFamilyOf } from './api-exception.filter';

describe('apiFamilyOf', () => {
  it.each([
    ['/api/v4/submission/x/', 'assemblyline', null],
    ['/api/v4', 'assemblyline', null],
    ['/api/', 'assemblyline', null],
    ['/api', 'assemblyline', null],
    ['/api/v2/samples', 'threatgrid', 2],
    ['//api/v2/samples', 'threatgrid', 2],
    ['/api/v3/auth/init/', 'threatgrid', 3],
    ['/api/v3', 'threatgrid', 3],
    ['/api/docs', null, null],
    ['/api/v1/x', null, null],
    ['/api/v40/x', null, null],
    ['/apis/v4/x', null, null],
    ['/healthz', null, null],
    ['/', null, null],
  ])('%s is answered by %s', (path, family, version) => {
    expect(apiFamilyOf(path)).toEqual({ family, version });
  });
});
