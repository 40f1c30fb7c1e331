/**
 * The 2019–2026 sweep of Microsoft's known issues: a text that names a KB with its documented symptom — a news page, a
 * forum post, a technician's note, in English or another language — gets that KB's known issue, not "a failure, cause
 * not named". The sentences are our own, written the way people report these issues; each row's own words and codes are
 * checked against its captured source by known-issues-2024-2025.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { knownIssues, knownIssueSources, symptomWordIn } from '../../../main/knowledge/known-issues.ts'

const ids = (text: string) => diagnose({ text }).findings.map((f) => f.id)
const first = (text: string) => diagnose({ text }).findings[0]?.id

describe('a KB named beside its documented symptom, in any language, gives its known issue', () => {
  it.each([
    // Spanish news of January 2026: the stop code by name, and the PC that no longer starts
    [
      'es',
      'Microsoft confirma que la actualización KB5074109 de enero provoca que algunos equipos no arranquen: aparece UNMOUNTABLE_BOOT_VOLUME en una pantalla negra.',
      'kb5074109-unmountable-boot-volume',
    ],
    ['es', 'Desde que instalé KB5074109 el portátil no arranca.', 'kb5074109-unmountable-boot-volume'],
    ['en', 'After installing KB5074109 my PC shows UNMOUNTABLE_BOOT_VOLUME.', 'kb5074109-unmountable-boot-volume'],
    [
      'de',
      'Seit KB5000802 stürzt der PC beim Drucken mit einem Bluescreen APC_INDEX_MISMATCH ab.',
      'kb5000802-print-apc-index-mismatch',
    ],
    ['zh-CN', '安装KB5000802后打印时蓝屏。', 'kb5000802-print-apc-index-mismatch'],
    [
      'ja',
      'KB5000822を適用したらプリントサーバーで印刷するとブルースクリーンになる。',
      'kb5000822-print-apc-index-mismatch',
    ],
    ['fr', 'Depuis la mise à jour KB5009543, la connexion VPN L2TP échoue.', 'kb5009543-l2tp-vpn'],
    [
      'it',
      'Dopo KB5082063 il controller di dominio si riavvia di continuo, LSASS si blocca.',
      'kb5082063-dc-lsass-restart-loop',
    ],
    ['pt', 'Após instalar a KB5050092, a impressora USB imprime texto aleatório.', 'kb5050092-usb-printer-random-text'],
    ['ko', 'KB5033375 설치 후 회사 무선 네트워크(802.1x)에 연결되지 않습니다.', 'kb5033375-wifi-8021x'],
    ['ru', 'После установки KB5035857 на контроллере домена утечка памяти в lsass.', 'kb5035857-dc-lsass-memory-leak'],
    [
      'pl',
      'Po aktualizacji KB5029351 komputer nie startuje, niebieski ekran UNSUPPORTED_PROCESSOR.',
      'kb5029351-unsupported-processor',
    ],
    ['zh-TW', '更新KB5066835之後localhost的HTTP/2連線被重設。', 'kb5066835-localhost-http2'],
    [
      'en',
      'KB5082063 failed to install with error 0x800F0983 on our Windows Server 2025 hosts.',
      'kb5082063-install-fails-server2025',
    ],
    [
      'en',
      'KB5009596 fails to install: 0x800f0845, after a blue screen when the headset pairs over Bluetooth.',
      'kb5009596-bluetooth-irql-0x800f0845',
    ],
  ])('%s: %s', (_lang, text, id) => {
    expect(ids(text)).toContain(`known-issue:${id}`)
  })

  it('the known issue is the first finding, before a generic one', () => {
    expect(first('Microsoft confirma que KB5074109 provoca UNMOUNTABLE_BOOT_VOLUME y el equipo no arranca.')).toBe(
      'known-issue:kb5074109-unmountable-boot-volume',
    )
    expect(first('KB5082063 failed to install with error 0x800F0983 on Windows Server 2025.')).toBe(
      'known-issue:kb5082063-install-fails-server2025',
    )
  })

  it('the symptom without the KB, or the KB without the symptom, meets none of the rows', () => {
    expect(
      ids('The PC shows UNMOUNTABLE_BOOT_VOLUME and no longer boots.').some((i) => i.startsWith('known-issue:')),
    ).toBe(false)
    expect(ids('KB5000802 is installed.')).not.toContain('known-issue:kb5000802-print-apc-index-mismatch')
  })
})

describe('symptom words in languages written without spaces', () => {
  const words = ['蓝屏', '打印', 'ブルースクリーン']
  it('meet inside a run of Chinese or Japanese characters', () => {
    expect(symptomWordIn('更新后打印时蓝屏', words)).toBe('蓝屏')
    expect(symptomWordIn('更新後にブルースクリーンが出る', words)).toBe('ブルースクリーン')
  })
  it('a word in Latin letters still meets only where a word starts', () => {
    expect(symptomWordIn('fingerprint reader', ['print'])).toBeNull()
    expect(symptomWordIn('printing fails', ['print'])).toBe('print')
  })
})

describe('the sweep rows', () => {
  it('the table holds the 41 rows before the sweep and its 51, each with a source a person can open', () => {
    expect(knownIssues().length).toBeGreaterThanOrEqual(41 + 51)
    for (const r of knownIssues()) expect(knownIssueSources()[r.source], r.id).toMatch(/https?:\/\//)
  })
})
