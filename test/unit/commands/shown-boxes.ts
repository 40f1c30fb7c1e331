/** The command boxes a screen shows, from the data the contract's calls return (the preview bridge and --json carry the same). */
import { groupCommands, type Shell } from '../../../renderer/src/components/command-shell.ts'

export interface Box {
  where: string
  shell: Shell
  lines: string[]
}

/** Every `commands` array and every run of `commandLine`s in a value: each is what one place on a screen shows. */
export function commandLists(value: unknown, out: string[][] = []): string[][] {
  if (Array.isArray(value)) {
    const lines = value.flatMap((v) =>
      v && typeof v === 'object' && typeof (v as { commandLine?: unknown }).commandLine === 'string'
        ? [(v as { commandLine: string }).commandLine]
        : [],
    )
    if (lines.length) out.push(lines)
    for (const v of value) commandLists(v, out)
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'commands' && Array.isArray(v) && v.every((x) => typeof x === 'string')) {
        if (v.length) out.push(v as string[])
      } else if (k === 'command' && typeof v === 'string') out.push([v])
      else commandLists(v, out)
    }
  }
  return out
}

export function boxesOf(where: string, lists: string[][]): Box[] {
  // As the screens box them (CommandBlock): a command of several lines is its lines, a wrapped script its own box.
  return lists.flatMap((l) => groupCommands(l).map((g) => ({ where, shell: g.shell, lines: g.lines })))
}
