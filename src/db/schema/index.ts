// Every table of Earshot, one file per area. drizzle-kit reads this file to generate migrations:
//   npx drizzle-kit generate --name <change>   (run under `flock /tmp/earshot-migrate.lock` when several people work)
export * from './accounts.ts';
export * from './analytics.ts';
export * from './articles.ts';
export * from './channels.ts';
export * from './community.ts';
export * from './conversations.ts';
export * from './email.ts';
export * from './pipeline.ts';
