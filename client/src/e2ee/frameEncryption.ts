import type { FrameKind } from './frameFormat';

/** What the media engine needs of the frame cipher in an encrypted lesson (FrameCipher has it). */
export interface FrameEncryption {
  readonly peerConnectionSettings: Partial<RTCConfiguration>;
  encryptWith(sender: RTCRtpSender, kind: FrameKind): void;
  decryptWith(receiver: RTCRtpReceiver, kind: FrameKind): void;
}

/** The cipher of the lesson the page is in now; undefined in a lesson that is not encrypted. */
export type CurrentEncryption = () => FrameEncryption | undefined;
