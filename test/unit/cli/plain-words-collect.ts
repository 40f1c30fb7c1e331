/**
 * Collects what the CLI says in text (not --json) on every training machine, in one process: scan, diagnose,
 * repairs, winre and the report (its --summary and the HTML's text); and media list, scan and plan of every training
 * medium and of a real ISO folder. Prints one JSON array on stdout.
 * Run by plain-words.test.ts with SERVICING_DESK_HOME set to a temp folder.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from '../../../main/cli/run-cli.ts'

const out: { machine: string; command: string; text: string }[] = []
async function say(machine: string, args: string[]): Promise<string> {
  const lines: string[] = []
  const io = {
    json: (v: unknown) => {
      lines.push(JSON.stringify(v))
    },
    text: (l = '') => {
      lines.push(l)
    },
    note: (l: string) => {
      lines.push(l)
    },
  }
  await runCli(args, io)
  const text = lines.join('\n')
  out.push({ machine, command: args.join(' '), text })
  return text
}

const machines = (
  JSON.parse(
    await (async () => {
      const lines: string[] = []
      await runCli(['machines', '--json'], {
        json: (v: unknown) => {
          lines.push(JSON.stringify(v))
        },
        text: (l = '') => {
          lines.push(l)
        },
        note: () => {},
      })
      return lines.join('')
    })(),
  ) as { machines: { name: string }[] }
).machines.map((m) => m.name)

const dir = process.env.SERVICING_DESK_HOME!
for (const m of machines) {
  for (const c of [['scan'], ['diagnose'], ['repairs'], ['winre']]) await say(m, [...c, '--machine', m])
  const html = join(dir, `${m}.html`)
  await say(m, ['report', '--machine', m, '--out', html, '--summary'])
  const text = readFileSync(html, 'utf8')
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, '\n')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
  out.push({ machine: m, command: 'report (HTML text)', text })
}
// The installation media: every training medium and a real ISO folder read from its files.
for (const medium of [
  'iso-x64-24h2',
  'usb-arm64-24h2',
  'usb-fat32-x64',
  'usb-stale-mount',
  'test/fixtures/media-tree/iso-x64',
]) {
  await say(medium, ['media', 'scan', medium])
  await say(medium, ['media', 'plan', medium, '--kb', 'KB5129195'])
}
await say('-', ['media', 'list'])
process.stdout.write(JSON.stringify(out))
