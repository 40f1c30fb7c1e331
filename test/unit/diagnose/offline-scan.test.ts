/**
 * An offline update scan missing its cabinet (Microsoft's "Using WUA to Scan for Updates Offline": the scan reads
 * wsusscn2.cab), on lines of our own in several languages: a named cause, never "No servicing problem found".
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'

describe('offline scan without its cabinet', () => {
  it('the cabinet named as missing, in any language, is that cause', () => {
    for (const t of [
      'Offline scan: C:\\Tools\\wsusscn2.cab not found.',
      'Die Datei wsusscn2.cab wurde nicht gefunden.',
      'wsusscn2.cab が見つかりません',
      '扫描更新时找不到 wsusscn2.cab 文件',
      'Fichier wsusscn2.cab introuvable',
    ]) {
      expect([t, causeOf(t).id]).toEqual([t, 'file-not-found:scan-cabinet'])
    }
  })
  it('the cabinet named without a missing word is no failure', () => {
    expect(causeOf('Downloaded the latest wsusscn2.cab and the scan listed 12 updates.').id).toBe('none')
  })
})
