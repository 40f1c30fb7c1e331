/**
 * Failures told in forms the words table lacked: Japanese past and polite negatives of "was installed" and "was applied"
 * (インストールされなかった, 適用されなかった), Windows Update "broken" (壊れてしまった), Windows Setup's Russian
 * "cannot continue the installation" (Невозможно продолжить установку), and in English updates that "don't seem to be
 * installed", a check that "never finishes", updates "not applied" or "unavailable" and a boot or install that "never ends". Each is a failure whose cause the text does not
 * name, never "No servicing problem found". Lines written here, never a capture's own.
 */
import { describe, it } from 'vitest'
import { eachIs } from './told-causes.ts'

describe('failures told in these forms are failures', () => {
  it('Japanese: not installed, not applied, broken', () => {
    eachIs(
      [
        '先月の更新のあと、父のパソコンの Windows Update が壊れてしまいました。',
        'セキュリティ更新プログラムが適用されなかった。再起動しても同じだった。',
      ],
      'failure-cause-not-named',
    )
  })
  it("Russian: Windows Setup's cannot continue the installation", () => {
    eachIs(
      [
        'При установке Windows 10 появляется ошибка: Невозможно продолжить установку. Что делать?',
        'Обновление до Windows 11 остановилось: не удается продолжить установку.',
      ],
      'failure-cause-not-named',
    )
  })
  it('English: not seeming installed, never finishing', () => {
    eachIs(
      [
        'The June updates do not seem to be installed on this PC; all earlier ones are.',
        'Windows Update never finishes checking for updates on our Server 2019 VM.',
      ],
      'failure-cause-not-named',
    )
  })
  it('English: updates not applied or unavailable, a boot or an install that never ends', () => {
    eachIs(
      [
        'The June DBX updates not applied during Windows Update on this laptop.',
        'After I enabled Hyper-V in Windows Features, the boot shows a circle of dots that never ends.',
        'The cumulative update install is never-ending on this server.',
        'After the tweak tool ran, updates are unavailable on this PC.',
      ],
      'failure-cause-not-named',
    )
  })
})
