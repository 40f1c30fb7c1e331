/**
 * Training answer for `DISM /English /Get-WimInfo /WimFile:<X:\sources\install.wim|esd> [/Index:N]` on a
 * machine with mounted installation media (`state.mountedMedia`).
 *
 * The format follows real captures (test/fixtures/dism-image-info, source on each file's first line): the
 * DISM header, `Details for image : <file>`, then per index `Index :`, `Name :`, `Description :`, `Size : …
 * bytes` (the list, en-wiminfo-list-tiny11-70.txt); with /Index the detail adds `WIM Bootable`, `Architecture`,
 * `Hal`, `Version : 10.0.<build>`, `ServicePack Build : <UBR>`, `ServicePack Level`, `Edition`, … `Created`
 * (en-wiminfo-index-markdown-mct375.txt), and `Modified` and the `Languages :` block as in the 23H2 capture
 * quoted in a public DISM walkthrough. A file that is not there: `Error: 2` and "The system cannot find the
 * file specified." (exit 2; Win32 error 2's text).
 */
import type { TrainingCommand } from '../command.ts'
import type { TrainingMedium, TrainingState } from '../state.ts'

const norm = (p: string) => p.replace(/\//g, '\\').replace(/^"|"$/g, '').toLowerCase()

/** The medium whose image file is `path` (e.g. E:\sources\install.wim), or null. */
export function mediumAt(state: TrainingState, path: string): TrainingMedium | null {
  return state.mountedMedia?.find((m) => norm(`${m.letter}:\\sources\\${m.file}`) === norm(path)) ?? null
}

const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`

export const renderWimInfo: TrainingCommand = ({ state, spec }) => {
  const file = spec.args.find((a) => /^\/WimFile:/i.test(a))?.slice('/WimFile:'.length) ?? ''
  const indexArg = spec.args.find((a) => /^\/Index:/i.test(a))
  const want = indexArg ? Number(indexArg.slice('/Index:'.length)) : null
  const v = `10.0.${state.os.currentBuild}.${state.os.ubr}`
  const head = ['', 'Deployment Image Servicing and Management tool', `Version: ${v}`, '']
  const m = mediumAt(state, file)
  const fail = (code: number, text: string) => ({
    exitCode: code,
    stdout: [
      ...head,
      `Error: ${code}`,
      '',
      text,
      '',
      'The DISM log file can be found at C:\\WINDOWS\\Logs\\DISM\\dism.log',
      '',
    ].join('\r\n'),
  })
  if (!m) return fail(2, 'The system cannot find the file specified.')
  const lines = [...head, `Details for image : ${file}`, '']
  if (want === null) {
    for (const i of m.images)
      lines.push(
        `Index : ${i.index}`,
        `Name : ${i.name}`,
        `Description : ${i.name}`,
        `Size : ${bytes(i.sizeBytes)}`,
        '',
      )
  } else {
    const i = m.images.find((x) => x.index === want)
    // Not modelled (Servicing Desk asks only for the indexes the list gave): said as such, not as DISM's text.
    if (!i)
      return {
        exitCode: 1,
        stdout: '',
        stderr: `The training machine does not model index ${want} of ${file}, which its list does not have.`,
      }
    lines.push(
      `Index : ${i.index}`,
      `Name : ${i.name}`,
      `Description : ${i.name}`,
      `Size : ${bytes(i.sizeBytes)}`,
      'WIM Bootable : No',
      `Architecture : ${i.arch}`,
      'Hal : <undefined>',
      `Version : 10.0.${i.build}`,
      `ServicePack Build : ${i.spBuild}`,
      'ServicePack Level : 0',
      `Edition : ${i.edition}`,
      'Installation : Client',
      'ProductType : WinNT',
      'ProductSuite : Terminal Server',
      'System Root : WINDOWS',
      'Directories : 27042',
      'Files : 114201',
      `Created : ${i.created}`,
      `Modified : ${i.created}`,
      'Languages :',
      '        en-US (Default)',
      '',
    )
  }
  lines.push('The operation completed successfully.', '')
  return { exitCode: 0, stdout: lines.join('\r\n') }
}
