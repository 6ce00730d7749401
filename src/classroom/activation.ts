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

/**
 * Remembers answers briefly (every join and refresh asks; the admin rarely
 * switches), and keeps the last answer while the switch cannot be read (the
 * database is away): a lesson is not switched off by an outage.
 */
export function cachedActivation(check: ActivationCheck, ttlMs: number): ActivationCheck {
  const answers = new Map<string, { at: number; active: Promise<boolean> }>();
  const lastKnown = new Map<string, boolean>();
  return (classroom) => {
    const key = `${classroom.platformId}|${classroom.deploymentId}`;
    const known = answers.get(key);
    if (known && Date.now() - known.at < ttlMs) return known.active;
    const active = check(classroom).then(
      (answer) => {
        lastKnown.set(key, answer);
        return answer;
      },
      () => {
        answers.delete(key);
        return lastKnown.get(key) ?? true;
      },
    );
    answers.set(key, { at: Date.now(), active });
    return active;
  };
}
