import { withCliDatabase } from '../database.ts';

export async function run(): Promise<number> {
  return withCliDatabase(async () => {
    console.log('migrations applied');
    return 0;
  });
}
