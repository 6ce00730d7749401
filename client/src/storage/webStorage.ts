/**
 * Web Storage that may be unavailable: inside an LMS's third-party iframe, or
 * with site data blocked, every access throws. Aula then keeps the value for
 * this visit only, so reads answer undefined and writes are dropped.
 */
type Area = 'local' | 'session';

function areaOf(area: Area): Storage {
  return area === 'local' ? localStorage : sessionStorage;
}

export function readStored(area: Area, key: string): string | undefined {
  try {
    return areaOf(area).getItem(key) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Stores a value, or removes the key when the value is undefined. */
export function writeStored(area: Area, key: string, value: string | undefined): void {
  try {
    if (value === undefined) areaOf(area).removeItem(key);
    else areaOf(area).setItem(key, value);
  } catch {
    // Unavailable: the value lasts for this visit.
  }
}
