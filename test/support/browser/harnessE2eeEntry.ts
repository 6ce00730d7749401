// Runs inside headless Chromium next to harnessEntry.ts, in pages that take
// part in end-to-end encrypted lessons: the frame cipher (its worker started
// from the bundle the test put in the page) and the key agreement, as the
// classroom page's e2ee store sets them up, without the Vue UI.
import type { JoinResult } from '@protocol';
import { FrameCipher } from '../../../client/src/e2ee/FrameCipher';
import { KeyAgreement } from '../../../client/src/e2ee/KeyAgreement';
import type { RoomConnection } from '../../../client/src/media/RoomConnection';
import type { SignalingClient } from '../../../client/src/signaling/SignalingClient';

let cipher: FrameCipher | undefined;
let agreement: KeyAgreement | undefined;
declare const window: Window & { frameWorkerCode?: string };

const harnessE2ee = {
  /** Follows the key messages on the page's connection from its start. */
  listen(signaling: SignalingClient): void {
    signaling.on('e2ee:members', (update) => void agreement?.onMembers(update));
    signaling.on('e2ee:key', (message) => void agreement?.onKey(message));
  },

  /** Before the media starts in an encrypted room: the cipher on the connection, our public key announced. */
  async enter(signaling: SignalingClient, connection: RoomConnection, result: JoinResult): Promise<void> {
    if (result.status !== 'joined') return;
    if (!cipher) {
      if (!window.frameWorkerCode) throw new Error('an encrypted lesson needs the frame worker bundle');
      const code = new Blob([window.frameWorkerCode], { type: 'text/javascript' });
      cipher = new FrameCipher(new Worker(URL.createObjectURL(code), { name: 'aula-e2ee' }));
      connection.encryptWith(cipher);
    }
    agreement ??= new KeyAgreement(signaling, cipher, () => undefined);
    await agreement.join(result.self.id);
    // As the classroom page: the media starts once the page holds the key, or after 2 s.
    await Promise.race([agreement.keyed, new Promise((resolve) => setTimeout(resolve, 2000))]);
  },

  stats: () => cipher?.stats() ?? Promise.resolve(null),

  close(): void {
    agreement?.stop();
    cipher?.close();
  },
};

(window as unknown as { harnessE2ee: typeof harnessE2ee }).harnessE2ee = harnessE2ee;
