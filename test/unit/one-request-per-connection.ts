/**
 * A test's HTTP server that answers one request per connection. Node's server closes an idle kept-alive connection
 * by a timer of wall clock (keepAliveTimeout, 5 s after its last answer); on a loaded machine the client may send its
 * next request on that connection just as the timer closes it, and the request fails with "other side closed" — a
 * single-attempt request then fails and a count of attempts is one higher, by chance. Each answer here says
 * `Connection: close`, so no request ever rides a kept-alive connection; and one that does (a handler that asked for
 * keep-alive) is dropped unanswered, so a test that depends on a kept connection fails every time instead of by chance.
 */
import type { Server as HttpServer } from 'node:http'
import type { Server as HttpsServer } from 'node:https'

export function oneRequestPerConnection<S extends HttpServer | HttpsServer>(server: S, opts = { close: true }): S {
  const served = new WeakSet<object>()
  server.prependListener('request', (req, res) => {
    if (served.has(req.socket)) {
      req.socket.destroy()
      return
    }
    served.add(req.socket)
    if (opts.close) res.setHeader('Connection', 'close')
  })
  return server
}
