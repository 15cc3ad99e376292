import { INestApplication } from '@nestjs/common';
import { resolve } from 'node:path';
import request from 'supertest';
import { UsersRepository } from '@hopper/datastore';
import { hashApiKey } from '@hopper/accounts';
import { createApi } from '../apps/api/src/create-api';
import { isolatedConfig, uniqueId } from './support/test-env';

const source = (name: string, classification?: string) => ({
  name,
  url: `https://secret.example/${name}/{INPUT}`,
  headers: { Authorization: 'Bearer do-not-leak' },
  hash_types: ['sha256', 'md5'],
  ...(classification ? { classification } : {}),
});

describe('GET /api/v4/ingest/sources/', () => {
  let app: INestApplication;
  let users: UsersRepository;

  beforeAll(async () => {
    app = await createApi(
      isolatedConfig('sources', {
        // An enforcing definition, so that source visibility depends on clearance.
        classification: resolve(__dirname, '..', 'libs', 'classification', 'test-data', 'scheme-a.yml'),
        submission: { file_sources: [source('open'), source('level1', 'L1'), source('level2', 'L2')] },
      }),
    );
    await app.init();
    users = app.get(UsersRepository);
  });

  afterAll(async () => {
    await users.model.db.dropDatabase();
    await app.close();
  });

  async function userWithClearance(classification: string, type = ['user']): Promise<string> {
    const uname = uniqueId('src');
    await users.create(
      {
        uname, name: uname, email: null, type, roles: [], groups: [], classification, is_active: true, password: null,
        apikeys: { k: { ...hashApiKey('secret'), roles: [], created: new Date(), expiry_ts: null } },
        submission_quota: null, submission_daily_quota: null, submission_settings: {},
      },
      new Date(),
    );
    return uname;
  }

  const list = (uname: string) =>
    request(app.getHttpServer()).get('/api/v4/ingest/sources/').set('X-USER', uname).set('X-APIKEY', 'k:secret');

  it('lists only the sources the caller is cleared for, in configuration order', async () => {
    const low = await list(await userWithClearance('L0')).expect(200);
    expect(low.body.api_response.map((s: { name: string }) => s.name)).toEqual(['open']);
    const mid = await list(await userWithClearance('L1')).expect(200);
    expect(mid.body.api_response.map((s: { name: string }) => s.name)).toEqual(['open', 'level1']);
    const high = await list(await userWithClearance('L2')).expect(200);
    expect(high.body.api_response.map((s: { name: string }) => s.name)).toEqual(['open', 'level1', 'level2']);
  });

  it('describes each source without its URL or headers', async () => {
    const response = await list(await userWithClearance('L2')).expect(200);
    expect(response.body.api_response[1]).toEqual({
      name: 'level1',
      hash_types: ['sha256', 'md5'],
      hash_patterns: null,
      classification: 'L1',
      auto_select: false,
      download_from_url: true,
      select_services: [],
    });
    expect(JSON.stringify(response.body)).not.toMatch(/secret\.example|do-not-leak/);
  });

  it('needs the submission_create role', async () => {
    const viewer = await userWithClearance('L2', ['viewer']);
    const response = await list(viewer).expect(403);
    expect(response.body.api_error_message).toContain("'submission_create'");
  });
});
