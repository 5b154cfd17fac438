/**
 * A bad setting from the environment (or an equivalent source): the message names the variable,
 * echoes the value (never a secret) and says what was expected. Both entries report it as bad input.
 */
export class SettingError extends Error {
  override readonly name = 'SettingError';
}
