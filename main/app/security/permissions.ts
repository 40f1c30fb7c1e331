/**
 * Denies every permission request and check (camera, microphone, geolocation, notifications,
 * openExternal, HID/serial/USB devices …) except the few this app needs, each with its reason.
 *
 * Why both handlers: setPermissionRequestHandler covers prompts, setPermissionCheckHandler covers
 * synchronous checks such as navigator.permissions.query (security checklist item 5,
 * https://www.electronjs.org/docs/latest/tutorial/security#5-handle-session-permission-requests-from-remote-content).
 */
import { isAppUrl } from '../origin.ts'

/** Permission → why the app's own pages may have it. Everything else is denied. */
export const ALLOWED_PERMISSIONS: Readonly<Record<string, string>> = {
  // "Copy command line" / "Copy report" buttons write plain text to the clipboard.
  'clipboard-sanitized-write': 'copy buttons write plain text',
}

/** The part of Session this module uses (a fake in tests). */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler:
      | ((
          webContents: unknown,
          permission: string,
          callback: (granted: boolean) => void,
          details: { requestingUrl?: string },
        ) => void)
      | null,
  ): void
  setPermissionCheckHandler(
    handler:
      | ((
          webContents: unknown,
          permission: string,
          requestingOrigin: string,
          details: { requestingUrl?: string },
        ) => boolean)
      | null,
  ): void
  setDevicePermissionHandler?(handler: ((details: unknown) => boolean) | null): void
}

/** Pure decision: only allowlisted permissions, only for the app's own origin. */
export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return Object.hasOwn(ALLOWED_PERMISSIONS, permission) && isAppUrl(requestingUrl)
}

export function installPermissionPolicy(session: PermissionSession): void {
  session.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(isPermissionAllowed(permission, details?.requestingUrl))
  })
  session.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, details?.requestingUrl ?? (requestingOrigin ? `${requestingOrigin}/` : undefined)),
  )
  session.setDevicePermissionHandler?.(() => false)
}
