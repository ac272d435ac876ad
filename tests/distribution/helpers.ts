/**
 * For the delivery tests: numbered copies (small real PDFs), a distribution
 * log on disk (written atomically, validated by its schema on every read and
 * append), and a real SMTP server on 127.0.0.1 that keeps what it receives.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { SMTPServer } from 'smtp-server';
import type { SMTPServerOptions } from 'smtp-server';
import { simpleParser } from 'mailparser';
import type { ParsedMail } from 'mailparser';
import { writeFileAtomic } from '../../pipeline/io/atomic.js';
import {
  DISTRIBUTION_LOG_FORMAT,
  distributionLogSchema,
} from '../../pipeline/archive/distribution/log-schema.js';
import type { DeliveryEntry, LogEntry } from '../../pipeline/archive/distribution/log-schema.js';
import type {
  DeliveryCopy,
  DeliveryMemo,
  DeliverySummary,
} from '../../pipeline/archive/distribution/deliver.js';
import type { SmtpConfig } from '../../pipeline/config/schema.js';

export const MEMO: DeliveryMemo = {
  slug: 'border-water',
  version: 2,
  title: 'Water & power on the border <script>alert(1)</script>',
  classification: 'UNCLASSIFIED//FOUO',
  summary: 'The treaty deliveries fall short; three options & a recommendation.',
};

export const RECIPIENTS = [
  {
    id: 'ana-ruiz',
    name: 'Ana Ruiz',
    office: 'National Security Council',
    email: 'ana@nsc.example',
  },
  { id: 'ben-ode', name: 'Ben Ode', office: 'Department of State', email: 'ben@state.example' },
  { id: 'cy-lam', name: 'Cy Lam', office: 'Department of Homeland Security', email: null },
  { id: 'dee-fox', name: 'Dee Fox', office: 'Department of State', email: 'dee@state.example' },
] as const;

export function temporaryFolder(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `memo-deliver-${prefix}-`));
}

async function onePager(text: string): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  pdf.addPage([612, 792]).drawText(text, { x: 72, y: 720, size: 12, font });
  return pdf.save();
}

export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

/** A copy per recipient in `folder` (copy-NN-<id>.pdf), and the log's `copy` entries for them. */
export async function makeCopies(
  folder: string,
): Promise<{ copies: DeliveryCopy[]; entries: LogEntry[] }> {
  const copies: DeliveryCopy[] = [];
  const entries: LogEntry[] = [];
  for (const [index, recipient] of RECIPIENTS.entries()) {
    const copy = index + 1;
    const name = `copy-${String(copy).padStart(2, '0')}-${recipient.id}.pdf`;
    const bytes = await onePager(
      `Copy ${String(copy)} of ${String(RECIPIENTS.length)} - ${recipient.name}, ${recipient.office}`,
    );
    await writeFile(path.join(folder, name), bytes);
    const hash = sha256(bytes);
    copies.push({
      copy,
      of: RECIPIENTS.length,
      recipient: recipient.id,
      name: recipient.name,
      office: recipient.office,
      email: recipient.email,
      path: path.join(folder, name),
      sha256: hash,
    });
    entries.push({
      event: 'copy',
      copy,
      of: RECIPIENTS.length,
      recipient: recipient.id,
      name: recipient.name,
      office: recipient.office,
      file: name,
      sha256: hash,
      at: '2026-03-01T10:00:00.000Z',
    });
  }
  return { copies, entries };
}

/** `log.json` of one version: every append rewrites it whole, atomically, after validating it. */
export class LogFile {
  readonly file: string;

  private constructor(folder: string) {
    this.file = path.join(folder, 'log.json');
  }

  static async create(folder: string, entries: readonly LogEntry[]): Promise<LogFile> {
    const log = new LogFile(folder);
    const source = sha256(new TextEncoder().encode('the published memo.pdf'));
    await log.write({
      format: DISTRIBUTION_LOG_FORMAT,
      memo: MEMO.slug,
      version: MEMO.version,
      source_sha256: source,
      entries: [...entries],
    });
    return log;
  }

  /** The log of `folder`, as an earlier `create` left it. */
  static open(folder: string): LogFile {
    return new LogFile(folder);
  }

  async entries(): Promise<LogEntry[]> {
    return distributionLogSchema.parse(JSON.parse(await readFile(this.file, 'utf8'))).entries;
  }

  async append(entries: readonly DeliveryEntry[]): Promise<void> {
    const log = distributionLogSchema.parse(JSON.parse(await readFile(this.file, 'utf8')));
    await this.write({ ...log, entries: [...log.entries, ...entries] });
  }

  /** The delivery events of the log, as `event recipient` lines (easy to compare). */
  async events(): Promise<string[]> {
    return (await this.entries())
      .filter((entry) => entry.event !== 'copy')
      .map((entry) => `${entry.event} ${entry.recipient}`);
  }

  private async write(log: unknown): Promise<void> {
    const valid = distributionLogSchema.parse(log);
    await writeFileAtomic(this.file, `${JSON.stringify(valid, null, 2)}\n`);
  }
}

export interface Received {
  /** The session was encrypted (TLS, or upgraded with STARTTLS) when the message came. */
  readonly secure: boolean;
  readonly from: string;
  readonly to: string[];
  readonly raw: Buffer;
}

export interface MailServer {
  readonly port: number;
  readonly received: Received[];
  /** Connections accepted so far. */
  readonly connections: number;
  /** Login names the server accepted. */
  readonly logins: string[];
  /** Cut every open connection now (a server that dies mid-message). */
  dropConnections(): void;
  close(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 (a free port). It accepts every message
 * unless `options` says otherwise (its `onData` may call `accept`); STARTTLS is
 * not offered unless `offerStartTls`.
 */
export async function startMailServer(
  options: Partial<SMTPServerOptions> & { offerStartTls?: boolean } = {},
): Promise<MailServer> {
  const { offerStartTls = false, ...serverOptions } = options;
  const sockets = new Set<Socket>();
  const received: Received[] = [];
  const logins: string[] = [];
  const state = { connections: 0 };
  const server = new SMTPServer({
    logger: false,
    disabledCommands: offerStartTls ? [] : ['STARTTLS'],
    hideSTARTTLS: !offerStartTls,
    authOptional: true,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received.push({
          secure: session.secure,
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((address) => address.address),
          raw: Buffer.concat(chunks),
        });
        callback(null, 'queued as test');
      });
    },
    ...serverOptions,
    onAuth(auth, session, callback) {
      if (serverOptions.onAuth !== undefined) {
        serverOptions.onAuth(auth, session, (error, response) => {
          if (error === null || error === undefined) logins.push(auth.username ?? '');
          callback(error, response);
        });
        return;
      }
      callback(new Error('no logins here'));
    },
  });
  server.server.on('connection', (socket: Socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    port: address.port,
    received,
    logins,
    get connections() {
      return state.connections;
    },
    dropConnections() {
      for (const socket of sockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 where nothing listens (it was listened on, then closed). */
export async function closedPort(): Promise<number> {
  const server = await startMailServer();
  const port = server.port;
  await server.close();
  return port;
}

export function parse(message: Received): Promise<ParsedMail> {
  return simpleParser(message.raw);
}

/**
 * One delivery run in a child process (tests/distribution/deliver-child.ts),
 * with `env` added to the environment: to trust a test authority, or to be
 * killed mid-run. `result` rejects when the child does not exit 0.
 */
export function startDeliveryChild(
  input: { folder: string; copies: readonly DeliveryCopy[]; smtp: SmtpConfig },
  env: NodeJS.ProcessEnv = {},
): { child: ChildProcess; result: Promise<{ summary: DeliverySummary; messages: string[] }> } {
  const script = path.join(import.meta.dirname, 'deliver-child.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(input)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 90_000,
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const result = new Promise<{ summary: DeliverySummary; messages: string[] }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code, signal) => {
        if (code === 0)
          resolve(JSON.parse(stdout) as { summary: DeliverySummary; messages: string[] }); // the child's own JSON
        else
          reject(new Error(`the delivery child ended with ${String(code ?? signal)}: ${stderr}`));
      });
    },
  );
  return { child, result };
}
