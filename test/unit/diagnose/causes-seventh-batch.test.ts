/**
 * The seventh causes batch (test/fixtures/corpus-causes-7, pages not in English) and the sixth's held-out misses: the
 * rule behind each fix is Microsoft's documentation of the cause or the language's own grammar, never the capture's own
 * wording, and the later kinds are told in sentences of their own, not a capture's text.
 */
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { causeOf } from '../analyze/corpus-checks.ts'
import { analyzeText } from '../../../main/analyze/analyze.ts'
import { diagnose } from '../../../main/diagnose/diagnose.ts'
import { outcomeLanguages } from '../../../main/knowledge/outcome-words.ts'

const root = 'test/fixtures/corpus-causes-7'
const body = (rel: string) => {
  const t = readFileSync(join(root, rel), 'utf8')
  return t.slice(t.indexOf('\n') + 1)
}

describe('Spanish "failed" in the past tense, beside an update', () => {
  it('a KB that fails at 59 %, is uninstalled and retried after every restart is a failure, never none', () => {
    const text = body('unknown/es-eldia-kb3081424-bucle-reinicios-59-por-ciento-no-code.txt')
    // A news page of the update, told of its users: the update's reported issue is a reading as good as the loop's.
    expect(['pending-restart', 'failure-cause-not-named', 'known-issue:reported']).toContain(causeOf(text).id)
    expect(analyzeText(text).findings.some((f) => f.severity === 'error' || f.severity === 'critical')).toBe(true)
  })
  // The plural "actualizaciones" speaks of updates as the singular does.
  it('the preterite and perfect of "fallar" count as "falla" does, only in a text about an update', () => {
    for (const t of [
      'La actualización KB5034441 falló otra vez.',
      'Las actualizaciones de Windows fallaron anoche.',
      'La instalación de KB5034441 ha fallado.',
    ])
      expect([t, causeOf(t).id]).not.toEqual([t, 'none'])
    expect(causeOf('El penalti falló por poco y el partido terminó empatado.').id).toBe('none')
  })
})

describe('restart loops, failures and hangs in Polish, Czech, Slovak and English words', () => {
  const notNone = (t: string) => expect([t, causeOf(t).id]).not.toEqual([t, 'none'])
  it('a Polish restart loop ("pętla restartów", "ciągle się restartuje") is the install waiting on a restart', () => {
    for (const t of [
      'Po instalacji aktualizacji zbiorczej komputer wpadł w pętlę restartów.',
      'Od wczoraj Windows ciągle się restartuje po aktualizacji zbiorczej.',
    ])
      expect([t, causeOf(t).id]).toEqual([t, 'pending-restart'])
  })
  it('Czech failure, loop and "known problems" words, only about an update', () => {
    notNone('Aktualizace KB5034441 se nenainstaluje, pořád hlásí chybu.')
    notNone('Microsoft zařadil aktualizaci KB5034441 mezi známé problémy.')
    expect(causeOf('Po aktualizaci se počítač neustále restartuje.').id).toBe('pending-restart')
    // "Žádná chyba" denies the error; a text not about an update keeps its "chyba".
    expect(causeOf('Při aktualizaci se neobjevila žádná chyba.').id).toBe('none')
    expect(causeOf('V receptu je chyba, chybí sůl.').id).toBe('none')
  })
  it('Slovak is a language of the words table: failure, loop and update words', () => {
    expect(outcomeLanguages('failure')).toContain('sk')
    expect(outcomeLanguages('restartLoop')).toEqual(expect.arrayContaining(['cs', 'sk', 'pl']))
    notNone('Aktualizáciu KB5034441 sa nepodarilo nainštalovať.')
    notNone('Inštalácia aktualizácie zlyhala s chybou.')
    expect(causeOf('Po aktualizácii sa počítač neustále reštartuje.').id).toBe('pending-restart')
    expect(causeOf('Pri aktualizácii sa nevyskytla žiadna chyba.').id).toBe('none')
  })
  // Microsoft's "Windows Update stuck" troubleshooting: an install or a download that hangs is a failure to run down.
  it('an update that gets stuck or hangs is a failure; "stuck" without an update is not', () => {
    notNone('Windows Update gets stuck at 0% downloading KB5034441.')
    notNone('The cumulative update hangs at "Installing - 20%" for hours.')
    notNone('Install-WindowsUpdate is stuck on "Stopping the Windows Update service" every time.')
    expect(causeOf('I got stuck in traffic on the way to work.').id).toBe('none')
  })
})

describe('CBS lines quoted beside the failure they explain', () => {
  it('an event\'s "could not be installed because of error" in decimal is read, though the CBS lines show no failure', () => {
    const text = [
      'Windows update \'Security Update for Windows (KB5034441)\' could not be installed because of error 2149842953 "" (Command line: "wusa.exe C:\\temp\\windows10.0-kb5034441-x64.msu")',
      '2024-01-10 09:12:01, Info                  CBS    Exec: Processing started.  Client: WindowsUpdateAgent, Session: 31070000_1234, Package: Package_for_KB5034441~31bf3856ad364e35~amd64~~19041.3920.1.2',
      '2024-01-10 09:12:02, Info                  CBS    Exec: Staging Package: Package_for_KB5034441~31bf3856ad364e35~amd64~~19041.3920.1.2',
      '2024-01-10 09:12:03, Info                  CBS    Session: 31070000_1234 initialized by client WindowsUpdateAgent.',
    ].join('\n')
    expect(diagnose({ text }).findings.map((f) => f.id)).toContain('code-0x80240009')
  })
})
