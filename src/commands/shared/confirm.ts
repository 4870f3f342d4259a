import type { Runtime } from '../../cli/runtime.js';
import { usageError } from '../../errors.js';

/**
 * A destructive or hard-to-undo change goes ahead with -y, or when the person answers yes on a
 * terminal; without a terminal and without -y it is exit 2 naming -y. `doing`: what -y does
 * ("to remove without a prompt").
 */
export async function confirmed(rt: Runtime, question: string, doing: string): Promise<void> {
  if (rt.globals.yes) return;
  if (!(await rt.prompter.confirm(question, `-y ${doing}`))) throw usageError('cancelled; nothing was changed');
}
