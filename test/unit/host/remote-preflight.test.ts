/**
 * Pre-flight in plain words (issue 30 §2): each common remote failure, recognised from Windows' own error
 * text (captured in test/fixtures/winrm/, each with its public source), is named in one sentence with the
 * command that fixes it; and over the training transport the same sentences reach the person.
 */
import { describe, expect, it } from 'vitest'
import { loadFixture } from '../../fixtures/load.ts'
import { classifyRemoteFailure, describePreflight, isLocalAccount, preflightFailure } from '../../../main/host/remote-preflight.ts'
import { createServices } from '../../../main/services.ts'
import { TrainingTransport, type TrainingFaults } from '../../../main/host/transport-training.ts'
import { tempDir } from '../temp-dirs.ts'

const pc = 'FRONTDESK-03'

describe('a remote failure is named from Windows\' text, in one sentence with its fix', () => {
  it('WinRM cannot complete the operation: unreachable or firewalled (Enable-PSRemoting, the WinRM firewall rule)', () => {
    const f = classifyRemoteFailure(loadFixture('winrm/firewall-unreachable.txt').text, { computer: pc })
    expect(f.kind).toBe('firewall')
    expect(f.sentence).toBe('FRONTDESK-03 does not answer on WinRM (TCP 5985): the PC is off or unreachable, or its firewall blocks remoting (on a Public network Windows allows it only from the same subnet).')
    expect(f.fix).toContain("Set-NetFirewallRule -Name 'WINRM-HTTP-In-TCP'")
  })

  it('the connection was refused: WinRM is off there (Enable-PSRemoting -Force)', () => {
    const f = classifyRemoteFailure(loadFixture('winrm/winrm-refused.txt').text, { computer: pc })
    expect(f.kind).toBe('winrm-off')
    expect(f.sentence).toBe('FRONTDESK-03 answers on the network but PowerShell remoting (the WinRM service) is not switched on there.')
    expect(f.fix).toBe('On FRONTDESK-03, as administrator: Enable-PSRemoting -Force')
  })

  it('Access is denied with a domain account: not an administrator there', () => {
    const f = classifyRemoteFailure(loadFixture('winrm/access-denied.txt').text, { computer: pc })
    expect(f.kind).toBe('access-denied')
    expect(f.sentence).toBe('FRONTDESK-03 refused the session: your account is not an administrator there (PowerShell remoting admits only administrators by default).')
    expect(f.fix).toContain('Add-LocalGroupMember -Group Administrators')
  })

  it('Access is denied with a local account: LocalAccountTokenFilterPolicy', () => {
    const f = classifyRemoteFailure(loadFixture('winrm/access-denied.txt').text, { computer: pc, localAccount: isLocalAccount('FRONTDESK-03\\helpdesk', pc) })
    expect(f.kind).toBe('local-account-token')
    expect(f.sentence).toBe('FRONTDESK-03 refused your local account: Windows gives a local administrator only a filtered, non-elevated token over the network unless LocalAccountTokenFilterPolicy is set.')
    expect(f.fix).toContain('-Name LocalAccountTokenFilterPolicy -Value 1 -PropertyType DWord')
  })

  it('TrustedHosts / HTTPS for a PC outside the domain', () => {
    const f = classifyRemoteFailure(loadFixture('winrm/trusted-hosts.txt').text, { computer: pc })
    expect(f.kind).toBe('trusted-hosts')
    expect(f.sentence).toBe("FRONTDESK-03 is not in a domain with this PC, so Windows will not send your password to it unless it is in this PC's TrustedHosts list or reached over HTTPS (5986).")
    expect(f.fix).toContain("Set-Item WSMan:\\localhost\\Client\\TrustedHosts -Value 'FRONTDESK-03' -Concatenate -Force")
  })

  it('tells a local account from a domain one', () => {
    expect(isLocalAccount('.\\admin', pc)).toBe(true)
    expect(isLocalAccount('frontdesk-03\\admin', pc)).toBe(true)
    expect(isLocalAccount('CONTOSO\\admin', pc)).toBe(false)
    expect(isLocalAccount(undefined, pc)).toBe(false)
  })

  it('says the pre-flight facts in plain words, and stops a session without administrator rights', () => {
    const facts = { computerName: pc, admin: true, processorArchitecture: 12, build: '26100', ubr: 4061, freeBytes: 8 * 1024 ** 3, pendingRestart: true, bootTime: '2026-01-01T00:00:00.000Z' }
    expect(describePreflight(pc, facts)).toEqual([
      'Reachable: FRONTDESK-03 answered over WinRM.',
      'Administrator there: yes.',
      'Native architecture: ARM64.',
      'Build: 26100.4061.',
      'Free space on the system drive: 8.0 GB — low: a cumulative update needs about 10 GB.',
      'A restart is pending there: restart before installing.',
    ])
    expect(preflightFailure(pc, facts)).toBeNull()
    expect(preflightFailure(pc, { ...facts, admin: false })?.sentence).toBe('You reached FRONTDESK-03, but not as an administrator there (the session\'s token is not elevated), so nothing can be installed or repaired.')
  })
})

async function scanWith(faults: TrainingFaults) {
  const dataDir = await tempDir('sd-remote-pre-')
  const services = createServices({
    dataDir, platform: 'linux', remoteReconnect: { attempts: 2, delayMs: 0 },
    remoteTransport: (t) => new TrainingTransport({ computer: t.computer, machine: t.training!.machine, host: t.training!.host, store: t.training!.store, faults }),
  })
  return services.scan({ kind: 'training', name: 'x64-healthy', via: 'winrm' })
}

describe('over the training transport the person reads the sentence, not a list of unknown facts', () => {
  it('access denied at connect', async () => {
    await expect(scanWith({ accessDenied: true })).rejects.toThrow('DEV-WS-01 refused the session: your account is not an administrator there')
  })
  it('a session without administrator rights', async () => {
    await expect(scanWith({ notAdmin: true })).rejects.toThrow('You reached DEV-WS-01, but not as an administrator there')
  })
  it('a PC that does not come back names the firewall/unreachable sentence', async () => {
    // The PC went away after the first round trip and never answered again within the reconnect budget.
    const dataDir = await tempDir('sd-remote-pre-')
    let t: TrainingTransport | null = null
    const services = createServices({
      dataDir, platform: 'linux', remoteReconnect: { attempts: 2, delayMs: 0 },
      remoteTransport: (x) => (t = new TrainingTransport({ computer: x.computer, machine: x.training!.machine, host: x.training!.host, store: x.training!.store, faults: { restartDownConnects: 99 } })),
    })
    const ref = { kind: 'training', name: 'x64-healthy', via: 'winrm' } as const
    await services.scan(ref)
    await services.hostFor(ref).run({ name: 'install.restart', file: 'shutdown.exe', args: ['/r', '/t', '0'], timeoutMs: 60_000 })
    expect(t).not.toBeNull()
    await expect(services.scan(ref)).rejects.toThrow('DEV-WS-01 does not answer on WinRM (TCP 5985)')
  })
})

describe('the second hop', () => {
  it('a command in the session refused a third computer is named, with copying into the session as the way', () => {
    const f = classifyRemoteFailure(loadFixture('winrm/second-hop.txt').text, { computer: pc })
    expect(f.kind).toBe('second-hop')
    expect(f.sentence).toBe('A command on FRONTDESK-03 was refused another computer or a file share: a remote session cannot pass your credentials on to a third computer (the "second hop").')
    expect(f.fix).toContain('Copy-Item -ToSession')
  })
})
