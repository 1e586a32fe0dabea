/** What every route receives: config, database, bus and the services built over them. */
import type PgBoss from 'pg-boss';
import type { Config } from '../config/index.ts';
import type { Database } from '../db/client.ts';
import { usersRepository } from '../db/repositories/users.ts';
import type { EventBus } from '../lib/event-bus.ts';
import { type AccountsService, accountsService } from '../services/accounts.ts';
import { type AvailabilityService, availabilityService } from '../services/availability.ts';

export interface AppContext {
  config: Config;
  database: Database;
  bus: EventBus;
  boss?: PgBoss;
  accounts: AccountsService;
  /** Agents' availability and assignment settings. */
  availability: AvailabilityService;
  /** One-time token for the /setup page; set only while no account exists. */
  setupToken?: string;
}

export function buildContext(config: Config, database: Database, bus: EventBus, boss?: PgBoss): AppContext {
  const accounts = accountsService({
    users: usersRepository(database.db),
    sessionTtlHours: config.sessionTtlHours,
    loginRateLimit: config.loginRateLimit,
    bus,
  });
  return {
    config,
    database,
    bus,
    boss,
    accounts,
    availability: availabilityService({ database, accounts }),
  };
}
