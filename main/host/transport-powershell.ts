/**
 * The real transport: the technician's own Windows PowerShell (System32's powershell.exe, through this PC's
 * Host, so argv only and -EncodedCommand) runs New-PSSession / Invoke-Command / Copy-Item -ToSession.
 * Nothing home-made: no WinRM or PSRP client in Node, no stored password, no agent on the PC.
 *
 * One powershell.exe per round trip: it tests the endpoint (Test-WSMan), opens the session, runs the one
 * script (or copies the one file and hashes it there) and closes it. The session authenticates with the
 * current logon: Kerberos inside a domain (this PC has USERDNSDOMAIN), HTTPS on 5986 outside one
 * (TrustedHosts is the technician's choice, not ours), plain HTTP for this PC itself (localhost).
 * The script comes back as one marked line, so a profile banner or a warning cannot be mistaken for it.
 */
import type { Host } from './host.ts'
import { MAX_TIMEOUT_MS } from './host.ts'
import { powershellSpec } from './powershell.ts'
import { psLiteral } from './powershell-text.ts'
import { SECURE_FOLDER_FUNCTIONS, secureFolderCall } from './secure-folder-script.ts'
import { win32 } from 'node:path'
import { createWindowsHost } from './windows-host.ts'
import {
  ConnectError,
  CREDENTIAL_CANCELLED,
  emptyStats,
  SessionLostError,
  type Transport,
  type TransportStats,
} from './transport.ts'

export interface PowerShellTransportOptions {
  computer: string
  /** 'auto' (default): Kerberos/HTTP in a domain or for localhost, HTTPS (5986) otherwise. */
  scheme?: 'auto' | 'http' | 'https'
  /** This PC's Host (WindowsHost); tests pass their own. */
  local?: Host
  /**
   * 'prompt': every round trip's powershell.exe asks with Windows' own credential prompt (Get-Credential) and
   * opens its session with -Credential. The password stays inside that powershell.exe: it is never in argv,
   * the environment, a file or the app's memory. Without it: the current logon.
   */
  credential?: 'prompt'
}

const MARK = { result: 'SD-RESULT:', hash: 'SD-HASH:', connect: 'SD-CONNECT-ERROR:', lost: 'SD-SESSION-LOST:' } as const

/**
 * The wrapper each round trip runs on this PC: connect, do one thing, disconnect. `body` uses $s.
 * With `credential: 'prompt'`, Windows' own prompt (Get-Credential; in Windows PowerShell 5.1 a dialog, shown
 * under -NonInteractive too: https://github.com/PowerShell/PowerShell/issues/5584) gives the credential, which
 * goes to New-PSSession as -Credential and nowhere else; a cancelled prompt connects nothing. Test-WSMan asks
 * first, anonymously (without -Authentication it sends an unauthenticated identify request: Test-WSMan help),
 * so a PC that does not answer (off, restarting: the reconnect loop) never brings up the prompt.
 */
export function sessionScript(
  computer: string,
  scheme: 'auto' | 'http' | 'https',
  body: string,
  credential?: 'prompt',
): string {
  const connectError = `catch { Write-Output ('${MARK.connect}' + $_.Exception.Message); exit 3 }`
  return [
    `$c = @{ ComputerName = ${psLiteral(computer)}; ErrorAction = 'Stop' }`,
    scheme === 'https'
      ? `$c.UseSSL = $true; $c.Port = 5986`
      : scheme === 'auto'
        ? `if (-not $env:USERDNSDOMAIN -and ${psLiteral(computer)} -notin @('localhost', '127.0.0.1', $env:COMPUTERNAME)) { $c.UseSSL = $true; $c.Port = 5986 }`
        : '',
    credential === 'prompt'
      ? [
          `try { Test-WSMan @c | Out-Null } ${connectError}`,
          `$cred = Get-Credential -Message ${psLiteral(`Servicing Desk: an account that is an administrator on ${computer}`)}`,
          `if ($null -eq $cred) { Write-Output ${psLiteral(MARK.connect + CREDENTIAL_CANCELLED)}; exit 3 }`,
          `try { $s = New-PSSession @c -Credential $cred -Authentication Default } ${connectError}`,
        ].join('\n')
      : `try { Test-WSMan @c | Out-Null; $s = New-PSSession @c } ${connectError}`,
    `try {`,
    body,
    `} catch {`,
    `  if ($s.State -ne 'Opened') { Write-Output ('${MARK.lost}' + $_.Exception.Message); exit 4 }`,
    `  throw`,
    `} finally { Remove-PSSession -Session $s -ErrorAction SilentlyContinue }`,
  ]
    .filter(Boolean)
    .join('\n')
}

export function invokeBody(script: string): string {
  const b64 = Buffer.from(script, 'utf8').toString('base64')
  return [
    `  $text = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(${psLiteral(b64)}))`,
    `  $out = Invoke-Command -Session $s -ScriptBlock ([scriptblock]::Create($text))`,
    `  Write-Output ('${MARK.result}' + (@($out) -join ' '))`,
  ].join('\n')
}

export function copyBody(localPath: string, remotePath: string): string {
  return [
    // The folder on the PC through the one writer (secure-folder-script.ts): Administrators and SYSTEM only, no link on
    // its path, nobody else's grant, so the copy hashed below is the file the SYSTEM task then uses.
    `  $sdPrep = [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String(${psLiteral(Buffer.from(`${SECURE_FOLDER_FUNCTIONS}\n${secureFolderCall(win32.dirname(remotePath))}`, 'utf8').toString('base64'))}))`,
    `  $why = Invoke-Command -Session $s -ScriptBlock ([scriptblock]::Create($sdPrep))`,
    `  if ($why) { throw ('The folder on the PC is not safe to copy into: ' + $why) }`,
    `  Copy-Item -LiteralPath ${psLiteral(localPath)} -Destination ${psLiteral(remotePath)} -ToSession $s -Force`,
    `  $h = Invoke-Command -Session $s -ScriptBlock { param($p) (Get-FileHash -LiteralPath $p -Algorithm SHA256).Hash } -ArgumentList ${psLiteral(remotePath)}`,
    `  Write-Output ('${MARK.hash}' + $h)`,
  ].join('\n')
}

export function createPowerShellTransport(opts: PowerShellTransportOptions): Transport {
  const counters: TransportStats = emptyStats()
  const scheme =
    opts.scheme ??
    (process.env.SERVICING_DESK_WINRM === 'http' || process.env.SERVICING_DESK_WINRM === 'https'
      ? process.env.SERVICING_DESK_WINRM
      : 'auto')
  let local: Host | null = opts.local ?? null

  async function roundTrip(name: string, body: string, signal?: AbortSignal): Promise<string> {
    counters.roundTrips++
    counters.connects++
    local ??= createWindowsHost({})
    const r = await local.run(
      powershellSpec(name, sessionScript(opts.computer, scheme, body, opts.credential), MAX_TIMEOUT_MS),
      { signal },
    )
    const lines = r.stdout.split(/\r?\n/)
    const marked = (m: string) => lines.find((l) => l.startsWith(m))?.slice(m.length)
    const connectError = marked(MARK.connect)
    if (connectError !== undefined) throw new ConnectError(connectError)
    const lost = marked(MARK.lost)
    if (lost !== undefined) throw new SessionLostError(`The session to ${opts.computer} was lost: ${lost}`, true)
    if (r.cancelled) throw new SessionLostError('Cancelled.', true)
    if (!r.ok)
      throw new SessionLostError(
        `powershell.exe ended with exit code ${r.exitCode} before the session answered: ${(r.stderr || r.stdout).slice(0, 500)}`,
        true,
      )
    return r.stdout
  }

  return {
    computer: opts.computer,
    async invoke(script, signal) {
      counters.invokes++
      const out = await roundTrip('remote.invoke', invokeBody(script), signal)
      const line = out.split(/\r?\n/).find((l) => l.startsWith(MARK.result))
      if (line === undefined) throw new SessionLostError(`${opts.computer} answered without a result line.`, true)
      return line.slice(MARK.result.length)
    },
    async copy(localPath, remotePath, signal) {
      counters.copies++
      const out = await roundTrip('remote.copy', copyBody(localPath, remotePath), signal)
      const line = out.split(/\r?\n/).find((l) => l.startsWith(MARK.hash))
      return line ? line.slice(MARK.hash.length).trim().toLowerCase() || null : null
    },
    async close() {
      /* each round trip closes its own session */
    },
    stats: () => ({ ...counters }),
  }
}
