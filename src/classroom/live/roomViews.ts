import type { Permissions } from '../../signaling/protocol.js';
import { Permission } from '../permissions.js';

export function permissionsView(granted: Set<Permission>): Permissions {
  return {
    unmute: granted.has(Permission.UNMUTE),
    camera: granted.has(Permission.CAMERA),
    screenShare: granted.has(Permission.SHARE_SCREEN),
    chatPublic: granted.has(Permission.CHAT_PUBLIC),
    chatPrivate: granted.has(Permission.CHAT_PRIVATE),
    raiseHand: granted.has(Permission.RAISE_HAND),
    moderate: granted.has(Permission.MODERATE),
  };
}
