import { INestApplication } from '@nestjs/common';
import { Test, TestingModuleBuilder } from '@nestjs/testing';
import { AccountRequest, newAccount, newApiKey } from '@hopper/accounts';
import { HopperConfig } from '@hopper/config';
import { UsersRepository } from '@hopper/datastore';
import { ApiModule } from '../../apps/api/src/api.module';
import { API_APP_OPTIONS, configureApi } from '../../apps/api/src/create-api';
import { uniqueId } from './test-env';

/** The API application on `config`, initialised (not listening: use `app.getHttpServer()` with supertest). */
export async function startApi(
  config: HopperConfig,
  controllers: Array<new (...args: never[]) => unknown> = [],
  /** Replaces providers before the module compiles (e.g. the clock). */
  override: (builder: TestingModuleBuilder) => TestingModuleBuilder = (builder) => builder,
): Promise<INestApplication> {
  const moduleRef = await override(Test.createTestingModule({ imports: [ApiModule.forRoot(config)], controllers })).compile();
  const app = moduleRef.createNestApplication(API_APP_OPTIONS);
  configureApi(app);
  await app.init();
  return app;
}

export interface TestUser {
  uname: string;
  apikey: string;
  /** `X-USER` + `X-APIKEY`: authenticates any call without a session. */
  headers: Record<string, string>;
}

/** A new active user with one API key; `overrides` set any account field (roles, classification, quotas…). */
export async function addUserWithKey(
  app: INestApplication,
  account: Partial<AccountRequest> & Record<string, unknown> = {},
): Promise<TestUser> {
  return addUserTo(app.get(UsersRepository), account);
}

/** The same, written through `users` directly: for a deployment of spawned processes the test reaches only by its database. */
export async function addUserTo(users: UsersRepository, account: Partial<AccountRequest> & Record<string, unknown> = {}): Promise<TestUser> {
  const uname = (account.uname as string | undefined) ?? uniqueId('user');
  const { password, ...rest } = account;
  const record = await newAccount({ uname, classification: 'TLP:C', type: ['user'], password: password ?? null, ...(rest as Partial<AccountRequest>) });
  await users.create({ ...record, ...(rest as object), uname, password: record.password }, new Date());
  const key = newApiKey('testkey');
  await users.setApiKey(uname, 'testkey', key.record);
  return { uname, apikey: key.apikey, headers: { 'x-user': uname, 'x-apikey': key.apikey } };
}
