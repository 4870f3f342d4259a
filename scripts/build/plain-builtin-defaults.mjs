// A rewrite of esbuild's output, kept because it was measured to pay (bench/compare-builds.mjs and
// a CPU-time probe, `tkt auth status`, medians of 200-500 alternating runs on 2 shared cores):
// without it a command costs about 2 ms more (wall +2.0 and +1.8 ms, CPU +2.1 and +1.9 ms).
//
// `import fs from 'node:fs'` becomes `__toESM(require("node:fs"), 1)`, which copies every property
// of the module onto a new object, once per importing file: a few hundred property definitions
// at every start. Where the bundle then only reads `.default`, `{ default: require(…) }` is the
// same thing without the copy. Anything else (a named import, the namespace passed around) keeps
// esbuild's own code.
export function plainBuiltinDefaults(code) {
  return code.replace(/\b(import_\w+) = __toESM\(require\("(node:[\w/]+)"\), 1\);/g, (whole, name, builtin) => {
    // Other than here and in a `var a, b;` list (modules that run on first import), only name.default.
    const other = new RegExp(`\\b${name}\\b(?!\\.default\\b| = __toESM\\()`, 'g');
    const declared = new RegExp(`(?:var |, )${name}(?=[,;])`, 'g');
    const onlyDefault = (code.match(other) ?? []).length === (code.match(declared) ?? []).length;
    return onlyDefault ? `${name} = { default: require("${builtin}") };` : whole;
  });
}
