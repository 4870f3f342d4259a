// What a terminal offers when a command's value is missing; without a terminal, the prompter
// refuses with exit 2 naming `flag`.
import type { Runtime } from '../../cli/runtime.js';
import type { Tenant } from '../../domain/guard.js';
import { grantableRoles } from '../../domain/roles.js';

/** The roles you may give (set-role, invite create), the cursor on `member`. */
export async function pickRole(rt: Runtime, tenant: Tenant, flag: string): Promise<string> {
  const roles = rt.prompter.interactive ? await grantableRoles(tenant) : [];
  return rt.prompter.select(
    'Which role?',
    roles.map((r) => ({ value: r.code, name: `${r.code}  ${r.name}`, description: r.permissions.join(', ') })),
    flag,
    roles.some((r) => r.code === 'member') ? 'member' : undefined,
  );
}
