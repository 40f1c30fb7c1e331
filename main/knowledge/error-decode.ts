/**
 * Decodes an HRESULT's fields: severity (bit 31), customer bit (29), facility (bits 16–26, 11 bits: bits
 * 27–28 are the X and N flags), and the Win32 code when the facility is WIN32. Layout from the header
 * comment in winerror.h ("Facility - is the facility code", 11 bits under FACILITY_NT_BIT and X).
 */
const FACILITIES: Record<number, string> = {
  0: 'FACILITY_NULL',
  1: 'FACILITY_RPC',
  2: 'FACILITY_DISPATCH',
  3: 'FACILITY_STORAGE',
  4: 'FACILITY_ITF',
  7: 'FACILITY_WIN32',
  8: 'FACILITY_WINDOWS',
  9: 'FACILITY_SECURITY',
  10: 'FACILITY_CONTROL',
  11: 'FACILITY_CERT',
  12: 'FACILITY_INTERNET',
  15: 'FACILITY_SETUPAPI (CBS/PSFX)',
  23: 'FACILITY_SXS',
  36: 'FACILITY_WINDOWSUPDATE',
  // winerror.h gives 48 two names: Windows Setup's and Performance Logs and Alerts'.
  48: 'FACILITY_WINDOWS_SETUP / FACILITY_PLA',
  400: 'FACILITY_SETUP (MOSETUP)',
}

export interface DecodedHresult {
  severity: 'success' | 'error'
  facility: number
  facilityName: string | null
  win32: number | null
  customer: boolean
}

export function decodeHresult(code: string): DecodedHresult {
  const n = parseInt(code.replace(/^0x/i, ''), 16) >>> 0
  const facility = (n >>> 16) & 0x7ff
  return {
    severity: n & 0x80000000 ? 'error' : 'success',
    facility,
    facilityName: FACILITIES[facility] ?? null,
    win32: facility === 7 ? n & 0xffff : null,
    customer: (n & 0x20000000) !== 0,
  }
}
