/** Which fields a request renders: its `fields` parameter resolved against the field table, per flavour (cached). */
import { FIELD_DEFS, type FieldDef } from './issueFields.ts';
import type { SimulatorFlavor } from './types.ts';

export interface FieldSelection {
  /** Identifies what is rendered: the same for every spelling of the same selection. */
  key: string;
  defs: FieldDef[];
  /** only id and/or key were asked for (Cloud: page cap 5000) */
  idOnly: boolean;
  wantsKey: boolean;
}

const selectionCache = new Map<string, FieldSelection>();

/** Resolves a `fields` parameter (comma string or array; `*all`, `*navigable`, names, `-name`). */
export function resolveFields(input: unknown, flavor: SimulatorFlavor): FieldSelection {
  let tokens: string[];
  const raw = Array.isArray(input) ? input.map((s) => String(s)) : typeof input === 'string' ? [input] : [];
  tokens = raw
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  if (tokens.length === 0) tokens = flavor === 'cloud' ? ['id'] : ['*navigable'];
  const ck = flavor + '|' + tokens.join(',');
  const hit = selectionCache.get(ck);
  if (hit) return hit;
  const defs = FIELD_DEFS.filter((d) => !d.only || d.only === flavor);
  const include = new Set<string>();
  const exclude = new Set<string>();
  let wantsKey = false;
  for (const t of tokens) {
    if (t.startsWith('-')) exclude.add(t.slice(1));
    else if (t === '*all') for (const d of defs) include.add(d.name);
    else if (t === '*navigable') {
      for (const d of defs) if (d.nav) include.add(d.name);
      wantsKey = true;
    } else if (t === 'key') wantsKey = true;
    else if (t === 'id') continue;
    else include.add(t);
  }
  if (include.size > 0) wantsKey = true;
  const selected = defs.filter((d) => include.has(d.name) && !exclude.has(d.name));
  const key = (wantsKey ? 'key,' : '') + selected.map((d) => d.name).join(',');
  const sel: FieldSelection = { key, defs: selected, idOnly: selected.length === 0, wantsKey };
  if (selectionCache.size > 500) selectionCache.clear();
  selectionCache.set(ck, sel);
  return sel;
}
