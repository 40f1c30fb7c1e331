// A stand-in program of the emulated PC (test/pwsh/harness.ts): System32\<tool> starts this with its argv. It asks the
// harness (a unix socket the test process serves, $SDH_SOCKET) to answer the argv from the training machine, writes
// the answer's bytes, leaves the full 32-bit exit code in $SDH_EXIT_DIR/<pid> (Linux keeps 8 bits; the preamble's
// Process.ExitCode reads the file) and exits. Plain JavaScript, no imports from the project: it starts in ~40 ms.
import { connect } from 'node:net'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

const [tool, ...args] = process.argv.slice(2)
const sock = connect(process.env.SDH_SOCKET)
let buf = ''
sock.setEncoding('utf8')
sock.on('connect', () =>
  sock.write(
    `${JSON.stringify({ op: 'program', via: 'process', tool, args, cwd: process.cwd(), pid: process.pid })}\n`,
  ),
)
sock.on('data', (d) => {
  buf += d
})
sock.on('error', (e) => {
  process.stderr.write(`stand-in ${tool}: the emulated PC does not answer (${e.message})\n`)
  process.exit(1)
})
sock.on('end', () => {
  const r = JSON.parse(buf)
  const code = r.exitCode >>> 0
  try {
    writeFileSync(join(process.env.SDH_EXIT_DIR, String(process.pid)), String(code | 0))
  } catch {
    /* the preamble falls back to the 8-bit code */
  }
  const out = Buffer.from(r.stdout ?? '', 'base64')
  const err = Buffer.from(r.stderr ?? '', 'base64')
  process.stdout.write(out, () => process.stderr.write(err, () => process.exit(code & 0xff)))
})
