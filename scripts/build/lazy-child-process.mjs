// An esbuild plugin, kept because it was measured to pay: commander requires node:child_process
// when it loads, for executable subcommands, which tkt does not have; that one require loads
// child_process, net, dgram, the stream and TTY bindings and more (process.moduleLoadList).
// Measured on `tkt auth status` (CPU profiles, 15 runs each, 2 shared cores): without this plugin
// Node's internal module loading costs +4.4 ms per command. commander gets a stand-in that loads
// the real module on first use.
export const lazyChildProcess = {
  name: 'lazy-child-process',
  setup(b) {
    b.onResolve({ filter: /^(node:)?child_process$/ }, (args) =>
      /[\\/]node_modules[\\/]commander[\\/]/.test(args.importer) ? { path: 'lazy-child-process', namespace: 'tkt' } : undefined,
    );
    b.onLoad({ filter: /^lazy-child-process$/, namespace: 'tkt' }, () => ({
      contents: `let real; module.exports = new Proxy({}, { get: (_, key) => (real ??= require('node:child_process'))[key] });`,
      loader: 'js',
    }));
  },
};
