import { inflateSync } from 'node:zlib';

/**
 * The two image containers the icons need, read and written without a dependency:
 *   - PNG: the size from the IHDR chunk, and a decoder for 8-bit RGB(A) (what Chromium's
 *     screenshots are), so tests can check that macOS template images are black and alpha only;
 *   - ICO: an ICONDIR, one ICONDIRENTRY per image, then the PNG payloads (Windows Vista and later
 *     read PNG-compressed entries; 256 px entries must be PNG anyway).
 */
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export interface PngInfo {
  width: number;
  height: number;
  bitDepth: number;
  /** 2 = RGB, 6 = RGBA (the two this decoder reads). */
  colorType: number;
}

export function pngInfo(png: Buffer): PngInfo {
  if (png.length < 33 || !png.subarray(0, 8).equals(PNG_SIGNATURE) || png.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG file');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20), bitDepth: png.readUInt8(24), colorType: png.readUInt8(25) };
}

export interface RgbaImage {
  width: number;
  height: number;
  /** width * height * 4 bytes, row by row, not premultiplied. */
  pixels: Uint8Array;
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a non-interlaced 8-bit RGB or RGBA PNG. */
export function decodePng(png: Buffer): RgbaImage {
  const info = pngInfo(png);
  const interlace = png.readUInt8(28);
  if (info.bitDepth !== 8 || (info.colorType !== 2 && info.colorType !== 6) || interlace !== 0) {
    throw new Error(`unsupported PNG (bit depth ${info.bitDepth}, colour type ${info.colorType}, interlace ${interlace})`);
  }
  const idat: Buffer[] = [];
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    if (type === 'IDAT') idat.push(png.subarray(offset + 8, offset + 8 + length));
    if (type === 'IEND') break;
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const channels = info.colorType === 6 ? 4 : 3;
  const stride = info.width * channels;
  const rows = new Uint8Array(info.height * stride);
  for (let y = 0; y < info.height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= channels ? (rows[y * stride + x - channels] ?? 0) : 0;
      const up = y > 0 ? (rows[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = y > 0 && x >= channels ? (rows[(y - 1) * stride + x - channels] ?? 0) : 0;
      const predictor = filter === 0 ? 0 : filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : filter === 4 ? paeth(left, up, upLeft) : NaN;
      if (Number.isNaN(predictor)) throw new Error(`bad PNG filter type ${String(filter)} on row ${y}`);
      rows[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  if (channels === 4) return { width: info.width, height: info.height, pixels: rows };
  const pixels = new Uint8Array(info.width * info.height * 4);
  for (let i = 0; i < info.width * info.height; i++) {
    pixels.set(rows.subarray(i * 3, i * 3 + 3), i * 4);
    pixels[i * 4 + 3] = 255;
  }
  return { width: info.width, height: info.height, pixels };
}

/** Pixels that a macOS template image must not have: any colour other than black (alpha is free). */
export function nonBlackPixels(image: RgbaImage): number {
  let count = 0;
  for (let i = 0; i < image.pixels.length; i += 4) {
    const alpha = image.pixels[i + 3] ?? 0;
    if (alpha > 0 && ((image.pixels[i] ?? 0) !== 0 || (image.pixels[i + 1] ?? 0) !== 0 || (image.pixels[i + 2] ?? 0) !== 0)) count++;
  }
  return count;
}

export function visiblePixels(image: RgbaImage): number {
  let count = 0;
  for (let i = 3; i < image.pixels.length; i += 4) if ((image.pixels[i] ?? 0) > 0) count++;
  return count;
}

export interface IcoEntry {
  size: number;
  png: Buffer;
}

/** An .ico file holding the given square PNGs (ICONDIR, ICONDIRENTRY[], payloads). */
export function encodeIco(entries: readonly IcoEntry[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(entries.length, 4);
  const directory = Buffer.alloc(16 * entries.length);
  let offset = header.length + directory.length;
  entries.forEach(({ size, png }, i) => {
    const { width, height } = pngInfo(png);
    if (width !== size || height !== size) throw new Error(`ICO entry ${size}: the PNG is ${width}x${height}`);
    if (size < 1 || size > 256) throw new Error(`ICO entries are 1 to 256 px, not ${size}`);
    const at = i * 16;
    directory.writeUInt8(size === 256 ? 0 : size, at); // width (0 means 256)
    directory.writeUInt8(size === 256 ? 0 : size, at + 1); // height
    directory.writeUInt8(0, at + 2); // colours in the palette: none
    directory.writeUInt8(0, at + 3); // reserved
    directory.writeUInt16LE(1, at + 4); // colour planes
    directory.writeUInt16LE(32, at + 6); // bits per pixel
    directory.writeUInt32LE(png.length, at + 8); // size of the payload
    directory.writeUInt32LE(offset, at + 12); // where it starts
    offset += png.length;
  });
  return Buffer.concat([header, directory, ...entries.map((e) => e.png)]);
}

/** The entries of an .ico file, with their payloads (for tests). */
export function decodeIco(ico: Buffer): IcoEntry[] {
  if (ico.length < 6 || ico.readUInt16LE(0) !== 0 || ico.readUInt16LE(2) !== 1) throw new Error('not an ICO file');
  const count = ico.readUInt16LE(4);
  const entries: IcoEntry[] = [];
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 16;
    const size = ico.readUInt8(at) || 256;
    const length = ico.readUInt32LE(at + 8);
    const offset = ico.readUInt32LE(at + 12);
    if (offset + length > ico.length) throw new Error(`ICO entry ${i} runs past the end of the file`);
    entries.push({ size, png: ico.subarray(offset, offset + length) });
  }
  return entries;
}
