export { loadConfig, ConfigError, servedUrl, type Config } from './loadConfig.js';
export { loadSecrets, type Secrets } from './secrets.js';
