/** Bytes as base64, in chunks (a collector file is up to 25 MB): how a chosen file's bytes cross the contract. */
export function base64Of(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(bin)
}

/** True when the bytes start like a zip (a collector file); a snapshot from `scan --out FILE.json` is text. */
export function looksLikeZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b
}
