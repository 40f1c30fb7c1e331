/**
 * The README fits a screen or two, and what it shows is true: every `servicing-desk …` line in it names a command,
 * subcommand and options the CLI has, and every page it links to exists. The manual lives in docs/.
 */
import { describe, expect, it } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Command } from 'commander'
import { createServices } from '../../../main/services.ts'
import { registerCommands } from '../../../main/cli/commands/index.ts'
import { tempDirSync } from '../temp-dirs.ts'

const root = join(import.meta.dirname, '../../..')
const readme = readFileSync(join(root, 'README.md'), 'utf8')

/** The CLI's commands (`kit build`) and their long and short options, from the program itself. */
async function cliCommands(): Promise<Map<string, Set<string>>> {
  const program = new Command('servicing-desk')
  const services = createServices({ dataDir: tempDirSync('sd-readme-cli-'), platform: 'linux' })
  await registerCommands(program, {
    services,
    loadServices: async () => services,
    machine: services,
    loadMachineServices: async () => services,
    dataDir: services.dataDir,
    io: { json() {}, text() {}, note() {} },
  })
  const out = new Map<string, Set<string>>()
  const walk = (c: Command, prefix: string) => {
    for (const sub of c.commands) {
      const name = `${prefix}${sub.name()}`
      out.set(name, new Set(sub.options.flatMap((o) => [o.long, o.short].filter((x): x is string => !!x))))
      walk(sub, `${name} `)
    }
  }
  walk(program, '')
  return out
}

/** What is wrong with one `servicing-desk …` line, or nothing: its longest known command, then its options. */
function lineProblems(line: string, commands: Map<string, Set<string>>): string[] {
  const words = line.replace(/#.*$/, '').trim().split(/\s+/).slice(1)
  let command = ''
  for (let n = words.length; n > 0 && !command; n--)
    if (commands.has(words.slice(0, n).join(' '))) command = words.slice(0, n).join(' ')
  if (!command) return [`${line}: no such command`]
  const next = words[command.split(' ').length]
  const problems: string[] = []
  if (next && /^[a-z][a-z-]+$/.test(next) && [...commands.keys()].some((k) => k.startsWith(`${command} `)))
    problems.push(`${line}: ${command} has no subcommand ${next}`)
  for (const opt of words.filter((w) => w.startsWith('-')))
    if (!commands.get(command)!.has(opt)) problems.push(`${line}: ${command} has no option ${opt}`)
  return problems
}

describe('the README', () => {
  it('is at most 1,500 words', () => {
    expect(readme.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(1500)
  })

  it('keeps the two commands exactly', () => {
    expect(readme).toContain('`npm ci && npm start`')
    expect(readme).toContain('`npm ci && npm test`')
  })

  it('links only to files that exist, the picture included', () => {
    const links = [...readme.matchAll(/\]\(([^)#]+)\)/g)].map((m) => m[1]!).filter((l) => !/^https?:/.test(l))
    expect(links.length).toBeGreaterThan(10)
    expect(links.filter((l) => !existsSync(join(root, l)))).toEqual([])
  })

  it('shows only commands, subcommands and options the CLI has', async () => {
    const commands = await cliCommands()
    const lines = readme.split('\n').filter((l) => l.startsWith('servicing-desk '))
    expect(lines.length).toBeGreaterThan(15)
    expect(lines.flatMap((l) => lineProblems(l, commands))).toEqual([])
    // The line's first command is checked above; those its comment names are checked here.
    const named = lines.flatMap((l) =>
      [...(l.split('#')[1] ?? '').matchAll(/[;,]\s*(kit|catalog|media|fleet|winre) ([a-z]+)\b/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      ),
    )
    expect(named.filter((n) => !commands.has(n))).toEqual([])
  })

  it('finds a command the CLI does not have (the check can fail)', async () => {
    const commands = await cliCommands()
    expect(lineProblems('servicing-desk frobnicate --x', commands)).toEqual([
      'servicing-desk frobnicate --x: no such command',
    ])
    expect(lineProblems('servicing-desk kit bake', commands)).toEqual([
      'servicing-desk kit bake: kit has no subcommand bake',
    ])
    expect(lineProblems('servicing-desk scan --nope', commands)).toEqual([
      'servicing-desk scan --nope: scan has no option --nope',
    ])
  })
})
