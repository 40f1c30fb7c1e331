/**
 * Where the app keeps its state (training machines, downloads cache, journals, snapshots).
 * `SERVICING_DESK_HOME` wins (tests use a temp dir); then %ProgramData%\ServicingDesk on Windows
 * (the app runs elevated and serves every technician of the PC); else ~/.servicing-desk.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  if (env.SERVICING_DESK_HOME) return env.SERVICING_DESK_HOME
  if (platform === 'win32') return join(env.ProgramData ?? 'C:\\ProgramData', 'ServicingDesk')
  return join(homedir(), '.servicing-desk')
}
