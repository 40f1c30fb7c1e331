/**
 * The PostgreSQL store sends no password in clear and speaks to a server on another computer only over verified TLS.
 * A fake server on this machine speaks PostgreSQL's wire protocol (https://www.postgresql.org/docs/current/protocol-flow.html):
 * it asks for the password in clear (AuthenticationCleartextPassword, 'R' with code 3) and keeps every byte it gets.
 * Red on the code before: the password arrived in a 'p' message; a non-loopback address was spoken to without TLS.
 */
import { createServer, type Server, type Socket } from 'node:net'
import { networkInterfaces } from 'node:os'
import { afterAll, describe, expect, it } from 'vitest'
import { PostgresFleetDb, tlsFor } from '../../../main/fleet/store-postgres.ts'
import { hangMs } from '../../load.ts'

const servers: Server[] = []
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r))
})

/** A server that answers an SSLRequest with 'N' (no TLS) and a startup with "send your password in clear". */
async function fakePostgres(host: string): Promise<{ port: number; got: Buffer[] }> {
  const got: Buffer[] = []
  const server = createServer((sock: Socket) => {
    sock.on('data', (b) => {
      got.push(Buffer.from(b))
      if (b.length === 8 && b.readInt32BE(4) === 80877103) {
        sock.write('N')
        return
      }
      if (b.length >= 8 && b.readInt32BE(4) === 196608) {
        const r = Buffer.alloc(9)
        r.write('R', 0)
        r.writeInt32BE(8, 1)
        r.writeInt32BE(3, 5)
        sock.write(r)
      }
    })
    sock.on('error', () => undefined)
  })
  await new Promise<void>((r) => server.listen(0, host, () => r()))
  servers.push(server)
  return { port: (server.address() as { port: number }).port, got }
}

const SECRET = 'S3cret-pw-9d2f'
const sawPassword = (got: Buffer[]) => Buffer.concat(got).includes(SECRET)

describe('the PostgreSQL store and its sign-in', () => {
  it('does not send the password in clear to a server on this computer that asks for it without TLS', {
    timeout: hangMs(600_000),
  }, async () => {
    const pg = await fakePostgres('127.0.0.1')
    const err = (await PostgresFleetDb.connect(`postgres://fleet:${SECRET}@127.0.0.1:${pg.port}/fleet`, {
      connectTimeoutMs: 10_000,
    }).catch((e: Error) => e)) as Error
    expect(err.message).toBe(
      'The PostgreSQL server at 127.0.0.1 asked for the password in clear on a connection without TLS; it was not sent. Use TLS (sslmode=verify-full) or have the server ask for scram-sha-256.',
    )
    expect(sawPassword(pg.got)).toBe(false)
  })

  it('speaks to a server on another computer only over verified TLS, and refuses a string that says less', {
    timeout: hangMs(600_000),
  }, async () => {
    expect(tlsFor('postgres://u@db.example.org/fleet')).toEqual({ ssl: { rejectUnauthorized: true } })
    expect(tlsFor('postgres://u@127.0.0.1/fleet')).toEqual({})
    expect(tlsFor('postgres://u@db.example.org/fleet?sslmode=verify-full&sslrootcert=/x/ca.pem')).toEqual({})
    for (const mode of ['disable', 'prefer', 'allow', 'no-verify']) {
      expect(() => tlsFor(`postgres://u@db.example.org/fleet?sslmode=${mode}`)).toThrow(
        /on another computer: Servicing Desk connects to it only over verified TLS/,
      )
    }
    // A real connection to this machine's own non-loopback address: TLS is asked for first, nothing else is sent.
    const addr = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && !i.internal && i.family === 'IPv4')?.address
    if (!addr) return
    const pg = await fakePostgres(addr)
    const err = (await PostgresFleetDb.connect(`postgres://fleet:${SECRET}@${addr}:${pg.port}/fleet`, {
      connectTimeoutMs: 10_000,
    }).catch((e: Error) => e)) as Error
    expect(err.message).toMatch(
      /does not offer TLS, which the connection string asks for \(sslmode\), or which a server on another computer needs/,
    )
    expect(pg.got.length).toBe(1)
    expect(pg.got[0]!.readInt32BE(4)).toBe(80877103)
    expect(sawPassword(pg.got)).toBe(false)
  })
})
