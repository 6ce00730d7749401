/** Why a device cannot be used; each has its own help text. */
export type DeviceProblem =
  'denied' | 'framePolicy' | 'busy' | 'missing' | 'unsupported' | 'insecure' | 'unknown';

/** Inside an LMS iframe the page may lack the allow="camera; microphone; display-capture" attribute. */
export function frameAllows(feature: 'camera' | 'microphone' | 'display-capture'): boolean {
  const policy = (document as Document & { permissionsPolicy?: { allowsFeature(f: string): boolean } })
    .permissionsPolicy;
  const legacy = (document as Document & { featurePolicy?: { allowsFeature(f: string): boolean } })
    .featurePolicy;
  return (policy ?? legacy)?.allowsFeature(feature) ?? true;
}

export function isEmbedded(): boolean {
  try {
    return window.self !== window.top;
  } catch {
    return true;
  }
}

export function classifyMediaError(error: unknown, feature: 'camera' | 'microphone'): DeviceProblem {
  const name = (error as { name?: string }).name;
  if (name === 'NotAllowedError' || name === 'SecurityError')
    return frameAllows(feature) ? 'denied' : 'framePolicy';
  if (name === 'NotReadableError' || name === 'TrackStartError' || name === 'AbortError') return 'busy';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError')
    return 'missing';
  return 'unknown';
}
