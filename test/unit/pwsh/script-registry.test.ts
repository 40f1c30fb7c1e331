/**
 * Every script builder of main/ is in the registry (script-registry.ts), so every generated script meets the attack
 * battery: a builder is an export whose name ends in `Script` or `ToPowerShell` (or a `…Body` of the
 * PowerShell transport), and every `.ps1` file name main/ writes is a registered script's. A generator added without
 * its entry fails here, so the build.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync, readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { SCRIPT_REGISTRY, NOT_SCRIPT_BUILDERS, testedCauses, writerFolders } from './script-registry.ts'
import { FLEET_REMEDIATIONS } from '../../../main/fleet/detect-cause.ts'
import { REPAIR_DEFINITIONS } from '../../../main/repair/definitions/index.ts'
import { MediaStepSchema } from '../../../preload/model/media.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')

function tsFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...tsFiles(p))
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

/** `file#export` of each script builder a source declares. */
function buildersIn(file: string, source: string): string[] {
  const out: string[] = []
  for (const m of source.matchAll(/^export (?:async )?(?:function|const) ([A-Za-z0-9_]+)/gm)) {
    const name = m[1]!
    if (/(Script|ToPowerShell)$/.test(name) || (file.startsWith('main/host/') && /Body$/.test(name)))
      out.push(`${file}#${name}`)
  }
  // PowerShell the app runs through the Host: an export whose own text makes a powershellSpec.
  for (const chunk of source.split(/^(?=export )/m)) {
    const m = /^export (?:async )?(?:function|const) ([A-Za-z0-9_]+)/.exec(chunk)
    if (m && /powershellSpec\(/.test(chunk) && !out.includes(`${file}#${m[1]}`)) out.push(`${file}#${m[1]}`)
  }
  return out
}

/** The `.ps1` names a source writes (string literals, not comments; `Fix-${…}.ps1` as `Fix-<host>.ps1`). */
function ps1NamesIn(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const out = new Set<string>()
  for (const m of code.matchAll(/['"`]([A-Za-z0-9_.-]+\.ps1)['"`]/g)) out.add(m[1]!)
  for (const m of code.matchAll(/`([A-Za-z0-9_-]+)-\$\{[^}]+\}\.ps1`/g)) out.add(`${m[1]}-<host>.ps1`)
  return [...out]
}

const registered = new Set(SCRIPT_REGISTRY.flatMap((e) => e.builders))
const fileNames = new Set(SCRIPT_REGISTRY.flatMap((e) => e.fileNames))

function unregistered(sources: { file: string; text: string }[]): string[] {
  const bad: string[] = []
  for (const s of sources) {
    for (const b of buildersIn(s.file, s.text))
      if (!registered.has(b) && !(b in NOT_SCRIPT_BUILDERS))
        bad.push(`${b}: a script builder that is not in test/unit/pwsh/script-registry.ts`)
    for (const n of ps1NamesIn(s.text))
      if (!fileNames.has(n)) bad.push(`${s.file}: writes ${n}, which no entry of the registry names`)
  }
  return bad
}

const sources = tsFiles(join(ROOT, 'main')).map((p) => ({
  file: relative(ROOT, p).split('\\').join('/'),
  text: readFileSync(p, 'utf8'),
}))

describe('the script registry', () => {
  it('lists every script builder and every .ps1 file name of main/', () => {
    expect(unregistered(sources)).toEqual([])
  })

  it('names only builders that exist, each once', () => {
    const all = SCRIPT_REGISTRY.flatMap((e) => e.builders)
    expect(new Set(all).size).toBe(all.length)
    for (const b of [...all, ...Object.keys(NOT_SCRIPT_BUILDERS)]) {
      const [file, name] = b.split('#') as [string, string]
      const src = sources.find((s) => s.file === file)
      expect(src, b).toBeDefined()
      expect(src!.text, b).toMatch(new RegExp(`^export (?:async )?(?:function|const) ${name}\\b`, 'm'))
    }
  })

  it('gives every script that runs on a PC a sample for the attack battery', () => {
    expect(SCRIPT_REGISTRY.filter((e) => e.runsOn === 'pc' && !e.sample).map((e) => e.id)).toEqual([])
    expect(SCRIPT_REGISTRY.filter((e) => e.runsOn !== 'pc' && !e.note).map((e) => e.id)).toEqual([])
  })

  it('fails on a generator added without its entry (a new builder, a new .ps1 name)', () => {
    const added = {
      file: 'main/fleet/new-thing.ts',
      text: "export function uninstallScript(): string { return '' }\nexport const cleanCommand = powershellSpec('x', 'Remove-Item x', 1)\nexport const NAME = 'Uninstall.ps1'\n",
    }
    expect(unregistered([...sources, added])).toEqual([
      'main/fleet/new-thing.ts#uninstallScript: a script builder that is not in test/unit/pwsh/script-registry.ts',
      'main/fleet/new-thing.ts#cleanCommand: a script builder that is not in test/unit/pwsh/script-registry.ts',
      'main/fleet/new-thing.ts: writes Uninstall.ps1, which no entry of the registry names',
    ])
  })

  it('covers every producer the code has: each cause a device tests, each fleet remediation, each repair, each media step', () => {
    const covered = new Set(SCRIPT_REGISTRY.flatMap((e) => e.producers ?? []))
    // Read from the code, not listed here: a cause, remediation, repair or media step added there must get a sample.
    const kinds = MediaStepSchema.options.map((o) => o.shape.kind.value)
    const all = [
      ...testedCauses().map((c) => `cause:${c}`),
      ...[...FLEET_REMEDIATIONS].map((r) => `remediation:${r}`),
      ...REPAIR_DEFINITIONS.map((d) => `repair:${d.id}`),
      ...kinds.map((k) => `media:${k}`),
    ]
    expect(testedCauses().length).toBeGreaterThan(5)
    expect(kinds.length).toBeGreaterThan(10)
    expect(all.filter((p) => !covered.has(p))).toEqual([])
    // Every producer an entry names has a sample to run (a variant or the entry's own).
    for (const e of SCRIPT_REGISTRY.filter((x) => x.producers?.length)) expect(e.sample, e.id).toBeDefined()
  })

  it('reads the work folders a script makes from its New-SdSecureFolder calls', () => {
    expect(
      writerFolders(
        "$why = New-SdSecureFolder -Base 'C:\\ProgramData' -Child 'ServicingDesk\\it''s'\nNew-SdSecureFolder -Base 'C:\\ProgramData' -Child 'ServicingDesk\\it''s'",
      ),
    ).toEqual(["C:\\ProgramData\\ServicingDesk\\it's"])
  })
})
