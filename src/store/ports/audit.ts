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
  /** An action matches exactly; a family (the part before the dot) matches every action in it. */
  action?: string;
  since?: number;
  target?: { type: string; id: string };
  /**
   * With `target`, also the events of this action and target type whose target starts with
   * `targetPrefix` and whose details hold a number range [from, to] that contains `number` (the
   * import that numbered a ticket).
   */
  alsoCovering?: { action: string; targetType: string; targetPrefix: string; from: string; to: string; number: number };
  /** 0 means no limit. */
  limit: number;
  /** Oldest first (a ticket's history) instead of newest first (the log). */
  chronological?: boolean;
}

export interface AuditRepo {
  list(filter: AuditFilter): Promise<AuditEventRecord[]>;
}
