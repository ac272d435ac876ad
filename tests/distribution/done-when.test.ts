/**
 * Issue 13's "Done when", end to end through the real CLI: a memo published,
 * approved and distributed to a list of five recipients (one without an
 * address) with `--send` against a real SMTP server on 127.0.0.1. Also
 * `--dry-run`, and Ctrl-C while the server holds a message.
 */
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { distributionLogSchema } from '../../pipeline/archive/distribution/log-schema.js';
import { runCli } from '../helpers/cli.js';
import { deferred } from '../helpers/wait.js';
import { fixtures, ownBrowser, root, sha256, temporaryFolder } from '../archive/helpers.js';
import { parse, startMailServer } from './helpers.js';
import type { MailServer } from './helpers.js';

const PEOPLE = {
  'jane-doe': { name: 'Jane Doe', office: 'National Security Council', email: 'jane@nsc.test' },
  'omar-haddad': { name: 'Omar Haddad', office: 'Department of State', email: 'omar@state.test' },
  'li-wei': { name: 'Li Wei', office: 'Department of Homeland Security', email: 'li@dhs.test' },
  'ana-costa': { name: 'Ana Costa', office: 'Department of State', email: 'ana@state.test' },
  'sam-okafor': { name: 'Sam Okafor', office: 'National Security Council' },
};
const FIVE = Object.keys(PEOPLE);
const SENT = FIVE.filter((id) => id !== 'sam-okafor');
const env = { ...ownBrowser, XDG_DATA_HOME: '' };
const cli = (args: string[], cwd: string) => runCli(args, cwd, env);
const copies = (folder: string) => path.join(folder, 'archive', 'drought', 'distribution', 'v1');
const fileOf = (id: string) => `copy-0${String(FIVE.indexOf(id) + 1)}-${id}.pdf`;

async function logOf(folder: string) {
  const text = await readFile(path.join(copies(folder), 'log.json'), 'utf8');
  return distributionLogSchema.parse(JSON.parse(text)).entries;
}
const events = async (folder: string) =>
  (await logOf(folder)).map((entry) => `${entry.event} ${entry.recipient}`);

/** The published and approved project, with `smtp` pointing at `port`. */
async function projectFor(base: string, prefix: string, port: number): Promise<string> {
  const folder = await temporaryFolder(prefix);
  await cp(base, folder, { recursive: true });
  const config = {
    recipients: PEOPLE,
    distributionLists: { principals: FIVE },
    smtp: { host: '127.0.0.1', port, secure: false, from: 'Policy Office <memos@policy.test>' },
  };
  await writeFile(path.join(folder, 'memo.config.json'), JSON.stringify(config, null, 2));
  return folder;
}

let base: string;
let mail: MailServer;
/** Recipients whose message the server holds unanswered (Ctrl-C test). */
const hold = new Set<string>();
let holding = deferred<void>();
/** Addresses the server refuses (550). */
const refuse = new Set<string>();

beforeAll(async () => {
  mail = await startMailServer({
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address))
        callback(
          Object.assign(new Error(`5.1.1 <${address.address}>: no such user`), {
            responseCode: 550,
          }),
        );
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((address) => address.address);
        if (to.some((address) => hold.has(address))) {
          holding.resolve(undefined);
          return; // never answered: the sender is stopped meanwhile
        }
        mail.received.push({ secure: session.secure, from: '', to, raw: Buffer.concat(chunks) });
        callback(null, 'queued as test');
      });
    },
  });
  base = await temporaryFolder('done-when');
  await mkdir(path.join(base, 'sources'));
  await writeFile(
    path.join(base, 'memo.config.json'),
    JSON.stringify({ recipients: PEOPLE, distributionLists: { principals: FIVE } }),
  );
  const memo = (await readFile(path.join(fixtures, 'v1.md'), 'utf8')).replace(
    /distribution:\n(?: {2}- .*\n)+/u,
    'distribution:\n  - principals\n',
  );
  await writeFile(path.join(base, 'sources', 'drought.md'), memo);
  const published = await cli(['publish', 'sources/drought.md'], base);
  expect(published.stderr).toBe('');
  const approved = await cli(['approve', 'drought', '--by', 'Rosa Lind'], base);
  expect(approved.code).toBe(0);
}, 180_000);

afterAll(async () => {
  await mail.close();
});

describe('done when', () => {
  it('sends 4 of 5 copies, logs it, verifies, identifies every copy, and sends nothing new twice', async () => {
    const folder = await projectFor(base, 'send', mail.port);
    const before = mail.received.length;
    const run = await cli(['distribute', 'drought', '--send'], folder);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('sent: 4');
    expect(run.stdout).toContain('  copy 05 Sam Okafor: no address');

    const received = mail.received.slice(before);
    expect(received.map((message) => message.to)).toEqual([
      ['jane@nsc.test'],
      ['omar@state.test'],
      ['li@dhs.test'],
      ['ana@state.test'],
    ]);
    for (const [index, message] of received.entries()) {
      const id = SENT[index] ?? '';
      const parsed = await parse(message);
      expect(parsed.subject).toBe(
        `[UNCLASSIFIED] Drought Readiness Review (version 1, copy 0${String(FIVE.indexOf(id) + 1)})`,
      );
      expect(parsed.attachments.map((attachment) => attachment.filename)).toEqual([fileOf(id)]);
      const bytes = await readFile(path.join(copies(folder), fileOf(id)));
      expect(Buffer.compare(parsed.attachments[0]?.content ?? Buffer.alloc(0), bytes)).toBe(0);
      expect(parsed.text).toContain(sha256(bytes));
    }

    const log = await logOf(folder);
    expect(
      log.filter((entry) => entry.event !== 'copy').map((e) => `${e.event} ${e.recipient}`),
    ).toEqual([
      ...SENT.slice(0, 4).flatMap((id) => [`sending ${id}`, `sent ${id}`]),
      'not-sent sam-okafor',
    ]);
    for (const entry of log)
      if (entry.event === 'sent') expect(entry.response).toContain('queued as test');

    const verify = await cli(['verify'], folder);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);

    for (const [index, id] of FIVE.entries()) {
      const person = PEOPLE[id as keyof typeof PEOPLE];
      const identify = await cli(['identify', path.join(copies(folder), fileOf(id))], folder);
      expect(identify.code).toBe(0);
      expect(identify.stdout).toContain(
        `drought v1, copy ${String(index + 1)} of 5, for ${person.name}, ${person.office} (${id})`,
      );
    }
    // Re-saved by another tool: pdf-lib's full rewrite always, qpdf where it is installed.
    const doc = await PDFDocument.load(
      await readFile(path.join(copies(folder), fileOf('li-wei'))),
      { updateMetadata: false },
    );
    await writeFile(path.join(folder, 'rewritten.pdf'), await doc.save());
    const rewritten = await cli(['identify', 'rewritten.pdf'], folder);
    expect(rewritten.code).toBe(0);
    expect(rewritten.stdout).toContain('copy 3 of 5, for Li Wei');
    if (existsSync('/usr/bin/qpdf')) {
      execFileSync('/usr/bin/qpdf', [
        '--object-streams=generate',
        path.join(copies(folder), fileOf('ana-costa')),
        path.join(folder, 'qpdf.pdf'),
      ]);
      const resaved = await cli(['identify', 'qpdf.pdf'], folder);
      expect(resaved.code).toBe(0);
      expect(resaved.stdout).toContain('copy 4 of 5, for Ana Costa');
    }

    const logBefore = await readFile(path.join(copies(folder), 'log.json'));
    const again = await cli(['distribute', 'drought', '--send'], folder);
    expect(again.stderr).toBe('');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('drought v1: 0 new copies');
    expect(again.stdout).toContain('sent: 0');
    expect(again.stdout).toContain('  copy 01 Jane Doe: already sent');
    expect(mail.received.length - before).toBe(4);
    expect(await readFile(path.join(copies(folder), 'log.json'))).toEqual(logBefore);
  }, 180_000);

  it('--dry-run writes one .eml per addressed copy beside it and sends nothing', async () => {
    const folder = await projectFor(base, 'dry-run', mail.port);
    const before = mail.received.length;
    const run = await cli(['distribute', 'drought', '--dry-run'], folder);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('written (dry run, nothing sent): 4');
    expect(mail.received.length).toBe(before);
    const emls = (await readdir(copies(folder))).filter((name) => name.endsWith('.eml')).sort();
    expect(emls).toEqual(SENT.map((id) => fileOf(id).replace(/\.pdf$/u, '.eml')));
    const parsed = await simpleParser(await readFile(path.join(copies(folder), emls[1] ?? '')));
    expect(parsed.to).toMatchObject({
      value: [{ name: 'Omar Haddad', address: 'omar@state.test' }],
    });
    const copy = await readFile(path.join(copies(folder), fileOf('omar-haddad')));
    expect(Buffer.compare(parsed.attachments[0]?.content ?? Buffer.alloc(0), copy)).toBe(0);
    const verify = await cli(['verify'], folder);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
  }, 120_000);

  it('--again and --dry-run with --send are usage errors', async () => {
    const folder = await projectFor(base, 'usage', mail.port);
    expect((await cli(['distribute', 'drought', '--again'], folder)).code).toBe(2);
    expect((await cli(['distribute', 'drought', '--send', '--dry-run'], folder)).code).toBe(2);
    expect(existsSync(copies(folder))).toBe(false);
  });

  it('reports a missing smtp section at the log, and exits 1', async () => {
    const folder = await projectFor(base, 'no-smtp', mail.port);
    await writeFile(
      path.join(folder, 'memo.config.json'),
      JSON.stringify({ recipients: PEOPLE, distributionLists: { principals: FIVE } }),
    );
    const run = await cli(['distribute', 'drought', '--send'], folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'archive/drought/distribution/v1/log.json:1:1: error nothing can be e-mailed: the config has no `smtp` section',
    );
    expect(run.stderr).toContain('[smtp-setup]');
  });

  it('a refused address: the others are sent, exit 1 with the problem at the log; the rerun sends only it', async () => {
    const folder = await projectFor(base, 'refused', mail.port);
    const before = mail.received.length;
    refuse.add('li@dhs.test');
    const run = await cli(['distribute', 'drought', '--send'], folder);
    refuse.clear();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('sent: 3');
    expect(run.stdout).toContain('failed: 1');
    expect(run.stderr).toContain(
      'archive/drought/distribution/v1/log.json:1:1: error copy 03 (Li Wei) was not sent to li@dhs.test: the mail server refused the address li@dhs.test',
    );
    expect(run.stderr).toContain('[delivery-failed]');
    const rerun = await cli(['distribute', 'drought', '--send'], folder);
    expect(rerun.stderr).toBe('');
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('sent: 1');
    expect(mail.received.slice(before).map((message) => message.to[0])).toEqual([
      'jane@nsc.test',
      'omar@state.test',
      'ana@state.test',
      'li@dhs.test',
    ]);
    const verify = await cli(['verify'], folder);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
  }, 180_000);

  it('Ctrl-C while the server holds a message: exit 130, the log says what was sent, the rerun finishes', async () => {
    const folder = await projectFor(base, 'ctrl-c', mail.port);
    const before = mail.received.length;
    holding = deferred<void>();
    hold.add('omar@state.test');
    const child = spawn(
      process.execPath,
      [path.join(root, 'bin', 'memo.js'), 'distribute', 'drought', '--send'],
      {
        cwd: folder,
        env: { ...process.env, ...env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    await Promise.race([holding.promise, closed]);
    child.kill('SIGINT');
    const code = await closed;
    hold.clear();
    expect(stderr).toContain('[delivery-unknown]');
    expect(code).toBe(130);
    expect(stdout).toContain('stopped before every copy was handled');
    expect((await events(folder)).filter((line) => !line.startsWith('copy'))).toEqual([
      'sending jane-doe',
      'sent jane-doe',
      'sending omar-haddad',
    ]);
    expect(mail.received.slice(before).map((message) => message.to)).toEqual([['jane@nsc.test']]);

    const rerun = await cli(['distribute', 'drought', '--send'], folder);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain('sent: 2');
    expect(rerun.stdout).toContain('  copy 02 Omar Haddad: unknown, may have been sent');
    expect(rerun.stderr).toContain(
      'archive/drought/distribution/v1/log.json:1:1: warning copy 02 (Omar Haddad): unknown whether it reached omar@state.test',
    );
    const omar = await cli(
      ['distribute', 'drought', '--to', 'omar-haddad', '--send', '--again'],
      folder,
    );
    expect(omar.stderr).toBe('');
    expect(omar.code).toBe(0);
    expect(omar.stdout).toContain('sent: 1');
    expect(mail.received.slice(before).map((message) => message.to[0])).toEqual([
      'jane@nsc.test',
      'li@dhs.test',
      'ana@state.test',
      'omar@state.test',
    ]);
    const verify = await cli(['verify'], folder);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
  }, 180_000);
});
