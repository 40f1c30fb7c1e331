import { createInterface } from 'node:readline/promises'
import { escapeControls } from './terminal-text.ts'

/** Asks a yes/no question on stderr (stdout stays for results and --json); only y or yes is a yes. */
export async function ask(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await rl.question(`${escapeControls(question)} [y/N] `)).trim())
  } finally {
    rl.close()
  }
}
