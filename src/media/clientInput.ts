import { BadRequestError } from '../shared/errors.js';

/**
 * mediasoup validates the parameters a browser sends (DTLS, RTP) and throws
 * TypeError or UnsupportedError for bad ones: that is the client's mistake,
 * answered as a 400, not a server failure.
 */
export async function withClientInput<T>(what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof TypeError || (error instanceof Error && error.name === 'UnsupportedError')) {
      throw new BadRequestError(`Invalid ${what}: ${error.message}`);
    }
    throw error;
  }
}
