/**
 * Saves the page shown in `area` as a PNG: the slide's canvas (if any) with
 * the drawings' SVG over it, at twice the size shown.
 */
export async function savePageImage(
  area: HTMLElement,
  size: { width: number; height: number },
  name: string,
): Promise<void> {
  const svg = area.querySelector('svg');
  if (!svg) return;
  const canvas = document.createElement('canvas');
  canvas.width = size.width * 2;
  canvas.height = size.height * 2;
  const context = canvas.getContext('2d')!;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  const slide = area.querySelector('canvas');
  if (slide) context.drawImage(slide, 0, 0, canvas.width, canvas.height);
  const image = new Image();
  image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
  await image.decode();
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  const link = document.createElement('a');
  link.download = `${name.replace(/[^A-Za-z0-9]+/g, '-')}.png`;
  link.href = canvas.toDataURL('image/png');
  link.click();
}
