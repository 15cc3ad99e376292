import { HttpException, HttpStatus, Inject, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import type { RedisConnection } from '@hopper/queues';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { UserRecord, UsersRepository } from '@hopper/datastore';
import { REDIS_CONNECTION, RedisKeys } from '@hopper/queues';
import { parseApiKey, verifyApiKey, verifyPassword } from '@hopper/accounts';
import { LoginThrottle } from './login-throttle';
import { effectiveRoles } from '@hopper/accounts';
import { identifierError } from '../http/identifiers';
import { CredentialCache } from './credential-cache';
import { Session, SessionStore } from './session.store';

/** Seconds a login session lives (Assemblyline's default session duration). */
export const SESSION_DURATION_SECONDS = 3600;

export interface AuthenticatedUser {
  uname: string;
  user: UserRecord;
  /** The roles this request may use: the user's, narrowed by the API key's limit if any. */
  roles: string[];
  roles_limit: string[] | null;
}

export const INVALID_APIKEY = 'Invalid user or APIKey';
export const WRONG_PASSWORD = 'Wrong username or password';

@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);
  readonly sessions: SessionStore;
  private readonly throttle: LoginThrottle;
  private readonly verifiedKeys: CredentialCache<AuthenticatedUser>;

  constructor(
    private readonly users: UsersRepository,
    @Inject(REDIS_CONNECTION) redis: RedisConnection,
    @Inject(HOPPER_CONFIG) config: HopperConfig,
  ) {
    const keys = new RedisKeys(config.redis.prefix);
    this.sessions = new SessionStore(redis, keys, SESSION_DURATION_SECONDS);
    this.throttle = new LoginThrottle(redis, keys);
    this.verifiedKeys = new CredentialCache(config.api.auth_cache_seconds * 1000);
  }

  /** `name:secret` key of `uname`; throws 401 `Invalid user or APIKey`. */
  async byApiKey(uname: string, apikey: string, ip: string, now = new Date()): Promise<AuthenticatedUser> {
    refuseUnusableName(uname, INVALID_APIKEY);
    const cached = this.verifiedKeys.get(uname, apikey);
    if (cached) return cached;
    await this.refuseIfThrottled(uname, ip);
    const user = await this.users.findByUname(uname);
    const parsed = parseApiKey(apikey);
    const key = parsed && user?.apikeys?.[parsed.name];
    const valid =
      user?.is_active && parsed && key && (!key.expiry_ts || key.expiry_ts > now) && verifyApiKey(parsed.secret, key);
    if (!valid || !user || !key) return this.fail(uname, ip, INVALID_APIKEY);
    const rolesLimit = key.roles.length ? key.roles : null;
    const authenticated = this.authenticated(user, rolesLimit);
    this.verifiedKeys.set(uname, apikey, authenticated);
    return authenticated;
  }

  /** Password login; throws 401 `Wrong username or password`. */
  async byPassword(uname: string, password: string, ip: string): Promise<AuthenticatedUser> {
    refuseUnusableName(uname, WRONG_PASSWORD);
    await this.refuseIfThrottled(uname, ip);
    const user = await this.users.findByUname(uname);
    if (!user?.is_active || !(await verifyPassword(password, user.password))) return this.fail(uname, ip, WRONG_PASSWORD);
    return this.authenticated(user, null);
  }

  /** The user behind a live session, or null when the session or its user is gone. */
  async bySession(session: Session): Promise<AuthenticatedUser | null> {
    const user = await this.users.findByUname(session.uname);
    return user?.is_active ? this.authenticated(user, session.roles_limit) : null;
  }

  private authenticated(user: UserRecord, rolesLimit: string[] | null): AuthenticatedUser {
    const all = effectiveRoles(user.type, user.roles);
    const roles = rolesLimit ? all.filter((role) => rolesLimit.includes(role)) : all;
    return { uname: user.uname, user, roles, roles_limit: rolesLimit };
  }

  private async refuseIfThrottled(uname: string, ip: string): Promise<void> {
    if (await this.throttle.isBlocked(uname, ip)) {
      this.logger.warn({ uname, ip }, 'login refused: too many failed attempts');
      throw new HttpException('Too many failed login attempts, try again later', HttpStatus.TOO_MANY_REQUESTS);
    }
  }

  private async fail(uname: string, ip: string, message: string): Promise<never> {
    await this.throttle.recordFailure(uname, ip);
    this.logger.warn({ uname, ip }, 'failed login');
    throw new UnauthorizedException(message);
  }
}

/**
 * A user name no account can have (a control character, over-long) fails like a wrong one, before any query:
 * a NUL would reach the datastore, which refuses it.
 */
function refuseUnusableName(uname: string, message: string): void {
  if (identifierError('user', uname)) throw new UnauthorizedException(message);
}
