import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

/** Where the CLI finds a Hopper API and how it signs in: `x-user` + `x-apikey`, as assemblyline_client does. */
export interface ServerSettings {
  url: string;
  user: string;
  apikey: string;
}

export interface ServerFlags {
  server?: string;
  user?: string;
  apikey?: string;
}

/** `$HOPPER_CLI_CONFIG`, else `$XDG_CONFIG_HOME/hopper/config.yml`, else `~/.config/hopper/config.yml`. */
export function cliConfigFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HOPPER_CLI_CONFIG) return env.HOPPER_CLI_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'hopper', 'config.yml');
}

/**
 * Each setting from the first place that has it: the flag, then `HOPPER_URL` / `HOPPER_USER` /
 * `HOPPER_APIKEY`, then the CLI config file (`url`, `user`, `apikey`). Never echoes a secret in its errors.
 */
export function resolveServerSettings(flags: ServerFlags, env: NodeJS.ProcessEnv = process.env): ServerSettings {
  const file = readCliConfig(cliConfigFile(env));
  const pick = (flag: string | undefined, variable: string, key: string) => flag || env[variable] || (typeof file[key] === 'string' ? (file[key] as string) : '');
  const settings = { url: pick(flags.server, 'HOPPER_URL', 'url'), user: pick(flags.user, 'HOPPER_USER', 'user'), apikey: pick(flags.apikey, 'HOPPER_APIKEY', 'apikey') };
  const missing = [
    !settings.url && '--server or HOPPER_URL',
    !settings.user && '--user or HOPPER_USER',
    !settings.apikey && '--apikey or HOPPER_APIKEY',
  ].filter(Boolean);
  if (missing.length) throw new Error(`No Hopper server to talk to: give ${missing.join(', ')} (or url/user/apikey in ${cliConfigFile(env)})`);
  let parsed: URL;
  try {
    parsed = new URL(settings.url);
  } catch {
    throw new Error('The server URL is not a URL (expected e.g. https://hopper.example.org)');
  }
  if (!['http:', 'https:'].includes(parsed.protocol)) throw new Error('The server URL must start with http:// or https://');
  return { ...settings, url: parsed.origin + parsed.pathname.replace(/\/+$/, '') };
}

function readCliConfig(path: string): Record<string, unknown> {
  if (!existsSync(path)) return {};
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid YAML: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${path} must hold a mapping (url, user, apikey)`);
  return parsed as Record<string, unknown>;
}
