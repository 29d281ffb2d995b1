import { createServer, type Server, type Socket } from 'node:net';
import type { Broker } from './broker';
import { Connection } from './connection';

export interface ServerOptions {
  maxFrameBytes: number;
  log: (line: string) => void;
}

/** The TCP listener: one Connection per client, all sharing one Broker. */
export class BrokerServer {
  private readonly server: Server;
  private readonly connections = new Set<Connection>();

  constructor(
    private readonly broker: Broker,
    private readonly opts: ServerOptions,
  ) {
    this.server = createServer((socket) => this.accept(socket));
  }

  private accept(socket: Socket): void {
    const connection = new Connection(socket, { broker: this.broker, ...this.opts });
    this.connections.add(connection);
    socket.on('close', () => this.connections.delete(connection));
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      this.server.listen(port, host, () => {
        this.server.off('error', onError);
        this.server.on('error', (err) => this.opts.log(`listener error: ${err.message}`));
        const address = this.server.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      for (const connection of this.connections) connection.destroy();
      this.connections.clear();
    });
  }
}
