import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

/** Debian's chromium, which `scripts/services.sh browser` installs; HOPPER_CHROMIUM points elsewhere. */
export const CHROMIUM_PATH = process.env.HOPPER_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless Chromium for the console's browser tests. A missing browser fails the test with what to do (the
 * tests are never skipped): `npm test` installs it through `scripts/services.sh browser`.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM_PATH}: the console's browser tests need it. Install it with ` +
        '`scripts/services.sh browser` (Debian\'s chromium package, via apt-get), or set HOPPER_CHROMIUM to a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true });
}
