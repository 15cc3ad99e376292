import { ApiError, xsrfToken } from './api';

// flow.js's protocol, as Assemblyline's UI speaks it to /api/v4/ui/flowjs/: the file in chunks, each asked
// for first (GET: 200 = already there, 204 = send it), so an upload cut off by a dropped connection resumes
// where it stopped instead of starting again. The last chunk takes the remainder, as flow.js's does.

export const CHUNK_SIZE = 1024 * 1024;
const RETRIES = 5;

export interface UploadProgress {
  sent: number;
  total: number;
}

function chunkFields(file: File, identifier: string, number: number, totalChunks: number, size: number): Record<string, string> {
  return {
    flowChunkNumber: String(number),
    flowChunkSize: String(CHUNK_SIZE),
    flowCurrentChunkSize: String(size),
    flowTotalSize: String(file.size),
    flowIdentifier: identifier,
    flowFilename: file.name,
    flowRelativePath: file.name,
    flowTotalChunks: String(totalChunks),
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function errorOf(response: Response): Promise<ApiError> {
  const body = await response.json().catch(() => null);
  return new ApiError(response.status, body?.api_error_message || `${response.status} ${response.statusText}`);
}

/** Uploads `file` under `identifier` (a UUID); resolves once every chunk is on the server. */
export async function uploadInChunks(file: File, identifier: string, onProgress: (progress: UploadProgress) => void): Promise<void> {
  const totalChunks = Math.max(1, Math.floor(file.size / CHUNK_SIZE));
  let sent = 0;
  for (let number = 1; number <= totalChunks; number++) {
    const start = (number - 1) * CHUNK_SIZE;
    const end = number === totalChunks ? file.size : start + CHUNK_SIZE;
    const fields = chunkFields(file, identifier, number, totalChunks, end - start);
    for (let attempt = 0; ; attempt++) {
      try {
        const check = await fetch(`/api/v4/ui/flowjs/?${new URLSearchParams(fields)}`, { credentials: 'same-origin' });
        if (check.status !== 200) {
          if (check.status !== 204) throw await errorOf(check);
          const form = new FormData();
          for (const [name, value] of Object.entries(fields)) form.append(name, value);
          form.append('file', file.slice(start, end), file.name);
          const response = await fetch('/api/v4/ui/flowjs/', {
            method: 'POST',
            body: form,
            credentials: 'same-origin',
            headers: { 'X-XSRF-TOKEN': xsrfToken() },
          });
          if (!response.ok) throw await errorOf(response);
        }
        break;
      } catch (error) {
        // A refusal (4xx) is final; a dropped connection or a 5xx is tried again, resuming at this chunk.
        const status = error instanceof ApiError ? error.status : 0;
        if ((status >= 400 && status < 500) || attempt >= RETRIES) throw error instanceof ApiError ? error : new ApiError(0, 'The connection dropped');
        await pause(500 * 2 ** attempt);
      }
    }
    sent += end - start;
    onProgress({ sent, total: file.size });
  }
}
