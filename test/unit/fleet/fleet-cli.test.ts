/** `servicing-desk fleet …`: the commands a technician types, end to end on a small training fleet. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCliInProcess } from '../cli-in-process.ts'
import { tempDir } from '../temp-dirs.ts'
import { fleetEngines } from './fleet-engines.ts'
import { FleetStore, MIGRATIONS } from '../../../main/fleet/store.ts'
import { CLI } from '../../cli-script.ts'
import { hangMs } from '../../load.ts'

let home = ''
let fleetDir = ''
// The in-process CLI reads its data folder from the environment: this file's own, given back after it.
const before = process.env.SERVICING_DESK_HOME
afterAll(() => {
  if (before === undefined) delete process.env.SERVICING_DESK_HOME
  else process.env.SERVICING_DESK_HOME = before
})
beforeAll(async () => {
  home = await tempDir('sd-fleet-cli-')
  process.env.SERVICING_DESK_HOME = home
  fleetDir = join(await tempDir('sd-fleet-cli-data-'), 'fleet')
  const r = await runCliInProcess('fleet', 'training', '--out', fleetDir, '--devices', '30', '--snapshots')
  expect(r.code).toBe(0)
}, hangMs(600_000))

describe('fleet on the command line', () => {
  it('imports a folder, groups by cause in plain words, shows a device and writes the report', {
    timeout: hangMs(600_000),
  }, async () => {
    const imp = await runCliInProcess('fleet', 'import', fleetDir, '--json')
    expect(imp.code).toBe(0)
    expect(JSON.parse(imp.out)).toMatchObject({ devices: 30, rejected: [] })
    const groups = await runCliInProcess('fleet', 'groups')
    expect(groups.out).toMatch(
      /The EFI system partition is full .* \[esp-full\]\n {2}\d+ devices \([\d.]+%\): \d+ still failing, 0 fixed, 0 not reported; codes 0x800F0922/,
    )
    const truth = JSON.parse(readFileSync(join(fleetDir, 'truth.json'), 'utf8')) as { name: string; cause: string }[]
    const one = truth.find((t) => t.cause === 'winre-disabled')!
    const dev = await runCliInProcess('fleet', 'device', one.name)
    expect(dev.out).toMatch(new RegExp(`^${one.name}: The Windows Recovery Environment is turned off — still failing`))
    expect(dev.out).toMatch(/timeline:\n.*Intune run state \(export\)/)
    expect(dev.out).toMatch(/judged from collected file of /)
    const report = join(home, 'fleet.csv')
    expect((await runCliInProcess('fleet', 'report', '--out', report)).code).toBe(0)
    expect(readFileSync(report, 'utf8').split('\r\n')[0]).toBe(
      'Device,Cause,State,Evidence time,Fixed at,Architecture,Build',
    )
    const out = join(home, 'fix')
    const fix = await runCliInProcess('fleet', 'fix', 'esp-full', '--out', out)
    expect(fix.code).toBe(0)
    expect(existsSync(join(out, 'Remediate.ps1'))).toBe(true)
  })

  it('says plainly what is wrong with what it was given', async () => {
    expect(await runCliInProcess('fleet', 'import', join(home, 'nothing-here.csv'))).toMatchObject({
      code: 2,
      err: expect.stringMatching(/no such file or folder/),
    })
    expect((await runCliInProcess('fleet', 'import', fleetDir, '--kind', 'spreadsheet')).err).toMatch(
      /--kind must be one of: lines, intune-graph/,
    )
    expect(await runCliInProcess('fleet', 'device', 'NO-SUCH-PC')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/No device 'NO-SUCH-PC'/),
    })
    expect((await runCliInProcess('fleet', 'fix', 'none', '--out', join(home, 'x'))).err).toMatch(
      /No group of failing devices named 'none'/,
    )
    expect((await runCliInProcess('fleet', 'report', '--out', join(home, 'r.txt'))).err).toMatch(
      /must end in \.html, \.json or \.csv/,
    )
  })
})

describe('fleet on a PostgreSQL store', () => {
  const postgres = fleetEngines()[1]!
  it('gives the same groups and device timeline as the SQLite file, chosen by --store or SERVICING_DESK_FLEET_DB', {
    timeout: hangMs(600_000),
  }, async () => {
    const url = await postgres.location()
    const file = join(await tempDir('sd-fleet-cli-file-'), 'team.sqlite')
    const imp = await runCliInProcess('fleet', 'import', fleetDir, '--store', url, '--json')
    expect(imp.code).toBe(0)
    expect(JSON.parse(imp.out)).toMatchObject({ devices: 30, newDevices: 30, rejected: [] })
    expect((await runCliInProcess('fleet', '--store', file, 'import', fleetDir)).code).toBe(0)
    const onPg = await runCliInProcess('fleet', 'groups', '--json', '--store', url)
    const onFile = await runCliInProcess('fleet', 'groups', '--json', '--store', file)
    expect(JSON.parse(onPg.out).length).toBeGreaterThan(3)
    expect(JSON.parse(onPg.out)).toEqual(JSON.parse(onFile.out))
    const truth = JSON.parse(readFileSync(join(fleetDir, 'truth.json'), 'utf8')) as { name: string; cause: string }[]
    const one = truth.find((t) => t.cause === 'esp-full')!
    process.env.SERVICING_DESK_FLEET_DB = url
    try {
      const dev = await runCliInProcess('fleet', 'device', one.name, '--json')
      expect(JSON.parse(dev.out)).toEqual(
        JSON.parse((await runCliInProcess('fleet', 'device', one.name, '--json', '--store', file)).out),
      )
      expect(JSON.parse(dev.out)).toMatchObject({ cause: 'esp-full', state: 'failing' })
      expect((await runCliInProcess('fleet', 'fix', 'esp-full', '--out', join(home, 'pg-fix'))).code).toBe(0)
    } finally {
      delete process.env.SERVICING_DESK_FLEET_DB
    }
    // The same files again (older than the fix): the group's devices wait for a report after it, still failing on
    // their newest evidence (building the fix deployed nothing), each "not seen since the fix".
    expect((await runCliInProcess('fleet', 'import', fleetDir, '--store', url)).code).toBe(0)
    const count = JSON.parse(onPg.out).find((g: { cause: string }) => g.cause === 'esp-full').count
    expect(
      JSON.parse((await runCliInProcess('fleet', 'groups', '--json', '--store', url)).out).find(
        (g: { cause: string }) => g.cause === 'esp-full',
      ),
    ).toMatchObject({
      failing: count,
      notReported: 0,
      why: [expect.objectContaining({ reason: 'not-seen', devices: count })],
    })
  })

  it('says what is wrong with the server or the store, and never prints the password', async () => {
    const server = await postgres.server()
    const secret = 'N0t-This-One!'
    const wrong = await runCliInProcess('fleet', 'groups', '--store', server.url('postgres', { password: secret }))
    expect(wrong).toMatchObject({
      code: 2,
      err: expect.stringMatching(
        /^servicing-desk: Cannot open the fleet store: The PostgreSQL server at 127\.0\.0\.1:\d+ refused the sign-in of user 'postgres': the password is wrong\./,
      ),
    })
    const down = await runCliInProcess(
      'fleet',
      'import',
      fleetDir,
      '--store',
      `postgres://helpdesk:${secret}@127.0.0.1:1/fleet`,
    )
    expect(down).toMatchObject({
      code: 2,
      err: expect.stringMatching(/Cannot reach the PostgreSQL server at 127\.0\.0\.1:1: nothing answers/),
    })
    const url = await postgres.location()
    const newer = new FleetStore(url, { migrations: [...MIGRATIONS, 'CREATE TABLE sites(name TEXT)'] })
    await newer.close()
    expect((await runCliInProcess('fleet', 'groups', '--store', url)).err).toMatch(
      new RegExp(
        `This fleet database has schema version ${MIGRATIONS.length + 1}; this app reads up to ${MIGRATIONS.length}\\. Use a newer Servicing Desk\\.`,
      ),
    )
    expect((await runCliInProcess('fleet', 'groups', '--store', ' ')).err).toMatch(
      /--store needs a PostgreSQL connection string/,
    )
    for (const r of [wrong, down]) expect(r.out + r.err).not.toContain(secret)
    const tls = await runCliInProcess('fleet', 'groups', '--store', `${server.url('postgres')}?sslmode=verify-full`)
    expect(tls.err).toContain(
      `The PostgreSQL server at 127.0.0.1:${server.port} does not offer TLS, which the connection string asks for (sslmode), or which a server on another computer needs: Servicing Desk sends its sign-in there only over verified TLS.`,
    )
    expect(tls.err).not.toContain(server.password)
  })
})

describe('the other commands', () => {
  it('do not load the fleet store (no SQLite warning on their stderr)', async () => {
    const { spawnSync } = await import('node:child_process')
    const r = spawnSync(process.execPath, [CLI, 'explain', '0x800f0922'], {
      encoding: 'utf8',
      env: { ...process.env, SERVICING_DESK_HOME: home },
    })
    expect(r.status).toBe(0)
    expect(r.stderr).not.toMatch(/SQLite/)
  })
})
