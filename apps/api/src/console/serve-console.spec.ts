import { CONSOLE_ROUTES } from './serve-console';

describe('CONSOLE_ROUTES: the page loads answered with the console', () => {
  it.each(['/', '/login', '/submit', '/submissions', '/submissions/', '/submissions/6YZg1zvyuebKZVFE6lMRWn', '/operators'])('serves %s', (path) => {
    expect(CONSOLE_ROUTES.test(path)).toBe(true);
  });

  it.each(['/api', '/api/', '/api/v4/submission/x/', '/api/docs', '/healthz', '/readyz', '/metrics', '/admin/queues', '/assets/x.js', '/submissions/a/b/c', '/loginx'])(
    'leaves %s to the server',
    (path) => {
      expect(CONSOLE_ROUTES.test(path)).toBe(false);
    },
  );
});
