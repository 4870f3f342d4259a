// Tickets: field rules, keys and queries (rules.ts), the use cases (use-cases.ts). Export and
// import are in transfer.ts, what a write changes in changes.ts.
export * from './rules.js';
export * from './use-cases.js';
