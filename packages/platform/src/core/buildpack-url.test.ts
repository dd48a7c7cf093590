import { describe, expect, it } from 'vitest';
import { parseBuildpackList, parseBuildpackUrl } from './buildpack-url.js';

describe('buildpack URLs', () => {
  it('knows built-ins (with Heroku aliases), absolute paths and https/file git URLs with a ref', () => {
    expect(parseBuildpackUrl('heroku/nodejs')).toEqual({ kind: 'builtin', id: 'node' });
    expect(parseBuildpackUrl('procfile')).toEqual({ kind: 'builtin', id: 'procfile' });
    expect(parseBuildpackUrl('/srv/buildpacks/hello/')).toEqual({ kind: 'path', path: '/srv/buildpacks/hello' });
    expect(parseBuildpackUrl('https://github.com/x/bp.git#v1.2')).toEqual({ kind: 'git', url: 'https://github.com/x/bp.git', ref: 'v1.2', protocol: 'https', path: null });
    expect(parseBuildpackUrl('file:///srv/bp.git')).toEqual({ kind: 'git', url: 'file:///srv/bp.git', ref: null, protocol: 'file', path: '/srv/bp.git' });
  });

  it.each(['', 'ssh://host/x.git', 'git://host/x.git', 'ext::sh -c id', '--upload-pack=touch /tmp/p', '-x', 'relative/path', '/srv/../etc', 'https://user:pw@host/x.git', 'https://host/x.git#-evil', 'https://host/x.git#a..b', 'file://relative', 'https://host/x y', 'C:\\bp'])(
    'refuses %j before any program sees it',
    (url) => {
      expect(() => parseBuildpackUrl(url)).toThrow(/Buildpack .* is not usable/);
    },
  );

  it('limits the list', () => {
    expect(() => parseBuildpackList(Array.from({ length: 17 }, () => 'node'))).toThrow('more than the limit of 16');
  });
});
