/**
 * The installer configuration: electron-builder.yml validated against electron-builder's own JSON
 * schema (app-builder-lib/scheme.json, the one `electron-builder` checks at packaging time), the
 * files it names, and the tray and notification icons the app loads on each platform.
 */
import { Ajv } from 'ajv';
import yaml from 'js-yaml';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { notificationIconFile, trayIconFile } from '../../src/desktop/icons.ts';
import { TRAY_ICONS } from '../../src/desktop/trayMenu.ts';
import { APP_DIR_NAME } from '../../src/service/paths.ts';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
// The schema of the app-builder-lib that this electron-builder uses.
const builderDir = dirname(require.resolve('electron-builder/package.json'));
const schemaFile = createRequire(join(builderDir, 'package.json')).resolve('app-builder-lib/scheme.json');
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  linux: { icon: string };
  mac: { icon: string };
  win: { icon: string };
  extraResources: Array<{ from: string; to: string }>;
  directories: { buildResources: string };
};

// As electron-builder compiles it (app-builder-lib/out/util/config/schemaValidator.js), without type coercion.
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
const problems = (candidate: unknown) => {
  validate(candidate);
  return (validate.errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? ''} ${JSON.stringify(error.params)}`);
};

/** Width, height, and whether every pixel is black (any alpha): PNGs as scripts/make-icons.ts writes them (RGBA, filter 0). */
function readPng(file: string): { width: number; height: number; blackOnly: boolean } {
  const data = readFileSync(file);
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let offset = 8; offset < data.length;) {
    const length = data.readUInt32BE(offset);
    if (data.toString('ascii', offset + 4, offset + 8) === 'IDAT') idat.push(data.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  let blackOnly = true;
  for (let y = 0; y < height; y++) {
    const row = y * (width * 4 + 1);
    for (let x = 0; x < width; x++) {
      const [r, g, b, a] = raw.subarray(row + 1 + x * 4, row + 5 + x * 4);
      if (a! > 0 && (r !== 0 || g !== 0 || b !== 0)) blackOnly = false;
    }
  }
  return { width, height, blackOnly };
}

/** The sizes held by an .ico, each of which must be a PNG. */
function icoSizes(file: string): number[] {
  const data = readFileSync(file);
  expect([data.readUInt16LE(0), data.readUInt16LE(2)]).toEqual([0, 1]);
  return Array.from({ length: data.readUInt16LE(4) }, (_, index) => {
    const entry = 6 + index * 16;
    const offset = data.readUInt32LE(entry + 12);
    expect(data.subarray(offset, offset + 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    return data[entry] || 256;
  });
}

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s own schema', () => {
    expect(existsSync(schemaFile)).toBe(true);
    expect(problems(config)).toEqual([]);
  });

  it('the schema check catches a misspelled option and a wrong type (it is not vacuous)', () => {
    const broken = { ...config, asar: 'yes', linux: { ...config.linux, targets: ['AppImage'] } };
    expect(problems(broken)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/asar must be null,boolean/),
        expect.stringMatching(/^\/linux must NOT have additional properties \{"additionalProperty":"targets"\}/),
      ]),
    );
  });

  it('names the app as the code does: appId (Windows notifications) and productName (the shared data folder)', () => {
    expect(config.appId).toBe('dev.jiramirror.app');
    expect(config.productName).toBe(APP_DIR_NAME);
  });

  it('points at icons that exist: a 512 px PNG for Linux and macOS, an .ico with every size for Windows', () => {
    expect(readPng(join(root, config.linux.icon))).toMatchObject({ width: 512, height: 512 });
    expect(config.mac.icon).toBe(config.linux.icon);
    expect(icoSizes(join(root, config.win.icon))).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });

  it('ships resources/icons beside the app as icons/, where src/main/index.ts looks for them', () => {
    expect(config.extraResources).toEqual([{ from: 'resources/icons', to: 'icons' }]);
    expect(readFileSync(join(root, 'src/main/index.ts'), 'utf8')).toContain("join(process.resourcesPath, 'icons')");
  });
});

describe('tray and notification icons', () => {
  const icons = join(root, 'resources/icons');

  it.each(TRAY_ICONS)('%s: Linux PNG + @2x, macOS black template + @2x, Windows .ico', (state) => {
    const linux = trayIconFile(icons, 'linux', state);
    expect(readPng(linux)).toMatchObject({ width: 32, height: 32, blackOnly: false });
    expect(readPng(linux.replace(/\.png$/, '@2x.png'))).toMatchObject({ width: 64, height: 64 });

    const mac = trayIconFile(icons, 'darwin', state);
    expect(mac).toMatch(/Template\.png$/);
    expect(readPng(mac)).toEqual({ width: 16, height: 16, blackOnly: true });
    expect(readPng(mac.replace(/\.png$/, '@2x.png'))).toEqual({ width: 32, height: 32, blackOnly: true });

    expect(icoSizes(trayIconFile(icons, 'win32', state))).toEqual([16, 20, 24, 32, 40, 48, 64]);
  });

  it('notifications: a failure and a recovery picture on Linux and Windows; none on macOS (the app icon is used)', () => {
    for (const platform of ['linux', 'win32'] as const) {
      expect(readPng(notificationIconFile(icons, platform, 'failure')!)).toMatchObject({ width: 128, height: 128 });
      expect(readPng(notificationIconFile(icons, platform, 'recovery')!)).toMatchObject({ width: 128, height: 128 });
    }
    expect(notificationIconFile(icons, 'linux', 'start-failed')).toBe(notificationIconFile(icons, 'linux', 'failure'));
    expect(notificationIconFile(icons, 'darwin', 'failure')).toBeUndefined();
  });
});
