/**
 * Prerendered issues (SimulatorOptions.prerender): each issue's JSON kept as UTF-8 bytes per
 * (field selection, API version, changelog expansion), so that serving a search page costs a
 * write of the cached Buffers (one writev) instead of rendering ~7.5 KB of JSON per issue. What is served stays
 * byte for byte what the Renderer produces: an entry is valid for one version of one issue (every
 * change bumps the version; an index-lagged view is an older version), and a change drops the
 * issue's entries, which are rendered again when next served.
 */
import { Buffer } from 'node:buffer';
import type { FieldSelection } from './fieldSelection.ts';
import type { ApiVersion, Renderer } from './render.ts';
import type { IssueState } from './model.ts';

interface Rendered {
  version: number;
  /** `,` + the issue's JSON: a page's issues after the first are sent as is, the first without the comma. */
  bytes: Buffer;
}

/** Field selections kept at once; past that, the least recently used one is dropped whole. */
const SELECTIONS = 8;

export class PrerenderedIssues {
  private readonly renderer: Renderer;
  private readonly bySelection = new Map<string, Map<number, Rendered>>();

  constructor(renderer: Renderer) {
    this.renderer = renderer;
  }

  /**
   * A function giving an issue's JSON as bytes — exactly Buffer.from(renderer.issue(v, sel, api,
   * withChangelog)) — preceded by a comma when `comma` is true (the separator in a page).
   */
  bytesOf(sel: FieldSelection, api: ApiVersion, withChangelog: boolean): (v: IssueState, comma: boolean) => Buffer {
    const rendered = this.selection(sel, api, withChangelog);
    return (v, comma) => {
      let hit = rendered.get(v.id);
      if (!hit || hit.version !== v.v) {
        hit = { version: v.v, bytes: Buffer.from(',' + this.renderer.issue(v, sel, api, withChangelog), 'utf8') };
        rendered.set(v.id, hit);
      }
      return comma ? hit.bytes : hit.bytes.subarray(1);
    };
  }

  /** Renders these issues now (at start-up), so that serving them later costs no rendering. */
  prerender(issues: Iterable<IssueState>, sel: FieldSelection, api: ApiVersion): void {
    const bytes = this.bytesOf(sel, api, false);
    for (const issue of issues) bytes(issue, false);
  }

  /** Drops an issue's entries (it changed). */
  forget(id: number): void {
    for (const rendered of this.bySelection.values()) rendered.delete(id);
  }

  private selection(sel: FieldSelection, api: ApiVersion, withChangelog: boolean): Map<number, Rendered> {
    const key = `${api}|${withChangelog ? 'changelog' : ''}|${sel.key}`;
    let rendered = this.bySelection.get(key);
    if (rendered) {
      this.bySelection.delete(key);
    } else {
      rendered = new Map();
      if (this.bySelection.size >= SELECTIONS) this.bySelection.delete(this.bySelection.keys().next().value as string);
    }
    this.bySelection.set(key, rendered);
    return rendered;
  }
}
