import type { ServiceTask } from '../../contract/service-task';

/**
 * The passwords to try on encrypted entries, in order: the submission's `password` parameter, then the
 * submission's `temp_data.passwords`, then the configured defaults; blanks and repeats left out.
 */
export function candidatePasswords(task: Pick<ServiceTask, 'params' | 'temp_data'>, defaults: readonly string[]): string[] {
  const given = task.params['password'];
  const shared = task.temp_data['passwords'];
  const all = [
    ...(typeof given === 'string' ? [given] : []),
    ...(Array.isArray(shared) ? shared.filter((value): value is string => typeof value === 'string') : []),
    ...defaults,
  ];
  return [...new Set(all.filter((password) => password.length > 0))];
}

/**
 * Which passwords opened entries, so the next encrypted entry tries the one that worked first (an archive
 * nearly always uses one password) and the result can tell analysts what it was.
 */
export class PasswordBook {
  private readonly opened: string[] = [];

  constructor(readonly candidates: readonly string[]) {}

  /** Candidates to try, those that already worked first. */
  ordered(): string[] {
    return [...this.opened, ...this.candidates.filter((password) => !this.opened.includes(password))];
  }

  worked(password: string): void {
    if (!this.opened.includes(password)) this.opened.push(password);
  }

  get used(): readonly string[] {
    return this.opened;
  }
}
