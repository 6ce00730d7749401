import { createPinia } from 'pinia';
import { createApp } from 'vue';
import { config as zodConfig } from 'zod';
import App from './App.vue';
import { i18n } from './locales/i18n';
import { router } from './router';
import './styles/base.css';

// The page reads shared board shapes through the protocol's zod schemas. Without eval: zod's probe
// for it (new Function) is a CSP violation the browser reports even when caught (script-src 'self').
zodConfig({ jitless: true });

createApp(App).use(createPinia()).use(i18n).use(router).mount('#app');
