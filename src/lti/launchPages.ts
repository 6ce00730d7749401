import type { Request, Response } from 'express';
import { escapeHtml } from '../shared/html.js';
import type { NoteRefusal } from '../shared/refusalKinds.js';
import type { Logger } from '../shared/logger.js';
import type { LaunchRejected } from './IdTokenVerifier.js';
import { dataAttributes, ltiPage, preferredLanguage, sendMessagePage } from './ltiPages.js';
import { ltiRoutes } from './toolUrls.js';

/** What people read between the LMS and the classroom, in both languages. */
export const launchTexts = {
  en: {
    wait: 'Opening Aula…',
    blockedTitle: 'Your browser blocks Aula inside this page',
    blocked:
      'Your browser does not allow Aula to keep its sign-in inside your course page (third-party cookies are blocked). Open Aula in its own window instead:',
    newWindow: 'Open Aula in a new window',
    continue: 'Continue',
    relaunch:
      'Your browser blocked the sign-in inside your course page. Go back to your course and open the activity again, or allow cookies for this site.',
    insecure:
      'Aula is served over plain http, and browsers do not send its sign-in cookie back from your learning platform on another site, so this launch cannot be completed. Your administrator needs to serve Aula over HTTPS and set AULA_PUBLIC_URL to its https:// address.',
    switchedOff: 'Aula is switched off for your school. Please ask your school’s administrator.',
    notRegistered: 'This learning platform is not registered with Aula.',
    unknownDeployment: 'This deployment of Aula is not registered. Please ask your administrator.',
    ambiguous:
      'Your learning platform is registered with Aula more than once and did not say which registration this launch belongs to (no client_id). Please ask your administrator to remove the registration that is no longer used.',
    tooMany: 'Too many sign-ins from your network right now. Please wait a minute and open Aula again.',
  },
  de: {
    wait: 'Aula wird geöffnet …',
    blockedTitle: 'Ihr Browser blockiert Aula in dieser Seite',
    blocked:
      'Ihr Browser erlaubt Aula nicht, die Anmeldung innerhalb Ihrer Kursseite zu behalten (Cookies von Drittanbietern sind blockiert). Öffnen Sie Aula stattdessen in einem eigenen Fenster:',
    newWindow: 'Aula in neuem Fenster öffnen',
    continue: 'Weiter',
    relaunch:
      'Ihr Browser hat die Anmeldung innerhalb Ihrer Kursseite blockiert. Gehen Sie zurück zum Kurs und öffnen Sie die Aktivität erneut, oder erlauben Sie Cookies für diese Seite.',
    insecure:
      'Aula läuft über unverschlüsseltes http, und Browser schicken das Anmelde-Cookie von Ihrer Lernplattform auf einer anderen Website nicht zurück; dieser Start kann so nicht gelingen. Ihre Administration muss Aula über HTTPS bereitstellen und AULA_PUBLIC_URL auf die https://-Adresse setzen.',
    switchedOff:
      'Aula ist für Ihre Schule ausgeschaltet. Bitte wenden Sie sich an die Administration Ihrer Schule.',
    notRegistered: 'Diese Lernplattform ist bei Aula nicht registriert.',
    unknownDeployment:
      'Diese Aula-Bereitstellung (Deployment) ist nicht registriert. Bitte wenden Sie sich an Ihre Administration.',
    ambiguous:
      'Ihre Lernplattform ist mehrfach bei Aula registriert und hat nicht angegeben, zu welcher Registrierung dieser Start gehört (keine client_id). Bitte bitten Sie Ihre Administration, die nicht mehr genutzte Registrierung zu entfernen.',
    tooMany:
      'Gerade melden sich zu viele Personen aus Ihrem Netz an. Bitte warten Sie eine Minute und öffnen Sie Aula erneut.',
  },
};

export type Language = keyof typeof launchTexts;

export function languageOf(req: Request): Language {
  return preferredLanguage(req.headers['accept-language']);
}

/** A refused login or launch: its page for the person, one info line with the reason for the log. */
export function sendRejection(
  req: Request,
  res: Response,
  error: LaunchRejected,
  logger: Logger,
  noteRefusal?: NoteRefusal,
): void {
  if (error.refusal) noteRefusal?.(error.refusal.kind, error.refusal.subject);
  logger.info(
    { path: req.path, status: error.status, reason: error.reason, ...error.context },
    'launch() | rejected',
  );
  sendMessagePage(req, res, { status: error.status, message: error.message });
}

/** A page between the LMS and the classroom that one of Aula's scripts drives; never cached. */
export function sendScriptPage(res: Response, lang: Language, script: string, body: string): void {
  res.setHeader('Cache-Control', 'no-store');
  res.type('html').send(ltiPage({ lang, title: 'Aula', script, body }));
}

/**
 * The launch arrived without the login cookie (a frame that blocks third-party
 * cookies): this page reads the value the login page left in the platform's
 * storage and posts the launch again with it.
 */
export function sendStorageVerification(
  res: Response,
  lang: Language,
  form: { idToken: string; state: string },
  storage: { target: string; key: string; platformOrigin: string },
): void {
  const t = launchTexts[lang];
  sendScriptPage(
    res,
    lang,
    'launch-verify.js',
    `<form id="aula-verify" method="post" action="${ltiRoutes.launch}" ${dataAttributes({
      storageTarget: storage.target,
      storageKey: storage.key,
      platformOrigin: storage.platformOrigin,
    })}><input type="hidden" name="id_token" value="${escapeHtml(form.idToken)}"><input type="hidden" name="state" value="${escapeHtml(form.state)}"><input type="hidden" name="aula_storage_value" value=""></form>
<p id="aula-wait">${t.wait}</p><section id="aula-blocked" hidden><h1>${t.blockedTitle}</h1><p>${t.relaunch}</p></section>`,
  );
}
