import path from 'node:path';

/**
 * A file shipped in this package, resolved as `resolvePackagePath` from
 * `@backstage/backend-plugin-api` does (from the package's package.json), without loading that
 * package, which took about 20 ms of the emulator's start.
 */
export function packagePath(...paths: string[]): string {
  return path.resolve(
    require.resolve('@backstage-docr/do-emulator/package.json'),
    '..',
    ...paths,
  );
}
