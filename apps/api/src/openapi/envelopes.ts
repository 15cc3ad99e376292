import { anyValue, arrayOf, int, object, ref, SchemaObject, str } from './schema-builders';

/** Assemblyline's envelope of every /api/v4 answer, success or error (al-api/al-envelope.ts). */
export const alEnvelope = (apiResponse: SchemaObject): SchemaObject =>
  object({ api_response: apiResponse, api_error_message: str, api_server_version: str, api_status_code: int }, { closed: true });

/** Threat Grid's envelope of a successful answer (threatgrid/http/tg-envelope.ts). */
export const tgEnvelope = (data: SchemaObject): SchemaObject => object({ api_version: int, id: int, data }, { closed: true });

/** The shared envelope schemas, one per API family, registered under these names in `components.schemas`. */
export const ENVELOPE_SCHEMAS: Record<string, SchemaObject> = {
  AlError: {
    ...alEnvelope({ ...anyValue, description: 'null, or the refusal\'s own answer (e.g. `{started: false, sid: null}` of ui/start)' }),
    description: "Assemblyline's error envelope: the message in `api_error_message`, the HTTP status in `api_status_code`.",
  },
  TgError: {
    ...object(
      {
        api_version: int,
        id: int,
        error: object(
          {
            code: int,
            message: str,
            errors: arrayOf(object({ code: int, message: str, help: str, report: str }, { optional: ['help', 'report'] })),
          },
          { closed: true },
        ),
      },
      { closed: true },
    ),
    description: "Threat Grid's error envelope: `error.message`, and each problem in `error.errors[]` (clients read `errors[0]`).",
  },
};

export const AL_ERROR = ref('AlError');
export const TG_ERROR = ref('TgError');
