/** What a tile shows when there is no video: up to two initials of the display name. */
export function initialsOf(displayName: string): string {
  return displayName
    .split(/\s+/)
    .map((part) => part[0] ?? '')
    .join('')
    .slice(0, 2)
    .toUpperCase();
}
