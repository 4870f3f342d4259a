import type { Runtime } from '../../cli/runtime.js';

/** After leaving or deleting an org that was the saved active one, forget it. */
export async function forgetActiveOrg(rt: Runtime, orgId: number): Promise<boolean> {
  if (rt.usingToken || rt.savedConfig().activeOrgId !== orgId) return false;
  await rt.saveConfig(({ activeOrgId: _gone, ...rest }) => rest);
  return true;
}

export const SWITCH_HINT = ' Pick another with tkt org switch.';
