// The console talks only to Hopper's API, as Assemblyline's UI does: the session cookie set by login, and the
// XSRF-TOKEN cookie's value sent back as X-XSRF-TOKEN on every write.

/** An error answer of the API, in its own words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Raised on window when the API no longer knows the session. */
export const SESSION_ENDED = 'hopper:session-ended';

export function xsrfToken(): string {
  const found = document.cookie.split('; ').find((part) => part.startsWith('XSRF-TOKEN='));
  return found ? decodeURIComponent(found.slice('XSRF-TOKEN='.length)) : '';
}

/** Calls an Assemblyline-style route and answers its `api_response`; throws ApiError with `api_error_message`. */
export async function api<T>(path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  const method = (init.method ?? 'GET').toUpperCase();
  if (method !== 'GET' && method !== 'HEAD') headers.set('X-XSRF-TOKEN', xsrfToken());
  if (typeof init.body === 'string') headers.set('Content-Type', 'application/json');
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers, credentials: 'same-origin' });
  } catch {
    throw new ApiError(0, 'The server cannot be reached');
  }
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    // A session that expired (or was logged out elsewhere) takes the page back to the login form.
    if (response.status === 401 && !path.startsWith('/api/v4/auth/')) dispatchEvent(new Event(SESSION_ENDED));
    const message = body?.api_error_message || body?.message || `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return (body && 'api_response' in body ? body.api_response : body) as T;
}

export const postJson = <T>(path: string, body: unknown) => api<T>(path, { method: 'POST', body: JSON.stringify(body) });

/** The submission list of a user (newest first). */
export interface SubmissionView {
  sid: string;
  state: 'submitted' | 'completed' | 'failed';
  max_score: number;
  classification: string;
  files: { name: string; sha256: string; size: number | null }[];
  times: { submitted: string; completed: string | null };
  params: Record<string, unknown>;
  metadata: Record<string, string>;
  error_count: number;
  errors: string[];
  scan_key: string | null;
}

export interface Page<T> {
  items: T[];
  offset: number;
  rows: number;
  total: number;
}

export interface TreeNode {
  name: string[];
  type: string;
  sha256: string;
  size: number;
  score: number;
  truncated?: boolean;
  children: Record<string, TreeNode>;
}

export interface Whoami {
  username: string;
  name: string;
  roles: string[];
  classification: string;
  is_admin: boolean;
  c12nDef: {
    enforce: boolean;
    original_definition: { levels: { lvl: number; name: string; short_name: string }[] };
    levels_map: Record<string, unknown>;
  };
  configuration: {
    submission: {
      profiles: Record<string, { display_name?: string; description?: string }>;
      metadata: { submit: Record<string, MetadataField> };
      max_file_size: number;
    };
    ui: { allow_url_submissions: boolean };
  };
  settings: { classification?: string; default_zip_password?: string; submission_profiles?: Record<string, unknown> };
}

export interface MetadataField {
  validator_type: string;
  validator_params?: Record<string, unknown>;
  required?: boolean;
  suggestions?: string[];
  default?: unknown;
  aliases?: string[];
}
