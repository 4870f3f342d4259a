// TKT_TEST_SEED fixes the seed of every fast-check property of the suite (and of the model tests,
// test/support/model/drive.ts): .ci/run derives it from the commit, so a run on a clean clone of a
// commit draws exactly the cases CI drew on it, and a red CI run replays locally. Without it each
// run draws new cases. fast-check is loaded only when the seed is given.
const seed = process.env.TKT_TEST_SEED;
if (seed !== undefined && seed !== '') {
  if (!/^-?\d+$/.test(seed)) throw new Error(`TKT_TEST_SEED must be an integer, got ${JSON.stringify(seed)}`);
  const fc = await import('fast-check');
  fc.configureGlobal({ seed: Number(seed) });
}
