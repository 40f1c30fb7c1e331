/**
 * Words a technician uses: on every training machine, nothing the CLI prints in text — scan, diagnose,
 * repairs, winre, the report's summary and the HTML report — carries a kind id, an enum value, a plan or run id or
 * a regular expression (the checker: test/e2e/plain-words.ts, shared with the browser's walk over every screen).
 */
import { describe, it, expect } from 'vitest'
import { spawnSync } from 'node:child_process'
import { tempDirSync } from '../temp-dirs.ts'
import { cliFrontLines, jargonIn, wordProblems } from '../../e2e/plain-words.ts'
import { hangMs } from '../../load.ts'

describe('CLI text in plain words', () => {
  it('flags ids, enum values, run ids and regular expressions, and lets a repair id be the argument of its command', () => {
    expect(wordProblems('Step: restart-required')).toHaveLength(1)
    expect(wordProblems('Finding winre-stale holds')).toHaveLength(1)
    expect(wordProblems('Run it: repair restore-health')).toEqual([])
    expect(wordProblems('Training machine x64-pending-restart')).toEqual([])
    expect(wordProblems('x64, branch win11-24h2, judged against KB5129195')).toHaveLength(1)
    expect(wordProblems('Medium iso-x64-24h2')).toEqual([])
    expect(wordProblems('Matches ^KB\\d{6,8}$')).not.toEqual([])
    expect(wordProblems('Journal 20261124T180537-x64-secureboot-2011-secure-boot-update')).not.toEqual([])
    expect(wordProblems('C:\\Windows\\SoftwareDistribution and \\EFI\\Boot')).toEqual([])
  })

  it('scan, diagnose, repairs, winre and the report say nothing but plain words on every training machine', {
    timeout: hangMs(600_000),
  }, () => {
    const home = tempDirSync('sd-words-')
    const r = spawnSync(process.execPath, ['test/unit/cli/plain-words-collect.ts'], {
      encoding: 'utf8',
      env: { ...process.env, SERVICING_DESK_HOME: home },
      maxBuffer: 256 * 1024 * 1024,
    })
    expect(r.status, r.stderr).toBe(0)
    const said = JSON.parse(r.stdout) as { machine: string; command: string; text: string }[]
    expect(said.length).toBeGreaterThanOrEqual(11 * 6)
    const problems = said.flatMap((s) => wordProblems(s.text).map((p) => `${s.machine} · ${s.command}: ${p}`))
    expect(problems).toEqual([])
    // Jargon only on the technical lines — never in diagnose's headings, step titles and history, nor in
    // report --summary's lines but its "technical:" ones.
    const front = said.flatMap((s) => {
      const kind = s.command.startsWith('diagnose')
        ? 'diagnose'
        : s.command.startsWith('report') && s.command.includes('--summary')
          ? 'summary'
          : null
      return kind
        ? cliFrontLines(kind, s.text)
            .flatMap(jargonIn)
            .map((p) => `${s.machine} · ${s.command}: ${p}`)
        : []
    })
    expect(front).toEqual([])
  })

  it('reads the lines in front: headings, step titles and history of diagnose; the summary but its technical lines', () => {
    const diagnose =
      '1. [PROBLEM] The store is damaged  (confidence 90%)\n   technical: ERROR_X (0x80073712)\n   - DISM says so\n   What to do, in order:\n     1. Repair it\n        Dism.exe /Online\n  - Fixed once — since resolved by a restart'
    expect(cliFrontLines('diagnose', diagnose)).toEqual([
      '1. [PROBLEM] The store is damaged  (confidence 90%)',
      '     1. Repair it',
      '  - Fixed once — since resolved by a restart',
    ])
    expect(
      cliFrontLines('summary', 'Most likely cause: damaged\n  technical: CBS_E_X (0x800F0922)\n  Undo: dism /x'),
    ).toEqual(['Most likely cause: damaged'])
    expect(jargonIn('Most likely cause: damaged — CBS_E_X (0x800F0922)')).not.toEqual([])
  })
})
