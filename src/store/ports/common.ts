// Plain records that cross the store boundary. Times are milliseconds since the epoch.

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export interface UserRecord {
  id: number;
  email: string;
  name: string;
  createdAt: number;
}

export interface OrgRecord {
  id: number;
  slug: string;
  name: string;
  ticketKey: string;
  createdAt: number;
}

export interface RoleRecord {
  id: number;
  code: string;
  name: string;
  permissions: string[];
  isSystem: boolean;
}

export interface AuditInput {
  action: string;
  targetType: string;
  target: string;
  details?: Record<string, unknown>;
}
