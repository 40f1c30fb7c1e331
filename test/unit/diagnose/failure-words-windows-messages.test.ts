/**
 * Failures told in Windows Update's own messages and in plain forms of many languages that were answered "No servicing
 * problem found": "Some update files are missing or have problems", "There were some problems installing updates",
 * "Your device is missing important security and quality fixes" (Windows Update's Settings page), an update that
 * reverts at every restart or uninstalls itself, German's plural "konnten nicht installiert werden", French "n'a pas pu
 * être installée", Russian "не установлено", Windows Update's download message in French, Spanish and Japanese, a
 * restart loop in French and a PC that does not start in Polish word order; everyday words of a stuck or broken update
 * ("stuck downloading", "keeps stopping", "never starts", "forever"; "for days" a hang) and System File Checker's
 * result told as "could not fix them"; an update that runs for hours, told by its time alone in twelve languages, is a
 * hang; a check or a download that never ends in Chinese, Japanese and Korean (不动, 一直转圈, 終わらない, 끝나지 않). Each told as a
 * condition stays none. Lines written here, never a capture's own.
 */
import { describe, it } from 'vitest'
import { eachIs } from './told-causes.ts'

describe("Windows Update's own messages and the plain forms, as failures", () => {
  it('are a failure, cause not named', () => {
    eachIs(
      [
        "Windows Update keeps saying: Some update files are missing or have problems. We'll try to download the update again later.",
        "There were some problems installing updates, but we'll try again later.",
        'Windows Update says my device is missing important security and quality fixes.',
        'The monthly rollup reverts at every reboot.',
        'The 2025-10 cumulative update uninstalls itself after reboot.',
        'Die Updates konnten nicht installiert werden.',
        "La mise à jour n'a pas pu être installée.",
        'Обновление не установлено.',
      ],
      'failure-cause-not-named',
    )
  })
  it("Windows Update's download message in French, Spanish and Japanese", () => {
    eachIs(
      [
        'Des problèmes sont survenus lors du téléchargement de certaines mises à jour.',
        'Se produjeron problemas al descargar algunas actualizaciones.',
        '一部の更新プログラムのダウンロード中に問題が発生しました。',
      ],
      'failure-cause-not-named',
    )
  })
  it('a PC that restarts in a loop (French) or does not start (Polish, either word order) after the update', () => {
    eachIs(['Le PC redémarre en boucle après la mise à jour.'], 'pending-restart')
    eachIs(['Po aktualizacji komputer się nie uruchamia.'], 'failure-cause-not-named:no-boot')
  })
  it('told as a condition, they are none', () => {
    eachIs(
      [
        'If Windows Update says some update files are missing or have problems, run the troubleshooter.',
        "Si la mise à jour n'a pas pu être installée, redémarrez le PC.",
      ],
      'none',
    )
  })
})

describe('everyday words of a stuck or broken update', () => {
  it('are failures, and a wait of days is a hang', () => {
    eachIs(
      [
        'Updates are stuck downloading at 0%.',
        'The Windows Update service keeps stopping.',
        'Updates are downloaded but the install never starts.',
        "Windows Update shows 'Pending download' forever.",
      ],
      'failure-cause-not-named',
    )
    eachIs(["The feature update has been 'Preparing to install' for days."], 'servicing-hang')
  })
  it("System File Checker's result in other words is store corruption", () => {
    eachIs(['sfc /scannow found corrupt files but could not fix them.'], 'component-store-corruption')
  })
})

describe('an update that runs for hours, in twelve languages', () => {
  it('is a hang, told by its time alone', () => {
    eachIs(
      [
        'Windows Update has been checking for updates for hours.',
        'Windows Update sucht seit Stunden nach Updates.',
        'Windows Update cherche des mises à jour depuis des heures.',
        'Windows Update lleva horas buscando actualizaciones.',
        'Windows Update は何時間も更新プログラムを確認しています。',
      ],
      'servicing-hang',
    )
  })
  it('a wait that ended in an install is no hang', () => {
    eachIs(['I waited for hours, and then the update installed successfully.'], 'none')
  })
})

describe('a check or a download that never ends, in Chinese, Japanese and Korean', () => {
  it('is a failure, general words beside an update', () => {
    eachIs(
      [
        '更新下载一直是0%，不动。',
        'Windows Update 检查更新一直转圈。',
        'Windows Update のチェックが終わらない。',
        '업데이트 확인이 끝나지 않습니다.',
      ],
      'failure-cause-not-named',
    )
  })
})
