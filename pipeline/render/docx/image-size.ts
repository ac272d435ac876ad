/**
 * Pixel size of a PNG, JPEG or GIF from its header: Word needs an image's size
 * to place it, and neither docx nor the inlined data: URL gives one.
 */
export type RasterType = 'png' | 'jpg' | 'gif';

export interface Raster {
  readonly type: RasterType;
  readonly width: number;
  readonly height: number;
}

function pngSize(bytes: Uint8Array): Raster | undefined {
  if (bytes.length < 24 || bytes[0] !== 0x89 || bytes[1] !== 0x50) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { type: 'png', width: view.getUint32(16), height: view.getUint32(20) };
}

function gifSize(bytes: Uint8Array): Raster | undefined {
  if (bytes.length < 10 || bytes[0] !== 0x47 || bytes[1] !== 0x49 || bytes[2] !== 0x46)
    return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { type: 'gif', width: view.getUint16(6, true), height: view.getUint16(8, true) };
}

/** The first start-of-frame marker (SOF0–SOF15 but DHT, JPG and DAC) holds the size. */
function jpegSize(bytes: Uint8Array): Raster | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1] ?? 0;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { type: 'jpg', height: view.getUint16(at + 5), width: view.getUint16(at + 7) };
    }
    at += 2 + view.getUint16(at + 2);
  }
  return undefined;
}

export function rasterOf(mime: string, bytes: Uint8Array): Raster | undefined {
  const size =
    mime === 'image/png'
      ? pngSize(bytes)
      : mime === 'image/jpeg'
        ? jpegSize(bytes)
        : mime === 'image/gif'
          ? gifSize(bytes)
          : undefined;
  return size !== undefined && size.width > 0 && size.height > 0 ? size : undefined;
}
