/**
 * The media update's work folder guard (main/media/work-guard.ts), run by real PowerShell on the emulated PC: the
 * first step makes `C:\ProgramData\ServicingDesk\work\media-<id>` and its sub-folders Administrators and SYSTEM only;
 * a junction there, a work folder a standard user made beforehand, or one users may write in are refused (exit 1,
 * nothing written through them); the Setup Dynamic Update's .cab is refused when it is not the verified file, or when
 * another .cab lies beside it (expand reads `*.cab` into the medium's `sources`). Red before the guard: the engine
 * ran robocopy, DISM and expand into `C:\ServicingDesk\work` with no check at all.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { dirname } from 'node:path'
import { requirePowerShell } from '../../pwsh/pwsh.ts'
import { startEmulatedPc, STANDARD_USER, type EmulatedPc } from '../../pwsh/harness.ts'
import { decodePowerShellScript } from '../../../main/host/powershell.ts'
import { mediaGuardCommand } from '../../../main/media/work-guard.ts'
import type { CommandFolders } from '../../../main/media/plan.ts'
import { hangMs } from '../../load.ts'

const ps = requirePowerShell()
const pcs: EmulatedPc[] = []
afterAll(async () => {
  for (const pc of pcs) await pc.close()
}, hangMs(120_000))

const W = 'C:\\ProgramData\\ServicingDesk\\work\\media-t-1'
const F: CommandFolders = { work: W, media: `${W}\\media` }
const CAB = 'windows11.0-kb5102558-x64.cab'
const CAB_TEXT = 'training: the Setup Dynamic Update as the Catalog serves it\r\n'
const PKG = { kb: 'KB5102558', arch: 'x64' as const, role: 'setup-du' as const }
const FILES = new Map([
  [
    'KB5102558-x64',
    { ...PKG, fileName: CAB, sha256: createHash('sha256').update(CAB_TEXT).digest('hex'), sizeBytes: CAB_TEXT.length },
  ],
])
const PKG_DIR = `${W}\\packages\\x64\\KB5102558`
const TARGET = 'C:\\Windows\\System32\\Tasks\\Planted'

async function guard(pc: EmulatedPc, step: Parameters<typeof mediaGuardCommand>[0]) {
  const file = pc.localPath('C:\\Users\\Public\\media-guard.ps1')
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, decodePowerShellScript(mediaGuardCommand(step, F, FILES).args)!)
  const r = await pc.run(file, [], { timeoutMs: 300_000 })
  return { ...r, why: (r.stderr + r.stdout).replace(/\r?\n\s*\|?\s*/g, ' ') }
}

describe.runIf(ps)("the media update's work folder guard in real PowerShell", { timeout: hangMs(900_000) }, () => {
  it("makes the work folder ours; refuses a junction, a standard user's work folder and one users may write in", async () => {
    const pc = await startEmulatedPc({ machine: 'x64-healthy' })
    pcs.push(pc)
    const clean = pc.checkpoint()

    const ok = await guard(pc, { kind: 'copy-to-work' })
    expect(ok.exitCode, ok.why).toBe(0)
    for (const d of [W, `${W}\\media`, `${W}\\packages`, `${W}\\mount`]) {
      const acl = pc.acl(d)!
      expect(acl.owner, d).toBe('S-1-5-32-544')
      expect(acl.protected, d).toBe(true)
      expect(acl.rules.map((r) => r.sid).sort(), d).toEqual(['S-1-5-18', 'S-1-5-32-544'])
    }
    // Again (an interrupted run that comes back): checked as it is, still fine.
    expect((await guard(pc, { kind: 'copy-to-work' })).exitCode).toBe(0)
    // A later step finds it as the first left it.
    expect((await guard(pc, { kind: 'write-back' })).exitCode).toBe(0)

    pc.restore(clean)
    pc.plantJunction('C:\\ProgramData\\ServicingDesk\\work', TARGET)
    const j = await guard(pc, { kind: 'copy-to-work' })
    expect(j.exitCode).toBe(1)
    expect(j.why).toMatch(/Not run: \S*work is a junction or a link, which could lead anywhere/)
    expect(readdirSync(pc.localPath(TARGET))).toEqual([])

    pc.restore(clean)
    pc.plantFolder(W)
    const u = await guard(pc, { kind: 'copy-to-work' })
    expect(u.exitCode).toBe(1)
    expect(u.why).toMatch(new RegExp(`belongs to ${STANDARD_USER}, not to the administrators`))
    expect(readdirSync(pc.localPath(W))).toEqual([])
    expect(pc.acl(W)!.owner).toBe(STANDARD_USER)

    pc.restore(clean)
    pc.plantFolder('C:\\ProgramData\\ServicingDesk\\work', { owner: 'S-1-5-32-544' })
    expect(pc.standardUserCanCreateIn('C:\\ProgramData\\ServicingDesk\\work')).toBe(true)
    const w = await guard(pc, { kind: 'copy-to-work' })
    expect(w.exitCode).toBe(1)
    expect(w.why).toMatch(/work lets S-1-5-\S+ write in it, not only the administrators/)
  })

  it("re-hashes the Setup Dynamic Update's .cab right before expand, and refuses another .cab beside it", async () => {
    const pc = await startEmulatedPc({ machine: 'x64-healthy' })
    pcs.push(pc)
    expect((await guard(pc, { kind: 'copy-to-work' })).exitCode).toBe(0)
    expect((await guard(pc, { kind: 'copy-package', package: PKG })).exitCode).toBe(0)
    pc.plantFile(`${PKG_DIR}\\${CAB}`, CAB_TEXT)
    const made = pc.checkpoint()
    expect((await guard(pc, { kind: 'expand-setup-du', package: PKG })).exitCode).toBe(0)

    // Not the verified file (changed since it was copied).
    pc.plantFile(`${PKG_DIR}\\${CAB}`, 'not the verified cab\r\n')
    const swapped = await guard(pc, { kind: 'expand-setup-du', package: PKG })
    expect(swapped.exitCode).toBe(1)
    expect(swapped.why).toMatch(/SHA-256 is [0-9A-F]{64}, expected [0-9A-F]{64} \(it changed since it was checked\)/)

    // Another .cab beside it: expand's *.cab would read it into sources.
    pc.restore(made)
    pc.plantFile(`${PKG_DIR}\\planted.cab`, "a standard user's setup files\r\n")
    const planted = await guard(pc, { kind: 'expand-setup-du', package: PKG })
    expect(planted.exitCode).toBe(1)
    expect(planted.why).toMatch(/planted\.cab is not a file this step put there/)

    // A standard user cannot put one there in the first place: the folder is Administrators and SYSTEM only.
    pc.restore(made)
    expect(() => pc.plantFile(`${PKG_DIR}\\planted.cab`, 'x', { asStandardUser: true })).toThrow(
      /may not create anything/,
    )
  })
})
