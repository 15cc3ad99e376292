import { createServer } from 'node:net';

/** A loopback port that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

// Linux hands out listening and connecting ports from 32768 up (ip_local_port_range): a port below that range
// that is free now stays free, where one from freePort() may be taken by the next listen(0) of a parallel test.
const BELOW_EPHEMERAL = { from: 20_000, to: 32_767 };

/**
 * A loopback port nothing listens on, for tests of a dependency that is down (a real refused connection). Drawn
 * below the ephemeral range, so no other test's listen(0) or outgoing connection can take it meanwhile.
 */
export async function closedPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = BELOW_EPHEMERAL.from + Math.floor(Math.random() * (BELOW_EPHEMERAL.to - BELOW_EPHEMERAL.from));
    if (await isFree(port)) return port;
  }
  throw new Error(`no free loopback port between ${BELOW_EPHEMERAL.from} and ${BELOW_EPHEMERAL.to}`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Polls `url` until it answers `status` (or the deadline passes, then throws with the last answer). */
export async function waitForStatus(url: string, status: number, timeoutMs = 20_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      const body = await response.text();
      if (response.status === status) return body ? JSON.parse(body) : undefined;
      last = `${response.status} ${body}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms; last: ${last}`);
}
