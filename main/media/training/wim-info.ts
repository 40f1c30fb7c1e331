/**
 * A training medium's answer to `DISM /Get-WimInfo /WimFile:<file> [/Index:N]`, in DISM's real output format:
 * the header (`Deployment Image Servicing and Management tool`, `Version: …`), `Details for image : <file>`,
 * then per index `Index :`, `Name :`, `Description :`, `Size : … bytes` (list form, as in
 * test/fixtures/dism-image-info/en-wiminfo-list-tiny11-70.txt); with /Index the detail adds `WIM Bootable`,
 * `Architecture`, `Hal`, `Version : 10.0.<build>`, `ServicePack Build : <UBR>`, … `Created`
 * (en-wiminfo-index-markdown-mct375.txt), then `Modified` and the `Languages :` block with the language on the
 * next line, indented, marked `(Default)` (as printed by DISM for a 22621 install.wim index in a public walkthrough).
 * Files the medium does not have: `Error: 2` / "The system cannot find the file specified." (Win32 error 2).
 */
import type { TrainingMediumDef, TrainingWimImage } from './media.ts'

export interface DismAnswer {
  exitCode: number
  stdout: string
  stderr?: string
}

const DISM_VERSION = '10.0.26100.1'
const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`
const norm = (p: string) =>
  p.replace(/\//g, '\\').replace(/^"|"$/g, '').replace(/\\+/g, '\\').replace(/\\$/, '').toLowerCase()
const join = (root: string, rel: string) => `${root.replace(/\\+$/, '')}\\${rel}`

/** The path of the winre.wim inside install.wim index N, as the reader names it (read from the mounted index). */
export function winrePathFor(medium: TrainingMediumDef, index: number): string {
  return join(medium.root, `sources\\install.wim#${index}\\Windows\\System32\\Recovery\\Winre.wim`)
}

/** Every image file of the medium by its path: install.wim, boot.wim, and the winre.wim inside each index. */
function imagesAt(medium: TrainingMediumDef, file: string): TrainingWimImage[] | null {
  const f = norm(file)
  if (f === norm(join(medium.root, 'sources\\install.wim'))) return medium.install.images
  if (f === norm(join(medium.root, 'sources\\boot.wim'))) return medium.boot.images
  for (const img of medium.install.images) {
    if (img.winre && f === norm(winrePathFor(medium, img.index))) {
      return [
        {
          index: 1,
          name: `Microsoft Windows Recovery Environment (${img.arch === 'x64' ? 'x64' : 'ARM64'})`,
          edition: 'WindowsPE',
          arch: img.arch,
          build: img.winre.build,
          ubr: img.winre.ubr,
          sizeBytes: img.winre.sizeBytes,
          created: img.created,
          modified: img.modified,
          languages: img.languages,
        },
      ]
    }
  }
  return null
}

export function answerWimInfo(medium: TrainingMediumDef, args: readonly string[]): DismAnswer {
  const file = args.find((a) => /^\/WimFile:/i.test(a))?.slice('/WimFile:'.length) ?? ''
  return renderWimInfo(medium.name, imagesAt(medium, file), args)
}

/** `/Get-WimInfo` over the images of one file (null: the file is not there), in DISM's format. */
export function renderWimInfo(
  mediumName: string,
  images: readonly TrainingWimImage[] | null,
  args: readonly string[],
): DismAnswer {
  const head = ['', 'Deployment Image Servicing and Management tool', `Version: ${DISM_VERSION}`, '']
  const file = args.find((a) => /^\/WimFile:/i.test(a))?.slice('/WimFile:'.length) ?? ''
  const indexArg = args.find((a) => /^\/Index:/i.test(a))
  const want = indexArg ? Number(indexArg.slice('/Index:'.length)) : null
  const fail = (code: number, text: string): DismAnswer => ({
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
  if (!images) return fail(2, 'The system cannot find the file specified.')
  const lines = [...head, `Details for image : ${file}`, '']
  if (want === null) {
    for (const i of images)
      lines.push(
        `Index : ${i.index}`,
        `Name : ${i.name}`,
        `Description : ${i.name}`,
        `Size : ${bytes(i.sizeBytes)}`,
        '',
      )
  } else {
    const i = images.find((x) => x.index === want)
    // Not modelled in DISM's words (no capture of that error was found): said as the training medium's own.
    if (!i)
      return { exitCode: 1, stdout: '', stderr: `The training medium ${mediumName} has no index ${want} in ${file}.` }
    lines.push(
      `Index : ${i.index}`,
      `Name : ${i.name}`,
      `Description : ${i.name}`,
      `Size : ${bytes(i.sizeBytes)}`,
      `WIM Bootable : ${i.edition === 'WindowsPE' && /Setup/.test(i.name) ? 'Yes' : 'No'}`,
      `Architecture : ${i.arch === 'x64' ? 'x64' : 'ARM64'}`,
      'Hal : <undefined>',
      `Version : 10.0.${i.build}`,
      `ServicePack Build : ${i.ubr}`,
      'ServicePack Level : 0',
      `Edition : ${i.edition}`,
      `Installation : ${i.edition === 'WindowsPE' ? 'WindowsPE' : 'Client'}`,
      'ProductType : WinNT',
      'ProductSuite : Terminal Server',
      'System Root : WINDOWS',
      'Directories : 26826',
      'Files : 113746',
      `Created : ${i.created}`,
      `Modified : ${i.modified}`,
      'Languages :',
      ...i.languages.map((l, n) => `        ${l}${n === 0 ? ' (Default)' : ''}`),
      '',
    )
  }
  lines.push('The operation completed successfully.', '')
  return { exitCode: 0, stdout: lines.join('\r\n') }
}
