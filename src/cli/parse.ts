// Turning flag strings into typed values; each failure is exit 2 naming the flag.
import ms from 'ms';
import { usageError } from '../errors.js';

/** "7d", "90d", "12h", "30m", "1 minute"… */
export function duration(value: string, flag: string, bounds: { min: number; max: number; describe: string }): number {
  const parsed = /^\s*\d+(\.\d+)?\s*[a-zA-Z ]*$/.test(value) ? ms(value as ms.StringValue) : undefined;
  if (typeof parsed !== 'number' || !Number.isFinite(parsed) || parsed <= 0) {
    throw usageError(`invalid ${flag} ${JSON.stringify(value)}`, 'use a duration such as 30m, 12h, 7d');
  }
  if (parsed < bounds.min || parsed > bounds.max) throw usageError(`${flag} must be ${bounds.describe}`);
  return parsed;
}

export function positiveInt(value: string, what: string): number {
  if (!/^\d{1,15}$/.test(value.trim()) || Number(value) < 1) {
    throw usageError(`${what} must be a positive whole number, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

export function nonNegativeInt(value: string, what: string, max = 1_000_000): number {
  if (!/^\d{1,15}$/.test(value.trim()) || Number(value) > max) {
    throw usageError(`${what} must be a whole number from 0 to ${max}, not ${JSON.stringify(value)}`);
  }
  return Number(value);
}

/** A date (2026-11-01), a date-time (ISO 8601) or a relative age (7d = seven days ago). */
export function since(value: string, flag: string, now: number): number {
  if (/^\d+\s*[smhdwy]$/i.test(value.trim())) return now - duration(value, flag, { min: 1, max: 100 * 365 * 864e5, describe: 'positive' });
  const t = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(t)) throw usageError(`invalid ${flag} ${JSON.stringify(value)}`, 'use a date (2026-11-01), an ISO time, or an age such as 7d');
  return t;
}
