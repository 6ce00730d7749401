import { vi } from 'vitest';

/**
 * The page inside a frame (window.top is another window) and, with `policy`,
 * a browser that tells what the frame allows (Chromium's document.featurePolicy);
 * without it, one that does not (Firefox). `leaveFrame` undoes both.
 */
export function inFrame(options: { framed?: boolean; policy?: Record<string, boolean> }): void {
  if (options.framed) vi.stubGlobal('top', {});
  if (options.policy) {
    const policy = options.policy;
    Object.defineProperty(document, 'featurePolicy', {
      configurable: true,
      value: { allowsFeature: (feature: string) => policy[feature] ?? true },
    });
  }
}

export function leaveFrame(): void {
  Reflect.deleteProperty(document, 'featurePolicy');
  vi.unstubAllGlobals();
}
