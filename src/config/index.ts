export { loadConfig, ConfigError, type Config } from './loadConfig.js';
export { loadSecrets, type Secrets } from './secrets.js';
