import { defineConfig } from 'drizzle-kit';

// The PostgreSQL store's migrations, beside the SQLite ones (drizzle.config.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/pg/schema.ts',
  out: './migrations/pg',
});
