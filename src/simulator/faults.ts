/** Fault injection rules and the optional token bucket. */
import { mix, mulberry32 } from './prng.ts';
import type { FaultKind, FaultRule, RateLimitConfig } from './types.ts';

const KINDS: readonly FaultKind[] = [
  'rate-limit',
  'quota',
  'status',
  'reset',
  'slow',
  'truncated',
  'malformed',
  'html-401',
  'not-found',
  'drop-issue',
];

interface ActiveRule {
  rule: FaultRule;
  remaining: number;
}

export function validateFaultRules(rules: unknown): FaultRule[] {
  if (!Array.isArray(rules)) throw new Error('rules must be an array');
  return rules.map((r: unknown) => {
    if (!r || typeof r !== 'object') throw new Error('a fault rule must be an object');
    const rule = r as FaultRule;
    if (!KINDS.includes(rule.kind)) throw new Error(`unknown fault kind '${String(rule.kind)}'`);
    if (rule.status !== undefined && ![500, 502, 503, 504].includes(rule.status)) throw new Error('status must be 500, 502, 503 or 504');
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1))
      throw new Error('probability must be within 0..1');
    return { ...rule };
  });
}

export class FaultEngine {
  private rules: ActiveRule[] = [];
  private rng: () => number;
  private readonly seed: number;

  constructor(seed: number) {
    this.seed = seed;
    this.rng = mulberry32(mix(seed, 0xfa17));
  }

  /** Replaces the rules and re-seeds the PRNG (so the same request sequence draws the same faults). */
  set(rules: FaultRule[]): void {
    this.rules = validateFaultRules(rules).map((rule) => ({ rule, remaining: rule.count ?? Infinity }));
    this.rng = mulberry32(mix(this.seed, 0xfa17));
  }

  clear(): void {
    this.rules = [];
  }

  /** The first rule that fires for this request (path with query, and body), consuming its count. */
  pick(pathWithQuery: string, body = ''): FaultRule | null {
    for (const a of this.rules) {
      if (a.remaining <= 0) continue;
      if (a.rule.pathIncludes !== undefined && !pathWithQuery.includes(a.rule.pathIncludes)) continue;
      if (a.rule.bodyIncludes !== undefined && !body.includes(a.rule.bodyIncludes)) continue;
      if (a.rule.probability !== undefined && a.rule.probability < 1 && !(this.rng() < a.rule.probability)) continue;
      a.remaining--;
      return a.rule;
    }
    return null;
  }

  /** Gives back the count a rule's pick consumed, when the request it fired for had nothing to fault. */
  refund(rule: FaultRule): void {
    const active = this.rules.find((a) => a.rule === rule);
    if (active) active.remaining++;
  }
}

export class TokenBucket {
  readonly config: RateLimitConfig;
  private tokens: number;
  private last: number;

  constructor(config: RateLimitConfig, now: number) {
    if (!(config.requestsPerSecond > 0) || !(config.burst >= 1)) throw new Error('rate limit needs requestsPerSecond > 0 and burst >= 1');
    this.config = { ...config };
    this.tokens = config.burst;
    this.last = now;
  }

  /** Takes a token; returns 0 when allowed, else the seconds to wait before a token is available. */
  take(now: number): number {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.config.burst, this.tokens + elapsed * this.config.requestsPerSecond);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.config.requestsPerSecond));
  }
}
