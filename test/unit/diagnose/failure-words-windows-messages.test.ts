/**
 * Failures told in Windows Update's own messages and in the plain forms of four languages that were answered "No
 * servicing problem found": "Some update files are missing or have problems", "There were some problems installing
 * updates", "Your device is missing important security and quality fixes" (Windows Update's Settings page), an
 * update that reverts at every restart, German's plural "konnten nicht installiert werden", French "n'a pas pu être
 * installée", Russian "не установлено". Each told as a condition stays none. Lines written here, never a capture's own.
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
        'Die Updates konnten nicht installiert werden.',
        "La mise à jour n'a pas pu être installée.",
        'Обновление не установлено.',
      ],
      'failure-cause-not-named',
    )
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
