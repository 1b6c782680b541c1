/** A single-unit Prometheus duration as alerting rules' `for:` takes it: `0s`, `30s`, `5m`, `1h`, `2d`. */
export const RULE_DURATION = /^(0s|[1-9][0-9]*[smhd])$/;

const UNITS: readonly { readonly letter: string; readonly seconds: number; readonly word: string }[] = [
  { letter: 'd', seconds: 86400, word: 'day' },
  { letter: 'h', seconds: 3600, word: 'hour' },
  { letter: 'm', seconds: 60, word: 'minute' },
  { letter: 's', seconds: 1, word: 'second' },
];

/** Seconds of a {@link RULE_DURATION} (`90s` → 90, `5m` → 300). */
export function ruleDurationSeconds(duration: string): number {
  if (!RULE_DURATION.test(duration)) throw new Error(`not a single-unit duration such as 5m or 30s: ${duration}`);
  return Number(duration.slice(0, -1)) * UNITS.find((u) => u.letter === duration.slice(-1))!.seconds;
}

/** The largest unit dividing a positive whole number of seconds, and how many of it. */
function inLargestUnit(seconds: number): { count: number; word: string } {
  if (!(Number.isInteger(seconds) && seconds > 0)) throw new Error(`not a positive whole number of seconds: ${seconds}`);
  const unit = UNITS.find((u) => seconds % u.seconds === 0)!;
  return { count: seconds / unit.seconds, word: unit.word };
}

/** A positive number of seconds in words, in the largest unit that divides it: 300 → `5 minutes`, 3600 → `an hour`, 90 → `90 seconds`. */
export function durationInWords(seconds: number): string {
  const { count, word } = inLargestUnit(seconds);
  return count > 1 ? `${count} ${word}s` : `${word === 'hour' ? 'an' : 'a'} ${word}`;
}

/** How often something recurs, in words: 60 → `every minute`, 30 → `every 30 seconds`. */
export function everyInWords(seconds: number): string {
  const { count, word } = inLargestUnit(seconds);
  return count > 1 ? `every ${count} ${word}s` : `every ${word}`;
}

/** Seconds as a systemd time span: whole minutes as `2min`, anything else as `45s`. */
export function systemdTimeSpan(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60}min` : `${seconds}s`;
}
