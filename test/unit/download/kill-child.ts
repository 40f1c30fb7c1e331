/**
 * Child process for hard-crash.test.ts: downloads one file and, when it has received `killAt` bytes,
 * kills itself with SIGKILL (no clean-up, no flush: what was in memory is lost, as in a real crash).
 * Just before the kill it writes the bytes it had received to `report` (synchronously: nothing runs after a
 * SIGKILL), so the test can tell what our writer lost from what the kernel still held for the socket.
 * Prints the result as JSON when it completes.
 *
 * Usage: node kill-child.ts '<json: { file, dir, origin, killAt, report }>'
 */
import { writeFileSync } from 'node:fs'
import { downloadFile, type FileToDownload } from '../../../main/download/download-file.ts'
import { loopbackPolicyForLocalCatalog } from '../../../main/catalog/download-policy.ts'

const { file, dir, origin, killAt, report } = JSON.parse(process.argv[2] ?? '{}') as {
  file: FileToDownload
  dir: string
  origin: string
  killAt: number | null
  report: string
}
const got = await downloadFile(file, {
  dir,
  policy: loopbackPolicyForLocalCatalog(origin),
  attempts: 1,
  onBytesReceived: (n) => {
    if (killAt !== null && n >= killAt) {
      writeFileSync(report, String(n))
      process.kill(process.pid, 'SIGKILL')
    }
  },
})
process.stdout.write(`${JSON.stringify(got)}\n`)
