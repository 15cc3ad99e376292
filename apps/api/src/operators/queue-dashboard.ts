import type { INestApplication } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { NextFunction, Request, Response } from 'express';
import { QUEUES, Queues } from '@hopper/queues';
import { AuthService } from '../auth/auth.service';
import { SESSION_COOKIE } from '../auth/auth.guard';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/**
 * bull-board's BullMQ dashboard under /admin/queues, for administrators logged in to the console (the same
 * session cookie as the API). It is read-only: bull-board's own buttons would write without the XSRF token the
 * API asks for, so retries go through the console's Operators page (POST /api/v4/operations/…/retry/).
 */
export function mountQueueDashboard(app: INestApplication): void {
  const queues = app.get<Queues>(QUEUES);
  const serverAdapter = new ExpressAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: [...queues.values()].map((queue) => new BullMQAdapter(queue, { readOnlyMode: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Hopper queues' } },
  });
  app.use(QUEUE_DASHBOARD_PATH, administratorsOnly(app.get(AuthService)), serverAdapter.getRouter());
}

function administratorsOnly(auth: AuthService) {
  return (request: Request, response: Response, next: NextFunction) => {
    const refuse = (status: number, message: string) => response.status(status).type('text/plain').send(message);
    if (!['GET', 'HEAD'].includes(request.method)) return refuse(405, 'The queue dashboard is read-only');
    const id = (request.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (!id) return refuse(401, 'Log in to the console as an administrator first');
    auth.sessions
      .get(id)
      .then((session) => (session ? auth.bySession(session) : null))
      .then((user) => {
        if (!user) return refuse(401, 'Session expired: log in to the console again');
        if (!user.roles.includes('administration')) return refuse(403, 'The queue dashboard is for administrators');
        next();
      })
      .catch(next);
  };
}
