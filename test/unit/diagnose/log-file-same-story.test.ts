/**
 * One reading, two doors: a text saved to a file and given as `diagnose --log FILE` gets the cause the same text gets
 * when pasted (the app's paste box, `diagnose({ text })`), for every capture of the causes batches: a person who saves
 * a forum post or a tool's output to a file is never told less than one who pastes it.
 */
import { describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDiagnosis } from '../../../main/diagnose/diagnosis-service.ts'
import { causeOf } from '../analyze/corpus-checks.ts'
import { hangMs } from '../../load.ts'

const noMachine = async (): Promise<never> => {
  throw new Error('no machine is read for logs alone')
}
const roots = [
  'corpus-causes',
  'corpus-causes-2',
  'corpus-causes-3',
  'corpus-causes-4',
  'corpus-causes-5',
  'corpus-causes-6',
  'corpus-causes-7',
  'corpus-causes-8',
  'corpus-causes-9',
].map((d) => join('test/fixtures', d))

describe('diagnose --log FILE reads a text as the paste box does', () => {
  it('the same first cause for every capture of the causes batches, given as a file', {
    timeout: hangMs(120_000),
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-log-story-'))
    const diagnosis = createDiagnosis({ scan: noMachine, readLogs: noMachine })
    const differ: string[] = []
    let n = 0
    try {
      for (const root of roots)
        for (const sub of readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()))
          for (const f of readdirSync(join(root, sub.name)).filter((x) => !x.endsWith('.expect.json'))) {
            const t = readFileSync(join(root, sub.name, f), 'utf8')
            const body = t.slice(t.indexOf('\n') + 1)
            const file = join(dir, `${n++}.txt`)
            writeFileSync(file, body)
            const out = await diagnosis.diagnose({ logFiles: [file] })
            const top = out.findings.find((x) => x.severity !== 'info' && x.state !== 'past')
            const viaFile = top ? top.id.replace(/^code-/, 'known-code:') : 'none'
            const viaPaste = causeOf(body).id
            if (viaFile !== viaPaste) differ.push(`${sub.name}/${f}: pasted ${viaPaste}, as a file ${viaFile}`)
          }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    expect(n).toBeGreaterThan(200)
    expect(differ).toEqual([])
  })

  it('a description with no code, saved to a file, reaches the known issue its KB and words tell, and says it was read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sd-log-story-'))
    try {
      const file = join(dir, 'note.txt')
      writeFileSync(file, 'Since KB5073455 installed last night, my laptop restarts instead of shutting down.\n')
      const out = await createDiagnosis({ scan: noMachine, readLogs: noMachine }).diagnose({ logFiles: [file] })
      expect(out.findings[0]?.id).toBe('known-issue:kb5073455-secure-launch-shutdown')
      expect(out.notes.join(' ')).toMatch(/its words were read as a description/)
      expect(out.notes.join(' ')).not.toMatch(/not used/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
