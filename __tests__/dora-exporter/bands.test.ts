import {
  BAND_VALUE,
  changeFailureRateBand,
  deploymentFrequencyBand,
  leadTimeBand,
  timeToRestoreBand,
  type Band,
} from '../../lib/dora/exporter/bands';

const HOUR = 3600;
const DAY = 86400;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

// Each row: value, band. Rows come in pairs around every boundary (2023 State of DevOps clusters).
const cases: Record<string, [(v: number) => Band, [number, Band][]]> = {
  'deployment frequency (deploys per day)': [
    deploymentFrequencyBand,
    [
      [1.0001, 'elite'], // more than one a day: on demand
      [1, 'high'], // once a day is the top of "between once a day and once a week"
      [1 / 7, 'high'], // once a week, shared edge, goes to the better band
      [1 / 7 - 1e-9, 'medium'],
      [1 / 30, 'medium'], // once a month
      [1 / 30 - 1e-9, 'low'],
      [0, 'low'],
    ],
  ],
  'lead time (seconds)': [
    leadTimeBand,
    [
      [0, 'elite'],
      [DAY - 1, 'elite'], // less than one day
      [DAY, 'high'],
      [WEEK, 'high'],
      [WEEK + 1, 'medium'],
      [MONTH, 'medium'],
      [MONTH + 1, 'low'],
    ],
  ],
  'change failure rate (ratio)': [
    changeFailureRateBand,
    [
      [0, 'elite'],
      [0.05, 'elite'],
      [0.0501, 'high'],
      [0.1, 'high'],
      [0.1001, 'medium'],
      [0.15, 'medium'],
      [0.1501, 'low'],
      [1, 'low'],
    ],
  ],
  'time to restore (seconds)': [
    timeToRestoreBand,
    [
      [0, 'elite'],
      [HOUR - 1, 'elite'], // less than one hour
      [HOUR, 'high'],
      [DAY - 1, 'high'], // less than one day
      [DAY, 'medium'],
      [WEEK, 'medium'],
      [WEEK + 1, 'low'],
    ],
  ],
};

describe('DORA performance bands at their boundaries', () => {
  for (const [metric, [band, rows]] of Object.entries(cases))
    it.each(rows)(`${metric}: %p is %s`, (value, expected) => {
      expect(band(value)).toBe(expected);
    });

  it('maps bands to gauge values 4 (elite) to 1 (low)', () => {
    expect(BAND_VALUE).toEqual({ elite: 4, high: 3, medium: 2, low: 1 });
  });
});
