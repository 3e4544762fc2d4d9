import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { StandInCatalog } from './standin-catalog';
import type { CommandContext } from './standin-command-context';
import { serveConnection } from './standin-connection';
import { CursorRegistry } from './standin-cursors';

export interface MongoDbStandInOptions {
  /** Loopback by default. */
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** The database named in `url`. */
  readonly database?: string;
}

/**
 * A MongoDB wire-protocol stand-in for tests: NOT MongoDB. A TCP server that answers the
 * official `mongodb` driver as a standalone server would (OP_MSG, and the legacy OP_QUERY
 * handshake), holding databases in memory and using mingo for queries and aggregation.
 * See README.md for what it implements and what it does not.
 */
export class MongoDbStandIn {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly catalog = new StandInCatalog();
  private readonly cursors = new CursorRegistry();
  private readonly counts = new Map<string, number>();
  private connectionIds = 0;
  private requestIds = 0;

  private constructor(
    private readonly host: string,
    private boundPort: number,
    private readonly database: string,
  ) {}

  static async start(options: MongoDbStandInOptions = {}): Promise<MongoDbStandIn> {
    const host = options.host ?? '127.0.0.1';
    const standIn = new MongoDbStandIn(
      host,
      options.port ?? 0,
      options.database ?? 'keyledger-test',
    );
    await standIn.listen();
    return standIn;
  }

  get port(): number {
    return this.boundPort;
  }

  /** A connection string for one standalone server, without credentials (no authentication). */
  get url(): string {
    return `mongodb://${this.host}:${this.port}/${this.database}?directConnection=true`;
  }

  /** Commands received so far, by name (handshakes and heartbeats included). */
  get commandCounts(): ReadonlyMap<string, number> {
    return this.counts;
  }

  get openConnections(): number {
    return this.sockets.size;
  }

  get openCursors(): number {
    return this.cursors.openCount;
  }

  /** Stops listening and drops every connection at once, as when a server goes away. Data stays. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port with the same data, as a server coming back. */
  async restart(): Promise<void> {
    if (this.server) return;
    await this.listen();
  }

  private async listen(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.boundPort, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const connectionId = ++this.connectionIds;
    const context = (database: string): CommandContext => ({
      database,
      catalog: this.catalog,
      cursors: this.cursors,
      connectionId,
    });
    serveConnection(socket, {
      context,
      nextRequestId: () => (this.requestIds = (this.requestIds + 1) & 0x7fffffff),
      onCommand: (name) => this.counts.set(name, (this.counts.get(name) ?? 0) + 1),
    });
  }
}
