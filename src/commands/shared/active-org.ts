import type { Runtime } from '../../cli/runtime.js';

/**
 * After creating or joining an organization: it becomes the saved active one, except with
 * TKT_TOKEN, where the config is not used. Returns whether it is active and the end of the
 * message that says so.
 */
export async function switchToNewOrg(rt: Runtime, org: { id: number; slug: string }): Promise<{ active: boolean; note: string }> {
  if (rt.usingToken) return { active: false, note: '; with TKT_TOKEN nothing is saved as active, pass --org ' + org.slug };
  await rt.saveConfig((c) => ({ ...c, activeOrgId: org.id }));
  return { active: true, note: ' and switched to it.' };
}
