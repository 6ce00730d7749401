import express from 'express';
import type { PlatformSimulator } from '../platformSimulator.js';

/**
 * What Moodle's mod/lti/view.php gives an external tool in the "Embed"
 * launch container: an iframe that lets the tool's origin use microphone,
 * camera and a few more, and fullscreen; not display-capture.
 */
export function moodleFrameAllow(toolOrigin: string): string {
  return ['microphone', 'camera', 'geolocation', 'midi', 'encrypted-media', 'autoplay']
    .map((feature) => `${feature} ${toolOrigin}`)
    .join('; ');
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * The course page of a stand-in Moodle: `view.php` frames `launch.php`, which
 * posts the third-party-initiated login to the tool as Moodle's
 * lti_initiate_login form does (no lti_storage_target: stock Moodle offers no
 * platform storage). `?allow=none` is a course page whose iframe allows nothing.
 */
export function moodleCoursePages(platform: PlatformSimulator, toolUrl: string): express.Router {
  const router = express.Router();
  const toolOrigin = new URL(toolUrl).origin;
  router.get('/mod/lti/view.php', (req, res) => {
    const hint = encodeURIComponent(String(req.query.hint ?? ''));
    const allow = req.query.allow === 'none' ? '' : ` allow="${escape(moodleFrameAllow(toolOrigin))}"`;
    res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Biology 7b: Live lesson</title></head><body><h1 id="course">Biology 7b</h1>
<iframe id="contentframe" height="600px" width="100%" src="launch.php?id=1&amp;triggerview=0&amp;hint=${hint}"${allow} allowfullscreen="1"></iframe>
</body></html>`);
  });
  router.get('/mod/lti/launch.php', (req, res) => {
    const fields = {
      iss: platform.issuer,
      target_link_uri: `${toolUrl}/lti/launch`,
      login_hint: String(req.query.hint ?? ''),
      // Moodle's hint: the course module and the launch it keeps in its session.
      lti_message_hint: JSON.stringify({ cmid: 1, launchid: 'ltilaunch1_1234' }),
      client_id: platform.clientId,
      lti_deployment_id: platform.deploymentId,
    };
    const inputs = Object.entries(fields)
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${escape(value)}"/>`)
      .join('\n');
    res.type('html').send(`<!doctype html><html><body>
<form action="${escape(`${toolUrl}/lti/login`)}" name="ltiInitiateLoginForm" id="ltiInitiateLoginForm" method="post" encType="application/x-www-form-urlencoded">
${inputs}
</form>
<script>document.ltiInitiateLoginForm.submit();</script></body></html>`);
  });
  return router;
}
