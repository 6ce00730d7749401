import { createPinia } from 'pinia';
import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import PreJoin from '@/components/PreJoin.vue';
import { mountIn } from '../support/classroomPage';
import { fakeDevices } from '../support/fakeDevices';
import { inFrame, leaveFrame } from '../support/framePolicy';

// The pre-join page inside an LMS's frame: where the frame keeps camera or
// microphone out, it offers the classroom in a window of its own.

function prejoin(options: { framed: boolean; policy?: Record<string, boolean> }) {
  inFrame(options);
  const devices = fakeDevices();
  const wrapper = mountIn(createPinia(), PreJoin, {
    props: { devices, info: null, name: 'Anna', busy: false },
  });
  const notice = () => wrapper.find('[data-testid=frame-permission]');
  return { devices, wrapper, notice };
}

afterEach(() => {
  leaveFrame();
  document.body.innerHTML = '';
});

describe('the pre-join page in a frame', () => {
  it('offers a new window at once where the browser says the frame keeps camera and microphone out (Chromium)', () => {
    const { notice } = prejoin({ framed: true, policy: { camera: false, microphone: false } });
    expect(notice().exists()).toBe(true);
    expect(notice().text()).toContain('does not let Aula use camera');
    expect(notice().find('[data-testid=open-window]').exists()).toBe(true);
  });

  it('offers a new window once the camera is refused where the browser cannot say what the frame allows (Firefox)', async () => {
    const { devices, notice } = prejoin({ framed: true });
    expect(notice().exists()).toBe(false);
    devices.problems.camera = 'denied';
    await nextTick();
    expect(notice().text()).toContain('kept camera or microphone from Aula');
    expect(notice().find('[data-testid=open-window]').exists()).toBe(true);
  });

  it('offers no window for a refusal outside a frame, or one the frame is known not to cause', async () => {
    const top = prejoin({ framed: false });
    top.devices.problems.camera = 'denied';
    await nextTick();
    expect(top.notice().exists()).toBe(false);
    top.wrapper.unmount();

    const allowed = prejoin({ framed: true, policy: { camera: true, microphone: true } });
    allowed.devices.problems.mic = 'denied';
    await nextTick();
    expect(allowed.notice().exists()).toBe(false);
  });
});
