/**
 * Whether the app runs with administrator rights, and what to tell the user when it does not.
 *
 * The packaged app asks for elevation in its manifest (requireAdministrator), so this is normally
 * true on Windows. Started unelevated (a dev run, or a portable build launched from a restricted
 * shell), reading most facts still works; DISM /Online, reagentc and installs need elevation.
 * Elevation itself is detected in main/host/this-pc.ts.
 */

export const ELEVATION_NOTE =
  'Servicing Desk is not running as administrator. It can read the Windows version, update history and logs, ' +
  'but listing packages with DISM, reading WinRE status and installing updates need administrator rights. ' +
  'Close it and start it again with "Run as administrator".'

/** The note to show at start, or null: only on Windows, only when not elevated. */
export function elevationNoteFor(platform: NodeJS.Platform, elevated: boolean): string | null {
  return platform === 'win32' && !elevated ? ELEVATION_NOTE : null
}
