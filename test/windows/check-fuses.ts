/**
 * Reads the Electron fuses back from a packaged exe and checks them against electron-builder.yml.
 * Usage (Windows CI, after `electron-builder --win dir`): node test/windows/check-fuses.ts release/win-unpacked/ServicingDesk.exe
 */
import { getCurrentFuseWire, FuseV1Options } from '@electron/fuses'

/** What electron-builder.yml's electronFuses sets: true = enabled. */
export const expectedFuses: Record<string, boolean> = {
  RunAsNode: false,
  EnableCookieEncryption: true,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true,
  GrantFileProtocolExtraPrivileges: false,
}

const ENABLE = 49 // '1'
const DISABLE = 48 // '0'

async function main(exe: string | undefined): Promise<number> {
  if (!exe) {
    console.error('usage: node test/windows/check-fuses.ts <path to packaged exe>')
    return 2
  }
  const wire = (await getCurrentFuseWire(exe)) as unknown as Record<number, number>
  const problems: string[] = []
  for (const [name, want] of Object.entries(expectedFuses)) {
    const index = (FuseV1Options as unknown as Record<string, number>)[name]
    const state = wire[index]
    const ok = want ? state === ENABLE : state === DISABLE
    console.log(
      `fuse ${name}: ${state === ENABLE ? 'enabled' : state === DISABLE ? 'disabled' : `state ${state}`}${ok ? '' : ` (expected ${want ? 'enabled' : 'disabled'})`}`,
    )
    if (!ok) problems.push(name)
  }
  if (problems.length) console.error(`check-fuses: wrong: ${problems.join(', ')}`)
  return problems.length ? 1 : 0
}

main(process.argv[2]).then(
  (c) => process.exit(c),
  (e: unknown) => {
    console.error('check-fuses: FAILED:', e instanceof Error ? e.message : e)
    process.exit(1)
  },
)
