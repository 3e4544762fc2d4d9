import { connect, type Socket } from 'node:net';
import { BSON, Long, MongoClient, MongoError, type Document } from 'mongodb';
import { MongoDbStandIn } from '../support/mongodb-standin/mongodb-standin';

const OP_MSG = 2013;

const CHECKSUM_PRESENT = 1;
const MORE_TO_COME = 2;

function opMsg(requestId: number, command: Document, flags = 0): Buffer {
  const body = BSON.serialize(command);
  const checksum = Buffer.alloc(flags & CHECKSUM_PRESENT ? 4 : 0, 0xab);
  const header = Buffer.alloc(21);
  header.writeInt32LE(header.length + body.length + checksum.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(OP_MSG, 12);
  header.writeUInt32LE(flags, 16);
  return Buffer.concat([header, body, checksum]);
}

/** A raw connection that collects OP_MSG replies, for what the driver never sends. */
class RawConnection {
  private received = Buffer.alloc(0);
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => (this.received = Buffer.concat([this.received, chunk])));
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static async open(port: number): Promise<RawConnection> {
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    return new RawConnection(socket);
  }

  /** Waits for `count` replies: their responseTo and body. */
  async replies(count: number): Promise<{ responseTo: number; body: Document }[]> {
    const replies: { responseTo: number; body: Document }[] = [];
    while (replies.length < count) {
      if (this.received.length >= 4 && this.received.length >= this.received.readInt32LE(0)) {
        const length = this.received.readInt32LE(0);
        const message = this.received.subarray(0, length);
        this.received = this.received.subarray(length);
        replies.push({
          responseTo: message.readInt32LE(8),
          body: BSON.deserialize(message.subarray(21)),
        });
      } else {
        await new Promise((resolve) => this.socket.once('data', resolve));
      }
    }
    return replies;
  }
}

async function eventually<T>(attempt: () => Promise<T>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
}

describe('MongoDB stand-in: outages and the wire', () => {
  let standIn: MongoDbStandIn;

  beforeEach(async () => {
    standIn = await MongoDbStandIn.start();
  });
  afterEach(() => standIn.stop());

  it('fails operations while stopped, and the same client reads the same data once restarted', async () => {
    const client = new MongoClient(standIn.url, { serverSelectionTimeoutMS: 400 });
    try {
      const kept = client.db().collection('kept');
      await kept.insertOne({ _id: 'k' } as never);
      await standIn.stop();

      await expect(kept.findOne({})).rejects.toBeInstanceOf(MongoError);
      await standIn.restart();

      // The driver finds the server again at its next heartbeat (at most every 500 ms when asked).
      expect(await eventually(() => kept.findOne({}))).toEqual({ _id: 'k' });
    } finally {
      await client.close();
    }
  });

  it('answers a message split into single bytes, and two messages in one chunk', async () => {
    const raw = await RawConnection.open(standIn.port);
    const split = opMsg(1, { ping: 1, $db: 'admin' });
    for (const byte of split) raw.socket.write(Buffer.from([byte]));
    raw.socket.write(
      Buffer.concat([opMsg(2, { ping: 1, $db: 'admin' }), opMsg(3, { nope: 1, $db: 'admin' })]),
    );

    const replies = await raw.replies(3);

    expect(replies.map((reply) => reply.responseTo)).toEqual([1, 2, 3]);
    expect(replies[0].body).toEqual({ ok: 1 });
    expect(replies[2].body).toEqual({
      ok: 0,
      errmsg: "no such command: 'nope'",
      code: 59,
      codeName: 'CommandNotFound',
    });
    raw.socket.destroy();
  });

  it('ignores a checksum, and answers nothing to a moreToCome message but runs it', async () => {
    const raw = await RawConnection.open(standIn.port);
    const insert = { insert: 'quiet', documents: [{ _id: 'q' }], $db: 'wire' };
    raw.socket.write(opMsg(1, insert, MORE_TO_COME));
    raw.socket.write(opMsg(2, { find: 'quiet', filter: {}, $db: 'wire' }, CHECKSUM_PRESENT));

    const [reply] = await raw.replies(1);

    expect(reply.responseTo).toBe(2);
    expect(reply.body.cursor.firstBatch).toEqual([{ _id: 'q' }]);
    raw.socket.destroy();
  });

  it('closes only the connection that sent a malformed message', async () => {
    const broken = await RawConnection.open(standIn.port);
    const healthy = await RawConnection.open(standIn.port);
    const garbage = Buffer.alloc(40, 0xff);
    garbage.writeInt32LE(40, 0);
    garbage.writeInt32LE(OP_MSG, 12);

    broken.socket.write(garbage);
    await broken.closed;
    healthy.socket.write(opMsg(7, { ping: 1, $db: 'admin' }));

    expect(await healthy.replies(1)).toEqual([{ responseTo: 7, body: { ok: 1 } }]);
    healthy.socket.destroy();
  });

  it('refuses transactions instead of pretending to run them', async () => {
    const client = new MongoClient(standIn.url, { serverSelectionTimeoutMS: 2_000 });
    try {
      const inTransaction = client.db().command({
        insert: 'ledger',
        documents: [{ _id: 1 }],
        txnNumber: Long.fromNumber(1),
        startTransaction: true,
        autocommit: false,
      });

      await expect(inTransaction).rejects.toMatchObject({ code: 20, codeName: 'IllegalOperation' });
      expect(await client.db().collection('ledger').countDocuments()).toBe(0);
    } finally {
      await client.close();
    }
  });
});
