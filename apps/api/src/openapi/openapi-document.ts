import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ENVELOPE_SCHEMAS } from './envelopes';
import { AL_SCHEMAS } from './al-schemas';
import { TG_SCHEMAS } from './tg-schemas';

export const OPENAPI_PATH = 'api/docs';

/**
 * The OpenAPI document of every route, with the shared schemas (envelopes, Assemblyline and Threat Grid
 * models) the route decorators refer to by name. Served at /api/docs (JSON at /api/docs/openapi.json);
 * test/openapi.e2e-spec.ts checks real answers against it.
 */
export function openApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Hopper')
      .setDescription(
        'File-intake gateway for malware analysis: Assemblyline v4 (/api/v4, answers in `{api_response, api_error_message, ' +
          'api_server_version, api_status_code}`) and Threat Grid (/api/v2, /api/v3, answers in `{api_version, id, data}`, errors in ' +
          '`{api_version, id, error}`) compatible APIs, and Hopper\'s own health and metrics routes. Assemblyline routes take ' +
          '`X-USER` + `X-APIKEY` headers or a session cookie; Threat Grid routes take `api_key` (query, form or Bearer).',
      )
      .setVersion(process.env.npm_package_version ?? '0.1.0')
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-APIKEY', description: 'With X-USER: the user name' }, 'al-apikey')
      .addApiKey({ type: 'apiKey', in: 'query', name: 'api_key' }, 'tg-api-key')
      .build(),
  );
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ...ENVELOPE_SCHEMAS, ...AL_SCHEMAS, ...TG_SCHEMAS } };
  return document;
}

export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup(OPENAPI_PATH, app, openApiDocument(app), { jsonDocumentUrl: `${OPENAPI_PATH}/openapi.json` });
}
