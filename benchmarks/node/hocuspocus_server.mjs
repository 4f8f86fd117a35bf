// Hocuspocus 3 with its defaults and no extension (no persistence), bound to
// 127.0.0.1 on the port given (0 = any free port), printing the address it got.
// No onAuthenticate hook: the token the load generator sends is accepted as is.
import { Server } from '@hocuspocus/server'

const port = Number.parseInt(process.argv[2] || '0', 10)
const server = new Server({ address: '127.0.0.1', port, quiet: true, stopOnSignals: true })
await server.listen()
console.log(`listening on 127.0.0.1:${server.address.port}`)
