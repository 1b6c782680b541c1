import { budgetSpent, errorBudgetMinutes, errorBudgetRatio, hoursToExhaustBudget, maxBurnRate } from '../../lib/slo/error-budget';

describe('error-budget math', () => {
  it.each([
    [99.5, '30d', 216],
    [99.9, '30d', 43.2],
    [99, '7d', 100.8],
    [99.95, '4w', 20.16],
    [95, '1d', 72],
  ])('GIVEN %s%% over %s THEN the budget is %s minutes', (objective, window, minutes) => {
    expect(errorBudgetMinutes(objective, window)).toBe(minutes);
  });

  it('GIVEN objectives THEN the budget ratio and the highest reachable burn rate follow', () => {
    expect(errorBudgetRatio(99.5)).toBe(0.005);
    expect(maxBurnRate(99.5)).toBe(200);
    expect(maxBurnRate(95)).toBe(20);
    expect(maxBurnRate(90)).toBe(10);
  });

  it('GIVEN the workbook factors THEN 14.4x for 1h spends 2% of a 30d budget and exhausts it in 50h', () => {
    expect(budgetSpent(14.4, '1h', '30d')).toBe(0.02);
    expect(budgetSpent(6, '6h', '30d')).toBe(0.05);
    expect(budgetSpent(3, '1d', '30d')).toBe(0.1);
    expect(budgetSpent(1, '3d', '30d')).toBe(0.1);
    expect(hoursToExhaustBudget(14.4, '30d')).toBe(50);
  });

  it('GIVEN an objective outside (0, 100) THEN it throws', () => {
    expect(() => errorBudgetRatio(100)).toThrow(/strictly between 0 and 100/);
    expect(() => errorBudgetRatio(0)).toThrow(/strictly between 0 and 100/);
  });
});
