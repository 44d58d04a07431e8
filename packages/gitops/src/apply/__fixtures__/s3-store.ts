/**
 * A real S3 API on loopback (s3rver): one bucket in a temporary directory, on a free port, for the real terraform's
 * S3 backend and remote-state lookups. s3rver checks no signature and enforces no conditional write, so it shows
 * where state lands, never a lock conflict. It answers from this process's event loop: run terraform
 * asynchronously while it serves (a synchronous child process would wait for it forever).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** An S3 event notification, as s3rver emits one per object written or deleted. */
interface S3rverEvent {
  readonly Records: readonly { readonly eventName: string; readonly s3: { readonly object: { readonly key: string } } }[];
}

interface S3rverServer {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
  on(name: 'event', listener: (event: S3rverEvent) => void): void;
}
type S3rverClass = new (options: {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: { name: string }[];
}) => S3rverServer;

// s3rver ships no type declarations: its constructor is typed above.
const S3rver = createRequire(__filename)('s3rver') as S3rverClass;

/** The credentials terraform signs with: s3rver's built-in account (it checks signatures). */
export const S3_STORE_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' } as const;

/** An object written (`put`) or deleted in the bucket. */
export interface S3Write {
  readonly action: 'put' | 'delete';
  readonly key: string;
}

export class S3Store {
  /** Every object written or deleted, in order (`clearWrites` starts over). */
  private writeLog: S3Write[] = [];

  private constructor(
    private readonly server: S3rverServer,
    private readonly dir: string,
    /** `http://127.0.0.1:<port>` */
    readonly endpoint: string,
    readonly bucket: string,
  ) {}

  static async start(bucket: string): Promise<S3Store> {
    const dir = mkdtempSync(join(tmpdir(), 'kitt-s3-'));
    const server = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory: dir,
      configureBuckets: [{ name: bucket }],
    });
    const { port } = await server.run();
    const store = new S3Store(server, dir, `http://127.0.0.1:${port}`, bucket);
    server.on('event', (event) => {
      for (const record of event.Records) {
        const action = record.eventName.startsWith('ObjectRemoved') ? 'delete' : 'put';
        store.writeLog.push({ action, key: decodeURIComponent(record.s3.object.key) });
      }
    });
    return store;
  }

  /** The objects written and deleted since the store started, or since `clearWrites`. */
  writes(): readonly S3Write[] {
    return [...this.writeLog];
  }

  clearWrites(): void {
    this.writeLog = [];
  }

  /** The object at `key` (path style, unsigned), or undefined when there is none. */
  async object(key: string): Promise<string | undefined> {
    const response = await fetch(`${this.endpoint}/${this.bucket}/${key}`);
    if (response.status === 404) return undefined;
    if (!response.ok) throw new Error(`GET ${key} from s3rver: HTTP ${response.status}`);
    return response.text();
  }

  async close(): Promise<void> {
    await this.server.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
