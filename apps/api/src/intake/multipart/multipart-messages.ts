/**
 * Every refusal a multipart body can get, in one table, by the route family that answers it. The
 * Assemblyline (`submission`) and Threat Grid (`threatGrid`) texts are their clients' and their tests' own:
 * keep them word for word.
 */
export const MULTIPART_MESSAGES = {
  /** Answered by every form: the body itself is broken, or staging a part failed. */
  any: {
    invalidBody: (detail: string) => `Invalid multipart body: ${detail}`,
    uploadFailed: (detail: string) => `Upload failed: ${detail}`,
  },
  /** `POST /api/v4/ingest/` and `POST /api/v4/submit/`: a `json` part and a `bin` file part. */
  submission: {
    notMultipart: 'Invalid content type',
    fieldTooLarge: (name: string, max: number) => `The ${name} part is larger than ${max} bytes`,
    tooManyParts: () => 'Too many parts: expected json and bin',
    unknownPart: (name: string) => `Unknown part "${name}": expected json and bin`,
    onlyOne: (name: string) => `Only one ${name} part is allowed`,
    missingJson: 'Missing data block',
    /** FileTooLargeException's; submit rewrites "Ingestion" to "Submission". */
    fileTooLarge: (size: number, max: number) => `File too large (${size} > ${max}). Ingestion failed`,
  },
  /** `POST /api/v2/samples`: text fields, then the `sample` file part. */
  threatGrid: {
    notMultipart: 'Invalid content type',
    fieldTooLarge: (name: string, max: number) => `The field ${name} is larger than ${max} bytes`,
    tooManyParts: (max: number) => `Too many parts (at most ${max})`,
    unknownFilePart: (name: string) => `Unknown file part "${name}": the file goes in "sample"`,
    onlyOneSample: 'Only one sample part is allowed',
  },
  /** `POST /api/v4/service/<service>/task/<task_id>/result/`: `json` first, then the files. */
  serviceResult: {
    notMultipart: 'Invalid content type',
    fieldTooLarge: (name: string, max: number) => `The ${name} part is larger than ${max} bytes`,
    tooManyParts: () => 'Too many parts: expected json, then extracted and supplementary file parts',
    tooManyFields: () => 'Too many parts: expected json, then extracted and supplementary file parts',
    tooManyFiles: (max: number) => `Too many file parts: this task allows at most ${max}`,
    unknownPart: (name: string) => `Unknown part "${name}": expected json, then extracted and supplementary file parts`,
    needsFilename: (name: string) => `The ${name} part needs a filename`,
    onlyOneJson: 'Only one json part is allowed',
    jsonFirst: 'The json part must come first, before the file parts',
    missingJson: 'Missing the json part: it must come first',
    fileTooLarge: (kind: string, filename: string, size: number, max: number) => `The ${kind} file ${filename} is too large (${size} > ${max} bytes)`,
  },
  /** `POST /api/v4/ui/flowjs/`: the flow.js fields, then the chunk as the `file` part. */
  flowChunk: {
    notMultipart: 'Invalid content type: a flow.js chunk is sent as multipart/form-data',
    fieldTooLarge: (name: string, max: number) => `The ${name} field is larger than ${max} bytes`,
    tooManyParts: (max: number) => `Too many parts: at most ${max}`,
    unknownFilePart: (name: string) => `Unknown file part "${name}": the chunk goes in "file"`,
    onlyOneFile: 'Only one file part is allowed',
    chunkTooLarge: (size: number, max: number) => `The chunk is larger than ${max} bytes (${size} sent)`,
  },
} as const;

/** The refusals the reader itself raises for a form (the form's own rules raise the rest). */
export interface FormMessages {
  notMultipart: string;
  fieldTooLarge(name: string, max: number): string;
  /** busboy's caps, as the form set them (fields and files fall back to the parts' message). */
  tooManyParts(max: number): string;
  tooManyFields?(max: number): string;
  tooManyFiles?(max: number): string;
}
