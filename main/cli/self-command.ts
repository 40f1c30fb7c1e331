/**
 * How to run this command line again, as it runs here: commands the CLI prints (a "Next:" step, a refusal that names
 * the command to use instead) must run when pasted. `servicing-desk` only when that name is on PATH
 * (an npm global install or link); in the project folder `npm run --silent cli --`; else the Node that runs this
 * and the script's own path (the launcher, the built CLI or its sources).
 */
import { existsSync, readFileSync } from 'node:fs'
import { delimiter, join, relative, isAbsolute } from 'node:path'

export interface SelfCommandEnv {
  env: NodeJS.ProcessEnv
  platform: NodeJS.Platform
  cwd: string
  execPath: string
  /** The script Node runs (process.argv[1]). */
  script: string | undefined
}

const here = (): SelfCommandEnv => ({
  env: process.env,
  platform: process.platform,
  cwd: process.cwd(),
  execPath: process.execPath,
  script: process.argv[1],
})

/** True when `name` is an executable found through PATH. */
export function onPath(name: string, e: Pick<SelfCommandEnv, 'env' | 'platform'>): boolean {
  const dirs = (e.env.PATH ?? e.env.Path ?? '').split(e.platform === 'win32' ? ';' : delimiter).filter(Boolean)
  const exts = e.platform === 'win32' ? (e.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean) : ['']
  return dirs.some((d) =>
    exts.some((x) => existsSync(join(d, name + x.toLowerCase())) || existsSync(join(d, name + x))),
  )
}

function isProjectFolder(cwd: string): boolean {
  try {
    const p = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8')) as {
      name?: string
      scripts?: Record<string, string>
    }
    return p.name === 'servicing-desk' && typeof p.scripts?.cli === 'string'
  } catch {
    return false
  }
}

const quoted = (s: string) => (/[\s"]/.test(s) ? `"${s.replace(/"/g, '\\"')}"` : s)

/** The program part of a command line that runs this CLI here. */
export function selfCommand(e: SelfCommandEnv = here()): string {
  if (onPath('servicing-desk', e)) return 'servicing-desk'
  if (e.env.npm_lifecycle_event === 'cli' || isProjectFolder(e.cwd)) return 'npm run --silent cli --'
  // The launcher (bin/servicing-desk.mjs), the built CLI (out/cli/servicing-desk.js) or its sources (main/cli/bin.ts).
  const script =
    e.script &&
    /[\\/](?:bin[\\/]servicing-desk\.mjs|out[\\/]cli[\\/]servicing-desk\.js|main[\\/]cli[\\/]bin\.ts)$/.test(e.script)
      ? e.script
      : null
  if (!script) return 'servicing-desk'
  const rel = relative(e.cwd, script)
  return `${quoted(e.execPath)} ${quoted(!rel.startsWith('..') && !isAbsolute(rel) ? rel : script)}`
}

/** The CLI's own subcommands: `servicing-desk <one of these>` in printed text is a command to run. */
const SUBCOMMANDS = [
  'machines',
  'scan',
  'collector',
  'fix-package',
  'proof',
  'analyze',
  'explain',
  'diagnose',
  'winre',
  'repairs',
  'repair',
  'report',
  'plan',
  'install',
  'catalog',
  'download',
  'kit',
  'knowledge',
  'media',
]
const COMMAND = new RegExp(`\\bservicing-desk (?=(?:${SUBCOMMANDS.join('|')})\\b)`, 'g')

/** Every `servicing-desk <subcommand>` in a line, as it runs here. */
export function runnableHere(text: string, self: string): string {
  return self === 'servicing-desk' ? text : text.replace(COMMAND, `${self} `)
}
