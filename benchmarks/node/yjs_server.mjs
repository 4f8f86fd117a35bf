// The Yjs reference server (@y/websocket-server 0.1.1), as its own bin/server.js
// runs it, but bound to 127.0.0.1 on the port given (0 = any free port) and
// printing the address it got. No persistence (YPERSISTENCE must be unset).
import http from 'node:http'
import { WebSocketServer } from 'ws'
import { setupWSConnection } from '@y/websocket-server/utils'

const port = Number.parseInt(process.argv[2] || '0', 10)
const wss = new WebSocketServer({ noServer: true })
const server = http.createServer((_request, response) => {
  response.writeHead(200, { 'Content-Type': 'text/plain' })
  response.end('okay')
})
wss.on('connection', setupWSConnection)
server.on('upgrade', (request, socket, head) => {
  wss.handleUpgrade(request, socket, head, ws => wss.emit('connection', ws, request))
})
server.listen(port, '127.0.0.1', () => {
  const { address, port: bound } = server.address()
  console.log(`listening on ${address}:${bound}`)
})
process.on('SIGTERM', () => process.exit(0))
