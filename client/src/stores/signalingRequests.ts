import type { RequestName, RequestPayload, RequestResults } from '@protocol';
import { requireConnection, type SignalingClient } from '@/signaling/SignalingClient';
import { useNoticesStore } from './notices';

/**
 * A store's requests over the signalling connection it follows: `attach`
 * in its `listen` (the returned function lets go), `act` for a person's
 * action (a refusal becomes a notice and the answer undefined), `request`
 * where the store handles a refusal itself. Once the page left, a late click
 * is refused here.
 */
export function useSignalingRequests() {
  const notices = useNoticesStore();
  let client: SignalingClient | undefined;

  function attach(connection: SignalingClient): () => void {
    client = connection;
    return () => {
      if (client === connection) client = undefined;
    };
  }

  async function request<N extends RequestName>(
    name: N,
    payload?: RequestPayload<N>,
  ): Promise<RequestResults[N]> {
    return requireConnection(client).request(name, payload);
  }

  function act<N extends RequestName>(
    name: N,
    payload?: RequestPayload<N>,
  ): Promise<RequestResults[N] | undefined> {
    return notices.attempt(() => request(name, payload));
  }

  return { attach, request, act };
}
