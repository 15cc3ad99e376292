import type { Readable } from 'node:stream';

/** The file a service task is about. */
export interface TaskFile {
  sha256: string;
  /** Assemblyline file type, e.g. `archive/zip`, `text/plain`. */
  type: string;
  name: string;
  size: number;
}

/** What a service is asked to do: one file of one submission, with the service's resolved parameters. */
export interface ServiceTask {
  sid: string;
  file: TaskFile;
  /** 0 for a submitted file, parent's depth + 1 for an extracted one. */
  depth: number;
  /** The service's parameters: its declared defaults overlaid with the submission's `service_spec[<service>]`. */
  params: Record<string, unknown>;
  /** The submission's temporary data (Assemblyline's `initial_data`), e.g. `passwords`. */
  temp_data: Record<string, unknown>;
  deep_scan: boolean;
}

/** A file a service produced, as a stream the dispatcher stores (hashed, identified, recorded). */
export interface ProducedFile {
  name: string;
  description: string;
  stream: Readable;
}

/** A produced file once stored. */
export interface StoredChild {
  name: string;
  sha256: string;
  description: string;
  type: string;
  size: number;
}

/** What an in-process service works with while it runs. */
export interface ServiceContext {
  readonly task: ServiceTask;
  /** Aborted when the service's time is up or the dispatcher stops: stop reading, return or throw. */
  readonly signal: AbortSignal;
  /** A fresh read stream of the task's file. */
  openFile(): Promise<Readable>;
  /** Stores a file the service extracted (it will be analysed in turn, within the submission's limits). */
  addExtracted(file: ProducedFile): Promise<StoredChild>;
  /** Stores a supplementary file (kept with the result, not analysed). */
  addSupplementary(file: ProducedFile): Promise<StoredChild>;
}
