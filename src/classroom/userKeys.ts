/** A person's key across Aula's records: LMS users by platform and LMS id, guests by their guest id. */
export function lmsUserKey(platformId: string, lmsUserId: string): string {
  return `lms:${platformId}:${lmsUserId}`;
}

export function guestUserKey(guestId: string): string {
  return `guest:${guestId}`;
}
