/**
 * "Use other credentials" / `--credential`. The technician's own powershell.exe asks with Windows'
 * prompt (Get-Credential) inside the same script that opens the session with -Credential; the app never sees,
 * stores or passes the password. Checked on the script PowerShell's grammar parses (tree-sitter-powershell):
 * Get-Credential is there, every session the script opens (Test-WSMan, New-PSSession) takes -Credential, every
 * other remote command rides that session, and nothing else carries a secret (no password, SecureString or
 * credential file in the script, the argv or the environment). A cancelled prompt (Get-Credential then outputs
 * nothing: main/host/transport.ts CREDENTIAL_CANCELLED) connects nothing, runs nothing, and says so.
 */
import { describe, expect, it } from 'vitest'
import type { Node } from 'web-tree-sitter'
import {
  createPowerShellTransport,
  copyBody,
  invokeBody,
  sessionScript,
} from '../../../main/host/transport-powershell.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'
import { batchScript } from '../../../main/host/remote-script.ts'
import type { CommandResult, CommandSpec, Host } from '../../../main/host/host.ts'
import { ConnectError } from '../../../main/host/transport.ts'
import { TrainingTransport } from '../../../main/training/transport-training.ts'
import { createServices } from '../../../main/services.ts'
import { commandsOf, errorsOf, parsePowerShell } from '../security/powershell-grammar.ts'
import { tempDir } from '../temp-dirs.ts'

const SESSION_OPENERS = new Set(['test-wsman', 'new-pssession', 'enter-pssession', 'new-cimsession'])

/** Every command in the script, with its name and its whole text. */
function commands(script: string): Array<{ name: string; text: string }> {
  return parsePowerShell(script)
    .rootNode.descendantsOfType('command')
    .map((n) => {
      const node = n as Node
      return { name: node.descendantsOfType('command_name')[0]?.text.toLowerCase() ?? '', text: node.text }
    })
}

const bodies = {
  invoke: invokeBody(batchScript([{ kind: 'preflight', id: 'p1' }])),
  copy: copyBody('C:\\ProgramData\\ServicingDesk\\kits\\a.msu', 'C:\\ProgramData\\ServicingDesk\\kits\\a.msu'),
}

describe.each(Object.entries(bodies))('the %s round trip with other credentials', (_name, body) => {
  for (const scheme of ['auto', 'https'] as const) {
    const script = sessionScript('FRONTDESK-03', scheme, body, 'prompt')

    it(`(${scheme}) parses, asks with Get-Credential, and opens every session with -Credential`, () => {
      expect(errorsOf(parsePowerShell(script))).toEqual([])
      const cmds = commands(script)
      expect(cmds.filter((c) => c.name === 'get-credential')).toHaveLength(1)
      const openers = cmds.filter((c) => SESSION_OPENERS.has(c.name))
      expect(openers.map((c) => c.name)).toEqual(['test-wsman', 'new-pssession'])
      // The one session: New-PSSession with the credential. Test-WSMan only asks whether WinRM answers, anonymously,
      // before the prompt: a PC that is off or restarting never brings it up.
      expect(openers[1].text).toMatch(/ -Credential \$cred -Authentication Default$/)
      expect(openers[0].text.trim()).toBe('Test-WSMan @c')
      expect(cmds.findIndex((c) => c.name === 'test-wsman')).toBeLessThan(
        cmds.findIndex((c) => c.name === 'get-credential'),
      )
      // Every other command that reaches the PC rides the session opened with the credential.
      for (const c of cmds.filter((c) => ['invoke-command', 'copy-item', 'remove-pssession'].includes(c.name))) {
        expect(c.text).toMatch(/-(To)?Session \$s\b/)
        expect(c.text).not.toMatch(/-ComputerName/i)
      }
    })

    it(`(${scheme}) carries no secret: the credential object goes only to the session, nothing writes or converts it`, () => {
      expect(script).not.toMatch(/password|SecureString|AsPlainText|Export-Clixml|GetNetworkCredential|PSCredential/i)
      const uses = script.split('\n').filter((l) => l.includes('$cred'))
      expect(uses).toEqual([
        expect.stringMatching(/^\$cred = Get-Credential -Message '/),
        expect.stringMatching(
          /^if \(\$null -eq \$cred\) \{ Write-Output 'SD-CONNECT-ERROR:Get-Credential returned no credential/,
        ),
        expect.stringMatching(/^try \{ \$s = New-PSSession @c -Credential \$cred -Authentication Default \} catch/),
      ])
    })
  }

  it('with the current logon (no --credential) asks nothing', () => {
    const script = sessionScript('FRONTDESK-03', 'auto', body)
    expect(commandsOf(parsePowerShell(script)).names).not.toContain('get-credential')
    expect(script).not.toContain('-Credential')
  })
})

/** This PC's Host as the transport sees it: records each spec and answers with `stdout`. */
function recordingHost(stdout: string): { host: Host; specs: CommandSpec[] } {
  const specs: CommandSpec[] = []
  const host = {
    run: async (spec: CommandSpec): Promise<CommandResult> => {
      specs.push(spec)
      return {
        ok: true,
        exitCode: 3,
        stdout,
        stderr: '',
        timedOut: false,
        cancelled: false,
        durationMs: 1,
      } as unknown as CommandResult
    },
  } as unknown as Host
  return { host, specs }
}

describe('the powershell.exe the transport starts', () => {
  it('gets the prompt inside its encoded script: no password, user name or credential in argv or the environment', async () => {
    const { host, specs } = recordingHost('SD-RESULT:[]')
    const t = createPowerShellTransport({ computer: 'FRONTDESK-03', credential: 'prompt', local: host })
    await t.invoke(batchScript([{ kind: 'preflight', id: 'p1' }]))
    expect(specs).toHaveLength(1)
    expect(specs[0].file).toBe('powershell.exe')
    // A spec has no environment to carry anything (main/host/host.ts CommandSpec): argv and its encoded script only.
    expect(Object.keys(specs[0]).sort()).toEqual(['args', 'file', 'name', 'outputEncoding', 'timeoutMs'])
    expect(specs[0].args.slice(0, -1)).toEqual([
      '-NoLogo',
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
    ])
    expect(decodePowerShellScript(specs[0].args)).toContain('$cred = Get-Credential -Message ')
  })

  it('a cancelled prompt is a ConnectError that names the cancel', async () => {
    const { host } = recordingHost(
      'SD-CONNECT-ERROR:Get-Credential returned no credential: the Windows credential prompt was cancelled.',
    )
    const t = createPowerShellTransport({ computer: 'FRONTDESK-03', credential: 'prompt', local: host })
    const err = await t.invoke(batchScript([{ kind: 'preflight', id: 'p1' }])).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConnectError)
  })
})

describe('a cancelled credential prompt over the training transport', () => {
  it('says so in one sentence, is not retried, and nothing runs on the PC', async () => {
    const ran: string[] = []
    let transport: TrainingTransport | null = null
    const services = createServices({
      dataDir: await tempDir('sd-remote-cred-'),
      platform: 'linux',
      remoteReconnect: { attempts: 5, delayMs: 0 },
      remoteTransport: (t) =>
        (transport = new TrainingTransport({
          computer: t.computer,
          machine: t.training!.machine,
          host: t.training!.host,
          store: t.training!.store,
          faults: { credentialCancelled: true },
          onRun: (name) => ran.push(name),
        })),
    })
    await expect(services.scan({ kind: 'training', name: 'x64-healthy', via: 'winrm' })).rejects.toThrow(
      'You cancelled the Windows credential prompt for DEV-WS-01: nothing was sent to DEV-WS-01 and nothing ran there.',
    )
    expect(ran).toEqual([])
    expect((transport as TrainingTransport | null)?.stats().connects).toBe(1)
    expect((transport as TrainingTransport | null)?.reached()).toBe(0)
  })
})
