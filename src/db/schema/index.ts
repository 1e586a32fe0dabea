// Every table of Earshot, one file per area. drizzle-kit reads this file to generate migrations.
export * from './accounts.ts';
