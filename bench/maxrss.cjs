// Preloaded by bench/run.mjs when GNU time is missing: writes the process's peak RSS (KiB) on exit.
const fs = require('node:fs');
process.on('exit', () => {
  try {
    fs.writeFileSync(process.env.TKT_BENCH_RSS_FILE, `${process.resourceUsage().maxRSS} 0 0\n`);
  } catch {
    // a benchmark probe must never change the exit of the process it measures
  }
});
