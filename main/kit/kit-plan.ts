/** `PLAN.md` of a kit: what it installs, in which order, and how — readable before anything runs. */
import type { KitManifest } from '../../preload/model/kit.ts'

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`

export function renderPlan(m: KitManifest): string {
  const files = [...m.files].sort((a, b) => a.order - b.order)
  const target = files.find((f) => f.role === 'target')
  const lines = [
    `# Repair kit: ${m.target.kb} for ${m.target.arch}`,
    '',
    `${m.target.title}`,
    '',
    `- For: ${m.target.machine ?? 'any'} ${m.target.build ? `(build ${m.target.build}${m.target.ubr !== null ? `.${m.target.ubr}` : ''})` : ''}`.trimEnd(),
    `- Created: ${m.created} by servicing-desk ${m.tool.version}`,
    '',
    '## Order',
    '',
    ...files.map(
      (f) => `${f.order}. \`${f.fileName}\` — ${f.role}${f.kb ? ` ${f.kb}` : ''}, ${mb(f.sizeBytes)}. ${f.reason}.`,
    ),
    '',
    '## How',
    '',
    "- With Servicing Desk's command line (`servicing-desk …`, DIR being this folder): `kit verify DIR` re-checks every hash and the order, and that this file and Install-Kit.ps1 are the ones the kit was made with (their SHA-256 is sealed in manifest.json); `install --kit DIR` installs it with a journal that survives restarts.",
    '- Without the app, in an elevated PowerShell in this folder: `powershell -ExecutionPolicy Bypass -File .\\Install-Kit.ps1`.',
    `  It checks the architecture and build, verifies SHA-256 and SHA-1 of every file, then runs`,
    `  \`dism /Online /Add-Package /PackagePath:${target?.fileName ?? '<target>'}\`; DISM finds the checkpoint(s) in this folder and installs them first.`,
    '- By hand, one at a time in the order above:',
    ...files.map((f) => `  \`dism /Online /Add-Package /PackagePath:.\\${f.fileName} /NoRestart\``),
    '- Exit code 3010 means success, restart needed. Keep no other MSU files in this folder.',
    "- After the restart, in an elevated PowerShell in this folder: `powershell -ExecutionPolicy Bypass -File .\\Collect-ServicingFacts.ps1` writes one zip of this PC's servicing facts and logs; send it to your technician to prove the update took.",
    '',
    ...(m.notes.length ? ['## Notes', '', ...m.notes.map((n) => `- ${n}`), ''] : []),
  ]
  return lines.join('\n')
}
