/**
 * Delivery over TLS to a real SMTP server on 127.0.0.1 whose certificate
 * comes from an authority the test makes with `openssl` and the sending
 * process trusts through NODE_EXTRA_CA_CERTS (docs/delivery.md): `secure:
 * false` upgrades with STARTTLS when the server offers it, `secure: true`
 * speaks TLS from the start; either way the message travels encrypted.
 */
import { execFile, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { SmtpConfig } from '../../pipeline/config/schema.js';
import {
  LogFile,
  makeCopies,
  parse,
  startDeliveryChild,
  startMailServer,
  temporaryFolder,
} from './helpers.js';
import type { MailServer } from './helpers.js';

const servers: MailServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

/** A self-signed certificate for 127.0.0.1 (its own authority), valid for two days. */
async function certificate(folder: string): Promise<{ key: string; cert: string; file: string }> {
  const key = path.join(folder, 'key.pem');
  const file = path.join(folder, 'cert.pem');
  await promisify(execFile)(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      file,
    ],
    { timeout: 60_000 },
  );
  return { key: await readFile(key, 'utf8'), cert: await readFile(file, 'utf8'), file };
}

/** The certificate is made with the `openssl` command (Debian's openssl package); skipped where there is none. */
const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

describe.skipIf(!hasOpenssl)('delivery over TLS with a trusted certificate', () => {
  it.each([
    ['secure: false, the server offers STARTTLS', false],
    ['secure: true, TLS from the first byte', true],
  ])('%s: every message travels encrypted', async (_name, secure) => {
    const folder = await temporaryFolder('tls');
    const tls = await certificate(folder);
    const mail = await startMailServer({
      offerStartTls: true,
      secure,
      key: tls.key,
      cert: tls.cert,
    });
    servers.push(mail);
    const { copies, entries } = await makeCopies(folder);
    const log = await LogFile.create(folder, entries);
    const smtp: SmtpConfig = {
      host: '127.0.0.1',
      port: mail.port,
      secure,
      from: 'memos@policy.example',
    };

    const { summary, messages } = await startDeliveryChild(
      { folder, copies, smtp },
      { NODE_EXTRA_CA_CERTS: tls.file },
    ).result;
    expect(messages).toEqual([]);
    expect(summary.sent.map((item) => item.recipient)).toEqual(['ana-ruiz', 'ben-ode', 'dee-fox']);
    expect(mail.received.map((message) => [message.to, message.secure])).toEqual([
      [['ana@nsc.example'], true],
      [['ben@state.example'], true],
      [['dee@state.example'], true],
    ]);
    const parsed = await parse(
      mail.received[1] ?? { secure: false, from: '', to: [], raw: Buffer.alloc(0) },
    );
    expect(parsed.attachments[0]?.content.equals(await readFile(copies[1]?.path ?? ''))).toBe(true);
    expect(await log.events()).toEqual([
      'sending ana-ruiz',
      'sent ana-ruiz',
      'sending ben-ode',
      'sent ben-ode',
      'not-sent cy-lam',
      'sending dee-fox',
      'sent dee-fox',
    ]);
  });
});
