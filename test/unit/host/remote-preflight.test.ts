/**
 * Pre-flight in plain words: each common remote failure, recognised from Windows' own error
 * text (captured in test/fixtures/winrm/, each with its public source), is named in one sentence with the
 * command that fixes it; and over the training transport the same sentences reach the person.
 */
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import {
  classifyRemoteFailure,
  describePreflight,
  isLocalAccount,
  preflightFailure,
} from '../../../main/host/remote-preflight.ts'
import { createServices } from '../../../main/services.ts'
import { TrainingTransport, type TrainingFaults } from '../../../main/training/transport-training.ts'
import { CREDENTIAL_CANCELLED } from '../../../main/host/transport.ts'
import { tempDir } from '../temp-dirs.ts'

const pc = 'FRONTDESK-03'

describe("a remote failure is named from Windows' text, in one sentence with its fix", () => {
  it.each([
    {
      what: 'WinRM cannot complete the operation: unreachable or firewalled (Enable-PSRemoting, the WinRM firewall rule)',
      fixture: 'firewall-unreachable.txt',
      kind: 'firewall',
      sentence:
        'FRONTDESK-03 does not answer on WinRM (TCP 5985): the PC is off or unreachable, or its firewall blocks remoting (on a Public network Windows allows it only from the same subnet).',
      fix: "Set-NetFirewallRule -Name 'WINRM-HTTP-In-TCP'",
    },
    {
      what: 'the connection was refused: WinRM is off there (Enable-PSRemoting -Force)',
      fixture: 'winrm-refused.txt',
      kind: 'winrm-off',
      sentence:
        'FRONTDESK-03 answers on the network but PowerShell remoting (the WinRM service) is not switched on there.',
      fix: 'On FRONTDESK-03, as administrator: Enable-PSRemoting -Force',
    },
    {
      what: 'Access is denied with a domain account: not an administrator there',
      fixture: 'access-denied.txt',
      kind: 'access-denied',
      sentence:
        'FRONTDESK-03 refused the session: your account is not an administrator there (PowerShell remoting admits only administrators by default).',
      fix: 'Add-LocalGroupMember -Group Administrators',
    },
    {
      what: 'Access is denied with a local account: LocalAccountTokenFilterPolicy',
      fixture: 'access-denied.txt',
      user: 'FRONTDESK-03\\helpdesk',
      kind: 'local-account-token',
      sentence:
        'FRONTDESK-03 refused your local account: Windows gives a local administrator only a filtered, non-elevated token over the network unless LocalAccountTokenFilterPolicy is set.',
      fix: '-Name LocalAccountTokenFilterPolicy -Value 1 -PropertyType DWord',
    },
    {
      what: 'TrustedHosts / HTTPS for a PC outside the domain',
      fixture: 'trusted-hosts.txt',
      kind: 'trusted-hosts',
      sentence:
        "FRONTDESK-03 is not in a domain with this PC, so Windows will not send your password to it unless it is in this PC's TrustedHosts list or reached over HTTPS (5986).",
      fix: "Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value 'FRONTDESK-03' -Concatenate -Force",
    },
    {
      what: 'the second hop to another computer (Service Control Manager)',
      fixture: 'second-hop.txt',
      kind: 'second-hop',
      sentence:
        'A command on FRONTDESK-03 was refused another computer or a file share: a remote session cannot pass your credentials on to a third computer (the "second hop").',
      fix: 'Copy-Item -ToSession',
    },
    {
      what: 'the second hop to a file share (Copy-Item: Access is denied, the share on the command line)',
      fixture: 'second-hop-share.txt',
      kind: 'second-hop',
      sentence:
        'A command on FRONTDESK-03 was refused the file share \\\\172.27.1.47\\D$ ("Access is denied"): a remote session cannot pass your credentials on to a third computer (the "second hop").',
      fix: 'Copy-Item -ToSession',
    },
  ])('$what', ({ fixture, user, kind, sentence, fix }) => {
    const f = classifyRemoteFailure(loadFixture(`winrm/${fixture}`).text, {
      computer: pc,
      localAccount: isLocalAccount(user, pc),
    })
    expect(f.kind).toBe(kind)
    expect(f.sentence).toBe(sentence)
    expect(f.fix).toContain(fix)
  })

  it('a cancelled credential prompt (Get-Credential outputs nothing; the session script says so): nothing was sent', () => {
    const f = classifyRemoteFailure(CREDENTIAL_CANCELLED, { computer: pc })
    expect(f.kind).toBe('credential-cancelled')
    expect(f.sentence).toBe(
      'You cancelled the Windows credential prompt for FRONTDESK-03: nothing was sent to FRONTDESK-03 and nothing ran there.',
    )
    expect(f.fix).toContain('an account that is an administrator on FRONTDESK-03')
  })

  it('tells a local account from a domain one', () => {
    expect(isLocalAccount('.\\admin', pc)).toBe(true)
    expect(isLocalAccount('frontdesk-03\\admin', pc)).toBe(true)
    expect(isLocalAccount('CONTOSO\\admin', pc)).toBe(false)
    expect(isLocalAccount(undefined, pc)).toBe(false)
  })

  it('says the pre-flight facts in plain words, and stops a session without administrator rights', () => {
    const facts = {
      computerName: pc,
      admin: true,
      processorArchitecture: 12,
      build: '26100',
      ubr: 4061,
      freeBytes: 8 * 1024 ** 3,
      pendingRestart: true,
      bootTime: '2026-01-01T00:00:00.000Z',
    }
    expect(describePreflight(pc, facts)).toEqual([
      'Reachable: FRONTDESK-03 answered over WinRM.',
      'Administrator there: yes.',
      'Native architecture: ARM64.',
      'Build: 26100.4061.',
      'Free space on the system drive: 8.0 GB — low: a cumulative update needs about 10 GB.',
      'A restart is pending there: restart before installing.',
    ])
    expect(preflightFailure(pc, facts)).toBeNull()
    expect(preflightFailure(pc, { ...facts, admin: false })?.sentence).toBe(
      "You reached FRONTDESK-03, but not as an administrator there (the session's token is not elevated), so nothing can be installed or repaired.",
    )
  })
})

async function scanWith(faults: TrainingFaults) {
  const dataDir = await tempDir('sd-remote-pre-')
  const services = createServices({
    dataDir,
    platform: 'linux',
    remoteReconnect: { attempts: 2, delayMs: 0 },
    remoteTransport: (t) =>
      new TrainingTransport({
        computer: t.computer,
        machine: t.training!.machine,
        host: t.training!.host,
        store: t.training!.store,
        faults,
      }),
  })
  return services.scan({ kind: 'training', name: 'x64-healthy', via: 'winrm' })
}

describe('over the training transport the person reads the sentence, not a list of unknown facts', () => {
  it.each<[string, TrainingFaults, string]>([
    [
      'access denied at connect',
      { accessDenied: true },
      'DEV-WS-01 refused the session: your account is not an administrator there',
    ],
    [
      'a session without administrator rights',
      { notAdmin: true },
      'You reached DEV-WS-01, but not as an administrator there',
    ],
  ])('%s', async (_what, faults, sentence) => {
    await expect(scanWith(faults)).rejects.toThrow(sentence)
  })
  it('a PC that does not come back names the firewall/unreachable sentence', async () => {
    // The PC went away after the first round trip and never answered again within the reconnect budget.
    const dataDir = await tempDir('sd-remote-pre-')
    let t: TrainingTransport | null = null
    const services = createServices({
      dataDir,
      platform: 'linux',
      remoteReconnect: { attempts: 2, delayMs: 0 },
      remoteTransport: (x) =>
        (t = new TrainingTransport({
          computer: x.computer,
          machine: x.training!.machine,
          host: x.training!.host,
          store: x.training!.store,
          faults: { restartDownConnects: 99 },
        })),
    })
    const ref = { kind: 'training', name: 'x64-healthy', via: 'winrm' } as const
    await services.scan(ref)
    await services
      .hostFor(ref)
      .run({ name: 'install.restart', file: 'shutdown.exe', args: ['/r', '/t', '0'], timeoutMs: 60_000 })
    expect(t).not.toBeNull()
    await expect(services.scan(ref)).rejects.toThrow('DEV-WS-01 does not answer on WinRM (TCP 5985)')
  })
})
