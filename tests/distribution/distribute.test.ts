/**
 * A memo published, approved and distributed to a list of five recipients
 * (one without an e-mail address): the numbered copies, their stamps, tags and
 * metadata, the log, reruns, `memo verify` (also after tampering) and
 * `memo identify` (also after the copy is re-saved by another tool).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  PDFDict,
  PDFDocument,
  PDFName,
  PDFRawStream,
  PDFArray,
  PDFRef,
  decodePDFRawStream,
} from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { distributionLogSchema } from '../../pipeline/archive/distribution/log-schema.js';
import { createStamper, stampCopy } from '../../pipeline/archive/distribution/stamp.js';
import { distributeCopies } from '../../pipeline/archive/distribution/distribute.js';
import { deliverCopies } from '../../pipeline/archive/distribution/deliver.js';
import type { DeliverySummary } from '../../pipeline/archive/distribution/deliver.js';
import { copiesOf } from '../../pipeline/archive/distribution/log.js';
import { audit } from '../../pipeline/archive/audit/audit.js';
import { readXmp } from '../../pipeline/archive/audit/checks/xmp.js';
import { COPY_NAMESPACE } from '../../pipeline/render/pdf-archival.js';
import { VFile } from 'vfile';
import { runCli } from '../helpers/cli.js';
import { pageTexts, readCatalog } from '../helpers/pdf.js';
import { fixtures, ownBrowser, sha256, temporaryFolder } from '../archive/helpers.js';

const PEOPLE = {
  'jane-doe': {
    name: 'Jane Doe',
    office: 'National Security Council',
    email: 'jane@nsc.example.gov',
  },
  'omar-haddad': {
    name: 'Omar Haddad',
    office: 'Department of State',
    email: 'omar@state.example.gov',
  },
  'li-wei': {
    name: 'Li Wei',
    office: 'Department of Homeland Security',
    email: 'li@dhs.example.gov',
  },
  'ana-costa': { name: 'Ana Costa', office: 'Department of State', email: 'ana@state.example.gov' },
  'sam-okafor': { name: 'Sam Okafor', office: 'National Security Council' },
  'kim-park': {
    name: 'Kim Park',
    office: 'Office of Management and Budget',
    email: 'kim@omb.example.gov',
  },
};
const FIVE = ['jane-doe', 'omar-haddad', 'li-wei', 'ana-costa', 'sam-okafor'];
const CONFIG = { recipients: PEOPLE, distributionLists: { principals: FIVE } };

const DATA_HOME = { XDG_DATA_HOME: '' };
const cli = (args: string[], cwd: string) => runCli(args, cwd, { ...ownBrowser, ...DATA_HOME });

async function project(prefix: string, config: object = CONFIG): Promise<string> {
  const folder = await temporaryFolder(prefix);
  await mkdir(path.join(folder, 'sources'));
  await writeFile(path.join(folder, 'memo.config.json'), JSON.stringify(config, null, 2));
  const memo = (await readFile(path.join(fixtures, 'v1.md'), 'utf8')).replace(
    /distribution:\n(?: {2}- .*\n)+/u,
    'distribution:\n  - principals\n',
  );
  await writeFile(path.join(folder, 'sources', 'drought.md'), memo);
  return folder;
}

const copiesFolder = (folder: string) =>
  path.join(folder, 'archive', 'drought', 'distribution', 'v1');

async function readLogFile(folder: string) {
  return distributionLogSchema.parse(
    JSON.parse(await readFile(path.join(copiesFolder(folder), 'log.json'), 'utf8')),
  );
}

/** A copy of the whole project (archive included), to tamper with. */
async function cloneProject(folder: string, prefix: string): Promise<string> {
  const clone = await temporaryFolder(prefix);
  await cp(folder, clone, { recursive: true });
  return clone;
}

/** The decoded content streams of page 1 that hold the stamp. */
async function stampStreams(bytes: Uint8Array): Promise<string[]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const contents = doc.getPages()[0]?.node.get(PDFName.of('Contents'));
  const refs = contents instanceof PDFArray ? contents.asArray() : [];
  return refs
    .map((ref) => (ref instanceof PDFRef ? doc.context.lookup(ref) : ref))
    .filter((stream): stream is PDFRawStream => stream instanceof PDFRawStream)
    .map((stream) => Buffer.from(decodePDFRawStream(stream).decode()).toString('latin1'))
    .filter((text) => text.includes('/Artifact'));
}

let folder: string;
let published: Uint8Array;

beforeAll(async () => {
  folder = await project('distribute');
  const run = await cli(['publish', 'sources/drought.md'], folder);
  expect(run.stderr).toBe('');
  published = await readFile(path.join(folder, 'archive', 'drought', 'v1', 'memo.pdf'));
}, 120_000);

describe('memo approve and memo distribute', () => {
  it('refuses to distribute a version nobody approved, and makes nothing', async () => {
    const run = await cli(['distribute', 'drought'], folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'archive/drought/v1:1:1: error version 1 of drought is not approved: run `memo approve drought v1 --by "Name"` first, or give a reason with --force "…" [distribute-unapproved]',
    );
    expect(existsSync(path.join(folder, 'archive', 'drought', 'distribution'))).toBe(false);
    const index = await readFile(path.join(folder, 'archive', 'index.html'), 'utf8');
    expect(index).toContain('<dt>Approval</dt><dd>not approved</dd>');
  });

  it('records an approval, shown in the index, and verify passes', async () => {
    const run = await cli(
      ['approve', 'drought', 'v1', '--by', 'Rosa Lind', '--note', 'cleared'],
      folder,
    );
    expect(run.stdout).toBe('approved drought v1 by Rosa Lind\n');
    expect(run.code).toBe(0);
    const approvals = JSON.parse(
      await readFile(path.join(folder, 'archive', 'drought', 'approvals.json'), 'utf8'),
    );
    expect(approvals.approvals).toMatchObject([{ version: 1, by: 'Rosa Lind', note: 'cleared' }]);
    const index = await readFile(path.join(folder, 'archive', 'index.html'), 'utf8');
    expect(index).toContain('<dt>Approval</dt><dd>approved by Rosa Lind</dd>');
    const again = await cli(['approve', 'drought', '--by', 'Rosa Lind'], folder);
    expect(again.stdout).toContain('was already approved by Rosa Lind');
    const verify = await cli(['verify'], folder);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
  });

  it('says a version that was never published is missing', async () => {
    const run = await cli(['approve', 'drought', 'v4', '--by', 'Rosa Lind'], folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'archive/drought/v4:1:1: error version 4 of `drought` was never published: its versions are v1 [archive-missing]',
    );
  });

  it('suggests the recipient for a --to that is not one', async () => {
    const run = await cli(['distribute', 'drought', '--to', 'jane-do'], folder);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'memo.config.json:1:1: error --to `jane-do` is not a recipient id or distribution list of memo.config.json; did you mean the recipient `jane-doe`? [distribute-recipient]',
    );
  });

  it('makes one stamped, numbered copy per recipient of the list, and logs them', async () => {
    const run = await cli(['distribute', 'drought'], folder);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'copy 1 of 5 for Jane Doe, National Security Council: archive/drought/distribution/v1/copy-01-jane-doe.pdf',
    );
    const log = await readLogFile(folder);
    expect(log.source_sha256).toBe(sha256(published));
    expect(
      log.entries.map(
        (entry) => entry.event === 'copy' && [entry.copy, entry.of, entry.recipient, entry.file],
      ),
    ).toEqual(FIVE.map((id, index) => [index + 1, 5, id, `copy-0${index + 1}-${id}.pdf`]));
    const original = await readCatalog(published);
    for (const [index, id] of FIVE.entries()) {
      const entry = log.entries[index];
      if (entry?.event !== 'copy') throw new Error('expected a copy entry');
      expect(entry.approved?.by).toBe('Rosa Lind');
      const bytes = await readFile(path.join(copiesFolder(folder), entry.file));
      expect(sha256(bytes)).toBe(entry.sha256);
      // The published file, kept byte for byte, then an incremental update.
      expect(Buffer.from(bytes.subarray(0, published.length)).equals(Buffer.from(published))).toBe(
        true,
      );
      const person = PEOPLE[id as keyof typeof PEOPLE];
      const stamp = `Copy 0${index + 1} of 05 \u2014 ${person.name}, ${person.office}`;
      const texts = await pageTexts(new Uint8Array(bytes));
      expect(texts.length).toBeGreaterThan(1);
      for (const text of texts) {
        expect(text).toContain(stamp);
        expect(text).toContain('UNCLASSIFIED');
        expect(text).not.toContain('example.gov');
      }
      const streams = await stampStreams(bytes);
      expect(streams.join('\n')).toMatch(/\/Artifact \/MemoPressStamp BDC[\s\S]*Tj[\s\S]*EMC/u);
      const catalog = await readCatalog(bytes);
      expect({ ...catalog, id: undefined }).toEqual({ ...original, id: undefined });
      expect(catalog.hasStructTreeRoot).toBe(true);
    }
    const pdftotext = '/usr/bin/pdftotext';
    if (existsSync(pdftotext)) {
      const text = execFileSync(
        pdftotext,
        [path.join(copiesFolder(folder), 'copy-05-sam-okafor.pdf'), '-'],
        { encoding: 'utf8' },
      );
      expect(text).toContain('Copy 05 of 05 \u2014 Sam Okafor, National Security Council');
    }
  });

  it('makes copies that pass memo audit: the stamp font embedded, the XMP naming the copy', async () => {
    const result = await audit([copiesFolder(folder)], [], folder);
    expect(result.pdfs).toBe(5);
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([]);
    const bytes = await readFile(path.join(copiesFolder(folder), 'copy-02-omar-haddad.pdf'));
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const metadata = doc.context.lookup(doc.catalog.get(PDFName.of('Metadata')));
    if (!(metadata instanceof PDFRawStream)) throw new Error('no XMP metadata');
    const xmp = readXmp(Buffer.from(metadata.contents).toString('utf8'));
    const copyProperty = (name: string) => xmp.get(`${COPY_NAMESPACE}${name}`);
    expect(
      ['memo', 'version', 'copy', 'of', 'recipient'].map((name) => copyProperty(name)),
    ).toEqual([['drought'], ['1'], ['2'], ['5'], ['omar-haddad']]);
    expect(xmp.get('http://www.aiim.org/pdfa/ns/extension/schemas')).toContain(COPY_NAMESPACE);
    expect(xmp.get('http://purl.org/dc/elements/1.1/title')).toEqual([doc.getTitle()]);
    const pdffonts = '/usr/bin/pdffonts';
    if (existsSync(pdffonts)) {
      const fonts = execFileSync(
        pdffonts,
        [path.join(copiesFolder(folder), 'copy-02-omar-haddad.pdf')],
        {
          encoding: 'utf8',
        },
      );
      expect(fonts).toMatch(
        /[A-Z]{6}\+SourceSans3-Regular +CID TrueType +Identity-H +yes +yes +yes/u,
      );
    }
  });

  it('makes nothing new when run again, and numbers a later recipient next', async () => {
    const before = await readFile(path.join(copiesFolder(folder), 'log.json'));
    const again = await cli(['distribute', 'drought', 'v1'], folder);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('drought v1: 0 new copies');
    expect(again.stdout).toContain('already made: copy 3 of 5 for Li Wei');
    expect(await readFile(path.join(copiesFolder(folder), 'log.json'))).toEqual(before);
    const later = await cli(
      ['distribute', 'drought', '--to', 'kim-park', '--to', 'jane-doe'],
      folder,
    );
    expect(later.stdout).toContain('copy 6 of 6 for Kim Park, Office of Management and Budget');
    const log = await readLogFile(folder);
    expect(log.entries).toHaveLength(6);
    const texts = await pageTexts(
      new Uint8Array(await readFile(path.join(copiesFolder(folder), 'copy-06-kim-park.pdf'))),
    );
    expect(texts[0]).toContain('Copy 06 of 06 \u2014 Kim Park, Office of Management and Budget');
    const verify = await cli(['verify'], folder);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
  });

  it('makes the very same bytes in another archive', async () => {
    const other = await project('distribute-again');
    expect((await cli(['publish', 'sources/drought.md'], other)).code).toBe(0);
    const publishedAgain = await readFile(path.join(other, 'archive', 'drought', 'v1', 'memo.pdf'));
    expect(sha256(publishedAgain)).toBe(sha256(published));
    expect((await cli(['distribute', 'drought', '--force', 'approved by phone'], other)).code).toBe(
      0,
    );
    const log = await readLogFile(other);
    expect(log.entries[0]).toMatchObject({ forced: 'approved by phone' });
    expect(log.entries[0]).not.toHaveProperty('approved');
    const verify = await cli(['verify'], other);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    for (const id of FIVE.slice(0, 2)) {
      const name = `copy-0${FIVE.indexOf(id) + 1}-${id}.pdf`;
      expect(sha256(await readFile(path.join(copiesFolder(other), name)))).toBe(
        sha256(await readFile(path.join(copiesFolder(folder), name))),
      );
    }
  }, 120_000);
});

describe('a copy on its own', () => {
  it('has the same bytes as the copy made in a run with others', async () => {
    const alone = await stampCopy(published, {
      memo: 'drought',
      version: 1,
      copy: 3,
      of: 5,
      recipient: 'li-wei',
      name: 'Li Wei',
      office: 'Department of Homeland Security',
    });
    const inRun = await readFile(path.join(copiesFolder(folder), 'copy-03-li-wei.pdf'));
    expect(sha256(alone)).toBe(sha256(inRun));
  });

  it('has the same bytes after a copy whose stamp needed the second font', async () => {
    const stamper = await createStamper(published);
    await stamper.stamp({
      memo: 'drought',
      version: 1,
      copy: 1,
      of: 5,
      recipient: 'lukasz-dvorak',
      name: '\u0141ukasz Dvo\u0159\u00e1k',
      office: 'Department of State',
    });
    const after = await stamper.stamp({
      memo: 'drought',
      version: 1,
      copy: 3,
      of: 5,
      recipient: 'li-wei',
      name: 'Li Wei',
      office: 'Department of Homeland Security',
    });
    const inRun = await readFile(path.join(copiesFolder(folder), 'copy-03-li-wei.pdf'));
    expect(sha256(after)).toBe(sha256(inRun));
  });
});

describe('delivery after the copies are logged', () => {
  it('runs under the lock, appends to the log, and verify accepts its .eml files', async () => {
    const clone = await cloneProject(folder, 'deliver');
    const archive = path.join(clone, 'archive');
    const file = new VFile({ path: 'memo.config.json' });
    const addresses = new Map(
      Object.entries(PEOPLE).flatMap(([id, person]) =>
        'email' in person ? [[id, person.email] as const] : [],
      ),
    );
    let summary: DeliverySummary | undefined;
    const distributed = await distributeCopies({
      archive,
      slug: 'drought',
      version: undefined,
      to: ['principals'],
      config: { ...CONFIG, file: 'memo.config.json' },
      force: undefined,
      now: new Date('2026-03-02T10:00:00Z'),
      afterLogged: async (result, append) => {
        const copies = copiesOf(result.log).map((copy) => ({
          ...copy,
          email: addresses.get(copy.recipient) ?? null,
          path: path.join(result.folder, copy.file),
        }));
        summary = await deliverCopies({
          memo: { slug: 'drought', version: 1, title: 'Drought Readiness Review' },
          copies: copies.filter((copy) => FIVE.includes(copy.recipient)),
          log: result.log.entries,
          again: false,
          dryRun: true,
          smtp: { host: '127.0.0.1', port: 2525, secure: false, from: 'memos@example.gov' },
          env: {},
          append,
          now: () => new Date('2026-03-02T10:00:00Z'),
          file,
        });
      },
    });
    expect(file.messages.map(String)).toEqual([]);
    expect(distributed.made).toEqual([]);
    expect(summary?.written).toHaveLength(4);
    expect(summary?.noAddress.map((outcome) => outcome.recipient)).toEqual(['sam-okafor']);
    const log = await readLogFile(clone);
    expect(log.entries.filter((entry) => entry.event === 'dry-run')).toHaveLength(4);
    expect(log.entries.filter((entry) => entry.event === 'not-sent')).toHaveLength(1);
    const verify = await cli(['verify'], clone);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
  });
});

describe('memo verify of the distribution', () => {
  it('finds a changed copy', async () => {
    const clone = await cloneProject(folder, 'tamper-copy');
    const file = path.join(copiesFolder(clone), 'copy-02-omar-haddad.pdf');
    const bytes = await readFile(file);
    // One character of the trailer's /ID changed: still a readable PDF, another SHA-256.
    bytes.writeUInt8((bytes.at(-20) ?? 0) ^ 1, bytes.length - 20);
    await writeFile(file, bytes);
    const run = await cli(['verify'], clone);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /archive\/drought\/distribution\/v1\/copy-02-omar-haddad\.pdf:1:1: error changed since it was made: SHA-256 [0-9a-f]{12}…, the log records [0-9a-f]{12}… \[archive-changed\]/u,
    );
  });

  it('finds a log with a copy taken out (a gap) and the copy it no longer names', async () => {
    const clone = await cloneProject(folder, 'tamper-log');
    const file = path.join(copiesFolder(clone), 'log.json');
    const log = JSON.parse(await readFile(file, 'utf8'));
    log.entries.splice(2, 1);
    await writeFile(file, JSON.stringify(log, null, 2));
    const run = await cli(['verify'], clone);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'copy 3 is missing from the log: copies are numbered 1 to 5 without gaps [archive-distribution]',
    );
    expect(run.stderr).toContain(
      'copy-03-li-wei.pdf:1:1: error is not part of the distribution (a file)',
    );
  });

  it('warns of the temporary file an interrupted run left, and still passes', async () => {
    const clone = await cloneProject(folder, 'stray-temp');
    await writeFile(path.join(copiesFolder(clone), '.log.json.0123456789ab.tmp'), '{');
    const run = await cli(['verify'], clone);
    expect(run.stderr).toContain(
      'archive/drought/distribution/v1/.log.json.0123456789ab.tmp:1:1: warning left by an interrupted `memo distribute`; it is not a copy, and you may delete it [archive-stray-temp]',
    );
    expect(run.code).toBe(0);
  });

  it('finds an approval removed after the version was distributed', async () => {
    const clone = await cloneProject(folder, 'tamper-approval');
    const file = path.join(clone, 'archive', 'drought', 'approvals.json');
    const approvals = JSON.parse(await readFile(file, 'utf8'));
    approvals.approvals[0].by = 'Someone Else';
    await writeFile(file, JSON.stringify(approvals, null, 2));
    const run = await cli(['verify'], clone);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('copy 1 was made under the approval of v1 by Rosa Lind');
    expect(run.stderr).toContain('[archive-approval]');
    await rm(file);
    const removed = await cli(['verify'], clone);
    expect(removed.stderr).toContain(
      'which approvals.json no longer records: the approval was removed or edited [archive-approval]',
    );
  });
});

describe('memo identify', () => {
  const copyOf = (name: string) => path.join(copiesFolder(folder), name);

  it('names the recipient of a copy by its SHA-256', async () => {
    const run = await cli(['identify', copyOf('copy-03-li-wei.pdf')], folder);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /copy-03-li-wei\.pdf: drought v1, copy 3 of 5, for Li Wei, Department of Homeland Security \(li-wei\); identified by its SHA-256/u,
    );
  });

  it('names the recipient of a copy re-saved by pdf-lib (full rewrite), by its metadata', async () => {
    const doc = await PDFDocument.load(await readFile(copyOf('copy-04-ana-costa.pdf')), {
      updateMetadata: false,
    });
    const resaved = path.join(folder, 'resaved.pdf');
    await writeFile(resaved, await doc.save());
    const run = await cli(['identify', 'resaved.pdf'], folder);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'resaved.pdf: drought v1, copy 4 of 5, for Ana Costa, Department of State (ana-costa); identified by its copy metadata',
    );
  });

  it('names the recipient by the stamped text when the metadata is gone', async () => {
    const doc = await PDFDocument.load(await readFile(copyOf('copy-02-omar-haddad.pdf')));
    doc.setTitle('Something else');
    const info = doc.context.lookup(doc.context.trailerInfo.Info);
    if (!(info instanceof PDFDict)) throw new Error('no Info dictionary');
    for (const key of ['MemoPressMemo', 'MemoPressRecipient', 'MemoPressCopy'])
      info.delete(PDFName.of(key));
    const stripped = path.join(folder, 'stripped.pdf');
    await writeFile(stripped, await doc.save({ useObjectStreams: true }));
    const run = await cli(['identify', 'stripped.pdf'], folder);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'for Omar Haddad, Department of State (omar-haddad); identified by its stamped text',
    );
  });

  it.skipIf(!existsSync('/usr/bin/qpdf'))(
    'names the recipient of a copy re-saved by qpdf',
    async () => {
      const resaved = path.join(folder, 'qpdf.pdf');
      execFileSync('/usr/bin/qpdf', [
        '--object-streams=generate',
        copyOf('copy-01-jane-doe.pdf'),
        resaved,
      ]);
      const run = await cli(['identify', 'qpdf.pdf'], folder);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('for Jane Doe, National Security Council (jane-doe)');
      // Without the copy's Info keys, qpdf's rewrite is still named by its stamp.
      const doc = await PDFDocument.load(await readFile(copyOf('copy-03-li-wei.pdf')));
      const info = doc.context.lookup(doc.context.trailerInfo.Info);
      if (!(info instanceof PDFDict)) throw new Error('no Info dictionary');
      for (const key of ['MemoPressMemo', 'MemoPressRecipient', 'MemoPressCopy'])
        info.delete(PDFName.of(key));
      const stripped = path.join(folder, 'stripped-for-qpdf.pdf');
      await writeFile(stripped, await doc.save());
      execFileSync('/usr/bin/qpdf', ['--object-streams=generate', stripped, resaved]);
      const byText = await cli(['identify', 'qpdf.pdf'], folder);
      expect(byText.stdout).toContain(
        'for Li Wei, Department of Homeland Security (li-wei); identified by its stamped text',
      );
      expect(byText.code).toBe(0);
    },
  );

  it('says the published memo itself is not a copy: exit 1', async () => {
    const run = await cli(['identify', 'archive/drought/v1/memo.pdf'], folder);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      'archive/drought/v1/memo.pdf: not a copy from archive: no copy of this archive has its SHA-256, copy metadata or stamp\n',
    );
  });
});

describe('a name beyond Latin-1', () => {
  const people = {
    ...PEOPLE,
    'lukasz-dvorak': { name: '\u0141ukasz Dvo\u0159\u00e1k', office: 'Department of State' },
    'wang-li': { name: '\u738b\u4e3d', office: 'Department of State' },
  };
  let other: string;

  beforeAll(async () => {
    other = await project('distribute-names', { recipients: people, distributionLists: {} });
    const run = await cli(['publish', 'sources/drought.md'], other);
    expect(run.stderr).toBe('');
  }, 120_000);

  it('refuses a name the stamp font cannot write, naming the characters, and makes nothing', async () => {
    const run = await cli(['distribute', 'drought', '--to', 'wang-li', '--force', 'test'], other);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      'the name or office of recipient `wang-li` has characters the copy stamp cannot print (\u738b \u4e3d)',
    );
    expect(existsSync(copiesFolder(other))).toBe(false);
  });

  it('stamps a Latin Extended name, extractable, passing memo audit, identified by its text', async () => {
    const run = await cli(
      ['distribute', 'drought', '--to', 'lukasz-dvorak', '--force', 'test'],
      other,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const file = path.join(copiesFolder(other), 'copy-01-lukasz-dvorak.pdf');
    const stamp = 'Copy 01 of 01 \u2014 \u0141ukasz Dvo\u0159\u00e1k, Department of State';
    const texts = await pageTexts(new Uint8Array(await readFile(file)));
    for (const text of texts) expect(text).toContain(stamp);
    if (existsSync('/usr/bin/pdftotext'))
      expect(execFileSync('/usr/bin/pdftotext', [file, '-'], { encoding: 'utf8' })).toContain(
        stamp,
      );
    if (existsSync('/usr/bin/pdffonts')) {
      const fonts = execFileSync('/usr/bin/pdffonts', [file], { encoding: 'utf8' });
      expect(fonts.match(/[A-Z]{6}\+SourceSans3-Regular +CID TrueType/gu)).toHaveLength(2);
    }
    const result = await audit([file], [], other);
    expect(result.files.flatMap((entry) => entry.messages.map(String))).toEqual([]);
    const doc = await PDFDocument.load(await readFile(file));
    const info = doc.context.lookup(doc.context.trailerInfo.Info);
    if (!(info instanceof PDFDict)) throw new Error('no Info dictionary');
    for (const key of ['MemoPressMemo', 'MemoPressRecipient', 'MemoPressCopy'])
      info.delete(PDFName.of(key));
    await writeFile(path.join(other, 'stripped.pdf'), await doc.save({ useObjectStreams: true }));
    const identify = await cli(['identify', 'stripped.pdf'], other);
    expect(identify.stdout).toContain(
      'for \u0141ukasz Dvo\u0159\u00e1k, Department of State (lukasz-dvorak); identified by its stamped text',
    );
    expect(identify.code).toBe(0);
  });
});
