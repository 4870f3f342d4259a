#!/usr/bin/env node
// Entry point: run the bundled CLI and hand its exit code to the process.
import { main } from '../dist/tkt.js';

process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0); // `tkt … | head` is fine
  throw err;
});

process.exitCode = await main({ argv: process.argv.slice(2) });
