import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { hashApiKey, newAccount, newApiKeySecret, parseApiKey } from '@hopper/accounts';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { UserExistsError, UsersRepository } from '@hopper/datastore';

export const ADMIN_UNAME = 'admin';

/**
 * On the first start (no users at all) creates the `admin` user, so a fresh install can be used at once.
 * Its password and API key come from HOPPER_ADMIN_PASSWORD / HOPPER_ADMIN_APIKEY (`name:secret`); whatever
 * they do not give is generated and written to `api.admin_credentials_file` (mode 0600). The log only says
 * where: log lines travel to places (shippers, tickets) that a secret must not.
 */
@Injectable()
export class BootstrapAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapAdmin.name);

  constructor(
    private readonly users: UsersRepository,
    @Inject(CLASSIFICATION_ENGINE) private readonly classification: ClassificationEngine,
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
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
    const generated: string[] = [];
    if (!process.env.HOPPER_ADMIN_PASSWORD) generated.push(`password: ${password}`);
    if (!process.env.HOPPER_ADMIN_APIKEY) generated.push(`apikey: ${apikey.name}:${apikey.secret}`);
    if (generated.length === 0) {
      this.logger.warn(`created the first user "${ADMIN_UNAME}" with the password and API key of HOPPER_ADMIN_PASSWORD / HOPPER_ADMIN_APIKEY`);
      return;
    }
    await this.writeCredentials([`user: ${ADMIN_UNAME}`, ...generated]);
  }

  private async writeCredentials(lines: string[]): Promise<void> {
    const file = resolve(this.config.api.admin_credentials_file);
    try {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
      await writeFile(file, `${lines.join('\n')}\n`, { mode: 0o600 });
      this.logger.warn(`created the first user "${ADMIN_UNAME}": its generated credentials are in ${file} (readable by its owner only); store them and delete the file`);
    } catch (error) {
      this.logger.error(
        `created the first user "${ADMIN_UNAME}" but could not write its credentials to ${file} (${(error as Error).message}); ` +
          `give it a new API key with \`hopper user key ${ADMIN_UNAME} <keyname>\``,
      );
    }
  }
}
