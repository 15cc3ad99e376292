import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { hashApiKey, newAccount, newApiKeySecret, parseApiKey } from '@hopper/accounts';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE } from '@hopper/config';
import { UserExistsError, UsersRepository } from '@hopper/datastore';

export const ADMIN_UNAME = 'admin';

/**
 * On the first start (no users at all) creates the `admin` user, so a fresh install can be used at once.
 * Its password and API key come from HOPPER_ADMIN_PASSWORD / HOPPER_ADMIN_APIKEY (`name:secret`), or are
 * generated and printed once, here and nowhere else.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdmin.name);

  constructor(
    private readonly users: UsersRepository,
    @Inject(CLASSIFICATION_ENGINE) private readonly classification: ClassificationEngine,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const password = process.env.HOPPER_ADMIN_PASSWORD || newApiKeySecret().slice(0, 20);
    const apikey = parseApiKey(process.env.HOPPER_ADMIN_APIKEY || `bootstrap:${newApiKeySecret()}`);
    if (!apikey) throw new Error('HOPPER_ADMIN_APIKEY must have the form name:secret');
    const admin = await newAccount({
      uname: ADMIN_UNAME,
      name: 'Administrator',
      type: ['admin'],
      // The definition's most restricted marking: the first user sees everything.
      classification: this.classification.RESTRICTED,
      password,
    });
    const now = new Date();
    admin.apikeys = { [apikey.name]: { ...hashApiKey(apikey.secret), roles: [], created: now, expiry_ts: null } };
    try {
      await this.users.create(admin, now);
    } catch (error) {
      if (error instanceof UserExistsError) return; // another API instance bootstrapped first
      throw error;
    }
    const shown = (variable: string, value: string) => (process.env[variable] ? `(from ${variable})` : value);
    this.logger.warn(
      `created the first user "${ADMIN_UNAME}": password ${shown('HOPPER_ADMIN_PASSWORD', password)}, ` +
        `API key ${shown('HOPPER_ADMIN_APIKEY', `${apikey.name}:${apikey.secret}`)} (shown this once)`,
    );
  }
}
