/**
 * The PowerShell the remote Host sends is parsed by PowerShell's grammar (tree-sitter-powershell): it has
 * no syntax error, runs only the commands we wrote, and every value in it — a command's arguments, a path,
 * the computer's name — stays data even when it is hostile. The training transport reads back exactly the
 * values the script carries (its interpreter is the script's own call lines, nothing more).
 */
import { describe, expect, it } from 'vitest'
import { batchScript, parseBatchOutput, taskRunnerScript, type RemoteItem } from '../../../main/host/remote-script.ts'
import { parseCalls } from '../../../main/training/transport-training.ts'
import { copyBody, invokeBody, sessionScript } from '../../../main/host/transport-powershell.ts'
import { commandsOf, errorsOf, parsePowerShell, placesOf } from '../security/powershell-grammar.ts'

const HOSTILE = "x'; Start-Process calc; '\u2018 $(Invoke-Expression 'ZQXMARK') \" #> <# ZQXMARK"

function items(arg: string, path: string): RemoteItem[] {
  return [
    { kind: 'preflight', id: 'p1' },
    {
      kind: 'command',
      id: 'c1',
      mode: 'direct',
      spec: {
        name: 'os.currentversion',
        file: 'reg.exe',
        args: ['query', 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion', arg],
        timeoutMs: 30_000,
        outputEncoding: 'console',
      },
    },
    {
      kind: 'command',
      id: 'c2',
      mode: 'task',
      spec: {
        name: 'install.dism-add-package',
        file: 'dism.exe',
        args: ['/Online', '/Add-Package', `/PackagePath:${path}`, arg],
        timeoutMs: 3_600_000,
        outputEncoding: 'console',
      },
    },
    { kind: 'read', id: 'r1', path },
    { kind: 'list', id: 'l1', path },
    { kind: 'exists', id: 'e1', path },
    { kind: 'hash', id: 'h1', path },
  ]
}

describe('the batch script', () => {
  const benign = batchScript(items('plain', 'C:\\ProgramData\\ServicingDesk\\kits\\a.msu'))
  const hostile = batchScript(items(HOSTILE, `C:\\ProgramData\\ServicingDesk\\kits\\${HOSTILE}.msu`))

  it('parses without a syntax error and runs only the commands we wrote, also with hostile values', () => {
    const a = parsePowerShell(benign)
    const b = parsePowerShell(hostile)
    expect(errorsOf(a)).toEqual([])
    expect(errorsOf(b)).toEqual([])
    expect(commandsOf(b)).toEqual(commandsOf(a))
    expect(commandsOf(a).names).not.toContain('start-process')
  })

  it('keeps every occurrence of a hostile value inside a verbatim string', () => {
    const places = placesOf(parsePowerShell(hostile), hostile, 'ZQXMARK')
    expect(places.length).toBeGreaterThanOrEqual(12)
    expect(new Set(places)).toEqual(new Set(['data']))
  })

  it('is read back by the training transport value for value', () => {
    const calls = parseCalls(hostile)
    expect(calls.map((c) => c.fn)).toEqual([
      'Get-SdPreflight',
      'Invoke-SdCommand',
      'Invoke-SdCommand',
      'Read-SdFile',
      'Get-SdList',
      'Test-SdPath',
      'Get-SdFileHash',
    ])
    expect(calls[1].params.get('ArgumentList')).toEqual([
      'query',
      'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion',
      HOSTILE,
    ])
    expect(calls[1].params.get('File')).toBe('%SystemRoot%\\System32\\reg.exe')
    expect(calls[2].params.get('Mode')).toBe('task')
    expect(calls[2].params.get('TimeoutMs')).toBe(3_600_000)
    expect(calls[3].params.get('Path')).toBe(`C:\\ProgramData\\ServicingDesk\\kits\\${HOSTILE}.msu`)
  })

  it('refuses an id that is not letters, digits and dashes, and a value with a line break', () => {
    expect(() => batchScript([{ kind: 'preflight', id: "x'" }])).toThrow('remote item id')
    expect(() => batchScript([{ kind: 'read', id: 'r', path: 'C:\\a\nb' }])).toThrow('control character')
  })
})

describe('the SYSTEM task runner and the session wrapper', () => {
  it('the task runner parses and keeps hostile arguments as data', () => {
    const script = taskRunnerScript('abc-1', {
      name: 'repair.dism-restorehealth',
      file: 'dism.exe',
      args: ['/Online', HOSTILE],
      timeoutMs: 60_000,
    })
    const tree = parsePowerShell(script)
    expect(errorsOf(tree)).toEqual([])
    expect(new Set(placesOf(tree, script, 'ZQXMARK'))).toEqual(new Set(['data']))
    expect(script).toContain("$result = Join-Path $env:ProgramData 'ServicingDesk\\remote\\abc-1.json'")
  })

  it('the powershell.exe wrapper (New-PSSession, Invoke-Command, Copy-Item -ToSession) keeps the computer, paths and script as data', () => {
    for (const body of [
      invokeBody(batchScript(items(HOSTILE, 'C:\\x.msu'))),
      copyBody(`C:\\kits\\${HOSTILE}.msu`, `C:\\ProgramData\\ServicingDesk\\kits\\${HOSTILE}.msu`),
    ]) {
      const script = sessionScript('FRONTDESK-03', 'auto', body)
      const tree = parsePowerShell(script)
      expect(errorsOf(tree)).toEqual([])
      expect(commandsOf(tree).names).not.toContain('start-process')
      // The script travels base64-encoded (no marker in the text at all); the copy's paths are verbatim strings.
      expect(placesOf(tree, script, 'ZQXMARK').filter((p) => p !== 'data')).toEqual([])
    }
    const copyScript = sessionScript(
      'FRONTDESK-03',
      'auto',
      copyBody(`C:\\kits\\${HOSTILE}.msu`, 'C:\\ProgramData\\ServicingDesk\\x.msu'),
    )
    expect(placesOf(parsePowerShell(copyScript), copyScript, 'ZQXMARK').length).toBeGreaterThan(0)
    const copy = sessionScript('FRONTDESK-03', 'https', copyBody('C:\\a.msu', 'C:\\ProgramData\\ServicingDesk\\a.msu'))
    expect(commandsOf(parsePowerShell(copy)).names).toEqual(
      expect.arrayContaining(['new-pssession', 'copy-item', 'invoke-command', 'test-wsman', 'remove-pssession']),
    )
    expect(copy).toContain('$c.UseSSL = $true; $c.Port = 5986')
  })
})

describe("the script's answer", () => {
  it('is found among other output and its text fields are decoded', () => {
    const json = JSON.stringify([
      {
        id: 'c1',
        kind: 'command',
        exitCode: 3010,
        stdout: Buffer.from('The operation completed successfully.\r\n').toString('base64'),
        stderr: '',
        timedOut: false,
        pending: false,
      },
    ])
    expect(parseBatchOutput(`WARNING: something\r\n${json}\r\n`)).toEqual([
      {
        kind: 'command',
        id: 'c1',
        exitCode: 3010,
        stdout: 'The operation completed successfully.\r\n',
        stderr: '',
        timedOut: false,
        pending: false,
      },
    ])
    expect(parseBatchOutput('no json here')).toBeNull()
  })
})
