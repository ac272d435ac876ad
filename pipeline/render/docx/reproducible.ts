/**
 * Make a packed .docx the same bytes for the same memo: docx stamps its
 * document properties and zip entries with the clock, so the properties get
 * the memo's date (or SOURCE_DATE_EPOCH) and the package is zipped again,
 * with JSZip, every entry dated the same. docx names each hyperlink's
 * relationship with a random id: those are numbered in order of appearance.
 * The language goes in the properties too (docx has no option for it).
 */
import JSZip from 'jszip';

const CORE = 'docProps/core.xml';
/** docx's random relationship ids (`rId` and 21 characters of nanoid's alphabet, lowercased). */
const RANDOM_ID = /"rId([a-z0-9_-]{21})"/g;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

export async function reproducibleDocx(
  packed: Uint8Array,
  date: Date,
  lang: string,
): Promise<Uint8Array> {
  const zip = await JSZip.loadAsync(packed);
  const stamp = `${date.toISOString().slice(0, 19)}Z`;
  const again = new JSZip();
  const ids = new Map<string, string>();
  const numbered = (_: string, id: string): string => {
    let stable = ids.get(id);
    if (stable === undefined) {
      stable = `rIdLink${ids.size + 1}`;
      ids.set(id, stable);
    }
    return `"${stable}"`;
  };
  for (const name of Object.keys(zip.files).sort()) {
    const entry = zip.files[name];
    if (entry === undefined || entry.dir) continue;
    if (/\.(?:xml|rels)$/.test(name)) {
      const xml = (await entry.async('string')).replace(RANDOM_ID, numbered);
      const text =
        name === CORE
          ? xml
              .replace(
                /(<dcterms:(?:created|modified)\b[^>]*>)[^<]*(<\/dcterms:(?:created|modified)>)/g,
                `$1${stamp}$2`,
              )
              .replace(
                '<dcterms:created',
                `<dc:language>${escapeXml(lang)}</dc:language><dcterms:created`,
              )
          : xml;
      again.file(name, text, { date, createFolders: false });
    } else {
      again.file(name, await entry.async('uint8array'), { date, createFolders: false });
    }
  }
  return again.generateAsync({
    type: 'uint8array',
    compression: 'DEFLATE',
    compressionOptions: { level: 6 },
  });
}
