import { Router } from 'express';

// Scripts for the login and launch pages. They run before the Vue client
// exists (inside the LMS frame, between redirects), so they stay tiny and
// dependency-free.

/**
 * Continues the OIDC login once the state can be bound to this browser: by
 * its (partitioned) cookie, by platform storage, or by the Storage Access
 * API: a grant given before is used at once, else one click in the frame
 * asks for it, and a browser that wants Aula visited on its own site first
 * gets the hop. A new window is offered where nothing else is left.
 */
const LOGIN_JS = `(() => {
  const data = document.getElementById('aula-login').dataset;
  const show = (id) => {
    for (const step of document.querySelectorAll('[data-step]')) step.hidden = step.id !== id;
  };
  const go = () => location.replace(data.authUrl);
  const blocked = () => show('aula-blocked');
  const storageAccess = () => {
    const framed = window.top !== window.self;
    if (!framed || data.accessTried || typeof document.requestStorageAccess !== 'function') return blocked();
    const again = () => location.replace(data.withAccessUrl);
    const ask = () => {
      // The LMS posted this login: the same login by GET first, so that coming back from the hop
      // reloads it instead of a form the browser would have to post again.
      if (data.getUrl) return location.replace(data.getUrl);
      show('aula-storage-access');
      document.getElementById('aula-allow').onclick = () => {
        document.requestStorageAccess().then(again, () => show('aula-hop'));
      };
    };
    const permission = navigator.permissions && navigator.permissions.query
      ? navigator.permissions.query({ name: 'storage-access' }).then((status) => status.state, () => 'prompt')
      : Promise.resolve('prompt');
    permission.then((state) => (state === 'granted' ? document.requestStorageAccess().then(again, ask) : ask()));
    // Back from the hop, the course page may come from the browser's cache with this step on screen.
    window.addEventListener('pageshow', (event) => {
      if (event.persisted) ask();
    });
  };
  if (document.cookie.split('; ').includes('aula_probe_' + data.loginId + '=1')) return go();
  if (!data.storageTarget) return storageAccess();
  const target = data.storageTarget === '_parent' ? window.parent : window.parent.frames[data.storageTarget];
  if (!target) return storageAccess();
  const messageId = 'aula-' + Math.random().toString(36).slice(2);
  const timer = setTimeout(storageAccess, 4000);
  window.addEventListener('message', (event) => {
    if (event.origin !== data.platformOrigin) return;
    const reply = event.data || {};
    if (reply.subject !== 'lti.put_data.response' || reply.message_id !== messageId) return;
    clearTimeout(timer);
    if (reply.error) storageAccess(); else go();
  });
  target.postMessage({ subject: 'lti.put_data', message_id: messageId, key: data.storageKey, value: data.storageValue }, data.platformOrigin);
})();`;

/** Reads the value the login page put into platform storage and sends it back with the launch. */
const LAUNCH_VERIFY_JS = `(() => {
  const form = document.getElementById('aula-verify');
  const data = form.dataset;
  const fail = () => {
    document.getElementById('aula-wait').hidden = true;
    document.getElementById('aula-blocked').hidden = false;
  };
  const target = data.storageTarget === '_parent' ? window.parent : window.parent.frames[data.storageTarget];
  if (!target) return fail();
  const messageId = 'aula-' + Math.random().toString(36).slice(2);
  const timer = setTimeout(fail, 4000);
  window.addEventListener('message', (event) => {
    if (event.origin !== data.platformOrigin) return;
    const reply = event.data || {};
    if (reply.subject !== 'lti.get_data.response' || reply.message_id !== messageId) return;
    clearTimeout(timer);
    if (reply.error || typeof reply.value !== 'string') return fail();
    form.elements.namedItem('aula_storage_value').value = reply.value;
    form.submit();
  });
  target.postMessage({ subject: 'lti.get_data', message_id: messageId, key: data.storageKey }, data.platformOrigin);
})();`;

/** After dynamic registration: tell the LMS to close its registration dialog. */
const REGISTERED_JS = `(window.opener || window.parent).postMessage({ subject: 'org.imsglobal.lti.close' }, '*');`;

const LTI_CSS = `body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1b1f24;background:#fff}
main{max-width:38rem;margin:2rem auto;padding:0 1rem}h1{font-size:1.25rem}
a.button,button{display:inline-block;background:#0b57d0;color:#fff;border:0;border-radius:8px;padding:.6rem 1rem;text-decoration:none;font:inherit}
a.button:focus-visible,button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}`;

export function ltiAssetRoutes(): Router {
  const router = Router();
  const serve = (path: string, type: string, body: string) =>
    router.get(path, (_req, res) => {
      res.type(type).setHeader('Cache-Control', 'public, max-age=300');
      res.send(body);
    });
  serve('/lti/assets/login.js', 'application/javascript', LOGIN_JS);
  serve('/lti/assets/launch-verify.js', 'application/javascript', LAUNCH_VERIFY_JS);
  serve('/lti/assets/registered.js', 'application/javascript', REGISTERED_JS);
  serve('/lti/assets/lti.css', 'text/css', LTI_CSS);
  return router;
}
