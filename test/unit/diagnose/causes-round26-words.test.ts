/**
 * Failures told in everyday words this round's tables lacked, in lines written here: a tool that "breaks cumulative
 * updates", Chinese 更新出问题 ("the update went wrong"), Japanese 途中で止まる ("stops half-way"), and a Russian
 * rollback (откат) that does not work. Each is a failure ("cause not named" at least), never "no servicing problem".
 */
import { describe, expect, it } from 'vitest'
import { firstCause } from './told-causes.ts'

describe('failures in the words of this round', () => {
  it.each([
    'Running the debloat script breaks cumulative updates on every PC we tried.',
    'Since the cleanup tool ran, it breaks installing Windows updates: nothing new goes on.',
    '昨天系统更新出问题了，电脑重启后所有设置都不见了。',
    'Windows 11 のセットアップが途中で止まる。何度やっても同じです。',
    'Откат с Windows 11 на Windows 10 не работает, кнопки нет.',
  ])('%s', (text) => {
    expect(firstCause(text)).toMatch(/^failure-cause-not-named/)
  })

  it('a repair of the image (修复映像, DISM /RestoreHealth in Chinese) that finds no source: the store needs a repair source', () => {
    expect(firstCause('我用 DISM 修复映像，结果提示找不到源，系统版本 19045。')).toBe('component-store-corruption')
  })

  it('a tool that blocks Windows Update beside a failure: a service it needs is off', () => {
    expect(firstCause('After I ran a script to block Windows Update, the cumulative update fails to install.')).toBe(
      'services-disabled',
    )
    // An obstacle called a blocker is no tool: no cause from it.
    expect(firstCause('The update failed; the drive letter was the update blocker here.')).not.toBe('services-disabled')
  })

  it("a bypass of Windows 11's requirements that does not work: the requirements still block the upgrade", () => {
    expect(firstCause('The TPM check bypass does not work, the upgrade to Windows 11 is still refused.')).toBe(
      'setup-blocked:hardware-requirements',
    )
    expect(firstCause('Die TPM-Prüfung zu umgehen klappt nicht, das Upgrade auf Windows 11 bleibt blockiert.')).toBe(
      'setup-blocked:hardware-requirements',
    )
  })

  it('a restart a person did not make after enabling a feature: the restart that is waiting', () => {
    expect(firstCause('WSL still fails to start; I forgot to restart after the dism /enable-feature commands.')).toBe(
      'pending-restart',
    )
    // Setup run from a DVD "without rebooting" is no restart left undone.
    expect(firstCause('Ran setup from the DVD without rebooting; it hangs installing updates.')).not.toBe(
      'pending-restart',
    )
  })

  it('security software told preventing the change beside a failure: it blocks the install', () => {
    expect(
      firstCause('The feature cannot be enabled: the company endpoint security suite was preventing the change.'),
    ).toBe('access-blocked')
    expect(firstCause("L'activation échoue : l'antivirus empêche la modification du système.")).toBe('access-blocked')
  })

  it('断网 (going offline) is a step people take as told, not a PC without internet', () => {
    expect(firstCause('按照教程断网安装，重启到 98% 时提示无法完成更新，正在撤销更改。')).not.toBe(
      'update-source-unreachable',
    )
    expect(firstCause('电脑没有网络，Windows 更新一直失败。')).toBe('update-source-unreachable')
  })

  it('the same words told of something that worked, or as a question of a guide, are no failure', () => {
    expect(firstCause('Does removing the apps break cumulative updates? In our tests nothing broke.')).toBe('none')
  })
})
