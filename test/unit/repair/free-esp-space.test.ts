/**
 * `free-esp-space` on x64-efi-partition-full: offered with its exact commands; only the folder
 * that is not Windows' (\EFI\HP) is moved — robocopy /MOVE to <data>/esp-moved/HP, never deleted, the undo
 * listed; run with --yes it ends verified (≥ 15 MB free); the update that failed with 0x800F0922 then
 * installs and verifies, and the diagnosis is clean. Interrupted at every boundary, a resume ends the same.
 */
import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDirSync } from '../temp-dirs.ts'
import { createServices } from '../../../main/services.ts'
import type { RepairRun } from '../../../preload/model/repair.ts'
import { loadFixture } from '../../fixtures/load.ts'
import { parseRobocopySummary } from '../../../main/parse/robocopy.ts'
import { STEP_KINDS } from '../../../main/repair/step-kinds.ts'
import { runCliInProcess } from '../cli-child.ts'
import { hangMs } from '../../load.ts'

// In this process (the same commander program bin.ts runs): nothing here is killed and every call is `--yes` or asks
// nothing, so a child adds nothing asserted; the real process killed and resumed is test/unit/repair/crash-resume.test.ts.
const cli = (home: string, args: string[]) => runCliInProcess(home, args)
const M = 'x64-efi-partition-full'
const state = (home: string) => JSON.parse(readFileSync(join(home, 'training', `${M}.json`), 'utf8'))
const espUsed = (s: { disks: Array<{ partitions: Array<{ gptType: string; usedBytes: number }> }> }) =>
  s.disks[0]!.partitions.find((p) => p.gptType.startsWith('{c12a7328'))!.usedBytes

describe('repair free-esp-space', () => {
  it('offers the move of \\EFI\\HP only, runs it verified, then KB5094126 installs and verifies and the diagnosis is clean', {
    timeout: hangMs(600_000),
  }, async () => {
    const home = tempDirSync('sd-esp-')
    const before = await cli(home, [
      'install',
      '--kb',
      'KB5094126',
      '--machine',
      M,
      '--method',
      'sequence',
      '--yes',
      '--json',
    ])
    expect(JSON.parse(before.stdout).verified, 'the update fails while the EFI partition is full').toBe(false)

    const list = await cli(home, ['repairs', '--machine', M, '--json'])
    expect(list.code, list.stderr).toBe(0)
    const offer = JSON.parse(list.stdout).offers.find((o: { repairId: string }) => o.repairId === 'free-esp-space')
    const lines: string[] = offer.steps.map((s: { commandLine: string }) => s.commandLine)
    expect(lines[0]).toBe('%SystemRoot%\\System32\\mountvol.exe S: /s')
    expect(lines[1]).toMatch(
      /^%SystemRoot%\\System32\\Robocopy\.exe S:\\EFI\\HP .*esp-moved.HP \/E \/MOVE \/COPY:DAT \/R:1 \/W:1$/,
    )
    expect(lines[2]).toBe('%SystemRoot%\\System32\\mountvol.exe S: /d')
    expect(lines.join('\n')).not.toMatch(/EFI\\Microsoft|EFI\\Boot|\bdel\b|rmdir|Remove-Item|\/PURGE|\/MIR/i)
    expect(offer.manual[0].commands.join('\n')).toMatch(/Robocopy\.exe ".*esp-moved.HP" S:\\EFI\\HP \/E \/MOVE/)

    const run = await cli(home, ['repair', 'free-esp-space', '--machine', M, '--yes', '--json'])
    expect(run.code, run.stderr).toBe(0)
    const r = JSON.parse(run.stdout) as RepairRun
    expect(r.verified).toBe(true)
    expect(r.verification?.detail).toMatch(/59\.8 MB free/)
    expect(state(home).bootChain.espFolders.map((f: { name: string }) => f.name)).toEqual(['Microsoft', 'Boot'])
    // The move printed robocopy's summary, read like the captured sample.
    const moveOut = r.results.find((x) => x.stepId.startsWith('s2-'))?.output ?? ''
    expect(parseRobocopySummary(moveOut).files).toEqual({ total: 23, copied: 23, failed: 0 })

    const install = await cli(home, [
      'install',
      '--kb',
      'KB5094126',
      '--machine',
      M,
      '--method',
      'sequence',
      '--yes',
      '--json',
    ])
    expect(install.code, install.stderr).toBe(0)
    expect(JSON.parse(install.stdout).verified).toBe(true)
    const diag = JSON.parse((await cli(home, ['diagnose', '--machine', M, '--json'])).stdout)
    expect(
      diag.findings.filter(
        (f: { severity: string; state?: string }) =>
          f.state !== 'past' && (f.severity === 'error' || f.severity === 'critical'),
      ),
    ).toEqual([])
  })

  it("never accepts Windows' own folders or a path as the folder to move (7 cases)", () => {
    const p = STEP_KINDS['esp-move-folder'].params
    const bad = ['Microsoft', 'BOOT', 'boot', '..', 'HP\\..\\Microsoft', 'C:\\x', '']
    let ran = 0
    for (const folder of bad) {
      expect(p.safeParse({ letter: 'S', folder }).success, folder).toBe(false)
      ran++
    }
    expect(ran).toBe(7)
    expect(p.safeParse({ letter: 'S', folder: 'HP' }).success).toBe(true)
    expect(p.safeParse({ letter: 'C', folder: 'HP' }).success).toBe(false)
  })

  it('interrupted at every boundary, a resume ends like the uninterrupted run (HP moved once)', {
    timeout: hangMs(300_000),
  }, async () => {
    const ref = { kind: 'training' as const, name: M }
    const baseHome = tempDirSync('sd-esp-base-')
    let points = 0
    const base = await createServices({ dataDir: baseHome, platform: 'linux' }).repairs.run(ref, 'free-esp-space', {
      checkpointHook: () => {
        points++
      },
    })
    expect(base.verified).toBe(true)
    expect(points).toBeGreaterThan(5)
    let cases = 0
    for (let n = 1; n <= points; n++) {
      const home = tempDirSync(`sd-esp-crash-${n}-`)
      let seen = 0
      await expect(
        createServices({ dataDir: home, platform: 'linux' }).repairs.run(ref, 'free-esp-space', {
          checkpointHook: () => {
            if (++seen === n) throw new Error(`crash at ${n}`)
          },
        }),
      ).rejects.toThrow(`crash at ${n}`)
      const r = await createServices({ dataDir: home, platform: 'linux' }).repairs.run(ref, 'free-esp-space')
      expect(r.verified, `crash ${n}`).toBe(true)
      expect(espUsed(state(home)), `crash ${n}`).toBe(espUsed(state(baseHome)))
      expect(
        Object.keys(state(home).files).filter((k) => /^[D-Z]:\\EFI/i.test(k)),
        `crash ${n}: unmounted`,
      ).toEqual([])
      cases++
    }
    expect(cases).toBe(points)
  })
})

describe('parseRobocopySummary', () => {
  it('reads the captured summary table', () => {
    const f = loadFixture('robocopy/data-box-copy-summary.txt')
    expect(parseRobocopySummary(f.text)).toEqual({
      dirs: { total: 1, copied: 1, failed: 0 },
      files: { total: 17, copied: 17, failed: 0 },
      errors: [],
    })
    expect(parseRobocopySummary('junk')).toEqual({ dirs: null, files: null, errors: [] })
  })
})
