// Test and development fixtures: throwaway Postgres databases (real server or embedded PGlite) and polling helpers.
export * from './embedded-postgres';
export * from './test-database';
export * from './wait-for';
export * from './test-kafka';
