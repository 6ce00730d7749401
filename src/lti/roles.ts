import type { AulaRole } from '../classroom/permissions.js';

export interface MappedRole {
  role: Exclude<AulaRole, 'guest'>;
  /** Mentors (parents, guardians) and unknown roles: students with the fewest permissions. */
  restricted: boolean;
}

const TEACHING_ROLES = new Set(['Instructor', 'TeachingAssistant', 'ContentDeveloper', 'Administrator']);

/**
 * The role's last name component, whatever form the platform used:
 * `http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor`,
 * `http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator`,
 * `http://purl.imsglobal.org/vocab/lis/v2/system/person#Administrator`,
 * sub-roles such as `…/membership/Instructor#TeachingAssistant`, the LTI 1.1
 * URN forms (`urn:lti:role:ims/lis/Instructor`), and short names (`Instructor`).
 */
function roleName(claim: string): { name: string; subRoleOf?: string } {
  const trimmed = claim.trim();
  const membership = /\/membership\/([A-Za-z]+)#([A-Za-z]+)$/.exec(trimmed);
  if (membership) return { name: membership[2]!, subRoleOf: membership[1] };
  const hash = trimmed.lastIndexOf('#');
  if (hash >= 0) return { name: trimmed.slice(hash + 1) };
  const slash = trimmed.lastIndexOf('/');
  return { name: slash >= 0 ? trimmed.slice(slash + 1) : trimmed };
}

/**
 * Instructor, TeachingAssistant, ContentDeveloper or Administrator (context,
 * institution or system) make a teacher; Learner a student; anything else,
 * including Mentor, nothing at all, or a role Aula does not know, a
 * restricted student. Never a teacher by default.
 */
export function mapRoles(claims: unknown): MappedRole {
  const list = Array.isArray(claims) ? claims.filter((item): item is string => typeof item === 'string') : [];
  let learner = false;
  for (const claim of list) {
    const { name, subRoleOf } = roleName(claim);
    // A sub-role counts as its parent role: "Instructor#TeachingAssistant" teaches, "Learner#…" learns.
    if (TEACHING_ROLES.has(name) || (subRoleOf && TEACHING_ROLES.has(subRoleOf))) {
      // A mentor sub-role of a teaching role is still a mentor.
      if (name === 'Mentor') continue;
      return { role: 'teacher', restricted: false };
    }
    if (name === 'Learner' || name === 'Student' || subRoleOf === 'Learner') learner = true;
  }
  return { role: 'student', restricted: !learner };
}
