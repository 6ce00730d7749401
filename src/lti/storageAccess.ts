import { Router, type Response } from 'express';
import { escapeHtml } from '../shared/html.js';
import { launchTexts, languageOf, sendScriptPage, type Language } from './launchPages.js';
import { ltiRoutes } from './toolUrls.js';

/**
 * Inside the LMS's frame a browser may keep Aula's login cookie back. Aula's
 * cookies are partitioned (CHIPS), which Chromium, Firefox and Safari 18.4+
 * accept in a frame even when they block third-party cookies. A browser that
 * still refuses them gets the Storage Access API: one click in the frame asks
 * for Aula's cookies there; a browser that wants Aula visited on its own site
 * first gets a one-click top-level hop that returns to the course page. A new
 * window stays the last resort.
 */
export const storageAccessRoutes = {
  /** The top-level page of the hop. */
  hop: '/lti/storage-access',
} as const;

/** The form field a launch carries once the page asked for storage access, so it is asked once. */
export const STORAGE_ACCESS_FIELD = 'aula_storage_access';

export const storageAccessTexts = {
  en: {
    askTitle: 'Aula needs your permission here',
    ask: 'Your browser keeps Aula’s sign-in out of this course page until you allow it. Continue, and allow it if your browser asks.',
    allow: 'Continue in this page',
    hopTitle: 'Open Aula once on its own',
    hop: 'Your browser lets Aula ask for this only after you have opened Aula once as a page of its own. Open it, then come straight back to your course with one click.',
    hopLink: 'Open Aula once',
    hopPageTitle: 'Aula knows your browser now',
    hopPage:
      'Go back to your course page and choose “Continue in this page” again; allow Aula if your browser asks.',
    back: 'Back to your course',
    noHistory: 'Close this tab and open Aula again from your course page.',
  },
  de: {
    askTitle: 'Aula braucht hier Ihre Erlaubnis',
    ask: 'Ihr Browser lässt die Anmeldung bei Aula in dieser Kursseite erst zu, wenn Sie es erlauben. Fahren Sie fort und erlauben Sie es, falls Ihr Browser fragt.',
    allow: 'In dieser Seite fortfahren',
    hopTitle: 'Aula einmal für sich öffnen',
    hop: 'Ihr Browser lässt Aula erst danach fragen, wenn Sie Aula einmal als eigene Seite geöffnet haben. Öffnen Sie Aula und kehren Sie mit einem Klick direkt zu Ihrem Kurs zurück.',
    hopLink: 'Aula einmal öffnen',
    hopPageTitle: 'Aula ist Ihrem Browser jetzt bekannt',
    hopPage:
      'Gehen Sie zurück zu Ihrer Kursseite und wählen Sie dort noch einmal „In dieser Seite fortfahren“; erlauben Sie Aula, falls Ihr Browser fragt.',
    back: 'Zurück zu Ihrem Kurs',
    noHistory: 'Schließen Sie diesen Tab und öffnen Sie Aula erneut über Ihre Kursseite.',
  },
};

/** The login page's steps after the cookie: asking for storage access, and the hop; a new window beside each. */
export function storageAccessSections(lang: Language, newWindowUrl: string): string {
  const t = storageAccessTexts[lang];
  const newWindow = `<p><a href="${escapeHtml(newWindowUrl)}" target="_blank" rel="noopener">${launchTexts[lang].newWindow}</a></p>`;
  return `<section id="aula-storage-access" data-step hidden><h1>${t.askTitle}</h1><p>${t.ask}</p>
<p><button type="button" id="aula-allow">${t.allow}</button></p>${newWindow}</section>
<section id="aula-hop" data-step hidden><h1>${t.hopTitle}</h1><p>${t.hop}</p>
<p><a class="button" id="aula-hop-link" href="${storageAccessRoutes.hop}?lang=${lang}" target="_top">${t.hopLink}</a></p>${newWindow}</section>`;
}

/**
 * A launch that arrived without its cookie in a frame that may hold storage
 * access: the page activates it (a grant the person gave earlier needs no
 * click) and posts the launch again, now with the cookie. Asked once.
 */
export function sendStorageAccessVerification(
  res: Response,
  lang: Language,
  form: { idToken: string; state: string },
): void {
  const t = launchTexts[lang];
  sendScriptPage(
    res,
    lang,
    'launch-access.js',
    `<form id="aula-access" method="post" action="${ltiRoutes.launch}"><input type="hidden" name="id_token" value="${escapeHtml(form.idToken)}"><input type="hidden" name="state" value="${escapeHtml(form.state)}"><input type="hidden" name="${STORAGE_ACCESS_FIELD}" value="1"></form>
<p id="aula-wait">${t.wait}</p><section id="aula-blocked" hidden><h1>${t.blockedTitle}</h1><p>${t.relaunch}</p></section>`,
  );
}

/** Activates a storage-access grant (no click needed once granted) and posts the launch again. */
const LAUNCH_ACCESS_JS = `(() => {
  const form = document.getElementById('aula-access');
  const fail = () => {
    document.getElementById('aula-wait').hidden = true;
    document.getElementById('aula-blocked').hidden = false;
  };
  if (typeof document.requestStorageAccess !== 'function' || window.top === window.self) return fail();
  document.requestStorageAccess().then(() => form.submit(), fail);
})();`;

/** The hop's page: the click here is the visit the browser wants; it returns to the course page. */
const HOP_JS = `(() => {
  const back = document.getElementById('aula-back');
  back.addEventListener('click', () => {
    if (history.length > 1) return history.back();
    back.hidden = true;
    document.getElementById('aula-no-history').hidden = false;
  });
})();`;

export function storageAccessRouter(): Router {
  const router = Router();
  const script = (path: string, body: string) =>
    router.get(path, (_req, res) => {
      res.type('application/javascript').setHeader('Cache-Control', 'public, max-age=300');
      res.send(body);
    });
  script('/lti/assets/launch-access.js', LAUNCH_ACCESS_JS);
  script('/lti/assets/storage-hop.js', HOP_JS);
  router.get(storageAccessRoutes.hop, (req, res) => {
    const lang: Language = req.query.lang === 'de' ? 'de' : req.query.lang === 'en' ? 'en' : languageOf(req);
    const t = storageAccessTexts[lang];
    sendScriptPage(
      res,
      lang,
      'storage-hop.js',
      `<h1>${t.hopPageTitle}</h1><p>${t.hopPage}</p><p><button type="button" id="aula-back">${t.back}</button></p><p id="aula-no-history" hidden>${t.noHistory}</p>`,
    );
  });
  return router;
}
