/**
 * The map and the guides stay true where a list can drift: every room of main/ is placed in docs/architecture.md, and
 * every list a kind is registered in (found in the code, not only the ones known today) is named in docs/guides.md.
 * Each check is a function over the tree's names and the page's text, so it is shown red on a made-up name too.
 */
import { describe, expect, it } from 'vitest'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

const root = join(import.meta.dirname, '../../..')
const read = (f: string) => readFileSync(join(root, f), 'utf8')

/** The rooms of main/: each folder, and each file that lies there on its own. */
function rooms(): string[] {
  return readdirSync(join(root, 'main'))
    .filter((n) => statSync(join(root, 'main', n)).isDirectory() || n.endsWith('.ts'))
    .map((n) => `main/${n.replace(/\.ts$/, statSync(join(root, 'main', n)).isDirectory() ? '' : '.ts')}`)
}

/** The rooms a page does not place: a folder as `main/x`, a file as `x.ts` or `main/x.ts`, in backticks. */
function unplaced(names: readonly string[], page: string): string[] {
  return names.filter(
    (n) => !page.includes(`\`${n}\``) && !(n.endsWith('.ts') && page.includes(`\`${n.slice('main/'.length)}\``)),
  )
}

/**
 * The lists kinds are registered in: an exported array or object literal in a file whose name says it lists kinds
 * (index.ts, registry.ts, kinds.ts, *-kinds.ts, commands.ts, resume-rules.ts), plus the lists that live elsewhere.
 */
const NOT_A_REGISTRY = new Set(['WU_FOLDERS'])
// REPAIR_DEFINITIONS is made from REPAIR_RUNNER_IDS (no literal of its own for the scan to see).
const ELSEWHERE = ['KINDS', 'READER_OF', 'KINDS_BY_REPAIR', 'RepairIdSchema', 'REPAIR_RUNNER_IDS', 'REPAIR_DEFINITIONS']
function registries(): string[] {
  const files = execFileSync('git', ['ls-files', 'main'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\/(?:index|registry|kinds|[a-z-]+-kinds|commands|resume-rules)\.ts$/.test(f))
  const found = files.flatMap((f) =>
    [...read(f).matchAll(/^export const ([A-Za-z_]\w*)(?::[^=\n]*)? = [[{]/gm)].map((m) => m[1]!),
  )
  return [...new Set([...found.filter((n) => !NOT_A_REGISTRY.has(n)), ...ELSEWHERE])].sort()
}

/** The registries a page does not name in bold code (`**\`name\`**`). */
function unnamed(names: readonly string[], page: string): string[] {
  return names.filter((n) => !page.includes(`**\`${n}\`**`))
}

describe('the map and the guides', () => {
  it('docs/architecture.md places every room of main/', () => {
    const all = rooms()
    expect(all.length).toBeGreaterThan(30)
    expect(unplaced(all, read('docs/architecture.md'))).toEqual([])
  })

  it('docs/guides.md names every list a kind is registered in', () => {
    const all = registries()
    for (const known of [
      'CLI_COMMANDS',
      'rules',
      'probes',
      'REPAIR_DEFINITIONS',
      'STEP_KINDS',
      'RESUME_RULES',
      'INTAKE_KINDS',
      'trainingProfiles',
      'trainingCommands',
    ])
      expect(all).toContain(known)
    expect(unnamed(all, read('docs/guides.md'))).toEqual([])
  })

  it('is red for a room or a list the pages do not have', () => {
    expect(unplaced(['main/new-room', 'main/new-file.ts', 'main/services.ts'], read('docs/architecture.md'))).toEqual([
      'main/new-room',
      'main/new-file.ts',
    ])
    expect(unnamed(['NEW_KINDS', 'STEP_KINDS'], read('docs/guides.md'))).toEqual(['NEW_KINDS'])
  })

  it('main/repair/README.md shows only step-kind fields the type has', () => {
    const readme = read('main/repair/README.md')
    const start = readme.indexOf("'my-kind': kind({")
    const block = readme.slice(start, readme.indexOf('```', start))
    const fields = [...block.matchAll(/^\s+(?:\/\/\s*)?(\w+):/gm)].map((m) => m[1]!)
    const def = read('main/repair/step-kinds.ts')
    const typeFields = [
      ...def.slice(def.indexOf('interface KindDef'), def.indexOf('function kind<')).matchAll(/^\s+(\w+)\??:/gm),
    ].map((m) => m[1]!)
    expect(fields.length).toBeGreaterThan(4)
    expect(fields.filter((f) => !typeFields.includes(f))).toEqual([])
    for (const must of ['KINDS_BY_REPAIR', 'RESUME_RULES', 'resume-rules.ts']) expect(readme).toContain(must)
    expect(read('main/runner/engine.ts')).not.toContain('recheck.ts')
  })
})
