import { describe, expect, it } from 'vitest';
import { readScenarioTimeoutSeconds } from '../../src/config/runner-settings.js';
import { parseThresholds } from '../../src/config/thresholds.js';
import { buildSettingsEnv } from '../../src/gate/settings-env.js';
import { scenarioBudgetMs } from '../../src/suites/scenario.js';

describe('the scenario watchdog budget', () => {
  it('comes from thresholds.json, defaults to 300 s, and PERF_GATE_SCENARIO_TIMEOUT wins over the file', () => {
    const defaults = parseThresholds({}, 'defaults');
    expect(readScenarioTimeoutSeconds(buildSettingsEnv(defaults, {}))).toBe(300);
    const file = parseThresholds({ configuration: { scenarioTimeoutSeconds: 45 } }, 'file');
    expect(readScenarioTimeoutSeconds(buildSettingsEnv(file, {}))).toBe(45);
    expect(readScenarioTimeoutSeconds(buildSettingsEnv(file, { PERF_GATE_SCENARIO_TIMEOUT: '2.5' }))).toBe(2.5);
  });

  it('rejects a bad value, naming where it came from', () => {
    expect(() => readScenarioTimeoutSeconds({ PERF_GATE_SCENARIO_TIMEOUT: '0' })).toThrow(
      `PERF_GATE_SCENARIO_TIMEOUT must be a number from 0.1 to 86400, got '0'`,
    );
    expect(() => parseThresholds({ configuration: { scenarioTimeoutSeconds: -1 } }, 'thresholds.json')).toThrow(
      /thresholds\.json.*scenarioTimeoutSeconds/,
    );
  });

  it('grows with runs scaled above 1, never shrinks below the setting', () => {
    expect(scenarioBudgetMs({ scenarioTimeoutSeconds: 300, scale: 1 })).toBe(300_000);
    expect(scenarioBudgetMs({ scenarioTimeoutSeconds: 300, scale: 0.2 })).toBe(300_000);
    expect(scenarioBudgetMs({ scenarioTimeoutSeconds: 300, scale: 4 })).toBe(1_200_000);
  });
});
