import type { ThreatGridConfig } from '@hopper/config';
import type { TgErrorDetail } from '../http/tg-envelope';
import type { TgFields } from '../http/tg-fields';

/** What a Threat Grid submission asks for, validated. */
export interface TgSubmitOptions {
  tags: string[];
  private: boolean;
  vm: string;
  playbook: string | null;
  network_exit: string | null;
  sample_password: string | null;
  classify: boolean;
  /** The display name (`sample_filename`, as real Threat Grid honours it, or `filename`). */
  filename: string | null;
  url: string | null;
}

const MAX_TAGS = 64;
const MAX_TAG_LENGTH = 128;
const MAX_TEXT = 1024;
const TRUE = /^(true|1|yes|on)$/i;
const FALSE = /^(false|0|no|off|)$/i;

/**
 * Reads the options of `POST /api/v2/samples` as clients send them: `tags` repeated or joined with "," or ", ",
 * booleans in any case, and vm / playbook / network_exit checked against the configured lists. Every
 * problem is reported at once.
 */
export function readSubmitOptions(fields: TgFields, config: ThreatGridConfig): { options: TgSubmitOptions; problems: TgErrorDetail[] } {
  const problems: TgErrorDetail[] = [];
  const problem = (message: string) => problems.push({ code: 400, message });

  const tags = [...new Set(fields.all('tags').flatMap((value) => value.split(',')).map((tag) => tag.trim()).filter(Boolean))];
  if (tags.length > MAX_TAGS) problem(`At most ${MAX_TAGS} tags are allowed (got ${tags.length}).`);
  const longTag = tags.find((tag) => tag.length > MAX_TAG_LENGTH);
  if (longTag) problem(`A tag may have at most ${MAX_TAG_LENGTH} characters: "${longTag.slice(0, 32)}…".`);

  const flag = (name: string): boolean => {
    const value = fields.first(name)?.trim();
    if (value === undefined || FALSE.test(value)) return false;
    if (TRUE.test(value)) return true;
    problem(`The parameter ${name} must be true or false (got "${value.slice(0, 32)}").`);
    return false;
  };
  const text = (name: string): string | null => {
    const value = fields.first(name)?.trim();
    if (!value) return null;
    if (value.length > MAX_TEXT) {
      problem(`The parameter ${name} may have at most ${MAX_TEXT} characters.`);
      return null;
    }
    return value;
  };
  const choice = (name: string, allowed: string[]): string | null => {
    const value = text(name);
    if (value !== null && !allowed.includes(value)) {
      problem(`The ${name} "${value}" is not available; choose one of: ${allowed.join(', ') || '(none configured)'}.`);
      return null;
    }
    return value;
  };

  const options: TgSubmitOptions = {
    tags,
    private: flag('private'),
    vm: choice('vm', config.vms.map((vm) => vm.vm)) ?? config.vms[0]?.vm ?? '',
    playbook: choice('playbook', config.playbooks.map((playbook) => playbook.name)),
    network_exit: choice('network_exit', config.network_exits.map((exit) => exit.name)),
    sample_password: text('sample_password'),
    classify: flag('classify'),
    filename: text('sample_filename') ?? text('filename'),
    url: text('url'),
  };
  return { options, problems };
}
