/*
 * A stand-in program of the emulated PC (test/pwsh/harness.ts), compiled once per source (the harness falls back to
 * standin.mjs where no C compiler is): every System32\<tool> is a copy of it, and it knows which tool it is by its own
 * file name. It sends its argv to the harness over the unix socket $SDH_SOCKET, writes the answer's bytes, leaves the
 * full 32-bit exit code in $SDH_EXIT_DIR/<pid> (a Linux exit status keeps 8 bits; the preamble's Process.ExitCode reads
 * the file) and exits. Starts in about a millisecond where a Node client takes 40 ms to a second on a loaded machine.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct { char *p; size_t n, cap; } buf;

static void put(buf *b, const char *s, size_t len) {
  if (b->n + len + 1 > b->cap) { b->cap = (b->n + len + 1) * 2; b->p = realloc(b->p, b->cap); if (!b->p) exit(1); }
  memcpy(b->p + b->n, s, len); b->n += len; b->p[b->n] = 0;
}
static void puts_(buf *b, const char *s) { put(b, s, strlen(s)); }
static void str(buf *b, const char *s) {
  puts_(b, "\"");
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    char e[8];
    if (*c == '"' || *c == '\\') { e[0] = '\\'; e[1] = (char)*c; put(b, e, 2); }
    else if (*c < 0x20) { snprintf(e, sizeof e, "\\u%04x", *c); puts_(b, e); }
    else put(b, (const char *)c, 1);
  }
  puts_(b, "\"");
}
static int b64(int c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
/* Writes the base64 string value of "key" in the JSON answer to fd. */
static void emit(const char *json, const char *key, int fd) {
  const char *at = strstr(json, key);
  if (!at) return;
  at = strchr(at + strlen(key), '"');
  if (!at) return;
  at++;
  unsigned acc = 0; int bits = 0; char out[4096]; size_t n = 0;
  for (; *at && *at != '"'; at++) {
    int v = b64(*at);
    if (v < 0) continue;
    acc = (acc << 6) | (unsigned)v; bits += 6;
    if (bits >= 8) { bits -= 8; out[n++] = (char)((acc >> bits) & 0xff); if (n == sizeof out) { if (write(fd, out, n) < 0) return; n = 0; } }
  }
  if (n && write(fd, out, n) < 0) return;
}

int main(int argc, char **argv) {
  const char *self = strrchr(argv[0], '/');
  self = self ? self + 1 : argv[0];
  const char *bs = strrchr(self, '\\'); /* a file named `System32\reg.exe` (see harness.ts) */
  if (bs) self = bs + 1;
  char tool[256]; size_t i;
  for (i = 0; self[i] && i < sizeof tool - 1; i++) tool[i] = (char)tolower((unsigned char)self[i]);
  tool[i] = 0;
  const char *path = getenv("SDH_SOCKET");
  if (!path) { fprintf(stderr, "stand-in %s: the emulated PC does not answer (no SDH_SOCKET)\n", tool); return 1; }
  buf req = {0};
  char cwd[4096]; if (!getcwd(cwd, sizeof cwd)) cwd[0] = 0;
  char num[32];
  puts_(&req, "{\"op\":\"program\",\"via\":\"process\",\"tool\":"); str(&req, tool);
  puts_(&req, ",\"args\":[");
  for (int a = 1; a < argc; a++) { if (a > 1) puts_(&req, ","); str(&req, argv[a]); }
  puts_(&req, "],\"cwd\":"); str(&req, cwd);
  snprintf(num, sizeof num, ",\"pid\":%d}\n", (int)getpid()); puts_(&req, num);

  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un addr; memset(&addr, 0, sizeof addr); addr.sun_family = AF_UNIX;
  strncpy(addr.sun_path, path, sizeof addr.sun_path - 1);
  if (s < 0 || connect(s, (struct sockaddr *)&addr, sizeof addr) != 0) { fprintf(stderr, "stand-in %s: the emulated PC does not answer\n", tool); return 1; }
  for (size_t off = 0; off < req.n;) { ssize_t w = write(s, req.p + off, req.n - off); if (w <= 0) return 1; off += (size_t)w; }
  buf res = {0}; char chunk[65536]; ssize_t r;
  while ((r = read(s, chunk, sizeof chunk)) > 0) put(&res, chunk, (size_t)r);
  close(s);
  if (!res.p) return 1; /* killed by the harness: no answer */
  const char *ec = strstr(res.p, "\"exitCodeSigned\":");
  long code = ec ? strtol(ec + 17, NULL, 10) : 1;
  const char *dir = getenv("SDH_EXIT_DIR");
  if (dir) {
    char f[4096]; snprintf(f, sizeof f, "%s/%d", dir, (int)getpid());
    FILE *fp = fopen(f, "w"); if (fp) { fprintf(fp, "%ld", code); fclose(fp); }
  }
  emit(res.p, "\"stdout\":", 1);
  emit(res.p, "\"stderr\":", 2);
  return (int)(code & 0xff);
}
