import type { Socket } from 'node:net';
import type { CommandContext } from './standin-command-context';
import { OP_QUERY_COMMANDS, runCommand } from './standin-commands';
import { StandInCommandError } from './standin-errors';
import type { BsonDocument } from './standin-values';
import { MessageFramer, opMsgReply, opReply, parseRequest, type Request } from './standin-wire';

export interface ConnectionServices {
  readonly context: (database: string) => CommandContext;
  readonly nextRequestId: () => number;
  readonly onCommand: (name: string) => void;
}

/**
 * Serves one client connection. Each message is handled to the end (run, reply written)
 * before the next, and synchronously, so commands from all connections run one at a time:
 * every command is atomic. A malformed message closes this connection only.
 */
export function serveConnection(socket: Socket, services: ConnectionServices): void {
  const framer = new MessageFramer();
  socket.on('data', (chunk: Buffer) => {
    try {
      for (const message of framer.push(chunk)) {
        const reply = answer(parseRequest(message), services);
        if (reply) socket.write(reply);
      }
    } catch {
      socket.destroy();
    }
  });
  socket.on('error', () => socket.destroy());
}

function answer(request: Request, services: ConnectionServices): Buffer | undefined {
  const database = request.kind === 'query' ? request.database : request.command.$db;
  const name = Object.keys(request.command)[0] ?? '';
  services.onCommand(name);
  let reply: BsonDocument;
  if (typeof database !== 'string' || database === '') {
    reply = new StandInCommandError('InvalidNamespace', 'A command needs a $db').toReply();
  } else if (request.kind === 'query' && !OP_QUERY_COMMANDS.has(name)) {
    reply = new StandInCommandError(
      'UnsupportedOpQueryCommand',
      `Unsupported OP_QUERY command: ${name}. The client driver may require an upgrade.`,
    ).toReply();
  } else {
    reply = runCommand(request.command, services.context(database));
  }
  if (request.kind === 'msg' && request.moreToCome) return undefined;
  const write = request.kind === 'msg' ? opMsgReply : opReply;
  try {
    return write(services.nextRequestId(), request.requestId, reply);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const failure = new StandInCommandError(
      'InternalError',
      `Reply could not be encoded: ${message}`,
    );
    return write(services.nextRequestId(), request.requestId, failure.toReply());
  }
}
