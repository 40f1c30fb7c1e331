/**
 * The layering check really fails on a wrong import: we plant probe files that break each rule and run
 * dependency-cruiser on them, exactly as `npm test` does.
 */
import { describe, it, expect, afterAll } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const root = process.cwd()
const probes: string[] = []
function plant(dir: string, name: string, source: string): string {
  const d = join(root, dir, '.layering-probe')
  mkdirSync(d, { recursive: true })
  const f = join(d, name)
  writeFileSync(f, source)
  probes.push(d)
  return `${dir}/.layering-probe/${name}`
}

function cruise(path: string): { ok: boolean; output: string } {
  try {
    const output = execFileSync(join(root, 'node_modules/.bin/depcruise'), ['--config', '.dependency-cruiser.cjs', '--output-type', 'err', path], { cwd: root, encoding: 'utf8', stdio: 'pipe' })
    return { ok: true, output }
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string }
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` }
  }
}

afterAll(() => { for (const d of probes) rmSync(d, { recursive: true, force: true }) })

describe('layering rules', () => {
  it('fails a renderer file that imports main/', () => {
    const f = plant('renderer', 'imports-main.ts', "import { createServices } from '../../main/services.ts'\nexport const x = createServices\n")
    const r = cruise(f)
    expect(r.ok).toBe(false)
    expect(r.output).toContain('renderer-only-contract')
  })

  it('fails a renderer file that imports a node: built-in', () => {
    const f = plant('renderer', 'imports-node.ts', "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n")
    const r = cruise(f)
    expect(r.ok).toBe(false)
    expect(r.output).toContain('renderer-no-node')
  })

  it('fails a domain file that imports electron', () => {
    const f = plant('main/machine', 'imports-electron.ts', "import { app } from 'electron'\nexport const x = app\n")
    const r = cruise(f)
    expect(r.ok).toBe(false)
    expect(r.output).toContain('domain-no-electron')
  })

  it('fails a parser that does I/O', () => {
    const f = plant('main/parse', 'does-io.ts', "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n")
    const r = cruise(f)
    expect(r.ok).toBe(false)
    expect(r.output).toContain('parse-is-pure')
  })

  it('passes the real tree', () => {
    const r = cruise('main preload renderer'.split(' ').join(' '))
    expect(r.output).not.toContain('error')
  })
})
