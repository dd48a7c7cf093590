import { describe, expect, it } from 'vitest';
import { appOfRemotes, appOfRemoteUrl, parseRemotes } from './app-from-directory.js';

const API = 'http://127.0.0.1:7000';
const remotes = (pairs: Array<[string, string]>) => pairs.map(([name, url]) => ({ name, url }));

describe('the app from the git remotes', () => {
  it('reads `git remote -v` (each remote once, its fetch URL)', () => {
    const text = 'dozen\thttp://127.0.0.1:7000/git/shop.git (fetch)\ndozen\thttp://127.0.0.1:7000/git/shop.git (push)\norigin\tgit@github.com:me/shop.git (fetch)\norigin\tgit@github.com:me/shop.git (push)\n';
    expect(parseRemotes(text)).toEqual(remotes([['dozen', 'http://127.0.0.1:7000/git/shop.git'], ['origin', 'git@github.com:me/shop.git']]));
  });

  it('parses the app name back from the URL `dozen git:remote` sets, only on this platform', () => {
    expect(appOfRemoteUrl('http://127.0.0.1:7000/git/shop.git', API)).toBe('shop');
    expect(appOfRemoteUrl('http://127.0.0.1:7000/git/shop.git', `${API}/`)).toBe('shop');
    expect(appOfRemoteUrl('http://127.0.0.1:7001/git/shop.git', API)).toBeNull();
    expect(appOfRemoteUrl('http://127.0.0.1:7000/git/Shop.git', API)).toBeNull();
    expect(appOfRemoteUrl('http://127.0.0.1:7000/git/a/b.git', API)).toBeNull();
    expect(appOfRemoteUrl('git@github.com:me/shop.git', API)).toBeNull();
  });

  it('takes the `dozen` remote first, else the one remote at an app, else none', () => {
    const both = remotes([['staging', `${API}/git/shop-staging.git`], ['dozen', `${API}/git/shop.git`], ['origin', 'git@github.com:me/shop.git']]);
    expect(appOfRemotes(both, API, undefined)).toBe('shop');
    expect(appOfRemotes(both, API, 'staging')).toBe('shop-staging');
    expect(appOfRemotes(remotes([['prod', `${API}/git/shop.git`], ['origin', 'x']]), API, undefined)).toBe('shop');
    expect(appOfRemotes(remotes([['origin', 'x']]), API, undefined)).toBeNull();
    expect(appOfRemotes([], API, undefined)).toBeNull();
  });

  it('lists the candidates when several remotes point at apps and none is `dozen`', () => {
    const several = remotes([['staging', `${API}/git/shop-staging.git`], ['prod', `${API}/git/shop.git`]]);
    expect(() => appOfRemotes(several, API, undefined)).toThrow('No app given, and the git remotes here point at several apps: shop-staging (remote staging), shop (remote prod).');
    expect(() => appOfRemotes(several, API, 'nope')).toThrow(/no git remote "nope"/);
    expect(() => appOfRemotes(remotes([['dozen', 'http://elsewhere:7000/git/shop.git']]), API, undefined)).toThrow(/git remote dozen \(http:\/\/elsewhere:7000\/git\/shop.git\) is not an app of the platform at http:\/\/127.0.0.1:7000/);
  });
});
