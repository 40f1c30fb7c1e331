/**
 * The seam between the remote Host (main/host/remote-host.ts) and the wire that carries its PowerShell.
 *
 * A transport does two things, each one round trip: `invoke` (run one generated script in the session and
 * return what it printed) and `copy` (Copy-Item -ToSession one local file into the PC's data folder, then
 * hash it there). Either opens the session first when none is open (New-PSSession, counted in `connects`):
 * the first script of a session carries the pre-flight item, so connecting costs no round trip of its own.
 * Two transports exist:
 * - transport-powershell.ts: the technician's own powershell.exe (New-PSSession / Invoke-Command /
 *   Copy-Item -ToSession). No WinRM client in Node, no stored password, no agent on the PC.
 * - transport-training.ts: a training machine behind the same seam, with faults at every boundary.
 *
 * A transport never retries and never interprets results: the remote Host decides what a lost session
 * means (remote-host.ts).
 */

/** The session to the PC is gone: before the script reached it (`sent: false`) or after (`sent: true`, or unknown). */
export class SessionLostError extends Error {
  /** True when the script may have run on the PC before the session died; false when it surely did not. */
  readonly maybeRan: boolean
  constructor(message: string, maybeRan: boolean) {
    super(message)
    this.name = 'SessionLostError'
    this.maybeRan = maybeRan
  }
}

/** The PC cannot be reached or refuses the session; `text` is Windows' own error text (classified by remote-preflight.ts). */
export class ConnectError extends Error {
  readonly text: string
  constructor(text: string) {
    super(text)
    this.name = 'ConnectError'
    this.text = text
  }
}

/**
 * What a connect reports when the person cancelled Windows' credential prompt. Get-Credential itself writes
 * nothing then: PromptForCredential returns null and the cmdlet outputs no object and no error
 * (https://github.com/PowerShell/PowerShell/blob/c2026bd1ec0b4910baea2d0f2f78c80799806836/src/Microsoft.PowerShell.Security/security/CredentialCommands.cs,
 * BeginProcessing), so the session script checks for $null and says this instead.
 */
export const CREDENTIAL_CANCELLED =
  'Get-Credential returned no credential: the Windows credential prompt was cancelled.'

/** What the pre-flight script reports from the PC (remote-script.ts `Get-SdPreflight`). */
export interface PreflightFacts {
  computerName: string
  /** The session's user is in the PC's Administrators group with an elevated token. */
  admin: boolean
  /** Win32_Processor.Architecture: 0 x86, 5 ARM, 9 x64, 12 ARM64 (the native architecture). */
  processorArchitecture: number
  build: string
  ubr: number
  freeBytes: number
  pendingRestart: boolean
  /** Last boot time (ISO 8601, UTC): a new value after a restart. */
  bootTime: string
}

export interface TransportStats {
  /** Every invoke and copy: what the user waits for on a slow link. */
  roundTrips: number
  /** Sessions opened (the first round trip of each also opened the session). */
  connects: number
  invokes: number
  copies: number
}

export interface Transport {
  /** The computer as the technician named it (FRONTDESK-03, or training:<machine>). */
  readonly computer: string
  /** Runs one generated script in the session (opening it if needed); resolves with what it printed. Throws ConnectError, SessionLostError. */
  invoke(script: string, signal?: AbortSignal): Promise<string>
  /** Copies a local file to `remotePath` on the PC (Copy-Item -ToSession) and returns its SHA-256 hashed there. Throws ConnectError, SessionLostError. */
  copy(localPath: string, remotePath: string, signal?: AbortSignal): Promise<string | null>
  close(): Promise<void>
  stats(): TransportStats
}

export function emptyStats(): TransportStats {
  return { roundTrips: 0, connects: 0, invokes: 0, copies: 0 }
}
