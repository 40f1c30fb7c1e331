/**
 * A log pasted with the person's own words around it (an issue's description, a forum post): when the log's reader
 * finds no error in the log, the failure and the cause the person tells still make an error finding — their words on
 * their own lines, never the log's dated, trace or CMTrace lines. Lines written here, not taken from a capture.
 */
import { describe, expect, it } from 'vitest'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { causeOf } from './corpus-checks.ts'

const DISM_LOG = [
  '2031-02-03 10:11:12, Info                  DISM   DISM Provider Store: PID=4242 TID=4243 Getting the collection of providers from a local provider store type. - CDISMProviderStore::GetProviderCollection',
  '2031-02-03 10:11:12, Info                  DISM   DISM Provider Store: PID=4242 TID=4243 Provider has not previously been encountered.  Attempting to initialize the provider. - CDISMProviderStore::Internal_GetProvider',
  '2031-02-03 10:11:13, Info                  DISM   DISM Package Manager: PID=4242 TID=4243 Processing the top level command token(cleanup-image). - CPackageManagerCLIHandler::Private_ValidateCmdLine',
].join('\n')

const errors = (text: string) =>
  analyzeText(text).findings.filter((f) => f.severity === 'error' || f.severity === 'critical')

describe('a failure the person tells beside a log whose reader finds no error', () => {
  const told: Record<string, string> = {
    en: `Cleaning up the component store failed again on my server.\n${DISM_LOG}`,
    de: `Die Bereinigung des Komponentenspeichers ist fehlgeschlagen.\n${DISM_LOG}`,
    fr: `Le nettoyage du magasin des composants a échoué sur mon serveur.\n${DISM_LOG}`,
    ja: `コンポーネント ストアのクリーンアップに失敗しました。\n${DISM_LOG}`,
    'zh-cn': `清理组件存储失败了，日志如下：\n${DISM_LOG}`,
  }
  for (const [language, text] of Object.entries(told))
    it(`is an error finding (${language})`, () => {
      expect(analyzeText(text).kind).not.toBe('unknown')
      expect(errors(text).length).toBeGreaterThan(0)
    })

  it("names the cause the person's words name (Windows' 1058 message in German)", () => {
    const text = `Add-WindowsCapability bricht ab: Der Dienst kann nicht gestartet werden, da er deaktiviert ist oder ihm keine aktivierten Geräte zugeordnet sind.\n${DISM_LOG}`
    expect(errors(text).map((f) => f.id)).toContain('story-services-disabled')
  })

  it("a trace line's own error words beside the log are the log's, not a failure told", () => {
    const text = `${DISM_LOG}\n[4242] [0x8007007b] FIOReadFileIntoBuffer:(1381): Ошибка в синтаксисе имени файла\n[4242] [0x8007007b] UnmarshallImageHandleFromDirectory:(511)`
    expect(errors(text)).toEqual([])
  })

  it('a general word on a tool line beside the log is no failure of the reader (no strong phrase)', () => {
    const text = `${DISM_LOG}\nunable to open the optional package list, using defaults`
    expect(errors(text)).toEqual([])
  })
})

describe('the diagnosis of a text read as a log that tells its failure above the log', () => {
  it('is a failure, cause not named, never "No servicing problem found"', () => {
    const text = `Enabling the feature failed on my server; the DISM log is below.\n${DISM_LOG}`
    expect(causeOf(text).id).toBe('failure-cause-not-named')
  })

  it("a general word on a log's own line names no failure", () => {
    expect(causeOf(`${DISM_LOG}\n[4242] [0x8007007b] FIOReadFileIntoBuffer failed`).id).toBe('none')
  })
})
