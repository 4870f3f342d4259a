// One error type for the whole tool. Every layer throws TktError (or a subclass); only the CLI's
// main() turns it into an exit code and a message. Anything else that escapes is a bug (exit 1).

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  unauthenticated: 3,
  forbidden: 4,
  'not-found': 5,
  conflict: 6,
  store: 7,
} as const;

export type ErrorCode = Exclude<keyof typeof EXIT, 'ok'>;

export class TktError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message);
    this.name = 'TktError';
    this.code = code;
    this.hint = hint;
  }

  get exitCode(): number {
    return EXIT[this.code];
  }
}

export const usageError = (message: string, hint?: string) => new TktError('usage', message, hint);
export const unauthenticated = (message: string, hint?: string) =>
  new TktError('unauthenticated', message, hint);
export const forbidden = (message: string, hint?: string) => new TktError('forbidden', message, hint);
export const notFound = (message: string, hint?: string) => new TktError('not-found', message, hint);
export const conflict = (message: string, hint?: string) => new TktError('conflict', message, hint);
export const storeError = (message: string, hint?: string) => new TktError('store', message, hint);

export function isTktError(err: unknown): err is TktError {
  return err instanceof TktError;
}
