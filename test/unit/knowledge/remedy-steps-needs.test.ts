/**
 * A step kind's `needs` (main/knowledge/remedy-steps.ts) only skips a pattern that could not match: kindOfCommand gives
 * the kind the patterns alone give, for every string of the knowledge data, every line and string literal of the app's
 * sources and fixtures (its commands among them), each also upper-cased and lower-cased, and for hand-written commands
 * of every kind. The word lists exist so that explain's start compiles only the patterns a command may match.
 */
import { describe, expect, it, vi } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { STEP_KINDS, kindOfPart as kindOfCommand } from '../../../main/knowledge/remedy-steps.ts'

const ROOT = join(import.meta.dirname, '../../..')
/** The kind by the patterns alone, as kindOfCommand chose before the word lists. */
const byPatterns = (command: string) =>
  (STEP_KINDS.find((k) => k.matches?.test(command.trim())) ?? { id: 'unclassified' }).id

function strings(value: unknown, out: string[]): string[] {
  if (typeof value === 'string') out.push(value)
  else if (Array.isArray(value)) for (const v of value) strings(v, out)
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out)
  return out
}
function files(dir: string, ext: RegExp, out: string[] = []): string[] {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f)
    if (statSync(p).isDirectory()) files(p, ext, out)
    else if (ext.test(f)) out.push(p)
  }
  return out
}

describe('step kinds: the word lists skip only patterns that cannot match', () => {
  it('every kind with a pattern has a list, in lower case', () => {
    for (const k of STEP_KINDS.filter((x) => x.matches)) {
      expect(k.needs?.length, k.id).toBeGreaterThan(0)
      for (const w of k.needs!) expect(w, k.id).toBe(w.toLowerCase())
    }
  })

  it("gives the patterns' kind for every string of the data, the sources and the fixtures, in any case", () => {
    const data = join(ROOT, 'main/knowledge/data')
    const texts = readdirSync(data)
      .filter((f) => f.endsWith('.json'))
      .flatMap((f) => strings(JSON.parse(readFileSync(join(data, f), 'utf8')), []))
    for (const f of [
      ...files(join(ROOT, 'main'), /\.ts$/),
      ...files(join(ROOT, 'test/fixtures'), /\.(txt|log|json|ps1)$/),
    ]) {
      const text = readFileSync(f, 'utf8')
      texts.push(...text.split('\n'))
      for (const m of text.matchAll(/'((?:[^'\\\n]|\\.)*)'|`([^`]*)`|"((?:[^"\\\n]|\\.)*)"/g))
        texts.push((m[1] ?? m[2] ?? m[3])!)
    }
    const kinds = new Map<string, number>()
    let n = 0
    for (const t of texts) {
      for (const s of [t, t.toUpperCase(), t.toLowerCase()]) {
        n++
        const want = byPatterns(s)
        if (kindOfCommand(s).id !== want) expect(kindOfCommand(s).id, s).toBe(want)
        // Each alternative that accepts the command holds one of its own words.
        const parts = want === 'unclassified' ? undefined : STEP_KINDS.find((k) => k.id === want)!.parts
        for (const p of parts ?? [])
          if (p.re.test(s.trim()) && !p.needs.some((w) => s.trim().toLowerCase().includes(w)))
            expect(p.needs, `${want}: ${s}`).toContain(s.trim().toLowerCase())
        kinds.set(want, (kinds.get(want) ?? 0) + 1)
      }
    }
    expect(n).toBeGreaterThan(100_000)
    // Each kind with a pattern is seen in that text, so each list was tried on commands its pattern accepts.
    for (const k of STEP_KINDS.filter((x) => x.matches)) expect(kinds.get(k.id) ?? 0, k.id).toBeGreaterThan(0)
  })

  it("tries a kind made of alternatives by the alternatives a command's words name, never its whole pattern", () => {
    // read's whole pattern (20 programs) cost ~50 M instructions to compile at every start that classified a read.
    const withParts = STEP_KINDS.filter((k) => k.parts)
    expect(withParts.map((k) => k.id)).toEqual(['service-start-type', 'feature-enable', 'read'])
    for (const k of withParts) {
      expect(k.parts!.map((p) => `(?:${p.re.source})`).join('|'), k.id).toBe(k.matches!.source)
      expect(new Set(k.parts!.flatMap((p) => p.needs)), k.id).toEqual(new Set(k.needs))
      for (const p of k.parts!) {
        expect(p.re.flags, k.id).toBe('i')
        for (const w of p.needs) expect(w, k.id).toBe(w.toLowerCase())
      }
    }
    const read = STEP_KINDS.find((k) => k.id === 'read')!
    const whole = vi.spyOn(read.matches!, 'test')
    const tried = read.parts!.map((p) => vi.spyOn(p.re, 'test'))
    try {
      expect(kindOfCommand('%SystemRoot%\\System32\\Dism.exe /Online /Cleanup-Image /ScanHealth').id).toBe('read')
      expect(kindOfCommand('reagentc /info').id).toBe('read')
      expect(whole).not.toHaveBeenCalled()
      // DISM's alternative and ReAgentc's: no other.
      expect(tried.map((t) => t.mock.calls.length)).toEqual(
        read.parts!.map((p) => (/dism|reagentc/.test(p.needs[0]!) ? 1 : 0)),
      )
    } finally {
      vi.restoreAllMocks()
    }
  })

  it('hand-written commands of each kind', () => {
    const cases: [string, string][] = [
      [
        'DISM /Online /Remove-Package /PackageName:Package_for_RollupFix~31bf3856ad364e35~amd64~~26100.1742.1.10',
        'remove-package',
      ],
      ['Remove-WindowsPackage -Online -PackageName X', 'remove-package'],
      ['dism.exe /image:C:\\ /cleanup-image /revertpendingactions', 'revert-pending'],
      ['ren C:\\Windows\\WinSxS\\pending.xml pending.old', 'pending-xml'],
      ['Rename-Item C:\\Windows\\SoftwareDistribution SoftwareDistribution.old', 'wu-folders'],
      ['robocopy Y:\\EFI\\Microsoft\\Boot\\Fonts D:\\backup /MOVE', 'efi-fonts'],
      ['robocopy Y:\\EFI\\HP D:\\backup /MOVE', 'efi-move'],
      ['robocopy C:\\ProgramData\\ServicingDesk\\esp-moved\\HP S:\\EFI\\HP /E /MOVE', 'efi-write'],
      ['bcdboot C:\\Windows /s S: /f UEFI', 'boot-files'],
      ['bcdedit /delete {current}', 'boot-files'],
      ['bcdedit /enum all', 'read'],
      ['format S: /fs:FAT32', 'partition'],
      ['Remove-Partition -DiskNumber 0 -PartitionNumber 4', 'partition'],
      ['Resize-Partition -DriveLetter C -Size 100GB', 'partition'],
      ['DISM /Online /Cleanup-Image /StartComponentCleanup /ResetBase', 'reset-base'],
      ['wusa /uninstall /kb:5034441', 'wusa-uninstall'],
      ['manage-bde -protectors -add C: -RecoveryPassword', 'bitlocker-protector'],
      ['shutdown /r /t 0', 'restart'],
      ['DISM /Online /Cleanup-Image /RestoreHealth', 'restore-health'],
      ['DISM /Online /Add-Package /PackagePath:C:\\x.msu', 'add-package'],
      ['some-tool.exe --do-something', 'unclassified'],
      ['DISKPART', 'partition-resize'],
      [
        'REG DELETE "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Schedule\\TaskCache\\Tree\\X" /f',
        'task-cache',
      ],
      ['reg.exe delete HKLM\\SOFTWARE\\X /v Y /f', 'registry-delete'],
      ['%SystemRoot%\\System32\\Dism.exe /Online /Get-Packages', 'read'],
      ['reagentc /info', 'read'],
      ['ICACLS C:\\ProgramData\\ServicingDesk', 'read'],
      ['sfc /scannow', 'restore-health'],
    ]
    for (const [command, id] of cases) {
      const want = STEP_KINDS.some((k) => k.id === id) ? id : 'unclassified'
      expect(byPatterns(command), command).toBe(want)
      expect(kindOfCommand(command).id, command).toBe(want)
    }
  })

  it('has no pattern with state between tests (g or y flag): a command and a text are classified once and remembered', () => {
    const stateful = STEP_KINDS.flatMap((k) => [k.matches, k.words]).filter((r) => r && /[gy]/.test(r.flags))
    expect(stateful).toEqual([])
  })
})
