import { ForbiddenError } from '../shared/errors.js';

/**
 * Whether the school still has Aula switched on for a classroom's platform
 * and deployment (the organisation-wide switch on /admin). The LTI tool
 * answers it; the classroom domain only asks.
 */
export type ActivationCheck = (classroom: { platformId: string; deploymentId: string }) => Promise<boolean>;

export class SwitchedOffError extends ForbiddenError {
  constructor() {
    super('Aula is switched off for your school. Please ask your school’s administrator.', 'SWITCHED_OFF');
  }
}

/** Refuses anything further in a classroom whose school switched Aula off. */
export async function requireActive(
  isActive: ActivationCheck,
  classroom: { platformId: string; deploymentId: string },
): Promise<void> {
  if (!(await isActive(classroom))) throw new SwitchedOffError();
}

/** Remembers answers briefly: every join and refresh asks, the admin rarely switches. */
export function cachedActivation(check: ActivationCheck, ttlMs: number): ActivationCheck {
  const answers = new Map<string, { at: number; active: Promise<boolean> }>();
  return (classroom) => {
    const key = `${classroom.platformId}|${classroom.deploymentId}`;
    const known = answers.get(key);
    if (known && Date.now() - known.at < ttlMs) return known.active;
    const active = check(classroom);
    answers.set(key, { at: Date.now(), active });
    active.catch(() => answers.delete(key));
    return active;
  };
}
