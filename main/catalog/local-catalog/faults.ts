/** Fault modes of the local Catalog, for tests of slow, broken and malicious responses. */
export type LocalCatalogFault =
  /** Files trickle at this rate. */
  | { kind: 'slow'; bytesPerSecond: number }
  /** Each file response is cut (socket destroyed) after this many bytes. */
  | { kind: 'break-after'; bytes: number }
  /** Each file response sends this many bytes, then nothing more, the connection left open until the client closes it. */
  | { kind: 'stall-after'; bytes: number }
  /** One byte in the middle of every file is flipped; names and digests stay right. */
  | { kind: 'wrong-bytes' }
  /** The dialog's digests (and the files' name suffixes) are a SHA-1 the bytes do not have. */
  | { kind: 'wrong-hash' }
  /** The dialog's sha256 is wrong while SHA-1 and names are right. */
  | { kind: 'wrong-sha256' }
  /** File requests redirect to another host (`https://evil.example.com/…`). */
  | { kind: 'foreign-redirect' }
  /** File requests redirect to another loopback origin (another port). */
  | { kind: 'loopback-redirect'; port: number }
  /** The dialog's links point at a foreign host. */
  | { kind: 'foreign-link' }
  /** The dialog's links are http:// links on a non-Microsoft host. */
  | { kind: 'plain-http-link' }
  /** Search/details/dialog pages are padded past `bytes`. */
  | { kind: 'oversized-page'; bytes: number }
  /** Files are sent chunked, with extra bytes after their real end. */
  | { kind: 'oversized-file'; extraBytes: number }
  /** The next `count` page requests answer the 8DDD0010 error page. */
  | { kind: 'error-then-ok'; count: number; code?: string }
  /** The next `count` page requests redirect to Error.aspx?id=-1914896368 (0x8DDD0010). */
  | { kind: 'error-redirect-then-ok'; count: number }
  /** Postbacks to Search.aspx answer "Object moved" (Marco-online/MSCatalogLTS#3). */
  | { kind: 'object-moved-postback' }
  /** Details pages name the other architecture (x64 ↔ arm64): a disagreement the client must refuse. */
  | { kind: 'details-wrong-arch' }
  /** Search pages come back with an empty results table the next `count` times. */
  | { kind: 'empty-table-then-ok'; count: number }
