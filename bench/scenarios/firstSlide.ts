// The whiteboard benchmark's browser part: a teacher uploads a PDF of 100
// pages in the lesson page (Debian's Chromium), and a student's page shows
// its first page. Times are from choosing the file, and from the server's
// answer to the upload, to the first page painted in each page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { launchUsers } from '../../test/support/browser.js';
import { ClassroomPage } from '../../test/support/classroomPage.js';
import { slidesPdf } from '../../test/support/testPdfs.js';

export const SLIDE_PAGES = 100;

export interface FirstSlide {
  pdfBytes: number;
  /** From choosing the file to the server's answer (the upload and its checks). */
  uploadMs: number;
  /** From the server's answer to page 1 painted: the teacher's page, and a student's. */
  teacherAfterUploadMs: number;
  studentAfterUploadMs: number;
  /** From choosing the file to page 1 painted in the student's page. */
  studentFromFileChosenMs: number;
}

/**
 * When page 1 of the slides has pdf.js's ink in its canvas, as the page's
 * clock reads it. Browser code as text: tsx would wrap a function in helpers
 * the page does not have.
 */
const FIRST_PAGE_PAINTED = `new Promise((resolve) => {
  const check = () => {
    const canvas = document.querySelector('[data-testid=slide-canvas]');
    if (canvas && canvas.dataset.page === '1' && canvas.width > 0) {
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 0; i < data.length; i += 4 * 97) {
        if (data[i] < 200) return resolve(performance.timeOrigin + performance.now());
      }
    }
    requestAnimationFrame(check);
  };
  check();
})`;

function firstPagePainted(page: Page): Promise<number> {
  return page.evaluate(FIRST_PAGE_PAINTED) as Promise<number>;
}

/** A teacher and a student in the lesson pages; the teacher uploads the PDF from the slides menu. */
export async function measureFirstSlide(
  url: string,
  classroomId: string,
  tokens: { teacher: string; student: string },
): Promise<FirstSlide> {
  const users = await launchUsers();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aula-bench-slides-'));
  try {
    const file = path.join(dir, 'Hundert Folien.pdf');
    fs.writeFileSync(file, await slidesPdf(SLIDE_PAGES));
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const open = async (token: string, role: 'teacher' | 'student', name: string) => {
      const page = await ClassroomPage.open(await users.newUser(), url, {
        token,
        expiresAt,
        classroomId,
        role,
        name,
      });
      await page.join();
      await page.page.getByTestId('control-bar').waitFor({ timeout: 30_000 });
      return page.page;
    };
    // The teacher's page joins first: the lesson is already running (the benchmark's teacher client started it).
    const teacher = await open(tokens.teacher, 'teacher', 'Frau Bench');
    const student = await open(tokens.student, 'student', 'Sam Bench');
    await teacher.getByTestId('slides-menu').click();
    const answered = teacher.waitForResponse(
      (response) => response.request().method() === 'POST' && response.url().includes('/slides'),
    );
    const paintedAtTeacher = firstPagePainted(teacher);
    const paintedAtStudent = firstPagePainted(student);
    const chosenAt = Date.now();
    await teacher.getByTestId('slides-upload').setInputFiles(file);
    await answered;
    const answeredAt = Date.now();
    const [teacherAt, studentAt] = await Promise.all([paintedAtTeacher, paintedAtStudent]);
    return {
      pdfBytes: fs.statSync(file).size,
      uploadMs: answeredAt - chosenAt,
      teacherAfterUploadMs: Math.round(teacherAt - answeredAt),
      studentAfterUploadMs: Math.round(studentAt - answeredAt),
      studentFromFileChosenMs: Math.round(studentAt - chosenAt),
    };
  } finally {
    await users.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
