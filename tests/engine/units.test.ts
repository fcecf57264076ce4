import { describe, expect, it } from 'vitest';
import { MINUTE_MS } from '../../src/engine/jira.ts';
import { quantileCuts } from '../../src/engine/units.ts';

const minutes = (n: number) => n * MINUTE_MS;

describe('placing the cuts of a range', () => {
  it('cuts where the counts reach equal shares, not at equal spans of time', () => {
    // 1,000 issues in [0, 100 min): 100 in the first 50 minutes, 900 in the last 50.
    const cuts = quantileCuts(0, minutes(100), [minutes(50)], [100], 1000, 4);
    // Shares of 250, 500 and 750 fall in the last half: at 50 + (150, 400, 650) / 900 × 50 minutes.
    expect(cuts).toEqual([
      { at: minutes(58), below: 244 },
      { at: minutes(72), below: 496 },
      { at: minutes(86), below: 748 },
    ]);
  });

  it('places cuts on whole minutes, strictly inside the range and increasing, dropping those that coincide', () => {
    const from = minutes(10) + 1234;
    const cuts = quantileCuts(from, minutes(13), [minutes(11), minutes(12)], [0, 0], 900, 8);
    expect(cuts.every((cut) => cut.at % MINUTE_MS === 0 && cut.at > from && cut.at < minutes(13))).toBe(true);
    expect(cuts.map((cut) => cut.at)).toEqual([minutes(12)]);
  });

  it('keeps equal spans when the issues are spread evenly, and never cuts an empty range', () => {
    expect(quantileCuts(0, minutes(40), [minutes(10), minutes(20), minutes(30)], [25, 50, 75], 100, 4)).toEqual([
      { at: minutes(10), below: 25 },
      { at: minutes(20), below: 50 },
      { at: minutes(30), below: 75 },
    ]);
    expect(quantileCuts(0, minutes(40), [minutes(20)], [0], 0, 4)).toEqual([]);
  });
});
