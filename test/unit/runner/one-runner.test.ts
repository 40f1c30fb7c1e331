/**
 * One place runs changes to a PC: main/runner/engine.ts hands each step's command to the Host
 * (`ctx.run`); the install executor, the WinRE repair runner and the Fix-it runner only build steps. Every other
 * file of main/ that calls a Host's `run` is a reader, listed here with what it reads: a new caller fails this
 * test until it is shown to change nothing (or becomes a step of a definition).
 */
import { describe, it, expect } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

const root = join(process.cwd(), 'main')
const HOST_RUN = /(\bhost|\bthis|\.host|\bh|hostFor\([^)]*\))\.run\(/

/** Files that call a Host's run, and why it changes nothing on the PC. */
const READERS: Record<string, string> = {
  'runner/engine.ts': 'THE ENGINE: runs every step that changes a PC',
  'collector/collect-from-host.ts':
    "runs the probes' own read commands to write a collector file (scan --out FILE.zip)",
  'machine/read-machine-logs.ts': 'reads logs (Get-Content, wevtutil qe)',
  'download/signature.ts': "reads a file's Authenticode signature",
  'security/package-signature.ts': "reads a package's Authenticode signature",
  'security/data-dir-guard.ts': "reads and sets the ACL of the app's own data folder (not servicing)",
  'host/this-pc.ts': 'whoami /groups',
  'host/windows-host.ts': 'the Host itself (reg query for the code page, chcp)',
  'training/transport-training.ts':
    "a Host itself: the remote Host's training transport hands the commands the remote Host was given (by the engine or a reader) to the training machine behind it",
  'install/servicing-level.ts': 'DISM /Get-Packages, /Get-CurrentEdition (reads)',
  'install/image-facts.ts':
    "DISM /Get-WimInfo and /Image: /Get-Packages: an offline image's build, architecture and edition (reads)",
  'install/verify.ts': 'DISM /Get-WimInfo and the WinRE registry version (reads)',
  'machine/probes/boot-chain.ts': 'probe (reads)',
  'machine/probes/os.ts': 'probe (reads)',
  'machine/probes/packages.ts': 'probe (reads)',
  'machine/probes/single-command.ts': 'probe (reads)',
  'machine/probes/storage.ts': 'probe (reads)',
  'machine/probes/winre.ts': 'probe (reads)',
  'repair/media.ts': 'DISM /Get-WimInfo on mounted media (reads)',
  'media/medium-reads.ts':
    "a media update's re-checks and proof: DISM /Get-MountedImageInfo, /Get-Packages, /Get-WimInfo (reads)",
}

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
  })
}

describe('one runner', () => {
  const callers = files(root)
    .filter((f) => HOST_RUN.test(readFileSync(f, 'utf8')))
    .map((f) => relative(root, f).split('\\').join('/'))
    .sort()

  it("only the engine and the listed readers call a Host's run", () => {
    expect(callers).toEqual(Object.keys(READERS).sort())
  })

  it("the three definitions build steps and never call the Host's run themselves", () => {
    for (const f of ['install/executor.ts', 'winre/repair-runner.ts', 'repair/runner.ts', 'media/update.ts']) {
      const text = readFileSync(join(root, f), 'utf8')
      expect(HOST_RUN.test(text), f).toBe(false)
      expect(text, f).toMatch(/runSteps\(/)
    }
  })
})
