/**
 * A cause named as the cause: a sentence that says its subject caused the failure ("because of the antivirus", "the
 * proxy was the culprit", 原因はセキュリティソフト, из-за антивируса) names that subject's cause, in each language, with
 * the word before the subject or after it as each language puts it. Not when the sentence says the subject was not the
 * cause, when the subject is what the person changed because of something else, or with no failure told. Lines
 * written here, never a capture's own.
 */
import { describe, it } from 'vitest'
import { causes, eachIs } from './told-causes.ts'

describe('security software named as the cause of the failure', () => {
  causes(
    {
      en: 'The 24H2 upgrade keeps failing at 35%. Turns out it was because of the antivirus (Kaspersky).',
      ja: '更新プログラムのインストールに失敗しました。原因はセキュリティソフトでした。',
      ru: 'Обновление не устанавливается из-за антивируса.',
      pl: 'Aktualizacja nie instaluje się z powodu programu antywirusowego.',
      ko: '업데이트 설치에 실패했는데 원인은 백신 프로그램이었습니다.',
      pt: 'A atualização falhou por causa do antivírus.',
    },
    'access-blocked',
  )
})

describe('a firewall or proxy named as the cause of the failure', () => {
  causes(
    {
      de: 'Das kumulative Update ließ sich nicht installieren, schuld war die Firewall des Routers.',
      fr: "La mise à jour échoue à chaque fois à cause du proxy de l'entreprise.",
      it: "L'aggiornamento non si installa a causa del firewall aziendale.",
      'zh-CN': 'Windows 更新一直安装失败，罪魁祸首是代理服务器。',
      en: 'Windows Update failed for a week; the proxy was the culprit.',
    },
    'update-source-unreachable',
  )
})

describe('a partition named as the cause of the failure', () => {
  causes(
    { es: 'No se pudo instalar la actualización debido a la partición de recuperación.' },
    'winre-partition-too-small',
  )
  causes({ en: 'The monthly update failed with no code. The cause was the System Reserved partition.' }, 'esp-full')
})

describe('a subject that is not named as the cause names nothing', () => {
  it('said not to be the cause: a failure, cause not named', () => {
    eachIs(
      [
        'The update failed again. It is not because of the antivirus, I removed that weeks ago.',
        'Das Update schlägt fehl, aber nicht wegen der Firewall: die ist aus.',
      ],
      'failure-cause-not-named',
    )
  })
  it('changed because of the update, not the reason it failed: a failure, cause not named', () => {
    eachIs(
      ['I turned the antivirus off because of the update, and the update still failed.'],
      'failure-cause-not-named',
    )
  })
  it('a causal word inside another word ("wegen" in "bewegen"): a failure, cause not named', () => {
    eachIs(['Das Update schlägt fehl. Die Maus lässt sich bewegen, die Firewall ist aus.'], 'failure-cause-not-named')
  })
  it('with no failure told: none', () => {
    eachIs(['Because of the antivirus, some downloads are slow on this PC.'], 'none')
  })
})
