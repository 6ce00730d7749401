/** Why a device cannot be used; each has its own help text. */
export type DeviceProblem =
  'denied' | 'framePolicy' | 'busy' | 'missing' | 'unsupported' | 'insecure' | 'unknown';

type PolicyDocument = Document & {
  permissionsPolicy?: { allowsFeature(f: string): boolean };
  featurePolicy?: { allowsFeature(f: string): boolean };
};

function framePolicy() {
  const page = document as PolicyDocument;
  return page.permissionsPolicy ?? page.featurePolicy;
}

/** Inside an LMS iframe the page may lack the allow="camera; microphone; display-capture" attribute. */
export function frameAllows(feature: 'camera' | 'microphone' | 'display-capture'): boolean {
  return framePolicy()?.allowsFeature(feature) ?? true;
}

/** Whether the browser tells the page what its frame allows (Chromium does, Firefox and Safari do not). */
export function readsFramePolicy(): boolean {
  return framePolicy() !== undefined;
}

/**
 * A refusal that may be the frame's: in a frame whose allowances the browser
 * does not tell (Firefox, Safari), a denied device may be the course page's
 * doing as well as the person's, so a window of its own is worth offering.
 */
export function mayBeFrameRefusal(refusal: string | null | undefined): boolean {
  return refusal === 'denied' && isEmbedded() && !readsFramePolicy();
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
