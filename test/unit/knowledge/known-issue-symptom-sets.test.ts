/**
 * A symptom told the same way whatever update caused it (a restart loop) is one list of words in every display
 * language, `symptomSets` in known-issues.json, which a row names as "@name" among its symptom words: a row of a
 * restart-loop issue is then reached from a text in Portuguese or Korean as from one in English.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expandSymptomSets, knownIssues, matchKnownIssues } from '../../../main/knowledge/known-issues.ts'
import { causeOf } from '../analyze/corpus-checks.ts'
import { issueFacts } from './issue-facts.ts'

const table = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../main/knowledge/data/known-issues.json'), 'utf8'),
) as { symptomSets: Record<string, unknown>; issues: { id: string; affects: { symptomWords?: string[] } }[] }

describe('shared symptom sets of the known-issue table', () => {
  it('every set a row names exists, every set is named by a row, and the rows are read with its words', () => {
    const named = new Set(
      table.issues.flatMap((r) =>
        (r.affects.symptomWords ?? []).filter((w) => w.startsWith('@')).map((w) => w.slice(1)),
      ),
    )
    const sets = Object.keys(table.symptomSets).filter((k) => k !== 'about')
    expect([...named].sort()).toEqual(sets.sort())
    for (const row of knownIssues())
      expect(row.affects.symptomWords ?? []).not.toContainEqual(expect.stringMatching(/^@/))
    const loop = knownIssues().find((r) => r.id === 'kb5039302-restart-loop')!
    expect(loop.affects.symptomWords).toEqual(
      expect.arrayContaining(['restart loop', 'loops de inicialização', '재부팅 반복']),
    )
  })

  it('every word of every set reaches a row that names the set, beside its KB (the rows test one word of each set)', () => {
    for (const [name, words] of Object.entries(table.symptomSets)) {
      if (name === 'about') continue
      const row = table.issues.find((r) => r.affects.symptomWords?.includes(`@${name}`))!
      const kb = knownIssues().find((r) => r.id === row.id)!.kb!
      for (const w of words as string[]) {
        const ids = matchKnownIssues(issueFacts({ namedKbs: [kb], text: `After ${kb}: ${w}, every time.` })).map(
          (m) => m.issue.id,
        )
        expect(ids, `${name}: ${w}`).toContain(row.id)
      }
    }
  })

  it('a name with no set, or a set that is not a list of words, is refused with the row named', () => {
    expect(() => expandSymptomSets(['boot loop', '@nope'], { loop: ['x'] }, 'row-a')).toThrow(/row-a.*@nope/)
    expect(() => expandSymptomSets(['@about'], { about: 'a sentence' }, 'row-b')).toThrow(/row-b/)
    expect(() => expandSymptomSets(['@loop'], { loop: ['ok', ''] }, 'row-c')).toThrow(/row-c/)
    expect(() => expandSymptomSets(['@constructor'], {}, 'row-d')).toThrow(/row-d/)
    expect(expandSymptomSets(['a', '@loop', 'b'], { loop: ['x', 'y'] }, 'row-e')).toEqual(['a', 'x', 'y', 'b'])
  })

  it.each([
    'Relatos de usuários presos em loops de inicialização depois da KB5039302.',
    'Depois de instalar a KB5039302 o PC entra em loop de reinicialização.',
    'Tras instalar KB5039302 el equipo entra en un bucle de reinicio.',
    'Nach KB5039302 hängt der Rechner in einer Neustart-Schleife.',
    'KB5039302 をインストールしたら再起動ループになりました。',
    'KB5039302 설치 후 재부팅 반복 현상이 생겼습니다.',
    'После KB5039302 началась циклическая перезагрузка.',
  ])('a restart loop after KB5039302 in words of the set: %s', (text) => {
    expect(causeOf(text).id).toBe('known-issue:kb5039302-restart-loop')
  })
})
