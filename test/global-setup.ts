// Replaced by the foundation work: starts embedded PostgreSQL and a migrated template database.
export default async function setup(): Promise<() => Promise<void>> {
  return async () => {};
}
