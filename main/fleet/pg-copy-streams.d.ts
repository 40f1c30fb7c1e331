/** The part of pg-copy-streams (which ships no types) the PostgreSQL store uses: COPY … FROM STDIN as a stream. */
declare module 'pg-copy-streams' {
  import type { Writable } from 'node:stream'
  import type { Submittable } from 'pg'
  export interface CopyStreamQuery extends Writable, Submittable {
    /** The rows the server wrote (its CommandComplete), once the stream has finished. */
    rowCount: number
  }
  export function from(text: string): CopyStreamQuery
}
