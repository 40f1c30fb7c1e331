/**
 * The story's order, prerequisites, a PC that does not start, and the words of each in many languages: rules written
 * from Microsoft's documentation of each cause and from how people tell a failure, each tested on sentences of our
 * own (no capture's text).
 */
import { describe, expect, it } from 'vitest'
import { causeOf } from '../analyze/corpus-checks.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { readTextStory } from '../../../main/analyze/text-story.ts'
import { kindOfCommand } from '../../../main/knowledge/remedy-steps.ts'

describe('a later success outweighs an earlier failure', () => {
  it('an update that failed with a code and then installed on the next try is history, not a problem', () => {
    for (const t of [
      'KB5034763 failed with 0x800f0922 last night. This morning I ran Windows Update again and it installed successfully.',
      'Die Installation von KB5034763 ist fehlgeschlagen (0x800f0922). Am nächsten Tag wurde KB5034763 erfolgreich installiert.',
      'KB5034763 のインストールに失敗しました (0x800f0922)。再起動後にもう一度試したら正常にインストールされました。',
      'Aktualizacja KB5034763 nie powiodła się (0x800f0922). Po ponownym uruchomieniu zainstalowała się bez problemu.',
    ]) {
      expect([t, causeOf(t).id]).toEqual([t, 'none'])
      const out = diagnose({ text: t })
      expect(out.findings.some((f) => f.state === 'past' && f.resolvedBy)).toBe(true)
    }
  })
  it("a success before the failure, a failure after the success, or another update's success is no resolution", () => {
    for (const t of [
      'KB5034763 installed successfully on Monday, but on Tuesday KB5034763 failed again with 0x800f0922.',
      'It installed successfully after a restart. Then the next cumulative update failed with 0x800f0922.',
      'KB5034441 failed with 0x80070643. KB5034763 installed successfully.',
      'KB5034441 failed with 0x80070643 and never installed successfully.',
      'KB5034441 failed with 0x80070643. Has anyone installed it successfully?',
    ])
      expect([t, causeOf(t).id]).not.toEqual([t, 'none'])
  })
  it('a record of the first attempt pasted after the success (an event, a log line) is not a later failure', () => {
    const t = [
      'The service pack failed to install overnight. I ran it again by hand and it reported that it successfully updated the computer.',
      'The System log still shows the first attempt:',
      'Event ID: 20',
      'Description:',
      'Installation Failure: Windows failed to install the following update with error 0x80242007: Service Pack 2.',
    ].join('\n')
    expect(causeOf(t).id).toBe('none')
  })
  it('"that fixed it" keeps the cause the failure shows, with the fix as its evidence', () => {
    const t =
      'KB5034763 failed with 0x800f0922 every time. I freed space on the System Reserved partition and that fixed it.'
    const story = readTextStory(t)
    expect(story.fixed?.phrase).toBe('fixed it')
    expect(story.resolved).toBeNull()
    const top = diagnose({ text: t }).findings.find((f) => f.severity !== 'info' && f.state !== 'past')!
    // The fix's line is its evidence, once (cited by the step that fixed it, or marked as the step that did).
    expect(top.evidence.filter((e) => /that fixed it/.test(e.excerpt)).length).toBe(1)
    // Nothing fixed it: no fix.
    expect(readTextStory('KB5034763 failed with 0x800f0922. Nothing I tried fixed it.').fixed).toBeNull()
    expect(readTextStory('KB5034763 一直无法安装成功，错误 0x800f0922。').resolved).toBeNull()
  })
})

describe('a PC that does not start after an update is its own family, not a pending restart', () => {
  it("Windows' own recovery screens and people's words, in many languages, name no restart to wait for", () => {
    for (const t of [
      'After the cumulative update KB5034763 the laptop shows "Preparing Automatic Repair" and never reaches the desktop.',
      'Seit dem Update KB5034763 bootet der PC nicht mehr und zeigt "Automatische Reparatur wird vorbereitet".',
      "Depuis la mise à jour KB5034763, le PC ne démarre plus : « Votre PC n'a pas démarré correctement ».",
      'Después de la actualización KB5034763 el equipo ya no arranca y pide la clave de recuperación de BitLocker.',
      'KB5034763 を適用したら PC が起動しなくなりました。BitLocker 回復キーを求められます。',
      '安装更新 KB5034763 后电脑无法启动，一直显示正在准备自动修复。',
      'Po aktualizacji KB5034763 komputer nie uruchamia się, ciągle pokazuje przygotowywanie naprawy automatycznej.',
      'После обновления KB5034763 компьютер не загружается, висит подготовка автоматического восстановления.',
    ]) {
      const top = diagnose({ text: t }).findings.find((f) => f.severity !== 'info' && f.state !== 'past')
      expect([t, top?.id]).toEqual([t, 'failure-cause-not-named:no-boot'])
      expect(top?.remedies.some((r) => /Uninstall Updates/.test(r.title))).toBe(true)
      // Startup Repair's log and the stop events are read by commands Servicing Desk knows as reads: a command of no
      // known kind counts as destructive and is dropped from the advice, so an unknown one would leave the step empty.
      const commands = top!.remedies.flatMap((r) => r.commands ?? [])
      expect(commands.some((c) => /SrtTrail\.txt/.test(c))).toBe(true)
      expect(commands.some((c) => /Get-WinEvent/.test(c))).toBe(true)
      for (const c of commands) expect([c, kindOfCommand(c).risk]).toEqual([c, 'read-only'])
    }
  })
  it('a restart loop where Windows still starts stays the pending restart; a boot screen without an update is none', () => {
    expect(
      causeOf('After KB5034763 the PC restarts, installs the same update again and restarts: a restart loop.').id,
    ).toBe('pending-restart')
    expect(causeOf('My new game console shows "Preparing" for a minute when I switch it on.').id).toBe('none')
  })
})

describe('a prerequisite named beside "not applicable" is the prerequisite, not the wrong architecture', () => {
  it('the servicing stack to install first, in Traditional Chinese spellings', () => {
    for (const t of [
      '安裝 KB5034763 時出現 WU_E_NOT_APPLICABLE,因為不滿足先決條件:必須先安裝服務堆棧更新。',
      '手動安裝 KB5034763 失敗 0x80240017,需要先安裝服務堆疊更新才能安裝。',
    ])
      expect([t, causeOf(t).id]).toEqual([t, 'servicing-stack-required'])
  })
})
