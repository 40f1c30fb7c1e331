/**
 * A failure told in plain words is never "No servicing problem found": the words a person uses for an update that
 * stopped working, Windows' own "Something went wrong", a success the text denies, Italian blue screens in the plural,
 * a TiWorker that is never closed. Sentences of our own, in the words Windows and people use.
 */
import { describe, expect, it } from 'vitest'
import { diagnose } from '../../../main/diagnose/diagnose.ts'

const noProblem = (text: string) => diagnose({ text }).notes.some((n) => /No servicing problem found/.test(n))
const first = (text: string) => diagnose({ text }).findings.find((f) => f.severity !== 'info')?.id ?? null

describe('a failure in plain words is a failure', () => {
  it.each([
    'After I ran a tweak tool last week, Windows Update stop working on my laptop.',
    'Since the cleanup script, Windows Update stops working after a few minutes.',
    'When I open Windows Update, Settings shows "Something went wrong. Try to reopen Settings later."',
    'The monthly update stucks at 0% on the installing step every time.',
    'DISM cannot fix the component store, and the update still refuses to go in.',
    'Our servers refuse to install the cumulative update since the migration.',
    "Dopo l'aggiornamento di febbraio molti PC mostrano schermate blu all'avvio.",
    "Dopo l'aggiornamento: impossibilità di avviare il sistema operativo.",
  ])('%s', (text) => {
    expect(noProblem(text)).toBe(false)
    expect(first(text)).not.toBeNull()
  })

  it('a success the text denies is none: the failure it tells stands', () => {
    const text =
      'Updates fail with an error on this server: it has never successfully installed a cumulative update since it was built.'
    expect(noProblem(text)).toBe(false)
    expect(noProblem('The cumulative update installed successfully after the restart.')).toBe(true)
  })

  it('an image build waiting on a TiWorker.exe that is never closed, no restart named, is servicing that does not end', () => {
    const text =
      'On Server 2025 the update step does not seem to close TiWorker.exe, and our build waits for it to quit.'
    expect(first(text)).toBe('servicing-hang:trustedinstaller-runs')
  })
})

// A person's own failure told in the words Windows' tools and people use for it ("cannot be installed", "sysprep
// failed", "sfc /scannow failed", "unable to repair it", "I can't update"): at least "a failure, cause not named".
describe("a person's failure in words", () => {
  it.each([
    'There is a new cumulative update for my laptop, but it cannot be installed anymore.',
    'I cant update Windows 10 to the newest build, it just sits there.',
    'After removing the app for my account, sysprep failed again on the reference machine.',
    'Running sfc /scannow failed on my PC this morning.',
    'SFC keeps saying the system is damaged and it is unable to repair it.',
    'The upgrade assistant now tells me my PC is not eligible for the new version.',
  ])('%s', (text) => {
    expect(noProblem(text)).toBe(false)
    expect(first(text)).toMatch(/^failure-cause-not-named/)
  })
  it('an explainer of the same words reports no failure of its own', () => {
    expect(
      first(
        'How to fix it when an update cannot be installed: this guide explains the steps to follow. If SFC is unable to repair it, run DISM.',
      ),
    ).toBeNull()
  })
})
