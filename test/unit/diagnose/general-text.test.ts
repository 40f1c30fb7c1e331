import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { generalTextIn } from '../../../main/knowledge/outcome-words.ts'

// Sentences written for these tests, in the shapes of a support article, an error-code guide and an explainer.
const ARTICLE_FR = [
  'Symptômes',
  "Lors de l'installation d'une mise à jour, vous pouvez voir l'erreur 0x80070002, 0x80070003 ou 0x80073712.",
  'Cause',
  'Le dossier de téléchargement de Windows Update est endommagé ou le magasin des composants est corrompu.',
  'Résolution',
  'Videz le dossier SoftwareDistribution, puis exécutez DISM /Online /Cleanup-Image /RestoreHealth.',
].join('\n')
const GUIDE_KO = [
  '윈도우 업데이트 오류 코드 정리',
  '코드가 0x800f081f, 0x800f0906, 0x80073712 중 하나이면 DISM 복구가 먼저입니다.',
  '윈도우 업데이트 오류의 대표 원인은 구성 요소 손상입니다.',
].join('\n')
const EXPLAINER_JA = [
  '本記事では、更新プログラムのインストールに失敗する一般的な理由を紹介します。',
  'なぜ更新プログラムのインストールに失敗するのか',
  '多くの場合、ユーザーの環境のファイルの不整合が原因です。',
].join('\n')

const holding = (text: string) => diagnose({ text }).findings.filter((f) => f.severity !== 'info' && f.state !== 'past')

describe('a text about update failures in general', () => {
  it('a support article (Symptoms, Cause, Resolution) listing codes names no failure of the reader', () => {
    expect(generalTextIn(ARTICLE_FR)?.page).toBe('support article')
    const out = diagnose({ text: ARTICLE_FR })
    expect(holding(ARTICLE_FR)).toEqual([])
    const note = out.findings.find((f) => f.id === 'no-failure-of-its-own')
    expect(note?.title).toMatch(/support article/)
    // The codes stay facts: what the rules said of them is kept as a note, with no repair.
    expect(out.findings.some((f) => f.codes.includes('0x80073712') && f.severity === 'info' && !f.repair)).toBe(true)
  })
  it('an error-code guide in Korean and an explainer in Japanese with no code are no failure either', () => {
    expect(generalTextIn(GUIDE_KO)?.page).toBe('guide')
    expect(holding(GUIDE_KO)).toEqual([])
    expect(generalTextIn(EXPLAINER_JA)).not.toBeNull()
    expect(holding(EXPLAINER_JA)).toEqual([])
  })
})

describe("a person's own failure beside the same words stays a failure", () => {
  it("first-person words that tell the failure (J'ai … sur mon PC)", () => {
    const text = `${ARTICLE_FR}\nJ'ai l'erreur 0x80073712 sur mon PC depuis hier.`
    expect(generalTextIn(text)).toBeNull()
    expect(holding(text).length).toBeGreaterThan(0)
  })
  it("a log line of the run, or a command pasted with its prompt and DISM's result", () => {
    const logged = `${ARTICLE_FR}\n2026-11-20 10:15:02, Error                 CBS    Failed to resolve package [HRESULT = 0x80073712 - ERROR_SXS_COMPONENT_STORE_CORRUPT]`
    expect(generalTextIn(logged)).toBeNull()
    const pasted = `${GUIDE_KO}\nC:\\Windows\\system32>DISM /Online /Cleanup-Image /RestoreHealth\nError: 0x800f081f`
    expect(generalTextIn(pasted)).toBeNull()
    expect(holding(pasted).length).toBeGreaterThan(0)
  })
  it("a page that names a KB, or codes not told as a list, is that update's or that code's story", () => {
    expect(generalTextIn(`${EXPLAINER_JA}\nKB5034441 のインストールに失敗します。`)).toBeNull()
    expect(generalTextIn(`${EXPLAINER_JA}\n0x80070643 のエラーで失敗します。`)).toBeNull()
  })
  it("an aside in the first person (a maintainer closing an issue) does not make a general page one's own", () => {
    const text = `${EXPLAINER_JA}\nI'm closing this issue as there is nothing actionable here.`
    expect(generalTextIn(text)).not.toBeNull()
    const told = `${EXPLAINER_JA}\nI've got the same failure on this server.`
    expect(generalTextIn(told)).toBeNull()
  })
})
