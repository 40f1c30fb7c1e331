/**
 * A KB article named with a word between `KB` and its number — as Microsoft's own pages and their translations write
 * it in a table of facts ("KB number: 2530126", "KB-Nummer: 2530126", "KB nr. 2530126", "KB # 2530126") — is the same
 * KB fact as `KB2530126`. A number of fewer than six digits, another word, or letters glued before `KB` is not.
 */
import { describe, it, expect } from 'vitest'
import { extractTextFacts } from '../../../main/analyze/extract.ts'

const kbsOf = (text: string) => extractTextFacts(text).kbs.map((k) => k.kb)

describe('a KB number with a word between KB and the number', () => {
  it.each([
    ['Article facts\nKB number: 2530126\nApplies to: Windows 7', 'KB2530126'],
    ['KB-Nummer: 2530126', 'KB2530126'],
    ['Numero articolo — KB numero: 2530126', 'KB2530126'],
    ['see KB nr. 2530126 for the tool', 'KB2530126'],
    ['KB no. 2530126', 'KB2530126'],
    ['KB #2530126', 'KB2530126'],
    ['KB Number 5034441 failed to install', 'KB5034441'],
    ['Numero originale KB: 2530126', 'KB2530126'],
    ['Número de KB original: 2530126', 'KB2530126'],
    ['N.º original da KB: 2530126', 'KB2530126'],
    // Turkish: the number word follows KB, in its possessive form (numarası) and without the dotless ı.
    ['Orijinal KB numarası: 2530126', 'KB2530126'],
    ['KB numarasi 2530126 yüklenemedi', 'KB2530126'],
  ])('%s', (text, kb) => {
    expect(kbsOf(text)).toEqual([kb])
  })

  it.each([
    ['KB number: 12345 (five digits)'],
    ['KB size: 2530126 bytes'],
    ['TKB number: 2530126'],
    ['KB number:\n2530126'],
    ['Free space in KB: 2530126'],
    ['KB numarası:\n2530126'],
    ['TKB numarası: 2530126'],
  ])('not a KB: %s', (text) => {
    expect(kbsOf(text)).toEqual([])
  })
})
