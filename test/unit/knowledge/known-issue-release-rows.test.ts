/**
 * A known issue of a whole release, which no KB names (a feature update has none): Windows 10 version 1809, the
 * October 2018 Update, deleting files in the user's known folders until Microsoft paused and re-released it. Its row
 * has kb null, the release's name and the words that name the release; it meets a text naming the release and telling
 * the symptom, in any language, and nothing else.
 */
import { describe, expect, it } from 'vitest'
import { firstCause } from '../diagnose/told-causes.ts'
import { knownIssues, matchKnownIssues } from '../../../main/knowledge/known-issues.ts'
import { issueFacts } from './issue-facts.ts'

const ID = 'known-issue:win10-1809-file-deletion'

describe('a known issue keyed by a release, not a KB', () => {
  it('the row names the release where a KB would be, and words that name the release', () => {
    const row = knownIssues().find((r) => `known-issue:${r.id}` === ID)!
    expect(row.kb).toBeNull()
    expect(row.release).toMatch(/version 1809/)
    expect(row.affects.releaseWords).toContain('october 2018 update')
  })

  it.each([
    'After the October 2018 Update my Documents folder was empty: it deleted my files.',
    'Nach dem Upgrade auf 1809 wurden Dateien gelöscht, der Ordner Dokumente ist leer.',
    "Depuis la mise à jour d'octobre 2018, la suppression de fichiers a vidé mon dossier Documents.",
    'バージョン 1809 に更新したら、ドキュメントのファイルが削除されました。',
    '2018년 10월 업데이트 후 내 문서 폴더의 파일이 삭제되었습니다.',
    'Sau khi cài bản cập nhật October 2018, máy tôi bị xóa tập tin trong thư mục Documents.',
  ])('%s', (text) => {
    expect(firstCause(text)).toBe(ID)
  })

  it('the release without the symptom, or the symptom without the release, is not the issue', () => {
    expect(firstCause('The upgrade to 1809 failed with 0x80070002 and rolled back.')).not.toBe(ID)
    expect(firstCause('After the May 2019 Update my files were deleted from Documents.')).not.toBe(ID)
    // Files a repair tool finds missing on a 1809 server are its store's, not the upgrade's deletion.
    expect(firstCause('On Server 2019 (1809), sfc found missing files and could not repair them.')).not.toBe(ID)
  })

  it('the match names the release as the update that met the row', () => {
    const [m] = matchKnownIssues(issueFacts({ text: 'Version 1809 deleted my files.' })).filter(
      (x) => x.issue.id === 'win10-1809-file-deletion',
    )
    expect(m).toMatchObject({ kb: 'Windows 10, version 1809 (the October 2018 Update)', via: 'symptom' })
    expect(m!.why[0]).toBe(
      'The text names Windows 10, version 1809 (the October 2018 Update) and tells the issue\'s symptom ("deleted my files").',
    )
  })
})
