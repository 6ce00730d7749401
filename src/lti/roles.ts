import type { AulaRole } from '../classroom/permissions.js';

export interface MappedRole {
  role: Exclude<AulaRole, 'guest'>;
  /** Mentors (parents, guardians) and unknown roles: students with the fewest permissions. */
  restricted: boolean;
}

type Scope = 'context' | 'institution' | 'system' | 'unknown';

interface ParsedRole {
  scope: Scope;
  /** The principal role: for a sub-role, its parent (`Learner` in `membership/Learner#Instructor`). */
  role: string;
  subRole?: string;
}

const V2 = 'http://purl.imsglobal.org/vocab/lis/v2/';
const TEACHING_ROLES = new Set(['Instructor', 'TeachingAssistant', 'ContentDeveloper', 'Administrator']);
const LEARNING_ROLES = new Set(['Learner', 'Student']);

/**
 * One role claim in the LIS vocabulary, whatever form the platform used:
 * `…/lis/v2/membership#Instructor` and sub-roles `…/membership/Instructor#TeachingAssistant`
 * (context), `…/institution/person#Administrator`, `…/system/person#Administrator`, the LTI 1.1
 * URNs (`urn:lti:role:ims/lis/Instructor`, `urn:lti:instrole:…`, `urn:lti:sysrole:…`), and the
 * simple names LTI 1.3 allows for context roles (`Instructor`).
 */
function parseRole(claim: string): ParsedRole {
  const trimmed = claim.trim();
  if (trimmed.startsWith(V2)) {
    const rest = trimmed.slice(V2.length);
    const subRole = /^membership\/([A-Za-z]+)#([A-Za-z]+)$/.exec(rest);
    if (subRole) return { scope: 'context', role: subRole[1]!, subRole: subRole[2] };
    const named = /^(membership|institution\/person|system\/person)#([A-Za-z]+)$/.exec(rest);
    if (named) {
      const scope =
        named[1] === 'membership' ? 'context' : named[1] === 'system/person' ? 'system' : 'institution';
      return { scope, role: named[2]! };
    }
    return { scope: 'unknown', role: rest };
  }
  const urn = /^urn:lti:(role|instrole|sysrole):ims\/lis\/([A-Za-z]+)(?:\/([A-Za-z]+))?$/.exec(trimmed);
  if (urn) {
    const scope = urn[1] === 'role' ? 'context' : urn[1] === 'sysrole' ? 'system' : 'institution';
    return { scope, role: urn[2]!, subRole: urn[3] };
  }
  if (/^[A-Za-z]+$/.test(trimmed)) return { scope: 'context', role: trimmed };
  return { scope: 'unknown', role: trimmed };
}

/** A sub-role is a kind of its principal role: `Learner#Instructor` learns, `Instructor#Grader` teaches. */
function teaches(parsed: ParsedRole): boolean {
  if (parsed.scope === 'context') return TEACHING_ROLES.has(parsed.role) && parsed.subRole !== 'Mentor';
  // Beyond the course, only an administrator of the school or the system teaches.
  return (parsed.scope === 'institution' || parsed.scope === 'system') && parsed.role === 'Administrator';
}

/**
 * Context roles Instructor, TeachingAssistant, ContentDeveloper or
 * Administrator (and their sub-roles), or an institution or system
 * Administrator, make a teacher; Learner (and its sub-roles) or an
 * institution Student a student; anything else, including Mentor, no role or
 * a role Aula does not know, a restricted student. Never a teacher by default.
 */
export function mapRoles(claims: unknown): MappedRole {
  const list = Array.isArray(claims) ? claims.filter((item): item is string => typeof item === 'string') : [];
  let learner = false;
  for (const parsed of list.map(parseRole)) {
    if (teaches(parsed)) return { role: 'teacher', restricted: false };
    if (parsed.scope !== 'unknown' && LEARNING_ROLES.has(parsed.role)) learner = true;
  }
  return { role: 'student', restricted: !learner };
}
