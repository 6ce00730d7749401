// What a V8 CPU profile (bench/cpuProfile.ts) spent, by area: self time per
// package, Node module or Aula file, the same inclusive (any frame of the area
// on the stack), and the functions with the most self time.
// `npx tsx bench/profileSummary.ts <file.cpuprofile> [top]`
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The area a frame belongs to: an npm package, a Node module, an Aula source file, or V8's own. */
export function areaOf(url: string, functionName: string): string {
  const packaged = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packaged) return packaged[1]!;
  const own = /\/(src|bench|test)\/(.+?)\.[jt]s$/.exec(url);
  if (own) return `${own[1]}/${own[2]}`;
  if (url.startsWith('node:')) return url;
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  return url;
}

/** Node's and V8's own code: its time is counted to the first frame above it that is not. */
const isRuntime = (area: string) => area.startsWith('node:') || area === '(native)';

function summarise(profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const self = new Map<string, number>();
  const caller = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i + 1] ?? 0;
    const leaf = byId.get(id)!;
    const area = areaOf(leaf.callFrame.url, leaf.callFrame.functionName);
    if (area === '(idle)') return;
    busy += us;
    add(self, area, us);
    add(
      functions,
      `${leaf.callFrame.functionName || '(anonymous)'} ${area}:${leaf.callFrame.lineNumber + 1}`,
      us,
    );
    const seen = new Set<string>();
    let payer: string | undefined;
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const frame = byId.get(node)!.callFrame;
      const frameArea = areaOf(frame.url, frame.functionName);
      seen.add(frameArea);
      if (!payer && !isRuntime(frameArea)) payer = frameArea;
    }
    add(caller, payer ?? area, us);
    for (const key of seen) add(inclusive, key, us);
  });
  const table = (title: string, map: Map<string, number>) =>
    [
      `${title} (ms, % of busy)`,
      ...[...map]
        .sort((a, b) => b[1] - a[1])
        .slice(0, top)
        .map(
          ([key, us]) =>
            `  ${(us / 1000).toFixed(1).padStart(8)}  ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${key}`,
        ),
    ].join('\n');
  return [
    `busy ${(busy / 1000).toFixed(0)} ms of ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms`,
    table('self by area', self),
    table("self by area, Node's and V8's work counted to the caller", caller),
    table('inclusive by area', inclusive),
    table('self by function', functions),
  ].join('\n\n');
}

if (process.argv[2]) {
  const profile = JSON.parse(readFileSync(process.argv[2], 'utf8')) as Profile;
  process.stdout.write(`${summarise(profile, Number(process.argv[3] ?? 30))}\n`);
}
