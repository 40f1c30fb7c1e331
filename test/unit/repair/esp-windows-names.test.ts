/**
 * The EFI-folder guard compares names as Windows does: Win32 strips trailing dots and spaces from a path
 * component, so `S:\EFI\Microsoft.` IS `S:\EFI\Microsoft` — a robocopy /MOVE of it would move Windows' own
 * boot files off the EFI partition. Each of these names is refused; plain vendor names still pass.
 */
import { describe, it, expect } from 'vitest'
import { STEP_KINDS, espMovedDir, windowsNameKey } from '../../../main/repair/step-kinds.ts'

describe('EFI folder names as Windows compares them', () => {
  const p = STEP_KINDS['esp-move-folder'].params
  it('refuses Microsoft and Boot with trailing dots or spaces (8 cases), and any name ending so', () => {
    const bad = ['Microsoft.', 'Microsoft..', 'Microsoft ', 'Microsoft. .', 'BOOT.', 'boot ', 'Boot. ', 'HP.']
    let ran = 0
    for (const folder of bad) {
      expect(p.safeParse({ letter: 'S', folder }).success, folder).toBe(false)
      ran++
    }
    expect(ran).toBe(8)
    expect(() => espMovedDir({ hostKind: 'training', dataDir: '/d', resumeCommand: null }, 'Microsoft.')).toThrow()
  })
  it('still moves plain vendor folders, including dotted names that do not end in a dot', () => {
    for (const folder of ['HP', 'Dell', 'ubuntu', 'Lenovo.BIOS', 'Acer Care'])
      expect(p.safeParse({ letter: 'S', folder }).success, folder).toBe(true)
    expect(windowsNameKey('Microsoft. . ')).toBe('microsoft')
  })
})
