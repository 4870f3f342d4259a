export interface AuditEventRecord {
  id: number;
  actor: { email: string; name: string };
  action: string;
  targetType: string;
  target: string;
  details: Record<string, unknown>;
  createdAt: number;
}

export interface AuditFilter {
  actorEmail?: string;
  /** `ticket.move` matches exactly; `ticket` matches every `ticket.*` action. */
  action?: string;
  since?: number;
  target?: { type: string; id: string };
  /** 0 means no limit. */
  limit: number;
  /** Oldest first (a ticket's history) instead of newest first (the log). */
  chronological?: boolean;
}

export interface AuditRepo {
  list(filter: AuditFilter): Promise<AuditEventRecord[]>;
}
