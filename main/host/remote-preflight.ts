/**
 * Pre-flight in plain words: what the PC said before anything ran there, and every common reason a
 * remote session fails, each named in one sentence with the command that fixes it.
 *
 * Failures are recognised from Windows' own error text (the same text on every PC with an English UI;
 * the HRESULTs WinRM prints are matched too). Sources of the texts, as captured in test/fixtures/winrm/:
 * - "WinRM cannot complete the operation. Verify that the specified computer name is valid, that the
 *   computer is accessible over the network, and that a firewall exception for the WinRM service is
 *   enabled…" (error 0x80338126, ERROR_WSMAN_NETWORK_TIMEDOUT): learn.microsoft.com/en-us/answers/questions/185148
 * - "The connection to the remote host was refused. Verify that the WS-Management service is running on
 *   the remote host…": Windows PowerShell 2.0 help, "How to enable remoting … firewall exception".
 * - "… failed with the following error message : Access is denied.": about_Remote_Troubleshooting;
 *   a local account also needs LocalAccountTokenFilterPolicy=1 for an elevated remote token
 *   (../shared/reference/remote-and-fleet.md; PSWindowsUpdate Enable-WURemoting sets it).
 * - "… HTTPS transport must be used or the destination machine must be added to the TrustedHosts
 *   configuration setting.": awakecoding.com/posts/powershell-remoting-trusted-hosts-what-does-it-mean
 * - The second hop: a command in the session is refused a third computer — "Cannot open Service Control
 *   Manager on computer '…'" (blogs.technet.microsoft.com/heyscriptingguy/2013/11/27/remoting-week-configuring-remoting)
 *   or a file share — "copy-item : Access is denied" with the share's UNC path on the command line, from
 *   System.UnauthorizedAccessException (github.com/diyan/pywinrm/issues/350; the mechanism: PowerShell-Docs,
 *   security/remoting/PS-remoting-second-hop.md); the app copies files into the session instead.
 */
import { CREDENTIAL_CANCELLED, type PreflightFacts } from './transport.ts'

export type RemoteFailureKind =
  | 'credential-cancelled'
  | 'winrm-off'
  | 'firewall'
  | 'access-denied'
  | 'local-account-token'
  | 'trusted-hosts'
  | 'second-hop'
  | 'not-admin'
  | 'unknown'

export interface RemoteFailure {
  kind: RemoteFailureKind
  /** One sentence a technician can act on. */
  sentence: string
  /** The command that fixes it, and where to run it. */
  fix: string
  /** Windows' own text, for the record. */
  text: string
}

export interface FailureContext {
  computer: string
  /** The account the session used is a local account of the PC (PC\user, .\user), not a domain account. */
  localAccount?: boolean
}

/** The second hop needs no setting: the app copies files into the session, never from a share. */
const SECOND_HOP_FIX = `Nothing to set up: let Servicing Desk copy the files into the session (Copy-Item -ToSession) — use a kit or source folder on this PC, not a share.`

/** Names the failure behind Windows' error text. */
export function classifyRemoteFailure(text: string, ctx: FailureContext): RemoteFailure {
  const t = text.replace(/\s+/g, ' ')
  const pc = ctx.computer
  const f = (kind: RemoteFailureKind, sentence: string, fix: string): RemoteFailure => ({
    kind,
    sentence,
    fix,
    text: text.trim(),
  })
  if (t.includes(CREDENTIAL_CANCELLED)) {
    return f(
      'credential-cancelled',
      `You cancelled the Windows credential prompt for ${pc}: nothing was sent to ${pc} and nothing ran there.`,
      `Connect again and enter an account that is an administrator on ${pc} (DOMAIN\\user, or ${pc}\\user for a local account), or connect without other credentials to use your own logon.`,
    )
  }
  if (/TrustedHosts configuration setting|HTTPS transport must be used/i.test(t)) {
    return f(
      'trusted-hosts',
      `${pc} is not in a domain with this PC, so Windows will not send your password to it unless it is in this PC's TrustedHosts list or reached over HTTPS (5986).`,
      `On this PC, as administrator: Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value '${pc}' -Concatenate -Force   (or set up an HTTPS listener on ${pc} and connect with HTTPS)`,
    )
  }
  if (
    /connection to the remote host was refused|cannot connect to the destination specified in the request|0x80338012\b|WS-Management service is running/i.test(
      t,
    )
  ) {
    return f(
      'winrm-off',
      `${pc} answers on the network but PowerShell remoting (the WinRM service) is not switched on there.`,
      `On ${pc}, as administrator: Enable-PSRemoting -Force`,
    )
  }
  if (/WinRM cannot complete the operation|0x80338126\b|firewall exception for the WinRM service/i.test(t)) {
    return f(
      'firewall',
      `${pc} does not answer on WinRM (TCP 5985): the PC is off or unreachable, or its firewall blocks remoting (on a Public network Windows allows it only from the same subnet).`,
      `On ${pc}, as administrator: Enable-PSRemoting -Force; Set-NetFirewallRule -Name 'WINRM-HTTP-In-TCP' -RemoteAddress Any`,
    )
  }
  const share = /\\\\[^\\\s]+\\[^\s\\]*/.exec(t)?.[0]
  if (share && /Access (is|to the path .* is) denied|0x80070005\b/i.test(t)) {
    return f(
      'second-hop',
      `A command on ${pc} was refused the file share ${share} ("Access is denied"): a remote session cannot pass your credentials on to a third computer (the "second hop").`,
      SECOND_HOP_FIX,
    )
  }
  if (/Cannot open Service Control Manager on computer/i.test(t)) {
    return f(
      'second-hop',
      `A command on ${pc} was refused another computer or a file share: a remote session cannot pass your credentials on to a third computer (the "second hop").`,
      SECOND_HOP_FIX,
    )
  }
  if (/Access is denied|0x80070005\b|-2147024891\b/i.test(t)) {
    if (ctx.localAccount) {
      return f(
        'local-account-token',
        `${pc} refused your local account: Windows gives a local administrator only a filtered, non-elevated token over the network unless LocalAccountTokenFilterPolicy is set.`,
        `On ${pc}, as administrator: New-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System' -Name LocalAccountTokenFilterPolicy -Value 1 -PropertyType DWord -Force`,
      )
    }
    return f(
      'access-denied',
      `${pc} refused the session: your account is not an administrator there (PowerShell remoting admits only administrators by default).`,
      `Connect with an account in ${pc}'s Administrators group, or on ${pc}: Add-LocalGroupMember -Group Administrators -Member 'DOMAIN\\you'`,
    )
  }
  return f('unknown', `The session to ${pc} failed: ${t.slice(0, 300)}`, `Test-WSMan -ComputerName ${pc}`)
}

/** The account looks like a local account of `computer` (COMPUTER\user or .\user). */
export function isLocalAccount(user: string | undefined, computer: string): boolean {
  if (!user) return false
  const domain = user.includes('\\') ? user.split('\\')[0] : null
  return domain === '.' || (domain !== null && domain.toLowerCase() === computer.split('.')[0].toLowerCase())
}

const ARCH: Record<number, string> = { 0: 'x86', 5: 'ARM', 9: 'x64', 12: 'ARM64' }

/** The pre-flight facts in plain words, one line each. */
export function describePreflight(computer: string, p: PreflightFacts): string[] {
  const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`
  return [
    `Reachable: ${p.computerName || computer} answered over WinRM.`,
    p.admin ? 'Administrator there: yes.' : 'Administrator there: NO — nothing can be installed or repaired.',
    `Native architecture: ${ARCH[p.processorArchitecture] ?? `unknown (${p.processorArchitecture})`}.`,
    `Build: ${p.build}.${p.ubr}.`,
    `Free space on the system drive: ${gb(p.freeBytes)}${p.freeBytes < 10 * 1024 ** 3 ? ' — low: a cumulative update needs about 10 GB' : ''}.`,
    p.pendingRestart ? 'A restart is pending there: restart before installing.' : 'No restart pending.',
  ]
}

/** The pre-flight facts that stop a session from doing anything: not an administrator there. */
export function preflightFailure(computer: string, p: PreflightFacts): RemoteFailure | null {
  if (p.admin) return null
  return {
    kind: 'not-admin',
    text: '',
    sentence: `You reached ${computer}, but not as an administrator there (the session's token is not elevated), so nothing can be installed or repaired.`,
    fix: `Connect with an account in ${computer}'s Administrators group; for a local account, on ${computer}: New-ItemProperty -Path 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System' -Name LocalAccountTokenFilterPolicy -Value 1 -PropertyType DWord -Force`,
  }
}
